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
//! The properties are read into a [`Spec`] by the conversions generated from the schema
//! (`generated/elbv2.rs`, `mappings/elbv2.toml`: the keys, the CreateLoadBalancer,
//! SetSecurityGroups and SetSubnets requests, the minimum capacity and the attributes; the IPAM
//! pool, the stabilization flag and the tags here), and reported back by the generated
//! `report_load_balancer`. What CreateLoadBalancer does not take, and every in-place update, is
//! applied with the Set* / Modify* calls.
//!
//! An attribute removed from `LoadBalancerAttributes` keeps the value it has ("attributes that
//! you do not modify retain their current values", as CloudFormation documents).
//!
//! A create returns once the load balancer is `active` (DescribeLoadBalancers polled with
//! backoff for up to 10 minutes, Terraform's create timeout; `failed` is an error naming AWS's
//! reason). A delete returns once DescribeLoadBalancers no longer finds it; the network
//! interfaces it held are released a little later, which the deletes of its security groups and
//! subnets wait out (DependencyViolation, retried by the engine).

use aws_sdk_elasticloadbalancingv2::operation::create_load_balancer::builders::CreateLoadBalancerInputBuilder as Create;
use aws_sdk_elasticloadbalancingv2::operation::set_security_groups::builders::SetSecurityGroupsInputBuilder;
use aws_sdk_elasticloadbalancingv2::operation::set_subnets::builders::SetSubnetsInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::{
    IpAddressType, IpamPools, LoadBalancer, LoadBalancerAttribute,
    LoadBalancerSchemeEnum as Scheme, LoadBalancerTypeEnum as Kind, MinimumLoadBalancerCapacity,
    RemoveIpamPoolEnum,
};

use super::attributes::{attribute_list, modify_attributes};
use super::find::find_named;
use super::shared::{Reported, create_described, read_described};
use crate::error::AwsError;
use crate::generated::elbv2::{
    LOAD_BALANCER, LOAD_BALANCER_ATTRIBUTE, MINIMUM_LOAD_BALANCER_CAPACITY, create_load_balancer,
    load_balancer_attribute, minimum_load_balancer_capacity, set_security_groups, set_subnets,
};
use crate::providers::kit::convert::{R, one};
use crate::providers::kit::prelude::*;

mod read;
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

/// A load balancer as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateLoadBalancer without the tags (and with the template's name, if any).
    create: Create,
    /// SetSecurityGroups: the security groups and whether PrivateLink traffic is checked.
    security: SetSecurityGroupsInputBuilder,
    /// SetSubnets: the subnets or subnet mappings, and the IPv6 source NAT prefix.
    subnets: SetSubnetsInputBuilder,
    attributes: Vec<LoadBalancerAttribute>,
    min_capacity: Option<MinimumLoadBalancerCapacity>,
    stabilize: bool,
    tags: Vec<(String, String)>,
}

impl Spec {
    /// Whether going from `self` to `after` changes what DescribeLoadBalancers reports.
    fn reshaped(&self, after: &Spec) -> bool {
        let (b, a) = (&self.create, &after.create);
        self.security != after.security
            || self.subnets != after.subnets
            || b.get_ip_address_type() != a.get_ip_address_type()
            || b.get_ipam_pools() != a.get_ipam_pools()
    }
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, LOAD_BALANCER)?;
    let pool = p.str("Ipv4IpamPoolId")?;
    let create = create_load_balancer(&p, Create::default())?
        .set_ipam_pools(pool.map(|id| IpamPools::builder().ipv4_ipam_pool_id(id).build()));
    if create.get_subnets().is_some() && create.get_subnet_mappings().is_some() {
        return Err(ctx.fatal(
            "properties Subnets and SubnetMappings are both set; a load balancer takes one of \
             them, not both",
        ));
    }
    let attributes = ("LoadBalancerAttributes", LOAD_BALANCER_ATTRIBUTE);
    let capacity_key = "MinimumLoadBalancerCapacity";
    let capacity = MINIMUM_LOAD_BALANCER_CAPACITY;
    Ok(Spec {
        create,
        security: set_security_groups(&p, SetSecurityGroupsInputBuilder::default())?,
        subnets: set_subnets(&p, SetSubnetsInputBuilder::default())?,
        attributes: attribute_list(&p, attributes.0, attributes.1, load_balancer_attribute)?,
        min_capacity: one(&p, capacity_key, capacity, minimum_load_balancer_capacity)?,
        stabilize: p
            .bool("EnableCapacityReservationProvisionStabilize")?
            .unwrap_or(false),
        tags: p.tags("Tags")?,
    })
}

/// A failed call changing the load balancer while `doing` something, which may name another
/// resource just made (its own `LoadBalancerNotFound` aside).
fn referencing<'a>(ctx: Ctx<'a>, doing: &'a str) -> impl FnOnce(AwsError) -> ProviderError + 'a {
    move |err| ctx.fail_referencing_except(Some("LoadBalancerNotFound"), doing, err)
}

/// The provider.
pub(super) type LoadBalancerProvider = super::ElbProvider<LoadBalancer>;

