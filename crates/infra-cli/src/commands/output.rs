//! `infra output [NAME]`: the stack outputs recorded by the last apply.

use std::process::ExitCode;

use anyhow::bail;
use infra_state::RecordedValue;

use crate::cli::OutputArgs;
use crate::output::Output;

fn shown(v: &RecordedValue) -> serde_json::Value {
    match v.value() {
        Some(v) => v.clone(),
        None => serde_json::Value::String("(sensitive value)".into()),
    }
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn run(args: &OutputArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let path = super::existing_state_path(args.stack.as_deref(), &args.state)?;
    let backend = super::state_backend(&path, &args.remote)?;
    let state = super::read_existing_state(&*backend)?;
    super::check_stack(Some(&state), args.stack.as_deref(), &path)?;
    if let Some(name) = &args.name {
        let Some(o) = state.outputs.get(name) else {
            bail!(
                "no output `{name}` in {} (outputs: {})",
                path,
                state.outputs.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        };
        if args.json {
            out.line(&serde_json::to_string_pretty(&shown(&o.value))?);
        } else {
            out.line(&text(&shown(&o.value)));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        let all: serde_json::Map<String, serde_json::Value> = state
            .outputs
            .iter()
            .map(|(k, o)| (k.clone(), shown(&o.value)))
            .collect();
        out.line(&serde_json::to_string_pretty(&all)?);
    } else {
        let width = state.outputs.keys().map(String::len).max().unwrap_or(0);
        for (k, o) in &state.outputs {
            let export = match &o.export_name {
                Some(name) => format!("  (export {name})"),
                None => String::new(),
            };
            out.line(&format!("{k:width$} = {}{export}", text(&shown(&o.value))));
        }
    }
    Ok(ExitCode::SUCCESS)
}
