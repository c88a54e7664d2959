//! `AWS::ElasticLoadBalancingV2::LoadBalancer` reading: DescribeLoadBalancers (batched, ARN by
//! ARN when a batch names one that is gone), the attributes and capacity reservation read per
//! load balancer, the properties refresh reports, and the `Fn::GetAtt` attributes.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;
use serde_json::{Map, Value, json};

use super::TYPE;
use crate::error::AwsError;
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::elbv2::json::{self, object, s};
use crate::providers::elbv2::shared::{Described, attribute_map, unless_gone};
use crate::providers::elbv2::{Elb, arn_suffix};
use crate::providers::kit::{Ctx, managed_keys, observed_scalar, observed_set, observed_tags};

impl Described for LoadBalancer {
    const TYPE: &'static str = TYPE;
    const EXTRA_KEYS: [&'static str; 2] = ["LoadBalancerAttributes", "MinimumLoadBalancerCapacity"];
    type Extras = Extras;

    fn arn(&self) -> Option<&str> {
        self.load_balancer_arn()
    }

    async fn describe(elb: &Elb, arns: Vec<String>) -> Result<Vec<Self>, AwsError> {
        let out = elb
            .client
            .describe_load_balancers()
            .set_load_balancer_arns(Some(arns))
            .send()
            .await
            .map_err(|e| elb.api.err("DescribeLoadBalancers", e))?;
        Ok(out.load_balancers().to_vec())
    }

    async fn extras(
        elb: Elb,
        address: String,
        arn: String,
        [first, second]: [bool; 2],
    ) -> Result<(String, Extras), ProviderError> {
        extras(elb, address, arn, first, second).await
    }

    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&BTreeMap<String, String>>,
        extras: Option<&Extras>,
    ) -> Observation {
        observe(self, item, tags, extras)
    }
}

/// What a read needs beyond DescribeLoadBalancers, per load balancer.
#[derive(Debug, Default)]
pub(in crate::providers::elbv2) struct Extras {
    attributes: Option<HashMap<String, String>>,
    /// `Some(None)`: read, and no minimum capacity is set.
    capacity: Option<Option<i32>>,
}

async fn extras(
    elb: Elb,
    address: String,
    arn: String,
    attributes: bool,
    capacity: bool,
) -> Result<(String, Extras), ProviderError> {
    let ctx = Ctx::new(TYPE, &address);
    let mut out = Extras::default();
    if attributes {
        let found = elb
            .client
            .describe_load_balancer_attributes()
            .load_balancer_arn(&arn)
            .send()
            .await
            .map(|found| attribute_map(found.attributes().iter().map(|a| (a.key(), a.value()))))
            .map_err(|e| elb.api.err("DescribeLoadBalancerAttributes", e));
        out.attributes = unless_gone(ctx, "reading the attributes", found)?;
    }
    if capacity {
        let found = elb
            .client
            .describe_capacity_reservation()
            .load_balancer_arn(&arn)
            .send()
            .await
            .map(|found| {
                found
                    .minimum_load_balancer_capacity()
                    .and_then(|c| c.capacity_units())
            })
            .map_err(|e| elb.api.err("DescribeCapacityReservation", e));
        out.capacity = unless_gone(ctx, "reading the capacity reservation", found)?;
    }
    Ok((arn, out))
}

/// Subnet mappings as the template writes them, from the zones AWS reports.
fn mappings_json(lb: &LoadBalancer) -> Value {
    Value::Array(
        lb.availability_zones()
            .iter()
            .map(|zone| {
                let address = zone.load_balancer_addresses().first();
                object(vec![
                    ("SubnetId", s(zone.subnet_id())),
                    ("AllocationId", s(address.and_then(|a| a.allocation_id()))),
                    (
                        "PrivateIPv4Address",
                        s(address.and_then(|a| a.private_ipv4_address())),
                    ),
                    ("IPv6Address", s(address.and_then(|a| a.ipv6_address()))),
                    (
                        "SourceNatIpv6Prefix",
                        s(zone.source_nat_ipv6_prefixes().first().map(String::as_str)),
                    ),
                ])
            })
            .collect(),
    )
}

