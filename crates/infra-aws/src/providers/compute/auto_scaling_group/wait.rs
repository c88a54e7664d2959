//! `AWS::AutoScaling::AutoScalingGroup` waiters: until the group's instances are in service,
//! failing early on a scaling activity that failed.

use std::time::Duration;

use aws_sdk_autoscaling::types::{
    Activity, AutoScalingGroup, LifecycleState, ScalingActivityStatusCode,
};

use super::AutoScalingGroupProvider;
use crate::providers::compute::LastSeen;
use crate::providers::kit::poll;
use crate::providers::kit::prelude::*;

/// How long a create or update waits for the instances (Terraform's default
/// `wait_for_capacity_timeout`).
pub(super) const CAPACITY_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Failed scaling activities Auto Scaling retries by itself: not a reason to fail the create.
pub(super) const TRANSIENT_ACTIVITY_MESSAGES: &[&str] = &[
    "Invalid IAM Instance Profile",
    "InsufficientInstanceCapacity",
    "We currently do not have sufficient",
    "There is no Spot capacity available",
];

impl AutoScalingGroupProvider {
    /// Waits until the group's in-service, healthy capacity is its desired capacity; fails at
    /// once on a failed scaling activity started at or after `since` (when given).
    pub(super) async fn wait_for_capacity(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        since: Option<aws_smithy_types::DateTime>,
    ) -> Result<AutoScalingGroup, ProviderError> {
        let last = LastSeen::default();
        last.set("not yet described");
        let settled = poll(CAPACITY_TIMEOUT, || async {
            let group = self.describe_one(ctx, name).await?.ok_or_else(|| {
                let gone = format!("group {name} disappeared while its instances were starting");
                ctx.error(FailureClass::NotFound, gone)
            })?;
            let desired = group.desired_capacity().unwrap_or(0);
            let in_service = in_service_capacity(&group);
            last.set(format!("{in_service} of {desired} in service"));
            if desired <= 0 || in_service >= desired {
                return Ok(Some(group));
            }
            if let Some(since) = &since
                && let Some(failed) = self.failed_activity(ctx, name, since).await?
            {
                return Err(ctx.fatal(format!(
                    "group {name} could not launch instances: {}",
                    describe_activity(&failed)
                )));
            }
            Ok(None)
        })
        .await?;
        settled.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for the instances of group {name} ({})",
                CAPACITY_TIMEOUT.as_secs() / 60,
                last.get()
            ))
        })
    }

    /// The latest failed scaling activity of the group since `since` that Auto Scaling will
    /// not retry by itself.
    pub(super) async fn failed_activity(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        since: &aws_smithy_types::DateTime,
    ) -> Result<Option<Activity>, ProviderError> {
        let request = self.svc.client.describe_scaling_activities();
        let request = request.auto_scaling_group_name(name).max_records(20);
        let doing = format!("reading the scaling activities of group {name}");
        let out = send!(&self.svc, ctx, request, doing)?;
        Ok(out
            .activities()
            .iter()
            .filter(|a| a.status_code() == Some(&ScalingActivityStatusCode::Failed))
            .filter(|a| a.start_time().is_some_and(|t| t.secs() >= since.secs()))
            .find(|a| {
                let message = a.status_message().unwrap_or_default();
                !TRANSIENT_ACTIVITY_MESSAGES
                    .iter()
                    .any(|m| message.contains(m))
            })
            .cloned())
    }
}

/// In-service, healthy capacity (weighted when the instances carry weights).
pub(super) fn in_service_capacity(group: &AutoScalingGroup) -> i32 {
    group
        .instances()
        .iter()
        .filter(|i| i.lifecycle_state() == Some(&LifecycleState::InService))
        .filter(|i| {
            i.health_status()
                .is_none_or(|h| h.eq_ignore_ascii_case("Healthy"))
        })
        .map(|i| {
            i.weighted_capacity()
                .and_then(|w| w.parse::<i32>().ok())
                .unwrap_or(1)
        })
        .sum()
}

pub(super) fn describe_activity(activity: &Activity) -> String {
    let message = activity.status_message().unwrap_or_default();
    match activity.description() {
        Some(description) if message.is_empty() => description.to_owned(),
        Some(description) => format!("{message} ({description})"),
        None => message.to_owned(),
    }
}
