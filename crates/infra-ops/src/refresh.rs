//! Refresh: what AWS reports now for every resource of a state (one batched read per resource
//! type, every type concurrently on the current task, each read retried while throttled), and
//! how `infra refresh` records it in the state ([`reconcile`]).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use infra_engine::provider_on;
use infra_plan::plan::Observed;
use infra_provider::{Observation, ProviderError, Providers, ReadInput};
use infra_state::{ResourcePath, State};

/// A type's batched read failed (after its retries).
#[derive(Debug, thiserror::Error)]
#[error("refreshing {type_name}: {error}")]
pub struct RefreshError {
    /// The resource type.
    pub type_name: String,
    /// What its provider said.
    pub error: ProviderError,
}

/// What AWS reports now for every resource in the state whose type has a provider on the
/// resource's path. Resources of one type on one path are read in one call.
pub async fn refresh(providers: &Providers, state: &State) -> Result<Observed, RefreshError> {
    let mut by_type: BTreeMap<(&str, PathKey), Vec<ReadInput>> = BTreeMap::new();
    for (address, r) in &state.resources {
        if provider_on(providers, &r.resource_type, r.path).is_some() {
            by_type
                .entry((r.resource_type.as_str(), PathKey(r.path)))
                .or_default()
                .push(ReadInput {
                    address: address.clone(),
                    type_name: r.resource_type.clone(),
                    physical_id: r.physical_id.clone(),
                    properties: r.properties.clone(),
                    attributes: r.attributes.clone(),
                });
        }
    }
    let reads = by_type.iter().filter_map(|((t, path), items)| {
        let p = provider_on(providers, t, path.0)?;
        // A read is retried while throttled or failing (after the SDK's own retries).
        let policy = infra_engine::RetryPolicy::standard();
        Some(async move {
            let read = infra_engine::retry_reads(&policy, || p.read(items)).await;
            (t, read)
        })
    });
    let mut observed = Observed::default();
    for (t, result) in join_all(reads).await {
        let found = result.map_err(|error| RefreshError {
            type_name: (*t).to_owned(),
            error,
        })?;
        for (address, o) in found {
            let value = match o {
                Observation::Gone => None,
                Observation::Present { properties, .. } => Some(properties),
            };
            observed.resources.insert(address, value);
        }
    }
    Ok(observed)
}

/// A path as a map key (ordered native first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PathKey(ResourcePath);

impl Ord for PathKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.as_str().cmp(other.0.as_str()).reverse()
    }
}

impl PartialOrd for PathKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What [`reconcile`] changed in a state.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// Resources deleted outside infra: removed from the state.
    pub gone: Vec<String>,
    /// Resources changed outside infra: the state records what AWS reports.
    pub changed: Vec<String>,
}

impl Reconciled {
    /// True when the state matches what AWS reports (nothing to write).
    pub fn is_empty(&self) -> bool {
        self.gone.is_empty() && self.changed.is_empty()
    }
}

/// Records `observed` in `state`: resources gone outside infra leave it; for the others, the
/// keys infra manages take the values AWS reports. What AWS reports where the state holds a
/// redacted NoEcho value stays redacted (`state.secrets` is set to those values).
pub fn reconcile(state: &mut State, observed: &Observed) -> Reconciled {
    let mut gone = Vec::new();
    let mut changed = Vec::new();
    let mut sensitive = Vec::new();
    for (address, o) in &observed.resources {
        match o {
            None => gone.push(address.clone()),
            Some(props) => {
                if let Some(r) = state.resources.get_mut(address) {
                    // Keep the keys infra manages, with the values AWS reports.
                    if let (serde_json::Value::Object(recorded), serde_json::Value::Object(now)) =
                        (&mut r.properties, props)
                    {
                        for (k, v) in recorded.iter_mut() {
                            if let Some(n) = now.get(k)
                                && !infra_state::redact::same_as_recorded(v, n, &mut sensitive)
                            {
                                *v = n.clone();
                                changed.push(address.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    state.secrets = sensitive;
    for a in &gone {
        state.resources.remove(a);
    }
    changed.dedup();
    Reconciled { gone, changed }
}

/// Runs futures concurrently on the current task and returns their results in order.
async fn join_all<F: Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut futs: Vec<Pin<Box<F>>> = futures.map(Box::pin).collect();
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
