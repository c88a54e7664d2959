//! `infra state list --exports`: the stack's exports with the `infra` stacks that import them,
//! and its imports with who exports them. Gathering and checking exports for a plan is
//! `infra_ops::exports`.

use infra_plan::plan::exports::infra_importers;
use infra_state::State;

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
