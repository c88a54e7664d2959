//! `AWS::Events::Rule`: its properties ([`Spec`], its keys generated from the schema in
//! `mappings/eventbridge.toml`) and the create / update / delete / find flow, the targets
//! built for PutTargets ([`sdk_target`]); refresh is in [`read`].
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` (generated when absent) | PutRule | create-only (replacement) |
//! | `EventBusName` (a name or an ARN; absent or `default`: the default bus) | PutRule | refused: a rule cannot move to another bus (give it a new `Name` to replace it) |
//! | `EventPattern` (an object or a string of JSON, compared as a document), `ScheduleExpression`, `State`, `Description`, `RoleArn` | PutRule | PutRule with every rule-level value (PutRule resets what it is not sent) |
//! | `Targets` (the fields mapped and refused below) | PutTargets | PutTargets of the targets added or changed, RemoveTargets of those gone, by `Id` |
//! | `Tags` | PutRule, with infra's tags | TagResource / UntagResource |
//!
//! `Ref` is the rule name on the default bus and `<bus name>|<rule name>` on another bus, as
//! CloudFormation returns it (see aws-cloudformation/cloudformation-coverage-roadmap#1131);
//! `Fn::GetAtt Arn` is PutRule's `RuleArn`, `RuleName` the name. A delete removes every target
//! (ListTargetsByRule, RemoveTargets) and then the rule (DeleteRule): EventBridge refuses to
//! delete a rule that still has targets.
//!
//! PutRule of a name that exists overwrites that rule, so a create first looks the name up
//! (DescribeRule): a rule found there is adopted only when it carries this resource's `infra:*`
//! tags (ListTagsForResource), then brought to the template (its targets and tags converged);
//! any other fails the create. `find` looks the name up the same way. `ManagedBy` rules (made
//! by another AWS service) are never adopted: they carry no infra tags.
//!
//! # Targets
//!
//! Each target of the template is checked and built for PutTargets ([`sdk_target`]), and each
//! target ListTargetsByRule answers is reported in the template's spelling (`report_target`).
//! Both conversions are generated from the schema (`mappings/eventbridge.toml`,
//! `generated/eventbridge.rs`); what AWS does not hold, and the optional lists it answers empty
//! (what it answers for a list never set), are not reported.
//!
//! Mapped: `Id`, `Arn`, `RoleArn`, `Input`, `InputPath`, `InputTransformer`, `DeadLetterConfig`,
//! `RetryPolicy`, `SqsParameters`, `KinesisParameters`, `HttpParameters`, `AppSyncParameters`
//! and `EcsParameters` (every field: `TaskDefinitionArn`, `TaskCount`, `LaunchType`,
//! `PlatformVersion`, `Group`, `NetworkConfiguration.AwsVpcConfiguration`,
//! `CapacityProviderStrategy`, `PlacementConstraints`, `PlacementStrategies`, `PropagateTags`,
//! `EnableECSManagedTags`, `EnableExecuteCommand`, `ReferenceId`, `TagList`). Refused by path
//! (`Targets[0].BatchParameters`): the parameters of AWS Batch, Redshift Data, SageMaker
//! pipeline and EC2 Run Command targets (the mappings' `refuse` table).

use std::collections::BTreeMap;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_eventbridge::types::{RuleState, Tag, Target};

use super::Events;
use crate::generated::eventbridge::{
    PutRuleInputBuilder, RULE, TARGET, put_rule, report_target, target,
};
use crate::providers::kit::as_written;
use crate::providers::kit::{sdk_tags, tag_pairs};

mod read;

#[cfg(test)]
mod tests;

pub(crate) const TYPE: &str = "AWS::Events::Rule";

/// The rule as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: Option<String>,
    /// The bus's name (from a name or an ARN); `None` for the default bus.
    pub(crate) bus: Option<String>,
    pub(crate) pattern: Option<Value>,
    /// PutRule with `Description`, `ScheduleExpression`, `State` and `RoleArn`.
    pub(crate) put: PutRuleInputBuilder,
    /// Each target as the template writes it (checked by [`sdk_target`]).
    pub(crate) targets: Vec<Value>,
    pub(crate) tags: Vec<(String, String)>,
}

impl Spec {
    /// Whether PutRule must be sent to go from `self` to `after`: a rule-level value differs
    /// (everything but targets and tags; the pattern compared as a document).
    fn rule_changes(&self, after: &Spec) -> bool {
        // No `State` is `ENABLED`.
        let rest = |s: &Spec| {
            let state = s.put.get_state().clone().unwrap_or(RuleState::Enabled);
            s.put.clone().state(state)
        };
        let same_pattern = match (&self.pattern, &after.pattern) {
            (Some(a), Some(b)) => same_document(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        !same_pattern || rest(self) != rest(after)
    }
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> R<Spec> {
    let p = Props::root(value, ctx, RULE)?;
    let targets = p.list("Targets")?;
    for (i, target) in targets.iter().enumerate() {
        sdk_target(target, &p.at_index("Targets", i), ctx)?;
    }
    let spec = Spec {
        name: p.str("Name")?,
        bus: bus_name(p.get("EventBusName")),
        pattern: p.document("EventPattern")?,
        put: put_rule(&p, PutRuleInputBuilder::default())?,
        targets: targets.to_vec(),
        tags: p.tags("Tags")?,
    };
    if spec.pattern.is_none() && spec.put.get_schedule_expression().is_none() {
        return Err(ctx.fatal("a rule needs an EventPattern, a ScheduleExpression or both"));
    }
    Ok(spec)
}

/// The name of a bus given by name or ARN (`arn:aws:events:…:event-bus/orders` is `orders`);
/// `None` for the default bus.
fn bus_name(bus: Option<&Value>) -> Option<String> {
    let bus = bus.and_then(kit::scalar_text)?;
    let name = bus
        .rsplit_once(":event-bus/")
        .map_or(bus.as_str(), |(_, n)| n);
    (name != "default").then(|| name.to_owned())
}

/// What `Ref` returns: the name on the default bus, else `bus|name`.
pub(crate) fn physical_id(bus: Option<&str>, name: &str) -> String {
    bus.map_or_else(|| name.to_owned(), |bus| format!("{bus}|{name}"))
}

/// The bus (`None`: the default) and the rule name of a physical id.
pub(crate) fn split_id(id: &str) -> (Option<&str>, &str) {
    match id.split_once('|') {
        Some((bus, name)) => (Some(bus), name),
        None => (None, id),
    }
}

fn output(bus: Option<&str>, name: &str, arn: &str) -> ResourceOutput {
    let attributes = [("Arn", json!(arn)), ("RuleName", json!(name))];
    output_of(&physical_id(bus, name), attributes)
}

/// The target at `path` (`Targets[0]`), checked, as PutTargets takes it.
pub(crate) fn sdk_target(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<Target, ProviderError> {
    target(&Props::object(value, path, ctx, TARGET)?)
}

/// The `Id` of a target as written.
fn target_id(target: &Value) -> Option<String> {
    target.get("Id").and_then(kit::scalar_text)
}

/// One rule the calls are about: the client, the resource, the bus and the rule's name.
#[derive(Clone, Copy)]
pub(crate) struct On<'a> {
    pub(crate) events: &'a Events,
    pub(crate) ctx: Ctx<'a>,
    pub(crate) bus: Option<&'a str>,
    pub(crate) name: &'a str,
}

impl<'a> On<'a> {
    /// The rule `name` on the bus `bus` (`None`: the default), for the resource of `ctx`.
    pub(crate) fn new(
        events: &'a Events,
        ctx: Ctx<'a>,
        bus: Option<&'a str>,
        name: &'a str,
    ) -> Self {
        On {
            events,
            ctx,
            bus,
            name,
        }
    }

    fn bus(&self) -> Option<String> {
        self.bus.map(str::to_owned)
    }

    /// The rule's tags (ListTagsForResource of its ARN).
    pub(crate) async fn tags(&self, arn: &str) -> R<BTreeMap<String, String>> {
        let request = self.events.client.list_tags_for_resource();
        let request = request.resource_arn(arn);
        let out = send!(self.events, self.ctx, request, "reading tags")?;
        Ok(tag_pairs(out.tags(), |t| (Some(t.key()), Some(t.value()))))
    }

    /// TagResource / UntagResource on the rule's ARN from the tags `before` to `after`.
    async fn retag(&self, arn: &str, [before, after]: [BTreeMap<String, String>; 2]) -> R<()> {
        let (events, ctx, c) = (self.events, self.ctx, &self.events.client);
        let untag = |remove| async move {
            let request = c.untag_resource().resource_arn(arn);
            let request = request.set_tag_keys(Some(remove));
            send!(events, ctx, request, "untagging the rule").map(drop)
        };
        let tag = |set: BTreeMap<String, String>| async move {
            let request = c.tag_resource().resource_arn(arn);
            let request = request.set_tags(Some(sdk_tags!(Tag, ctx, set)?));
            send!(events, ctx, request, "tagging the rule").map(drop)
        };
        kit::retag(&before, &after, untag, tag).await
    }

    /// DescribeRule's ARN; `None` when there is no such rule (or bus).
    async fn arn(&self) -> R<Option<String>> {
        let request = self.events.client.describe_rule().name(self.name);
        let sent = request.set_event_bus_name(self.bus()).send();
        let doing = format!("describing rule {}", self.name);
        let out = kit::found(self.events, self.ctx, doing, sent).await?;
        Ok(out.and_then(|out| out.arn))
    }

    /// PutRule with every rule-level value of `spec` (and `tags` when creating); the ARN.
    async fn put_rule(&self, spec: &Spec, tags: Option<&BTreeMap<String, String>>) -> R<String> {
        let (ctx, name) = (self.ctx, self.name);
        let tags = tags.map(|t| sdk_tags!(Tag, ctx, t)).transpose()?;
        let request = (spec.put.clone().name(name))
            .set_event_bus_name(self.bus())
            .set_event_pattern(spec.pattern.as_ref().map(compact))
            .set_tags(tags);
        let doing = format!("putting rule {name}");
        let sent = request.send_with(&self.events.client).await;
        let out = sent.map_err(|e| kit::failed(self.events, ctx, doing, e))?;
        let arn = out.rule_arn().map(str::to_owned);
        arn.ok_or_else(|| ctx.fatal(format!("putting rule {name}: no RuleArn in the answer")))
    }

    /// Every target of the rule (ListTargetsByRule, pages followed); an error of class not
    /// found when the rule is gone.
    pub(crate) async fn targets(&self) -> R<Vec<Target>> {
        kit::pages(|token| async move {
            let request = self.events.client.list_targets_by_rule().rule(self.name);
            let request = request.set_event_bus_name(self.bus()).set_next_token(token);
            let doing = format!("listing targets of rule {}", self.name);
            let page = send!(self.events, self.ctx, request, doing)?;
            let next = page.next_token().map(str::to_owned);
            Ok((page.targets().to_vec(), next))
        })
        .await
    }

    /// RemoveTargets of `ids` (a rule has at most 5 targets, RemoveTargets takes 10).
    async fn remove(&self, ids: Vec<String>) -> R<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let request = self.events.client.remove_targets().rule(self.name);
        let sent = request.set_event_bus_name(self.bus()).set_ids(Some(ids));
        let sent = sent.send();
        let doing = format!("removing targets of rule {}", self.name);
        unless_gone(self.events, self.ctx, doing, sent).await
    }

    /// Brings the rule's targets from `before` to `after` (both as the template writes them):
    /// RemoveTargets of the ids gone, PutTargets of those added or changed (PutTargets replaces
    /// a target of the same `Id`). PutTargets answers per target; a target it refuses fails
    /// the call, named with EventBridge's code.
    async fn sync(&self, before: &[Value], after: &[Value]) -> R<()> {
        let (ctx, name) = (self.ctx, self.name);
        let kept: Vec<String> = after.iter().filter_map(target_id).collect();
        let gone = before.iter().filter_map(target_id);
        self.remove(gone.filter(|id| !kept.contains(id)).collect())
            .await?;
        let mut put = Vec::new();
        for (i, target) in after.iter().enumerate() {
            let old = before.iter().find(|b| target_id(b) == target_id(target));
            // Unchanged when every scalar reads the same as text (`"1"` and `1`).
            if !old.is_some_and(|old| as_written(target.clone(), Some(old)) == *old) {
                put.push(sdk_target(target, &format!("Targets[{i}]"), ctx)?);
            }
        }
        if put.is_empty() {
            return Ok(());
        }
        let request = self.events.client.put_targets().rule(name);
        let request = request.set_event_bus_name(self.bus());
        let doing = format!("putting targets of rule {name}");
        let out = send!(self.events, ctx, request.set_targets(Some(put)), doing)?;
        let Some(failed) = out.failed_entries().first() else {
            return Ok(());
        };
        let code = failed.error_code().unwrap_or_default();
        let message = failed.error_message().unwrap_or_default();
        // A target that names something made a moment ago (a role) is retried.
        let class = match kit::errors::code_class(code, message) {
            FailureClass::NotFound => FailureClass::EventuallyConsistent,
            other => other,
        };
        let id = failed.target_id().unwrap_or_default();
        let count = out.failed_entry_count();
        let why =
            format!("PutTargets of rule {name} refused {count} target(s); {id}: {code}: {message}");
        Err(ctx.error(class, why))
    }
}

/// The provider.
#[derive(Debug)]
pub(crate) struct RuleProvider {
    pub(crate) events: Events,
}

impl kit::Provider for RuleProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "ListRules per event bus (the names' common prefix, 100 per page, pages followed); ListTargetsByRule and tags per rule when managed",
        Find::Name,
        "DescribeRule of the name on its bus, infra tags checked (ListTagsForResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = &kit::create_name(ctx, spec.name.as_ref(), input, "Name")?;
        let bus = spec.bus.as_deref();
        let on = On::new(&self.events, ctx, bus, name);
        let tags = merge_tags(&spec.tags, &input.tags);
        // PutRule would overwrite a rule of that name: one is adopted only when an earlier
        // attempt of this create made it (it carries its infra:* tags).
        let (arn, before) = match on.arn().await? {
            None => (
                on.put_rule(&spec, Some(&tags)).await.map_err(on_create)?,
                Vec::new(),
            ),
            Some(arn) => {
                let found = on.tags(&arn).await?;
                if !owned_by(&found, &input.tags) {
                    return Err(ctx.fatal(format!(
                        "creating rule {name}: a rule of that name already exists on event bus {} \
                         and was not made for this resource (it lacks its infra:* tags); choose \
                         another Name or import it",
                        bus.unwrap_or("default")
                    )));
                }
                let current = on.targets().await?;
                on.put_rule(&spec, None).await?;
                on.retag(&arn, [found, tags]).await?;
                (arn, current.iter().map(report_target).collect())
            }
        };
        on.sync(&before, &spec.targets).await?;
        Ok(output(bus, name, &arn))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let (bus, name) = split_id(&input.physical_id);
        if after.bus.as_deref() != bus {
            return Err(ctx.fatal(format!(
                "EventBusName cannot change in place: rule {name} stays on event bus {}; give the \
                 rule a new Name so that it is replaced on the new bus",
                bus.unwrap_or("default")
            )));
        }
        let on = On::new(&self.events, ctx, bus, name);
        if before.rule_changes(&after) {
            on.put_rule(&after, None).await?;
        }
        on.sync(&before.targets, &after.targets).await?;
        let arn = match input.attributes.get("Arn").and_then(Value::as_str) {
            Some(arn) => arn.to_owned(),
            None => on
                .arn()
                .await?
                .ok_or_else(|| ctx.error(FailureClass::NotFound, "the rule is gone"))?,
        };
        let tags = |s: &Spec| merge_tags(&s.tags, &input.tags);
        on.retag(&arn, [tags(&before), tags(&after)]).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
        let (bus, name) = split_id(&input.physical_id);
        let on = On::new(&self.events, ctx, bus, name);
        // EventBridge deletes a rule only once it has no targets.
        let ids = match on.targets().await {
            Ok(targets) => targets.iter().map(|t| t.id().to_owned()).collect(),
            Err(err) if err.class == FailureClass::NotFound => return Ok(()),
            Err(err) => return Err(err),
        };
        on.remove(ids).await?;
        let request = self.events.client.delete_rule().name(name);
        let sent = request.set_event_bus_name(on.bus()).send().await;
        match sent.map_err(|e| self.events.err(e)) {
            Ok(_) => Ok(()),
            Err(err) if is_not_found(&err) => Ok(()),
            // A target added meanwhile: the engine retries the delete, which removes it.
            Err(err)
                if has_code(&err, "ValidationException") && err.to_string().contains("targets") =>
            {
                let message = format!("deleting rule {name}: {err}");
                Err(ctx.error(FailureClass::DependencyViolation, message))
            }
            Err(err) => Err(ctx.fail(format!("deleting rule {name}"), err)),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read::read(self, items).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "Name", ctx)?;
        let bus = bus_name(input.properties.get("EventBusName"));
        let on = On::new(&self.events, ctx, bus.as_deref(), &name);
        let Some(arn) = on.arn().await? else {
            return Ok(None);
        };
        let tags = on.tags(&arn).await?;
        Ok(owned_by(&tags, &input.tags).then(|| output(on.bus, &name, &arn)))
    }
}
