//! `AWS::EC2::VPCEndpoint` (gateway, interface and the other kinds the API takes), an
//! [`Object`]:
//!
//! - create: `CreateVpcEndpoint` with its tags, then wait until `available` (or
//!   `pendingAcceptance`: a service that accepts endpoints by hand; the wait is the service
//!   owner's). Terraform's provider allows 10 minutes.
//! - update: `ModifyVpcEndpoint` with the route tables, subnets and security groups added and
//!   removed, the policy (or `ResetPolicy` when the template drops it), private DNS, the IP
//!   address type and the DNS options that changed; then tags; then wait until `available`.
//! - read: `DescribeVpcEndpoints` by `VpcEndpointIds` (chunks of 200, pages followed; see
//!   [`each_or_all`]); `deleting`, `deleted`, `rejected`, `failed` and `expired` endpoints are
//!   gone.
//! - delete: `DeleteVpcEndpoints` (which reports a failure per endpoint in its answer rather
//!   than as an error), then wait until it is gone.
//! - find: by its infra tags.
//!
//! The create request, the IP address type and DNS options of an update, and most of what a read
//! reports are converted by code generated from the schema (`generated/ec2.rs`, mapped in
//! `mappings/ec2.toml`).
//!
//! `Ref` and `Fn::GetAtt Id` are the endpoint id; `Fn::GetAtt` also gives `CreationTimestamp`,
//! `NetworkInterfaceIds` and `DnsEntries` (each `hosted-zone-id:dns-name`, as CloudFormation
//! writes them). `PolicyDocument` is an object or a string holding one. Not supported yet, as
//! the SDK in use cannot send them: `DnsOptions.PrivateDnsPreference` and
//! `DnsOptions.PrivateDnsSpecifiedDomains` (refused by name at apply).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{DnsEntry, State, VpcEndpoint};

use super::api::{Ec2, call, unsuccessful};
use super::object::{Change, New, Object, object_header, one_create, paged_describe, reported};
use crate::generated::ec2::{create_vpc_endpoint, modify_vpc_endpoint, report_vpc_endpoint};
use crate::providers::kit::iso_date;

pub(crate) const TYPE: &str = "AWS::EC2::VPCEndpoint";

pub(crate) const SPEC: Keys = crate::generated::ec2::VPC_ENDPOINT;

/// The lists `ModifyVpcEndpoint` changes by adding and removing ids.
const ID_LISTS: &[&str] = &["RouteTableIds", "SubnetIds", "SecurityGroupIds"];

/// The VPC endpoint type.
#[derive(Debug)]
pub(crate) struct VpcEndpoints;

/// The policy document as sent (compact JSON).
fn policy(props: &Props<'_>) -> Result<Option<String>, ProviderError> {
    Ok(props.document("PolicyDocument")?.map(|d| compact(&d)))
}

/// `PrivateDnsEnabled`: the template's, else `false` for an interface endpoint, as
/// CloudFormation documents (the API's own default is `true`).
fn private_dns(props: &Props<'_>) -> Result<Option<bool>, ProviderError> {
    let interface = props
        .str("VpcEndpointType")?
        .is_some_and(|t| t.eq_ignore_ascii_case("Interface"));
    Ok(props
        .bool("PrivateDnsEnabled")?
        .or(interface.then_some(false)))
}

/// The ids of `key` (a list of strings), as a set.
fn ids(props: &Props<'_>, key: &str) -> Result<BTreeSet<String>, ProviderError> {
    Ok(props.str_list(key)?.into_iter().collect())
}

impl Object for VpcEndpoints {
    object_header!(
        VpcEndpoint,
        VpcEndpoint,
        "VPC endpoint",
        "DescribeVpcEndpoints",
        "by id (200 per call, pages followed)"
    );
    const TIMEOUT: Duration = Duration::from_secs(10 * 60);

