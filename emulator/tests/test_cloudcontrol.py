"""The Cloud Control endpoint: ProgressEvents, idempotency, reading, updating, deleting, faults,
types it cannot serve."""

import json
import time
import unittest
import uuid
from typing import Any

from .support import Emulator

VPC = "AWS::EC2::VPC"


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class CloudControlTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_script()
        cls.cc = cls.emulator.client("cloudcontrol")
        cls.ec2 = cls.emulator.client("ec2")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def tearDown(self) -> None:
        self.emulator.http("DELETE", "/infra-emulator/faults")

    # helpers -------------------------------------------------------------------------------

    def status(self, token: str) -> dict[str, Any]:
        return self.cc.get_resource_request_status(RequestToken=token)["ProgressEvent"]

    def finish(self, event: dict[str, Any]) -> dict[str, Any]:
        """Polls until the request is final, as a client does."""
        for _ in range(50):
            event = self.status(event["RequestToken"])
            if event["OperationStatus"] not in ("PENDING", "IN_PROGRESS"):
                return event
        self.fail(f"request {event['RequestToken']} never finished")

    def create(self, type_name: str, props: dict[str, Any], **kw: Any) -> dict[str, Any]:
        event = self.cc.create_resource(TypeName=type_name, DesiredState=json.dumps(props), **kw)
        return self.finish(event["ProgressEvent"])

    def update(self, type_name: str, identifier: str, patch: list[Any]) -> dict[str, Any]:
        event = self.cc.update_resource(
            TypeName=type_name, Identifier=identifier, PatchDocument=json.dumps(patch)
        )
        return self.finish(event["ProgressEvent"])

    def delete(self, type_name: str, identifier: str) -> dict[str, Any]:
        event = self.cc.delete_resource(TypeName=type_name, Identifier=identifier)
        return self.finish(event["ProgressEvent"])

    def properties(self, type_name: str, identifier: str) -> dict[str, Any]:
        found = self.cc.get_resource(TypeName=type_name, Identifier=identifier)
        self.assertEqual(found["ResourceDescription"]["Identifier"], identifier)
        return json.loads(found["ResourceDescription"]["Properties"])

    # tests ---------------------------------------------------------------------------------

    def test_create_goes_in_progress_then_success_and_is_visible_to_ec2(self) -> None:
        cidr = "10.11.0.0/16"
        first = self.cc.create_resource(
            TypeName=VPC,
            DesiredState=json.dumps({"CidrBlock": cidr, "Tags": [{"Key": "name", "Value": "cc"}]}),
        )["ProgressEvent"]
        self.assertEqual(first["OperationStatus"], "IN_PROGRESS")
        self.assertEqual(first["Operation"], "CREATE")
        self.assertEqual(first["TypeName"], VPC)
        self.assertIn("EventTime", first)
        self.assertIn("RetryAfter", first)
        token = first["RequestToken"]

        polled = self.status(token)
        self.assertEqual(polled["OperationStatus"], "IN_PROGRESS")
        self.assertIn("RetryAfter", polled)
        self.assertTrue(polled["Identifier"].startswith("vpc-"), polled)

        done = self.status(token)
        self.assertEqual(done["OperationStatus"], "SUCCESS")
        self.assertEqual(done["RequestToken"], token)
        vpc_id = done["Identifier"]
        self.assertEqual(json.loads(done["ResourceModel"])["VpcId"], vpc_id)

        vpcs = self.ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]
        self.assertEqual(vpcs[0]["CidrBlock"], cidr)
        self.assertEqual(vpcs[0]["Tags"], [{"Key": "name", "Value": "cc"}])
        listed = self.cc.list_resources(TypeName=VPC)["ResourceDescriptions"]
        self.assertIn(vpc_id, [d["Identifier"] for d in listed])

    def test_client_token_returns_the_first_request(self) -> None:
        token = uuid.uuid4().hex
        props = json.dumps({"CidrBlock": "10.12.0.0/16"})
        before = len(self.ec2.describe_vpcs()["Vpcs"])
        first = self.cc.create_resource(TypeName=VPC, DesiredState=props, ClientToken=token)
        again = self.cc.create_resource(TypeName=VPC, DesiredState=props, ClientToken=token)
        self.assertEqual(
            first["ProgressEvent"]["RequestToken"], again["ProgressEvent"]["RequestToken"]
        )
        done = self.finish(first["ProgressEvent"])
        after_done = self.cc.create_resource(TypeName=VPC, DesiredState=props, ClientToken=token)
        self.assertEqual(after_done["ProgressEvent"]["RequestToken"], done["RequestToken"])
        self.assertEqual(after_done["ProgressEvent"]["OperationStatus"], "SUCCESS")
        self.assertEqual(after_done["ProgressEvent"]["Identifier"], done["Identifier"])
        self.assertEqual(len(self.ec2.describe_vpcs()["Vpcs"]), before + 1)

        with self.assertRaises(self.cc.exceptions.ClientTokenConflictException):
            other = json.dumps({"CidrBlock": "10.13.0.0/16"})
            self.cc.create_resource(TypeName=VPC, DesiredState=other, ClientToken=token)

    def test_get_shows_a_change_made_through_the_service_api(self) -> None:
        vpc_id = self.create(VPC, {"CidrBlock": "10.14.0.0/16"})["Identifier"]
        self.assertNotIn("Tags", self.properties(VPC, vpc_id))
        self.ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "drift", "Value": "yes"}])
        self.ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        props = self.properties(VPC, vpc_id)
        self.assertEqual(props["Tags"], [{"Key": "drift", "Value": "yes"}])
        self.assertTrue(props["EnableDnsHostnames"])

        group = _unique("logs")
        self.create("AWS::Logs::LogGroup", {"LogGroupName": group, "RetentionInDays": 7})
        logs = self.emulator.client("logs")
        logs.put_retention_policy(logGroupName=group, retentionInDays=30)
        self.assertEqual(self.properties("AWS::Logs::LogGroup", group)["RetentionInDays"], 30)
        logs.delete_log_group(logGroupName=group)
        with self.assertRaises(self.cc.exceptions.ResourceNotFoundException):
            self.cc.get_resource(TypeName="AWS::Logs::LogGroup", Identifier=group)

    def test_update_applies_a_patch(self) -> None:
        vpc_id = self.create(
            VPC, {"CidrBlock": "10.15.0.0/16", "Tags": [{"Key": "a", "Value": "1"}]}
        )["Identifier"]
        done = self.update(
            VPC,
            vpc_id,
            [
                {"op": "add", "path": "/Tags/-", "value": {"Key": "b", "Value": "2"}},
                {"op": "replace", "path": "/EnableDnsHostnames", "value": True},
            ],
        )
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        self.assertEqual(done["Operation"], "UPDATE")
        self.assertEqual(done["Identifier"], vpc_id)
        tags = self.ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["Tags"]
        self.assertEqual(sorted(t["Key"] for t in tags), ["a", "b"])
        attribute = self.ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
        self.assertTrue(attribute["EnableDnsHostnames"]["Value"])

        replaced = self.update(
            VPC, vpc_id, [{"op": "replace", "path": "/CidrBlock", "value": "10.16.0.0/16"}]
        )
        self.assertEqual(replaced["OperationStatus"], "FAILED")
        self.assertEqual(replaced["ErrorCode"], "NotUpdatable")
        self.assertIn("/properties/CidrBlock", replaced["StatusMessage"])

        queue = _unique("q")
        url = self.create("AWS::SQS::Queue", {"QueueName": queue, "DelaySeconds": 1})["Identifier"]
        delay = [{"op": "replace", "path": "/DelaySeconds", "value": 7}]
        self.assertEqual(self.update("AWS::SQS::Queue", url, delay)["OperationStatus"], "SUCCESS")
        sqs = self.emulator.client("sqs")
        own_url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=own_url, AttributeNames=["DelaySeconds"])
        self.assertEqual(attributes["Attributes"]["DelaySeconds"], "7")

    def test_update_of_a_type_without_a_reader_uses_moto_model_and_stored_state(self) -> None:
        name = _unique("stream")
        created = self.create("AWS::Kinesis::Stream", {"Name": name, "ShardCount": 1})
        self.assertEqual(created["OperationStatus"], "SUCCESS", created)
        self.assertEqual(created["Identifier"], name)
        shards = [{"op": "replace", "path": "/ShardCount", "value": 2}]
        done = self.update("AWS::Kinesis::Stream", name, shards)
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        self.assertEqual(self.properties("AWS::Kinesis::Stream", name)["ShardCount"], 2)
        kinesis = self.emulator.client("kinesis")
        summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 2)

    def test_delete(self) -> None:
        vpc_id = self.create(VPC, {"CidrBlock": "10.17.0.0/16"})["Identifier"]
        event = self.cc.delete_resource(TypeName=VPC, Identifier=vpc_id)["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        self.assertEqual(event["Operation"], "DELETE")
        self.assertEqual(event["Identifier"], vpc_id)
        done = self.finish(event)
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        left = self.ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"]
        self.assertEqual(left, [])
        with self.assertRaises(self.cc.exceptions.ResourceNotFoundException):
            self.cc.get_resource(TypeName=VPC, Identifier=vpc_id)

    def test_delete_of_an_unknown_identifier_ends_not_found(self) -> None:
        unknown = "vpc-0123456789abcdef0"
        event = self.cc.delete_resource(TypeName=VPC, Identifier=unknown)["ProgressEvent"]
        self.assertEqual(event["OperationStatus"], "IN_PROGRESS")
        done = self.finish(event)
        self.assertEqual(done["OperationStatus"], "FAILED")
        self.assertEqual(done["ErrorCode"], "NotFound")
        self.assertIn(unknown, done["StatusMessage"])

    def test_injected_throttling_fails_the_request(self) -> None:
        status, added = self.emulator.http(
            "POST",
            "/infra-emulator/faults",
            {"operation": "CreateResource", "type": VPC, "error": "Throttling", "times": 1},
        )
        self.assertEqual(status, 200, added)
        before = len(self.ec2.describe_vpcs()["Vpcs"])
        desired = json.dumps({"CidrBlock": "10.18.0.0/16"})
        event = self.cc.create_resource(TypeName=VPC, DesiredState=desired)
        self.assertEqual(event["ProgressEvent"]["OperationStatus"], "IN_PROGRESS")
        done = self.finish(event["ProgressEvent"])
        self.assertEqual(done["OperationStatus"], "FAILED")
        self.assertEqual(done["ErrorCode"], "Throttling")
        self.assertEqual(len(self.ec2.describe_vpcs()["Vpcs"]), before)  # nothing was made

        # used up: the retry (with a new client token) goes through
        again = self.create(VPC, {"CidrBlock": "10.18.0.0/16"})
        self.assertEqual(again["OperationStatus"], "SUCCESS")

    def test_injected_not_stabilized_after_the_work_and_call_faults(self) -> None:
        self.emulator.http(
            "POST",
            "/infra-emulator/faults",
            [
                {"operation": "CreateResource", "error": "NotStabilized", "applied": True},
                {"operation": "GetResource", "error": "Throttling", "when": "call"},
            ],
        )
        done = self.create(VPC, {"CidrBlock": "10.19.0.0/16"})
        self.assertEqual(done["ErrorCode"], "NotStabilized")
        vpc_id = done["Identifier"]
        self.assertEqual(len(self.ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]), 1)
        once = self.emulator.client(
            "cloudcontrol", retries={"total_max_attempts": 1, "mode": "standard"}
        )
        with self.assertRaises(once.exceptions.ThrottlingException):
            once.get_resource(TypeName=VPC, Identifier=vpc_id)
        self.assertEqual(self.properties(VPC, vpc_id)["VpcId"], vpc_id)
        status, listed = self.emulator.http("GET", "/infra-emulator/faults")
        self.assertEqual([f["fired"] for f in listed["faults"]], [1, 1])

    def test_types_it_cannot_serve(self) -> None:
        with self.assertRaises(self.cc.exceptions.TypeNotFoundException):
            self.cc.create_resource(TypeName="AWS::Nothing::Here", DesiredState="{}")
        with self.assertRaises(self.cc.exceptions.UnsupportedActionException):
            self.cc.create_resource(TypeName="AWS::AppMesh::Mesh", DesiredState='{"MeshName": "m"}')
        done = self.create("AWS::Bedrock::Agent", {"AgentName": "a"})
        self.assertEqual(done["OperationStatus"], "FAILED")
        self.assertEqual(done["ErrorCode"], "InvalidRequest")
        self.assertIn("AWS::Bedrock::Agent", done["StatusMessage"])

    def test_security_group_rules_with_descriptions(self) -> None:
        vpc_id = self.create(VPC, {"CidrBlock": "10.20.0.0/16"})["Identifier"]
        other = self.create(
            "AWS::EC2::SecurityGroup", {"GroupDescription": "other", "VpcId": vpc_id}
        )["Identifier"]
        tcp = {"IpProtocol": "tcp"}
        ingress = [
            {**tcp, "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0", "Description": "https"},
            {
                **tcp,
                "FromPort": 80,
                "ToPort": 80,
                "SourceSecurityGroupId": other,
                "Description": "from other",
            },
        ]
        group = self.create(
            "AWS::EC2::SecurityGroup",
            {"GroupDescription": "web", "VpcId": vpc_id, "SecurityGroupIngress": ingress},
        )["Identifier"]
        mine = [{"Name": "group-id", "Values": [group]}]
        rules = self.ec2.describe_security_group_rules(Filters=mine)
        described = {
            r.get("Description") for r in rules["SecurityGroupRules"] if not r["IsEgress"]
        }
        self.assertEqual(described, {"https", "from other"})
        rename = [
            {"op": "replace", "path": "/SecurityGroupIngress/1/Description", "value": "renamed"}
        ]
        done = self.update("AWS::EC2::SecurityGroup", group, rename)
        self.assertEqual(done["OperationStatus"], "SUCCESS", done)
        self.assertEqual(done["Identifier"], group)  # updated in place, same id
        read = self.properties("AWS::EC2::SecurityGroup", group)["SecurityGroupIngress"]
        self.assertEqual(sorted(r["Description"] for r in read), ["https", "renamed"])

    def test_status_without_polling_settles_and_reset_forgets(self) -> None:
        self.emulator.http("POST", "/infra-emulator/config", {"settle_seconds": 0.2})
        try:
            event = self.cc.create_resource(
                TypeName="AWS::SSM::Parameter",
                DesiredState=json.dumps({"Name": _unique("p"), "Type": "String", "Value": "v"}),
            )["ProgressEvent"]
            time.sleep(0.3)
            self.assertEqual(self.status(event["RequestToken"])["OperationStatus"], "SUCCESS")
        finally:
            self.emulator.http("POST", "/infra-emulator/config", {"settle_seconds": 2.0})


