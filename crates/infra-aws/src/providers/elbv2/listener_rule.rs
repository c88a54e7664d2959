//! `AWS::ElasticLoadBalancingV2::ListenerRule`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `ListenerArn` | CreateRule | create-only (replacement) |
//! | `Priority` | CreateRule | SetRulePriorities |
//! | `Conditions`, `Actions` | CreateRule | ModifyRule (whole lists, as the API wants them) |
//! | `Transforms` | CreateRule | ModifyRule (removed: `ResetTransforms`) |
//! | `Tags` | CreateRule, with infra's tags | AddTags / RemoveTags |
//!
//! Actions, conditions and transforms are described in [`super::actions`].

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    Action, Rule, RuleCondition, RulePriorityPair, RuleTransform,
};
use serde_json::{Map, Value, json};

use super::actions::{
    condition_json, observed_actions, parse_actions, parse_conditions, parse_transforms,
    transform_json,
};
use super::json;
use super::{Elb, create_tags, parent_arn, read_label};
use crate::error::AwsError;
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, Observation, ProviderError,
    ReadInput, Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{
    self, Ctx, Props, has_code, managed_keys, merge_tags, observed_scalar, observed_tags, owned_by,
};

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::PerParent,
    "DescribeRules per listener (pages followed), DescribeTags (20 ARNs per call)",
    Find::NaturalKey,
    "ListenerArn and Priority (DescribeRules), infra tags checked",
);

const SUPPORTED: &[&str] = &[
    "Actions",
    "Conditions",
    "ListenerArn",
    "Priority",
    "Tags",
    "Transforms",
];

/// A rule as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Spec {
    listener: String,
    priority: i32,
    conditions: Vec<RuleCondition>,
    actions: Vec<Action>,
    transforms: Vec<RuleTransform>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    Ok(Spec {
        listener: props
            .str("ListenerArn")?
            .ok_or_else(|| ctx.fatal("property ListenerArn is required"))?,
        priority: props
            .i32("Priority")?
            .ok_or_else(|| ctx.fatal("property Priority is required"))?,
        conditions: parse_conditions(props.get("Conditions"), "Conditions", ctx)?,
        actions: parse_actions(props.get("Actions"), "Actions", ctx)?,
        transforms: parse_transforms(props.get("Transforms"), "Transforms", ctx)?,
        tags: props.tags("Tags")?,
    })
}

/// What finds a rule again (it has no name): its listener and priority.
pub(super) fn natural_key(value: &Value, ctx: Ctx<'_>) -> Result<(String, i32), ProviderError> {
    let spec = parse(value, ctx)?;
    Ok((spec.listener, spec.priority))
}

/// The provider.
#[derive(Debug)]
pub(super) struct ListenerRuleProvider {
    pub(super) elb: Elb,
}

