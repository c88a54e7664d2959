//! Waiting for a Cloud Control request to end ([`wait`]) and pausing between attempts
//! ([`backoff`]), both lending the parallelism slot while they sleep ([`crate::slot::pause`]).
//!
//! [`Timing`] holds how long: polls honour the event's `RetryAfter`, kept between 0.2 s and
//! 10 s (without one, 0.2 s doubling to 10 s), for at most 2 hours in all (Cloud Control's
//! handlers time out well before; a longer wait is AWS stuck, worth a later try); a request
//! resubmitted after a transient failure waits 0.5 s, doubling to 30 s, and an operation is
//! given up (retryably) after [`Timing::attempts`] requests.

use std::time::{Duration, SystemTime};

use super::api::{Api, Event};
use super::errors::{call_class, call_error};
use super::saved::Saved;
use infra_provider::Checkpoint;

use crate::provider::{FailureClass, ProviderError};
use crate::providers::kit::Ctx;

/// How long the provider waits, polls and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timing {
    /// The shortest pause between polls (and the first without `RetryAfter`).
    pub(crate) min_poll: Duration,
    /// The longest pause between polls.
    pub(crate) max_poll: Duration,
    /// How long a request may stay in progress.
    pub(crate) total: Duration,
    /// The pause before the first resubmission; it doubles.
    pub(crate) first_backoff: Duration,
    /// The longest pause before a resubmission.
    pub(crate) max_backoff: Duration,
    /// How many requests one operation makes before it gives up.
    pub(crate) attempts: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            min_poll: Duration::from_millis(200),
            max_poll: Duration::from_secs(10),
            total: Duration::from_secs(2 * 3600),
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            attempts: 8,
        }
    }
}

/// Where `wait` saves an identifier the polls reveal: a create's checkpoint and its data.
pub(crate) type SaveTo<'s> = Option<(&'s Checkpoint, &'s mut Saved)>;

/// Polls the request of `first` (the answer of the call that made it) until it ends, and
/// returns its last event (with the identifier an earlier event gave, if the last has none).
/// The first time a poll reveals the identifier, it is saved to `save_to`. A poll refused
/// retryably (throttled, 5xx) counts as still in progress.
pub(crate) async fn wait<A: Api>(
    api: &A,
    ctx: Ctx<'_>,
    operation: &str,
    timing: &Timing,
    first: Event,
    mut save_to: SaveTo<'_>,
) -> Result<Event, ProviderError> {
    let Some(token) = first.request_token.clone() else {
        if first.is_final() {
            return Ok(first);
        }
        return Err(ctx.fatal(format!(
            "Cloud Control {operation} answered without a request token"
        )));
    };
    let deadline = tokio::time::Instant::now() + timing.total;
    let mut event = first;
    let mut pause = timing.min_poll;
    while !event.is_final() {
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Err(ctx.error(
                FailureClass::Retryable,
                format!(
                    "Cloud Control {operation} still in progress after {} minutes (request {token})",
                    timing.total.as_secs() / 60
                ),
            ));
        }
        let asked = event.retry_after.map(|at| {
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        });
        let sleep = asked
            .unwrap_or(pause)
            .clamp(timing.min_poll, timing.max_poll)
            .min(deadline - now);
        crate::slot::pause(sleep).await;
        pause = (pause * 2).min(timing.max_poll);
        match api.status(&token).await {
            Ok(mut next) => {
                if next.identifier.is_none() {
                    next.identifier = event.identifier.take();
                } else if event.identifier.is_none()
                    && let Some((checkpoint, saved)) = save_to.as_mut()
                {
                    saved.identifier = next.identifier.clone();
                    checkpoint.save(saved.to_value()).await?;
                }
                if next.request_token.is_none() {
                    next.request_token = Some(token.clone());
                }
                event = next;
            }
            Err(e) if call_class(&e) == FailureClass::Retryable => {}
            Err(e) => return Err(call_error(ctx, "GetResourceRequestStatus", &e)),
        }
    }
    Ok(event)
}

/// Pauses before resubmission number `tries` (1 for the first).
pub(crate) async fn backoff(timing: &Timing, tries: u32) {
    let factor = 2u32.saturating_pow(tries.saturating_sub(1).min(16));
    let pause = timing
        .first_backoff
        .saturating_mul(factor)
        .min(timing.max_backoff);
    crate::slot::pause(pause).await;
}
