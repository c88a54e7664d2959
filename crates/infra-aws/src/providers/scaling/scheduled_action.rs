//! `AWS::AutoScaling::ScheduledAction`: PutScheduledUpdateGroupAction creates it and changes it
//! in place (only `AutoScalingGroupName` is create-only), DeleteScheduledAction deletes it (an
//! action or group already gone is success). Every property is mapped; `StartTime` and
//! `EndTime` are ISO 8601 times.
//!
//! The keys, the PutScheduledUpdateGroupAction request and the action as refresh reports it are
//! generated from the schema (`crates/infra-aws/mappings/autoscaling.toml`); the name is set by
//! hand.
//!
//! `ScheduledActionName` is read-only in CloudFormation: infra names the action
//! `<logical id>-<SUFFIX>`, the suffix derived from the create's intent, so a retried or
//! interrupted create looks for the very name it used ([`super::common::made_up_name`]). `Ref`
//! and `Fn::GetAtt ScheduledActionName` are that name.
//!
//! Refresh: DescribeScheduledActions with up to 50 names per call (no group needed), pages
//! followed; an action is matched by group and name. Find: the natural key, the group and the
//! made-up name, with DescribeScheduledActions (the type cannot be tagged).

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::types::ScheduledUpdateGroupAction;

use super::common::{AutoScaling, in_group};
use super::group_object::{GroupObject, delete_call, describe_call};
use crate::error::AwsError;
use crate::generated::autoscaling::{
    SCHEDULED_ACTION, put_scheduled_update_group_action, report_scheduled_update_group_action,
};

pub(crate) const TYPE: &str = "AWS::AutoScaling::ScheduledAction";

#[derive(Debug)]
pub(crate) struct ScheduledActionProvider {
    pub(crate) svc: AutoScaling,
}

fn props<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    Props::root(value, ctx, SCHEDULED_ACTION)
}

fn output(name: &str) -> ResourceOutput {
    output_of(name, [("ScheduledActionName", json!(name))])
}

impl GroupObject for ScheduledActionProvider {
    type Object = ScheduledUpdateGroupAction;
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeScheduledActions (50 names per call, pages followed)",
        Find::NaturalKey,
        "DescribeScheduledActions of the group and the name made up from the create's intent",
    );
    const WHAT: &'static str = "scheduled action";
    const KEYS: Keys<'static> = SCHEDULED_ACTION;
    const PER_GROUP: bool = false;

    const IDENTITY: fn(&Self::Object) -> String =
        |a| in_group(a.auto_scaling_group_name(), a.scheduled_action_name());
    const REPORT: fn(&Self::Object) -> Value = report_scheduled_update_group_action;
    const OUTPUT: fn(&Self::Object) -> ResourceOutput =
        |a| output(a.scheduled_action_name().unwrap_or_default());

    async fn put(&self, ctx: Ctx<'_>, name: &str, value: &Value, _: Option<&Value>) -> Made {
        let p = props(value, ctx)?;
        let group = p.required_str("AutoScalingGroupName")?;
        let request = self.svc.client.put_scheduled_update_group_action();
        let request = put_scheduled_update_group_action(&p, request)?;
        let sent = request.scheduled_action_name(name).send().await;
        sent.map_err(|e| {
            let doing = format!("putting scheduled action {name} on group {group}");
            ctx.fail_referencing(doing, self.svc.err(e))
        })?;
        Ok(output(name))
    }

    describe_call!(
        describe_scheduled_actions,
        set_scheduled_action_names,
        scheduled_update_group_actions
    );

    delete_call!(delete_scheduled_action, scheduled_action_name);
}

#[cfg(test)]
#[path = "tests/scheduled_action.rs"]
mod tests;
