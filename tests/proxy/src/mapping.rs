//! Which API operation creates, updates or deletes which CloudFormation resource type: the one
//! table the proxy's latency and the benchmark's critical-path bound both read.
//!
//! Each row names the operation whose answer, in AWS, comes when the resource is usable by its
//! dependents (what the latency model's seconds measure), so the proxy charges the model's time
//! to that one call and [`API call`](crate::LatencyModel::api_call_seconds) time to every other.
//! Rules for the table:
//!
//! - Every type of the latency model and every type `infra` supports has a `Create` and a
//!   `Delete` row (tested).
//! - An `Update` row only where the operation is used for updates alone. Operations that also
//!   run inside another type's create or delete have none: `ModifyVpcAttribute` and
//!   `ModifySubnetAttribute` (part of creating a VPC or subnet), `UpdateService` (the first
//!   step of deleting a service), `ModifyLoadBalancerAttributes` (part of creating a load
//!   balancer), `PutRetentionPolicy` (part of creating a log group).
//! - An operation used by several rows costs what its first row says:
//!   `PutClusterCapacityProviders` is the create, update and delete of
//!   `AWS::ECS::ClusterCapacityProviderAssociations`, and `PutRolePolicy` /
//!   `AuthorizeSecurityGroupIngress` / `AuthorizeSecurityGroupEgress` also carry a role's
//!   inline policies and a security group's inline rules, which therefore cost a policy's or a
//!   rule's time on top of the role's or group's. `ReplaceNetworkAclAssociation` and
//!   `AssociateDhcpOptions` are the create and the delete of their association types (a delete
//!   goes back to the VPC's default). Cloud Map's `DeleteNamespace` deletes all three namespace
//!   types and costs a private DNS namespace's delete.
//! - The same name in two services is told apart by the service: ECS and Cloud Map both have
//!   `CreateService` / `DeleteService` / `UpdateService`, Auto Scaling and Application Auto
//!   Scaling both have `PutScalingPolicy`, IAM and Auto Scaling both have `DeletePolicy`. Only
//!   an unsigned request (service `unknown`) falls back to the first row.
//! - A resource whose create or delete call answers at once and finishes later (NAT gateways,
//!   load balancers, Cloud Map namespaces (`GetOperation` until `SUCCESS`), EFS file systems and
//!   mount targets (their `Describe*` until the lifecycle state)) has the model's whole time
//!   charged to that call (the emulator reports such resources finished at once, so the
//!   client's first poll after it sees them done); the polls cost an API call each.

/// A step of a resource's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lifecycle {
    /// Creating it.
    Create,
    /// Updating it in place.
    Update,
    /// Deleting it.
    Delete,
}

impl Lifecycle {
    /// `create`, `update` or `delete`, as the latency model spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Create => "create",
            Lifecycle::Update => "update",
            Lifecycle::Delete => "delete",
        }
    }
}

/// One row of [`OPERATIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMapping {
    /// The CloudFormation type, such as `AWS::EC2::NatGateway`.
    pub resource_type: &'static str,
    /// Which step of its life the operation is.
    pub lifecycle: Lifecycle,
    /// The service's signing name (`ec2`, `ecs`, `elasticloadbalancing`, ...).
    pub service: &'static str,
    /// The operation, as [`crate::identify`] names it.
    pub operation: &'static str,
}

const fn row(
    resource_type: &'static str,
    lifecycle: Lifecycle,
    service: &'static str,
    operation: &'static str,
) -> OperationMapping {
    OperationMapping {
        resource_type,
        lifecycle,
        service,
        operation,
    }
}

use Lifecycle::{Create, Delete, Update};

