//! A delete call answered in a provider's terms: `.deleted(&svc, ctx, "DeleteAlarms", "deleting
//! alarm x").await` is success when the call succeeds or answers "not found" (the object is
//! already gone: a delete is idempotent), else the failure classified by the kit's table;
//! [`deleted`] is the same with the service's own test of "already gone". Both are
//! [`unless_gone`](super::unless_gone) with the kit's table for the service's own classes.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::context::{Ctx, Service};
use crate::error::AwsError;
use crate::provider::ProviderError;

/// A delete call sent (`request.send()`).
pub(crate) trait Deleted<T, E>:
    std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>> + Sized
{
    /// Success, "not found" included, or the classified failure.
    fn deleted<C>(
        self,
        svc: &Service<C>,
        ctx: Ctx<'_>,
        doing: impl std::fmt::Display,
    ) -> impl std::future::Future<Output = Result<(), ProviderError>>
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        async move {
            super::calls::settled(svc, self, |err| ctx.fail(doing, err)).await?;
            Ok(())
        }
    }
}

impl<F, T, E> Deleted<T, E> for F
where
    F: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
}

/// Sends a delete `call` (while `doing`): success, or already gone by `gone`
/// (success too), or the error classed by the kit's table.
pub(crate) async fn deleted<C, T, E>(
    svc: &Service<C>,
    ctx: Ctx<'_>,
    doing: &str,
    call: impl std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    gone: fn(&AwsError) -> bool,
) -> Result<(), ProviderError>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match call.await.map_err(|e| svc.err(e)) {
        Ok(_) => Ok(()),
        Err(e) if gone(&e) => Ok(()),
        Err(e) => Err(ctx.fail(doing, e)),
    }
}
