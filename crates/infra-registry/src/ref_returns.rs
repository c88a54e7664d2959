//! What `Ref` returns for each supported type, as CloudFormation documents it
//! under "Return values / Ref" of each resource's reference page. Provider
//! schemas do not say this, so the table is written by hand; the build fails
//! for a supported type that has no entry here.

use crate::const_str;

use self::RefKind::{Arn, Name, Other, PhysicalId};

/// What `Ref` of a resource returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefReturn {
    /// What the value is, with an example, e.g. "the VPC ID, e.g. vpc-0a1b2c3d".
    pub description: &'static str,
    /// What kind of value it is.
    pub kind: RefKind,
    /// The property or `Fn::GetAtt` attribute of the same resource that holds
    /// the same value, when there is one (`VpcId` for a VPC, `RoleName` for a
    /// role).
    pub same_as: Option<&'static str>,
}

/// The kind of value `Ref` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// The identifier the service generated for the resource (`vpc-...`,
    /// `sg-...`, `lt-...`), the one its API calls take.
    PhysicalId,
    /// The resource's name, given in the template or generated.
    Name,
    /// The resource's ARN.
    Arn,
    /// Something else: an address (EIP) or an identifier of no use to other
    /// resources (route, gateway attachment, inline policy).
    Other,
}

const fn entry(
    type_name: &'static str,
    kind: RefKind,
    description: &'static str,
    same_as: Option<&'static str>,
) -> (&'static str, RefReturn) {
    (
        type_name,
        RefReturn {
            description,
            kind,
            same_as,
        },
    )
}

