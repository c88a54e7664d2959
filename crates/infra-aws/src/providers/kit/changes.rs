//! Bringing a string map AWS holds (tags, attributes) from `before` to `after` in two calls:
//! the keys that went removed first, then the entries new or changed set ([`map_changes`]).

use std::collections::BTreeMap;
use std::future::Future;

use super::tags::tag_changes;
use crate::provider::ProviderError;

/// `remove(keys)` when some keys of `before` are not in `after`, then `set(entries)` when
/// some entries of `after` are new or changed; nothing when the two are the same.
pub(crate) async fn map_changes<A, B, RF, SF>(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    remove: impl FnOnce(Vec<String>) -> RF,
    set: impl FnOnce(BTreeMap<String, String>) -> SF,
) -> Result<(), ProviderError>
where
    RF: Future<Output = Result<A, ProviderError>>,
    SF: Future<Output = Result<B, ProviderError>>,
{
    let (changed, gone) = tag_changes(before, after);
    if !gone.is_empty() {
        remove(gone).await?;
    }
    if !changed.is_empty() {
        set(changed).await?;
    }
    Ok(())
}
