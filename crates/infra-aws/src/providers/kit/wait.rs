//! Waiting: [`poll`] until something is there, [`retry_while`] a call fails in a way worth
//! another try ([`retry_eventual`] while IAM's eventual consistency is in the way), and how
//! long that may take ([`PROPAGATION_TIMEOUT`]).

use std::future::Future;
use std::time::{Duration, Instant};

use crate::provider::{FailureClass, ProviderError};

/// How long a waiter polls before giving up: IAM changes usually propagate within seconds;
/// Terraform's AWS provider allows two minutes (`propagationTimeout`).
pub(crate) const PROPAGATION_TIMEOUT: Duration = Duration::from_secs(120);

/// The first pause of [`retry_while`] for most calls; it doubles up to 5 s.
pub(crate) const FIRST_PAUSE: Duration = Duration::from_millis(500);

/// Polls `check` until it yields `Some`, with a growing pause (0.5 s doubling to 5 s), for at
/// most `timeout`. `None` when time ran out. A poll that fails with a retryable error
/// (throttling, 5xx, connection, after the SDK's own retries) counts as not there yet; the
/// last poll's error is returned.
pub(crate) async fn poll<T, F, Fut>(
    timeout: Duration,
    mut check: F,
) -> Result<Option<T>, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(500);
    loop {
        let retryable = match check().await {
            Ok(Some(found)) => return Ok(Some(found)),
            Ok(None) => None,
            Err(e) if e.class == FailureClass::Retryable => Some(e),
            Err(e) => return Err(e),
        };
        let now = Instant::now();
        if now >= deadline {
            return retryable.map_or(Ok(None), Err);
        }
        crate::slot::pause(pause.min(deadline - now)).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// Runs `op` again while it fails as [`FailureClass::EventuallyConsistent`], with a growing
/// pause, for at most [`PROPAGATION_TIMEOUT`]; then returns its last result. Used for the steps
/// of a create that follow the creating call itself (attach a policy to the role just made):
/// the engine's own retry would call `create` again, which finds the name taken.
pub(crate) async fn retry_eventual<T, F, Fut>(op: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    retry_while(
        &[FailureClass::EventuallyConsistent],
        PROPAGATION_TIMEOUT,
        FIRST_PAUSE,
        op,
    )
    .await
}

/// Runs `op` again while it fails with one of `classes`, lending the slot during a pause that
/// starts at `first_pause` and doubles up to 5 s, for at most `timeout`; then returns its last
/// result.
pub(crate) async fn retry_while<T, F, Fut>(
    classes: &[FailureClass],
    timeout: Duration,
    first_pause: Duration,
    mut op: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let deadline = Instant::now() + timeout;
    let mut pause = first_pause;
    loop {
        match op().await {
            Err(e) if classes.contains(&e.class) && Instant::now() + pause < deadline => {
                crate::slot::pause(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}