impl ListenerRuleProvider {
    /// The priority is taken: by a rule an earlier attempt at this resource made when it carries
    /// this resource's infra tags.
    async fn adoptable(
        &self,
        ctx: Ctx<'_>,
        spec: &Spec,
        input: &CreateInput,
        conflict: AwsError,
    ) -> Result<(Rule, BTreeMap<String, String>), ProviderError> {
        let found = self
            .elb
            .rule_of_priority(ctx, &spec.listener, spec.priority)
            .await?;
        let Some((rule, tags)) = found else {
            return Err(ctx.error(
                FailureClass::Retryable,
                format!("creating the rule: {conflict}"),
            ));
        };
        let arn = rule.rule_arn().unwrap_or_default();
        let priority = spec.priority;
        if !owned_by(&tags, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating the rule: listener {} already has rule {arn} of priority {priority}, \
                 not made for this resource (it lacks its infra:* tags)",
                spec.listener
            )));
        }
        Ok((rule, tags))
    }

    /// Brings rule `arn` from `before` to `after` (everything but its listener).
    async fn apply_changes(
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
        if before.priority != after.priority {
            client
                .set_rule_priorities()
                .rule_priorities(
                    RulePriorityPair::builder()
                        .rule_arn(arn)
                        .priority(after.priority)
                        .build(),
                )
                .send()
                .await
                .map_err(|e| {
                    ctx.fail(
                        format!("setting the priority of rule {arn} to {}", after.priority),
                        api.err("SetRulePriorities", e),
                    )
                })?;
        }
        let conditions = before.conditions != after.conditions;
        let actions = before.actions != after.actions;
        let transforms = before.transforms != after.transforms;
        if conditions || actions || transforms {
            client
                .modify_rule()
                .rule_arn(arn)
                .set_conditions(conditions.then(|| after.conditions.clone()))
                .set_actions(actions.then(|| after.actions.clone()))
                .set_transforms(
                    (transforms && !after.transforms.is_empty()).then(|| after.transforms.clone()),
                )
                .set_reset_transforms((transforms && after.transforms.is_empty()).then_some(true))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail_referencing_except(
                        Some("RuleNotFound"),
                        format!("changing rule {arn}"),
                        api.err("ModifyRule", e),
                    )
                })?;
        }
        if before_tags != after_tags {
            self.elb
                .update_tags(ctx, arn, before_tags, after_tags)
                .await?;
        }
        Ok(())
    }
}

/// The rules of a listener by ARN (pages followed); `None` when it does not exist.
pub(super) async fn rules_of(
    elb: &Elb,
    listener: &str,
) -> Result<Option<HashMap<String, Rule>>, AwsError> {
    let mut out = HashMap::new();
    let mut pages = elb
        .client
        .describe_rules()
        .listener_arn(listener)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => out.extend(
                page.rules()
                    .iter()
                    .filter_map(|r| Some((r.rule_arn()?.to_owned(), r.clone()))),
            ),
            Err(e) => {
                let err = elb.api.err("DescribeRules", e);
                if is_not_found(&err) {
                    return Ok(None);
                }
                return Err(err);
            }
        }
    }
    Ok(Some(out))
}

/// One rule as refresh reports it (see the module comment of `providers::elbv2`).
fn observe(rule: &Rule, item: &ReadInput, tags: Option<&BTreeMap<String, String>>) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    if let Some(listener) = prev("ListenerArn") {
        // Rules do not report their listener; it is the one they were found on.
        props.insert("ListenerArn".into(), listener.clone());
    }
    if let (true, Some(priority)) = (managed.contains("Priority"), rule.priority()) {
        props.insert(
            "Priority".into(),
            observed_scalar(Value::String(priority.to_owned()), prev("Priority")),
        );
    }
    if managed.contains("Conditions") {
        let list = Value::Array(rule.conditions().iter().map(condition_json).collect());
        props.insert(
            "Conditions".into(),
            json::observed(list, prev("Conditions")),
        );
    }
    if managed.contains("Actions") {
        props.insert(
            "Actions".into(),
            observed_actions(rule.actions(), prev("Actions")),
        );
    }
    if managed.contains("Transforms") {
        let list = Value::Array(rule.transforms().iter().map(transform_json).collect());
        props.insert(
            "Transforms".into(),
            json::observed(list, prev("Transforms")),
        );
    }
    if managed.contains("Tags") {
        props.insert(
            "Tags".into(),
            observed_tags(&tags.cloned().unwrap_or_default(), prev("Tags")),
        );
    }
    Observation::Present {
        properties: Value::Object(props),
        attributes: output(rule).attributes,
    }
}

pub(super) fn output(rule: &Rule) -> ResourceOutput {
    let arn = rule.rule_arn().unwrap_or_default();
    ResourceOutput {
        physical_id: arn.to_owned(),
        attributes: BTreeMap::from([
            ("RuleArn".to_owned(), json!(arn)),
            (
                "IsDefault".to_owned(),
                Value::Bool(rule.is_default().unwrap_or(false)),
            ),
        ]),
    }
}

