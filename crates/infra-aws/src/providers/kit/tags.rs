//! Tags: merging the template's with infra's own, the changes between two tag sets, whether
//! tags make an entity this resource's ([`owned_by`]), and tags as refresh reports them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::props::scalar_text;

/// The prefix of the tags infra adds to every taggable resource (`infra:stack`,
/// `infra:address`). Refresh leaves them out of `Tags`: they are not the template's.
pub(crate) const INFRA_TAG_PREFIX: &str = "infra:";

/// Template tags and infra's tags together; infra's win on a clash.
pub(crate) fn merge_tags(
    template: &[(String, String)],
    infra: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = template.iter().cloned().collect();
    all.extend(infra.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// What to change to get from the tags `before` to `after`: tags to set and keys to remove.
pub(crate) fn tag_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let set = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (set, remove)
}

/// Whether a resource's tags show that it was made for `infra`'s tags (its `infra:address`
/// and `infra:stack` tags): only then may a create that finds it already there adopt it.
pub(crate) fn owned_by(found: &BTreeMap<String, String>, infra: &BTreeMap<String, String>) -> bool {
    !infra.is_empty() && infra.iter().all(|(k, v)| found.get(k) == Some(v))
}

/// Tags as the template writes them (`[{Key, Value}]`), without infra's own and AWS's
/// reserved ones; in the previous order when the set is unchanged.
pub(crate) fn observed_tags(found: &BTreeMap<String, String>, previous: Option<&Value>) -> Value {
    let kept: BTreeMap<&String, &String> = found
        .iter()
        .filter(|(k, _)| !k.starts_with(INFRA_TAG_PREFIX) && !k.starts_with("aws:"))
        .collect();
    let list = Value::Array(
        kept.iter()
            .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
            .collect(),
    );
    match previous {
        Some(prev) if same_tags(prev, &list) => prev.clone(),
        _ => list,
    }
}

fn tag_set(value: &Value) -> Option<BTreeMap<String, String>> {
    value
        .as_array()?
        .iter()
        .map(|t| Some((scalar_text(t.get("Key")?)?, scalar_text(t.get("Value")?)?)))
        .collect()
}

fn same_tags(a: &Value, b: &Value) -> bool {
    matches!((tag_set(a), tag_set(b)), (Some(a), Some(b)) if a == b)
}

/// `tags` (of any service's own `Tag` type) by key: `pair(tag)` gives a tag's key and value (a
/// tag without a key is left out, one without a value has the empty one).
pub(crate) fn tag_pairs<T>(
    tags: &[T],
    pair: impl Fn(&T) -> (Option<&str>, Option<&str>),
) -> BTreeMap<String, String> {
    let entry = |tag: &T| {
        let (key, value) = pair(tag);
        Some((key?.to_owned(), value.unwrap_or_default().to_owned()))
    };
    tags.iter().filter_map(entry).collect()
}
