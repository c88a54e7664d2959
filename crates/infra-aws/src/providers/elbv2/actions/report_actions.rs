//! Listener and rule actions as AWS returns them, back in the template's shape (the generated
//! `report_action`; the write-only OIDC client secret left out), and reported as the previous
//! list when they say the same.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::types::Action;

use crate::generated::elbv2::report_action;
use crate::providers::elbv2::json;

/// A forward action in one form for comparing: a lone `TargetGroupArn` becomes
/// `ForwardConfig.TargetGroups`, and `TargetGroupArn` beside a `ForwardConfig` (AWS returns both
/// for a single target group) is dropped.
fn canonical_action(action: &Value) -> Value {
    let Value::Object(map) = action else {
        return action.clone();
    };
    if map.get("Type").and_then(Value::as_str) != Some("forward") {
        return action.clone();
    }
    let mut out: Map<String, Value> = map.clone();
    let arn = out.remove("TargetGroupArn").filter(|v| !v.is_null());
    let has_config = out.get("ForwardConfig").is_some_and(|v| !v.is_null());
    if let (Some(arn), false) = (arn, has_config) {
        out.insert(
            "ForwardConfig".into(),
            json!({"TargetGroups": [{"TargetGroupArn": arn}]}),
        );
    }
    Value::Object(out)
}

/// Actions as AWS returned them, as the template writes them: the previous list when it says
/// the same (see [`json::matches`]), else the observed one.
pub(in crate::providers::elbv2) fn observed_actions(
    found: &[Action],
    previous: Option<&Value>,
) -> Value {
    let observed: Vec<Value> = found.iter().map(report_action).collect();
    let canonical = |list: &[Value]| Value::Array(list.iter().map(canonical_action).collect());
    match previous.and_then(Value::as_array) {
        Some(prev) if json::matches(&canonical(prev), &canonical(&observed)) => {
            Value::Array(prev.clone())
        }
        _ => Value::Array(observed),
    }
}
