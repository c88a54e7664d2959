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
//! `Ref` and `Fn::GetAtt Id` are the endpoint id; `Fn::GetAtt` also gives `CreationTimestamp`,
//! `NetworkInterfaceIds` and `DnsEntries` (each `hosted-zone-id:dns-name`, as CloudFormation
//! writes them). `PolicyDocument` is an object or a string holding one. Not supported yet, as
//! the SDK in use cannot send them: `DnsOptions.PrivateDnsPreference` and
//! `DnsOptions.PrivateDnsSpecifiedDomains` (refused by name at apply).

use crate::providers::ec2::find::tag_coverage;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_sdk_ec2::types::{
    DnsOptionsSpecification, DnsRecordIpType, IpAddressType, ResourceType, State, VpcEndpoint,
    VpcEndpointType,
};
use serde_json::{Map, Value, json};

use super::api::{Ec2, call, returned};
use super::object::{New, Object, paged_describe};
use super::props::{Props, Spec, put, spec};
use crate::provider::{Coverage, ProviderError};
use crate::providers::kit::errors::code_class;
use crate::providers::kit::{compact, iso_date, observed_document, observed_set, parse_document};

pub(crate) const TYPE: &str = "AWS::EC2::VPCEndpoint";

pub(crate) const SPEC: Spec = spec!(TYPE, VPC_ENDPOINT);

/// The keys of `DnsOptions` the SDK in use can send, and the ones it cannot.
const DNS_OPTIONS: &[&str] = &[
    "DnsRecordIpType",
    "PrivateDnsOnlyForInboundResolverEndpoint",
];
const DNS_OPTIONS_REFUSED: &[&str] = &["PrivateDnsPreference", "PrivateDnsSpecifiedDomains"];

/// The lists `ModifyVpcEndpoint` changes by adding and removing ids.
const ID_LISTS: &[&str] = &["RouteTableIds", "SubnetIds", "SecurityGroupIds"];

/// The VPC endpoint type.
#[derive(Debug)]
pub(crate) struct VpcEndpoints {
    pub(crate) ec2: Ec2,
}

/// `DnsOptions` as the API takes it.
fn dns_options(props: &Props<'_>) -> Result<Option<DnsOptionsSpecification>, ProviderError> {
    let Some(value) = props.get("DnsOptions") else {
        return Ok(None);
    };
    let options = props.nested("DnsOptions.", value, DNS_OPTIONS, DNS_OPTIONS_REFUSED)?;
    Ok(Some(
        DnsOptionsSpecification::builder()
            .set_dns_record_ip_type(
                options
                    .str("DnsRecordIpType")?
                    .map(|t| DnsRecordIpType::from(t.as_str())),
            )
            .set_private_dns_only_for_inbound_resolver_endpoint(
                options.bool("PrivateDnsOnlyForInboundResolverEndpoint")?,
            )
            .build(),
    ))
}

/// The policy document as sent (compact JSON).
fn policy(props: &Props<'_>) -> Result<Option<String>, ProviderError> {
    props
        .get("PolicyDocument")
        .map(|doc| {
            parse_document(doc)
                .map(|d| compact(&d))
                .map_err(|e| ProviderError::fatal(format!("{TYPE} property PolicyDocument: {e}")))
        })
        .transpose()
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
    Ok(props.strs(key)?.unwrap_or_default().into_iter().collect())
}

impl Object for VpcEndpoints {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = tag_coverage!(
        "DescribeVpcEndpoints",
        "by id (200 per call, pages followed)"
    );
    const SPEC: Spec = SPEC;
    const WHAT: &'static str = "VPC endpoint";
    const TIMEOUT: Duration = Duration::from_secs(10 * 60);
    const RESOURCE_TYPE: ResourceType = ResourceType::VpcEndpoint;
    type Seen = VpcEndpoint;

    fn ec2(&self) -> &Ec2 {
        &self.ec2
    }

    async fn create(&self, new: New<'_>) -> Result<String, ProviderError> {
        let request = self
            .ec2
            .client
            .create_vpc_endpoint()
            .vpc_id(new.props.required_str("VpcId")?)
            .set_vpc_endpoint_type(
                new.props
                    .str("VpcEndpointType")?
                    .map(|t| VpcEndpointType::from(t.as_str())),
            )
            .set_service_name(new.props.str("ServiceName")?)
            .set_policy_document(policy(new.props)?)
            .set_route_table_ids(new.props.strs("RouteTableIds")?)
            .set_subnet_ids(new.props.strs("SubnetIds")?)
            .set_security_group_ids(new.props.strs("SecurityGroupIds")?)
            .set_private_dns_enabled(private_dns(new.props)?)
            .set_ip_address_type(
                new.props
                    .str("IpAddressType")?
                    .map(|t| IpAddressType::from(t.as_str())),
            )
            .set_dns_options(dns_options(new.props)?)
            .set_service_network_arn(new.props.str("ServiceNetworkArn")?)
            .set_resource_configuration_arn(new.props.str("ResourceConfigurationArn")?)
            .set_service_region(new.props.str("ServiceRegion")?)
            .set_tag_specifications(new.tags);
        let created = call!(self.ec2, request, "CreateVpcEndpoint", new.doing)?;
        let id = created
            .vpc_endpoint()
            .and_then(VpcEndpoint::vpc_endpoint_id);
        returned(id, "CreateVpcEndpoint", new.doing)
    }

