//! `AWS::ElasticLoadBalancingV2::TargetGroup` changes: what CreateTargetGroup does not take, and
//! every in-place update, applied with ModifyTargetGroup, ModifyTargetGroupAttributes,
//! RegisterTargets / DeregisterTargets and AddTags / RemoveTags.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    ProtocolEnum, TargetDescription, TargetGroupAttribute,
};

use super::TargetGroupProvider;
use super::spec::{HealthCheck, Spec};
use crate::provider::ProviderError;
use crate::providers::elbv2::shared::modify_attributes;

use crate::providers::kit::Ctx;

impl TargetGroupProvider {
    /// Brings target group `arn` from `before` to `after` (what changes in place).
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
        let (b, a) = (&before.health, &after.health);
        // Only what changed, and only to a value: a setting left out keeps the one it has.
        fn changed<T: Clone + PartialEq>(b: &Option<T>, a: &Option<T>) -> Option<T> {
            a.clone().filter(|_| a != b)
        }
        let health = HealthCheck {
            enabled: changed(&b.enabled, &a.enabled),
            interval: changed(&b.interval, &a.interval),
            path: changed(&b.path, &a.path),
            port: changed(&b.port, &a.port),
            protocol: changed(&b.protocol, &a.protocol),
            timeout: changed(&b.timeout, &a.timeout),
            healthy: changed(&b.healthy, &a.healthy),
            unhealthy: changed(&b.unhealthy, &a.unhealthy),
            matcher: changed(&b.matcher, &a.matcher),
        };
        if health != HealthCheck::default() {
            client
                .modify_target_group()
                .target_group_arn(arn)
                .set_health_check_enabled(health.enabled)
                .set_health_check_interval_seconds(health.interval)
                .set_health_check_path(health.path)
                .set_health_check_port(health.port)
                .set_health_check_protocol(health.protocol.as_deref().map(ProtocolEnum::from))
                .set_health_check_timeout_seconds(health.timeout)
                .set_healthy_threshold_count(health.healthy)
                .set_unhealthy_threshold_count(health.unhealthy)
                .set_matcher(health.matcher)
                .send()
                .await
                .map_err(|e| {
                    ctx.fail("changing the health check", api.err("ModifyTargetGroup", e))
                })?;
        }
        modify_attributes(
            ctx,
            &before.attributes,
            &after.attributes,
            |pairs| async move {
                client
                    .modify_target_group_attributes()
                    .target_group_arn(arn)
                    .set_attributes(Some(
                        pairs
                            .into_iter()
                            .map(|(k, v)| TargetGroupAttribute::builder().key(k).value(v).build())
                            .collect(),
                    ))
                    .send()
                    .await
                    .map_err(|e| api.err("ModifyTargetGroupAttributes", e))
            },
        )
        .await?;
        let added: Vec<TargetDescription> = after
            .targets
            .iter()
            .filter(|t| !before.targets.contains(t))
            .cloned()
            .collect();
        let removed: Vec<TargetDescription> = before
            .targets
            .iter()
            .filter(|t| !after.targets.contains(t))
            .cloned()
            .collect();
        if !added.is_empty() {
            client
                .register_targets()
                .target_group_arn(arn)
                .set_targets(Some(added))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail_referencing_except(
                        Some("TargetGroupNotFound"),
                        "registering targets",
                        api.err("RegisterTargets", e),
                    )
                })?;
        }
        if !removed.is_empty() {
            client
                .deregister_targets()
                .target_group_arn(arn)
                .set_targets(Some(removed))
                .send()
                .await
                .map_err(|e| ctx.fail("deregistering targets", api.err("DeregisterTargets", e)))?;
        }
        if before_tags != after_tags {
            self.elb
                .update_tags(ctx, arn, before_tags, after_tags)
                .await?;
        }
        Ok(())
    }
}
