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
//! The CreateRule request (conditions and transforms included) is generated from the schema
//! (`mappings/elbv2.toml`), and so is the report of what DescribeRules returns
//! (`report_rule`). Actions, conditions and transforms are described in [`super::actions`].

use std::collections::HashMap;

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::operation::create_rule::builders::CreateRuleInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::{Rule, RulePriorityPair};

use super::actions::{observed_actions, parse_actions};
use super::find::find_child;
use super::report::Report;
use super::shared::{Listed, Reported, adopted, by_arn, read_listed};
use super::{Elb, Pairs, create_tags};
use crate::error::AwsError;
use crate::generated::elbv2::{LISTENER_RULE, create_rule, report_rule};
use crate::providers::kit::convert::R;

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::PerParent,
    "DescribeRules per listener (pages followed), DescribeTags (20 ARNs per call)",
    Find::NaturalKey,
    "ListenerArn and Priority (DescribeRules), infra tags checked",
);

/// A rule as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateRule without the tags.
    create: CreateRuleInputBuilder,
    tags: Vec<(String, String)>,
}

impl Spec {
    fn listener(&self) -> &str {
        let arn = self.create.get_listener_arn().as_deref();
        arn.unwrap_or_default()
    }

    fn priority(&self) -> i32 {
        self.create.get_priority().unwrap_or_default()
    }
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, LISTENER_RULE)?;
    let create = create_rule(&p, CreateRuleInputBuilder::default())?;
    let actions = parse_actions(p.get("Actions"), "Actions", ctx)?;
    Ok(Spec {
        create: create.set_actions(Some(actions)),
        tags: p.tags("Tags")?,
    })
}

/// The provider.
pub(super) type ListenerRuleProvider = super::ElbProvider<Rule>;

impl ListenerRuleProvider {
    /// Brings rule `arn` from `before` to `after` (everything but its listener).
    async fn apply(&self, ctx: Ctx<'_>, arn: &str, [before, after]: [&Spec; 2]) -> R<()> {
        let (client, api) = (&self.elb.client, &self.elb.api);
        let (b, a) = (&before.create, &after.create);
        if before.priority() != after.priority() {
            let priority = after.priority();
            let pair = RulePriorityPair::builder().rule_arn(arn).priority(priority);
            let request = client.set_rule_priorities().rule_priorities(pair.build());
            let doing = format!("setting the priority of rule {arn} to {priority}");
            send!(&self.elb, ctx, request, doing)?;
        }
        let conditions = b.get_conditions() != a.get_conditions();
        let actions = b.get_actions() != a.get_actions();
        let transforms = b.get_transforms() != a.get_transforms();
        if conditions || actions || transforms {
            let reset = transforms && a.get_transforms().is_none();
            let sent = client
                .modify_rule()
                .rule_arn(arn)
                .set_conditions(a.get_conditions().clone().filter(|_| conditions))
                .set_actions(a.get_actions().clone().filter(|_| actions))
                .set_transforms(a.get_transforms().clone().filter(|_| transforms))
                .set_reset_transforms(reset.then_some(true))
                .send()
                .await;
            let (own, doing) = (Some("RuleNotFound"), format!("changing rule {arn}"));
            sent.map_err(|e| ctx.fail_referencing_except(own, doing, api.err(e)))?;
        }
        Ok(())
    }
}

impl Reported for Rule {
    const TYPE: &'static str = TYPE;
    type Extras = ();

    fn arn(&self) -> Option<&str> {
        self.rule_arn()
    }

    fn output(&self) -> ResourceOutput {
        let (arn, default) = (self.rule_arn().unwrap_or_default(), self.is_default());
        let attributes = [
            ("RuleArn", json!(arn)),
            ("IsDefault", json!(default.unwrap_or(false))),
        ];
        output_of(arn, attributes)
    }

