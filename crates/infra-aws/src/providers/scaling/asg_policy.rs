//! `AWS::AutoScaling::ScalingPolicy`: PutScalingPolicy creates it and changes it in place (it
//! replaces the policy's whole configuration; only `AutoScalingGroupName` is create-only),
//! DeletePolicy deletes it (a policy or group already gone is success). `SimpleScaling`,
//! `StepScaling` and `TargetTrackingScaling` are mapped, the target tracking metric predefined
//! or one customized CloudWatch metric. Refused: `PredictiveScalingConfiguration` (predictive
//! scaling is not supported yet) and, inside a customized metric, `Metrics` (metric math) and
//! `Period`.
//!
//! The keys, the refusals, the PutScalingPolicy request (steps, target tracking) and the policy
//! as refresh reports it are generated from the schema
//! (`crates/infra-aws/mappings/autoscaling.toml`); the name is set by hand.
//!
//! `PolicyName` is read-only in CloudFormation: infra names the policy `<logical id>-<SUFFIX>`,
//! the suffix derived from the create's intent ([`super::common::made_up_name`]). `Ref` and
//! `Fn::GetAtt Arn` are the policy ARN, `Fn::GetAtt PolicyName` that name.
//!
//! Refresh: DescribePolicies with up to 50 policy names per call (no group needed), pages
//! followed; a policy is matched by group and name. Find: the natural key, the group and the
//! made-up name, with DescribePolicies (the type cannot be tagged).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::types::ScalingPolicy;

use super::common::{AutoScaling, in_group};
use super::group_object::{GroupObject, delete_call, describe_call};
use crate::error::AwsError;
use crate::generated::autoscaling::{SCALING_POLICY, put_scaling_policy, report_scaling_policy};

pub(crate) const TYPE: &str = "AWS::AutoScaling::ScalingPolicy";

#[derive(Debug)]
pub(crate) struct AsgPolicyProvider {
    pub(crate) svc: AutoScaling,
}

fn props<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    Props::root(value, ctx, SCALING_POLICY)
}

/// `Ref` and `Fn::GetAtt Arn`: the policy ARN; `Fn::GetAtt PolicyName`: its name.
fn output(arn: &str, name: Option<&str>) -> ResourceOutput {
    output_of(arn, [("Arn", json!(arn)), ("PolicyName", json!(name))])
}

impl GroupObject for AsgPolicyProvider {
    type Object = ScalingPolicy;
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribePolicies (50 names per call, pages followed)",
        Find::NaturalKey,
        "DescribePolicies of the group and the name made up from the create's intent",
    );
    const WHAT: &'static str = "scaling policy";
    const KEYS: Keys<'static> = SCALING_POLICY;
    const PER_GROUP: bool = false;

    /// The policy's name: recorded at create, else made up again from the create's intent.
    fn name(
        attributes: &BTreeMap<String, Value>,
        _physical_id: &str,
        ctx: Ctx<'_>,
    ) -> Result<String, ProviderError> {
        let name = attributes.get("PolicyName").and_then(Value::as_str);
        let name = name.ok_or_else(|| ctx.fatal("the record has no PolicyName attribute"))?;
        Ok(name.to_owned())
    }

    const IDENTITY: fn(&ScalingPolicy) -> String =
        |p| in_group(p.auto_scaling_group_name(), p.policy_name());
    const REPORT: fn(&ScalingPolicy) -> Value = report_scaling_policy;
    const OUTPUT: fn(&ScalingPolicy) -> ResourceOutput =
        |p| output(p.policy_arn().unwrap_or_default(), p.policy_name());

    /// PutScalingPolicy of `name` with the template's values (it replaces the whole
    /// configuration).
    async fn put(&self, ctx: Ctx<'_>, name: &str, value: &Value, _: Option<&Value>) -> Made {
        let p = props(value, ctx)?;
        let group = p.required_str("AutoScalingGroupName")?;
        let request = put_scaling_policy(&p, self.svc.client.put_scaling_policy())?;
        let put = request.policy_name(name).send().await.map_err(|e| {
            let doing = format!("putting scaling policy {name} on group {group}");
            ctx.fail_referencing(doing, self.svc.err(e))
        })?;
        Ok(output(put.policy_arn().unwrap_or_default(), Some(name)))
    }

    describe_call!(describe_policies, set_policy_names, scaling_policies);

    delete_call!(delete_policy, policy_name);
}

#[cfg(test)]
#[path = "tests/asg_policy.rs"]
mod tests;
