//! Finding what an interrupted create made ([`crate::provider::ResourceProvider::find`]): what
//! the EC2 providers share.
//!
//! A taggable type is found by the infra tags its create call gave it: one `Describe*` (pages
//! followed) with a `tag:infra:stack` and a `tag:infra:address` filter. Every answer is checked
//! against those tags again, so an endpoint that ignores a filter can never make a resource
//! adopt another's object; objects in a state that no longer counts (deleting, deleted,
//! failed) are left out. Two candidates left is an error naming both ids (say, two VPCs with
//! the same tags after an earlier failure): the engine must not guess which one is its own.
//!
//! A type that cannot be tagged is found by its natural key, in its own module: a gateway
//! attachment by VPC and gateway, a route by table, destination and target, an association by
//! subnet and table, a standalone rule by group and rule.
//!
//! The object a replacement replaces carries the same tags (and may have the same natural key):
//! it is never the answer ([`FindInput::replacing`]).
//!
//! A find only reads; where the create waits (a VPC or subnet becoming `available`, a NAT
//! gateway leaving `pending`, an association becoming `associated`), the find waits the same
//! way, so what it returns is as usable as what the create returns.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    Address, DhcpOptions, Filter, FlowLog, InternetGateway, KeyPairInfo, NatGateway, NetworkAcl,
    RouteTable, SecurityGroup, SecurityGroupRule, Subnet, Tag, Vpc, VpcEndpoint,
};

use super::api::filter;
use crate::providers::kit::prelude::*;

/// An EC2 object that carries tags.
pub(crate) trait Tagged {
    /// Its id (`vpc-...`, `eipalloc-...`, ...).
    fn id(&self) -> Option<&str>;
    /// What `Ref` returns for it: its id, but for an address (its public IP).
    fn physical_id(&self) -> Option<&str> {
        self.id()
    }
    /// Its tags.
    fn tags(&self) -> &[Tag];
    /// Its state, when it has one.
    fn state(&self) -> Option<&str> {
        None
    }
}

/// The [`crate::provider::Coverage`] of a type read in batches by `$operation` (`$how`: how
/// many ids per call, pages) and found by its infra tags with the same operation.
macro_rules! tag_coverage {
    ($operation:literal, $how:literal) => {
        crate::provider::Coverage::native(
            crate::provider::Refresh::Batched,
            concat!($operation, " ", $how),
            crate::provider::Find::Tags,
            concat!($operation, " filtered by the infra tags"),
        )
    };
}
pub(crate) use tag_coverage;

/// States in which an object is as good as gone (in any case: VPC endpoints spell theirs
/// `Deleted`): never adopted, and read as gone. An egress-only internet gateway whose
/// attachment is `detached` is deleted.
const DEAD_STATES: &[&str] = &[
    "deleting",
    "deleted",
    "detached",
    "expired",
    "failed",
    "failed-insufficient-capacity",
    "rejected",
];

/// Whether `object` is in a state that is as good as gone.
pub(crate) fn is_dead(object: &impl Tagged) -> bool {
    object
        .state()
        .is_some_and(|s| DEAD_STATES.iter().any(|d| d.eq_ignore_ascii_case(s)))
}

/// The state of `object` while it is not `available` yet (`unknown` when it says none).
pub(crate) fn unavailable(object: &impl Tagged) -> Option<String> {
    let state = object.state().unwrap_or("unknown");
    (state != "available").then(|| state.to_owned())
}

/// `impl Tagged` for SDK objects whose id is `$id()`, whose physical id is `$physical()` when
/// `/ $physical` follows (else the id), and whose state is `state()` when `state` follows.
macro_rules! tagged {
    ($($ty:ty => $id:ident $(/ $physical:ident)? $(, $state:ident)?;)*) => {$(
        impl Tagged for $ty {
            fn id(&self) -> Option<&str> {
                self.$id()
            }
            $(fn physical_id(&self) -> Option<&str> {
                self.$physical()
            })?
            fn tags(&self) -> &[Tag] {
                self.tags()
            }
            $(fn $state(&self) -> Option<&str> {
                self.state().map(|s| s.as_str())
            })?
        }
    )*};
}

tagged! {
    Vpc => vpc_id, state;
    Subnet => subnet_id, state;
    InternetGateway => internet_gateway_id;
    RouteTable => route_table_id;
    NatGateway => nat_gateway_id, state;
    SecurityGroup => group_id;
    SecurityGroupRule => security_group_rule_id;
    NetworkAcl => network_acl_id;
    DhcpOptions => dhcp_options_id;
    FlowLog => flow_log_id;
    VpcEndpoint => vpc_endpoint_id, state;
    // The tags are on the allocation; `Ref` is the public IP.
    Address => allocation_id / public_ip;
    // `Ref` is the key name.
    KeyPairInfo => key_pair_id / key_name;
}

/// The `Describe*` filters selecting what carries the create's infra tags (one `tag:KEY`
/// filter per tag). No tags to look for is an error: an untagged object is never adopted.
pub(crate) fn tag_filters(input: &FindInput, doing: &str) -> Result<Vec<Filter>, ProviderError> {
    if input.tags.is_empty() {
        return Err(ProviderError::fatal(format!(
            "{doing}: no infra:stack / infra:address tags to find it by"
        )));
    }
    Ok(input
        .tags
        .iter()
        .map(|(key, value)| filter(&format!("tag:{key}"), std::slice::from_ref(value)))
        .collect())
}

/// Whether `tags` hold every one of `infra` (the create's `infra:stack` and `infra:address`).
fn carries(tags: &[Tag], infra: &BTreeMap<String, String>) -> bool {
    !infra.is_empty()
        && infra.iter().all(|(key, value)| {
            tags.iter()
                .any(|t| t.key() == Some(key.as_str()) && t.value() == Some(value.as_str()))
        })
}

/// The one object of `found` that carries the create's infra tags, is not dead and is not the
/// object being replaced, with its id; `None` when there is none; an error naming them when
/// there are several. `what` names the kind of object in that message (`VPC`, `NAT gateway`).
pub(crate) fn pick<T: Tagged>(
    found: Vec<T>,
    input: &FindInput,
    what: &str,
    doing: &str,
) -> Result<Option<(String, T)>, ProviderError> {
    let mut mine: Vec<(String, T)> = found
        .into_iter()
        .filter(|o| carries(o.tags(), &input.tags))
        .filter(|o| !is_dead(o))
        .filter(|o| input.replacing.is_none() || o.physical_id() != input.replacing.as_deref())
        .filter_map(|o| Some((o.id()?.to_owned(), o)))
        .collect();
    mine.dedup_by(|a, b| a.0 == b.0);
    let tag = |key| input.tags.get(key).map_or("(none)", String::as_str);
    let ids: Vec<&str> = mine.iter().map(|(id, _)| id.as_str()).collect();
    match mine.len() {
        0 | 1 => Ok(mine.pop()),
        n => Err(ProviderError::fatal(format!(
            "{doing}: {n} {what}s carry its tags infra:stack={} infra:address={} ({}); \
             delete the extra ones (or remove their infra:* tags) so that only one is adopted",
            tag("infra:stack"),
            tag("infra:address"),
            ids.join(", ")
        ))),
    }
}

#[cfg(test)]
#[path = "tests/find.rs"]
mod tests;