    /// One rule as refresh reports it (see the module comment of `providers::elbv2`).
    fn observe(&self, item: &ReadInput, tags: Option<&Pairs>, _extras: Option<&()>) -> Observation {
        let lists = ["Conditions", "Transforms"];
        let mut report = Report::new(item, report_rule(self), &lists);
        // Rules do not report their listener; it is the one they were found on.
        report.set("ListenerArn", |prev| prev.cloned().unwrap_or_default());
        report.set("Actions", |prev| observed_actions(self.actions(), prev));
        report.done(tags, self.output().attributes)
    }
}

impl Listed for Rule {
    const PARENT: [&'static str; 3] = ["ListenerArn", ":listener-rule/", ":listener/"];
    const NOUNS: [&'static str; 2] = ["rules", "listener"];

    /// The rules of a listener by ARN (pages followed); `None` when it does not exist.
    async fn list(elb: &Elb, listener: &str) -> Result<Option<HashMap<String, Self>>, AwsError> {
        let request = elb.client.describe_rules().listener_arn(listener);
        let pages = request.into_paginator().send();
        let pages = pages.collect::<Result<Vec<_>, _>>().await;
        let pages = pages.map_err(|e| elb.api.err(e));
        by_arn(pages, |p| p.rules(), Rule::rule_arn)
    }

    fn key(&self) -> Option<String> {
        self.priority().map(str::to_owned)
    }

    /// Its listener and priority.
    fn natural_key(value: &Value, ctx: Ctx<'_>) -> R<(String, Option<String>)> {
        let spec = parse(value, ctx)?;
        let priority = Some(spec.priority().to_string());
        Ok((spec.listener().to_owned(), priority))
    }
}

impl kit::Provider for ListenerRuleProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.create.clone().set_tags(create_tags(ctx, &tags)?);
        let rule = match request.send_with(&self.elb.client).await {
            Ok(out) => out.rules().first().cloned(),
            Err(e) => {
                let err = self.elb.api.err(e);
                let (listener, priority) = (spec.listener(), spec.priority());
                let key = priority.to_string();
                let doing = [
                    format!("creating the rule of priority {priority} on {listener}"),
                    "creating the rule".to_owned(),
                ];
                let found = self.elb.child::<Rule>(ctx, listener, Some(&key));
                let (rule, found_tags) =
                    adopted(ctx, input, err, "PriorityInUse", doing, found, |rule| {
                        format!(
                            "listener {listener} already has rule {} of priority {priority}, \
                             not made for this resource (it lacks its infra:* tags)",
                            rule.rule_arn().unwrap_or_default()
                        )
                    })
                    .await?;
                let arn = rule.rule_arn().unwrap_or_default().to_owned();
                let made = Spec {
                    create: CreateRuleInputBuilder::default()
                        .set_priority(Some(priority))
                        .set_conditions(Some(Vec::new())),
                    ..Spec::default()
                };
                self.apply(ctx, &arn, [&made, &spec]).await?;
                self.elb.update_tags(ctx, &arn, &found_tags, &tags).await?;
                Some(rule)
            }
        };
        let rule = rule.ok_or_else(|| ctx.fatal("CreateRule returned no rule"))?;
        Ok(rule.output())
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        if before.listener() != after.listener() {
            return Err(ctx.fatal("ListenerArn cannot change in place; the rule must be replaced"));
        }
        let arn = input.physical_id.as_str();
        self.apply(ctx, arn, [&before, &after]).await?;
        let tags: [&[_]; 2] = [&before.tags, &after.tags];
        self.elb.retag(ctx, arn, &input.tags, tags).await?;
        let mut out = unchanged(input);
        let attributes = &mut out.attributes;
        attributes.insert("RuleArn".into(), json!(arn));
        attributes.entry("IsDefault".into()).or_insert(json!(false));
        Ok(out)
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let call = self.elb.client.delete_rule().rule_arn(arn).send();
        let doing = format!("deleting rule {arn}");
        call.deleted(&self.elb, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_listed::<Rule>(&self.elb, items).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        find_child::<Rule>(&self.elb, input).await
    }
}
