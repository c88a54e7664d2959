//! The plan-time lookups (account id, availability zones, SSM parameters) with retries: one
//! batched pass ([`infra_aws::prefetch`]) tried again with backoff while AWS throttles or fails,
//! within the engine's transient budget.

use infra_aws::{AwsError, AwsSession, Prefetched, Wanted};

/// Resolves what the template needs from AWS (the account id always). Lookups only read, so
/// a throttled or failing one (after the SDK's own retries) is tried again with backoff,
/// within the engine's transient budget.
pub async fn prefetch(session: &AwsSession, mut wanted: Wanted) -> Result<Prefetched, AwsError> {
    wanted.account_id = true;
    let policy = infra_engine::RetryPolicy::standard();
    let deadline = tokio::time::Instant::now() + policy.transient;
    let mut delay = policy.first_delay;
    loop {
        match infra_aws::prefetch(session, &wanted).await {
            Err(e) if e.is_transient() && tokio::time::Instant::now() + delay < deadline => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(policy.max_delay);
            }
            result => return result,
        }
    }
}