impl LoadBalancerProvider {
    /// Brings load balancer `arn` from `before` to `after` (everything but name, type and
    /// scheme; the tags are changed with AddTags / RemoveTags).
    async fn apply(&self, ctx: Ctx<'_>, arn: &str, [before, after]: [&Spec; 2]) -> R<()> {
        let (elb, client, api) = (&self.elb, &self.elb.client, &self.elb.api);
        if before.security != after.security {
            let groups = after.security.get_security_groups().clone();
            let request = after.security.clone().load_balancer_arn(arn);
            let request = request.set_security_groups(Some(groups.unwrap_or_default()));
            let sent = request.send_with(client).await.map_err(|e| api.err(e));
            sent.map_err(referencing(ctx, "setting the security groups"))?;
        }
        if before.subnets != after.subnets {
            let request = after.subnets.clone().load_balancer_arn(arn);
            let sent = request.send_with(client).await.map_err(|e| api.err(e));
            sent.map_err(referencing(ctx, "setting the subnets"))?;
        }
        let ip_address_type = after.create.get_ip_address_type();
        if before.create.get_ip_address_type() != ip_address_type {
            let kind = ip_address_type.clone().unwrap_or(IpAddressType::Ipv4);
            let doing = format!("setting the IP address type to {}", kind.as_str());
            let request = client.set_ip_address_type().load_balancer_arn(arn);
            send!(elb, ctx, request.ip_address_type(kind), doing)?;
        }
        if before.create.get_ipam_pools() != after.create.get_ipam_pools() {
            let request = client.modify_ip_pools().load_balancer_arn(arn);
            let request = match after.create.get_ipam_pools() {
                Some(pools) => request.ipam_pools(pools.clone()),
                None => request.remove_ipam_pools(RemoveIpamPoolEnum::Ipv4),
            };
            let sent = request.send().await.map_err(|e| api.err(e));
            sent.map_err(referencing(ctx, "setting the IPAM pool"))?;
        }
        let attributes = [&before.attributes[..], &after.attributes[..]];
        let modify = client.modify_load_balancer_attributes();
        let modify = modify.load_balancer_arn(arn);
        let modify = |pairs| modify.set_attributes(Some(pairs)).send();
        modify_attributes(elb, ctx, attributes, modify).await?;
        if before.min_capacity != after.min_capacity {
            let request = client.modify_capacity_reservation().load_balancer_arn(arn);
            let request = match after.min_capacity.clone() {
                Some(capacity) => request.minimum_load_balancer_capacity(capacity),
                None => request.reset_capacity_reservation(true),
            };
            send!(elb, ctx, request, "setting the minimum capacity")?;
            if after.stabilize && after.min_capacity.is_some() {
                self.wait_capacity(ctx, arn).await?;
            }
        }
        Ok(())
    }
}

impl kit::Provider for LoadBalancerProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = create_name(ctx, spec.create.get_name().as_ref(), input, "Name")?;
        let (create, client) = (spec.create.clone().name(&name), &self.elb.client);
        let send = move |tags| async move {
            let out = create.set_tags(tags).send_with(client).await;
            out.map(|out| out.load_balancers.unwrap_or_default().into_iter().next())
        };
        let (lb, adopted, tags) =
            create_described(&self.elb, ctx, input, (&name, &spec.tags), send).await?;
        let arn = lb.load_balancer_arn().unwrap_or_default().to_owned();
        // What CreateLoadBalancer set (so only the rest is applied once it is active); adopted,
        // everything is applied again (name, type and scheme are not changed in place).
        let made = match adopted {
            None => Spec {
                security: (spec.security.clone())
                    .set_enforce_security_group_inbound_rules_on_private_link_traffic(None),
                attributes: Vec::new(),
                min_capacity: None,
                stabilize: false,
                ..spec.clone()
            },
            Some(_) => Spec::default(),
        };
        // What CreateLoadBalancer does not take is set once the load balancer is active. It is
        // read again only when that changed what DescribeLoadBalancers reports (attributes,
        // capacity and tags do not).
        let mut lb = self.wait_active(ctx, &arn).await?;
        self.apply(ctx, &arn, [&made, &spec]).await?;
        let made_tags = adopted.as_ref().unwrap_or(&tags);
        self.elb.update_tags(ctx, &arn, made_tags, &tags).await?;
        if made.reshaped(&spec) {
            lb = self.wait_active(ctx, &arn).await?;
        }
        Ok(lb.output())
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        let (b, a) = (&before.create, &after.create);
        // The scheme and type left out are CreateLoadBalancer's defaults.
        let scheme = |c: &Create| c.get_scheme().clone().unwrap_or(Scheme::InternetFacing);
        let kind = |c: &Create| c.get_type().clone().unwrap_or(Kind::Application);
        let renamed = a.get_name().is_some() && b.get_name() != a.get_name();
        let replaced = [
            ("Name", renamed),
            ("Type", kind(b) != kind(a)),
            ("Scheme", scheme(b) != scheme(a)),
        ];
        if let Some((what, _)) = replaced.iter().find(|(_, changed)| *changed) {
            return Err(ctx.fatal(format!(
                "{what} cannot change in place; the load balancer must be replaced"
            )));
        }
        self.apply(ctx, arn, [&before, &after]).await?;
        let tags: [&[_]; 2] = [&before.tags, &after.tags];
        self.elb.retag(ctx, arn, &input.tags, tags).await?;
        let lb = self.wait_active(ctx, arn).await?;
        Ok(lb.output())
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let call = self.elb.client.delete_load_balancer();
        let call = call.load_balancer_arn(arn).send();
        let doing = format!("deleting load balancer {arn}");
        match kit::found(&self.elb, ctx, doing, call).await? {
            None => Ok(()),
            Some(_) => self.wait_gone(ctx, arn).await,
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_described::<LoadBalancer>(&self.elb, items).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        find_named::<LoadBalancer>(&self.elb, input).await
    }
}
