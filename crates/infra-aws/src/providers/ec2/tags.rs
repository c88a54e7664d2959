//! Tags: the template's `Tags` plus infra's own (`infra:stack`, `infra:address`), given in the
//! create call (`TagSpecifications`, so there is no untagged window), changed in place with
//! `CreateTags` / `DeleteTags`, and reported without the `aws:` and `infra:` ones.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};

use super::api::{Ec2, call};

/// Tags in order, keys unique.
pub(crate) type TagList = Vec<(String, String)>;

/// The template's `Tags` (`[{Key, Value}]`).
pub(crate) fn template_tags(props: &Props<'_>) -> Result<TagList, ProviderError> {
    let mut out: TagList = Vec::new();
    for tag in props.objs("Tags", Keys::new(&["Key", "Value"]))? {
        let key = tag.required_str("Key")?;
        let value = tag.str("Value")?.unwrap_or_default();
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = value,
            None => out.push((key, value)),
        }
    }
    Ok(out)
}

/// All tags a resource should carry: its template tags, then infra's (which win on the same
/// key).
pub(crate) fn desired(
    props: &Props<'_>,
    infra: &BTreeMap<String, String>,
) -> Result<TagList, ProviderError> {
    let mut tags = template_tags(props)?;
    tags.retain(|(k, _)| !infra.contains_key(k));
    tags.extend(infra.iter().map(|(k, v)| (k.clone(), v.clone())));
    Ok(tags)
}

fn sdk_tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// The `TagSpecifications` of a create: one entry for `resource_type`, or none when there is
/// nothing to tag (EC2 refuses an empty one).
pub(crate) fn spec(resource_type: ResourceType, tags: &TagList) -> Option<Vec<TagSpecification>> {
    (!tags.is_empty()).then(|| {
        vec![
            TagSpecification::builder()
                .resource_type(resource_type)
                .set_tags(Some(tags.iter().map(|(k, v)| sdk_tag(k, v)).collect()))
                .build(),
        ]
    })
}

/// Changes the tags of `resource_id` from `before` to `after`: `DeleteTags` for keys no longer
/// wanted, `CreateTags` for new keys and changed values; nothing when they are equal.
pub(crate) async fn update(
    ec2: &Ec2,
    resource_id: &str,
    doing: &str,
    before: &TagList,
    after: &TagList,
) -> Result<(), ProviderError> {
    let removed: Vec<Tag> = before
        .iter()
        .filter(|(k, _)| !after.iter().any(|(a, _)| a == k))
        .map(|(k, _)| Tag::builder().key(k).build())
        .collect();
    let set: Vec<Tag> = after
        .iter()
        .filter(|pair| !before.contains(pair))
        .map(|(k, v)| sdk_tag(k, v))
        .collect();
    if !set.is_empty() {
        let request = ec2.client.create_tags().resources(resource_id);
        call!(ec2, request.set_tags(Some(set)), doing)?;
    }
    if !removed.is_empty() {
        let request = ec2.client.delete_tags().resources(resource_id);
        call!(ec2, request.set_tags(Some(removed)), doing)?;
    }
    Ok(())
}

/// The tags of a resource as a template writes them (`[{Key, Value}]`), without the system
/// ones, in the order of `last` (the properties last applied) and then by key.
pub(crate) fn observed(tags: &[Tag], last: &Value) -> Value {
    let mut user: BTreeMap<&str, &str> = tags
        .iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or_default())))
        // AWS's (`aws:`) and infra's (`infra:`) are not the template's.
        .filter(|(k, _)| !k.starts_with("aws:") && !k.starts_with("infra:"))
        .collect();
    let mut out = Vec::new();
    let order = last
        .get("Tags")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|t| t.get("Key").and_then(Value::as_str))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    for key in order {
        if let Some(value) = user.remove(key) {
            out.push(json!({"Key": key, "Value": value}));
        }
    }
    out.extend(user.into_iter().map(|(k, v)| json!({"Key": k, "Value": v})));
    Value::Array(out)
}

#[cfg(test)]
#[path = "tests/tags.rs"]
mod tests;
