//! `AWS::ApplicationAutoScaling::ScalableTarget`: RegisterScalableTarget creates it (with the
//! template's and infra's tags) and changes `MinCapacity`, `MaxCapacity`, `RoleARN` and
//! `SuspendedState` in place (`ResourceId`, `ScalableDimension` and `ServiceNamespace` are
//! create-only); `ScheduledActions` are PutScheduledAction / DeleteScheduledAction on the
//! target ([`super::target_actions`]); `Tags` change with TagResource / UntagResource.
//! DeregisterScalableTarget deletes it, with its policies and scheduled actions
//! (`ObjectNotFoundException`: already gone). Every property is mapped. Removing
//! `SuspendedState` resumes every kind of scaling; removing `RoleARN` keeps the role AWS holds
//! (the API cannot unset it; AWS then uses its service-linked role anyway).
//!
//! The keys, the RegisterScalableTarget request (with the state a removed `SuspendedState`
//! restores) and the target as refresh reports it are generated from the schema
//! (`crates/infra-aws/mappings/applicationautoscaling.toml`); tags and scheduled actions are
//! set by hand.
//!
//! `Ref` and `Fn::GetAtt Id` are `ResourceId|ScalableDimension|ServiceNamespace`, as
//! CloudFormation returns them.
//!
//! Refresh: DescribeScalableTargets per service namespace (the call requires one) with up to
//! 50 resource ids, pages followed, matched by resource id and dimension. `RoleARN` is
//! write-only in the schema and kept as last applied. Scheduled actions
//! (DescribeScheduledActions) and tags (ListTagsForResource) have no batch call: they are read
//! per target, only when the template manages them. Find: the natural key (namespace, resource
//! id, dimension) with DescribeScalableTargets: there is one target per key in an account and
//! region, so no tag check is needed (and AWS's emulators cannot tag it).

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::prelude::*;
use aws_sdk_applicationautoscaling::types::{ScalableDimension, ScalableTarget, ServiceNamespace};

use super::common::{AppScaling, Lookup, all_pages, gone, observed, present, read_batched};
use super::target_actions;
use crate::generated::applicationautoscaling::{
    SCALABLE_TARGET, register_scalable_target, report_scalable_target,
};

pub(crate) const TYPE: &str = "AWS::ApplicationAutoScaling::ScalableTarget";

/// A scalable target's natural key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) namespace: String,
    pub(crate) resource_id: String,
    pub(crate) dimension: String,
}

impl Target {
    /// `ResourceId|ScalableDimension|ServiceNamespace`: what `Ref` returns.
    pub(crate) fn id(&self) -> String {
        format!("{}|{}|{}", self.resource_id, self.dimension, self.namespace)
    }

    /// The key an id ([`Target::id`]) names.
    pub(crate) fn parse_id(id: &str) -> Option<Target> {
        let mut parts = id.rsplitn(3, '|').map(str::to_owned);
        let (namespace, dimension, resource_id) = (parts.next()?, parts.next()?, parts.next()?);
        Some(Target {
            namespace,
            resource_id,
            dimension,
        })
    }

    /// The key the properties give (`ResourceId`, `ScalableDimension`, `ServiceNamespace`).
    pub(crate) fn of(p: &Props<'_>) -> Result<Target, ProviderError> {
        Ok(Target {
            namespace: p.required_str("ServiceNamespace")?,
            resource_id: p.required_str("ResourceId")?,
            dimension: p.required_str("ScalableDimension")?,
        })
    }

    /// The key AWS describes (a target, a policy) by.
    pub(crate) fn new(
        namespace: &ServiceNamespace,
        resource_id: &str,
        dimension: &ScalableDimension,
    ) -> Target {
        Target {
            namespace: namespace.as_str().to_owned(),
            resource_id: resource_id.to_owned(),
            dimension: dimension.as_str().to_owned(),
        }
    }

    fn seen(t: &ScalableTarget) -> Target {
        let (namespace, dimension) = (t.service_namespace(), t.scalable_dimension());
        Target::new(namespace, t.resource_id(), dimension)
    }
}

/// `$call` about scalable target `$target` (a [`Target`]): its namespace, resource id and
/// dimension set.
macro_rules! on_target {
    ($call:expr, $target:expr) => {
        $call
            .service_namespace($target.namespace.as_str().into())
            .resource_id(&$target.resource_id)
            .scalable_dimension($target.dimension.as_str().into())
    };
}
pub(crate) use on_target;

