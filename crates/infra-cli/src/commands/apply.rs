//! `infra apply` and `infra destroy`: show the plan, ask for confirmation, run the engine,
//! print progress, save outputs, summarise.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use infra_engine::{
    ApplyContext, ApplyOutcome, Event, LatencyModel, Resolver, RetryPolicy, Schedule, apply,
};
use infra_ops::outputs::save_outputs;
use infra_ops::{NoTemplate, PlanFlags, Planned, Session, TemplateResolver, destroy_plan};
use infra_plan::Plan;
use infra_plan::plan::read_plan;
use infra_plan::render::{RenderOptions, render_plan};
use infra_state::{State, StateStore};
use tokio_util::sync::CancellationToken;

use super::planning::plan_with_template;
use crate::cli::{ApplyArgs, DestroyArgs, RunFlags, ScheduleFlag, TemplateArgs};
use crate::output::{Output, Style};
use crate::signals::{Signals, Stop};

/// How long, after the first SIGINT or SIGTERM, an apply still waits for operations in flight
/// before it stops waiting: short enough to release the lock within the 2 s CI systems leave
/// between their signals.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

pub fn run_apply(args: &ApplyArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let model = super::latency_model(&args.run.estimate)?;
    let saved: Option<Plan> = match &args.plan {
        Some(p) => {
            let bytes = std::fs::read(p)
                .with_context(|| format!("cannot read plan file {}", p.display()))?;
            Some(read_plan(&bytes).with_context(|| format!("plan file {}", p.display()))?)
        }
        None => None,
    };
    let template_from_plan = saved.as_ref().map(|p| PathBuf::from(&p.binding.template));
    let Some(mut template) = args.template.with_template(template_from_plan) else {
        bail!("infra apply needs a template (-t FILE) or a saved plan (infra apply PLANFILE)");
    };
    if let (Some(p), None) = (&saved, &template.stack) {
        template.stack = Some(p.binding.stack.clone());
    }
    let stack = super::stack_name(template.stack.as_deref(), Some(&template.template))?;
    let state_path = super::state_path(&args.state, &stack);
    let settings = crate::aws::settings(template.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&state_path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "apply")?;
    let (state_file, state) = infra_state::load_or_new(&*backend, &stack)?;
    let existing = (!state.resources.is_empty() || state.serial > 0).then_some(&state);
    if let Some(saved) = &saved {
        check_saved_offline(saved, &template, &stack, existing)?;
    }
    let mut session = Session::connect(settings.clone())?;
    session.set_exports_from(crate::stores::backend(&state_path, &settings)?);
    let flags = PlanFlags {
        refresh: args.run.refresh && saved.is_none(),
        targets: &args.run.target,
        destroy: false,
        nested_barrier: args.graph.nested_barrier,
        artifacts: super::artifacts::bucket(args.artifacts.artifact_bucket.as_deref(), &state_path),
        cloud_control: &args.paths.cloud_control,
    };
    let Some(planned) = plan_with_template(&template, &mut session, existing, &flags, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    if let Some(saved) = &saved {
        infra_ops::binding::check_saved(saved, &planned.plan)?;
    }
    let resolver = TemplateResolver::new(
        template.template.clone(),
        planned
            .opts
            .clone()
            .context("internal: a template plan has load options")?,
        planned.base.clone(),
    );
    execute(
        planned,
        Some(&resolver),
        state_file,
        state,
        &stack,
        &mut session,
        &args.run,
        &model,
        saved.is_some(),
        out,
    )
}

/// The checks of a saved plan's binding that need no AWS call (stack, lineage, serial,
/// template files, parameter values), made before connecting so that a plan that no longer
/// applies is refused at once. The same checks run again on the plan computed for the apply.
fn check_saved_offline(
    saved: &Plan,
    template: &TemplateArgs,
    stack: &str,
    state: Option<&State>,
) -> anyhow::Result<()> {
    let opts = super::load_options(template, None)?;
    infra_ops::binding::check_saved_offline(saved, &template.template, &opts, stack, state)?;
    Ok(())
}

pub fn run_destroy(args: &DestroyArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let model = super::latency_model(&args.run.estimate)?;
    let template = args.template.with_template(None);
    let stack = super::stack_name(
        args.template.stack.as_deref(),
        template.as_ref().map(|t| t.template.as_path()),
    )?;
    let state_path = super::state_path(&args.state, &stack);
    let settings = crate::aws::settings(args.template.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&state_path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "destroy")?;
    let (state_file, state) = infra_state::load_or_new(&*backend, &stack)?;
    if state.resources.is_empty() && state.pending.is_empty() {
        out.line(&format!(
            "No resources in {}: nothing to destroy.",
            state_path
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let mut session = Session::connect(settings.clone())?;
    session.set_exports_from(crate::stores::backend(&state_path, &settings)?);
    let planned = match &template {
        Some(t) => {
            let flags = PlanFlags {
                refresh: args.run.refresh,
                targets: &args.run.target,
                destroy: true,
                nested_barrier: false,
                artifacts: infra_template::ArtifactBucket::Unchecked,
                cloud_control: &[],
            };
            match plan_with_template(t, &mut session, Some(&state), &flags, out)? {
                Some(p) => p,
                None => return Ok(ExitCode::FAILURE),
            }
        }
        None => destroy_plan(
            &stack,
            &mut session,
            &state,
            args.run.refresh,
            &args.run.target,
        )?,
    };
    execute(
        planned,
        None,
        state_file,
        state,
        &stack,
        &mut session,
        &args.run,
        &model,
        false,
        out,
    )
}

#[allow(clippy::too_many_arguments)]
fn execute(
    mut planned: Planned,
    resolver: Option<&TemplateResolver>,
    mut state_file: Box<dyn StateStore>,
    mut state: State,
    stack: &str,
    session: &mut Session,
    run: &RunFlags,
    model: &LatencyModel,
    from_saved_plan: bool,
    out: &Output,
) -> anyhow::Result<ExitCode> {
    infra_ops::add_estimate(&mut planned.plan, Some(&state), model);
    let mut secrets = infra_ops::apply::secrets(&planned, &state);
    let plan = &planned.plan;
    out.add_secrets(&secrets);
    // Every write of this run keeps them out of the state file.
    state.secrets.clone_from(&secrets);
    let options = RenderOptions {
        color: out.color(),
        secrets: secrets.clone(),
        show_unchanged: false,
    };
    out.raw(&render_plan(plan, &options));
    if plan.is_empty() {
        save_outputs(resolver, state_file, state, &secrets)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !run.auto_approve && !from_saved_plan && !confirm(plan, out)? {
        out.line("\nApply cancelled.");
        return Ok(ExitCode::FAILURE);
    }
    out.line("");
    if let Some(resolver) = resolver {
        // Every package the operations' `Code` names is in S3 before the first of them runs.
        super::artifacts::upload(session, &resolver.opts().artifacts, out)?;
    }
    // The values of dynamic references reach the providers only; secret ones are redacted
    // from every output and kept out of the state file.
    let resolved = session.dereference(plan)?;
    session.keep_read_secret_attributes(&planned.attributes_read);
    out.add_secrets(&resolved.secrets);
    secrets.extend(resolved.secrets);
    state.secrets.clone_from(&secrets);
    // Before the first operation, in one write: what an interrupted run left unrecorded, and
    // every import this apply is about to read.
    infra_ops::apply::record_before_operations(
        &planned,
        resolver,
        &mut state,
        state_file.as_mut(),
    )?;

    let cancel = CancellationToken::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
    let ctx = ApplyContext {
        providers: session.providers(),
        resolver: resolver.map_or(&NoTemplate as &dyn Resolver, |r| r as &dyn Resolver),
        state,
        state_file,
        parallelism: usize::from(run.parallelism),
        stack,
        events: tx,
        cancel: cancel.clone(),
        retry: RetryPolicy::standard(),
        estimate: &|type_name: &str, operation| model.seconds(type_name, operation),
        schedule: match run.schedule {
            ScheduleFlag::CriticalPath => Schedule::CriticalPath,
            ScheduleFlag::StackSerial => Schedule::StackSerial,
        },
    };
    // SIGINT and SIGTERM, as CI sends them: the first stops scheduling and, after STOP_GRACE,
    // stops waiting for the operations still in flight (their intents are saved; the next run
    // resolves them as after a crash); a second exits at once, leaving the lock and printing
    // how to remove it. Listening starts before the apply does, so no signal falls between.
    let signals = {
        let _runtime = session.runtime().enter();
        Signals::listen().context("listening for SIGINT and SIGTERM")?
    };
    let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<Stop>();
    let interrupts = {
        let cancel = cancel.clone();
        let mut signals = signals;
        async move {
            let Some(first) = signals.next().await else {
                return;
            };
            crate::output::signal_first(first, STOP_GRACE);
            cancel.cancel();
            let _ = stopped_tx.send(first);
            if let Some(second) = signals.next().await {
                crate::output::signal_second(second, &crate::stores::force_unlock_commands());
                std::process::exit(i32::from(second.exit_code()));
            }
        }
    };
    let watcher = session.runtime().spawn(interrupts);
    // Signals are the apply's while its operations run (the state lock is released as it ends).
    let applying = crate::stores::applying();
    // Counted against the state the apply orders its operations by (recovery applied).
    let remaining = infra_engine::Remaining::new(plan, &ctx.state, model, ctx.schedule).ok();
    let mut progress = crate::progress::Progress::new(remaining, out.color());
    let (outcome, stop) = session.block_on(async {
        let printer = async {
            let mut ticks = tokio::time::interval(crate::progress::TICK);
            loop {
                let event = tokio::select! {
                    event = rx.recv() => match event {
                        Some(event) => Some(event),
                        None => break,
                    },
                    _ = ticks.tick() => None,
                };
                if cancel.is_cancelled() {
                    progress.cancel();
                }
                let now = std::time::Instant::now();
                match event {
                    Some(e) => {
                        if let Some(l) = progress.record(&e, now) {
                            progress.print(out, &l);
                        }
                    }
                    None => progress.tick(now),
                }
            }
        };
        let work = async { tokio::join!(apply(plan, ctx), printer).0 };
        let mut stopped_rx = stopped_rx;
        let mut stop = None;
        let mut work = std::pin::pin!(work);
        // Until a signal, the apply runs to its end; after one, for STOP_GRACE more at most.
        let outcome = tokio::select! {
            outcome = &mut work => Some(outcome),
            signal = &mut stopped_rx => {
                stop = signal.ok();
                if stop.is_some() {
                    tokio::time::timeout(STOP_GRACE, &mut work).await.ok()
                } else {
                    Some(work.await)
                }
            }
        };
        (outcome, stop.or_else(|| stopped_rx.try_recv().ok()))
    });
    progress.finish();
    watcher.abort();
    let Some(outcome) = outcome else {
        // Stopped waiting: what finished is in the state file (each record is written before
        // anything that depends on it calls AWS); what was in flight keeps its saved intent.
        crate::output::stopped_in_flight(&progress.running());
        drop(applying);
        return Ok(ExitCode::from(stop.map_or(1, Stop::exit_code)));
    };
    let summary = summarize(outcome, resolver, &secrets, plan.destroy, out);
    drop(applying);
    match stop.or_else(crate::stores::signal_during_apply) {
        Some(stop) => summary.map(|_| ExitCode::from(stop.exit_code())),
        None => summary,
    }
}

fn summarize(
    outcome: ApplyOutcome,
    resolver: Option<&TemplateResolver>,
    secrets: &[String],
    destroy: bool,
    out: &Output,
) -> anyhow::Result<ExitCode> {
    let ApplyOutcome {
        state,
        state_file,
        added,
        changed,
        destroyed,
        retained,
        failed,
        skipped,
        cancelled,
        state_error,
    } = outcome;
    // `, 2 retained` only when a policy kept something, as the plan's summary line does.
    let retained = if retained > 0 {
        format!(", {retained} retained (removed from the state, kept in AWS)")
    } else {
        String::new()
    };
    if let Some(e) = &state_error {
        out.diag(&format!(
            "{}: the state could not be saved: {e}",
            out.paint(Style::Error, "error")
        ));
    }
    let clean = failed.is_empty() && !cancelled && state_error.is_none();
    if clean || resolver.is_some() {
        save_outputs(resolver, state_file, state, secrets)?;
    }
    let what = if destroy { "Destroy" } else { "Apply" };
    if clean {
        out.line(&format!(
            "\n{} Resources: {added} added, {changed} changed, {destroyed} destroyed{retained}.",
            out.paint(Style::Green, &format!("{what} complete!"))
        ));
        return Ok(ExitCode::SUCCESS);
    }
    out.diag("");
    for f in &failed {
        out.diag(&format!(
            "{}: {} ({:?}): {}",
            out.paint(Style::Error, "error"),
            f.address,
            f.action,
            f.error
        ));
    }
    if !skipped.is_empty() {
        out.diag(&format!(
            "Not started because of the errors above{}: {}",
            if cancelled { " or the interrupt" } else { "" },
            skipped.join(", ")
        ));
    }
    out.diag(&format!(
        "{what} {}. Resources: {added} added, {changed} changed, {destroyed} destroyed{retained}. Everything finished is recorded in the state.",
        if cancelled { "interrupted" } else { "failed" }
    ));
    Ok(ExitCode::FAILURE)
}

fn confirm(plan: &Plan, out: &Output) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "stdin is not a terminal, so the plan cannot be confirmed; review it with `infra plan` and run again with --auto-approve"
        );
    }
    let (question, what) = if plan.destroy && plan.summary.retain > 0 {
        (
            "Do you really want to destroy all resources?",
            "infra will destroy all of the resources shown above, except those its policies keep in AWS, which it only removes from the state. There is no undo.",
        )
    } else if plan.destroy {
        (
            "Do you really want to destroy all resources?",
            "infra will destroy all of the resources shown above. There is no undo.",
        )
    } else {
        (
            "Do you want to perform these actions?",
            "infra will perform the actions described above.",
        )
    };
    out.raw(&format!(
        "\n{question}\n  {what}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: "
    ));
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}
