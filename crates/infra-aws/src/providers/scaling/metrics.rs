//! The shapes both scaling policy types share, written back as refresh reports them: step
//! adjustments ([`Step`]) and target tracking ([`Tracking`]: a target value, a predefined or a
//! customized metric). Each policy type turns its own SDK's types into these, so the two
//! services' nearly identical structures are reported by one piece of code (floats as
//! integers when they are whole, as templates write them). Reading the template into the SDK
//! types is generated (`crates/infra-aws/mappings/autoscaling.toml` and
//! `applicationautoscaling.toml`).

use serde_json::{Map, Value, json};

use super::common::{float, put};

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
