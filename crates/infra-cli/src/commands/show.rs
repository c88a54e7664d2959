//! `infra show [PLANFILE]`: a saved plan rendered as `infra plan` did, or the state.

use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::cli::{PlanFormat, ShowArgs};
use crate::output::Output;

pub fn run(args: &ShowArgs, out: &Output) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.plan {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read plan file {}", path.display()))?;
        let plan = infra_plan::plan::read_plan(&bytes)
            .with_context(|| format!("plan file {}", path.display()))?;
        super::present::present(&plan, &[], &args.view, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let json = match args.view.format() {
        PlanFormat::Text if args.view.html.is_none() => false,
        PlanFormat::Json if args.view.html.is_none() => true,
        _ => {
            bail!("--format markdown and --html show a saved plan: infra show --html FILE PLANFILE")
        }
    };
    let path = super::existing_state_path(args.stack.as_deref(), &args.state)?;
    let backend = super::state_backend(&path, &args.remote)?;
    let state = super::read_existing_state(&*backend)?;
    super::check_stack(Some(&state), args.stack.as_deref(), &path)?;
    if json {
        out.raw(&String::from_utf8_lossy(&infra_state::encode_state(
            &state,
        )?));
        return Ok(ExitCode::SUCCESS);
    }
    out.line(&format!(
        "# stack {} (serial {}, lineage {})",
        state.stack, state.serial, state.lineage
    ));
    for (address, r) in &state.resources {
        out.line(&format!(
            "{address:50} {:45} {}",
            r.resource_type, r.physical_id
        ));
    }
    if !state.pending.is_empty() {
        out.line(&format!(
            "{} pending operation(s) from an interrupted run; the next plan resolves them.",
            state.pending.len()
        ));
    }
    if !state.retained.is_empty() {
        out.line(&format!(
            "# retained: left in AWS by a DeletionPolicy or UpdateReplacePolicy, no longer managed ({})",
            state.retained.len()
        ));
        for r in &state.retained {
            out.line(&format!(
                "{:50} {:45} {} ({}, {})",
                r.address,
                r.resource_type,
                r.physical_id,
                r.retained_by.attribute(),
                r.retained
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
