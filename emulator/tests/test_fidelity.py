"""The fidelity fixes of `emulator/fidelity.py` (4 to 6, 10, 11), through the emulator's own APIs."""

import json
import unittest
import uuid

from .support import Emulator

POLICY_WITHOUT_VERSION = {
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
}
TRUST = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
}


class FidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def test_stack_fixes_apply_when_moto_loads_cloudformation(self) -> None:
        # Fixes 1 and 3 patch modules moto imports on the first CloudFormation request.
        cfn = self.emulator.client("cloudformation")
        ec2 = self.emulator.client("ec2")
        stack = f"s-{uuid.uuid4().hex[:8]}"
        resources = {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.41.0.0/16"}},
            "Subnet": {
                "Type": "AWS::EC2::Subnet",
                "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.41.1.0/24"},
            },
            "Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "Association": {
                "Type": "AWS::EC2::SubnetRouteTableAssociation",
                "Properties": {"SubnetId": {"Ref": "Subnet"}, "RouteTableId": {"Ref": "Table"}},
            },
            "Group": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {"GroupDescription": "g", "VpcId": {"Ref": "Vpc"}},
            },
        }
        cfn.create_stack(StackName=stack, TemplateBody=json.dumps({"Resources": resources}))
        physical = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cfn.describe_stack_resources(StackName=stack)["StackResources"]
        }
        self.assertTrue(physical["Association"].startswith("rtbassoc-"), physical)  # fix 3
        table = ec2.describe_route_tables(RouteTableIds=[physical["Table"]])["RouteTables"][0]
        self.assertIn(physical["Subnet"], [a.get("SubnetId") for a in table["Associations"]])

        resources["Group"]["DeletionPolicy"] = "Retain"  # fix 1: alone, not an update
        cfn.update_stack(StackName=stack, TemplateBody=json.dumps({"Resources": resources}))
        after = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cfn.describe_stack_resources(StackName=stack)["StackResources"]
        }
        self.assertEqual(after["Group"], physical["Group"])

    def test_ecs_describe_services_returns_what_the_service_was_created_with(self) -> None:
        ecs = self.emulator.client("ecs")
        cluster = f"c-{uuid.uuid4().hex[:8]}"
        ecs.create_cluster(clusterName=cluster)
        ecs.register_task_definition(
            family="t", containerDefinitions=[{"name": "a", "image": "x", "memory": 128}]
        )
        strategy = [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
        deployment = {
            "maximumPercent": 200,
            "minimumHealthyPercent": 50,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        }
        placement = [{"type": "spread", "field": "attribute:ecs.availability-zone"}]
        created = ecs.create_service(
            cluster=cluster,
            serviceName="s",
            taskDefinition="t",
            desiredCount=1,
            capacityProviderStrategy=strategy,
            deploymentConfiguration=deployment,
            placementStrategy=placement,
        )["service"]
        described = ecs.describe_services(cluster=cluster, services=["s"])["services"][0]
        for service in (created, described):
            self.assertEqual(service["capacityProviderStrategy"], strategy)
            self.assertEqual(service["deploymentConfiguration"], deployment)
            self.assertEqual(service["placementStrategy"], placement)

        changed = {"maximumPercent": 150, "minimumHealthyPercent": 100}
        ecs.update_service(cluster=cluster, service="s", deploymentConfiguration=changed)
        described = ecs.describe_services(cluster=cluster, services=["s"])["services"][0]
        self.assertEqual(described["deploymentConfiguration"]["maximumPercent"], 150)
        self.assertEqual(described["placementStrategy"], placement)

    def test_describe_security_group_rules_has_group_rule_descriptions(self) -> None:
        ec2 = self.emulator.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
        a = ec2.create_security_group(GroupName="a", Description="a", VpcId=vpc)["GroupId"]
        b = ec2.create_security_group(GroupName="b", Description="b", VpcId=vpc)["GroupId"]
        def tcp(port: int, **target: object) -> dict[str, object]:
            return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **target}

        from_b = [{"GroupId": b, "Description": "from b"}]
        cidr = [{"CidrIp": "10.0.0.0/8", "Description": "cidr"}]
        ec2.authorize_security_group_ingress(
            GroupId=a,
            IpPermissions=[tcp(80, UserIdGroupPairs=from_b), tcp(443, IpRanges=cidr)],
        )
        to_b = [{"GroupId": b, "Description": "to b"}]
        ec2.authorize_security_group_egress(
            GroupId=a, IpPermissions=[tcp(5432, UserIdGroupPairs=to_b)]
        )
        mine = [{"Name": "group-id", "Values": [a]}]
        rules = ec2.describe_security_group_rules(Filters=mine)["SecurityGroupRules"]
        by_port = {(r["IsEgress"], r["FromPort"]): r for r in rules}
        self.assertEqual(by_port[(False, 80)]["Description"], "from b")
        self.assertEqual(by_port[(False, 80)]["ReferencedGroupInfo"]["GroupId"], b)
        self.assertEqual(by_port[(False, 443)]["Description"], "cidr")
        self.assertEqual(by_port[(True, 5432)]["Description"], "to b")
        self.assertNotIn("Description", by_port[(True, -1)])  # the default egress rule has none

    def test_create_dhcp_options_keeps_its_tags(self) -> None:
        ec2 = self.emulator.client("ec2")
        created = ec2.create_dhcp_options(
            DhcpConfigurations=[{"Key": "domain-name", "Values": ["tags.internal"]}],
            TagSpecifications=[
                {"ResourceType": "dhcp-options", "Tags": [{"Key": "infra:stack", "Value": "dhcp"}]}
            ],
        )["DhcpOptions"]
        self.assertIn({"Key": "infra:stack", "Value": "dhcp"}, created.get("Tags", []))
        found = ec2.describe_dhcp_options(
            Filters=[{"Name": "tag:infra:stack", "Values": ["dhcp"]}]
        )["DhcpOptions"]
        self.assertEqual([d["DhcpOptionsId"] for d in found], [created["DhcpOptionsId"]])

    def test_iam_inline_and_trust_policies_without_version(self) -> None:
        iam = self.emulator.client("iam")
        role = f"r-{uuid.uuid4().hex[:8]}"
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
        document = json.dumps(POLICY_WITHOUT_VERSION)
        iam.put_role_policy(RoleName=role, PolicyName="inline", PolicyDocument=document)
        stored = iam.get_role_policy(RoleName=role, PolicyName="inline")["PolicyDocument"]
        self.assertEqual(stored, POLICY_WITHOUT_VERSION)  # stored as given, no Version added
        iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(TRUST))
        old = dict(POLICY_WITHOUT_VERSION, Version="2008-10-17")
        iam.put_role_policy(RoleName=role, PolicyName="old", PolicyDocument=json.dumps(old))
        user = f"u-{uuid.uuid4().hex[:8]}"
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="inline", PolicyDocument=document)
        group = f"g-{uuid.uuid4().hex[:8]}"
        iam.create_group(GroupName=group)
        iam.put_group_policy(GroupName=group, PolicyName="inline", PolicyDocument=document)

        # A managed policy still needs Version 2012-10-17, as on AWS.
        with self.assertRaises(iam.exceptions.MalformedPolicyDocumentException):
            iam.create_policy(PolicyName=f"p-{uuid.uuid4().hex[:8]}", PolicyDocument=document)
        # And a malformed inline policy is still refused.
        with self.assertRaises(iam.exceptions.MalformedPolicyDocumentException):
            empty = json.dumps({"Statement": []})
            iam.put_role_policy(RoleName=role, PolicyName="bad", PolicyDocument=empty)


    def test_efs_file_system_updates(self) -> None:
        # Fix 10: the EFS calls moto lacked, and FileSystemProtection in DescribeFileSystems.
        efs = self.emulator.client("efs")
        fs = efs.create_file_system(CreationToken=f"t-{uuid.uuid4().hex[:8]}")["FileSystemId"]
        described = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]
        protection = described["FileSystemProtection"]["ReplicationOverwriteProtection"]
        self.assertEqual(protection, "ENABLED")
        efs.update_file_system(
            FileSystemId=fs, ThroughputMode="provisioned", ProvisionedThroughputInMibps=64.0
        )
        described = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]
        self.assertEqual(described["ThroughputMode"], "provisioned")
        self.assertEqual(described["ProvisionedThroughputInMibps"], 64.0)
        efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "ENABLED"})
        status = efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"]["Status"]
        self.assertEqual(status, "ENABLED")
        efs.put_file_system_policy(FileSystemId=fs, Policy=json.dumps(POLICY_WITHOUT_VERSION))
        efs.delete_file_system_policy(FileSystemId=fs)
        with self.assertRaises(efs.exceptions.PolicyNotFound):
            efs.describe_file_system_policy(FileSystemId=fs)
        efs.update_file_system_protection(
            FileSystemId=fs, ReplicationOverwriteProtection="DISABLED"
        )
        described = efs.describe_file_systems(FileSystemId=fs)["FileSystems"][0]
        protection = described["FileSystemProtection"]["ReplicationOverwriteProtection"]
        self.assertEqual(protection, "DISABLED")
        efs.delete_file_system(FileSystemId=fs)

    def test_ecr_scan_on_push_defaults_to_false(self) -> None:
        # Fix 11: a configuration without scanOnPush (how the SDKs send false) turns it off.
        ecr = self.emulator.client("ecr")
        name = f"r-{uuid.uuid4().hex[:8]}"
        ecr.create_repository(repositoryName=name, imageScanningConfiguration={"scanOnPush": True})
        ecr.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={})
        repo = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
        self.assertEqual(repo["imageScanningConfiguration"], {"scanOnPush": False})

if __name__ == "__main__":
    unittest.main()