fn subnet_ids(lb: &LoadBalancer) -> Vec<String> {
    lb.availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id().map(str::to_owned))
        .collect()
}

/// One load balancer as refresh reports it (see the module comment of `providers::elbv2`).
fn observe(
    lb: &LoadBalancer,
    item: &ReadInput,
    tags: Option<&BTreeMap<String, String>>,
    extras: Option<&Extras>,
) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let mut scalar = |key: &str, value: Option<&str>| {
        if let (true, Some(v)) = (managed.contains(key), value) {
            props.insert(
                key.to_owned(),
                observed_scalar(Value::String(v.to_owned()), prev(key)),
            );
        }
    };
    scalar("Name", lb.load_balancer_name());
    scalar("Scheme", lb.scheme().map(|v| v.as_str()));
    scalar("Type", lb.r#type().map(|v| v.as_str()));
    scalar("IpAddressType", lb.ip_address_type().map(|v| v.as_str()));
    scalar(
        "Ipv4IpamPoolId",
        lb.ipam_pools().and_then(|p| p.ipv4_ipam_pool_id()),
    );
    scalar(
        "EnablePrefixForIpv6SourceNat",
        lb.enable_prefix_for_ipv6_source_nat().map(|v| v.as_str()),
    );
    scalar(
        "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
        lb.enforce_security_group_inbound_rules_on_private_link_traffic(),
    );
    if managed.contains("Subnets") {
        props.insert(
            "Subnets".into(),
            observed_set(subnet_ids(lb), prev("Subnets")),
        );
    }
    if managed.contains("SubnetMappings") {
        props.insert(
            "SubnetMappings".into(),
            json::observed(mappings_json(lb), prev("SubnetMappings")),
        );
    }
    if managed.contains("SecurityGroups") {
        props.insert(
            "SecurityGroups".into(),
            observed_set(lb.security_groups().to_vec(), prev("SecurityGroups")),
        );
    }
    if let Some(found) = extras.and_then(|e| e.attributes.as_ref()) {
        props.insert(
            "LoadBalancerAttributes".into(),
            json::observed_pairs(found, prev("LoadBalancerAttributes")),
        );
    }
    if let Some(Some(units)) = extras.and_then(|e| e.capacity) {
        props.insert(
            "MinimumLoadBalancerCapacity".into(),
            json::observed(
                json!({"CapacityUnits": units}),
                prev("MinimumLoadBalancerCapacity"),
            ),
        );
    }
    if let Some(v) = prev("EnableCapacityReservationProvisionStabilize") {
        // Write-only: AWS has nothing to report.
        props.insert(
            "EnableCapacityReservationProvisionStabilize".into(),
            v.clone(),
        );
    }
    if managed.contains("Tags") {
        props.insert(
            "Tags".into(),
            observed_tags(&tags.cloned().unwrap_or_default(), prev("Tags")),
        );
    }
    Observation::Present {
        properties: Value::Object(props),
        attributes: attributes(lb),
    }
}

pub(crate) fn output(lb: &LoadBalancer) -> ResourceOutput {
    ResourceOutput {
        physical_id: lb.load_balancer_arn().unwrap_or_default().to_owned(),
        attributes: attributes(lb),
    }
}

fn attributes(lb: &LoadBalancer) -> BTreeMap<String, Value> {
    let arn = lb.load_balancer_arn().unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            out.insert(key.to_owned(), Value::String(v.to_owned()));
        }
    };
    put("LoadBalancerArn", Some(arn));
    put("DNSName", lb.dns_name());
    put("CanonicalHostedZoneID", lb.canonical_hosted_zone_id());
    put("LoadBalancerFullName", arn_suffix(arn, ":loadbalancer/"));
    put("LoadBalancerName", lb.load_balancer_name());
    put("Name", lb.load_balancer_name());
    put("Scheme", lb.scheme().map(|v| v.as_str()));
    put("Type", lb.r#type().map(|v| v.as_str()));
    put("IpAddressType", lb.ip_address_type().map(|v| v.as_str()));
    out.insert("SecurityGroups".into(), json!(lb.security_groups()));
    out.insert("Subnets".into(), json!(subnet_ids(lb)));
    out
}
