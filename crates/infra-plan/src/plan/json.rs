//! `infra plan --json`: one JSON document, documented in `docs/plan-json.md`. Like Terraform's,
//! values known only after apply are `null` in `after` and `true` at the same place in
//! `after_unknown`, so consumers never have to parse marker strings.

use infra_template::Value;
use serde_json::{Map, Value as Json, json};

use super::model::{Action, Plan, ResourceChange};

/// The document's format version.
pub const JSON_FORMAT_VERSION: &str = "1.0";

/// The known parts of a value (unknowns as `null`).
pub fn known(v: &Value) -> Json {
    match v {
        Value::Unknown(_) => Json::Null,
        Value::List(items) => Json::Array(items.iter().map(known).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), known(v))).collect()),
        other => other.to_json().unwrap_or(Json::Null),
    }
}

/// `true` where a value is unknown, mirroring its shape; `false` for a fully known scalar.
pub fn unknown_mask(v: &Value) -> Json {
    match v {
        Value::Unknown(_) => Json::Bool(true),
        Value::List(items) => Json::Array(items.iter().map(unknown_mask).collect()),
        Value::Map(m) => {
            let inner: Map<String, Json> = m
                .iter()
                .filter(|(_, v)| v.has_unknown())
                .map(|(k, v)| (k.clone(), unknown_mask(v)))
                .collect();
            Json::Object(inner)
        }
        _ => Json::Bool(false),
    }
}

/// Terraform's action names; `forget` takes an object out of the state and leaves it in AWS,
/// including the old object of a replacement that keeps it.
fn actions(c: &ResourceChange) -> Vec<&'static str> {
    let old = if c.retains() { "forget" } else { "delete" };
    match c.action {
        Action::NoOp => vec!["no-op"],
        Action::Create => vec!["create"],
        Action::Update => vec!["update"],
        Action::Delete => vec!["delete"],
        Action::Forget => vec!["forget"],
        Action::DeleteThenCreate => vec![old, "create"],
        Action::CreateThenDelete => vec!["create", old],
    }
}

/// The plan as the documented JSON document.
pub fn plan_json(plan: &Plan) -> Json {
    let changes: Vec<Json> = plan
        .changes
        .iter()
        .map(|c| {
            json!({
                "address": c.address,
                "type": c.type_name,
                "actions": actions(c),
                "before": c.before.as_ref().map(known),
                "after": c.after.as_ref().map(known),
                "after_unknown": c.after.as_ref().map(unknown_mask).unwrap_or(Json::Bool(false)),
                "replace_paths": c.replace_paths,
                "reason": c.reason,
                "physical_id": c.physical_id,
                "depends_on": c.depends_on,
                "native_teardown": c.native_teardown,
                "path": c.path.as_str(),
                "deletion_policy": c.deletion_policy.as_str(),
                "update_replace_policy": c.update_replace_policy.as_str(),
                "retained_by": c.retained_by,
                "policies_before": c.policies_before.map(|p| json!({
                    "deletion_policy": p.deletion_policy.as_str(),
                    "update_replace_policy": p.update_replace_policy.as_str(),
                })),
            })
        })
        .collect();
    let drift: Vec<Json> = plan
        .drift
        .iter()
        .map(|d| {
            json!({
                "address": d.address,
                "type": d.type_name,
                "actions": if d.after.is_none() { vec!["delete"] } else { vec!["update"] },
                "before": d.before.as_ref().map(known),
                "after": d.after.as_ref().map(known),
            })
        })
        .collect();
    let outputs: Map<String, Json> = plan
        .outputs
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                json!({"value": known(v), "unknown": v.has_unknown()}),
            )
        })
        .collect();
    json!({
        "format_version": JSON_FORMAT_VERSION,
        "stack": plan.binding.stack,
        "state": {"lineage": plan.binding.lineage, "serial": plan.binding.serial},
        "template": plan.binding.template,
        "destroy": plan.destroy,
        "resource_changes": changes,
        "resource_drift": drift,
        "outputs": outputs,
        "summary": {
            "add": plan.summary.add,
            "change": plan.summary.change,
            "destroy": plan.summary.destroy,
            "retain": plan.summary.retain,
        },
        "expected_apply_seconds": plan.estimate.as_ref().map_or(0.0, |e| e.expected_apply_seconds),
        "critical_path": plan.estimate.as_ref().map(|e| e.critical_path.clone()).unwrap_or_default(),
        "stack_order_seconds": plan.estimate.as_ref().map_or(0.0, |e| e.stack_order_seconds),
        "notes": plan.notes,
        "recovery": plan.recovery.iter().map(|r| json!({
            "address": r.address,
            "type": r.type_name,
            "intent": r.intent,
            "outcome": r.outcome.name(),
            "description": r.describe(),
        })).collect::<Vec<_>>(),
    })
}
