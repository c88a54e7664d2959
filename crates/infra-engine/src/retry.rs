//! Retrying provider calls, by the class of their error.
//!
//! The SDK already retries throttling and 5xx a few times inside each call; what reaches the
//! engine is retried here for longer, each class within its own time budget counted from the
//! call's first failure, with exponential backoff capped at [`RetryPolicy::max_delay`]:
//!
//! - `Retryable` (transient): [`RetryPolicy::transient`].
//! - `EventuallyConsistent` (a role or instance profile not usable yet):
//!   [`RetryPolicy::eventual_consistency`], 2 minutes by default, as Terraform's IAM
//!   propagation timeout.
//! - `DependencyViolation`, on deletes only (something still uses it while dependents drain,
//!   ENIs above all): [`RetryPolicy::dependency_violation`], 5 minutes by default.
//! - `NotFound` and `Fatal`: never retried here; the caller decides (a delete of something
//!   already gone is a success).
//!
//! No new attempt starts once the apply is cancelled; the last error is returned instead. All
//! waiting uses `tokio::time`, so tests run it in paused virtual time. [`retry_reads`] applies
//! the transient budget to calls that change nothing (refresh).

use std::future::Future;
use std::time::Duration;

use infra_provider::{FailureClass, ProviderError};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How long to keep retrying, per error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait before the second attempt; it doubles with every attempt after that.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
    /// Budget for `Retryable` errors.
    pub transient: Duration,
    /// Budget for `EventuallyConsistent` errors.
    pub eventual_consistency: Duration,
    /// Budget for `DependencyViolation` errors of deletes.
    pub dependency_violation: Duration,
}

impl RetryPolicy {
    /// The budgets `infra` uses: 2 minutes for transient errors and IAM propagation, 5 minutes
    /// for dependents to drain before a delete; waits from 1 s doubling up to 15 s.
    pub fn standard() -> RetryPolicy {
        RetryPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15),
            transient: Duration::from_secs(120),
            eventual_consistency: Duration::from_secs(120),
            dependency_violation: Duration::from_secs(300),
        }
    }

    /// How long errors of `class` may be retried; `None` when they are not retried.
    fn budget(&self, class: FailureClass, deleting: bool) -> Option<Duration> {
        match class {
            FailureClass::Retryable => Some(self.transient),
            FailureClass::EventuallyConsistent => Some(self.eventual_consistency),
            FailureClass::DependencyViolation if deleting => Some(self.dependency_violation),
            FailureClass::DependencyViolation | FailureClass::NotFound | FailureClass::Fatal => {
                None
            }
        }
    }
}

/// One call, retried by the policy. `on_retry(attempt, error, delay)` is told before each wait.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    deleting: bool,
    cancel: &CancellationToken,
    mut on_retry: impl FnMut(u32, &ProviderError, Duration),
    mut call: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let mut first_failure: Option<Instant> = None;
    let mut delay = policy.first_delay;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let error = match call().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let Some(budget) = policy.budget(error.class, deleting) else {
            return Err(error);
        };
        let since = *first_failure.get_or_insert_with(Instant::now);
        let spent = since.elapsed();
        if spent + delay > budget {
            return Err(gave_up(error, attempt, spent));
        }
        on_retry(attempt, &error, delay);
        tokio::select! {
            () = infra_provider::slot::pause(delay) => {}
            () = cancel.cancelled() => return Err(not_retried(error)),
        }
        delay = (delay * 2).min(policy.max_delay);
    }
}

/// A call that changes nothing (a refresh read, a lookup), retried by class like any other
/// (a `Retryable` error within [`RetryPolicy::transient`]); never cancelled: retrying a read is always safe, and
/// a plan must not fail because one page was throttled more often than the SDK retries.
pub async fn retry_reads<T, F, Fut>(policy: &RetryPolicy, call: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    with_retries(policy, false, &CancellationToken::new(), |_, _, _| {}, call).await
}

fn gave_up(error: ProviderError, attempts: u32, spent: Duration) -> ProviderError {
    ProviderError {
        class: error.class,
        message: format!(
            "{} (still failing after {attempts} attempts over {}s)",
            error.message,
            spent.as_secs()
        ),
    }
}

fn not_retried(error: ProviderError) -> ProviderError {
    ProviderError {
        class: error.class,
        message: format!("{} (not retried: the apply was cancelled)", error.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(class: FailureClass) -> ProviderError {
        ProviderError {
            class,
            message: "page 2".into(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn reads_are_retried_while_transient_and_not_when_fatal() {
        let policy = RetryPolicy::standard();
        let mut calls = 0;
        let read = retry_reads(&policy, || {
            calls += 1;
            let n = calls;
            async move {
                if n < 4 {
                    Err(failure(FailureClass::Retryable))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(read.expect("read after retries"), 4);

        let mut calls = 0;
        let read: Result<(), _> = retry_reads(&policy, || {
            calls += 1;
            async { Err(failure(FailureClass::Fatal)) }
        })
        .await;
        assert_eq!(calls, 1);
        assert_eq!(read.expect_err("fatal").message, "page 2");

        let started = Instant::now();
        let read: Result<(), _> =
            retry_reads(&policy, || async { Err(failure(FailureClass::Retryable)) }).await;
        assert!(read.is_err());
        assert!(
            started.elapsed() <= policy.transient,
            "{:?}",
            started.elapsed()
        );
    }
}
