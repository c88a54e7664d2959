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
//! | `AWS::EC2::SecurityGroupIngress` | [`standalone_rule`] | rule id | |
//! | `AWS::EC2::SecurityGroupEgress` | [`standalone_rule`] | rule id | |
//! | `AWS::EC2::NetworkAcl` | [`network_acl`] | network ACL id | visible; gone after delete |
//! | `AWS::EC2::NetworkAclEntry` | [`network_acl_entry`] | `acl-...\|ingress\|100` | |
//! | `AWS::EC2::SubnetNetworkAclAssociation` | [`subnet_network_acl_association`] | association id | |
//! | `AWS::EC2::EgressOnlyInternetGateway` | [`egress_only_internet_gateway`] | gateway id | `attached`; gone after delete |
//! | `AWS::EC2::DHCPOptions` | [`dhcp_options`] | DHCP options id | visible; gone after delete |
//! | `AWS::EC2::VPCDHCPOptionsAssociation` | [`vpc_dhcp_options_association`] | `dopt-...\|vpc-...` | the VPC uses the set |
//! | `AWS::EC2::VPCCidrBlock` | [`vpc_cidr_block`] | association id | `associated`; gone |
//! | `AWS::EC2::VPCEndpoint` | [`vpc_endpoint`] | endpoint id | `available`; gone after delete |
//! | `AWS::EC2::FlowLog` | [`flow_log`] | flow log id | visible; gone after delete |
//! | `AWS::EC2::KeyPair` | [`key_pair`] | key name (private key in SSM) | visible; gone after delete |
//!
//! Shared pieces: [`api`] (client, error classes, id batching, paginated describes, propagation
//! retries), [`props`] (reading template properties, refusing unsupported ones by name,
//! reporting observed ones), [`association`] (the life the untaggable associations share: a
//! subnet's route table or network ACL, a VPC's DHCP options, gateway or further CIDR block),
//! [`tags`], [`wait`], [`sg_rules`], [`standalone_rule`], [`find`]
//! and [`object`] (the whole life of a taggable object that one create call makes, one describe
//! reads and one delete call removes: VPCs, subnets, internet gateways, route tables, network
//! ACLs, egress-only gateways, DHCP options, VPC endpoints, flow logs, NAT gateways and key pairs
//! say only what is their own).
//!
//! # Finding what an interrupted create made
//!
//! `find` ([`find`] has the shared rules) looks for what a create killed between its AWS call
//! and the state write may have made, and returns what that create would have returned (never
//! the object a replacement replaces, which carries the same tags):
//!
//! | type | found by |
//! |---|---|
//! | `VPC`, `Subnet`, `InternetGateway`, `RouteTable`, `EIP`, `NatGateway`, `SecurityGroup`, `NetworkAcl`, `EgressOnlyInternetGateway`, `DHCPOptions`, `VPCEndpoint`, `FlowLog`, `KeyPair` | infra tags, given in the create call: `Describe*` filtered by `tag:infra:stack` and `tag:infra:address`, each answer checked against them; `deleting` / `deleted` / `failed` objects are left out; two candidates are an error naming both |
//! | `VPCGatewayAttachment` (not taggable) | natural key: the gateway (`InternetGatewayId` / `VpnGatewayId`) attached or attaching to `VpcId` |
//! | `Route` (not taggable) | natural key: the route of `RouteTableId` to its destination, through the template's target |
//! | `SubnetRouteTableAssociation` (not taggable) | natural key: the live association of `SubnetId` with `RouteTableId` |
//! | `NetworkAclEntry` (not taggable) | natural key: the entry of `NetworkAclId` with its rule number and direction, holding the template's values |
//! | `SubnetNetworkAclAssociation` (not taggable) | natural key: the association of `SubnetId`, when it is with `NetworkAclId` |
//! | `VPCDHCPOptionsAssociation` (not taggable) | natural key: the VPC, when it uses `DhcpOptionsId` |
//! | `VPCCidrBlock` (not taggable) | natural key: the VPC's live block of the same family with the template's block or pool |
//! | `SecurityGroupIngress` / `SecurityGroupEgress` (not taggable) | natural key: the same rule (protocol, ports, peer) in the same direction of the group (`GroupId`, or `GroupName` in the default VPC) |
//!
//! Code follows AWS's documented behaviour (the CloudFormation resource reference and the EC2
//! API reference), with Terraform's AWS provider as the reference for waiters, eventual
//! consistency and error codes.

