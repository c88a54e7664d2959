//! Steps the storage, data, logs, monitoring and events providers take alike: bringing an
//! object's tags from one set to another with the service's own untag and tag calls
//! ([`retag`]), tags in a service's own `Tag` shape ([`sdk_tags!`](crate::providers::kit::sdk_tags)),
//! and the `read` of a type read resource by resource whose lookup says "gone" with `None`
//! ([`read_found`]).

use std::collections::BTreeMap;
use std::future::Future;

use super::concurrency::read_each;
use super::provider::Reads;
use crate::provider::{Observation, ProviderError, ReadInput};

/// Brings an object's tags from `before` to `after`: `untag(keys)` with the keys gone, then
/// `tag(tags)` with those added or changed; neither is called when it has nothing to do.
pub(crate) async fn retag<U, T>(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    untag: impl FnOnce(Vec<String>) -> U,
    tag: impl FnOnce(BTreeMap<String, String>) -> T,
) -> Result<(), ProviderError>
where
    U: Future<Output = Result<(), ProviderError>>,
    T: Future<Output = Result<(), ProviderError>>,
{
    let (set, remove) = super::tags::tag_changes(before, after);
    if !remove.is_empty() {
        untag(remove).await?;
    }
    if !set.is_empty() {
        tag(set).await?;
    }
    Ok(())
}

/// `$tags` (a map of key to value) as a list of the service's `$tag` type, whose builder
/// checks that both are set (a failure is fatal for `$ctx`, naming the key).
macro_rules! sdk_tags {
    ($tag:ty, $ctx:expr, $tags:expr) => {
        $tags
            .iter()
            .map(|(k, v)| {
                let tag = <$tag>::builder().key(k).value(v).build();
                tag.map_err(|e| $ctx.fatal(format!("tag {k}: {e}")))
            })
            .collect::<Result<Vec<$tag>, $crate::provider::ProviderError>>()
    };
}
pub(crate) use sdk_tags;

/// The `read` of a type read resource by resource: `observe(this, item)` for every item (on a
/// clone of the provider, `this`), at most [`READ_CONCURRENCY`](super::READ_CONCURRENCY) at a
/// time; `None` is an object that is gone.
pub(crate) async fn read_found<S, F, Fut>(this: &S, items: &[ReadInput], observe: F) -> Reads
where
    S: Clone,
    F: Fn(S, ReadInput) -> Fut,
    Fut: Future<Output = Result<Option<Observation>, ProviderError>> + Send + 'static,
{
    read_each(items, |item| {
        let (address, seen) = (item.address.clone(), observe(this.clone(), item.clone()));
        async move { Ok((address, seen.await?.unwrap_or(Observation::Gone))) }
    })
    .await
}
