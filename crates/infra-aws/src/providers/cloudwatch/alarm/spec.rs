//! An alarm's template properties as the SDK's own [`MetricAlarm`] ([`parse`]), and a
//! [`MetricAlarm`] as the template writes it ([`render`]). Both conversions are generated
//! from the schema (`mappings/cloudwatch.toml`, `generated/cloudwatch.rs`); here are the rules
//! the schema does not say: an item of `Metrics` is an expression or a metric, and what
//! [`render`] normalises. One shape both ways: the create and update send what [`parse`] made
//! (PutMetricAlarm), refresh reports what DescribeAlarms returns through [`render`], and a
//! value is drift only when the two renders differ (so `"80"` and `80.0`, dimension order and
//! `ReturnData: true` left out say the same).

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_cloudwatch::types::MetricAlarm;

use super::TYPE;
use crate::generated::cloudwatch::{ALARM, metric_alarm, report_metric_alarm};

/// The template's properties: the alarm (its name when the template gives one) and its tags.
pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> R<(MetricAlarm, Vec<(String, String)>)> {
    let p = Props::root(value, ctx, ALARM)?;
    let alarm = metric_alarm(&p)?;
    // Each item of `Metrics` is an expression or a metric, never both (PutMetricAlarm's rule).
    for (i, q) in alarm.metrics().iter().enumerate() {
        if q.metric_stat().is_some() == q.expression().is_some() {
            let at = p.at_index("Metrics", i);
            return Err(ctx.fatal(format!(
                "property {at}.Expression: give either Expression or MetricStat, not both"
            )));
        }
    }
    Ok((alarm, p.tags("Tags")?))
}

/// `alarm` as the template writes it: every value it holds, dimensions sorted, whole numbers
/// without a fraction, a metric's empty `Dimensions` and `ReturnData: true` (the default) left
/// out.
pub(super) fn render(alarm: &MetricAlarm) -> Map<String, Value> {
    let Value::Object(mut m) = report_metric_alarm(alarm) else {
        return Map::new();
    };
    m.get_mut("Dimensions").map(sort_dimensions);
    let metrics = m.get_mut("Metrics").and_then(Value::as_array_mut);
    for q in metrics.into_iter().flatten() {
        let Some(q) = q.as_object_mut() else { continue };
        if q.get("ReturnData") == Some(&Value::Bool(true)) {
            q.remove("ReturnData");
        }
        let metric = q.get_mut("MetricStat").and_then(|s| s.get_mut("Metric"));
        if let Some(metric) = metric.and_then(Value::as_object_mut) {
            let dims = metric.get("Dimensions").and_then(Value::as_array);
            if dims.is_some_and(Vec::is_empty) {
                metric.remove("Dimensions");
            }
            metric.get_mut("Dimensions").map(sort_dimensions);
        }
    }
    m
}

/// Dimensions in order of name, then value.
fn sort_dimensions(dims: &mut Value) {
    let key = |d: &Value| {
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
        (text("Name"), text("Value"))
    };
    if let Some(dims) = dims.as_array_mut() {
        dims.sort_by_key(key);
    }
}

/// What refresh reports for `key`: the last applied value when it says the same as what AWS
/// holds (both rendered), else AWS's.
pub(super) fn observed(found: &Map<String, Value>, last: &Value, key: &str) -> Option<Value> {
    let now = found.get(key)?;
    let previous = last.get(key).filter(|v| !v.is_null());
    let same = previous.is_some_and(|prev| {
        let one = serde_json::json!({ key: prev });
        parse(&one, Ctx::new(TYPE, "")).is_ok_and(|(a, _)| render(&a).get(key) == Some(now))
    });
    Some(if same { previous.cloned() } else { None }.unwrap_or_else(|| now.clone()))
}