mod api;
mod association;
mod find;
mod object;
mod props;
mod sg_rules;
mod standalone_rule;
pub(crate) mod tags;
mod wait;

mod dhcp_options;
mod egress_only_internet_gateway;
mod eip;
mod flow_log;
mod gateway_attachment;
mod internet_gateway;
mod key_pair;
mod nat_gateway;
mod network_acl;
mod network_acl_entry;
mod route;
mod route_table;
mod security_group;
mod subnet;
mod subnet_network_acl_association;
mod subnet_route_table_association;
mod vpc;
mod vpc_cidr_block;
mod vpc_dhcp_options_association;
mod vpc_endpoint;

use aws_sdk_ec2::Client;

use association::Associations;
use object::ObjectProvider;
use standalone_rule::{Egress, Ingress, RuleType, StandaloneRule};

use crate::provider::Providers;
use crate::providers::kit::prelude::*;

/// `TYPES`, the types this module provides, and `SPECS`, the keys of each in the same order,
/// from one list of their modules.
macro_rules! types {
    ($($module:ident),*; rules: $($rule:ty),*) => {
        /// The types this module provides.
        pub const TYPES: &[&str] = &[$($module::TYPE,)* $(<$rule as RuleType>::TYPE),*];

        /// The keys of every provider, in the order of [`TYPES`].
        #[cfg(test)]
        pub(crate) const SPECS: &[Keys] = &[$($module::SPEC,)* $(<$rule as RuleType>::SPEC),*];
    };
}

types!(
    vpc,
    subnet,
    internet_gateway,
    gateway_attachment,
    route_table,
    route,
    subnet_route_table_association,
    eip,
    nat_gateway,
    security_group,
    network_acl,
    network_acl_entry,
    subnet_network_acl_association,
    egress_only_internet_gateway,
    dhcp_options,
    vpc_dhcp_options_association,
    vpc_cidr_block,
    vpc_endpoint,
    flow_log,
    key_pair;
    rules: Ingress, Egress
);

/// Registers every EC2 provider, sharing `client`; `endpoint` is the URL it calls, for error
/// messages (see [`crate::config::endpoint_for`]). `ssm` (calling `ssm_endpoint`) keeps the
/// private keys of the key pairs infra creates.
pub fn register(
    providers: &mut Providers,
    client: &Client,
    endpoint: &str,
    ssm: &aws_sdk_ssm::Client,
    ssm_endpoint: &str,
) {
    let ec2 = api::ec2(client.clone(), endpoint);
    // Each object type and each association type (whose provider holds only the client).
    macro_rules! register {
        (objects: $($object:expr),*; associations: $($module:ident::$provider:ident),*) => {
            $(ObjectProvider::register(providers, &ec2, $object);)*
            $(providers.insert(kit::native(Associations($module::$provider { ec2: ec2.clone() })));)*
        };
    }
    register!(
        objects:
            vpc::VpcType { ec2: ec2.clone() },
            subnet::SubnetType { ec2: ec2.clone() },
            internet_gateway::InternetGatewayType,
            route_table::RouteTableType,
            eip::EipType,
            nat_gateway::NatGatewayType,
            network_acl::NetworkAclType,
            egress_only_internet_gateway::EgressOnlyInternetGatewayType,
            dhcp_options::DhcpOptionsType,
            vpc_endpoint::VpcEndpoints,
            flow_log::FlowLogType,
            key_pair::KeyPairType { ssm: kit::Service::new(ssm.clone(), "ssm", ssm_endpoint) };
        associations:
            gateway_attachment::GatewayAttachmentProvider,
            route::RouteProvider,
            subnet_route_table_association::SubnetRouteTableAssociationProvider,
            network_acl_entry::NetworkAclEntryProvider,
            subnet_network_acl_association::SubnetNetworkAclAssociationProvider,
            vpc_dhcp_options_association::VpcDhcpOptionsAssociationProvider,
            vpc_cidr_block::VpcCidrBlockProvider
    );
    let group = security_group::SecurityGroupProvider { ec2: ec2.clone() };
    providers.insert(kit::native(group));
    providers.insert(kit::native(StandaloneRule::<Ingress>::new(ec2.clone())));
    providers.insert(kit::native(StandaloneRule::<Egress>::new(ec2)));
}

#[cfg(test)]
mod tests;
