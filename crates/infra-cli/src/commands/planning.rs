//! What `plan`, `apply` and `destroy` share: load the template (offline first, to report
//! template errors before any AWS call), look up what only AWS knows, refresh the state's
//! resources, and compute the plan.

use aws_config::SdkConfig;
use infra_aws::provider::Providers;
use infra_aws::{Prefetched, Recorder};
use infra_plan::plan::{
    Binding, Plan, PlanRequest, PlanSettings, compute, parameters_sha256, plan_until_stable, redact,
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
}

/// A computed plan and what it was computed with.
pub struct Planned {
    /// `None` for a destroy made without a template.
    pub deployment: Option<Deployment>,
    pub plan: Plan,
    pub opts: Option<LoadOptions>,
    pub base: Prefetched,
}

/// AWS access for a command, made once.
pub struct Session {
    pub rt: tokio::runtime::Runtime,
    pub config: Option<SdkConfig>,
    pub providers: Providers,
}

impl Session {
    /// Offline: no configuration, no providers.
    pub fn offline() -> anyhow::Result<Session> {
        Ok(Session {
            rt: crate::aws::runtime()?,
            config: None,
            providers: Providers::default(),
        })
    }

    /// Loads the AWS configuration and builds every provider.
    pub fn connect(region: Option<&str>, aws: &AwsArgs) -> anyhow::Result<Session> {
        let rt = crate::aws::runtime()?;
        let config = rt.block_on(crate::aws::config(region, aws))?;
        let providers = infra_aws::providers::all(&config);
        Ok(Session {
            rt,
            config: Some(config),
            providers,
        })
    }
}

/// Plans with a template. Returns `None` after printing diagnostics when the template is
/// not valid.
pub fn plan_with_template(
    template: &TemplateArgs,
    session: &Session,
    state: Option<&State>,
    flags: &PlanFlags<'_>,
    out: &Output,
) -> anyhow::Result<Option<Planned>> {
    let stack = super::stack_name(template.stack.as_deref(), Some(&template.template))?;
    let mut opts = super::load_options(template, None)?;
    let recorder = Recorder::new(&Offline);
    let Some(first) = super::load_with(template, &opts, &recorder, out)? else {
        return Ok(None);
    };
    if let Err(d) = infra_plan::build(
        &first,
        infra_plan::GraphOptions {
            nested_barrier: flags.nested_barrier,
        },
    ) {
        report::diagnostics(out, &first.sources, &d.0);
        return Ok(None);
    }
    let (base, observed) = match &session.config {
        Some(config) => {
            let wanted = recorder.into_wanted();
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
        let mut load = |l: &dyn Lookups| infra_template::load(&path, &opts, l);
        match plan_until_stable(&mut load, settings, binding) {
            Ok(x) => x,
            Err(e) => {
                report::diagnostics(out, &e.sources, &e.diagnostics.0);
                return Ok(None);
            }
        }
    };
    redact(&mut plan, &deployment.secrets);
    Ok(Some(Planned {
        deployment: Some(deployment),
        plan,
        opts: Some(opts),
        base,
    }))
}

/// A destroy plan from the state alone (no template).
pub fn destroy_plan(
    stack: &str,
    session: &Session,
    state: &State,
    refresh: bool,
    targets: &[String],
) -> anyhow::Result<Planned> {
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
    Ok(Planned {
        deployment: None,
        plan: compute(request, binding),
        opts: None,
        base: Prefetched::default(),
    })
}
