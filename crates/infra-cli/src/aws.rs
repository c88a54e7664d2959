//! The AWS side of a command: configuration from flags and the standard chain, the plan-time
//! lookups (account, availability zones, SSM parameters) fetched in one batch, and refresh
//! (one batched read per resource type, all types concurrently).

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use infra_aws::provider::{Providers, ReadInput};
use infra_aws::{AwsSettings, Prefetched, Wanted};
use infra_plan::plan::Observed;
use infra_state::State;

use crate::cli::AwsArgs;

/// A single-threaded runtime: the CLI's AWS work is I/O-bound.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

pub fn settings(region: Option<&str>, a: &AwsArgs) -> AwsSettings {
    AwsSettings {
        region: region.map(str::to_string),
        profile: a.profile.clone(),
        endpoint_url: a.endpoint_url.clone(),
    }
}

/// The AWS configuration for a command.
pub async fn config(region: Option<&str>, a: &AwsArgs) -> anyhow::Result<SdkConfig> {
    Ok(infra_aws::load_config(&settings(region, a)).await?)
}

/// Resolves what the template needs from AWS (the account id always). Lookups only read, so
/// a throttled or failing one (after the SDK's own retries) is tried again with backoff,
/// within the engine's transient budget.
pub async fn prefetch(config: &SdkConfig, mut wanted: Wanted) -> anyhow::Result<Prefetched> {
    wanted.account_id = true;
    let policy = infra_engine::RetryPolicy::standard();
    let deadline = tokio::time::Instant::now() + policy.transient;
    let mut delay = policy.first_delay;
    loop {
        match infra_aws::prefetch(config, &wanted).await {
            Err(e) if e.is_transient() && tokio::time::Instant::now() + delay < deadline => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(policy.max_delay);
            }
            result => return Ok(result?),
        }
    }
}

/// What AWS reports now for every resource in the state whose type has a provider.
pub async fn refresh(providers: &Providers, state: &State) -> anyhow::Result<Observed> {
    let mut by_type: BTreeMap<&str, Vec<ReadInput>> = BTreeMap::new();
    for (address, r) in &state.resources {
        if providers.get(&r.resource_type).is_some() {
            by_type
                .entry(r.resource_type.as_str())
                .or_default()
                .push(ReadInput {
                    address: address.clone(),
                    physical_id: r.physical_id.clone(),
                    properties: r.properties.clone(),
                    attributes: r.attributes.clone(),
                });
        }
    }
    let reads = by_type.iter().filter_map(|(t, items)| {
        let p = providers.get(t)?;
        // A read is retried while throttled or failing (after the SDK's own retries).
        let policy = infra_engine::RetryPolicy::standard();
        Some(async move {
            let read = infra_engine::retry_reads(&policy, || p.read(items)).await;
            (t, read)
        })
    });
    let mut observed = Observed::default();
    for (t, result) in futures_join_all(reads).await {
        let found = result.map_err(|e| anyhow::anyhow!("refreshing {t}: {e}"))?;
        for (address, o) in found {
            let value = match o {
                infra_aws::provider::Observation::Gone => None,
                infra_aws::provider::Observation::Present { properties, .. } => Some(properties),
            };
            observed.resources.insert(address, value);
        }
    }
    Ok(observed)
}

/// Runs futures concurrently on the current task and returns their results in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futs: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in futs.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => *slot = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
