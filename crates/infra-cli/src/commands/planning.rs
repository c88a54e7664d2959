//! What `plan`, `apply` and `destroy` share: load the template (offline first, to report
//! template errors before any AWS call), look up what only AWS knows, refresh the state's
//! resources, and compute the plan.

use anyhow::Context as _;
use aws_config::SdkConfig;
use infra_aws::provider::Providers;
use infra_aws::{Prefetched, Recorder};
use infra_engine::LatencyModel;
use infra_plan::plan::{
    Action, Binding, Plan, PlanRequest, PlanSettings, Recovered, apply_recovery, compute,
    parameters_sha256, plan_until_stable, redact,
};
use infra_state::State;
use infra_template::{Deployment, LoadOptions, Lookups, Offline};

use crate::cli::{AwsArgs, TemplateArgs};
use crate::output::Output;
use crate::report;

/// How to plan.
pub struct PlanFlags<'a> {
    pub refresh: bool,
    pub targets: &'a [String],
    pub destroy: bool,
    pub nested_barrier: bool,
    /// Where the packages of local code paths go.
    pub artifacts: infra_template::ArtifactBucket,
}

/// A computed plan and what it was computed with.
pub struct Planned {
    /// `None` for a destroy made without a template.
    pub deployment: Option<Deployment>,
    pub plan: Plan,
    pub opts: Option<LoadOptions>,
    pub base: Prefetched,
    /// The plan's `recovery` before redaction: what apply records.
    pub recovery: Vec<Recovered>,
}

/// AWS access for a command: made when first needed, once.
pub struct Session {
    pub rt: tokio::runtime::Runtime,
    pub config: Option<SdkConfig>,
    pub providers: Providers,
    /// The backend whose other states hold the exports `Fn::ImportValue` reads.
    pub exports_from: Option<Box<dyn infra_state::StateBackend>>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
}

impl Session {
    /// A session that connects on first use ([`Session::ensure`]).
    pub fn lazy(region: Option<&str>, aws: &AwsArgs) -> anyhow::Result<Session> {
        Ok(Session {
            rt: crate::aws::runtime()?,
            config: None,
            providers: Providers::default(),
            exports_from: None,
            region: region.map(str::to_string),
            profile: aws.profile.clone(),
            endpoint_url: aws.endpoint_url.clone(),
        })
    }

    /// Loads the AWS configuration and builds every provider.
    pub fn connect(region: Option<&str>, aws: &AwsArgs) -> anyhow::Result<Session> {
        let mut s = Session::lazy(region, aws)?;
        s.ensure()?;
        Ok(s)
    }

    /// Connects if not connected yet.
    pub fn ensure(&mut self) -> anyhow::Result<&SdkConfig> {
        if self.config.is_none() {
            let args = AwsArgs {
                profile: self.profile.clone(),
                endpoint_url: self.endpoint_url.clone(),
            };
            let config = self
                .rt
                .block_on(crate::aws::config(self.region.as_deref(), &args))?;
            self.providers = infra_aws::providers::all(&config);
            self.config = Some(config);
        }
        self.config
            .as_ref()
            .context("internal: no AWS configuration after connecting")
    }
}

/// True when any template file reads `AWS::AccountId` (the only pseudo parameter that needs a
/// call; it can only appear as a `Ref` or a `${}` name, so the text says whether it is used).
fn uses_account_id(sources: &infra_template::Sources) -> bool {
    sources
        .iter()
        .any(|(_, f)| f.text.contains("AWS::AccountId"))
}

