//! The template re-evaluated during an apply: [`TemplateResolver`] gives each operation its
//! desired properties from the template texts the plan read, evaluated once per published state
//! with the values of every resource finished so far; [`NoTemplate`] is a destroy's (it has
//! nothing to create or update from).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use infra_aws::Prefetched;
use infra_engine::Resolver;
use infra_plan::plan::StateLookups;
use infra_state::State;
use infra_template::{Deployment, LoadOptions};

/// Desired properties at the moment an operation starts: the template (the texts the plan
/// read, kept in `opts`) evaluated with the values of every resource finished so far. One
/// evaluation serves every operation that starts on the same published state (a finished
/// resource usually frees several at once).
pub struct TemplateResolver {
    path: PathBuf,
    opts: LoadOptions,
    base: Prefetched,
    last: Mutex<Option<Evaluated>>,
}

/// The template evaluated against one published state.
struct Evaluated {
    state: Arc<State>,
    deployment: Arc<Result<Deployment, String>>,
}

impl fmt::Debug for TemplateResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateResolver")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl TemplateResolver {
    /// The template at `path`, loaded with `opts` (the plan's, with the texts it read) and the
    /// values AWS gave the plan (`base`).
    pub fn new(path: PathBuf, opts: LoadOptions, base: Prefetched) -> TemplateResolver {
        TemplateResolver {
            path,
            opts,
            base,
            last: Mutex::new(None),
        }
    }

    /// The template's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The load options (parameters, pseudo parameters, texts, packaged local code).
    pub fn opts(&self) -> &LoadOptions {
        &self.opts
    }

    /// The values AWS gave the plan (lookups and resolved imports).
    pub fn base(&self) -> &Prefetched {
        &self.base
    }

    fn evaluated(&self, state: &Arc<State>) -> Arc<Result<Deployment, String>> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(evaluated) = last.as_ref()
            && Arc::ptr_eq(&evaluated.state, state)
        {
            return Arc::clone(&evaluated.deployment);
        }
        let lookups = StateLookups::new(state, &self.base);
        let deployment = Arc::new(
            infra_template::load(&self.path, &self.opts, &lookups)
                .map_err(|e| format!("the template no longer loads: {}", e.diagnostics)),
        );
        *last = Some(Evaluated {
            state: Arc::clone(state),
            deployment: Arc::clone(&deployment),
        });
        deployment
    }
}

impl Resolver for TemplateResolver {
    fn properties(&self, address: &str, state: &Arc<State>) -> Result<serde_json::Value, String> {
        let evaluated = self.evaluated(state);
        let d = evaluated.as_ref().as_ref().map_err(Clone::clone)?;
        let r = d
            .resource(address)
            .ok_or_else(|| format!("`{address}` is no longer in the template"))?;
        r.properties.to_json().ok_or_else(|| {
            format!(
                "some properties of `{address}` are still unknown after its dependencies finished"
            )
        })
    }
}

/// A destroy's resolver: it has no template to create or update from.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTemplate;

impl Resolver for NoTemplate {
    fn properties(&self, address: &str, _: &Arc<State>) -> Result<serde_json::Value, String> {
        Err(format!(
            "`{address}`: a destroy has no template to create or update from"
        ))
    }
}
