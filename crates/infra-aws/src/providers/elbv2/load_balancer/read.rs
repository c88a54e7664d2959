//! `AWS::ElasticLoadBalancingV2::LoadBalancer` reading: DescribeLoadBalancers (batched, ARN by
//! ARN when a batch names one that is gone), the attributes and capacity reservation read per
//! load balancer, the properties refresh reports (the generated `report_load_balancer`, with the
//! subnets, IPAM pool, attributes and capacity added here), and the `Fn::GetAtt` attributes.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::types::{AvailabilityZone, LoadBalancer};

use super::TYPE;
use crate::error::AwsError;
use crate::generated::elbv2::report_load_balancer;
use crate::providers::elbv2::attributes::read_attributes;
use crate::providers::elbv2::report::Report;
use crate::providers::elbv2::shared::{Described, Reported};
use crate::providers::elbv2::{Elb, Pairs, arn_suffix};

impl Reported for LoadBalancer {
    const TYPE: &'static str = TYPE;
    const EXTRA_KEYS: &'static [&'static str] =
        &["LoadBalancerAttributes", "MinimumLoadBalancerCapacity"];
    type Extras = Extras;

    fn output(&self) -> ResourceOutput {
        let arn = self.load_balancer_arn().unwrap_or_default();
        let name = self.load_balancer_name();
        let attributes = [
            ("LoadBalancerArn", Some(arn)),
            ("DNSName", self.dns_name()),
            ("CanonicalHostedZoneID", self.canonical_hosted_zone_id()),
            ("LoadBalancerFullName", arn_suffix(arn, ":loadbalancer/")),
            ("LoadBalancerName", name),
            ("Name", name),
            ("Scheme", self.scheme().map(|v| v.as_str())),
            ("Type", self.r#type().map(|v| v.as_str())),
            ("IpAddressType", self.ip_address_type().map(|v| v.as_str())),
        ];
        let mut out = output_of(arn, attributes.map(|(k, v)| (k, json!(v))));
        out.attributes.retain(|_, v| !v.is_null());
        let more = [
            ("SecurityGroups", json!(self.security_groups())),
            ("Subnets", json!(subnet_ids(self))),
        ];
        out.attributes.extend(more.map(|(k, v)| (k.to_owned(), v)));
        out
    }

    fn arn(&self) -> Option<&str> {
        self.load_balancer_arn()
    }

    async fn extras(
        elb: Elb,
        address: String,
        arn: String,
        wanted: Vec<&'static str>,
    ) -> Result<(String, Extras), ProviderError> {
        let ctx = Ctx::new(TYPE, &address);
        let mut out = Extras::default();
        if wanted.contains(&"LoadBalancerAttributes") {
            let call = elb.client.describe_load_balancer_attributes();
            let call = call.load_balancer_arn(&arn).send();
            out.attributes = read_attributes(&elb, ctx, call, |o| o.attributes()).await?;
        }
        if wanted.contains(&"MinimumLoadBalancerCapacity") {
            let call = elb.client.describe_capacity_reservation();
            let call = call.load_balancer_arn(&arn).send();
            let doing = "reading the capacity reservation";
            let found = kit::found(&elb, ctx, doing, call).await?;
            let capacity = found.map(|f| f.minimum_load_balancer_capacity);
            out.capacity = capacity.map(|c| c.and_then(|c| c.capacity_units));
        }
        Ok((arn, out))
    }

    /// One load balancer as refresh reports it (see the module comment of `providers::elbv2`).
    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&Pairs>,
        extras: Option<&Extras>,
    ) -> Observation {
        let mut report = Report::new(item, report_load_balancer(self), &["SecurityGroups"]);
        report.put("Subnets", json!(subnet_ids(self)));
        report.put("SubnetMappings", mappings_json(self));
        if let Some(id) = self.ipam_pools().and_then(|p| p.ipv4_ipam_pool_id()) {
            report.put("Ipv4IpamPoolId", json!(id));
        }
        let attributes = extras.and_then(|e| e.attributes.as_ref());
        report.pairs("LoadBalancerAttributes", attributes);
        if let Some(Some(units)) = extras.and_then(|e| e.capacity) {
            let capacity = json!({"CapacityUnits": units});
            report.put("MinimumLoadBalancerCapacity", capacity);
        }
        // Write-only: AWS has nothing to report.
        let stabilize = "EnableCapacityReservationProvisionStabilize";
        report.set(stabilize, |prev| prev.cloned().unwrap_or_default());
        report.done(tags, self.output().attributes)
    }
}

impl Described for LoadBalancer {
    const NOUN: &'static str = "load balancer";
    const CREATE: [&'static str; 2] = ["CreateLoadBalancer", "DuplicateLoadBalancerName"];

    async fn describe(elb: &Elb, ids: Vec<String>, by_name: bool) -> Result<Vec<Self>, AwsError> {
        let request = elb.client.describe_load_balancers();
        let request = match by_name {
            true => request.set_names(Some(ids)),
            false => request.set_load_balancer_arns(Some(ids)),
        };
        let out = request.send().await.map_err(|e| elb.api.err(e))?;
        Ok(out.load_balancers.unwrap_or_default())
    }

    fn name(&self) -> Option<&str> {
        self.load_balancer_name()
    }
}

/// What a read needs beyond DescribeLoadBalancers, per load balancer.
#[derive(Debug, Default)]
pub(in crate::providers::elbv2) struct Extras {
    attributes: Option<Pairs>,
    /// `Some(None)`: read, and no minimum capacity is set.
    capacity: Option<Option<i32>>,
}

/// Subnet mappings as the template writes them, from the zones AWS reports (what AWS leaves
/// out left out).
fn mappings_json(lb: &LoadBalancer) -> Value {
    let mapping = |zone: &AvailabilityZone| {
        let address = zone.load_balancer_addresses().first();
        let mut mapping = json!({
            "SubnetId": zone.subnet_id(),
            "AllocationId": address.and_then(|a| a.allocation_id()),
            "PrivateIPv4Address": address.and_then(|a| a.private_ipv4_address()),
            "IPv6Address": address.and_then(|a| a.ipv6_address()),
            "SourceNatIpv6Prefix": zone.source_nat_ipv6_prefixes().first(),
        });
        if let Value::Object(present) = &mut mapping {
            present.retain(|_, v| !v.is_null());
        }
        mapping
    };
    Value::Array(lb.availability_zones().iter().map(mapping).collect())
}

fn subnet_ids(lb: &LoadBalancer) -> Vec<String> {
    lb.availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id().map(str::to_owned))
        .collect()
}
