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
        let ready = |config: &FunctionConfiguration| match config.state() {
            None | Some(State::Active) => Ok(true),
            Some(State::Failed) => Err(ctx.fatal(format!(
                "function {name} failed to become active: {}",
                config.state_reason().unwrap_or("(no reason given)")
            ))),
            Some(other) => {
                last.set(other.as_str());
                Ok(false)
            }
        };
        let waited = || format!("function {name} to become active (state {})", last.get());
        self.wait(ctx, name, ready, waited).await
    }

    /// Waits for `LastUpdateStatus` `Successful` (Lambda's `FunctionUpdatedV2` waiter).
    pub(super) async fn wait_updated(&self, ctx: Ctx<'_>, name: &str) -> Result<(), ProviderError> {
        let ready = |config: &FunctionConfiguration| match config.last_update_status() {
            None | Some(LastUpdateStatus::Successful) => Ok(true),
            Some(LastUpdateStatus::Failed) => Err(ctx.fatal(format!(
                "the update of function {name} failed: {}",
                (config.last_update_status_reason()).unwrap_or("(no reason given)")
            ))),
            Some(_) => Ok(false),
        };
        let waited = || format!("the update of function {name}");
        self.wait(ctx, name, ready, waited).await.map(drop)
    }

    /// Polls GetFunctionConfiguration until `ready` says so, at most [`READY_TIMEOUT`]; the
    /// timeout's message says what was `waited` for.
    async fn wait(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        ready: impl Fn(&FunctionConfiguration) -> Result<bool, ProviderError>,
        waited: impl FnOnce() -> String,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let ready = poll(READY_TIMEOUT, || async {
            let config = self.configuration(ctx, name).await?;
            Ok(ready(&config)?.then_some(config))
        });
        ready.await?.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for {}",
                READY_TIMEOUT.as_secs() / 60,
                waited()
            ))
        })
    }
}
