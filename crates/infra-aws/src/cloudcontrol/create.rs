//! `create`: one resource made through `CreateResource`, exactly once, whatever is
//! interrupted.
//!
//! 1. The desired state ([`desired_state`]) is sent as canonical JSON with the attempt's
//!    client token ([`create_token`]: the checkpoint key and the attempt number). The
//!    checkpoint is saved before the call (attempt, token, time, hash of the desired state) and
//!    again as soon as the call answers (the request token, the identifier when known), then
//!    when a poll first reveals the identifier.
//! 2. A create called again for the same intent (the engine's retry, a re-run) starts where
//!    the checkpoint says ([`Saved::start`]): it polls the request already made, or sends the
//!    same token again (Cloud Control answers with the first request if it was accepted), or,
//!    after a failed request, goes on with the next attempt and a new token.
//! 3. A request that fails because the handler was throttled or failed on AWS's side
//!    ([`Outcome::Resubmit`]) is marked failed in the checkpoint and the create is submitted
//!    again with the next attempt's token, after a growing pause, up to
//!    [`Timing::attempts`] times; then it gives up with a retryable error.
//! 4. `AlreadyExists`: the resource named by the desired state's identifier is adopted when it
//!    carries this resource's `infra:*` tags (made by an earlier attempt whose answer was
//!    lost); otherwise the create fails, naming it. `NotStabilized`: the resource was made but
//!    did not stabilise; the create fails saying so, and the next run's `find` picks it up
//!    from the checkpoint.

use infra_provider::Checkpoint;

use super::api::{Api, Event, Status};
use super::desired::desired_state;
use super::errors::{Outcome, call_error, has_code};
use super::find::by_identifier;
use super::saved::Saved;
use super::token::{canonical, create_token, now_secs, sha256_hex};
use super::wait::{Timing, backoff, wait};
use super::{Handler, output, resolve};
use crate::provider::{CreateInput, FailureClass, ProviderError, ResourceOutput};
use crate::providers::kit::Ctx;

/// Creates `input`'s resource and waits until it is usable.
pub(crate) async fn create<A: Api>(
    api: &A,
    timing: &Timing,
    input: &CreateInput,
) -> Result<ResourceOutput, ProviderError> {
    let (entry, ctx) = resolve(&input.type_name, &input.address, Handler::Create)?;
    let desired = desired_state(
        entry,
        &input.properties,
        &input.tags,
        input.generated_name.as_deref(),
    );
    let text = canonical(&desired);
    let hash = sha256_hex(&text);
    let checkpoint = &input.checkpoint;
    let last = checkpoint.last().map(|v| Saved::from_value(&v));
    let (mut attempt, mut resume) = Saved::start(last.as_ref(), &hash);
    let mut saved = last.unwrap_or_default();
    let mut tries: u32 = 0;
    loop {
        tries += 1;
        let event = match resume.take() {
            Some(request_token) => match api.status(&request_token).await {
                Ok(mut event) => {
                    event.request_token.get_or_insert(request_token);
                    event.identifier = event.identifier.or(saved.identifier.clone());
                    event
                }
                // Older than Cloud Control keeps requests: send the same token again.
                Err(e) if has_code(&e, "RequestTokenNotFoundException") => {
                    submit(api, ctx, checkpoint, &mut saved, attempt, &text, &hash).await?
                }
                Err(e) => return Err(call_error(ctx, "GetResourceRequestStatus", &e)),
            },
            None => submit(api, ctx, checkpoint, &mut saved, attempt, &text, &hash).await?,
        };
        let event = wait(
            api,
            ctx,
            "CreateResource",
            timing,
            event,
            Some((checkpoint, &mut saved)),
        )
        .await?;
        if event.status == Status::Success {
            let Some(identifier) = event.identifier.clone().or(saved.identifier.clone()) else {
                return Err(ctx.fatal(
                    "Cloud Control CreateResource succeeded without an identifier for the resource",
                ));
            };
            return output(
                api,
                entry,
                ctx,
                &identifier,
                event.resource_model.as_deref(),
            )
            .await;
        }
        let code = failed_code(&event);
        saved.failed = Some(code.clone());
        checkpoint.save(saved.to_value()).await?;
        let failure = event.failure();
        match Outcome::of(event.error_code.as_deref().filter(|_| !cancelled(&event))) {
            Outcome::Resubmit if tries < timing.attempts => {
                backoff(timing, tries).await;
                attempt += 1;
            }
            Outcome::Resubmit => {
                return Err(ctx.error(
                    FailureClass::Retryable,
                    format!(
                        "Cloud Control CreateResource failed {tries} times in a row, last with \
                         {failure}; giving up for now"
                    ),
                ));
            }
            Outcome::AlreadyExists => {
                if let Some(found) = by_identifier(api, entry, ctx, &desired, &input.tags).await? {
                    return Ok(found);
                }
                let named = event
                    .identifier
                    .as_deref()
                    .map(|id| format!(" ({id})"))
                    .unwrap_or_default();
                return Err(ctx.fatal(format!(
                    "Cloud Control CreateResource failed: {failure}: a resource of this type with \
                     the same identifier{named} already exists and is not this one (it does not \
                     carry its infra:* tags); give the resource another name, or delete or \
                     import the existing one"
                )));
            }
            Outcome::NotStabilized => {
                let made = event
                    .identifier
                    .as_deref()
                    .map(|id| format!(" as {id}"))
                    .unwrap_or_default();
                return Err(ctx.fatal(format!(
                    "Cloud Control CreateResource failed: {failure}: the resource may exist{made} \
                     but did not stabilise; the next run finds it from this create's checkpoint"
                )));
            }
            Outcome::NotFound => {
                return Err(ctx.error(
                    FailureClass::EventuallyConsistent,
                    format!(
                        "Cloud Control CreateResource failed: {failure} (something the resource \
                         refers to is not visible yet, or does not exist)"
                    ),
                ));
            }
            Outcome::Fail(class) => {
                return Err(ctx.error(
                    class,
                    format!("Cloud Control CreateResource failed: {failure}"),
                ));
            }
        }
    }
}

/// Sends attempt `attempt`: saves the checkpoint, calls `CreateResource`, saves what it
/// answered.
async fn submit<A: Api>(
    api: &A,
    ctx: Ctx<'_>,
    checkpoint: &Checkpoint,
    saved: &mut Saved,
    attempt: u64,
    text: &str,
    hash: &str,
) -> Result<Event, ProviderError> {
    let token = create_token(checkpoint.key(), attempt);
    *saved = Saved {
        attempt,
        client_token: token.clone(),
        saved_at: Some(now_secs()),
        desired_hash: Some(hash.to_owned()),
        ..Saved::default()
    };
    checkpoint.save(saved.to_value()).await?;
    let event = api
        .create(ctx.type_name, text, token.as_deref())
        .await
        .map_err(|e| call_error(ctx, "CreateResource", &e))?;
    saved.request_token = event.request_token.clone();
    saved.identifier = event.identifier.clone();
    checkpoint.save(saved.to_value()).await?;
    Ok(event)
}

fn cancelled(event: &Event) -> bool {
    matches!(event.status, Status::Cancelled { .. })
}

/// The code a failed (or cancelled) request is marked with in the checkpoint.
fn failed_code(event: &Event) -> String {
    if cancelled(event) {
        "Cancelled".to_owned()
    } else {
        event
            .error_code
            .clone()
            .unwrap_or_else(|| "Failed".to_owned())
    }
}