impl kit::Provider for ListenerRuleProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = self
            .elb
            .client
            .create_rule()
            .listener_arn(&spec.listener)
            .priority(spec.priority)
            .set_conditions(Some(spec.conditions.clone()))
            .set_actions(Some(spec.actions.clone()))
            .set_transforms((!spec.transforms.is_empty()).then(|| spec.transforms.clone()))
            .set_tags(create_tags(ctx, &tags)?)
            .send()
            .await;
        let rule = match created {
            Ok(out) => out
                .rules()
                .first()
                .cloned()
                .ok_or_else(|| ctx.fatal("CreateRule returned no rule"))?,
            Err(e) => {
                let err = self.elb.api.err("CreateRule", e);
                if !has_code(&err, "PriorityInUse") {
                    return Err(ctx.fail_referencing(
                        format!(
                            "creating the rule of priority {} on {}",
                            spec.priority, spec.listener
                        ),
                        err,
                    ));
                }
                let (rule, found_tags) = self.adoptable(ctx, &spec, input, err).await?;
                let arn = rule.rule_arn().unwrap_or_default().to_owned();
                let made = Spec {
                    listener: spec.listener.clone(),
                    priority: spec.priority,
                    ..Spec::default()
                };
                self.apply_changes(ctx, &arn, &made, &spec, &found_tags, &tags)
                    .await?;
                rule
            }
        };
        Ok(output(&rule))
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        if before.listener != after.listener {
            return Err(ctx.fatal("ListenerArn cannot change in place; the rule must be replaced"));
        }
        let before_tags = merge_tags(&before.tags, &input.tags);
        let after_tags = merge_tags(&after.tags, &input.tags);
        self.apply_changes(
            ctx,
            &input.physical_id,
            &before,
            &after,
            &before_tags,
            &after_tags,
        )
        .await?;
        let mut out = ResourceOutput {
            physical_id: input.physical_id.clone(),
            attributes: input.attributes.clone(),
        };
        out.attributes
            .insert("RuleArn".into(), json!(input.physical_id));
        out.attributes
            .entry("IsDefault".into())
            .or_insert(Value::Bool(false));
        Ok(out)
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        match self.elb.client.delete_rule().rule_arn(arn).send().await {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.elb.api.err("DeleteRule", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting rule {arn}"), err))
                }
            }
        }
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let label = read_label(items);
        let ctx = Ctx::new(TYPE, &label);
        // One DescribeRules per listener.
        let mut listeners: Vec<String> = items
            .iter()
            .filter_map(|item| {
                item.properties
                    .get("ListenerArn")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| parent_arn(&item.physical_id, ":listener-rule/", ":listener/"))
            })
            .collect();
        listeners.sort();
        listeners.dedup();
        let tasks = listeners
            .into_iter()
            .map(|listener| {
                let elb = self.elb.clone();
                let label = format!("{TYPE} {label}");
                async move {
                    rules_of(&elb, &listener)
                        .await
                        .map(Option::unwrap_or_default)
                        .map_err(|err| {
                            kit::fail(format!("{label}: reading the rules of {listener}"), err)
                        })
                }
            })
            .collect();
        let found: HashMap<String, Rule> = kit::run_bounded(tasks, kit::READ_CONCURRENCY)
            .await?
            .into_iter()
            .flatten()
            .collect();

        let tag_arns: Vec<String> = items
            .iter()
            .filter(|i| {
                found.contains_key(&i.physical_id) && managed_keys(&i.properties).contains("Tags")
            })
            .map(|i| i.physical_id.clone())
            .collect();
        let tags = if tag_arns.is_empty() {
            BTreeMap::new()
        } else {
            self.elb.describe_tags(ctx, &tag_arns).await?
        };
        Ok(items
            .iter()
            .map(|item| {
                let observation = match found.get(&item.physical_id) {
                    None => Observation::Gone,
                    Some(rule) => observe(rule, item, tags.get(&item.physical_id)),
                };
                (item.address.clone(), observation)
            })
            .collect())
    }

    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        self.find_made(input).await
    }
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
