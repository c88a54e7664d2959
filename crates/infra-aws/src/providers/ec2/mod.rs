//! EC2 network providers: one module per resource type, all the same shape (a `SPEC` of the
//! properties it maps or refuses, create / update / delete / batched read, waiters, tags).
//!
//! | type | module | `Ref` | waits for |
//! |---|---|---|---|
//! | `AWS::EC2::VPC` | [`vpc`] | VPC id | `available`; gone after delete |
//! | `AWS::EC2::Subnet` | [`subnet`] | subnet id | `available`; gone after delete |
//! | `AWS::EC2::InternetGateway` | [`internet_gateway`] | gateway id | |
//! | `AWS::EC2::VPCGatewayAttachment` | [`gateway_attachment`] | `IGW\|vpc-...` / `VGW\|vpc-...` | attached; detached |
//! | `AWS::EC2::RouteTable` | [`route_table`] | route table id | visible; gone after delete |
//! | `AWS::EC2::Route` | [`route`] | `rtb-...\|destination` | in the table; out of it |
//! | `AWS::EC2::SubnetRouteTableAssociation` | [`subnet_route_table_association`] | association id | `associated`; gone |
//! | `AWS::EC2::EIP` | [`eip`] | public IP (allocation id in `AllocationId`) | |
//! | `AWS::EC2::NatGateway` | [`nat_gateway`] | NAT gateway id | `available`; `deleted` |
//! | `AWS::EC2::SecurityGroup` | [`security_group`] | group id | visible |
//! | `AWS::EC2::SecurityGroupIngress` | [`security_group_ingress`] | rule id | |
//! | `AWS::EC2::SecurityGroupEgress` | [`security_group_egress`] | rule id | |
//!
//! Shared pieces: [`api`] (client, error classes, id batching, propagation retries),
//! [`props`] (reading template properties, refusing unsupported ones by name, reporting
//! observed ones), [`tags`], [`wait`], [`sg_rules`], [`standalone_rule`] and [`find`].
//!
//! # Finding what an interrupted create made
//!
//! `find` ([`find`] has the shared rules) looks for what a create killed between its AWS call
//! and the state write may have made, and returns what that create would have returned (never
//! the object a replacement replaces, which carries the same tags):
//!
//! | type | found by |
//! |---|---|
//! | `VPC`, `Subnet`, `InternetGateway`, `RouteTable`, `EIP`, `NatGateway`, `SecurityGroup` | infra tags, given in the create call: `Describe*` filtered by `tag:infra:stack` and `tag:infra:address`, each answer checked against them; `deleting` / `deleted` / `failed` objects are left out; two candidates are an error naming both |
//! | `VPCGatewayAttachment` (not taggable) | natural key: the gateway (`InternetGatewayId` / `VpnGatewayId`) attached or attaching to `VpcId` |
//! | `Route` (not taggable) | natural key: the route of `RouteTableId` to its destination, through the template's target |
//! | `SubnetRouteTableAssociation` (not taggable) | natural key: the live association of `SubnetId` with `RouteTableId` |
//! | `SecurityGroupIngress` / `SecurityGroupEgress` (not taggable) | natural key: the same rule (protocol, ports, peer) in the same direction of the group (`GroupId`, or `GroupName` in the default VPC) |
//!
//! Code follows AWS's documented behaviour (the CloudFormation resource reference and the EC2
//! API reference), with Terraform's AWS provider as the reference for waiters, eventual
//! consistency and error codes.

mod api;
mod find;
mod props;
mod sg_rules;
mod standalone_rule;
mod tags;
mod wait;

mod eip;
mod gateway_attachment;
mod internet_gateway;
mod nat_gateway;
mod route;
mod route_table;
mod security_group;
mod security_group_egress;
mod security_group_ingress;
mod subnet;
mod subnet_route_table_association;
mod vpc;

use aws_sdk_ec2::Client;

use crate::provider::Providers;
use crate::providers::kit;

/// The types this module provides.
pub const TYPES: &[&str] = &[
    vpc::TYPE,
    subnet::TYPE,
    internet_gateway::TYPE,
    gateway_attachment::TYPE,
    route_table::TYPE,
    route::TYPE,
    subnet_route_table_association::TYPE,
    eip::TYPE,
    nat_gateway::TYPE,
    security_group::TYPE,
    security_group_ingress::TYPE,
    security_group_egress::TYPE,
];

/// The spec of every provider, in the order of [`TYPES`].
pub(crate) const SPECS: &[&props::Spec] = &[
    &vpc::SPEC,
    &subnet::SPEC,
    &internet_gateway::SPEC,
    &gateway_attachment::SPEC,
    &route_table::SPEC,
    &route::SPEC,
    &subnet_route_table_association::SPEC,
    &eip::SPEC,
    &nat_gateway::SPEC,
    &security_group::SPEC,
    &security_group_ingress::SPEC,
    &security_group_egress::SPEC,
];

/// The top-level properties `type_name` refuses whatever their value (its spec's
/// `unsupported`), `None` for a type this module does not provide.
pub(crate) fn refused_properties(type_name: &str) -> Option<&'static [&'static str]> {
    SPECS
        .iter()
        .find(|spec| spec.type_name == type_name)
        .map(|spec| spec.unsupported)
}

/// Registers every EC2 provider, sharing `client`; `endpoint` is the URL it calls, for error
/// messages (see [`crate::config::endpoint_for`]).
pub fn register(providers: &mut Providers, client: &Client, endpoint: &str) {
    let ec2 = api::ec2(client.clone(), endpoint);
    let rule = |direction, spec| standalone_rule::StandaloneRule {
        ec2: ec2.clone(),
        direction,
        spec,
    };
    providers.insert(kit::native(vpc::VpcProvider { ec2: ec2.clone() }));
    providers.insert(kit::native(subnet::SubnetProvider { ec2: ec2.clone() }));
    providers.insert(kit::native(internet_gateway::InternetGatewayProvider {
        ec2: ec2.clone(),
    }));
    providers.insert(kit::native(gateway_attachment::GatewayAttachmentProvider {
        ec2: ec2.clone(),
    }));
    providers.insert(kit::native(route_table::RouteTableProvider {
        ec2: ec2.clone(),
    }));
    providers.insert(kit::native(route::RouteProvider { ec2: ec2.clone() }));
    providers.insert(kit::native(
        subnet_route_table_association::SubnetRouteTableAssociationProvider { ec2: ec2.clone() },
    ));
    providers.insert(kit::native(eip::EipProvider { ec2: ec2.clone() }));
    providers.insert(kit::native(nat_gateway::NatGatewayProvider {
        ec2: ec2.clone(),
    }));
    providers.insert(kit::native(security_group::SecurityGroupProvider {
        ec2: ec2.clone(),
    }));
    providers.insert(kit::native(
        security_group_ingress::SecurityGroupIngressProvider {
            rule: rule(sg_rules::Direction::Ingress, &security_group_ingress::SPEC),
        },
    ));
    providers.insert(kit::native(
        security_group_egress::SecurityGroupEgressProvider {
            rule: rule(sg_rules::Direction::Egress, &security_group_egress::SPEC),
        },
    ));
}

#[cfg(test)]
mod tests;