fn props<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    Props::root(value, ctx, SCALABLE_TARGET)
}

fn output(target: &Target) -> ResourceOutput {
    output_of(&target.id(), [("Id", json!(target.id()))])
}

/// Whether RegisterScalableTarget says an ECS service or a role made a moment ago is not
/// visible yet: `ValidationException` "ECS service doesn't exist" (DescribeServices is
/// eventually consistent) or "Unable to assume IAM role" (Terraform's AWS provider retries
/// exactly these two).
fn not_visible_yet(err: &crate::error::AwsError) -> bool {
    let text = err.to_string();
    kit::has_code(err, "ValidationException")
        && (text.contains("ECS service doesn't exist")
            || text.contains("Unable to assume IAM role"))
}

/// Whether `key` of the properties `value` is set.
fn has(value: &Value, key: &str) -> bool {
    value.get(key).is_some_and(|v| !v.is_null())
}

#[derive(Debug)]
pub(crate) struct ScalableTargetProvider {
    pub(crate) svc: AppScaling,
}

impl ScalableTargetProvider {
    /// RegisterScalableTarget with `after`'s values (and `tags` at create); what `before` set
    /// and `after` removes goes back to its default (generated: a removed `SuspendedState`
    /// resumes every kind of scaling).
    async fn register(
        &self,
        ctx: Ctx<'_>,
        after: &Props<'_>,
        before: Option<&Value>,
        tags: Option<HashMap<String, String>>,
    ) -> Result<Target, ProviderError> {
        let target = Target::of(after)?;
        let mut sent = |key: &str| after.get(key).is_some() || before.is_some_and(|b| has(b, key));
        let request = self.svc.client.register_scalable_target();
        let request = register_scalable_target(after, request, &mut sent)?;
        if let Err(e) = request.set_tags(tags).send().await {
            let doing = format!("registering scalable target {}", target.id());
            let err = self.svc.err(e);
            return Err(if not_visible_yet(&err) {
                ctx.error(
                    FailureClass::EventuallyConsistent,
                    format!("{doing}: {err}"),
                )
            } else {
                ctx.fail_referencing(doing, err)
            });
        }
        Ok(target)
    }

    /// DescribeScalableTargets of `resource_ids` in `namespace`, every page.
    async fn describe(
        &self,
        namespace: String,
        resource_ids: Vec<String>,
        doing: &str,
    ) -> Result<Vec<ScalableTarget>, ProviderError> {
        let request = self.svc.client.describe_scalable_targets();
        let request = request.service_namespace(namespace.as_str().into());
        let request = request.set_resource_ids(Some(resource_ids));
        all_pages!(self.svc, doing, request, scalable_targets)
    }

    async fn describe_one(
        &self,
        ctx: Ctx<'_>,
        target: &Target,
    ) -> Result<Option<ScalableTarget>, ProviderError> {
        let (id, namespace) = (target.id(), target.namespace.clone());
        let doing = format!("{TYPE} {}: reading scalable target {id}", ctx.address);
        let ids = vec![target.resource_id.clone()];
        let found = self.describe(namespace, ids, &doing).await?;
        Ok(found.into_iter().find(|t| Target::seen(t) == *target))
    }

    /// The tags of `before` and `after` (with infra's): TagResource of those added or
    /// changed, then UntagResource of those removed.
    async fn retag(
        &self,
        ctx: Ctx<'_>,
        target: &Target,
        input: &UpdateInput,
    ) -> Result<(), ProviderError> {
        let tags = |v: &Value| -> Result<BTreeMap<String, String>, ProviderError> {
            Ok(merge_tags(&props(v, ctx)?.tags("Tags")?, &input.tags))
        };
        let (set, remove) = tag_changes(&tags(&input.before)?, &tags(&input.after)?);
        if set.is_empty() && remove.is_empty() {
            return Ok(());
        }
        let arn = self.describe_one(ctx, target).await?;
        let arn = (arn.and_then(|t| t.scalable_target_arn))
            .ok_or_else(|| ctx.error(FailureClass::NotFound, "the scalable target is gone"))?;
        let client = &self.svc.client;
        if !set.is_empty() {
            let call = client.tag_resource().resource_arn(&arn);
            let call = call.set_tags(Some(set.into_iter().collect()));
            send!(&self.svc, ctx, call, "tagging")?;
        }
        if !remove.is_empty() {
            let call = client.untag_resource().resource_arn(&arn);
            send!(&self.svc, ctx, call.set_tag_keys(Some(remove)), "untagging")?;
        }
        Ok(())
    }
}