    one_create!(
        create_vpc_endpoint,
        "CreateVpcEndpoint",
        |created| created
            .vpc_endpoint()
            .and_then(VpcEndpoint::vpc_endpoint_id),
        |new: &New<'_>, b| Ok::<_, ProviderError>(
            create_vpc_endpoint(new.props, b)?
                .set_policy_document(policy(new.props)?)
                .set_private_dns_enabled(private_dns(new.props)?)
        )
    );

    paged_describe!(
        VpcEndpoint,
        describe_vpc_endpoints,
        set_vpc_endpoint_ids,
        set_filters,
        vpc_endpoints
    );

    async fn delete(&self, ec2: &Ec2, id: &str, doing: &str) -> Result<(), ProviderError> {
        let request = ec2.client.delete_vpc_endpoints().vpc_endpoint_ids(id);
        let answer = call!(ec2, request, doing)?;
        let failed = format!("DeleteVpcEndpoints failed for {id}");
        unsuccessful(answer.unsuccessful(), &failed, "no message", doing)
    }

    async fn update(&self, ec2: &Ec2, change: &Change<'_>) -> Result<(), ProviderError> {
        let (before, after) = (change.before, change.after);
        let mut request = ec2.client.modify_vpc_endpoint().vpc_endpoint_id(change.id);
        let mut changed = false;
        for key in ID_LISTS {
            let (old, new) = (ids(before, key)?, ids(after, key)?);
            let added: Vec<String> = new.difference(&old).cloned().collect();
            let removed: Vec<String> = old.difference(&new).cloned().collect();
            changed |= !added.is_empty() || !removed.is_empty();
            let some = |v: Vec<String>| Some(v).filter(|v| !v.is_empty());
            let (added, removed) = (some(added), some(removed));
            request = match *key {
                "RouteTableIds" => request
                    .set_add_route_table_ids(added)
                    .set_remove_route_table_ids(removed),
                "SubnetIds" => request
                    .set_add_subnet_ids(added)
                    .set_remove_subnet_ids(removed),
                _ => request
                    .set_add_security_group_ids(added)
                    .set_remove_security_group_ids(removed),
            };
        }
        let (old_policy, new_policy) = (policy(before)?, policy(after)?);
        if old_policy != new_policy {
            changed = true;
            request = match new_policy {
                Some(doc) => request.policy_document(doc),
                None => request.reset_policy(true),
            };
        }
        if private_dns(before)? != private_dns(after)? {
            changed = true;
            request = request.set_private_dns_enabled(private_dns(after)?);
        }
        // The IP address type and the DNS options, when they changed.
        request = modify_vpc_endpoint(after, request, &mut |key| {
            let differs = before.get(key) != after.get(key);
            changed |= differs;
            differs
        })?;
        if changed {
            call!(ec2, request, change.doing)?;
        }
        Ok(())
    }

    fn observe(endpoint: &VpcEndpoint, last: &Value) -> Map<String, Value> {
        let mut map = reported(report_vpc_endpoint(endpoint), last);
        if let Some(kind) = endpoint.vpc_endpoint_type() {
            // EC2 spells the kind `Interface`; templates may write `interface`.
            let previous = last.get("VpcEndpointType").filter(|p| {
                p.as_str()
                    .is_some_and(|p| p.eq_ignore_ascii_case(kind.as_str()))
            });
            map.insert(
                "VpcEndpointType".into(),
                previous.cloned().unwrap_or_else(|| json!(kind.as_str())),
            );
        }
        if let Some(doc) = endpoint.policy_document() {
            map.insert(
                "PolicyDocument".into(),
                observed_document(doc, false, last.get("PolicyDocument")),
            );
        }
        let groups = endpoint
            .groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect();
        for (key, found) in [
            ("RouteTableIds", endpoint.route_table_ids().to_vec()),
            ("SubnetIds", endpoint.subnet_ids().to_vec()),
            ("SecurityGroupIds", groups),
        ] {
            map.insert(key.into(), observed_set(found, last.get(key)));
        }
        // Only the DNS options the template sets: the others are EC2's.
        if let Some(Value::Object(o)) = map.get_mut("DnsOptions") {
            let managed = last.get("DnsOptions").and_then(Value::as_object);
            o.retain(|k, _| managed.is_some_and(|m| m.contains_key(k)));
        }
        map
    }

    fn attributes(endpoint: &VpcEndpoint) -> BTreeMap<String, Value> {
        let entry = |e: &DnsEntry| {
            let (zone, name) = (e.hosted_zone_id(), e.dns_name());
            format!("{}:{}", zone.unwrap_or_default(), name.unwrap_or_default())
        };
        let dns: Vec<String> = endpoint.dns_entries().iter().map(entry).collect();
        let interfaces = json!(endpoint.network_interface_ids());
        let mut map = BTreeMap::from([
            ("Id".to_owned(), json!(endpoint.vpc_endpoint_id())),
            ("DnsEntries".to_owned(), json!(dns)),
            ("NetworkInterfaceIds".to_owned(), interfaces),
        ]);
        if let Some(created) = endpoint.creation_timestamp() {
            map.insert("CreationTimestamp".into(), iso_date(created));
        }
        map
    }

    /// Usable once `available` (or `pendingAcceptance`, which only the service's owner ends).
    fn pending(endpoint: &VpcEndpoint) -> Result<Option<String>, String> {
        let state = endpoint.state().map_or("unknown", State::as_str);
        if state.eq_ignore_ascii_case("available")
            || state.eq_ignore_ascii_case("pendingAcceptance")
        {
            return Ok(None);
        }
        if super::find::is_dead(endpoint) || state.eq_ignore_ascii_case("partial") {
            let reason = endpoint
                .last_error()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e.code().unwrap_or_default(),
                        e.message().unwrap_or_default()
                    )
                })
                .or_else(|| endpoint.failure_reason().map(str::to_owned))
                .unwrap_or_else(|| "no reason given".into());
            return Err(format!("it is {state}: {reason}"));
        }
        Ok(Some(state.to_owned()))
    }
}

#[cfg(test)]
#[path = "tests/vpc_endpoint.rs"]
mod tests;
