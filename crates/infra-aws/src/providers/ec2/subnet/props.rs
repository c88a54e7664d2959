//! `AWS::EC2::Subnet` properties: the [`SPEC`] of the properties it maps, the ones the API
//! never reports, and the properties and `Fn::GetAtt` attributes a read observes.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{HostnameType, Subnet, SubnetCidrBlockStateCode};
use serde_json::{Map, Value, json};

use super::TYPE;
use super::read::Seen;
use crate::providers::ec2::props::{Spec, put, spec};
use crate::providers::ec2::tags;

pub(crate) const SPEC: Spec = spec!(TYPE, SUBNET);

/// Properties the API never reports.
pub(super) const WRITE_ONLY: &[&str] = &[
    "Ipv4IpamPoolId",
    "Ipv4NetmaskLength",
    "Ipv6IpamPoolId",
    "Ipv6NetmaskLength",
];
/// The subnet's IPv6 blocks, but those being (or failed to be) associated or disassociated.
fn ipv6_blocks(subnet: &Subnet) -> Vec<&str> {
    subnet
        .ipv6_cidr_block_association_set()
        .iter()
        .filter(|a| {
            !matches!(
                a.ipv6_cidr_block_state().and_then(|s| s.state()),
                Some(
                    SubnetCidrBlockStateCode::Disassociating
                        | SubnetCidrBlockStateCode::Disassociated
                        | SubnetCidrBlockStateCode::Failing
                        | SubnetCidrBlockStateCode::Failed
                )
            )
        })
        .filter_map(|a| a.ipv6_cidr_block())
        .collect()
}

/// `PrivateDnsNameOptionsOnLaunch` as a template writes it.
fn dns_options(subnet: &Subnet) -> Map<String, Value> {
    let mut map = Map::new();
    if let Some(options) = subnet.private_dns_name_options_on_launch() {
        put(
            &mut map,
            "HostnameType",
            options.hostname_type().map(HostnameType::as_str),
        );
        put(
            &mut map,
            "EnableResourceNameDnsARecord",
            options.enable_resource_name_dns_a_record(),
        );
        put(
            &mut map,
            "EnableResourceNameDnsAAAARecord",
            options.enable_resource_name_dns_aaaa_record(),
        );
    }
    map
}

/// Properties as a template writes them.
pub(super) fn observed_properties(subnet: &Subnet, last: &Value) -> Map<String, Value> {
    let mut map = Map::new();
    put(&mut map, "VpcId", subnet.vpc_id());
    put(&mut map, "CidrBlock", subnet.cidr_block());
    put(&mut map, "AvailabilityZone", subnet.availability_zone());
    put(
        &mut map,
        "AvailabilityZoneId",
        subnet.availability_zone_id(),
    );
    put(
        &mut map,
        "MapPublicIpOnLaunch",
        subnet.map_public_ip_on_launch(),
    );
    put(
        &mut map,
        "AssignIpv6AddressOnCreation",
        subnet.assign_ipv6_address_on_creation(),
    );
    put(&mut map, "EnableDns64", subnet.enable_dns64());
    put(
        &mut map,
        "EnableLniAtDeviceIndex",
        subnet.enable_lni_at_device_index(),
    );
    put(&mut map, "Ipv6Native", subnet.ipv6_native());
    put(&mut map, "OutpostArn", subnet.outpost_arn());
    put(
        &mut map,
        "Ipv6CidrBlock",
        ipv6_blocks(subnet).first().copied(),
    );
    // Only the options the template sets: the others are EC2's and not managed.
    let managed: Vec<&str> = last
        .get("PrivateDnsNameOptionsOnLaunch")
        .and_then(Value::as_object)
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let options: Map<String, Value> = dns_options(subnet)
        .into_iter()
        .filter(|(k, _)| managed.contains(&k.as_str()))
        .collect();
    map.insert(
        "PrivateDnsNameOptionsOnLaunch".into(),
        Value::Object(options),
    );
    tags::put_observed(&mut map, subnet.tags(), last);
    map
}

/// The `Fn::GetAtt` attributes the API reports.
pub(super) fn attributes(seen: &Seen, last: &Value) -> BTreeMap<String, Value> {
    let subnet = &seen.subnet;
    let mut map = Map::new();
    put(&mut map, "SubnetId", subnet.subnet_id());
    put(&mut map, "VpcId", subnet.vpc_id());
    put(&mut map, "CidrBlock", subnet.cidr_block());
    put(&mut map, "AvailabilityZone", subnet.availability_zone());
    put(
        &mut map,
        "AvailabilityZoneId",
        subnet.availability_zone_id(),
    );
    put(
        &mut map,
        "NetworkAclAssociationId",
        seen.acl_association.clone(),
    );
    put(
        &mut map,
        "MapPublicIpOnLaunch",
        subnet.map_public_ip_on_launch(),
    );
    put(
        &mut map,
        "AssignIpv6AddressOnCreation",
        subnet.assign_ipv6_address_on_creation(),
    );
    put(&mut map, "EnableDns64", subnet.enable_dns64());
    put(
        &mut map,
        "EnableLniAtDeviceIndex",
        subnet.enable_lni_at_device_index(),
    );
    put(&mut map, "Ipv6Native", subnet.ipv6_native());
    put(&mut map, "OutpostArn", subnet.outpost_arn());
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
    for (key, value) in dns_options(subnet) {
        map.insert(format!("PrivateDnsNameOptionsOnLaunch.{key}"), value);
    }
    map.insert("Tags".into(), tags::observed(subnet.tags(), last));
    map.into_iter().collect()
}
