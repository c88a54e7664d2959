//! Saved plans (`infra plan --out FILE`): the document, what it is bound to, and the checks
//! that refuse a plan whose state, template or parameters moved on. The CLI does the file I/O.

use std::collections::BTreeMap;

use infra_template::Value;
use sha2::{Digest as _, Sha256};

use super::model::{Binding, PLAN_FORMAT_VERSION, Plan};

/// Why a saved plan cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SavedPlanError {
    /// Not a plan document.
    #[error("not a saved plan: {0}")]
    Malformed(String),
    /// Written by a newer `infra`.
    #[error("saved plan format {found} is newer than this infra reads ({supported})")]
    TooNew {
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// Made for another stack.
    #[error("saved plan is for stack `{saved}`, not `{current}`")]
    WrongStack {
        /// Stack in the plan.
        saved: String,
        /// Stack now.
        current: String,
    },
    /// The state is another state.
    #[error(
        "saved plan does not match the state: it was made for lineage {saved}, the state has lineage {current}"
    )]
    LineageMismatch {
        /// Lineage in the plan.
        saved: String,
        /// Lineage now.
        current: String,
    },
    /// The state changed since the plan was made.
    #[error(
        "saved plan is stale: it was made at state serial {saved}, the state is now at serial {current}; run `infra plan` again"
    )]
    Stale {
        /// Serial in the plan.
        saved: u64,
        /// Serial now.
        current: u64,
    },
    /// A template file changed.
    #[error(
        "saved plan is stale: the template files changed since the plan was made; run `infra plan` again"
    )]
    TemplateChanged,
    /// The parameters differ.
    #[error(
        "saved plan is stale: the parameter values differ from the ones it was made with; run `infra plan` again"
    )]
    ParametersChanged,
}

/// The plan as a pretty JSON document.
pub fn write_plan_bytes(plan: &Plan) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(plan).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Reads a saved plan.
pub fn read_plan(bytes: &[u8]) -> Result<Plan, SavedPlanError> {
    let json: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| SavedPlanError::Malformed(e.to_string()))?;
    let version = json
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| SavedPlanError::Malformed("no format_version".into()))?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > PLAN_FORMAT_VERSION {
        return Err(SavedPlanError::TooNew {
            found: version,
            supported: PLAN_FORMAT_VERSION,
        });
    }
    serde_json::from_value(json).map_err(|e| SavedPlanError::Malformed(e.to_string()))
}

/// Refuses a saved plan whose binding differs from the current one.
pub fn check_binding(saved: &Binding, current: &Binding) -> Result<(), SavedPlanError> {
    if saved.stack != current.stack {
        return Err(SavedPlanError::WrongStack {
            saved: saved.stack.clone(),
            current: current.stack.clone(),
        });
    }
    if let (Some(a), Some(b)) = (&saved.lineage, &current.lineage)
        && a != b
    {
        return Err(SavedPlanError::LineageMismatch {
            saved: a.clone(),
            current: b.clone(),
        });
    }
    if saved.lineage.is_some() != current.lineage.is_some() || saved.serial != current.serial {
        return Err(SavedPlanError::Stale {
            saved: saved.serial,
            current: current.serial,
        });
    }
    if saved.template_sha256 != current.template_sha256 {
        return Err(SavedPlanError::TemplateChanged);
    }
    if saved.parameters_sha256 != current.parameters_sha256 {
        return Err(SavedPlanError::ParametersChanged);
    }
    Ok(())
}

/// A digest of the parameter values given, so a saved plan can tell they changed without
/// storing them (NoEcho values included).
pub fn parameters_sha256(parameters: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    for (k, v) in parameters {
        h.update((k.len() as u64).to_le_bytes());
        h.update(k.as_bytes());
        h.update((v.len() as u64).to_le_bytes());
        h.update(v.as_bytes());
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The text that replaces a sensitive value.
pub const SENSITIVE: &str = "(sensitive value)";

/// Replaces every string that contains a secret (a NoEcho value) with `(sensitive value)`.
pub fn redact(plan: &mut Plan, secrets: &[String]) {
    if secrets.is_empty() {
        return;
    }
    let fix = |v: &mut Value| redact_value(v, secrets);
    for c in &mut plan.changes {
        c.before.iter_mut().for_each(fix);
        c.after.iter_mut().for_each(fix);
    }
    for d in &mut plan.drift {
        d.before.iter_mut().for_each(fix);
        d.after.iter_mut().for_each(fix);
    }
    plan.outputs.values_mut().for_each(fix);
    for entry in &mut plan.recovery {
        entry.redact(secrets);
    }
}

fn redact_value(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) | Value::Number(s)
            if secrets
                .iter()
                .any(|x| !x.is_empty() && s.contains(x.as_str())) =>
        {
            *v = Value::String(SENSITIVE.into());
        }
        Value::List(items) => items.iter_mut().for_each(|i| redact_value(i, secrets)),
        Value::Map(m) => m.values_mut().for_each(|i| redact_value(i, secrets)),
        _ => {}
    }
}
