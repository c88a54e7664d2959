//! Exports and imports across stacks, for `plan`, `apply` and `destroy`: gathers the other
//! stacks' states on the same backend and CloudFormation's exports, resolves the template's
//! `Fn::ImportValue`s from them, and refuses a plan that would delete or change an export
//! someone imports (the rules are `infra_plan::plan::exports`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use infra_plan::Plan;
use infra_plan::plan::exports::{
    Export, ExportError, Exporter, available_exports, check_own_exports, export_change,
    infra_importers, resolve_imports,
};
use infra_state::{ImportRecord, State};
use infra_template::{Deployment, Value};

use super::planning::Session;

/// What the exports of a plan are checked against.
pub struct Gathered {
    /// The states on the same backend (this stack's included, when it exists).
    neighbours: Vec<State>,
    /// Where they were found, and where CloudFormation's exports were read.
    looked_in: Vec<String>,
    /// Every export this stack can import, or the reason it cannot.
    available: BTreeMap<String, Result<Export, ExportError>>,
}

/// Reads the other stacks' states and, with an AWS session, CloudFormation's exports.
pub fn gather(session: &mut Session, stack: &str) -> anyhow::Result<Gathered> {
    let (neighbours, mut looked_in) = match &session.exports_from {
        Some(backend) => (
            backend.neighbours()?,
            vec![format!("the infra states in {}", backend.neighbourhood())],
        ),
        None => (Vec::new(), Vec::new()),
    };
    let mut cloudformation = Vec::new();
    if let Some(config) = &session.config {
        let region = config
            .region()
            .map_or_else(|| "the configured region".to_owned(), ToString::to_string);
        let listed = session
            .rt
            .block_on(infra_aws::exports::list_exports(config))?;
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
) -> anyhow::Result<BTreeMap<String, ImportRecord>> {
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
        Err(errors) => fail(&errors).map(|()| BTreeMap::new()),
    }
}

/// Refuses a plan of `state`'s stack that exports a name another stack exports, or that
/// deletes or changes an export another stack imports (`infra` stacks on the same backend,
/// and CloudFormation stacks through `ListImports`). A destroy of the whole stack deletes every
/// export.
pub fn check_plan(
    session: &mut Session,
    gathered: &Gathered,
    state: Option<&State>,
    deployment: Option<&Deployment>,
    plan: &Plan,
) -> anyhow::Result<()> {
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
    fail(&check_own_exports(
        state,
        &new_exports,
        &gathered.available,
        &importers,
    ))?;
    if let Some(config) = &session.config {
        // Only the exports the plan deletes or changes need asking about.
        let affected = state
            .exports()
            .filter(|(name, output)| export_change(output, new_exports.get(*name)).is_some());
        for (name, _) in affected {
            let stacks = session
                .rt
                .block_on(infra_aws::exports::list_imports(config, name))?;
            importers.entry(name.to_owned()).or_default().extend(
                stacks
                    .into_iter()
                    .map(|s| format!("CloudFormation stack `{s}`")),
            );
        }
    }
    fail(&check_own_exports(
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

fn fail(errors: &[ExportError]) -> anyhow::Result<()> {
    match errors {
        [] => Ok(()),
        [one] => bail!("{one}"),
        many => bail!(
            "{}",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// `infra state list --exports`: each export of the stack with who imports it (the `infra`
/// stacks on the same backend), then each import with who exports it.
pub fn list(
    state: &State,
    backend: &dyn infra_state::StateBackend,
    out: &crate::output::Output,
) -> anyhow::Result<()> {
    let neighbours = backend.neighbours()?;
    let importers = infra_importers(&state.stack, &neighbours);
    for (name, output) in state.exports() {
        let value = match output.value.value() {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => "(sensitive value)".to_owned(),
        };
        let by = match importers.get(name) {
            Some(stacks) => stacks.join(", "),
            None => "no infra stack".to_owned(),
        };
        out.line(&format!("export {name} = {value}  (imported by {by})"));
    }
    for (name, import) in &state.imports {
        out.line(&format!(
            "import {name} = {}  (exported by {})",
            text(&import.value),
            import.exporter
        ));
    }
    Ok(())
}

fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