    paged_describe!(
        VpcEndpoint,
        describe_vpc_endpoints,
        set_vpc_endpoint_ids,
        set_filters,
        "DescribeVpcEndpoints",
        vpc_endpoints
    );

    async fn delete(&self, id: &str, doing: &str) -> Result<(), ProviderError> {
        let answer = self
            .ec2
            .client
            .delete_vpc_endpoints()
            .vpc_endpoint_ids(id)
            .send()
            .await
            .map_err(|e| self.ec2.error("DeleteVpcEndpoints", doing, e))?;
        match answer.unsuccessful().first().and_then(|u| u.error()) {
            None => Ok(()),
            Some(error) => {
                let code = error.code().unwrap_or_default();
                let class = code_class(code, error.message().unwrap_or_default());
                Err(ProviderError {
                    class,
                    message: format!(
                        "{doing}: DeleteVpcEndpoints failed for {id}: {code}: {}",
                        error.message().unwrap_or("no message")
                    ),
                })
            }
        }
    }

    async fn update(
        &self,
        id: &str,
        before: &Props<'_>,
        after: &Props<'_>,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let mut request = self.ec2.client.modify_vpc_endpoint().vpc_endpoint_id(id);
        let mut changed = false;
        for key in ID_LISTS {
            let (old, new) = (ids(before, key)?, ids(after, key)?);
            let added: Vec<String> = new.difference(&old).cloned().collect();
            let removed: Vec<String> = old.difference(&new).cloned().collect();
            changed |= !added.is_empty() || !removed.is_empty();
            let (added, removed) = (
                Some(added).filter(|v| !v.is_empty()),
                Some(removed).filter(|v| !v.is_empty()),
            );
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
        if before.str("IpAddressType")? != after.str("IpAddressType")? {
            changed = true;
            request = request.set_ip_address_type(
                after
                    .str("IpAddressType")?
                    .map(|t| IpAddressType::from(t.as_str())),
            );
        }
        if before.get("DnsOptions") != after.get("DnsOptions") {
            changed = true;
            request = request.set_dns_options(dns_options(after)?);
        }
        if changed {
            request
                .send()
                .await
                .map_err(|e| self.ec2.error("ModifyVpcEndpoint", doing, e))?;
        }
        Ok(())
    }

    fn observe(endpoint: &VpcEndpoint, last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "VpcId", endpoint.vpc_id());
        put(&mut map, "ServiceName", endpoint.service_name());
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
        put(
            &mut map,
            "PrivateDnsEnabled",
            endpoint.private_dns_enabled(),
        );
        put(
            &mut map,
            "IpAddressType",
            endpoint.ip_address_type().map(|t| t.as_str()),
        );
        if let Some(dns) = endpoint.dns_options() {
            let mut o = Map::new();
            put(
                &mut o,
                "DnsRecordIpType",
                dns.dns_record_ip_type().map(|t| t.as_str()),
            );
            put(
                &mut o,
                "PrivateDnsOnlyForInboundResolverEndpoint",
                dns.private_dns_only_for_inbound_resolver_endpoint(),
            );
            // Only the options the template sets: the others are EC2's.
            let managed = last.get("DnsOptions").and_then(Value::as_object);
            o.retain(|k, _| managed.is_some_and(|m| m.contains_key(k)));
            map.insert("DnsOptions".into(), Value::Object(o));
        }
        put(
            &mut map,
            "ServiceNetworkArn",
            endpoint.service_network_arn(),
        );
        put(
            &mut map,
            "ResourceConfigurationArn",
            endpoint.resource_configuration_arn(),
        );
        put(&mut map, "ServiceRegion", endpoint.service_region());
        map
    }

    fn attributes(endpoint: &VpcEndpoint) -> BTreeMap<String, Value> {
        let dns: Vec<String> = endpoint
            .dns_entries()
            .iter()
            .map(|e| {
                format!(
                    "{}:{}",
                    e.hosted_zone_id().unwrap_or_default(),
                    e.dns_name().unwrap_or_default()
                )
            })
            .collect();
        let mut map = BTreeMap::from([
            ("Id".to_owned(), json!(endpoint.vpc_endpoint_id())),
            ("DnsEntries".to_owned(), json!(dns)),
            (
                "NetworkInterfaceIds".to_owned(),
                json!(endpoint.network_interface_ids()),
            ),
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
