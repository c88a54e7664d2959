//! "Still running" reports while a long operation is under way.

use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};

/// How often an operation that is still running is reported.
pub const STILL_RUNNING_EVERY: Duration = Duration::from_secs(10);

/// Awaits `work`, calling `report(elapsed)` every [`STILL_RUNNING_EVERY`] since `started`
/// until it finishes.
pub(crate) async fn with_progress<F: Future>(
    started: Instant,
    mut report: impl FnMut(Duration),
    work: F,
) -> F::Output {
    let mut work = std::pin::pin!(work);
    let mut ticks = tokio::time::interval_at(started + STILL_RUNNING_EVERY, STILL_RUNNING_EVERY);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            biased;
            output = &mut work => return output,
            _ = ticks.tick() => report(started.elapsed()),
        }
    }
}
