//! Bounded concurrency: how many reads may be in flight at once, [`run_bounded`], which
//! runs tasks under that limit and returns their results in order, and [`read_each`], the
//! `read` of a type whose API has no batch call.

use std::future::Future;

use tokio::task::JoinSet;

use crate::provider::{Observation, ProviderError, ReadInput};
use crate::providers::kit::Reads;

/// How many calls of one read may be in flight at once (per type).
pub(crate) const READ_CONCURRENCY: usize = 8;

/// Runs `tasks` with at most `limit` in flight and returns their results in order; the first
/// error stops the rest.
pub(crate) async fn run_bounded<R, F>(tasks: Vec<F>, limit: usize) -> Result<Vec<R>, ProviderError>
where
    F: Future<Output = Result<R, ProviderError>> + Send + 'static,
    R: Send + 'static,
{
    let total = tasks.len();
    let mut results: Vec<Option<R>> = (0..total).map(|_| None).collect();
    let mut pending = tasks.into_iter().enumerate();
    let mut running = JoinSet::new();
    loop {
        while running.len() < limit.max(1) {
            let Some((i, task)) = pending.next() else {
                break;
            };
            running.spawn(async move { (i, task.await) });
        }
        match running.join_next().await {
            None => break,
            Some(Ok((i, result))) => results[i] = Some(result?),
            Some(Err(join)) => {
                return Err(ProviderError::fatal(format!(
                    "a refresh task failed: {join}"
                )));
            }
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// The `read` of a type read resource by resource: `read_one` for every item, at most
/// [`READ_CONCURRENCY`] at a time, each yielding its address and what it saw.
pub(crate) async fn read_each<F, Fut>(items: &[ReadInput], read_one: F) -> Reads
where
    F: FnMut(&ReadInput) -> Fut,
    Fut: Future<Output = Result<(String, Observation), ProviderError>> + Send + 'static,
{
    let tasks = items.iter().map(read_one).collect();
    Ok(run_bounded(tasks, READ_CONCURRENCY)
        .await?
        .into_iter()
        .collect())
}
