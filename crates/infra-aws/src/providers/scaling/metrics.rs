//! The shapes both scaling policy types share, read once from the template and written once
//! back as refresh reports them: step adjustments ([`Step`]) and target tracking
//! ([`Tracking`]: a target value, a predefined or a customized metric). Each policy type turns
//! these into its own SDK's types and back, so the two services' nearly identical structures
//! are parsed and reported by one piece of code.

use serde_json::{Map, Value, json};

use super::common::{float, number, put};
use crate::provider::ProviderError;
use crate::providers::kit::{Keys, Props};

/// One step of a step scaling policy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub(crate) lower: Option<f64>,
    pub(crate) upper: Option<f64>,
    pub(crate) adjustment: i32,
}

/// A predefined metric (`ECSServiceAverageCPUUtilization`, `ASGAverageCPUUtilization`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Predefined {
    pub(crate) metric_type: String,
    pub(crate) label: Option<String>,
}

/// A customized CloudWatch metric (one metric; metric math is refused).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Customized {
    pub(crate) name: Option<String>,
    pub(crate) namespace: Option<String>,
    pub(crate) statistic: Option<String>,
    pub(crate) unit: Option<String>,
    pub(crate) dimensions: Vec<(String, String)>,
}

/// A target tracking configuration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tracking {
    pub(crate) target: f64,
    pub(crate) disable_scale_in: Option<bool>,
    pub(crate) scale_in_cooldown: Option<i32>,
    pub(crate) scale_out_cooldown: Option<i32>,
    pub(crate) predefined: Option<Predefined>,
    pub(crate) customized: Option<Customized>,
}

const STEP: Keys = Keys::new(&[
    "MetricIntervalLowerBound",
    "MetricIntervalUpperBound",
    "ScalingAdjustment",
])
.listed();
const PREDEFINED: Keys = Keys::new(&["PredefinedMetricType", "ResourceLabel"]).listed();
const DIMENSION: Keys = Keys::new(&["Name", "Value"]).listed();
const CUSTOMIZED_SUPPORTED: &[&str] =
    &["Dimensions", "MetricName", "Namespace", "Statistic", "Unit"];
const CUSTOMIZED_REFUSED: &[(&str, &str)] = &[
    (
        "Metrics",
        "metric math in a target tracking policy is not supported yet",
    ),
    (
        "Period",
        "a high-resolution metric period is not supported yet",
    ),
];

/// The steps at `key` (absent = none).
pub(crate) fn steps(props: &Props<'_>, key: &str) -> Result<Vec<Step>, ProviderError> {
    props
        .objs(key, STEP)?
        .iter()
        .map(|s| {
            Ok(Step {
                lower: number(
                    s.get("MetricIntervalLowerBound"),
                    &s.at("MetricIntervalLowerBound"),
                    s.ctx(),
                )?,
                upper: number(
                    s.get("MetricIntervalUpperBound"),
                    &s.at("MetricIntervalUpperBound"),
                    s.ctx(),
                )?,
                adjustment: s.required_i32("ScalingAdjustment")?,
            })
        })
        .collect()
}

/// The target tracking configuration at `key`; `extra` are the keys of it a type maps besides
/// the common ones (Application Auto Scaling's cooldowns).
pub(crate) fn tracking(
    props: &Props<'_>,
    key: &str,
    extra: &[&str],
) -> Result<Option<Tracking>, ProviderError> {
    let mut supported = vec![
        "TargetValue",
        "DisableScaleIn",
        "PredefinedMetricSpecification",
        "CustomizedMetricSpecification",
    ];
    supported.extend_from_slice(extra);
    let Some(t) = props.obj(key, Keys::new(&supported).listed())? else {
        return Ok(None);
    };
    let target = number(t.get("TargetValue"), &t.at("TargetValue"), t.ctx())?
        .ok_or_else(|| t.missing("TargetValue"))?;
    let predefined = match t.obj("PredefinedMetricSpecification", PREDEFINED)? {
        Some(p) => Some(Predefined {
            metric_type: p.required_str("PredefinedMetricType")?,
            label: p.str("ResourceLabel")?,
        }),
        None => None,
    };
    let customized_keys = Keys::with(CUSTOMIZED_SUPPORTED, CUSTOMIZED_REFUSED);
    let customized = match t.obj("CustomizedMetricSpecification", customized_keys)? {
        Some(c) => Some(Customized {
            name: c.str("MetricName")?,
            namespace: c.str("Namespace")?,
            statistic: c.str("Statistic")?,
            unit: c.str("Unit")?,
            dimensions: c
                .objs("Dimensions", DIMENSION)?
                .iter()
                .map(|d| Ok((d.required_str("Name")?, d.required_str("Value")?)))
                .collect::<Result<_, ProviderError>>()?,
        }),
        None => None,
    };
    Ok(Some(Tracking {
        target,
        disable_scale_in: t.bool("DisableScaleIn")?,
        scale_in_cooldown: t.i32("ScaleInCooldown")?,
        scale_out_cooldown: t.i32("ScaleOutCooldown")?,
        predefined,
        customized,
    }))
}

