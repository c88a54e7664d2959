//! `AWS::Lambda::Function` waiters: `State` `Active` and `LastUpdateStatus` `Successful`.

use std::time::Duration;

use aws_sdk_lambda::types::{FunctionConfiguration, LastUpdateStatus, State};

use super::LambdaFunctionProvider;
use crate::providers::compute::LastSeen;
use crate::providers::kit::poll;
use crate::providers::kit::prelude::*;

/// How long a create or update waits for the function (Terraform's provider allows 10 minutes).
pub(super) const READY_TIMEOUT: Duration = Duration::from_secs(10 * 60);

impl LambdaFunctionProvider {
    /// Waits for `State` `Active` (Lambda's `FunctionActive` waiter).
    pub(super) async fn wait_active(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let last = LastSeen::default();
        let ready = self.wait(ctx, name, |config| match config.state() {
            None | Some(State::Active) => Ok(true),
            Some(State::Failed) => Err(ctx.fatal(format!(
                "function {name} failed to become active: {}",
                config.state_reason().unwrap_or("(no reason given)")
            ))),
            Some(other) => {
                last.set(other.as_str());
                Ok(false)
            }
        });
        ready.await?.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for function {name} to become active (state {})",
                READY_TIMEOUT.as_secs() / 60,
                last.get()
            ))
        })
    }

    /// Waits for `LastUpdateStatus` `Successful` (Lambda's `FunctionUpdatedV2` waiter).
    pub(super) async fn wait_updated(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let ready = self.wait(ctx, name, |config| match config.last_update_status() {
            None | Some(LastUpdateStatus::Successful) => Ok(true),
            Some(LastUpdateStatus::Failed) => Err(ctx.fatal(format!(
                "the update of function {name} failed: {}",
                (config.last_update_status_reason()).unwrap_or("(no reason given)")
            ))),
            Some(_) => Ok(false),
        });
        ready.await?.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for the update of function {name}",
                READY_TIMEOUT.as_secs() / 60
            ))
        })
    }

    /// Polls GetFunctionConfiguration until `ready` says so, at most [`READY_TIMEOUT`].
    async fn wait(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        ready: impl Fn(&FunctionConfiguration) -> Result<bool, ProviderError>,
    ) -> Result<Option<FunctionConfiguration>, ProviderError> {
        poll(READY_TIMEOUT, || async {
            let config = self.configuration(ctx, name).await?;
            Ok(ready(&config)?.then_some(config))
        })
        .await
    }
}