/// One entry per supported type, in type name order.
#[rustfmt::skip]
pub(crate) const REF_RETURNS: &[(&str, RefReturn)] = &[
    entry("AWS::ApplicationAutoScaling::ScalableTarget", Other, "a generated identifier of the scalable target, resource ID|scalable dimension|service namespace, e.g. service/my-cluster/my-service|ecs:service:DesiredCount|ecs", Some("Id")),
    entry("AWS::ApplicationAutoScaling::ScalingPolicy", Arn, "the scaling policy ARN", Some("Arn")),
    entry("AWS::AutoScaling::AutoScalingGroup", Name, "the Auto Scaling group name, e.g. mystack-myasg-NT5EUXTNTXXD", Some("AutoScalingGroupName")),
    entry("AWS::AutoScaling::LaunchConfiguration", Name, "the launch configuration name, e.g. mystack-mylaunchconfig-1DDYF1E3B3I", Some("LaunchConfigurationName")),
    entry("AWS::AutoScaling::LifecycleHook", Name, "the lifecycle hook name", Some("LifecycleHookName")),
    entry("AWS::AutoScaling::ScalingPolicy", Arn, "the scaling policy ARN", Some("Arn")),
    entry("AWS::AutoScaling::ScheduledAction", Name, "the scheduled action name, e.g. mystack-myscheduledaction-NT5EUXTNTXXD", Some("ScheduledActionName")),
    entry("AWS::CloudWatch::Alarm", Name, "the alarm name, e.g. mystack-myalarm-3AOHFRGOXR5T", Some("AlarmName")),
    entry("AWS::CloudWatch::Dashboard", Name, "the dashboard name", Some("DashboardName")),
    entry("AWS::DynamoDB::Table", Name, "the table name, e.g. mystack-mytable-NXBLE", Some("TableName")),
    entry("AWS::EC2::DHCPOptions", PhysicalId, "the DHCP options set ID, e.g. dopt-0a1b2c3d", Some("DhcpOptionsId")),
    entry("AWS::EC2::EIP", Other, "the Elastic IP address, e.g. 192.0.2.10 (not the allocation ID)", Some("PublicIp")),
    entry("AWS::EC2::EgressOnlyInternetGateway", PhysicalId, "the egress-only internet gateway ID, e.g. eigw-0a1b2c3d4e5f6a7b8", Some("Id")),
    entry("AWS::EC2::FlowLog", PhysicalId, "the flow log ID, e.g. fl-0a1b2c3d4e5f6a7b8", Some("Id")),
    entry("AWS::EC2::InternetGateway", PhysicalId, "the internet gateway ID, e.g. igw-0a1b2c3d", Some("InternetGatewayId")),
    entry("AWS::EC2::KeyPair", Name, "the key pair name, e.g. my-key-pair (not the key pair ID)", Some("KeyName")),
    entry("AWS::EC2::LaunchTemplate", PhysicalId, "the launch template ID, e.g. lt-01238c059e3466abc", Some("LaunchTemplateId")),
    entry("AWS::EC2::NatGateway", PhysicalId, "the NAT gateway ID, e.g. nat-0a12bc456789de0fg", Some("NatGatewayId")),
    entry("AWS::EC2::NetworkAcl", PhysicalId, "the network ACL ID, e.g. acl-0a1b2c3d", Some("Id")),
    entry("AWS::EC2::NetworkAclEntry", Other, "an identifier of the entry (ACL, direction, rule number), of no use to other resources", Some("Id")),
    entry("AWS::EC2::Route", Other, "an identifier of the route, of no use to other resources", None),
    entry("AWS::EC2::RouteTable", PhysicalId, "the route table ID, e.g. rtb-0a1b2c3d", Some("RouteTableId")),
    entry("AWS::EC2::SecurityGroup", PhysicalId, "the security group ID, e.g. sg-0a1b2c3d", Some("GroupId")),
    entry("AWS::EC2::SecurityGroupEgress", PhysicalId, "the security group rule ID, e.g. sgr-0a1b2c3d", Some("Id")),
    entry("AWS::EC2::SecurityGroupIngress", PhysicalId, "the security group rule ID, e.g. sgr-0a1b2c3d", Some("Id")),
    entry("AWS::EC2::Subnet", PhysicalId, "the subnet ID, e.g. subnet-0a1b2c3d", Some("SubnetId")),
    entry("AWS::EC2::SubnetNetworkAclAssociation", PhysicalId, "the association ID, e.g. aclassoc-0a1b2c3d", Some("AssociationId")),
    entry("AWS::EC2::SubnetRouteTableAssociation", PhysicalId, "the association ID, e.g. rtbassoc-0a1b2c3d", Some("Id")),
    entry("AWS::EC2::VPC", PhysicalId, "the VPC ID, e.g. vpc-0a1b2c3d", Some("VpcId")),
    entry("AWS::EC2::VPCCidrBlock", PhysicalId, "the association ID of the CIDR block, e.g. vpc-cidr-assoc-0a1b2c3d", Some("Id")),
    entry("AWS::EC2::VPCDHCPOptionsAssociation", Other, "an identifier of the association, of no use to other resources", None),
    entry("AWS::EC2::VPCEndpoint", PhysicalId, "the VPC endpoint ID, e.g. vpce-0a1b2c3d4e5f6a7b8", Some("Id")),
    entry("AWS::EC2::VPCGatewayAttachment", Other, "an identifier of the attachment, of no use to other resources", None),
    entry("AWS::ECR::Repository", Name, "the repository name, e.g. test-repository", Some("RepositoryName")),
    entry("AWS::ECS::CapacityProvider", Name, "the capacity provider name, e.g. mystack-MyCapacityProvider-JrwYBzxovGfr", Some("Name")),
    entry("AWS::ECS::Cluster", Name, "the cluster name, e.g. mystack-MyECSCluster-NT5EUXTNTXXD", Some("ClusterName")),
    entry("AWS::ECS::ClusterCapacityProviderAssociations", Name, "the cluster name", Some("Cluster")),
    entry("AWS::ECS::Service", Arn, "the service ARN, e.g. arn:aws:ecs:us-west-2:123456789012:service/my-cluster/sample-webapp", Some("ServiceArn")),
    entry("AWS::ECS::TaskDefinition", Arn, "the task definition ARN with its revision, e.g. arn:aws:ecs:us-west-2:123456789012:task-definition/family:1", Some("TaskDefinitionArn")),
    entry("AWS::EFS::AccessPoint", PhysicalId, "the access point ID, e.g. fsap-0123456789abcdef0", Some("AccessPointId")),
    entry("AWS::EFS::FileSystem", PhysicalId, "the file system ID, e.g. fs-47a2c22e", Some("FileSystemId")),
    entry("AWS::EFS::MountTarget", PhysicalId, "the mount target ID, e.g. fsmt-55a4413c", Some("Id")),
    entry("AWS::ElasticLoadBalancingV2::Listener", Arn, "the listener ARN", Some("ListenerArn")),
    entry("AWS::ElasticLoadBalancingV2::ListenerRule", Arn, "the listener rule ARN", Some("RuleArn")),
    entry("AWS::ElasticLoadBalancingV2::LoadBalancer", Arn, "the load balancer ARN", Some("LoadBalancerArn")),
    entry("AWS::ElasticLoadBalancingV2::TargetGroup", Arn, "the target group ARN", Some("TargetGroupArn")),
    entry("AWS::Events::Rule", Name, "the rule name, e.g. mystack-ScheduledRule-ABCDEFGHIJK (on an event bus other than the default: bus name|rule name)", None),
    entry("AWS::IAM::AccessKey", PhysicalId, "the access key ID, e.g. AKIAIOSFODNN7EXAMPLE", None),
    entry("AWS::IAM::Group", Name, "the group name, e.g. mystack-mygroup-1DZETITOWEKVO", Some("GroupName")),
    entry("AWS::IAM::InstanceProfile", Name, "the instance profile name", Some("InstanceProfileName")),
    entry("AWS::IAM::ManagedPolicy", Arn, "the policy ARN, e.g. arn:aws:iam::123456789012:policy/mystack-MyPolicy-16M23YE3CS700", Some("PolicyArn")),
    entry("AWS::IAM::Policy", Other, "a generated identifier of the inline policy, of no use to other resources", Some("Id")),
    entry("AWS::IAM::Role", Name, "the role name, e.g. mystack-MyRole-AJJHDSKSDF", Some("RoleName")),
    entry("AWS::IAM::User", Name, "the user name, e.g. mystack-myuser-1CCXAFG2H2U4D", Some("UserName")),
    entry("AWS::IAM::UserToGroupAddition", Other, "an identifier of the addition, of no use to other resources", Some("Id")),
    entry("AWS::KMS::Alias", Name, "the alias name, e.g. alias/myAlias", Some("AliasName")),
    entry("AWS::KMS::Key", PhysicalId, "the key ID, e.g. 1234abcd-12ab-34cd-56ef-1234567890ab", Some("KeyId")),
    entry("AWS::Lambda::Function", Name, "the function name", Some("FunctionName")),
    entry("AWS::Lambda::Permission", Other, "an identifier of the permission (function ARN|statement id), of no use to other resources", Some("Id")),
    entry("AWS::Logs::LogGroup", Name, "the log group name", Some("LogGroupName")),
    entry("AWS::Logs::ResourcePolicy", Name, "the policy name", Some("PolicyName")),
    entry("AWS::Route53::HostedZone", PhysicalId, "the hosted zone ID, e.g. Z23ABC4XYZL05B", Some("Id")),
    entry("AWS::Route53::RecordSet", Other, "the record's domain name, e.g. www.example.com", None),
    entry("AWS::S3::Bucket", Name, "the bucket name, e.g. mystack-mybucket-kdwwxmddtr2g", Some("BucketName")),
    entry("AWS::S3::BucketPolicy", Other, "an identifier of the policy (the bucket name), of no use to other resources", None),
    entry("AWS::SNS::Subscription", Arn, "the subscription ARN", Some("Arn")),
    entry("AWS::SNS::Topic", Arn, "the topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:mystack-mytopic-NZJ5JSMVGFIE", Some("TopicArn")),
    entry("AWS::SNS::TopicPolicy", Other, "an identifier of the policy, of no use to other resources", Some("Id")),
    entry("AWS::SQS::Queue", Other, "the queue URL, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/mystack-myqueue-15PG5C2FC1CW8", Some("QueueUrl")),
    entry("AWS::SQS::QueuePolicy", Other, "an identifier of the policy, of no use to other resources", Some("Id")),
    entry("AWS::SSM::Parameter", Name, "the parameter name, e.g. /myapp/config", Some("Name")),
    entry("AWS::SecretsManager::Secret", Arn, "the secret ARN, e.g. arn:aws:secretsmanager:us-east-1:123456789012:secret:MySecret-a1b2c3", Some("Id")),
    entry("AWS::ServiceDiscovery::HttpNamespace", PhysicalId, "the namespace ID, e.g. ns-e4anhexample0004", Some("Id")),
    entry("AWS::ServiceDiscovery::PrivateDnsNamespace", PhysicalId, "the namespace ID, e.g. ns-e4anhexample0004", Some("Id")),
    entry("AWS::ServiceDiscovery::PublicDnsNamespace", PhysicalId, "the namespace ID, e.g. ns-e4anhexample0004", Some("Id")),
    entry("AWS::ServiceDiscovery::Service", PhysicalId, "the service ID, e.g. srv-e4anhexample0004", Some("Id")),
];

/// The entry for `type_name`; a missing entry stops compilation with
/// `missing_message` (this is evaluated while building the registry statics).
pub(crate) const fn ref_return_for(type_name: &str, missing_message: &str) -> RefReturn {
    let mut i = 0;
    while i < REF_RETURNS.len() {
        if const_str::eq(REF_RETURNS[i].0, type_name) {
            return REF_RETURNS[i].1;
        }
        i += 1;
    }
    panic!("{}", missing_message)
}

#[cfg(test)]
mod tests {
    use super::REF_RETURNS;

    #[test]
    fn entries_are_sorted_unique_and_name_supported_types() {
        assert!(REF_RETURNS.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (type_name, ref_return) in REF_RETURNS {
            let resource_type = crate::lookup(type_name)
                .unwrap_or_else(|| panic!("{type_name} is in the Ref table but not supported"));
            assert_eq!(&resource_type.ref_returns, ref_return);
            assert!(!ref_return.description.is_empty());
            if let Some(name) = ref_return.same_as {
                assert!(
                    resource_type.property(name).is_some()
                        || resource_type.attribute(name).is_some(),
                    "{type_name}: same_as {name} is neither a property nor an attribute"
                );
            }
        }
    }
}
