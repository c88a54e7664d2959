//! `AWS::ElasticLoadBalancingV2::LoadBalancer` changes: what CreateLoadBalancer does not take,
//! and every in-place update, applied with the Set* / Modify* calls (the tags are changed by
//! the provider with AddTags / RemoveTags).

use aws_sdk_elasticloadbalancingv2::types::{IpAddressType, RemoveIpamPoolEnum};

use super::LoadBalancerProvider;
use super::spec::Spec;
use crate::providers::elbv2::attributes::modify_attributes;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

impl LoadBalancerProvider {
    /// Brings load balancer `arn` from `before` to `after` (everything but name, type and
    /// scheme).
    pub(super) async fn apply(&self, ctx: Ctx<'_>, arn: &str, specs: [&Spec; 2]) -> R<()> {
        let [before, after] = specs;
        let client = &self.elb.client;
        let api = &self.elb.api;
        if before.security != after.security {
            let groups = after.security.get_security_groups().clone();
            after
                .security
                .clone()
                .load_balancer_arn(arn)
                .set_security_groups(Some(groups.unwrap_or_default()))
                .send_with(client)
                .await
                .map_err(|e| {
                    ctx.fail_referencing_except(
                        Some("LoadBalancerNotFound"),
                        "setting the security groups",
                        api.err(e),
                    )
                })?;
        }
        if before.subnets != after.subnets {
            after
                .subnets
                .clone()
                .load_balancer_arn(arn)
                .send_with(client)
                .await
                .map_err(|e| {
                    ctx.fail_referencing_except(
                        Some("LoadBalancerNotFound"),
                        "setting the subnets",
                        api.err(e),
                    )
                })?;
        }
        let ip_address_type = after.create.get_ip_address_type();
        if before.create.get_ip_address_type() != ip_address_type {
            let kind = ip_address_type.clone().unwrap_or(IpAddressType::Ipv4);
            client
                .set_ip_address_type()
                .load_balancer_arn(arn)
                .ip_address_type(kind.clone())
                .send()
                .await
                .map_err(|e| {
                    ctx.fail(
                        format!("setting the IP address type to {}", kind.as_str()),
                        api.err(e),
                    )
                })?;
        }
        if before.create.get_ipam_pools() != after.create.get_ipam_pools() {
            let request = client.modify_ip_pools().load_balancer_arn(arn);
            let request = match after.create.get_ipam_pools() {
                Some(pools) => request.ipam_pools(pools.clone()),
                None => request.remove_ipam_pools(RemoveIpamPoolEnum::Ipv4),
            };
            request.send().await.map_err(|e| {
                ctx.fail_referencing_except(
                    Some("LoadBalancerNotFound"),
                    "setting the IPAM pool",
                    api.err(e),
                )
            })?;
        }
        let attributes = [&before.attributes[..], &after.attributes[..]];
        modify_attributes(&self.elb, ctx, attributes, |pairs| {
            client
                .modify_load_balancer_attributes()
                .load_balancer_arn(arn)
                .set_attributes(Some(pairs))
                .send()
        })
        .await?;
        if before.min_capacity != after.min_capacity {
            let request = client.modify_capacity_reservation().load_balancer_arn(arn);
            let request = match after.min_capacity.clone() {
                Some(capacity) => request.minimum_load_balancer_capacity(capacity),
                None => request.reset_capacity_reservation(true),
            };
            request
                .send()
                .await
                .map_err(|e| ctx.fail("setting the minimum capacity", api.err(e)))?;
            if after.stabilize && after.min_capacity.is_some() {
                self.wait_capacity(ctx, arn).await?;
            }
        }
        Ok(())
    }
}
