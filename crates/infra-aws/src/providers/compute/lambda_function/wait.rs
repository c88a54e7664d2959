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
        let ready = poll(READY_TIMEOUT, || {
            let last = &last;
            async move {
                let config = self.configuration(ctx, name).await?;
                match config.state() {
                    None | Some(State::Active) => Ok(Some(config)),
                    Some(State::Failed) => Err(ctx.fatal(format!(
                        "function {name} failed to become active: {}",
                        config.state_reason().unwrap_or("(no reason given)")
                    ))),
                    Some(other) => {
                        last.set(other.as_str());
                        Ok(None)
                    }
                }
            }
        })
        .await?;
        ready.ok_or_else(|| {
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
        let ready = poll(READY_TIMEOUT, || async {
            let config = self.configuration(ctx, name).await?;
            match config.last_update_status() {
                None | Some(LastUpdateStatus::Successful) => Ok(Some(config)),
                Some(LastUpdateStatus::Failed) => Err(ctx.fatal(format!(
                    "the update of function {name} failed: {}",
                    config
                        .last_update_status_reason()
                        .unwrap_or("(no reason given)")
                ))),
                Some(_) => Ok(None),
            }
        })
        .await?;
        ready.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for the update of function {name}",
                READY_TIMEOUT.as_secs() / 60
            ))
        })
    }
}
