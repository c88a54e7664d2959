//! Exports and imports across stacks: the rules, without I/O.
//!
//! A stack's exports are its outputs with an `Export.Name`, recorded in its state when it is
//! applied. `Fn::ImportValue` reads the exports of the other `infra` stacks on the same state
//! backend and CloudFormation's own exports in the account and region. As in CloudFormation:
//! one name is exported by one stack only, an import nobody exports is an error, and an export
//! another stack imports cannot be deleted or changed, nor its stack destroyed. The CLI gathers
//! the states and CloudFormation's answers; this module decides.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use infra_state::State;
use infra_template::Value;

/// Who exports a name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exporter {
    /// An `infra` stack on the same state backend.
    Infra(String),
    /// A CloudFormation stack, by id (ARN).
    CloudFormation(String),
}

impl Exporter {
    /// What an import record names: the stack name, or the CloudFormation stack id.
    pub fn id(&self) -> &str {
        match self {
            Exporter::Infra(stack) | Exporter::CloudFormation(stack) => stack,
        }
    }
}

impl fmt::Display for Exporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exporter::Infra(stack) => write!(f, "infra stack `{stack}`"),
            Exporter::CloudFormation(id) => write!(f, "CloudFormation stack {id}"),
        }
    }
}

/// One export: a name, its value and who exports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The export name.
    pub name: String,
    /// Its value (exports are strings).
    pub value: String,
    /// Who exports it.
    pub exporter: Exporter,
}

/// Why exports or imports stop a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// Two stacks export the same name.
    #[error(
        "export `{name}` is exported by both {first} and {second}; an export name must be unique in the account and region"
    )]
    Duplicate {
        /// The export name.
        name: String,
        /// One exporter.
        first: Exporter,
        /// The other.
        second: Exporter,
    },
    /// An import that nobody exports.
    #[error("Fn::ImportValue: no stack exports `{name}` (looked in {})", looked_in.join(" and "))]
    Missing {
        /// The export name.
        name: String,
        /// Where exports were looked for.
        looked_in: Vec<String>,
    },
    /// An export of this stack is imported, and the plan would delete or change it.
    #[error("export `{name}` is imported by {}; this plan would {what} it: remove the imports first", importers.join(", "))]
    InUse {
        /// The export name.
        name: String,
        /// `delete`, or `change` with the new value.
        what: String,
        /// Who imports it.
        importers: Vec<String>,
    },
    /// An export exported by a stack whose value is not known to `infra` (a redacted output).
    #[error(
        "export `{name}` of {exporter} derives from a NoEcho parameter; infra does not import secrets"
    )]
    Redacted {
        /// The export name.
        name: String,
        /// Its exporter.
        exporter: Exporter,
    },
}

/// The exports other stacks offer to `stack`: those of the `neighbours` (the states on the same
/// backend; `stack`'s own is left out) and CloudFormation's. Two exporters of one name are an
/// error, as are redacted exports a template could read (reported only when imported, by
/// [`resolve_imports`]).
pub fn available_exports(
    stack: &str,
    neighbours: &[State],
    cloudformation: &[Export],
) -> (
    BTreeMap<String, Result<Export, ExportError>>,
    Vec<ExportError>,
) {
    let mut found: BTreeMap<String, Result<Export, ExportError>> = BTreeMap::new();
    let mut errors = Vec::new();
    let infra = neighbours
        .iter()
        .filter(|state| state.stack != stack)
        .flat_map(|state| {
            state.exports().map(|(name, output)| {
                let exporter = Exporter::Infra(state.stack.clone());
                let export = match output.value.value() {
                    Some(serde_json::Value::String(text)) => Ok(Export {
                        name: name.to_owned(),
                        value: text.clone(),
                        exporter,
                    }),
                    Some(other) => Ok(Export {
                        name: name.to_owned(),
                        value: other.to_string(),
                        exporter,
                    }),
                    None => Err(ExportError::Redacted {
                        name: name.to_owned(),
                        exporter,
                    }),
                };
                (name.to_owned(), export)
            })
        });
    let cloudformation = cloudformation
        .iter()
        .map(|export| (export.name.clone(), Ok(export.clone())));
    for (name, export) in infra.chain(cloudformation) {
        match found.get(&name) {
            Some(first) => {
                // Kept as the entry too: only a stack that imports or exports the name fails
                // on it, as CloudFormation enforces the rule on the exporting stacks alone.
                let duplicate = ExportError::Duplicate {
                    name: name.clone(),
                    first: exporter_of(first),
                    second: exporter_of(&export),
                };
                errors.push(duplicate.clone());
                found.insert(name, Err(duplicate));
            }
            None => {
                found.insert(name, export);
            }
        }
    }
    (found, errors)
}

