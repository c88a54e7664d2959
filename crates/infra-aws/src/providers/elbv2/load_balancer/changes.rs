//! `AWS::ElasticLoadBalancingV2::LoadBalancer` changes: what CreateLoadBalancer does not take,
//! and every in-place update, applied with the Set* / Modify* calls and AddTags / RemoveTags.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    EnablePrefixForIpv6SourceNatEnum, EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum,
    IpAddressType, IpamPools, LoadBalancerAttribute, MinimumLoadBalancerCapacity,
    RemoveIpamPoolEnum,
};

use super::LoadBalancerProvider;
use super::spec::Spec;
use crate::provider::ProviderError;
use crate::providers::elbv2::shared::modify_attributes;

use crate::providers::kit::Ctx;

impl LoadBalancerProvider {
    /// Brings load balancer `arn` from `before` to `after` (everything but name, type and
    /// scheme).
    pub(super) async fn apply_changes(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        before: &Spec,
        after: &Spec,
        before_tags: &BTreeMap<String, String>,
        after_tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let client = &self.elb.client;
        let api = &self.elb.api;
        if before.security_groups != after.security_groups || before.enforce_sg != after.enforce_sg
        {
            client
                .set_security_groups()
                .load_balancer_arn(arn)
                .set_security_groups(Some(after.security_groups.clone().unwrap_or_default()))
                .set_enforce_security_group_inbound_rules_on_private_link_traffic(
                    after
                        .enforce_sg
                        .as_deref()
                        .map(EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::from),
                )
                .send()
                .await
                .map_err(|e| {
                    ctx.fail_referencing_except(
                        Some("LoadBalancerNotFound"),
                        "setting the security groups",
                        api.err("SetSecurityGroups", e),
                    )
                })?;
        }
        if before.subnets != after.subnets
            || before.mappings != after.mappings
            || before.prefix_nat != after.prefix_nat
        {
            client
                .set_subnets()
                .load_balancer_arn(arn)
                .set_subnets(after.subnets.clone())
                .set_subnet_mappings(after.mappings.clone())
                .set_enable_prefix_for_ipv6_source_nat(
                    after
                        .prefix_nat
                        .as_deref()
                        .map(EnablePrefixForIpv6SourceNatEnum::from),
                )
                .send()
                .await
                .map_err(|e| {
                    ctx.fail_referencing_except(
                        Some("LoadBalancerNotFound"),
                        "setting the subnets",
                        api.err("SetSubnets", e),
                    )
                })?;
        }
        if before.ip_address_type != after.ip_address_type {
            let kind = after.ip_address_type.as_deref().unwrap_or("ipv4");
            client
                .set_ip_address_type()
                .load_balancer_arn(arn)
                .ip_address_type(IpAddressType::from(kind))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail(
                        format!("setting the IP address type to {kind}"),
                        api.err("SetIpAddressType", e),
                    )
                })?;
        }
        if before.ipam_pool != after.ipam_pool {
            let request = client.modify_ip_pools().load_balancer_arn(arn);
            let request = match &after.ipam_pool {
                Some(id) => request.ipam_pools(IpamPools::builder().ipv4_ipam_pool_id(id).build()),
                None => request.remove_ipam_pools(RemoveIpamPoolEnum::Ipv4),
            };
            request.send().await.map_err(|e| {
                ctx.fail_referencing_except(
                    Some("LoadBalancerNotFound"),
                    "setting the IPAM pool",
                    api.err("ModifyIpPools", e),
                )
            })?;
        }
        modify_attributes(
            ctx,
            &before.attributes,
            &after.attributes,
            |pairs| async move {
                client
                    .modify_load_balancer_attributes()
                    .load_balancer_arn(arn)
                    .set_attributes(Some(
                        pairs
                            .into_iter()
                            .map(|(k, v)| LoadBalancerAttribute::builder().key(k).value(v).build())
                            .collect(),
                    ))
                    .send()
                    .await
                    .map_err(|e| api.err("ModifyLoadBalancerAttributes", e))
            },
        )
        .await?;
        if before.min_capacity != after.min_capacity {
            let request = client.modify_capacity_reservation().load_balancer_arn(arn);
            let request = match after.min_capacity {
                Some(units) => request.minimum_load_balancer_capacity(
                    MinimumLoadBalancerCapacity::builder()
                        .capacity_units(units)
                        .build(),
                ),
                None => request.reset_capacity_reservation(true),
            };
            request.send().await.map_err(|e| {
                ctx.fail(
                    "setting the minimum capacity",
                    api.err("ModifyCapacityReservation", e),
                )
            })?;
            if after.stabilize && after.min_capacity.is_some() {
                self.wait_capacity(ctx, arn).await?;
            }
        }
        if before_tags != after_tags {
            self.elb
                .update_tags(ctx, arn, before_tags, after_tags)
                .await?;
        }
        Ok(())
    }
}
