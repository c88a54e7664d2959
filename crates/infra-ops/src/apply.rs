//! What an apply does around the engine's run, besides showing it: the NoEcho values it must
//! keep out of every line and write, and what it records before its first operation.

use infra_plan::Plan;
use infra_plan::plan::apply_recovery;
use infra_state::{State, StateStore, StoreError};

use crate::planning::Planned;
use crate::resolver::TemplateResolver;

/// The NoEcho values of an apply: the template's, or without a template those the state
/// records as digests ([`secrets_without_template`]).
pub fn secrets(planned: &Planned, state: &State) -> Vec<String> {
    match &planned.deployment {
        Some(d) => d.secrets.clone(),
        None => secrets_without_template(&planned.plan, state),
    }
}

/// Without a template the NoEcho values are not known, but the state holds a digest where each
/// was: what the plan shows (AWS's refreshed values) at such a place is secret; so are the
/// secret attributes the state keeps.
pub fn secrets_without_template(plan: &Plan, state: &State) -> Vec<String> {
    let mut found = infra_state::sensitive::attribute_secrets(state);
    for change in &plan.changes {
        let (Some(before), Some(record)) = (&change.before, state.resources.get(&change.address))
        else {
            continue;
        };
        if let Some(before) = before.to_json() {
            infra_state::redact::same_as_recorded(&record.properties, &before, &mut found);
        }
    }
    found
}

/// Before the first operation, in one write: what an interrupted run left unrecorded (the
/// plan's operations were computed against it), and every import this apply is about to
/// read, beside those already recorded, so that the exporting stack sees this importer
/// however the apply ends (a clean apply narrows them to the template's afterwards). Writes
/// nothing when there is neither.
pub fn record_before_operations(
    planned: &Planned,
    resolver: Option<&TemplateResolver>,
    state: &mut State,
    state_file: &mut dyn StateStore,
) -> Result<(), StoreError> {
    let mut early = false;
    if !planned.plan.recovery.is_empty() {
        apply_recovery(state, &planned.recovery);
        early = true;
    }
    if let Some(resolver) = resolver {
        for (name, import) in &resolver.base().imports {
            if state.imports.get(name) != Some(import) {
                state.imports.insert(name.clone(), import.clone());
                early = true;
            }
        }
    }
    if early {
        state_file.write(state)?;
    }
    Ok(())
}
