//! Waiting until a resource reaches a state: poll with exponential backoff (tokio timers),
//! bounded by a timeout, with an error that says what was awaited and what was seen last. A
//! poll that fails with a retryable error (throttling, 5xx, connection) is polled again.

use std::future::Future;
use std::time::Duration;

use crate::providers::kit::prelude::*;

/// The first pause between two polls.
pub(crate) const FIRST_DELAY: Duration = Duration::from_millis(200);

/// The longest pause between two polls.
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(10);

/// A VPC or subnet becoming `available`, a route or association appearing, a gateway
/// attaching or detaching, something disappearing after its delete.
pub(crate) const SHORT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A NAT gateway becoming `available` (Terraform's provider allows 10 minutes).
pub(crate) const NAT_CREATE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A NAT gateway becoming `deleted` (Terraform's provider allows 30 minutes).
pub(crate) const NAT_DELETE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What one poll saw.
#[derive(Debug)]
pub(crate) enum Poll<T> {
    /// The awaited state, with what the poll read.
    Ready(T),
    /// Not there yet; the state seen (for the timeout message).
    Pending(String),
}

/// Polls `check` until it is ready, fails, or `timeout` has passed. `what` completes "timed
/// out waiting for ...", such as `NAT gateway nat-0a1b to become available`.
pub(crate) async fn until<T, F, Fut>(
    what: &str,
    timeout: Duration,
    mut check: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, ProviderError>>,
{
    let started = tokio::time::Instant::now();
    let mut delay = FIRST_DELAY;
    loop {
        let last = match check().await {
            Ok(Poll::Ready(value)) => return Ok(value),
            Ok(Poll::Pending(state)) => state,
            // Still throttled or failing after the SDK's retries: a poll only reads, so poll
            // again rather than fail the create or delete it waits for.
            Err(err) if err.class == FailureClass::Retryable => err.message,
            Err(err) => return Err(err),
        };
        if started.elapsed() + delay > timeout {
            return Err(ProviderError::fatal(format!(
                "timed out after {} waiting for {what} (last seen: {last})",
                human(timeout)
            )));
        }
        crate::slot::pause(delay).await;
        delay = (delay * 2).min(MAX_DELAY);
    }
}

/// `10m`, `1m30s`, `45s`, `200ms`.
fn human(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 60, secs % 60) {
        (0, 0) => format!("{}ms", d.as_millis()),
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

#[cfg(test)]
#[path = "tests/wait.rs"]
mod tests;
