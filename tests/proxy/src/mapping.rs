//! Which API operation creates, updates or deletes which CloudFormation resource type: the one
//! table the proxy's latency and the benchmark's critical-path bound both read. The rows live
//! in one module per service family (`ec2`, `identity`, `compute`, `integration`, `storage`,
//! `dns`), gathered in [`OPERATIONS`].
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
//!   balancer), `PutRetentionPolicy` (part of creating a log group), an S3 bucket's `PutBucket*`
//!   configurations, a DynamoDB table's `UpdateTimeToLive` / `UpdateContinuousBackups`, a KMS
//!   key's `EnableKeyRotation` / `DisableKey`, an access key's `UpdateAccessKey` (an inactive
//!   key's create), a hosted zone's `AssociateVPCWithHostedZone`, an event rule's
//!   `PutTargets` / `RemoveTargets`.
//! - An operation used by several rows costs what its first row says:
//!   `PutClusterCapacityProviders` is the create, update and delete of
//!   `AWS::ECS::ClusterCapacityProviderAssociations`, and `PutRolePolicy` /
//!   `AuthorizeSecurityGroupIngress` / `AuthorizeSecurityGroupEgress` also carry a role's
//!   inline policies and a security group's inline rules, which therefore cost a policy's or a
//!   rule's time on top of the role's or group's. `ReplaceNetworkAclAssociation` and
//!   `AssociateDhcpOptions` are the create and the delete of their association types (a delete
//!   goes back to the VPC's default). Cloud Map's `DeleteNamespace` deletes all three namespace
//!   types and costs a private DNS namespace's delete. `SetQueueAttributes` /
//!   `SetTopicAttributes` are a queue or topic policy's create and delete and also a queue's or
//!   topic's update; `ChangeResourceRecordSets` is a record set's create, update and delete;
//!   `AddUserToGroup` also serves a user's own `Groups`; `PutParameter` also stores a created
//!   key pair's private key.
//! - The same name in two services is told apart by the service: ECS and Cloud Map both have
//!   `CreateService` / `DeleteService` / `UpdateService`, Auto Scaling and Application Auto
//!   Scaling both have `PutScalingPolicy`, IAM and Auto Scaling both have `DeletePolicy`, ELBv2
//!   and EventBridge both have `DeleteRule`. Only an unsigned request (service `unknown`) falls
//!   back to the first row.
//! - A resource whose create or delete call answers at once and finishes later (NAT gateways,
//!   load balancers, Cloud Map namespaces (`GetOperation` until `SUCCESS`), EFS file systems and
//!   mount targets (their `Describe*` until the lifecycle state), DynamoDB tables
//!   (`DescribeTable` until `ACTIVE` or gone), Route 53 changes (`GetChange` until `INSYNC`))
//!   has the model's whole time charged to that call (the emulator reports such resources
//!   finished at once, so the client's first poll after it sees them done); the polls cost an
//!   API call each.

use std::sync::LazyLock;

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

/// A row of the table.
pub(crate) const fn row(
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

/// Declares `const fn NAME(resource_type, lifecycle, operation)`, a row of the service whose
/// signing name is `SERVICE`, for the family modules.
macro_rules! service {
    ($name:ident, $service:literal) => {
        #[doc = concat!("A row of `", $service, "`.")]
        const fn $name(
            resource_type: &'static str,
            lifecycle: $crate::mapping::Lifecycle,
            operation: &'static str,
        ) -> $crate::mapping::OperationMapping {
            $crate::mapping::row(resource_type, lifecycle, $service, operation)
        }
    };
}

mod compute;
mod dns;
mod ec2;
mod identity;
mod integration;
mod storage;

/// The families of the table, in the order their rows are matched: IAM's `DeletePolicy`
/// before Auto Scaling's, ECS's `CreateService` before Cloud Map's, ELBv2's `DeleteRule` before
/// EventBridge's (only an unsigned request, of service `unknown`, sees the difference).
const FAMILIES: &[&[OperationMapping]] = &[
    ec2::ROWS,
    identity::ROWS,
    compute::ROWS,
    integration::ROWS,
    storage::ROWS,
    dns::ROWS,
];

/// The table: the operation that creates, updates or deletes each resource type, family by
/// family (`ec2`, `identity`, `compute`, `integration`, `storage`, `dns`).
pub static OPERATIONS: LazyLock<Vec<OperationMapping>> = LazyLock::new(|| FAMILIES.concat());

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
