//! `update` and `delete` through Cloud Control.
//!
//! **Update**: the patch ([`patch`]) from the desired state before to the desired state after,
//! both with infra's tags merged as at create. A patch that changes nothing (at most write-only
//! properties re-sent unchanged) makes no call: the resource's current output is returned
//! (`GetResource`, for the attributes). Otherwise `UpdateResource` with a client token of this
//! call ([`call_token`]), polled to the end; a transient handler failure submits it again with
//! the next token, as a create does.
//!
//! **Delete**: `DeleteResource` of the identifier, polled; a resource already gone (the
//! synchronous `ResourceNotFoundException` or a request that ends `NotFound`) is success; a
//! transient handler failure submits it again; `ResourceConflict` (something still uses it) is
//! a dependency violation, which the engine retries while dependents drain.

use super::api::{Api, Status};
use super::desired::desired_state;
use super::errors::{Outcome, call_class, call_error};
use super::patch::{changes_anything, patch};
use super::token::{call_token, now_nanos};
use super::wait::{Timing, backoff, wait};
use super::{Handler, output, resolve};
use crate::provider::{DeleteInput, FailureClass, ProviderError, ResourceOutput, UpdateInput};

/// Updates `input`'s resource in place.
pub(crate) async fn update<A: Api>(
    api: &A,
    timing: &Timing,
    input: &UpdateInput,
) -> Result<ResourceOutput, ProviderError> {
    let (entry, ctx) = resolve(&input.type_name, &input.address, Handler::Update)?;
    let identifier = input.physical_id.as_str();
    let before = desired_state(entry, &input.before, &input.tags, None);
    let after = desired_state(entry, &input.after, &input.tags, None);
    if !changes_anything(entry, &before, &after) {
        return output(api, entry, ctx, identifier, None).await;
    }
    let document = serde_json::Value::Array(patch(entry, &before, &after)).to_string();
    let started = now_nanos();
    let mut tries: u32 = 0;
    loop {
        tries += 1;
        let token = call_token("update", identifier, &document, started, u64::from(tries));
        let event = api
            .update(entry.name, identifier, &document, Some(&token))
            .await
            .map_err(|e| call_error(ctx, "UpdateResource", &e))?;
        let event = wait(api, ctx, "UpdateResource", timing, event, None).await?;
        if event.status == Status::Success {
            let now = event.identifier.as_deref().unwrap_or(identifier);
            return output(api, entry, ctx, now, event.resource_model.as_deref()).await;
        }
        let failure = event.failure();
        let code = event
            .error_code
            .as_deref()
            .filter(|_| !matches!(event.status, Status::Cancelled { .. }));
        let (class, why) = match Outcome::of(code) {
            Outcome::Resubmit if tries < timing.attempts => {
                backoff(timing, tries).await;
                continue;
            }
            Outcome::Resubmit => (
                FailureClass::Retryable,
                format!("failed {tries} times in a row, last with {failure}; giving up for now"),
            ),
            Outcome::NotFound => (
                FailureClass::NotFound,
                format!("failed: {failure}: the resource no longer exists"),
            ),
            Outcome::NotStabilized => (
                FailureClass::Fatal,
                format!(
                    "failed: {failure}: the change was made but the resource did not stabilise"
                ),
            ),
            Outcome::AlreadyExists => (FailureClass::Fatal, format!("failed: {failure}")),
            Outcome::Fail(class) => (class, format!("failed: {failure}")),
        };
        return Err(ctx.error(class, format!("Cloud Control UpdateResource {why}")));
    }
}

/// Deletes `input`'s resource (idempotent) and waits until it is gone.
pub(crate) async fn delete<A: Api>(
    api: &A,
    timing: &Timing,
    input: &DeleteInput,
) -> Result<(), ProviderError> {
    let (entry, ctx) = resolve(&input.type_name, &input.address, Handler::Delete)?;
    let identifier = input.physical_id.as_str();
    let started = now_nanos();
    let mut tries: u32 = 0;
    loop {
        tries += 1;
        let token = call_token("delete", identifier, "", started, u64::from(tries));
        let event = match api.delete(entry.name, identifier, Some(&token)).await {
            Ok(event) => event,
            Err(e) if call_class(&e) == FailureClass::NotFound => return Ok(()),
            Err(e) => return Err(call_error(ctx, "DeleteResource", &e)),
        };
        let event = wait(api, ctx, "DeleteResource", timing, event, None).await?;
        if event.status == Status::Success {
            return Ok(());
        }
        let failure = event.failure();
        let code = event
            .error_code
            .as_deref()
            .filter(|_| !matches!(event.status, Status::Cancelled { .. }));
        let (class, why) = match Outcome::of(code) {
            Outcome::NotFound => return Ok(()),
            Outcome::Resubmit if tries < timing.attempts => {
                backoff(timing, tries).await;
                continue;
            }
            Outcome::Resubmit => (
                FailureClass::Retryable,
                format!("failed {tries} times in a row, last with {failure}; giving up for now"),
            ),
            Outcome::NotStabilized => (
                FailureClass::Retryable,
                format!("failed: {failure}: the resource may still be being deleted"),
            ),
            Outcome::AlreadyExists => (FailureClass::Fatal, format!("failed: {failure}")),
            Outcome::Fail(class) => (class, format!("failed: {failure}")),
        };
        return Err(ctx.error(class, format!("Cloud Control DeleteResource {why}")));
    }
}
