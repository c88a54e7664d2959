//! A scalable target's `ScheduledActions`: each one PutScheduledAction on the target (created
//! or changed), DeleteScheduledAction for one the template drops, and the list as refresh
//! reports it (DescribeScheduledActions of the target, in the template's order). The keys, the
//! PutScheduledAction request and the reported action are generated from the schema
//! (`crates/infra-aws/mappings/applicationautoscaling.toml`).

use crate::providers::kit::prelude::*;
use aws_sdk_applicationautoscaling::types::ScheduledAction;

use super::common::{AppScaling, all_pages, gone};
use super::scalable_target::{Target, on_target};
use crate::generated::applicationautoscaling::{
    SCALABLE_TARGET_ACTION, SCHEDULED_ACTION, put_scheduled_action, report_scheduled_action,
};
use crate::providers::compute::same_value;

/// The template's actions: each one's name, raw value (to compare) and checked properties.
type Action<'a> = (String, &'a Value, Props<'a>);

fn actions<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Vec<Action<'a>>, ProviderError> {
    let Some(list) = value.get("ScheduledActions").filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let items = crate::providers::kit::list(list, "ScheduledActions", ctx)?;
    let action = |(i, item)| {
        let path = format!("ScheduledActions[{i}]");
        let p = Props::object(item, path, ctx, SCHEDULED_ACTION)?;
        Ok((p.required_str("ScheduledActionName")?, item, p))
    };
    items.iter().enumerate().map(action).collect()
}

/// Checks the template's actions (before any call).
pub(crate) fn check(value: &Value, ctx: Ctx<'_>) -> Result<(), ProviderError> {
    for (_, _, p) in actions(value, ctx)? {
        p.required_str("Schedule")?;
        p.obj("ScalableTargetAction", SCALABLE_TARGET_ACTION)?;
    }
    Ok(())
}

/// Brings the target's scheduled actions from `before`'s (none at create) to `after`'s.
pub(crate) async fn converge(
    svc: &AppScaling,
    ctx: Ctx<'_>,
    target: &Target,
    before: Option<&Value>,
    after: &Value,
) -> Result<(), ProviderError> {
    let old = before.map(|b| actions(b, ctx)).transpose()?;
    let old = old.unwrap_or_default();
    let new = actions(after, ctx)?;
    for (name, raw, p) in &new {
        let same = |(n, o, _): &Action<'_>| n == name && same_value(Some(o), Some(raw));
        if old.iter().any(same) {
            continue;
        }
        let call = put_scheduled_action(p, svc.client.put_scheduled_action())?;
        let doing = format!("putting scheduled action {name}");
        send!(svc, ctx, on_target!(call, target), doing)?;
    }
    for (name, _, _) in old
        .iter()
        .filter(|(n, _, _)| !new.iter().any(|(m, _, _)| m == n))
    {
        let call = on_target!(svc.client.delete_scheduled_action(), target);
        let call = call.scheduled_action_name(name);
        let doing = format!("deleting scheduled action {name}");
        kit::deleted(svc, ctx, &doing, call.send(), gone).await?;
    }
    Ok(())
}

/// The name of an action as the template writes it.
fn name_of(action: &Value) -> Option<&str> {
    action.get("ScheduledActionName").and_then(Value::as_str)
}

/// The target's scheduled actions as a template writes them, in `last`'s order of names.
pub(crate) async fn observe(
    svc: &AppScaling,
    ctx: Ctx<'_>,
    target: &Target,
    last: Option<&Value>,
) -> Result<Value, ProviderError> {
    let (type_name, address) = (ctx.type_name, ctx.address);
    let doing = format!("{type_name} {address}: reading scheduled actions");
    let request = on_target!(svc.client.describe_scheduled_actions(), target);
    let found: Vec<ScheduledAction> = all_pages!(svc, &doing, request, scheduled_actions)?;
    let last = last
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let order: Vec<&str> = last.iter().filter_map(name_of).collect();
    let mut items: Vec<(usize, Value)> = (found.iter())
        .map(|a| {
            let name = a.scheduled_action_name();
            let mut m = report_scheduled_action(a);
            // AWS reports `UTC` for an action given no time zone.
            let zoned = last.iter().any(|i| {
                name_of(i) == Some(name) && i.get("Timezone").is_some_and(|t| !t.is_null())
            });
            if a.timezone() == Some("UTC")
                && !zoned
                && let Some(m) = m.as_object_mut()
            {
                m.remove("Timezone");
            }
            let rank = order.iter().position(|n| *n == name).unwrap_or(usize::MAX);
            (rank, kit::as_written(m, last.get(rank)))
        })
        .collect();
    items.sort_by_key(|(rank, _)| *rank);
    Ok(Value::Array(items.into_iter().map(|(_, v)| v).collect()))
}
