//! `AWS::ElasticLoadBalancingV2::LoadBalancer` properties: the template's properties read into a
//! [`Spec`], and which changes reshape the load balancer. The keys, the CreateLoadBalancer,
//! SetSecurityGroups and SetSubnets requests, the minimum capacity and the attributes are read
//! by the conversions generated from the schema (`generated/elbv2.rs`, `mappings/elbv2.toml`);
//! the IPAM pool, the stabilization flag and the tags are read here.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::operation::create_load_balancer::builders::CreateLoadBalancerInputBuilder;
use aws_sdk_elasticloadbalancingv2::operation::set_security_groups::builders::SetSecurityGroupsInputBuilder;
use aws_sdk_elasticloadbalancingv2::operation::set_subnets::builders::SetSubnetsInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::{
    IpamPools, LoadBalancerAttribute, MinimumLoadBalancerCapacity,
};

use crate::generated::elbv2::{
    LOAD_BALANCER, LOAD_BALANCER_ATTRIBUTE, MINIMUM_LOAD_BALANCER_CAPACITY, create_load_balancer,
    load_balancer_attribute, minimum_load_balancer_capacity, set_security_groups, set_subnets,
};
use crate::providers::elbv2::attributes::attribute_list;
use crate::providers::kit::convert::one;

/// A load balancer as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateLoadBalancer without the tags (and with the template's name, if any).
    pub(super) create: CreateLoadBalancerInputBuilder,
    /// SetSecurityGroups: the security groups and whether PrivateLink traffic is checked.
    pub(super) security: SetSecurityGroupsInputBuilder,
    /// SetSubnets: the subnets or subnet mappings, and the IPv6 source NAT prefix.
    pub(super) subnets: SetSubnetsInputBuilder,
    pub(super) attributes: Vec<LoadBalancerAttribute>,
    pub(super) min_capacity: Option<MinimumLoadBalancerCapacity>,
    pub(super) stabilize: bool,
    pub(super) tags: Vec<(String, String)>,
}

impl Spec {
    pub(super) fn name(&self) -> Option<&str> {
        self.create.get_name().as_deref()
    }

    pub(super) fn scheme(&self) -> &str {
        self.create
            .get_scheme()
            .as_ref()
            .map_or("internet-facing", |s| s.as_str())
    }

    pub(super) fn kind(&self) -> &str {
        self.create
            .get_type()
            .as_ref()
            .map_or("application", |t| t.as_str())
    }
}

/// Whether going from `before` to `after` changes what DescribeLoadBalancers reports.
pub(super) fn reshaped(before: &Spec, after: &Spec) -> bool {
    before.security != after.security
        || before.subnets != after.subnets
        || before.create.get_ip_address_type() != after.create.get_ip_address_type()
        || before.create.get_ipam_pools() != after.create.get_ipam_pools()
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, LOAD_BALANCER)?;
    let create = create_load_balancer(&p, CreateLoadBalancerInputBuilder::default())?
        .set_ipam_pools(
            p.str("Ipv4IpamPoolId")?
                .map(|id| IpamPools::builder().ipv4_ipam_pool_id(id).build()),
        );
    if create.get_subnets().is_some() && create.get_subnet_mappings().is_some() {
        return Err(ctx.fatal(
            "properties Subnets and SubnetMappings are both set; a load balancer takes one of \
             them, not both",
        ));
    }
    Ok(Spec {
        create,
        security: set_security_groups(&p, SetSecurityGroupsInputBuilder::default())?,
        subnets: set_subnets(&p, SetSubnetsInputBuilder::default())?,
        attributes: attribute_list(
            &p,
            "LoadBalancerAttributes",
            LOAD_BALANCER_ATTRIBUTE,
            load_balancer_attribute,
        )?,
        min_capacity: one(
            &p,
            "MinimumLoadBalancerCapacity",
            MINIMUM_LOAD_BALANCER_CAPACITY,
            minimum_load_balancer_capacity,
        )?,
        stabilize: p
            .bool("EnableCapacityReservationProvisionStabilize")?
            .unwrap_or(false),
        tags: p.tags("Tags")?,
    })
}
