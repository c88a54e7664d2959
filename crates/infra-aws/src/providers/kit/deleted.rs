//! A delete call that takes "already gone" as success ([`deleted`]).

use std::error::Error as StdError;
use std::future::Future;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::{Ctx, Service};
use crate::error::AwsError;
use crate::provider::ProviderError;

/// Sends a delete `call` (of `operation`, while `doing`): success, or already gone by `gone`
/// (success too), or the error classed by the kit's table.
pub(crate) async fn deleted<C, T, E>(
    svc: &Service<C>,
    ctx: Ctx<'_>,
    operation: &str,
    doing: &str,
    call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    gone: fn(&AwsError) -> bool,
) -> Result<(), ProviderError>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match call.await.map_err(|e| svc.err(operation, e)) {
        Ok(_) => Ok(()),
        Err(e) if gone(&e) => Ok(()),
        Err(e) => Err(ctx.fail(doing, e)),
    }
}
