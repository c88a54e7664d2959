//! An alarm's template properties as the SDK's own [`MetricAlarm`] ([`parse`]), and a
//! [`MetricAlarm`] as the template writes it ([`render`]). One shape both ways: the create and
//! update send what [`parse`] made (PutMetricAlarm), refresh reports what DescribeAlarms
//! returns through [`render`], and a value is drift only when the two renders differ (so
//! `"80"` and `80.0`, dimension order and `ReturnData: true` left out say the same).

use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, Metric, MetricAlarm, MetricDataQuery, MetricStat, StandardUnit,
    Statistic,
};
use serde_json::{Map, Value, json};

use super::TYPE;
use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Keys, Props, one_of};

pub(super) const SUPPORTED: &[&str] = &[
    "ActionsEnabled",
    "AlarmActions",
    "AlarmDescription",
    "AlarmName",
    "ComparisonOperator",
    "DatapointsToAlarm",
    "Dimensions",
    "EvaluateLowSampleCountPercentile",
    "EvaluationPeriods",
    "ExtendedStatistic",
    "InsufficientDataActions",
    "MetricName",
    "Metrics",
    "Namespace",
    "OKActions",
    "Period",
    "Statistic",
    "Tags",
    "Threshold",
    "ThresholdMetricId",
    "TreatMissingData",
    "Unit",
];

/// The reason for every property the SDK in use cannot send.
const NEWER_THAN_SDK: &str = "the AWS SDK infra is built with (aws-sdk-cloudwatch 1.98) has no \
     such PutMetricAlarm parameter yet; leave it out";

pub(crate) const UNSUPPORTED: &[(&str, &str)] = &[
    ("ActionConfiguration", NEWER_THAN_SDK),
    ("EvaluationCriteria", NEWER_THAN_SDK),
    ("EvaluationInterval", NEWER_THAN_SDK),
    ("EvaluationWindow", NEWER_THAN_SDK),
    ("WarmUpConfiguration", NEWER_THAN_SDK),
];

const ATTRIBUTES: &[(&str, &str)] = &[("Arn", "Arn is an attribute (Fn::GetAtt), not a property")];

const DIMENSION: Keys = Keys::new(&["Name", "Value"]).listed();
const QUERY: Keys = Keys::new(&[
    "AccountId",
    "Expression",
    "Id",
    "Label",
    "MetricStat",
    "Period",
    "ReturnData",
])
.listed();
const STAT: Keys = Keys::new(&["Metric", "Period", "Stat", "Unit"]).listed();
const METRIC: Keys = Keys::new(&["Dimensions", "MetricName", "Namespace"]).listed();

/// The template's properties: the alarm (its name when the template gives one) and its tags.
pub(super) fn parse(
    value: &Value,
    ctx: Ctx<'_>,
) -> Result<(MetricAlarm, Vec<(String, String)>), ProviderError> {
    let keys = Keys::with(SUPPORTED, UNSUPPORTED).and_attributes(ATTRIBUTES);
    let p = Props::root(value, ctx, keys)?;
    let strs = |key: &str| p.strs(key);
    let alarm = MetricAlarm::builder()
        .set_alarm_name(p.str("AlarmName")?)
        .set_alarm_description(p.str("AlarmDescription")?)
        .set_actions_enabled(p.bool("ActionsEnabled")?)
        .set_ok_actions(strs("OKActions")?)
        .set_alarm_actions(strs("AlarmActions")?)
        .set_insufficient_data_actions(strs("InsufficientDataActions")?)
        .set_metric_name(p.str("MetricName")?)
        .set_namespace(p.str("Namespace")?)
        .set_statistic(
            p.str("Statistic")?
                .map(|s| one_of(&s, Statistic::values(), &p.at("Statistic"), ctx))
                .transpose()?,
        )
        .set_extended_statistic(p.str("ExtendedStatistic")?)
        .set_dimensions(dimensions(&p)?)
        .set_period(p.i32("Period")?)
        .set_unit(unit(&p)?)
        .set_evaluation_periods(p.i32("EvaluationPeriods")?)
        .set_datapoints_to_alarm(p.i32("DatapointsToAlarm")?)
        .set_threshold(number(&p, "Threshold")?)
        .set_comparison_operator(
            p.str("ComparisonOperator")?
                .map(|s| {
                    let path = p.at("ComparisonOperator");
                    one_of(&s, ComparisonOperator::values(), &path, ctx)
                })
                .transpose()?,
        )
        .set_treat_missing_data(p.str("TreatMissingData")?)
        .set_evaluate_low_sample_count_percentile(p.str("EvaluateLowSampleCountPercentile")?)
        .set_metrics(
            p.opt_objs("Metrics", QUERY)?
                .map(|qs| qs.iter().map(query).collect::<Result<Vec<_>, _>>())
                .transpose()?,
        )
        .set_threshold_metric_id(p.str("ThresholdMetricId")?)
        .build();
    Ok((alarm, p.tags("Tags")?))
}

