//! `infra plan`: load, look up what only AWS knows, diff against the state, render.

use std::process::ExitCode;

use anyhow::Context as _;
use infra_aws::{Prefetched, Recorder};
use infra_plan::plan::{
    Binding, PlanSettings, parameters_sha256, plan_until_stable, redact, write_plan_bytes,
};
use infra_plan::render::{RenderOptions, render_plan};
use infra_state::LockGuard;
use infra_template::{Lookups, Offline};

use crate::cli::PlanArgs;
use crate::output::Output;
use crate::report;

pub fn run(args: &PlanArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let stack = super::stack_name(
        args.template.stack.as_deref(),
        Some(&args.template.template),
    )?;
    let state_path = super::state_path(&args.state, &stack);
    let _lock = LockGuard::acquire(&state_path, "plan")?;
    let state = infra_state::read_state(&state_path)?;

    let mut opts = super::load_options(&args.template, None)?;
    // First an offline load: it reports template errors before any AWS call and says what
    // the template needs from AWS.
    let recorder = Recorder::new(&Offline);
    let Some(first) = super::load_with(&args.template, &opts, &recorder, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    if let Err(d) = infra_plan::build(
        &first,
        infra_plan::GraphOptions {
            nested_barrier: args.graph.nested_barrier,
        },
    ) {
        report::diagnostics(out, &first.sources, &d.0);
        return Ok(ExitCode::FAILURE);
    }
    let base: Prefetched = if args.refresh {
        let (prefetched, region) =
            crate::aws::prefetch(&args.template, &args.aws, recorder.into_wanted())?;
        opts.pseudo.account_id = prefetched.account_id.clone();
        if opts.pseudo.region.is_none() {
            opts.pseudo.region = region;
        }
        prefetched
    } else {
        Prefetched::default()
    };

    let binding = Binding {
        stack: stack.clone(),
        lineage: state.as_ref().map(|s| s.lineage.to_string()),
        serial: state.as_ref().map_or(0, |s| s.serial),
        template_sha256: super::template_sha256(&first.sources),
        parameters_sha256: parameters_sha256(&opts.parameters),
        template: args.template.template.display().to_string(),
    };
    let settings = PlanSettings {
        state: state.as_ref(),
        observed: None,
        base: &base,
        targets: &args.target,
    };
    let template = args.template.template.clone();
    let mut load = |l: &dyn Lookups| infra_template::load(&template, &opts, l);
    let (deployment, mut plan) = if args.destroy {
        let request = infra_plan::plan::PlanRequest {
            deployment: Some(&first),
            state: state.as_ref(),
            observed: None,
            destroy: true,
            targets: &args.target,
        };
        let plan = infra_plan::plan::compute(request, binding);
        (first, plan)
    } else {
        match plan_until_stable(&mut load, settings, binding) {
            Ok(x) => x,
            Err(e) => {
                report::diagnostics(out, &e.sources, &e.diagnostics.0);
                return Ok(ExitCode::FAILURE);
            }
        }
    };
    redact(&mut plan, &deployment.secrets);

    if let Some(path) = &args.out {
        super::write_private(path, &write_plan_bytes(&plan))
            .with_context(|| format!("saving the plan to {}", path.display()))?;
    }
    if args.json {
        out.line(&serde_json::to_string_pretty(
            &infra_plan::plan::json::plan_json(&plan),
        )?);
    } else {
        let options = RenderOptions {
            color: out.color(),
            secrets: deployment.secrets.clone(),
            show_unchanged: false,
        };
        out.raw(&render_plan(&plan, &options));
        if let Some(path) = &args.out {
            out.line(&format!(
                "\nSaved the plan to: {}\nTo perform exactly these actions, run: infra apply {}",
                path.display(),
                path.display()
            ));
        }
    }
    let changes = !plan.is_empty() || !plan.drift.is_empty();
    Ok(if args.detailed_exitcode && changes {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
