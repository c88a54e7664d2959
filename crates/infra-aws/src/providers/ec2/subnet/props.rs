//! `AWS::EC2::Subnet` properties: the [`SPEC`] of the properties it maps, the ones the API
//! never reports, and the properties and `Fn::GetAtt` attributes a read observes.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Subnet, SubnetCidrBlockStateCode};

use super::read::Seen;
use crate::generated::ec2::report_subnet;
use crate::providers::ec2::props::{fields, live_block, put};
use crate::providers::ec2::tags;

pub(crate) const SPEC: Keys = crate::generated::ec2::SUBNET;

/// Properties the API never reports.
pub(super) const WRITE_ONLY: &[&str] = &[
    "Ipv4IpamPoolId",
    "Ipv4NetmaskLength",
    "Ipv6IpamPoolId",
    "Ipv6NetmaskLength",
];
const DNS_OPTIONS: &str = "PrivateDnsNameOptionsOnLaunch";

/// The subnet's IPv6 blocks, but those being (or failed to be) associated or disassociated.
fn ipv6_blocks(subnet: &Subnet) -> Vec<&str> {
    subnet
        .ipv6_cidr_block_association_set()
        .iter()
        .filter(|a| {
            let state = a.ipv6_cidr_block_state().and_then(|s| s.state());
            live_block(state.map(SubnetCidrBlockStateCode::as_str))
        })
        .filter_map(|a| a.ipv6_cidr_block())
        .collect()
}

/// Properties as a template writes them: the conversion is generated (`report` of
/// `mappings/ec2.toml`); its IPv6 block, and only the DNS name options the template sets (the
/// others are EC2's and not managed), are added here.
pub(super) fn observed_properties(subnet: &Subnet, last: &Value) -> Map<String, Value> {
    let mut map = fields(report_subnet(subnet));
    let blocks = ipv6_blocks(subnet);
    put(&mut map, "Ipv6CidrBlock", blocks.first().copied());
    let managed = last.get(DNS_OPTIONS).and_then(Value::as_object);
    let options: Map<String, Value> = dns_options(&mut map)
        .into_iter()
        .filter(|(k, _)| managed.is_some_and(|m| m.contains_key(k)))
        .collect();
    map.insert(DNS_OPTIONS.into(), Value::Object(options));
    map.insert("Tags".into(), tags::observed(subnet.tags(), last));
    map
}

/// `PrivateDnsNameOptionsOnLaunch`, taken out of `map`.
fn dns_options(map: &mut Map<String, Value>) -> Map<String, Value> {
    match map.remove(DNS_OPTIONS) {
        Some(Value::Object(options)) => options,
        _ => Map::new(),
    }
}

/// The `Fn::GetAtt` attributes the API reports: the properties observed (the DNS name options
/// one by one), and more.
pub(super) fn attributes(seen: &Seen, last: &Value) -> BTreeMap<String, Value> {
    let subnet = &seen.subnet;
    let mut map = fields(report_subnet(subnet));
    put(&mut map, "SubnetId", subnet.subnet_id());
    let association = seen.acl_association.as_deref();
    put(&mut map, "NetworkAclAssociationId", association);
    let blocks = ipv6_blocks(subnet);
    put(&mut map, "Ipv6CidrBlock", blocks.first().copied());
    map.insert("Ipv6CidrBlocks".into(), json!(blocks));
    put(
        &mut map,
        "BlockPublicAccessStates.InternetGatewayBlockMode",
        subnet
            .block_public_access_states()
            .and_then(|s| s.internet_gateway_block_mode())
            .map(|m| m.as_str()),
    );
    for (key, value) in dns_options(&mut map) {
        map.insert(format!("{DNS_OPTIONS}.{key}"), value);
    }
    map.insert("Tags".into(), tags::observed(subnet.tags(), last));
    map.into_iter().collect()
}