/// A number (`80`, `80.5` or `"80"`).
fn number(p: &Props<'_>, key: &str) -> Result<Option<f64>, ProviderError> {
    p.get(key)
        .map(|v| match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .map(|n| n.ok_or_else(|| p.fatal(key, "must be a number")))
        .transpose()
}

fn unit(p: &Props<'_>) -> Result<Option<StandardUnit>, ProviderError> {
    p.str("Unit")?
        .map(|u| one_of(&u, StandardUnit::values(), &p.at("Unit"), p.ctx()))
        .transpose()
}

fn dimensions(p: &Props<'_>) -> Result<Option<Vec<Dimension>>, ProviderError> {
    let Some(items) = p.opt_objs("Dimensions", DIMENSION)? else {
        return Ok(None);
    };
    let dims = items.iter().map(|d| {
        Ok(Dimension::builder()
            .name(d.required_str("Name")?)
            .value(d.required_str("Value")?)
            .build())
    });
    dims.collect::<Result<Vec<_>, ProviderError>>().map(Some)
}

/// One item of `Metrics`: an expression or a metric, never both (PutMetricAlarm's rule).
fn query(q: &Props<'_>) -> Result<MetricDataQuery, ProviderError> {
    let stat = q.obj("MetricStat", STAT)?;
    if stat.is_some() == q.get("Expression").is_some() {
        return Err(q.fatal(
            "Expression",
            "give either Expression or MetricStat, not both",
        ));
    }
    let stat = stat
        .map(|s| -> Result<MetricStat, ProviderError> {
            let metric = s
                .obj("Metric", METRIC)?
                .ok_or_else(|| s.missing("Metric"))?;
            Ok(MetricStat::builder()
                .metric(
                    Metric::builder()
                        .set_metric_name(metric.str("MetricName")?)
                        .set_namespace(metric.str("Namespace")?)
                        .set_dimensions(dimensions(&metric)?)
                        .build(),
                )
                .period(s.required_i32("Period")?)
                .stat(s.required_str("Stat")?)
                .set_unit(unit(&s)?)
                .build())
        })
        .transpose()?;
    Ok(MetricDataQuery::builder()
        .id(q.required_str("Id")?)
        .set_metric_stat(stat)
        .set_expression(q.str("Expression")?)
        .set_label(q.str("Label")?)
        .set_return_data(q.bool("ReturnData")?)
        .set_period(q.i32("Period")?)
        .set_account_id(q.str("AccountId")?)
        .build())
}

/// `alarm` as the template writes it: every value it holds, dimensions sorted, whole numbers
/// without a fraction, `ReturnData: true` (the default) left out.
pub(super) fn render(alarm: &MetricAlarm) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            m.insert(key.to_owned(), v);
        }
    };
    let text = |s: Option<&str>| s.map(|s| json!(s));
    let list = |l: &Option<Vec<String>>| l.as_ref().map(|l| json!(l));
    put("AlarmName", text(alarm.alarm_name()));
    put("AlarmDescription", text(alarm.alarm_description()));
    put("ActionsEnabled", alarm.actions_enabled().map(Value::Bool));
    put("OKActions", list(&alarm.ok_actions));
    put("AlarmActions", list(&alarm.alarm_actions));
    put(
        "InsufficientDataActions",
        list(&alarm.insufficient_data_actions),
    );
    put("MetricName", text(alarm.metric_name()));
    put("Namespace", text(alarm.namespace()));
    put("Statistic", text(alarm.statistic().map(Statistic::as_str)));
    put("ExtendedStatistic", text(alarm.extended_statistic()));
    put(
        "Dimensions",
        alarm.dimensions.as_deref().map(render_dimensions),
    );
    put("Period", alarm.period().map(|n| json!(n)));
    put("Unit", text(alarm.unit().map(StandardUnit::as_str)));
    put(
        "EvaluationPeriods",
        alarm.evaluation_periods().map(|n| json!(n)),
    );
    put(
        "DatapointsToAlarm",
        alarm.datapoints_to_alarm().map(|n| json!(n)),
    );
    put("Threshold", alarm.threshold().map(whole));
    put(
        "ComparisonOperator",
        text(alarm.comparison_operator().map(ComparisonOperator::as_str)),
    );
    put("TreatMissingData", text(alarm.treat_missing_data()));
    put(
        "EvaluateLowSampleCountPercentile",
        text(alarm.evaluate_low_sample_count_percentile()),
    );
    put(
        "Metrics",
        alarm
            .metrics
            .as_ref()
            .map(|qs| Value::Array(qs.iter().map(render_query).collect())),
    );
    put("ThresholdMetricId", text(alarm.threshold_metric_id()));
    m
}

/// A number, whole ones without a fraction (`80`, not `80.0`).
fn whole(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn render_dimensions(dims: &[Dimension]) -> Value {
    let mut pairs: Vec<(&str, &str)> = dims
        .iter()
        .map(|d| (d.name().unwrap_or_default(), d.value().unwrap_or_default()))
        .collect();
    pairs.sort_unstable();
    Value::Array(
        pairs
            .into_iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect(),
    )
}

fn render_query(q: &MetricDataQuery) -> Value {
    let mut m = Map::new();
    m.insert("Id".into(), json!(q.id()));
    let optional = [
        ("Expression", q.expression().map(|e| json!(e))),
        ("Label", q.label().map(|l| json!(l))),
        (
            "ReturnData",
            q.return_data().filter(|r| !r).map(Value::Bool),
        ),
        ("Period", q.period().map(|p| json!(p))),
        ("AccountId", q.account_id().map(|a| json!(a))),
    ];
    m.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))),
    );
    if let Some(s) = q.metric_stat() {
        let metric = s.metric().map(|metric| {
            let mut o = Map::new();
            if let Some(n) = metric.metric_name() {
                o.insert("MetricName".into(), json!(n));
            }
            if let Some(n) = metric.namespace() {
                o.insert("Namespace".into(), json!(n));
            }
            if let Some(d) = metric.dimensions.as_deref().filter(|d| !d.is_empty()) {
                o.insert("Dimensions".into(), render_dimensions(d));
            }
            Value::Object(o)
        });
        let mut o = Map::new();
        o.insert("Metric".into(), metric.unwrap_or(Value::Null));
        o.insert("Period".into(), json!(s.period()));
        o.insert("Stat".into(), json!(s.stat()));
        if let Some(u) = s.unit() {
            o.insert("Unit".into(), json!(u.as_str()));
        }
        m.insert("MetricStat".into(), Value::Object(o));
    }
    Value::Object(m)
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
