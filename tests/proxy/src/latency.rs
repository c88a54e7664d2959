//! The latency model (`crates/infra-engine/data/latency-model.json`): seconds per resource type and step,
//! the time of any other API call, and the factor benchmarks scale it down by; and the delay
//! the proxy adds to each operation from it.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::ProxyError;
use crate::mapping::{Lifecycle, resource_operation};

/// Seconds per step of one resource type.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct TypeLatency {
    /// Until a create is usable by its dependents.
    pub create: f64,
    /// An in-place update.
    pub update: f64,
    /// A delete.
    pub delete: f64,
}

impl TypeLatency {
    /// The seconds of one step.
    pub fn seconds(&self, lifecycle: Lifecycle) -> f64 {
        match lifecycle {
            Lifecycle::Create => self.create,
            Lifecycle::Update => self.update,
            Lifecycle::Delete => self.delete,
        }
    }
}

/// The latency model, in unscaled (real AWS) seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyModel {
    /// Seconds per resource type (`AWS::EC2::VPC`, ...).
    pub types: BTreeMap<String, TypeLatency>,
    /// Seconds of any call that is not a resource's create, update or delete.
    pub api_call_seconds: f64,
    /// What benchmarks divide every figure by (`scale_for_benchmarks.divide_by`).
    pub divide_by: f64,
}

#[derive(Deserialize)]
struct File {
    types: BTreeMap<String, TypeLatency>,
    api_call_seconds: f64,
    scale_for_benchmarks: Scale,
}

#[derive(Deserialize)]
struct Scale {
    divide_by: f64,
}

impl LatencyModel {
    /// Reads a model file.
    pub fn load(path: &Path) -> Result<LatencyModel, ProxyError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProxyError::ReadModel {
            path: path.to_owned(),
            source,
        })?;
        LatencyModel::from_json(&text).map_err(|reason| ProxyError::BadModel {
            path: path.to_owned(),
            reason,
        })
    }

    /// Parses a model; the error says what is wrong with it.
    pub fn from_json(text: &str) -> Result<LatencyModel, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let model = LatencyModel {
            types: file.types,
            api_call_seconds: file.api_call_seconds,
            divide_by: file.scale_for_benchmarks.divide_by,
        };
        let bad = |x: f64| !x.is_finite() || x < 0.0;
        if bad(model.api_call_seconds) {
            return Err("api_call_seconds must be a number >= 0".into());
        }
        if bad(model.divide_by) || model.divide_by == 0.0 {
            return Err("scale_for_benchmarks.divide_by must be a number > 0".into());
        }
        if let Some((name, _)) = model
            .types
            .iter()
            .find(|(_, t)| bad(t.create) || bad(t.update) || bad(t.delete))
        {
            return Err(format!(
                "{name}: create, update and delete must be numbers >= 0"
            ));
        }
        Ok(model)
    }

    /// Unscaled seconds of `lifecycle` of `resource_type`, when the model has the type.
    pub fn seconds(&self, resource_type: &str, lifecycle: Lifecycle) -> Option<f64> {
        self.types.get(resource_type).map(|t| t.seconds(lifecycle))
    }

    /// Unscaled seconds the proxy charges for one call of `operation` of `service`: the
    /// model's time for the resource step the operation stands for (see
    /// [`crate::mapping`]), else `api_call_seconds`.
    pub fn operation_seconds(&self, service: &str, operation: &str) -> f64 {
        resource_operation(service, operation)
            .and_then(|(resource_type, lifecycle)| self.seconds(resource_type, lifecycle))
            .unwrap_or(self.api_call_seconds)
    }

    /// The delay for one call: [`operation_seconds`](Self::operation_seconds) divided by
    /// `divide_by` (the model's own factor when `None`).
    pub fn delay(&self, service: &str, operation: &str, divide_by: Option<f64>) -> Duration {
        scaled(
            self.operation_seconds(service, operation),
            divide_by.unwrap_or(self.divide_by),
        )
    }
}

/// `seconds / divide_by` as a duration (zero for anything not positive and finite).
pub fn scaled(seconds: f64, divide_by: f64) -> Duration {
    let s = seconds / divide_by;
    if s.is_finite() && s > 0.0 {
        Duration::from_secs_f64(s)
    } else {
        Duration::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> LatencyModel {
        LatencyModel::from_json(
            r#"{"api_call_seconds": 0.15, "scale_for_benchmarks": {"divide_by": 60},
                "types": {"AWS::EC2::NatGateway": {"create": 100, "update": 1, "delete": 55}}}"#,
        )
        .expect("model")
    }

    #[test]
    fn mapped_operations_cost_the_model_and_others_an_api_call() {
        let m = model();
        assert_eq!(m.operation_seconds("ec2", "CreateNatGateway"), 100.0);
        assert_eq!(m.operation_seconds("ec2", "DeleteNatGateway"), 55.0);
        assert_eq!(m.operation_seconds("ec2", "DescribeNatGateways"), 0.15);
        // Mapped, but the type is not in this model.
        assert_eq!(m.operation_seconds("ec2", "CreateVpc"), 0.15);
        let d = m.delay("ec2", "CreateNatGateway", None);
        assert!((d.as_secs_f64() - 100.0 / 60.0).abs() < 1e-9, "{d:?}");
        let d = m.delay("ec2", "CreateNatGateway", Some(1000.0));
        assert!((d.as_secs_f64() - 0.1).abs() < 1e-9, "{d:?}");
    }

    #[test]
    fn bad_models_are_refused() {
        for text in [
            "{}",
            r#"{"api_call_seconds": -1, "scale_for_benchmarks": {"divide_by": 60}, "types": {}}"#,
            r#"{"api_call_seconds": 1, "scale_for_benchmarks": {"divide_by": 0}, "types": {}}"#,
            r#"{"api_call_seconds": 1, "scale_for_benchmarks": {"divide_by": 60},
                "types": {"AWS::EC2::VPC": {"create": -2, "update": 1, "delete": 1}}}"#,
        ] {
            assert!(LatencyModel::from_json(text).is_err(), "{text}");
        }
    }

    #[test]
    fn the_project_model_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../crates/infra-engine/data/latency-model.json");
        let m = LatencyModel::load(&path).expect("the project's latency model");
        assert_eq!(m.divide_by, 60.0);
        assert_eq!(
            m.seconds("AWS::EC2::NatGateway", Lifecycle::Create),
            Some(100.0)
        );
    }
}