/// The table: the operation that creates, updates or deletes each resource type.
pub const OPERATIONS: &[OperationMapping] = &[
    // EC2 network.
    row("AWS::EC2::VPC", Create, "ec2", "CreateVpc"),
    row("AWS::EC2::VPC", Delete, "ec2", "DeleteVpc"),
    row("AWS::EC2::Subnet", Create, "ec2", "CreateSubnet"),
    row("AWS::EC2::Subnet", Delete, "ec2", "DeleteSubnet"),
    row(
        "AWS::EC2::InternetGateway",
        Create,
        "ec2",
        "CreateInternetGateway",
    ),
    row(
        "AWS::EC2::InternetGateway",
        Delete,
        "ec2",
        "DeleteInternetGateway",
    ),
    row(
        "AWS::EC2::VPCGatewayAttachment",
        Create,
        "ec2",
        "AttachInternetGateway",
    ),
    row(
        "AWS::EC2::VPCGatewayAttachment",
        Delete,
        "ec2",
        "DetachInternetGateway",
    ),
    row("AWS::EC2::RouteTable", Create, "ec2", "CreateRouteTable"),
    row("AWS::EC2::RouteTable", Delete, "ec2", "DeleteRouteTable"),
    row("AWS::EC2::Route", Create, "ec2", "CreateRoute"),
    row("AWS::EC2::Route", Update, "ec2", "ReplaceRoute"),
    row("AWS::EC2::Route", Delete, "ec2", "DeleteRoute"),
    row(
        "AWS::EC2::SubnetRouteTableAssociation",
        Create,
        "ec2",
        "AssociateRouteTable",
    ),
    row(
        "AWS::EC2::SubnetRouteTableAssociation",
        Update,
        "ec2",
        "ReplaceRouteTableAssociation",
    ),
    row(
        "AWS::EC2::SubnetRouteTableAssociation",
        Delete,
        "ec2",
        "DisassociateRouteTable",
    ),
    row("AWS::EC2::EIP", Create, "ec2", "AllocateAddress"),
    row("AWS::EC2::EIP", Delete, "ec2", "ReleaseAddress"),
    row("AWS::EC2::NatGateway", Create, "ec2", "CreateNatGateway"),
    row("AWS::EC2::NatGateway", Delete, "ec2", "DeleteNatGateway"),
    row(
        "AWS::EC2::SecurityGroup",
        Create,
        "ec2",
        "CreateSecurityGroup",
    ),
    row(
        "AWS::EC2::SecurityGroup",
        Delete,
        "ec2",
        "DeleteSecurityGroup",
    ),
    row(
        "AWS::EC2::SecurityGroupIngress",
        Create,
        "ec2",
        "AuthorizeSecurityGroupIngress",
    ),
    row(
        "AWS::EC2::SecurityGroupIngress",
        Update,
        "ec2",
        "UpdateSecurityGroupRuleDescriptionsIngress",
    ),
    row(
        "AWS::EC2::SecurityGroupIngress",
        Delete,
        "ec2",
        "RevokeSecurityGroupIngress",
    ),
    row(
        "AWS::EC2::SecurityGroupEgress",
        Create,
        "ec2",
        "AuthorizeSecurityGroupEgress",
    ),
    row(
        "AWS::EC2::SecurityGroupEgress",
        Update,
        "ec2",
        "UpdateSecurityGroupRuleDescriptionsEgress",
    ),
    row(
        "AWS::EC2::SecurityGroupEgress",
        Delete,
        "ec2",
        "RevokeSecurityGroupEgress",
    ),
    row("AWS::EC2::NetworkAcl", Create, "ec2", "CreateNetworkAcl"),
    row("AWS::EC2::NetworkAcl", Delete, "ec2", "DeleteNetworkAcl"),
    row(
        "AWS::EC2::NetworkAclEntry",
        Create,
        "ec2",
        "CreateNetworkAclEntry",
    ),
    row(
        "AWS::EC2::NetworkAclEntry",
        Update,
        "ec2",
        "ReplaceNetworkAclEntry",
    ),
    row(
        "AWS::EC2::NetworkAclEntry",
        Delete,
        "ec2",
        "DeleteNetworkAclEntry",
    ),
    row(
        "AWS::EC2::SubnetNetworkAclAssociation",
        Create,
        "ec2",
        "ReplaceNetworkAclAssociation",
    ),
    row(
        "AWS::EC2::SubnetNetworkAclAssociation",
        Delete,
        "ec2",
        "ReplaceNetworkAclAssociation",
    ),
    row(
        "AWS::EC2::EgressOnlyInternetGateway",
        Create,
        "ec2",
        "CreateEgressOnlyInternetGateway",
    ),
    row(
        "AWS::EC2::EgressOnlyInternetGateway",
        Delete,
        "ec2",
        "DeleteEgressOnlyInternetGateway",
    ),
    row(
        "AWS::EC2::VPCCidrBlock",
        Create,
        "ec2",
        "AssociateVpcCidrBlock",
    ),
    row(
        "AWS::EC2::VPCCidrBlock",
        Delete,
        "ec2",
        "DisassociateVpcCidrBlock",
    ),
    row("AWS::EC2::VPCEndpoint", Create, "ec2", "CreateVpcEndpoint"),
    row("AWS::EC2::VPCEndpoint", Update, "ec2", "ModifyVpcEndpoint"),
    row("AWS::EC2::VPCEndpoint", Delete, "ec2", "DeleteVpcEndpoints"),
    row("AWS::EC2::FlowLog", Create, "ec2", "CreateFlowLogs"),
    row("AWS::EC2::FlowLog", Delete, "ec2", "DeleteFlowLogs"),
    row("AWS::EC2::KeyPair", Create, "ec2", "CreateKeyPair"),
    row("AWS::EC2::KeyPair", Create, "ec2", "ImportKeyPair"),
    row("AWS::EC2::KeyPair", Delete, "ec2", "DeleteKeyPair"),
    row("AWS::EC2::DHCPOptions", Create, "ec2", "CreateDhcpOptions"),
    row("AWS::EC2::DHCPOptions", Delete, "ec2", "DeleteDhcpOptions"),
    row(
        "AWS::EC2::VPCDHCPOptionsAssociation",
        Create,
        "ec2",
        "AssociateDhcpOptions",
    ),
    row(
        "AWS::EC2::VPCDHCPOptionsAssociation",
        Delete,
        "ec2",
        "AssociateDhcpOptions",
    ),
    // Compute.
    row(
        "AWS::EC2::LaunchTemplate",
        Create,
        "ec2",
        "CreateLaunchTemplate",
    ),
    row(
        "AWS::EC2::LaunchTemplate",
        Update,
        "ec2",
        "CreateLaunchTemplateVersion",
    ),
    row(
        "AWS::EC2::LaunchTemplate",
        Delete,
        "ec2",
        "DeleteLaunchTemplate",
    ),
    row(
        "AWS::AutoScaling::AutoScalingGroup",
        Create,
        "autoscaling",
        "CreateAutoScalingGroup",
    ),
    row(
        "AWS::AutoScaling::AutoScalingGroup",
        Update,
        "autoscaling",
        "UpdateAutoScalingGroup",
    ),
    row(
        "AWS::AutoScaling::AutoScalingGroup",
        Delete,
        "autoscaling",
        "DeleteAutoScalingGroup",
    ),
    row("AWS::Lambda::Function", Create, "lambda", "CreateFunction"),
    row(
        "AWS::Lambda::Function",
        Update,
        "lambda",
        "UpdateFunctionConfiguration",
    ),
    row("AWS::Lambda::Function", Delete, "lambda", "DeleteFunction"),
    // IAM.
    row("AWS::IAM::Role", Create, "iam", "CreateRole"),
    row("AWS::IAM::Role", Update, "iam", "UpdateAssumeRolePolicy"),
    row("AWS::IAM::Role", Delete, "iam", "DeleteRole"),
    row(
        "AWS::IAM::InstanceProfile",
        Create,
        "iam",
        "CreateInstanceProfile",
    ),
    row(
        "AWS::IAM::InstanceProfile",
        Delete,
        "iam",
        "DeleteInstanceProfile",
    ),
    row("AWS::IAM::Policy", Create, "iam", "PutRolePolicy"),
    row("AWS::IAM::Policy", Update, "iam", "PutRolePolicy"),
    row("AWS::IAM::Policy", Delete, "iam", "DeleteRolePolicy"),
    row("AWS::IAM::ManagedPolicy", Create, "iam", "CreatePolicy"),
    row(
        "AWS::IAM::ManagedPolicy",
        Update,
        "iam",
        "CreatePolicyVersion",
    ),
    row("AWS::IAM::ManagedPolicy", Delete, "iam", "DeletePolicy"),
    // ECS.
    row("AWS::ECS::Cluster", Create, "ecs", "CreateCluster"),
    row("AWS::ECS::Cluster", Update, "ecs", "UpdateCluster"),
    row("AWS::ECS::Cluster", Delete, "ecs", "DeleteCluster"),
    row(
        "AWS::ECS::CapacityProvider",
        Create,
        "ecs",
        "CreateCapacityProvider",
    ),
    row(
        "AWS::ECS::CapacityProvider",
        Update,
        "ecs",
        "UpdateCapacityProvider",
    ),
    row(
        "AWS::ECS::CapacityProvider",
        Delete,
        "ecs",
        "DeleteCapacityProvider",
    ),
    row(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        Create,
        "ecs",
        "PutClusterCapacityProviders",
    ),
    row(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        Update,
        "ecs",
        "PutClusterCapacityProviders",
    ),
    row(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        Delete,
        "ecs",
        "PutClusterCapacityProviders",
    ),
    row(
        "AWS::ECS::TaskDefinition",
        Create,
        "ecs",
        "RegisterTaskDefinition",
    ),
    row(
        "AWS::ECS::TaskDefinition",
        Delete,
        "ecs",
        "DeregisterTaskDefinition",
    ),
    row("AWS::ECS::Service", Create, "ecs", "CreateService"),
    row("AWS::ECS::Service", Delete, "ecs", "DeleteService"),
    // ELBv2.
    row(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Create,
        "elasticloadbalancing",
        "CreateLoadBalancer",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Delete,
        "elasticloadbalancing",
        "DeleteLoadBalancer",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Create,
        "elasticloadbalancing",
        "CreateTargetGroup",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Update,
        "elasticloadbalancing",
        "ModifyTargetGroup",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Delete,
        "elasticloadbalancing",
        "DeleteTargetGroup",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::Listener",
        Create,
        "elasticloadbalancing",
        "CreateListener",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::Listener",
        Update,
        "elasticloadbalancing",
        "ModifyListener",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::Listener",
        Delete,
        "elasticloadbalancing",
        "DeleteListener",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        Create,
        "elasticloadbalancing",
        "CreateRule",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        Update,
        "elasticloadbalancing",
        "ModifyRule",
    ),
    row(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        Delete,
        "elasticloadbalancing",
        "DeleteRule",
    ),
    // CloudWatch Logs.
    row("AWS::Logs::LogGroup", Create, "logs", "CreateLogGroup"),
    row("AWS::Logs::LogGroup", Delete, "logs", "DeleteLogGroup"),
    // Scaling.
    row(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        Create,
        "application-autoscaling",
        "RegisterScalableTarget",
    ),
    row(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        Delete,
        "application-autoscaling",
        "DeregisterScalableTarget",
    ),
    row(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        Create,
        "application-autoscaling",
        "PutScalingPolicy",
    ),
    row(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        Delete,
        "application-autoscaling",
        "DeleteScalingPolicy",
    ),
    row(
        "AWS::AutoScaling::LaunchConfiguration",
        Create,
        "autoscaling",
        "CreateLaunchConfiguration",
    ),
    row(
        "AWS::AutoScaling::LaunchConfiguration",
        Delete,
        "autoscaling",
        "DeleteLaunchConfiguration",
    ),
    row(
        "AWS::AutoScaling::LifecycleHook",
        Create,
        "autoscaling",
        "PutLifecycleHook",
    ),
    row(
        "AWS::AutoScaling::LifecycleHook",
        Delete,
        "autoscaling",
        "DeleteLifecycleHook",
    ),
    row(
        "AWS::AutoScaling::ScalingPolicy",
        Create,
        "autoscaling",
        "PutScalingPolicy",
    ),
    row(
        "AWS::AutoScaling::ScalingPolicy",
        Delete,
        "autoscaling",
        "DeletePolicy",
    ),
    row(
        "AWS::AutoScaling::ScheduledAction",
        Create,
        "autoscaling",
        "PutScheduledUpdateGroupAction",
    ),
    row(
        "AWS::AutoScaling::ScheduledAction",
        Delete,
        "autoscaling",
        "DeleteScheduledAction",
    ),
    // CloudWatch.
    row(
        "AWS::CloudWatch::Alarm",
        Create,
        "monitoring",
        "PutMetricAlarm",
    ),
    row(
        "AWS::CloudWatch::Alarm",
        Delete,
        "monitoring",
        "DeleteAlarms",
    ),
    row(
        "AWS::CloudWatch::Dashboard",
        Create,
        "monitoring",
        "PutDashboard",
    ),
    row(
        "AWS::CloudWatch::Dashboard",
        Delete,
        "monitoring",
        "DeleteDashboards",
    ),
    // Cloud Map. Namespace calls answer with an OperationId at once and finish later (polled
    // with GetOperation); like NAT gateways, the call itself carries the time.
    row(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        Create,
        "servicediscovery",
        "CreatePrivateDnsNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        Update,
        "servicediscovery",
        "UpdatePrivateDnsNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        Delete,
        "servicediscovery",
        "DeleteNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::PublicDnsNamespace",
        Create,
        "servicediscovery",
        "CreatePublicDnsNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::PublicDnsNamespace",
        Update,
        "servicediscovery",
        "UpdatePublicDnsNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::PublicDnsNamespace",
        Delete,
        "servicediscovery",
        "DeleteNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::HttpNamespace",
        Create,
        "servicediscovery",
        "CreateHttpNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::HttpNamespace",
        Update,
        "servicediscovery",
        "UpdateHttpNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::HttpNamespace",
        Delete,
        "servicediscovery",
        "DeleteNamespace",
    ),
    row(
        "AWS::ServiceDiscovery::Service",
        Create,
        "servicediscovery",
        "CreateService",
    ),
    row(
        "AWS::ServiceDiscovery::Service",
        Update,
        "servicediscovery",
        "UpdateService",
    ),
    row(
        "AWS::ServiceDiscovery::Service",
        Delete,
        "servicediscovery",
        "DeleteService",
    ),
    // EFS. Each create and delete is followed by DescribeFileSystems / DescribeMountTargets /
    // DescribeAccessPoints polls until the lifecycle state is reached; the call carries the time.
    row(
        "AWS::EFS::FileSystem",
        Create,
        "elasticfilesystem",
        "CreateFileSystem",
    ),
    row(
        "AWS::EFS::FileSystem",
        Update,
        "elasticfilesystem",
        "UpdateFileSystem",
    ),
    row(
        "AWS::EFS::FileSystem",
        Delete,
        "elasticfilesystem",
        "DeleteFileSystem",
    ),
    row(
        "AWS::EFS::MountTarget",
        Create,
        "elasticfilesystem",
        "CreateMountTarget",
    ),
    row(
        "AWS::EFS::MountTarget",
        Update,
        "elasticfilesystem",
        "ModifyMountTargetSecurityGroups",
    ),
    row(
        "AWS::EFS::MountTarget",
        Delete,
        "elasticfilesystem",
        "DeleteMountTarget",
    ),
    row(
        "AWS::EFS::AccessPoint",
        Create,
        "elasticfilesystem",
        "CreateAccessPoint",
    ),
    row(
        "AWS::EFS::AccessPoint",
        Delete,
        "elasticfilesystem",
        "DeleteAccessPoint",
    ),
    // ECR.
    row("AWS::ECR::Repository", Create, "ecr", "CreateRepository"),
    row(
        "AWS::ECR::Repository",
        Update,
        "ecr",
        "PutImageTagMutability",
    ),
    row(
        "AWS::ECR::Repository",
        Update,
        "ecr",
        "PutImageScanningConfiguration",
    ),
    row("AWS::ECR::Repository", Delete, "ecr", "DeleteRepository"),
];

/// The resource type and step an operation of `service` stands for (the first matching row of
/// [`OPERATIONS`]); `None` for reads and every other operation. A `service` of `unknown`
/// matches any service.
pub fn resource_operation(service: &str, operation: &str) -> Option<(&'static str, Lifecycle)> {
    OPERATIONS
        .iter()
        .find(|m| m.operation == operation && (service == "unknown" || m.service == service))
        .map(|m| (m.resource_type, m.lifecycle))
}

/// The operations that perform `lifecycle` of `resource_type`.
pub fn operations_for(
    resource_type: &str,
    lifecycle: Lifecycle,
) -> impl Iterator<Item = &'static OperationMapping> + '_ {
    OPERATIONS
        .iter()
        .filter(move |m| m.resource_type == resource_type && m.lifecycle == lifecycle)
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;
