//! What `plan`, `apply` and `destroy` share: load the template (offline first, to report
//! template errors before any AWS call), look up what only AWS knows, resolve the intents an
//! interrupted run left, refresh the state's resources, check exports and imports, and compute
//! the plan and its expected apply time.

use std::path::Path;

use infra_aws::{AwsError, Prefetched, Recorder};
use infra_engine::{LatencyModel, RecoverError};
use infra_plan::plan::{
    Action, Binding, Plan, PlanRequest, PlanSettings, Recovered, apply_recovery, compute,
    parameters_sha256, plan_until_stable, redact,
};
use infra_state::State;
use infra_template::{ArtifactBucket, Deployment, LoadError, LoadOptions, Lookups, Offline};

use crate::binding::template_sha256;
use crate::checks::{UnknownTargets, check_targets, unsupported_properties};
use crate::exports::{self, ExportsError};
use crate::refresh::RefreshError;
use crate::session::{Session, SessionError};

/// Why no plan was made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The template is not valid: every problem found, with the files to show where. Nothing
    /// was asked of AWS after the first load found them.
    #[error(transparent)]
    Invalid(LoadError),
    /// AWS could not be reached.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// A `--target` names nothing of the stack.
    #[error(transparent)]
    Targets(#[from] UnknownTargets),
    /// An unfinished change could not be resolved.
    #[error(transparent)]
    Recover(#[from] RecoverError),
    /// The lookups failed.
    #[error(transparent)]
    Lookups(#[from] AwsError),
    /// The refresh failed.
    #[error(transparent)]
    Refresh(#[from] RefreshError),
    /// Exports or imports could not be gathered, or the plan breaks their rules.
    #[error(transparent)]
    Exports(#[from] ExportsError),
}

/// The template to plan with.
#[derive(Debug, Clone, Copy)]
pub struct TemplateInput<'a> {
    /// The root template file.
    pub path: &'a Path,
    /// The stack's name.
    pub stack: &'a str,
}

/// How to plan.
#[derive(Debug)]
pub struct PlanFlags<'a> {
    /// Read what AWS reports for the state's resources first.
    pub refresh: bool,
    /// `--target` addresses (empty: everything).
    pub targets: &'a [String],
    /// A destroy plan.
    pub destroy: bool,
    /// Nested stacks as barriers in the graph.
    pub nested_barrier: bool,
    /// Where the packages of local code paths go.
    pub artifacts: ArtifactBucket,
    /// `--cloud-control`: types whose new resources go through AWS Cloud Control although
    /// infra deploys them natively.
    pub cloud_control: &'a [String],
}

/// A computed plan and what it was computed with.
#[derive(Debug)]
pub struct Planned {
    /// `None` for a destroy made without a template.
    pub deployment: Option<Deployment>,
    /// The plan, redacted.
    pub plan: Plan,
    /// The load options the plan's template was read with (`None` without a template).
    pub opts: Option<LoadOptions>,
    /// What AWS gave the plan (lookups and resolved imports).
    pub base: Prefetched,
    /// The plan's `recovery` before redaction: what apply records.
    pub recovery: Vec<Recovered>,
    /// Every `Fn::GetAtt` the template reads: which secret attributes apply keeps
    /// ([`crate::sensitive`]). Empty without a template.
    pub attributes_read: crate::sensitive::AttributesRead,
}

/// True when any template file reads `AWS::AccountId` (the only pseudo parameter that needs a
/// call; it can only appear as a `Ref` or a `${}` name, so the text says whether it is used).
fn uses_account_id(sources: &infra_template::Sources) -> bool {
    sources
        .iter()
        .any(|(_, f)| f.text.contains("AWS::AccountId"))
}

/// Plans with a template, loaded with `opts` (parameters and pseudo parameters; the stack name
/// set). `loaded` sees the first, offline load as soon as it succeeds (the caller learns the
/// NoEcho values there, before any AWS call can echo one).
pub fn plan_with_template(
    template: TemplateInput<'_>,
    mut opts: LoadOptions,
    session: &mut Session,
    state: Option<&State>,
    flags: &PlanFlags<'_>,
    loaded: &dyn Fn(&Deployment),
) -> Result<Planned, PlanError> {
    opts.artifacts = infra_template::Artifacts::new(flags.artifacts.clone());
    let recorder = Recorder::new(&Offline);
    let first =
        infra_template::load(template.path, &opts, &recorder).map_err(PlanError::Invalid)?;
    loaded(&first);
    // Properties apply would refuse, before any AWS call (a destroy sets nothing).
    if !flags.destroy {
        let diagnostics = unsupported_properties(&first, flags.cloud_control);
        if !diagnostics.is_empty() {
            return Err(invalid(&first, diagnostics));
        }
    }
    if let Err(d) = infra_plan::build(
        &first,
        infra_plan::GraphOptions {
            nested_barrier: flags.nested_barrier,
        },
    ) {
        return Err(invalid(&first, d.0));
    }
    check_targets(flags.targets, Some(&first), state)?;
    let attributes_read = recorder.attributes_read();
    let wanted = recorder.into_wanted();
    let imports_wanted = wanted.imports.clone();
    // Like Terraform's data sources, lookups are made even with `--refresh=false`; a template
    // that needs none plans without any AWS call. Unfinished changes are always looked up.
    let unfinished = state.is_some_and(|s| !s.pending.is_empty());
    let needs_aws =
        flags.refresh || unfinished || !wanted.is_empty() || uses_account_id(&first.sources);
    if needs_aws {
        session.ensure()?;
    }
    let (recovered, working) = recover_pending(session, state)?;
    let state = working.as_ref().or(state);
    let (mut base, observed) = match session.aws() {
        Some(aws) => {
            let base = session.block_on(crate::lookups::prefetch(aws, wanted))?;
            opts.pseudo.account_id = base.account_id.clone();
            if opts.pseudo.region.is_none() {
                opts.pseudo.region = aws.region().map(ToString::to_string);
            }
            let observed = match state {
                Some(s) if flags.refresh && !s.resources.is_empty() => {
                    session.dereference_for_refresh(s);
                    Some(session.block_on(crate::refresh::refresh(session.providers(), s))?)
                }
                _ => None,
            };
            (base, observed)
        }
        None => (Prefetched::default(), None),
    };
    let exports = if exports::needed(&imports_wanted, &first, state) {
        let gathered = exports::gather(session, template.stack)?;
        base.imports = exports::imports(&gathered, &imports_wanted)?;
        Some(gathered)
    } else {
        None
    };
    let binding = Binding {
        stack: template.stack.to_owned(),
        lineage: state.map(|s| s.lineage.to_string()),
        serial: state.map_or(0, |s| s.serial),
        template_sha256: template_sha256(&first.sources),
        parameters_sha256: parameters_sha256(&opts.parameters),
        template: template.path.display().to_string(),
    };
    let (deployment, mut plan) = if flags.destroy {
        let request = PlanRequest {
            deployment: Some(&first),
            state,
            observed: observed.as_ref(),
            destroy: true,
            targets: flags.targets,
            cloud_control: flags.cloud_control,
        };
        let plan = compute(request, binding);
        (first, plan)
    } else {
        let settings = PlanSettings {
            state,
            observed: observed.as_ref(),
            base: &base,
            targets: flags.targets,
            cloud_control: flags.cloud_control,
        };
        // With no AWS values and no state values, the plan's first pass would load exactly what
        // the offline load did (every lookup unanswered): reuse it instead of loading again.
        let same_as_offline =
            session.aws().is_none() && state.is_none_or(|s| s.resources.is_empty());
        let mut offline = same_as_offline.then_some(first);
        let mut load = |l: &dyn Lookups| match offline.take() {
            Some(deployment) => Ok(deployment),
            None => infra_template::load(template.path, &opts, l),
        };
        plan_until_stable(&mut load, settings, binding).map_err(PlanError::Invalid)?
    };
    // A targeted plan still evaluates every output, so its export changes are known; a
    // targeted destroy's are not (which outputs read the targeted resources is not worked out
    // yet), so it is not checked.
    if let Some(gathered) = &exports
        && (flags.targets.is_empty() || !flags.destroy)
    {
        exports::check_plan(session, gathered, state, Some(&deployment), &plan)?;
    }
    plan.recovery = recovered.clone();
    let mut deployment = deployment;
    for secret in state
        .map(infra_state::sensitive::attribute_secrets)
        .unwrap_or_default()
    {
        if !deployment.secrets.contains(&secret) {
            deployment.secrets.push(secret);
        }
    }
    redact(&mut plan, &deployment.secrets);
    Ok(Planned {
        deployment: Some(deployment),
        plan,
        opts: Some(opts),
        base,
        recovery: recovered,
        attributes_read,
    })
}

/// The template is not valid: `diagnostics`, shown in `deployment`'s files.
fn invalid(deployment: &Deployment, diagnostics: Vec<infra_template::Diagnostic>) -> PlanError {
    PlanError::Invalid(LoadError {
        sources: deployment.sources.clone(),
        diagnostics: infra_template::Diagnostics(diagnostics),
    })
}

/// States the plan's expected apply time under `model` ([`infra_engine::estimate`]), ordered
/// against `state` with the plan's recovery applied, as apply orders it; a plan that changes
/// nothing, or whose operations cannot be ordered (apply reports that), has none.
pub fn add_estimate(plan: &mut Plan, state: Option<&State>, model: &LatencyModel) {
    let mut working = match state {
        Some(s) => s.clone(),
        None => State::new(&plan.binding.stack),
    };
    apply_recovery(&mut working, &plan.recovery);
    plan.estimate = if plan.changes.iter().all(|c| c.action == Action::NoOp) {
        None
    } else {
        infra_engine::estimate(plan, &working, model).ok()
    };
}

/// Resolves the intents an interrupted run left in `state` (see `infra_engine::recover`).
/// Returns the resolutions and, when there are any, the state with them applied, which is
/// what the plan is computed against.
fn recover_pending(
    session: &mut Session,
    state: Option<&State>,
) -> Result<(Vec<Recovered>, Option<State>), PlanError> {
    let Some(state) = state.filter(|s| !s.pending.is_empty()) else {
        return Ok((Vec::new(), None));
    };
    session.ensure()?;
    let recovered = session.block_on(infra_engine::recover(state, session.providers()))?;
    let mut working = state.clone();
    apply_recovery(&mut working, &recovered);
    Ok((recovered, Some(working)))
}

/// A destroy plan from the state alone (no template).
pub fn destroy_plan(
    stack: &str,
    session: &mut Session,
    state: &State,
    refresh: bool,
    targets: &[String],
) -> Result<Planned, PlanError> {
    check_targets(targets, None, Some(state))?;
    let (recovered, working) = recover_pending(session, Some(state))?;
    let state = working.as_ref().unwrap_or(state);
    let observed = if refresh && session.aws().is_some() && !state.resources.is_empty() {
        Some(session.block_on(crate::refresh::refresh(session.providers(), state))?)
    } else {
        None
    };
    let binding = Binding {
        stack: stack.to_string(),
        lineage: Some(state.lineage.to_string()),
        serial: state.serial,
        template_sha256: String::new(),
        parameters_sha256: String::new(),
        template: String::new(),
    };
    let request = PlanRequest {
        deployment: None,
        state: Some(state),
        observed: observed.as_ref(),
        destroy: true,
        targets,
        cloud_control: &[],
    };
    let mut plan = compute(request, binding);
    if targets.is_empty() && state.exports().next().is_some() {
        let gathered = exports::gather(session, stack)?;
        exports::check_plan(session, &gathered, Some(state), None, &plan)?;
    }
    plan.recovery = recovered.clone();
    Ok(Planned {
        deployment: None,
        plan,
        opts: None,
        base: Prefetched::default(),
        recovery: recovered,
        attributes_read: crate::sensitive::AttributesRead::new(),
    })
}
