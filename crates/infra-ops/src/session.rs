//! [`Session`]: AWS access for one command. It owns the command's single-threaded tokio
//! runtime (the AWS work is I/O-bound), the [`AwsSession`] once connected, every provider built
//! from it, and the backend whose other states hold the exports `Fn::ImportValue` reads.
//! Connecting is lazy for `plan` (a template that needs no AWS value plans without any call).

use std::fmt;
use std::future::Future;

use infra_aws::{AwsError, AwsSession, AwsSettings};
use infra_provider::Providers;
use infra_state::StateBackend;

/// Why a session could not be made or used.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The runtime could not be started.
    #[error(transparent)]
    Runtime(#[from] std::io::Error),
    /// The AWS configuration could not be loaded.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// A step that needs AWS ran before connecting (a bug).
    #[error("internal: no AWS configuration after connecting")]
    NotConnected,
}

/// AWS access for a command: made when first needed, once.
pub struct Session {
    rt: tokio::runtime::Runtime,
    aws: Option<AwsSession>,
    providers: Providers,
    exports_from: Option<Box<dyn StateBackend>>,
    settings: AwsSettings,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("connected", &self.aws.is_some())
            .field("providers", &self.providers.types().count())
            .field(
                "exports_from",
                &self.exports_from.as_ref().map(|b| b.location().to_owned()),
            )
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session that connects on first use ([`Session::ensure`]).
    pub fn lazy(settings: AwsSettings) -> Result<Session, SessionError> {
        Ok(Session {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
            aws: None,
            providers: Providers::default(),
            exports_from: None,
            settings,
        })
    }

    /// Loads the AWS configuration and builds every provider.
    pub fn connect(settings: AwsSettings) -> Result<Session, SessionError> {
        let mut s = Session::lazy(settings)?;
        s.ensure()?;
        Ok(s)
    }

    /// Connects if not connected yet.
    pub fn ensure(&mut self) -> Result<&AwsSession, SessionError> {
        if self.aws.is_none() {
            let aws = self.rt.block_on(AwsSession::load(&self.settings))?;
            // Until an apply fetches them, dynamic references are reported as recorded.
            self.providers = crate::dynamic::for_refresh(aws.providers());
            self.aws = Some(aws);
        }
        self.connected()
    }

    /// The AWS session, once connected.
    pub fn aws(&self) -> Option<&AwsSession> {
        self.aws.as_ref()
    }

    /// The AWS session of a step that runs only once connected.
    pub fn connected(&self) -> Result<&AwsSession, SessionError> {
        self.aws.as_ref().ok_or(SessionError::NotConnected)
    }

    /// Fetches the values of the dynamic references of `plan`'s creates and updates and
    /// rebuilds the providers so that they get the values (see [`crate::dynamic`]); returns
    /// what was fetched (its `secrets` are for the caller to redact).
    pub fn dereference(
        &mut self,
        plan: &infra_plan::Plan,
    ) -> Result<crate::dynamic::Resolved, crate::dynamic::DynamicError> {
        let Some(aws) = self.aws.as_ref() else {
            return Ok(crate::dynamic::Resolved::default());
        };
        let resolved = self
            .rt
            .block_on(crate::dynamic::resolve_for_apply(aws, plan))?;
        if !resolved.values.is_empty() {
            self.providers = crate::dynamic::dereferencing(aws.providers(), &resolved);
        }
        Ok(resolved)
    }

    /// From here on, the providers drop every secret attribute the template does not read
    /// ([`crate::sensitive`]); call after [`Session::dereference`], before the apply.
    pub fn keep_read_secret_attributes(&mut self, read: &crate::sensitive::AttributesRead) {
        let providers = std::mem::take(&mut self.providers);
        self.providers = crate::sensitive::keeping_read(providers, read);
    }

    /// Before a refresh of `state`: the providers get the values of its plain `ssm` dynamic
    /// references, so that a value AWS no longer holds shows as drift.
    pub fn dereference_for_refresh(&mut self, state: &infra_state::State) {
        let Some(aws) = self.aws.as_ref() else {
            return;
        };
        if crate::dynamic::plain_references_of(state).is_empty() {
            return;
        }
        let resolved = self
            .rt
            .block_on(crate::dynamic::resolve_for_refresh(aws, state));
        self.providers = crate::dynamic::dereferencing(aws.providers(), &resolved);
    }

    /// Every provider (none before connecting).
    pub fn providers(&self) -> &Providers {
        &self.providers
    }

    /// The command's runtime: the engine, signal listeners and every AWS call run on it.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.rt
    }

    /// Runs `future` to completion on the command's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.rt.block_on(future)
    }

    /// Sets the backend whose other states hold the exports `Fn::ImportValue` reads.
    pub fn set_exports_from(&mut self, backend: Box<dyn StateBackend>) {
        self.exports_from = Some(backend);
    }

    /// The backend whose other states hold the exports `Fn::ImportValue` reads.
    pub fn exports_from(&self) -> Option<&dyn StateBackend> {
        self.exports_from.as_deref()
    }
}