fn exporter_of(export: &Result<Export, ExportError>) -> Exporter {
    match export {
        Ok(export) => export.exporter.clone(),
        Err(ExportError::Redacted { exporter, .. }) => exporter.clone(),
        Err(ExportError::Duplicate { first, .. }) => first.clone(),
        Err(_) => Exporter::Infra(String::new()),
    }
}

/// The exports the template imports (`wanted`), or an error per import nobody exports (naming
/// `looked_in`) and per redacted one.
pub fn resolve_imports(
    wanted: &BTreeSet<String>,
    available: &BTreeMap<String, Result<Export, ExportError>>,
    looked_in: &[String],
) -> Result<BTreeMap<String, Export>, Vec<ExportError>> {
    let mut resolved = BTreeMap::new();
    let mut errors = Vec::new();
    for name in wanted {
        match available.get(name) {
            Some(Ok(export)) => {
                resolved.insert(name.clone(), export.clone());
            }
            Some(Err(error)) => errors.push(error.clone()),
            None => errors.push(ExportError::Missing {
                name: name.clone(),
                looked_in: looked_in.to_vec(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

/// Who imports each export of `stack`: the `infra` stacks among `neighbours` whose state
/// records the import, by export name.
pub fn infra_importers(stack: &str, neighbours: &[State]) -> BTreeMap<String, Vec<String>> {
    let mut importers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for state in neighbours.iter().filter(|state| state.stack != stack) {
        for (name, import) in &state.imports {
            if import.exporter == stack {
                importers
                    .entry(name.clone())
                    .or_default()
                    .push(format!("infra stack `{}`", state.stack));
            }
        }
    }
    importers
}

/// The checks of a plan of `state`'s stack on its own exports: a new export name another stack
/// already exports, and an export someone imports (`importers`, by export name) that the plan
/// deletes or changes. `new_exports` maps export names to their value after the plan (unknown
/// when it is known only after apply); a destroy passes none.
pub fn check_own_exports(
    state: &State,
    new_exports: &BTreeMap<String, Value>,
    available: &BTreeMap<String, Result<Export, ExportError>>,
    importers: &BTreeMap<String, Vec<String>>,
) -> Vec<ExportError> {
    let mut errors = Vec::new();
    for name in new_exports.keys() {
        if let Some(other) = available.get(name) {
            errors.push(ExportError::Duplicate {
                name: name.clone(),
                first: exporter_of(other),
                second: Exporter::Infra(state.stack.clone()),
            });
        }
    }
    for (name, output) in state.exports() {
        let Some(importers) = importers.get(name).filter(|i| !i.is_empty()) else {
            continue;
        };
        if let Some(what) = export_change(output, new_exports.get(name)) {
            errors.push(ExportError::InUse {
                name: name.to_owned(),
                what,
                importers: importers.clone(),
            });
        }
    }
    errors
}

/// What a plan does to an export whose value was `output` and is `new` after the plan (`None`:
/// the export is gone): `delete`, `change (...)`, or nothing.
pub fn export_change(output: &infra_state::OutputRecord, new: Option<&Value>) -> Option<String> {
    match new {
        None => Some("delete".to_owned()),
        Some(Value::Unknown(_)) => Some("change (to a value known only after apply)".into()),
        Some(value) => match (value.to_json(), output.value.value()) {
            (Some(new), Some(old)) if &new == old => None,
            // A string prints as itself, so output redaction finds a NoEcho value in it; any
            // other shape is not printed (escaped JSON could hide one).
            (Some(serde_json::Value::String(new)), _) => Some(format!("change (to {new})")),
            (Some(_), _) => Some("change".to_owned()),
            (None, _) => Some("change".to_owned()),
        },
    }
}

#[cfg(test)]
#[path = "exports_tests.rs"]
mod tests;
