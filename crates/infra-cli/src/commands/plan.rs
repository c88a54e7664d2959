//! `infra plan`: load, look up what only AWS knows, refresh, diff against the state, render.

use std::process::ExitCode;

use anyhow::Context as _;
use infra_ops::{PlanFlags, Session, add_estimate};
use infra_plan::plan::write_plan_bytes;

use super::planning::plan_with_template;
use crate::cli::{PlanArgs, PlanFormat};
use crate::output::Output;

pub fn run(args: &PlanArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let model = super::latency_model(&args.estimate)?;
    let stack = super::stack_name(
        args.template.stack.as_deref(),
        Some(&args.template.template),
    )?;
    let state_path = super::state_path(&args.state, &stack);
    let settings = crate::aws::settings(args.template.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&state_path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "plan")?;
    let state = backend.read()?;
    super::check_stack(state.as_ref(), Some(&stack), &state_path)?;
    let mut session = Session::lazy(settings.clone())?;
    session.set_exports_from(crate::stores::backend(&state_path, &settings)?);
    let flags = PlanFlags {
        refresh: args.refresh,
        targets: &args.target,
        destroy: args.destroy,
        nested_barrier: args.graph.nested_barrier,
        artifacts: super::artifacts::bucket(args.artifacts.artifact_bucket.as_deref(), &state_path),
        cloud_control: &args.paths.cloud_control,
    };
    let Some(mut planned) =
        plan_with_template(&args.template, &mut session, state.as_ref(), &flags, out)?
    else {
        return Ok(ExitCode::FAILURE);
    };
    add_estimate(&mut planned.plan, state.as_ref(), &model);
    let plan = &planned.plan;
    let secrets = planned
        .deployment
        .as_ref()
        .map(|d| d.secrets.clone())
        .unwrap_or_default();

    if let Some(path) = &args.out {
        super::write_private(path, &write_plan_bytes(plan))
            .with_context(|| format!("saving the plan to {}", path.display()))?;
    }
    super::present::present(plan, &secrets, &args.view, out)?;
    if let (Some(path), PlanFormat::Text) = (&args.out, args.view.format()) {
        out.line(&format!(
            "\nSaved the plan to: {}\nTo perform exactly these actions, run: infra apply {}",
            path.display(),
            path.display()
        ));
    }
    let changes = !plan.is_empty() || !plan.drift.is_empty();
    Ok(if args.detailed_exitcode && changes {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
