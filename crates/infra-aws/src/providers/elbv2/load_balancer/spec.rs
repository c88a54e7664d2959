//! `AWS::ElasticLoadBalancingV2::LoadBalancer` properties: the supported keys, the template's
//! properties parsed and checked into a [`Spec`], and which changes reshape the load balancer.

use aws_sdk_elasticloadbalancingv2::types::{
    EnablePrefixForIpv6SourceNatEnum, EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum,
    IpAddressType, LoadBalancerSchemeEnum, LoadBalancerTypeEnum, SubnetMapping,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

const SUPPORTED: &[&str] = &[
    "EnableCapacityReservationProvisionStabilize",
    "EnablePrefixForIpv6SourceNat",
    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    "IpAddressType",
    "Ipv4IpamPoolId",
    "LoadBalancerAttributes",
    "MinimumLoadBalancerCapacity",
    "Name",
    "Scheme",
    "SecurityGroups",
    "SubnetMappings",
    "Subnets",
    "Tags",
    "Type",
];

/// A load balancer as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) scheme: Option<String>,
    pub(super) kind: Option<String>,
    pub(super) ip_address_type: Option<String>,
    pub(super) subnets: Option<Vec<String>>,
    pub(super) mappings: Option<Vec<SubnetMapping>>,
    pub(super) security_groups: Option<Vec<String>>,
    pub(super) enforce_sg: Option<String>,
    pub(super) prefix_nat: Option<String>,
    pub(super) ipam_pool: Option<String>,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) min_capacity: Option<i32>,
    pub(super) stabilize: bool,
    pub(super) tags: Vec<(String, String)>,
}

impl Spec {
    pub(super) fn scheme(&self) -> &str {
        self.scheme.as_deref().unwrap_or("internet-facing")
    }

    pub(super) fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("application")
    }
}

/// Whether going from `before` to `after` changes what DescribeLoadBalancers reports.
pub(super) fn reshaped(before: &Spec, after: &Spec) -> bool {
    before.security_groups != after.security_groups
        || before.enforce_sg != after.enforce_sg
        || before.subnets != after.subnets
        || before.mappings != after.mappings
        || before.prefix_nat != after.prefix_nat
        || before.ip_address_type != after.ip_address_type
        || before.ipam_pool != after.ipam_pool
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let checked = |key: &str, values: &[&str]| -> Result<Option<String>, ProviderError> {
        let Some(v) = props.str(key)? else {
            return Ok(None);
        };
        kit::one_of::<String>(&v, values, key, ctx).map(Some)
    };
    let subnets = props
        .get("Subnets")
        .map(|v| kit::str_list(v, "Subnets", ctx))
        .transpose()?;
    let mappings = props
        .get("SubnetMappings")
        .map(|v| parse_mappings(v, ctx))
        .transpose()?;
    if subnets.is_some() && mappings.is_some() {
        return Err(ctx.fatal(
            "properties Subnets and SubnetMappings are both set; a load balancer takes one of \
             them, not both",
        ));
    }
    let min_capacity = props
        .get("MinimumLoadBalancerCapacity")
        .map(|v| {
            Props::object(
                v,
                "MinimumLoadBalancerCapacity",
                ctx,
                Keys::with(&["CapacityUnits"], &[]).listed(),
            )?
            .i32("CapacityUnits")?
            .ok_or_else(|| {
                ctx.fatal("property MinimumLoadBalancerCapacity.CapacityUnits is required")
            })
        })
        .transpose()?;
    Ok(Spec {
        name: props.str("Name")?,
        scheme: checked("Scheme", LoadBalancerSchemeEnum::values())?,
        kind: checked("Type", LoadBalancerTypeEnum::values())?,
        ip_address_type: checked("IpAddressType", IpAddressType::values())?,
        subnets,
        mappings,
        security_groups: props
            .get("SecurityGroups")
            .map(|v| kit::str_list(v, "SecurityGroups", ctx))
            .transpose()?,
        enforce_sg: checked(
            "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
            EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::values(),
        )?,
        prefix_nat: checked(
            "EnablePrefixForIpv6SourceNat",
            EnablePrefixForIpv6SourceNatEnum::values(),
        )?,
        ipam_pool: props.str("Ipv4IpamPoolId")?,
        attributes: kit::key_values(
            props.get("LoadBalancerAttributes"),
            "LoadBalancerAttributes",
            ctx,
        )?,
        min_capacity,
        stabilize: props
            .bool("EnableCapacityReservationProvisionStabilize")?
            .unwrap_or(false),
        tags: props.tags("Tags")?,
    })
}

fn parse_mappings(value: &Value, ctx: Ctx<'_>) -> Result<Vec<SubnetMapping>, ProviderError> {
    kit::list(value, "SubnetMappings", ctx)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("SubnetMappings[{i}]");
            let o = Props::object(
                item,
                &path,
                ctx,
                Keys::with(
                    &[
                        "SubnetId",
                        "AllocationId",
                        "PrivateIPv4Address",
                        "IPv6Address",
                        "SourceNatIpv6Prefix",
                    ],
                    &[],
                )
                .listed(),
            )?;
            Ok(SubnetMapping::builder()
                .subnet_id(o.required_str("SubnetId")?)
                .set_allocation_id(o.str("AllocationId")?)
                .set_private_ipv4_address(o.str("PrivateIPv4Address")?)
                .set_ipv6_address(o.str("IPv6Address")?)
                .set_source_nat_ipv6_prefix(o.str("SourceNatIpv6Prefix")?)
                .build())
        })
        .collect()
}
