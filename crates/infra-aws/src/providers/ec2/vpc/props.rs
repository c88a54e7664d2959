//! `AWS::EC2::VPC` properties: the [`SPEC`] of the properties it maps or refuses, the ones
//! the API never reports, and the properties and `Fn::GetAtt` attributes a read observes
//! (with `VpcEncryptionControl.*`).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Vpc, VpcCidrBlockState, VpcCidrBlockStateCode};

use super::read::Seen;
use crate::generated::ec2::{report_vpc, report_vpc_encryption_control};
use crate::providers::ec2::props::{fields, live_block};
use crate::providers::ec2::tags;

pub(crate) const SPEC: Keys = crate::generated::ec2::VPC;

/// Properties the API never reports.
pub(super) const WRITE_ONLY: &[&str] = &["Ipv4IpamPoolId", "Ipv4NetmaskLength"];

/// Properties as a template writes them (DNS attributes are added by the caller); the
/// conversion is generated (`report` of `mappings/ec2.toml`).
pub(super) fn observed_properties(vpc: &Vpc, last: &Value) -> Map<String, Value> {
    let mut map = fields(report_vpc(vpc));
    map.insert("Tags".into(), tags::observed(vpc.tags(), last));
    map
}

/// The `Fn::GetAtt` attributes the API reports: the properties observed, and more.
pub(super) fn attributes(seen: &Seen, last: &Value) -> BTreeMap<String, Value> {
    let vpc = &seen.vpc;
    let mut map: BTreeMap<String, Value> = observed_properties(vpc, last).into_iter().collect();
    if let Some(id) = vpc.vpc_id() {
        map.insert("VpcId".into(), json!(id));
    }
    // Read every time: `AWS::EC2::VPCCidrBlock` associates and disassociates blocks. Blocks
    // on their way out (or that failed) are left out.
    let live = |state: Option<&VpcCidrBlockState>| {
        live_block(
            state
                .and_then(|s| s.state())
                .map(VpcCidrBlockStateCode::as_str),
        )
    };
    let associations: Vec<&str> = vpc
        .cidr_block_association_set()
        .iter()
        .filter(|a| live(a.cidr_block_state()))
        .filter_map(|a| a.association_id())
        .collect();
    map.insert("CidrBlockAssociations".into(), json!(associations));
    let ipv6: Vec<&str> = vpc
        .ipv6_cidr_block_association_set()
        .iter()
        .filter(|a| live(a.ipv6_cidr_block_state()))
        .filter_map(|a| a.ipv6_cidr_block())
        .collect();
    map.insert("Ipv6CidrBlocks".into(), json!(ipv6));
    if let Some(id) = &seen.default_security_group {
        map.insert("DefaultSecurityGroup".into(), json!(id));
    }
    if let Some(id) = &seen.default_network_acl {
        map.insert("DefaultNetworkAcl".into(), json!(id));
    }
    if let Some(control) = vpc.encryption_control() {
        let control = report_vpc_encryption_control(control);
        flatten("VpcEncryptionControl", control, &mut map);
    }
    map
}

/// `VpcEncryptionControl.*`, as far as the SDK in use reports them (the control itself is
/// made by another resource or outside infra; the property is not supported yet): each value
/// of `value` under its dotted path from `name`.
fn flatten(name: &str, value: Value, map: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                flatten(&format!("{name}.{key}"), member, map);
            }
        }
        value => {
            map.insert(name.to_owned(), value);
        }
    }
}