class LazyLoadingTest(unittest.TestCase):
    @staticmethod
    def loaded(emulator: Emulator) -> bool:
        return bool(emulator.http("GET", "/infra-emulator/")[1]["moto_cloudformation_loaded"])

    def test_cloudformation_models_load_on_the_first_cloudcontrol_request(self) -> None:
        emulator = Emulator.via_server()
        try:
            status, info = emulator.http("GET", "/infra-emulator/")
            self.assertEqual(status, 200)
            self.assertFalse(info["moto_cloudformation_loaded"])
            emulator.client("ec2").describe_vpcs()  # moto's own APIs do not load them
            self.assertFalse(self.loaded(emulator))
            cc = emulator.client("cloudcontrol")
            cc.list_resources(TypeName=VPC)
            self.assertTrue(self.loaded(emulator))
            # moto's reset still works, and forgets Cloud Control's requests too
            token = cc.create_resource(
                TypeName=VPC, DesiredState=json.dumps({"CidrBlock": "10.21.0.0/16"})
            )["ProgressEvent"]["RequestToken"]
            self.assertEqual(emulator.http("POST", "/moto-api/reset", raw=True)[0], 200)
            with self.assertRaises(cc.exceptions.RequestTokenNotFoundException):
                cc.get_resource_request_status(RequestToken=token)
        finally:
            emulator.stop()


if __name__ == "__main__":
    unittest.main()