fn observe(t: &ScalableTarget, item: &ReadInput) -> Observation {
    let keep = ["RoleARN", "ScheduledActions", "Tags"];
    let found = observed(report_scalable_target(t), &item.properties, &keep);
    present(found, output(&Target::seen(t)).attributes)
}

impl kit::Provider for ScalableTargetProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeScalableTargets per namespace (50 resource ids per call, pages followed); scheduled actions and tags per target when managed",
        Find::NaturalKey,
        "DescribeScalableTargets of the namespace, resource id and dimension",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let p = props(&input.properties, ctx)?;
        target_actions::check(&input.properties, ctx)?;
        let tags = merge_tags(&p.tags("Tags")?, &input.tags).into_iter();
        let registered = self.register(ctx, &p, None, Some(tags.collect())).await;
        let target = registered.map_err(on_create)?;
        target_actions::converge(&self.svc, ctx, &target, None, &input.properties).await?;
        Ok(output(&target))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let p = props(&input.after, ctx)?;
        target_actions::check(&input.after, ctx)?;
        let target = self.register(ctx, &p, Some(&input.before), None).await?;
        let (before, after) = (Some(&input.before), &input.after);
        target_actions::converge(&self.svc, ctx, &target, before, after).await?;
        self.retag(ctx, &target, input).await?;
        Ok(output(&target))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = &input.physical_id;
        let target = Target::parse_id(id)
            .ok_or_else(|| ctx.fatal(format!("{id:?} is not a scalable target id")))?;
        let doing = format!("deregistering scalable target {}", target.id());
        let call = on_target!(self.svc.client.deregister_scalable_target(), target);
        kit::deleted(&self.svc, ctx, &doing, call.send(), gone).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = format!("refreshing {TYPE}");
        let mut arns = BTreeMap::new();
        let lookup = |item: &ReadInput| {
            let target = Target::parse_id(&item.physical_id).ok_or_else(|| {
                let ctx = Ctx::new(TYPE, &item.address);
                ctx.fatal("the record's id is not a scalable target id")
            })?;
            Ok(Lookup {
                key: target.id(),
                parent: target.namespace,
                name: target.resource_id,
            })
        };
        let describe = |namespace, ids| self.describe(namespace, ids, &doing);
        let mut seen = read_batched(
            items,
            lookup,
            describe,
            |t| Target::seen(t).id(),
            |t, item| {
                if let Some(arn) = t.scalable_target_arn() {
                    arns.insert(item.address.clone(), arn.to_owned());
                }
                observe(t, item)
            },
        )
        .await?;
        // Scheduled actions and tags have no batch call: per target, only when managed.
        for item in items {
            let Some(Observation::Present {
                properties: Value::Object(map),
                ..
            }) = seen.get_mut(&item.address)
            else {
                continue;
            };
            let (ctx, last) = (Ctx::new(TYPE, &item.address), &item.properties);
            if has(last, "ScheduledActions")
                && let Some(target) = Target::parse_id(&item.physical_id)
            {
                let previous = last.get("ScheduledActions");
                let actions = target_actions::observe(&self.svc, ctx, &target, previous).await?;
                map.insert("ScheduledActions".into(), actions);
            }
            if has(last, "Tags")
                && let Some(arn) = arns.get(&item.address)
            {
                let call = self.svc.client.list_tags_for_resource().resource_arn(arn);
                let tags = send!(&self.svc, ctx, call, "reading tags")?.tags;
                let tags: BTreeMap<_, _> = tags.unwrap_or_default().into_iter().collect();
                map.insert("Tags".into(), observed_tags(&tags, last.get("Tags")));
            }
        }
        Ok(seen)
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let target = Target::of(&props(&input.properties, ctx)?)?;
        let found = self.describe_one(ctx, &target).await?;
        Ok(found.map(|t| output(&Target::seen(&t))))
    }
}

#[cfg(test)]
#[path = "tests/scalable_target.rs"]
mod tests;
