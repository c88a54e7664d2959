//! Exports and imports across stacks, for `plan`, `apply` and `destroy`: gathers the other
//! stacks' states on the same backend and CloudFormation's exports, resolves the template's
//! `Fn::ImportValue`s from them, and refuses a plan that would delete or change an export
//! someone imports (the rules are `infra_plan::plan::exports`; this module does the I/O).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use infra_aws::AwsError;
use infra_plan::Plan;
use infra_plan::plan::exports::{
    Export, ExportError, Exporter, available_exports, check_own_exports, export_change,
    infra_importers, resolve_imports,
};
use infra_state::{ImportRecord, State, StoreError};
use infra_template::{Deployment, Value};

use crate::session::Session;

/// Why the exports could not be gathered, or a plan breaks their rules.
#[derive(Debug, thiserror::Error)]
pub enum ExportsError {
    /// The other states could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// CloudFormation's exports or imports could not be listed.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// The plan breaks CloudFormation's rules for exports and imports: every reason, one a line.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rules(Vec<ExportError>),
}

/// What the exports of a plan are checked against.
pub struct Gathered {
    /// The states on the same backend (this stack's included, when it exists).
    neighbours: Vec<State>,
    /// Where they were found, and where CloudFormation's exports were read.
    looked_in: Vec<String>,
    /// Every export this stack can import, or the reason it cannot.
    available: BTreeMap<String, Result<Export, ExportError>>,
}

impl fmt::Debug for Gathered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gathered")
            .field("neighbours", &self.neighbours.len())
            .field("looked_in", &self.looked_in)
            .finish_non_exhaustive()
    }
}

/// Reads the other stacks' states and, with an AWS session, CloudFormation's exports.
pub fn gather(session: &Session, stack: &str) -> Result<Gathered, ExportsError> {
    let (neighbours, mut looked_in) = match session.exports_from() {
        Some(backend) => (
            backend.neighbours()?,
            vec![format!("the infra states in {}", backend.neighbourhood())],
        ),
        None => (Vec::new(), Vec::new()),
    };
    let mut cloudformation = Vec::new();
    if let Some(aws) = session.aws() {
        let region = aws
            .region()
            .map_or_else(|| "the configured region".to_owned(), ToString::to_string);
        let listed = session.block_on(infra_aws::exports::list_exports(aws))?;
        cloudformation = listed
            .into_iter()
            .map(|export| Export {
                name: export.name,
                value: export.value,
                exporter: Exporter::CloudFormation(export.stack_id),
            })
            .collect();
        looked_in.push(format!("CloudFormation's exports in {region}"));
    }
    // Two exporters of one name fail only a plan that imports or exports it (the entry is then
    // the error), not every stack on the backend.
    let (available, _duplicates) = available_exports(stack, &neighbours, &cloudformation);
    Ok(Gathered {
        neighbours,
        looked_in,
        available,
    })
}

/// Resolves the template's imports: what the lookups answer and what apply records. An import
/// nobody exports fails, naming it and where it was looked for.
pub fn imports(
    gathered: &Gathered,
    wanted: &BTreeSet<String>,
) -> Result<BTreeMap<String, ImportRecord>, ExportsError> {
    match resolve_imports(wanted, &gathered.available, &gathered.looked_in) {
        Ok(resolved) => Ok(resolved
            .into_iter()
            .map(|(name, export)| {
                let record = ImportRecord {
                    exporter: export.exporter.id().to_owned(),
                    value: serde_json::Value::String(export.value),
                };
                (name, record)
            })
            .collect()),
        Err(errors) => fail(errors).map(|()| BTreeMap::new()),
    }
}

/// Refuses a plan of `state`'s stack that exports a name another stack exports, or that
/// deletes or changes an export another stack imports (`infra` stacks on the same backend,
/// and CloudFormation stacks through `ListImports`). A destroy of the whole stack deletes every
/// export.
pub fn check_plan(
    session: &Session,
    gathered: &Gathered,
    state: Option<&State>,
    deployment: Option<&Deployment>,
    plan: &Plan,
) -> Result<(), ExportsError> {
    let empty = State::new(&plan.binding.stack);
    let state = state.unwrap_or(&empty);
    let mut new_exports: BTreeMap<String, Value> = BTreeMap::new();
    if !plan.destroy
        && let Some(deployment) = deployment
    {
        for (output, export) in &deployment.exports {
            let value = plan
                .outputs
                .get(output)
                .cloned()
                .unwrap_or(Value::Unknown(infra_template::Unknown::Derived));
            new_exports.insert(export.clone(), value);
        }
    }
    let mut importers = infra_importers(&state.stack, &gathered.neighbours);
    // The infra stacks first: they need no call.
    fail(check_own_exports(
        state,
        &new_exports,
        &gathered.available,
        &importers,
    ))?;
    if let Some(aws) = session.aws() {
        // Only the exports the plan deletes or changes need asking about.
        let affected = state
            .exports()
            .filter(|(name, output)| export_change(output, new_exports.get(*name)).is_some());
        for (name, _) in affected {
            let stacks = session.block_on(infra_aws::exports::list_imports(aws, name))?;
            importers.entry(name.to_owned()).or_default().extend(
                stacks
                    .into_iter()
                    .map(|s| format!("CloudFormation stack `{s}`")),
            );
        }
    }
    fail(check_own_exports(
        state,
        &new_exports,
        &gathered.available,
        &importers,
    ))
}

/// Whether a plan needs the exports at all: the template imports or exports, or the state
/// has exports (which the plan may delete).
pub fn needed(wanted: &BTreeSet<String>, deployment: &Deployment, state: Option<&State>) -> bool {
    !wanted.is_empty()
        || !deployment.exports.is_empty()
        || state.is_some_and(|s| s.exports().next().is_some())
}

fn fail(errors: Vec<ExportError>) -> Result<(), ExportsError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ExportsError::Rules(errors))
    }
}
