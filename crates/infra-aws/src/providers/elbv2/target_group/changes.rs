//! `AWS::ElasticLoadBalancingV2::TargetGroup` changes: what CreateTargetGroup does not take, and
//! every in-place update, applied with ModifyTargetGroup, ModifyTargetGroupAttributes,
//! RegisterTargets / DeregisterTargets (the tags are changed by the provider with AddTags /
//! RemoveTags).

use aws_sdk_elasticloadbalancingv2::operation::modify_target_group::builders::ModifyTargetGroupInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::TargetDescription;

use super::TargetGroupProvider;
use super::spec::Spec;
use crate::providers::elbv2::attributes::modify_attributes;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

impl TargetGroupProvider {
    /// Brings target group `arn` from `before` to `after` (what changes in place).
    pub(super) async fn apply(&self, ctx: Ctx<'_>, arn: &str, specs: [&Spec; 2]) -> R<()> {
        let [before, after] = specs;
        let client = &self.elb.client;
        let api = &self.elb.api;
        let (b, a) = (&before.health, &after.health);
        // Only what changed, and only to a value: a setting left out keeps the one it has.
        macro_rules! changed {
            ($($get:ident, $set:ident;)*) => {
                ModifyTargetGroupInputBuilder::default()
                    $(.$set(a.$get().clone().filter(|_| a.$get() != b.$get())))*
            };
        }
        let health = changed! {
            get_health_check_enabled, set_health_check_enabled;
            get_health_check_interval_seconds, set_health_check_interval_seconds;
            get_health_check_path, set_health_check_path;
            get_health_check_port, set_health_check_port;
            get_health_check_protocol, set_health_check_protocol;
            get_health_check_timeout_seconds, set_health_check_timeout_seconds;
            get_healthy_threshold_count, set_healthy_threshold_count;
            get_unhealthy_threshold_count, set_unhealthy_threshold_count;
            get_matcher, set_matcher;
        };
        if health != ModifyTargetGroupInputBuilder::default() {
            health
                .target_group_arn(arn)
                .send_with(client)
                .await
                .map_err(|e| ctx.fail("changing the health check", api.err(e)))?;
        }
        let attributes = [&before.attributes[..], &after.attributes[..]];
        modify_attributes(&self.elb, ctx, attributes, |pairs| {
            client
                .modify_target_group_attributes()
                .target_group_arn(arn)
                .set_attributes(Some(pairs))
                .send()
        })
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
                        api.err(e),
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
                .map_err(|e| ctx.fail("deregistering targets", api.err(e)))?;
        }
        Ok(())
    }
}