/// Plans with a template. Returns `None` after printing diagnostics when the template is
/// not valid.
pub fn plan_with_template(
    template: &TemplateArgs,
    session: &mut Session,
    state: Option<&State>,
    flags: &PlanFlags<'_>,
    out: &Output,
) -> anyhow::Result<Option<Planned>> {
    let stack = super::stack_name(template.stack.as_deref(), Some(&template.template))?;
    let mut opts = super::load_options(template, None)?;
    opts.artifacts = infra_template::Artifacts::new(flags.artifacts.clone());
    let recorder = Recorder::new(&Offline);
    let Some(first) = super::load_with(template, &opts, &recorder, out)? else {
        return Ok(None);
    };
    // Properties apply would refuse, before any AWS call (a destroy sets nothing).
    if !flags.destroy && super::report_unsupported(&first, out) {
        return Ok(None);
    }
    if let Err(d) = infra_plan::build(
        &first,
        infra_plan::GraphOptions {
            nested_barrier: flags.nested_barrier,
        },
    ) {
        report::diagnostics(out, &first.sources, &d.0);
        return Ok(None);
    }
    super::targets::check(flags.targets, Some(&first), state)?;
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
    let (mut base, observed) = match &session.config {
        Some(config) => {
            let base = session.rt.block_on(crate::aws::prefetch(config, wanted))?;
            opts.pseudo.account_id = base.account_id.clone();
            if opts.pseudo.region.is_none() {
                opts.pseudo.region = config.region().map(ToString::to_string);
            }
            let observed = match state {
                Some(s) if flags.refresh && !s.resources.is_empty() => Some(
                    session
                        .rt
                        .block_on(crate::aws::refresh(&session.providers, s))?,
                ),
                _ => None,
            };
            (base, observed)
        }
        None => (Prefetched::default(), None),
    };
    let exports = if super::exports::needed(&imports_wanted, &first, state) {
        let gathered = super::exports::gather(session, &stack)?;
        base.imports = super::exports::imports(&gathered, &imports_wanted)?;
        Some(gathered)
    } else {
        None
    };
    let binding = Binding {
        stack,
        lineage: state.map(|s| s.lineage.to_string()),
        serial: state.map_or(0, |s| s.serial),
        template_sha256: super::template_sha256(&first.sources),
        parameters_sha256: parameters_sha256(&opts.parameters),
        template: template.template.display().to_string(),
    };
    let (deployment, mut plan) = if flags.destroy {
        let request = PlanRequest {
            deployment: Some(&first),
            state,
            observed: observed.as_ref(),
            destroy: true,
            targets: flags.targets,
        };
        let plan = compute(request, binding);
        (first, plan)
    } else {
        let settings = PlanSettings {
            state,
            observed: observed.as_ref(),
            base: &base,
            targets: flags.targets,
        };
        let path = template.template.clone();
        // With no AWS values and no state values, the plan's first pass would load exactly what
        // the offline load did (every lookup unanswered): reuse it instead of loading again.
        let same_as_offline =
            session.config.is_none() && state.is_none_or(|s| s.resources.is_empty());
        let mut offline = same_as_offline.then_some(first);
        let mut load = |l: &dyn Lookups| match offline.take() {
            Some(deployment) => Ok(deployment),
            None => infra_template::load(&path, &opts, l),
        };
        match plan_until_stable(&mut load, settings, binding) {
            Ok(x) => x,
            Err(e) => {
                report::diagnostics(out, &e.sources, &e.diagnostics.0);
                return Ok(None);
            }
        }
    };
    // A targeted plan still evaluates every output, so its export changes are known; a
    // targeted destroy's are not (which outputs read the targeted resources is not worked out
    // yet), so it is not checked.
    if let Some(gathered) = &exports
        && (flags.targets.is_empty() || !flags.destroy)
    {
        super::exports::check_plan(session, gathered, state, Some(&deployment), &plan)?;
    }
    plan.recovery = recovered.clone();
    redact(&mut plan, &deployment.secrets);
    Ok(Some(Planned {
        deployment: Some(deployment),
        plan,
        opts: Some(opts),
        base,
        recovery: recovered,
    }))
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
) -> anyhow::Result<(Vec<Recovered>, Option<State>)> {
    let Some(state) = state.filter(|s| !s.pending.is_empty()) else {
        return Ok((Vec::new(), None));
    };
    session.ensure()?;
    let recovered = session
        .rt
        .block_on(infra_engine::recover(state, &session.providers))?;
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
) -> anyhow::Result<Planned> {
    super::targets::check(targets, None, Some(state))?;
    let (recovered, working) = recover_pending(session, Some(state))?;
    let state = working.as_ref().unwrap_or(state);
    let observed = if refresh && session.config.is_some() && !state.resources.is_empty() {
        Some(
            session
                .rt
                .block_on(crate::aws::refresh(&session.providers, state))?,
        )
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
    };
    let mut plan = compute(request, binding);
    if targets.is_empty() && state.exports().next().is_some() {
        let gathered = super::exports::gather(session, stack)?;
        super::exports::check_plan(session, &gathered, Some(state), None, &plan)?;
    }
    plan.recovery = recovered.clone();
    Ok(Planned {
        deployment: None,
        plan,
        opts: None,
        base: Prefetched::default(),
        recovery: recovered,
    })
}
