//! `AWS::ElasticLoadBalancingV2::LoadBalancer`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` | CreateLoadBalancer (else the generated name) | create-only (replacement) |
//! | `Type` | CreateLoadBalancer (default `application`) | create-only (replacement) |
//! | `Scheme` | CreateLoadBalancer (default `internet-facing`) | create-only (replacement) |
//! | `IpAddressType` | CreateLoadBalancer | SetIpAddressType (removed: `ipv4`) |
//! | `Subnets` / `SubnetMappings` (one of them) | CreateLoadBalancer | SetSubnets |
//! | `SecurityGroups` | CreateLoadBalancer | SetSecurityGroups |
//! | `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` | SetSecurityGroups once active | SetSecurityGroups |
//! | `EnablePrefixForIpv6SourceNat` | CreateLoadBalancer | SetSubnets |
//! | `Ipv4IpamPoolId` | CreateLoadBalancer (`IpamPools`) | ModifyIpPools (removed: `RemoveIpamPools`) |
//! | `LoadBalancerAttributes` | ModifyLoadBalancerAttributes once active | ModifyLoadBalancerAttributes, the changed keys |
//! | `MinimumLoadBalancerCapacity` | ModifyCapacityReservation once active | ModifyCapacityReservation (removed: reset) |
//! | `EnableCapacityReservationProvisionStabilize` | wait until the capacity reservation is `provisioned` | the same |
//! | `Tags` | CreateLoadBalancer, with infra's tags | AddTags / RemoveTags |
//!
//! The properties are read by the conversions generated from the schema (`spec.rs`,
//! `mappings/elbv2.toml`), and reported back by the generated `report_load_balancer`.
//!
//! An attribute removed from `LoadBalancerAttributes` keeps the value it has ("attributes that
//! you do not modify retain their current values", as CloudFormation documents).
//!
//! A create returns once the load balancer is `active` (DescribeLoadBalancers polled with
//! backoff for up to 10 minutes, Terraform's create timeout; `failed` is an error naming AWS's
//! reason). A delete returns once DescribeLoadBalancers no longer finds it; the network
//! interfaces it held are released a little later, which the deletes of its security groups and
//! subnets wait out (DependencyViolation, retried by the engine).

use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;
#[cfg(test)]
use serde_json::Value;

use super::create_tags;
use super::find::find_named;
use super::shared::{created_or_adopted, read_described};
use crate::providers::kit::prelude::*;

pub(super) use read::output;
use spec::{Spec, parse, reshaped};

mod changes;
mod read;
mod spec;
mod wait;

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeLoadBalancers and DescribeTags (20 ARNs per call); attributes and capacity reservation per load balancer when managed",
    Find::Name,
    "DescribeLoadBalancers of Name, infra tags checked (DescribeTags)",
);

/// The provider.
pub(super) type LoadBalancerProvider = super::ElbProvider<LoadBalancer>;

impl kit::Provider for LoadBalancerProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = create_name(ctx, spec.create.get_name().as_ref(), input, "Name")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let op = "CreateLoadBalancer";
        let created = spec
            .create
            .clone()
            .name(&name)
            .set_tags(create_tags(ctx, &tags)?);
        let created = created.send_with(&self.elb.client).await;
        let created = created
            .map(|out| out.load_balancers.unwrap_or_default().into_iter().next())
            .map_err(|e| self.elb.api.err(e));
        let (lb, adopted) = created_or_adopted(&self.elb, ctx, input, (op, &name), created).await?;
        let arn = lb.load_balancer_arn().unwrap_or_default().to_owned();
        // What CreateLoadBalancer set (so only the rest is applied once it is active), and the
        // tags it carries.
        let (made, made_tags) = match adopted {
            None => {
                let made = Spec {
                    security: spec
                        .security
                        .clone()
                        .set_enforce_security_group_inbound_rules_on_private_link_traffic(None),
                    attributes: Vec::new(),
                    min_capacity: None,
                    stabilize: false,
                    ..spec.clone()
                };
                (made, tags.clone())
            }
            // Everything is applied again (name, type and scheme are not changed in place).
            Some(found_tags) => (Spec::default(), found_tags),
        };
        // What CreateLoadBalancer does not take is set once the load balancer is active. It is
        // read again only when that changed what DescribeLoadBalancers reports (attributes,
        // capacity and tags do not).
        let mut lb = self.wait_active(ctx, &arn).await?;
        self.apply(ctx, &arn, [&made, &spec]).await?;
        self.elb.update_tags(ctx, &arn, &made_tags, &tags).await?;
        if reshaped(&made, &spec) {
            lb = self.wait_active(ctx, &arn).await?;
        }
        Ok(output(&lb))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        for (what, was, now) in [
            ("Name", before.name(), after.name()),
            ("Type", Some(before.kind()), Some(after.kind())),
            ("Scheme", Some(before.scheme()), Some(after.scheme())),
        ] {
            if now.is_some() && was != now {
                return Err(ctx.fatal(format!(
                    "{what} cannot change in place; the load balancer must be replaced"
                )));
            }
        }
        self.apply(ctx, arn, [&before, &after]).await?;
        let tags = [&before.tags[..], &after.tags[..]];
        self.elb.retag(ctx, arn, &input.tags, tags).await?;
        let lb = self.wait_active(ctx, arn).await?;
        Ok(output(&lb))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let call = self
            .elb
            .client
            .delete_load_balancer()
            .load_balancer_arn(arn);
        let (call, doing) = (call.send(), format!("deleting load balancer {arn}"));
        if kit::found(&self.elb, ctx, doing, call).await?.is_none() {
            return Ok(());
        }
        self.wait_gone(ctx, arn).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_described::<LoadBalancer>(&self.elb, items).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        find_named::<LoadBalancer>(&self.elb, input).await
    }
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
