//! After an apply: the root stack's outputs evaluated against the final state, with their
//! descriptions and export names, and the imports the stack read, recorded in the state.

use infra_plan::plan::StateLookups;
use infra_state::{OutputRecord, RecordedValue, State, StateStore, StoreError};

use crate::resolver::TemplateResolver;

/// Evaluates the root outputs against the final state and records them, with the imports the
/// stack read (once it has resources that read them). Without a template (a destroy), a state
/// left without resources loses its outputs and imports. An output not known yet (an apply that
/// stopped early) keeps its recorded value, so an export another stack imports keeps its
/// protection; an output whose text holds one of `secrets` is recorded redacted.
pub fn save_outputs(
    resolver: Option<&TemplateResolver>,
    mut file: Box<dyn StateStore>,
    mut state: State,
    secrets: &[String],
) -> Result<(), StoreError> {
    let Some(r) = resolver else {
        if (!state.outputs.is_empty() || !state.imports.is_empty()) && state.resources.is_empty() {
            state.outputs.clear();
            state.imports.clear();
            file.write(&mut state)?;
        }
        return Ok(());
    };
    let lookups = StateLookups::new(&state, r.base());
    let Ok(d) = infra_template::load(r.path(), r.opts(), &lookups) else {
        return Ok(());
    };
    let mut outputs = std::collections::BTreeMap::new();
    for (name, v) in &d.outputs {
        let Some(json) = v.value.to_json() else {
            // Not known yet (an apply that stopped early): the recorded value stays, so an
            // export another stack imports keeps its protection.
            if let Some(recorded) = state.outputs.get(name) {
                outputs.insert(name.clone(), recorded.clone());
            }
            continue;
        };
        let text = v.value.as_text().unwrap_or_default();
        let sensitive = secrets
            .iter()
            .any(|s| !s.is_empty() && text.contains(s.as_str()));
        outputs.insert(
            name.clone(),
            OutputRecord {
                value: if sensitive {
                    RecordedValue::redact(&json)
                } else {
                    RecordedValue::plain(json)
                },
                description: d.output_descriptions.get(name).cloned(),
                export_name: d.exports.get(name).cloned(),
            },
        );
    }
    // The imports are recorded once the stack has resources that read them.
    let imports = if state.resources.is_empty() {
        Default::default()
    } else {
        r.base().imports.clone()
    };
    if outputs != state.outputs || imports != state.imports {
        state.outputs = outputs;
        state.imports = imports;
        file.write(&mut state)?;
    }
    Ok(())
}
