//! `AWS::ApplicationAutoScaling::ScalingPolicy`: PutScalingPolicy creates it and changes it in
//! place (it replaces the policy's configuration; the name and the target are create-only),
//! DeleteScalingPolicy deletes it (`ObjectNotFoundException`: already gone). The target is
//! `ScalingTargetId` (a scalable target's `Ref`, `ResourceId|ScalableDimension|ServiceNamespace`)
//! or `ResourceId` + `ScalableDimension` + `ServiceNamespace`. `StepScaling` and
//! `TargetTrackingScaling` are mapped, the target tracking metric predefined or one customized
//! CloudWatch metric. Refused: `PredictiveScalingPolicyConfiguration` (predictive scaling is
//! not supported yet) and, inside a customized metric, `Metrics` (metric math).
//!
//! The keys, the refusals, the PutScalingPolicy request (step scaling and target tracking
//! configurations) and the policy as refresh reports it are generated from the schema
//! (`crates/infra-aws/mappings/applicationautoscaling.toml`); the target is set by hand.
//!
//! `Ref` and `Fn::GetAtt Arn` are the policy ARN.
//!
//! Refresh: DescribeScalingPolicies per service namespace (the call requires one) with up to
//! 50 policy names, pages followed, matched by name, resource id and dimension. The write-only
//! `ScalingTargetId` and predefined metric `ResourceLabel` are kept as last applied. Find: the
//! natural key (policy name, namespace, resource id, dimension) with DescribeScalingPolicies
//! (the type cannot be tagged).

use crate::providers::kit::prelude::*;
use aws_sdk_applicationautoscaling::types::ScalingPolicy;

use super::common::{AppScaling, Lookup, all_pages, gone, observed, present, read_batched};
use super::scalable_target::{Target, on_target};
use crate::generated::applicationautoscaling::{
    SCALING_POLICY, put_scaling_policy, report_scaling_policy,
};

pub(crate) const TYPE: &str = "AWS::ApplicationAutoScaling::ScalingPolicy";

const TRACKING: &str = "TargetTrackingScalingPolicyConfiguration";

#[derive(Debug)]
pub(crate) struct AppPolicyProvider {
    pub(crate) svc: AppScaling,
}

fn props<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    Props::root(value, ctx, SCALING_POLICY)
}

/// The policy's target: `ScalingTargetId`, else the three properties.
fn target(p: &Props<'_>) -> Result<Target, ProviderError> {
    let Some(id) = p.str("ScalingTargetId")? else {
        return Target::of(p);
    };
    let why = format!("{id:?} is not ResourceId|ScalableDimension|ServiceNamespace");
    Target::parse_id(&id).ok_or_else(|| p.fatal("ScalingTargetId", why))
}

/// The policy's natural key: its target's id and its name.
fn key(target: &Target, name: &str) -> String {
    format!("{}|{name}", target.id())
}

fn output(arn: &str) -> ResourceOutput {
    output_of(arn, [("Arn", json!(arn))])
}

/// A described policy's natural key.
fn seen_key(p: &ScalingPolicy) -> String {
    let (namespace, dimension) = (p.service_namespace(), p.scalable_dimension());
    let target = Target::new(namespace, p.resource_id(), dimension);
    key(&target, p.policy_name())
}

fn observe(p: &ScalingPolicy, item: &ReadInput) -> Observation {
    let mut found = report_scaling_policy(p);
    // `ResourceLabel` is write-only: as last applied.
    let at = format!("/{TRACKING}/PredefinedMetricSpecification");
    let last = item.properties.pointer(&format!("{at}/ResourceLabel"));
    if let Some(Value::Object(m)) = found.pointer_mut(&at)
        && let Some(label) = last.and_then(kit::scalar_text)
    {
        m.insert("ResourceLabel".into(), Value::String(label));
    }
    let found = observed(found, &item.properties, &["ScalingTargetId"]);
    present(found, output(p.policy_arn()).attributes)
}

impl AppPolicyProvider {
    async fn put(&self, ctx: Ctx<'_>, value: &Value) -> Made {
        let p = props(value, ctx)?;
        let target = target(&p)?;
        let name = p.required_str("PolicyName")?;
        let request = put_scaling_policy(&p, self.svc.client.put_scaling_policy())?;
        let out = on_target!(request, target).send().await.map_err(|e| {
            let doing = format!("putting scaling policy {name} on {}", target.id());
            ctx.fail_referencing(doing, self.svc.err(e))
        })?;
        Ok(output(out.policy_arn()))
    }

    /// DescribeScalingPolicies of `names` in `namespace` (of `target` when given), every page.
    async fn describe(
        &self,
        namespace: String,
        target: Option<&Target>,
        names: Vec<String>,
        doing: &str,
    ) -> Result<Vec<ScalingPolicy>, ProviderError> {
        let request = self.svc.client.describe_scaling_policies();
        let request = request
            .service_namespace(namespace.as_str().into())
            .set_resource_id(target.map(|t| t.resource_id.clone()))
            .set_scalable_dimension(target.map(|t| t.dimension.as_str().into()));
        all_pages!(
            self.svc,
            doing,
            request.set_policy_names(Some(names)),
            scaling_policies
        )
    }
}

impl kit::Provider for AppPolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeScalingPolicies per namespace (50 policy names per call, pages followed)",
        Find::NaturalKey,
        "DescribeScalingPolicies of the policy name, namespace, resource id and dimension",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        self.put(ctx, &input.properties).await.map_err(on_create)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        self.put(ctx, &input.after).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let p = props(&input.properties, ctx)?;
        let (target, name) = (target(&p)?, p.required_str("PolicyName")?);
        let call = self.svc.client.delete_scaling_policy().policy_name(&name);
        let doing = format!("deleting scaling policy {name} of {}", target.id());
        let call = on_target!(call, target);
        kit::deleted(&self.svc, ctx, &doing, call.send(), gone).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = format!("refreshing {TYPE}");
        read_batched(
            items,
            |item| {
                let p = props(&item.properties, Ctx::new(TYPE, &item.address))?;
                let (target, name) = (target(&p)?, p.required_str("PolicyName")?);
                Ok(Lookup {
                    key: key(&target, &name),
                    parent: target.namespace,
                    name,
                })
            },
            |namespace, names| self.describe(namespace, None, names, &doing),
            seen_key,
            observe,
        )
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let p = props(&input.properties, ctx)?;
        let (target, name) = (target(&p)?, p.required_str("PolicyName")?);
        let doing = format!("{TYPE} {}: finding scaling policy {name}", input.address);
        let (namespace, names) = (target.namespace.clone(), vec![name.clone()]);
        let found = self.describe(namespace, Some(&target), names, &doing);
        let found = found.await?;
        let wanted = key(&target, &name);
        let found = found.iter().find(|p| seen_key(p) == wanted);
        Ok(found.map(|p| output(p.policy_arn())))
    }
}

#[cfg(test)]
#[path = "tests/app_policy.rs"]
mod tests;