/// The SDK's `(predefined, customized)` metric specifications of the [`Tracking`] `$t`, for the
/// service whose types module is `$types` (both name them alike); `$ok` turns what a builder
/// returns into a `Result` (the builders of one service check required fields, the other's do
/// not).
macro_rules! sdk_metrics {
    ($($types:ident)::+, $t:expr, $ok:expr) => {{
        use $($types)::+::{
            CustomizedMetricSpecification, MetricDimension, MetricStatistic, MetricType,
            PredefinedMetricSpecification,
        };
        let predefined = match $t.predefined {
            Some(p) => Some(($ok)(
                PredefinedMetricSpecification::builder()
                    .predefined_metric_type(MetricType::from(p.metric_type.as_str()))
                    .set_resource_label(p.label)
                    .build(),
            )?),
            None => None,
        };
        let customized = match $t.customized {
            Some(c) => {
                let dimensions = c
                    .dimensions
                    .into_iter()
                    .map(|(n, v)| ($ok)(MetricDimension::builder().name(n).value(v).build()))
                    .collect::<Result<Vec<_>, _>>()?;
                Some(
                    CustomizedMetricSpecification::builder()
                        .set_metric_name(c.name)
                        .set_namespace(c.namespace)
                        .set_statistic(c.statistic.as_deref().map(MetricStatistic::from))
                        .set_unit(c.unit)
                        .set_dimensions((!dimensions.is_empty()).then_some(dimensions))
                        .build(),
                )
            }
            None => None,
        };
        (predefined, customized)
    }};
}
pub(crate) use sdk_metrics;

/// Steps as a template writes them.
pub(crate) fn steps_json(steps: &[Step]) -> Value {
    Value::Array(
        steps
            .iter()
            .map(|s| {
                let mut m = Map::new();
                put(&mut m, "MetricIntervalLowerBound", s.lower.map(float));
                put(&mut m, "MetricIntervalUpperBound", s.upper.map(float));
                m.insert("ScalingAdjustment".into(), json!(s.adjustment));
                Value::Object(m)
            })
            .collect(),
    )
}

/// A target tracking configuration as a template writes it.
pub(crate) fn tracking_json(t: &Tracking) -> Value {
    let mut m = Map::new();
    m.insert("TargetValue".into(), float(t.target));
    put(&mut m, "DisableScaleIn", t.disable_scale_in);
    put(&mut m, "ScaleInCooldown", t.scale_in_cooldown);
    put(&mut m, "ScaleOutCooldown", t.scale_out_cooldown);
    if let Some(p) = &t.predefined {
        let mut pm = Map::new();
        pm.insert("PredefinedMetricType".into(), json!(p.metric_type));
        put(&mut pm, "ResourceLabel", p.label.clone());
        m.insert("PredefinedMetricSpecification".into(), Value::Object(pm));
    }
    if let Some(c) = &t.customized {
        let mut cm = Map::new();
        put(&mut cm, "MetricName", c.name.clone());
        put(&mut cm, "Namespace", c.namespace.clone());
        put(&mut cm, "Statistic", c.statistic.clone());
        put(&mut cm, "Unit", c.unit.clone());
        let dims = c
            .dimensions
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        super::common::put_list(&mut cm, "Dimensions", dims);
        m.insert("CustomizedMetricSpecification".into(), Value::Object(cm));
    }
    Value::Object(m)
}

#[cfg(test)]
#[path = "tests/metrics.rs"]
mod tests;
