//! Refresh of `AWS::Events::Rule`: ListRules once per event bus (pages of 100 followed),
//! narrowed by the longest prefix the bus's rule names share (a stack's generated names share
//! the stack's), so a stack's rules are read in a call or two whatever else the bus holds; a
//! rule not listed (or whose bus is gone) is `Gone`. Targets (ListTargetsByRule) and tags
//! (ListTagsForResource) have no batch call: they are read per rule, only when infra manages
//! them. Each target is reported in the template's order and spelling, cut to the keys the
//! template wrote ([`shaped`]: a value AWS fills in by default is not drift); a target the
//! template does not have is reported whole, so the plan removes it.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_eventbridge::types::Rule;

use super::{On, RuleProvider, TYPE, output, split_id, target_id};
use crate::generated::eventbridge::report_target;
use crate::providers::events::Events;

/// The longest prefix every name shares.
pub(super) fn common_prefix(names: &[&str]) -> String {
    let mut prefix = names.first().copied().unwrap_or_default();
    for name in names {
        while !name.starts_with(prefix) {
            let mut chars = prefix.chars();
            chars.next_back();
            prefix = chars.as_str();
        }
    }
    prefix.to_owned()
}

/// ListRules on `bus` of the names starting with `prefix`, pages followed; none when the bus
/// does not exist.
async fn list_rules(
    events: &Events,
    ctx: Ctx<'_>,
    bus: Option<&str>,
    prefix: &str,
) -> R<Vec<Rule>> {
    kit::pages(|token| async move {
        let request = events.client.list_rules();
        let request = request.set_event_bus_name(bus.map(str::to_owned));
        let request = request.set_name_prefix((!prefix.is_empty()).then(|| prefix.to_owned()));
        let sent = request.limit(100).set_next_token(token).send().await;
        match sent.map_err(|e| events.err(e)) {
            Ok(page) => Ok((page.rules().to_vec(), page.next_token().map(str::to_owned))),
            Err(err) if is_not_found(&err) => Ok((Vec::new(), None)),
            Err(err) => Err(ctx.fail("listing rules", err)),
        }
    })
    .await
}

pub(super) async fn read(p: &RuleProvider, items: &[ReadInput]) -> Reads {
    let Some(ctx) = kit::batch_ctx(TYPE, items) else {
        return Ok(BTreeMap::new());
    };
    let mut buses: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for item in items {
        let (bus, name) = split_id(&item.physical_id);
        buses.entry(bus).or_default().push(name);
    }
    let mut found: HashMap<(Option<&str>, String), Rule> = HashMap::new();
    for (bus, names) in &buses {
        for rule in list_rules(&p.events, ctx, *bus, &common_prefix(names)).await? {
            found.insert((*bus, rule.name().unwrap_or_default().to_owned()), rule);
        }
    }
    kit::read_found(&p.events, items, |events, item| {
        let (bus, name) = split_id(&item.physical_id);
        let rule = found.get(&(bus, name.to_owned())).cloned();
        async move {
            match rule {
                None => Ok(None),
                Some(rule) => observe(&events, &item, &rule).await.map(Some),
            }
        }
    })
    .await
}

/// The targets AWS holds, in the order of `previous` (the last applied ones) and each cut to
/// its keys; the others after them, whole.
pub(super) fn ordered(mut found: Vec<Value>, previous: Option<&Value>) -> Value {
    let mut out = Vec::new();
    for prev in previous.and_then(Value::as_array).into_iter().flatten() {
        if let Some(i) = found.iter().position(|f| target_id(f) == target_id(prev)) {
            out.push(shaped(found.remove(i), Some(prev)));
        }
    }
    out.extend(found);
    Value::Array(out)
}

/// One rule as the template writes it (the managed properties only).
async fn observe(events: &Events, item: &ReadInput, rule: &Rule) -> R<Observation> {
    let ctx = Ctx::new(TYPE, &item.address);
    let last = &item.properties;
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let (bus, name) = split_id(&item.physical_id);
    let (arn, on) = (
        rule.arn().unwrap_or_default(),
        On::new(events, ctx, bus, name),
    );
    let mut targets = None;
    if prev("Targets").is_some() {
        let listed = match on.targets().await {
            Ok(listed) => listed,
            Err(err) if err.class == FailureClass::NotFound => return Ok(Observation::Gone),
            Err(err) => return Err(err),
        };
        let listed = listed.iter().map(report_target).collect();
        targets = Some(ordered(listed, prev("Targets")));
    }
    let mut tags = None;
    if prev("Tags").is_some() {
        let found = on.tags(arn).await?;
        tags = Some(observed_tags(&found, prev("Tags")));
    }
    let found = json!({
        "Name": rule.name(),
        "EventBusName": prev("EventBusName"),
        "Description": rule.description(),
        "EventPattern": rule.event_pattern().map(|p| observed_document(p, false, prev("EventPattern"))),
        "ScheduleExpression": rule.schedule_expression(),
        "State": rule.state().map(|s| s.as_str()),
        "RoleArn": rule.role_arn(),
        "Targets": targets,
        "Tags": tags,
    });
    Ok(Observation::Present {
        properties: observed(found, last),
        attributes: output(bus, name, arn).attributes,
    })
}

/// `found` cut to the keys `previous` has, recursively (objects by key, lists item by item): a
/// value AWS fills in by default (`TaskCount` 1, `EnableExecuteCommand` false) is not drift of
/// a target the template wrote without it. With no previous value, `found` as it is.
pub(super) fn shaped(found: Value, previous: Option<&Value>) -> Value {
    match (found, previous) {
        (Value::Object(map), Some(Value::Object(prev))) => Value::Object(
            map.into_iter()
                .filter(|(k, v)| prev.contains_key(k) && !v.is_null())
                .map(|(k, v)| {
                    let v = shaped(v, prev.get(&k));
                    (k, v)
                })
                .collect(),
        ),
        (Value::Array(items), Some(Value::Array(prev))) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| shaped(v, prev.get(i)))
                .collect(),
        ),
        (found, _) => found,
    }
}
