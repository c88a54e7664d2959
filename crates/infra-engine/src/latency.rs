//! The latency model: how many seconds a create, an in-place update and a delete of each
//! resource type take until the resource is usable, as AWS's own figures show them
//! (`data/latency-model.json`, sources in `data/LATENCY-SOURCES.md`).
//!
//! It is the project's one model: the walker starts the ready operation with the longest
//! remaining chain by it, a plan's expected apply time and live remaining time come from it, and
//! the benchmark proxy and the critical-path bound of `scripts/bench` read the same file. The
//! file is built into the binary; `--latency-model FILE` reads another of the same format. A
//! type the file does not list gets its `default` figures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::events::Operation;

/// The model built into `infra`.
const BUILT_IN: &str = include_str!("../data/latency-model.json");

/// Create, update, delete seconds for a type a file lists no `default` for.
const FALLBACK_DEFAULT: [f64; 3] = [10.0, 5.0, 5.0];

static BUILT_IN_MODEL: LazyLock<LatencyModel> = LazyLock::new(|| {
    // The built-in file is checked by this module's tests; it cannot fail at run time.
    #[allow(clippy::expect_used)]
    LatencyModel::from_json(BUILT_IN, "built into infra")
        .expect("the built-in latency model is valid")
});

/// Seconds per resource type and operation, in real AWS seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyModel {
    /// Create, update and delete seconds per listed type.
    types: BTreeMap<String, [f64; 3]>,
    /// The figures of a type not listed.
    default: [f64; 3],
    /// Any API call that is not a resource's own create, update or delete.
    api_call_seconds: f64,
    /// What benchmarks divide every figure by, to replay AWS's time in seconds.
    divide_by: f64,
}

/// A latency model file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LatencyModelError {
    /// The file cannot be read.
    #[error("cannot read the latency model {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a latency model.
    #[error("the latency model {origin} cannot be used: {message}")]
    Invalid {
        /// The file, or "built into infra".
        origin: String,
        /// What is wrong, naming the field.
        message: String,
    },
}

impl LatencyModel {
    /// The model built into `infra`.
    pub fn built_in() -> &'static LatencyModel {
        &BUILT_IN_MODEL
    }

    /// Reads and checks a model file.
    pub fn load(path: &Path) -> Result<LatencyModel, LatencyModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| LatencyModelError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        LatencyModel::from_json(&text, &path.display().to_string())
    }

    /// Parses and checks a model; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<LatencyModel, LatencyModelError> {
        let invalid = |message: String| LatencyModelError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            invalid(format!(
                "not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let number = |value: &serde_json::Value, what: &str| {
            value
                .as_f64()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| invalid(format!("`{what}` must be a number >= 0")))
        };
        let figures =
            |ops: &serde_json::Value, what: &str| -> Result<[f64; 3], LatencyModelError> {
                Ok([
                    number(&ops["create"], &format!("{what}.create"))?,
                    number(&ops["update"], &format!("{what}.update"))?,
                    number(&ops["delete"], &format!("{what}.delete"))?,
                ])
            };
        let listed = json["types"]
            .as_object()
            .ok_or_else(|| invalid("no `types` object".to_owned()))?;
        let mut types = BTreeMap::new();
        for (name, ops) in listed {
            types.insert(name.clone(), figures(ops, &format!("types.{name}"))?);
        }
        let default = match json.get("default") {
            None => FALLBACK_DEFAULT,
            Some(ops) => figures(ops, "default")?,
        };
        let divide_by = number(
            &json["scale_for_benchmarks"]["divide_by"],
            "scale_for_benchmarks.divide_by",
        )?;
        if divide_by == 0.0 {
            return Err(invalid(
                "`scale_for_benchmarks.divide_by` must not be 0".to_owned(),
            ));
        }
        Ok(LatencyModel {
            types,
            default,
            api_call_seconds: number(&json["api_call_seconds"], "api_call_seconds")?,
            divide_by,
        })
    }

    /// Seconds of `operation` on a resource of `type_name`; the default for a type not listed.
    pub fn seconds(&self, type_name: &str, operation: Operation) -> f64 {
        let [create, update, delete] = self.types.get(type_name).copied().unwrap_or(self.default);
        match operation {
            Operation::Create | Operation::CreateReplacement => create,
            Operation::Update => update,
            Operation::Delete | Operation::DeleteReplaced => delete,
            // A forget only writes the state.
            Operation::Forget | Operation::ForgetReplaced => 0.0,
        }
    }

    /// The types the model lists, in name order.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    /// Whether the model has figures of its own for `type_name`.
    pub fn lists(&self, type_name: &str) -> bool {
        self.types.contains_key(type_name)
    }

    /// Seconds of any API call that is not a resource's create, update or delete.
    pub fn api_call_seconds(&self) -> f64 {
        self.api_call_seconds
    }

    /// What benchmarks divide every figure by.
    pub fn divide_by(&self) -> f64 {
        self.divide_by
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_model_loads_with_its_figures() {
        let model = LatencyModel::built_in();
        assert_eq!(
            model.seconds("AWS::EC2::NatGateway", Operation::Create),
            100.0
        );
        assert_eq!(model.seconds("AWS::ECS::Service", Operation::Update), 420.0);
        assert_eq!(
            model.seconds("AWS::EC2::VPC", Operation::DeleteReplaced),
            2.0
        );
        assert_eq!(model.divide_by(), 60.0);
        assert!(model.lists("AWS::EC2::VPC"));
        assert!(!model.lists("AWS::Kinesis::Stream"));
        assert_eq!(
            model.seconds("AWS::Kinesis::Stream", Operation::Create),
            10.0
        );
        assert_eq!(
            model.seconds("AWS::Kinesis::Stream", Operation::Delete),
            5.0
        );
    }

    #[test]
    fn a_file_without_a_default_uses_the_documented_one() {
        let text = r#"{"api_call_seconds": 0.1, "scale_for_benchmarks": {"divide_by": 60},
            "types": {"AWS::EC2::VPC": {"create": 3, "update": 1, "delete": 2}}}"#;
        let model = LatencyModel::from_json(text, "m.json").expect("valid");
        assert_eq!(model.seconds("AWS::EC2::VPC", Operation::Create), 3.0);
        assert_eq!(model.seconds("AWS::SQS::Queue", Operation::Create), 10.0);
    }

    #[test]
    fn bad_files_name_the_field() {
        let cases = [
            ("{", "not JSON"),
            (
                r#"{"api_call_seconds": 1, "scale_for_benchmarks": {"divide_by": 60}}"#,
                "`types`",
            ),
            (
                r#"{"api_call_seconds": 1, "scale_for_benchmarks": {"divide_by": 60},
                   "types": {"AWS::EC2::VPC": {"create": -2, "update": 1, "delete": 1}}}"#,
                "types.AWS::EC2::VPC.create",
            ),
            (
                r#"{"api_call_seconds": 1, "scale_for_benchmarks": {"divide_by": 0}, "types": {}}"#,
                "divide_by",
            ),
            (
                r#"{"api_call_seconds": 1, "scale_for_benchmarks": {"divide_by": 60}, "types": {},
                   "default": {"create": 1, "update": "x", "delete": 1}}"#,
                "default.update",
            ),
        ];
        for (text, named) in cases {
            let message = LatencyModel::from_json(text, "m.json")
                .expect_err(text)
                .to_string();
            assert!(
                message.starts_with("the latency model m.json cannot be used: "),
                "{message}"
            );
            assert!(message.contains(named), "{message} should name {named}");
        }
    }
}
