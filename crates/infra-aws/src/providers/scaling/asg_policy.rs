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

use aws_sdk_autoscaling::types::ScalingPolicy;
use serde_json::{Value, json};

use super::common::{AutoScaling, all_pages, in_group, made_up_name, observed, present};
use super::group_object::{self, GroupObject};
use crate::error::AwsError;
use crate::generated::autoscaling::{SCALING_POLICY, put_scaling_policy, report_scaling_policy};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::{self, Ctx, Found, Keys, Made, Props, Reads};

/// The type.
pub(crate) const TYPE: &str = "AWS::AutoScaling::ScalingPolicy";

/// The provider.
#[derive(Debug)]
pub(crate) struct AsgPolicyProvider {
    pub(crate) svc: AutoScaling,
}

fn props<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    Props::root(value, ctx, SCALING_POLICY)
}

fn output(policy: &ScalingPolicy) -> ResourceOutput {
    let arn = policy.policy_arn().unwrap_or_default();
    ResourceOutput {
        physical_id: arn.to_owned(),
        attributes: BTreeMap::from([
            ("Arn".to_owned(), json!(arn)),
            ("PolicyName".to_owned(), json!(policy.policy_name())),
        ]),
    }
}

impl AsgPolicyProvider {
    /// PutScalingPolicy of `name` with the template's values; the policy as described after.
    async fn put(&self, ctx: Ctx<'_>, name: &str, value: &Value) -> Made {
        let p = props(value, ctx)?;
        let group = p.required_str("AutoScalingGroupName")?;
        let request = self.svc.client.put_scaling_policy();
        let put = put_scaling_policy(&p, request)?
            .policy_name(name)
            .send()
            .await
            .map_err(|e| {
                let doing = format!("putting scaling policy {name} on group {group}");
                ctx.fail_referencing(doing, self.svc.err("PutScalingPolicy", e))
            })?;
        let arn = put.policy_arn().unwrap_or_default();
        Ok(ResourceOutput {
            physical_id: arn.to_owned(),
            attributes: BTreeMap::from([
                ("Arn".to_owned(), json!(arn)),
                ("PolicyName".to_owned(), json!(name)),
            ]),
        })
    }
}

impl GroupObject for AsgPolicyProvider {
    type Object = ScalingPolicy;
    const WHAT: &'static str = "scaling policy";
    const KEYS: Keys<'static> = SCALING_POLICY;
    const DELETE: &'static str = "DeletePolicy";
    const PER_GROUP: bool = false;

    /// The policy's name: recorded at create, else made up again from the create's intent.
    fn name(
        attributes: &BTreeMap<String, Value>,
        _physical_id: &str,
        ctx: Ctx<'_>,
    ) -> Result<String, ProviderError> {
        attributes
            .get("PolicyName")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| ctx.fatal("the record has no PolicyName attribute"))
    }

    fn identity(p: &ScalingPolicy) -> String {
        in_group(p.auto_scaling_group_name(), p.policy_name())
    }

    fn observe(p: &ScalingPolicy, item: &ReadInput) -> Observation {
        let found = report_scaling_policy(p);
        present(observed(found, &item.properties, &[]), output(p).attributes)
    }

    /// DescribePolicies of `names` (in `group` when given), every page; none when the group
    /// is gone.
    async fn describe(
        &self,
        group: Option<String>,
        names: Vec<String>,
        doing: &str,
    ) -> Result<Vec<ScalingPolicy>, ProviderError> {
        all_pages!(
            self.svc,
            "DescribePolicies",
            doing,
            |token| self
                .svc
                .client
                .describe_policies()
                .set_auto_scaling_group_name(group.clone())
                .set_policy_names(Some(names.clone()))
                .set_next_token(token.take()),
            scaling_policies
        )
    }

    async fn delete_call(&self, group: &str, name: &str) -> Result<(), AwsError> {
        let call = self.svc.client.delete_policy().policy_name(name);
        let sent = call.auto_scaling_group_name(group).send().await;
        sent.map(drop).map_err(|e| self.svc.err(Self::DELETE, e))
    }
}

impl kit::Provider for AsgPolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribePolicies (50 names per call, pages followed)",
        Find::NaturalKey,
        "DescribePolicies of the group and the name made up from the create's intent",
    );

    async fn create(&self, input: &CreateInput) -> Made {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = made_up_name(&input.address, input.checkpoint.key());
        self.put(ctx, &name, &input.properties).await
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = Self::name(&input.attributes, &input.physical_id, ctx)?;
        self.put(ctx, &name, &input.after).await
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        group_object::delete(self, input).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        group_object::read(self, items).await
    }

    async fn find(&self, input: &FindInput) -> Found {
        let name = made_up_name(&input.address, input.checkpoint.key());
        let found = group_object::find(self, input, &name).await?;
        Ok(found.as_ref().map(output))
    }
}

#[cfg(test)]
#[path = "tests/asg_policy.rs"]
mod tests;
