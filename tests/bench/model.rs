//! The latency model (`../shared/bench/latency-model.json`): seconds per resource type for a
//! create, an in-place update and a delete, the seconds of any other API call, and the factor
//! benchmarks divide everything by.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, anyhow};
use infra_engine::Operation;

/// The figures the bound needs, in the model's (real AWS) seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyModel {
    /// Create, update and delete seconds per type.
    pub types: BTreeMap<String, [f64; 3]>,
    /// Any call that is not a resource's own create, update or delete.
    pub api_call_seconds: f64,
    /// `scale_for_benchmarks.divide_by`.
    pub divide_by: f64,
}

impl LatencyModel {
    /// Reads and checks a model file.
    pub fn load(path: &Path) -> anyhow::Result<LatencyModel> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the latency model {}", path.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("the latency model {} is not JSON", path.display()))?;
        let number = |value: &serde_json::Value, what: &str| {
            value
                .as_f64()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| anyhow!("{}: `{what}` must be a number >= 0", path.display()))
        };
        let mut types = BTreeMap::new();
        let listed = json["types"]
            .as_object()
            .ok_or_else(|| anyhow!("{}: no `types` object", path.display()))?;
        for (name, ops) in listed {
            let op = |key: &str| number(&ops[key], &format!("types.{name}.{key}"));
            types.insert(name.clone(), [op("create")?, op("update")?, op("delete")?]);
        }
        let divide_by = number(
            &json["scale_for_benchmarks"]["divide_by"],
            "scale_for_benchmarks.divide_by",
        )?;
        if divide_by == 0.0 {
            return Err(anyhow!("{}: `divide_by` must not be 0", path.display()));
        }
        Ok(LatencyModel {
            types,
            api_call_seconds: number(&json["api_call_seconds"], "api_call_seconds")?,
            divide_by,
        })
    }

    /// Seconds of `operation` on a resource of `type_name`, when the model lists the type.
    pub fn seconds(&self, type_name: &str, operation: Operation) -> Option<f64> {
        let [create, update, delete] = *self.types.get(type_name)?;
        Some(match operation {
            Operation::Create | Operation::CreateReplacement => create,
            Operation::Update => update,
            Operation::Delete | Operation::DeleteReplaced => delete,
        })
    }
}
