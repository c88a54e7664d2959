//! Calls answered in a service's own classification: [`Classify`] (how a service's failed
//! calls are classed: some by their own codes first, others by the kit's table alone),
//! [`failed`] and [`send!`] (a call whose failure is classed so), [`answer`] and [`answered!`]
//! (a lookup whose "missing" answer, as the caller tells it, is `None`) and [`unless_gone`] (a
//! delete whose "not found" is success). [`settled`] is the one step under [`unless_gone`], the
//! kit's [`found`](super::found) and [`Deleted`](super::Deleted): a call's answer, `None` when
//! AWS answers "not found", any other failure classed by the caller.

use std::error::Error as StdError;
use std::fmt::Display;
use std::future::Future;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::context::{Ctx, Service};
use super::errors::is_not_found;
use crate::error::AwsError;
use crate::provider::ProviderError;

/// How a service's failed calls are classed (EFS by its own codes first, ECR by the kit's
/// table alone: the default). [`failed`], [`send!`] and [`unless_gone`] work with any.
pub(crate) trait Classify {
    /// The error of a failed call while `doing` something about the resource of `ctx`; by
    /// default as the kit's table classes it.
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        ctx.fail(doing, err)
    }
}

/// A failed call, classed by the service's [`Classify`].
pub(crate) fn failed<C, E>(
    svc: &Service<C>,
    ctx: Ctx<'_>,
    doing: impl Display,
    err: SdkError<E, HttpResponse>,
) -> ProviderError
where
    Service<C>: Classify,
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    svc.classify(ctx, &doing, &svc.err(err))
}

/// Sends `request` (a request builder of the service `svc`) and classes its failure with
/// [`failed`].
macro_rules! send {
    ($svc:expr, $ctx:expr, $request:expr, $doing:expr) => {
        $request
            .send()
            .await
            .map_err(|e| $crate::providers::kit::failed($svc, $ctx, $doing, e))
    };
}
pub(crate) use send;

/// The answer of `sent`, a call about one object; `None` when the error says
/// (`missing`) the object does not exist; any other error classed by the service.
pub(crate) async fn answer<C, T, E>(
    svc: &Service<C>,
    ctx: Ctx<'_>,
    doing: impl Display,
    sent: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    missing: fn(&AwsError) -> bool,
) -> Result<Option<T>, ProviderError>
where
    Service<C>: Classify,
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match sent.await.map_err(|e| svc.err(e)) {
        Ok(out) => Ok(Some(out)),
        Err(err) if missing(&err) => Ok(None),
        Err(err) => Err(svc.classify(ctx, &doing, &err)),
    }
}

/// Sends `request` (a fluent request builder of `svc`) with [`answer`]: `None` when `missing`
/// says the object does not exist.
macro_rules! answered {
    ($svc:expr, $ctx:expr, $request:expr, $doing:expr, $missing:expr) => {{
        let sent = $request.send();
        $crate::providers::kit::answer($svc, $ctx, $doing, sent, $missing).await
    }};
}
pub(crate) use answered;

/// The answer of a call `sent` (on `svc`), `None` when AWS answers "not
/// found"; any other failure as `fail` classes it.
pub(crate) async fn settled<C, T, E>(
    svc: &Service<C>,
    sent: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    fail: impl FnOnce(AwsError) -> ProviderError,
) -> Result<Option<T>, ProviderError>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match sent.await.map_err(|e| svc.err(e)) {
        Ok(out) => Ok(Some(out)),
        Err(err) if is_not_found(&err) => Ok(None),
        Err(err) => Err(fail(err)),
    }
}

/// Sends a delete call (`sent`, the request's `send()`): success, or "not found" (already
/// gone) as success; any other failure classed by the service's [`Classify`].
pub(crate) async fn unless_gone<C, T, E>(
    svc: &Service<C>,
    ctx: Ctx<'_>,
    doing: impl Display,
    sent: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> Result<(), ProviderError>
where
    Service<C>: Classify,
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    settled(svc, sent, |err| svc.classify(ctx, &doing, &err)).await?;
    Ok(())
}
