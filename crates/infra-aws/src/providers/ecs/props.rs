//! What the ECS providers add to the kit's property reader ([`Props`]): a resource's
//! [`Spec`], ECS's tags, comparing what refresh observes with the last applied value, and
//! writing values in the template's shape.

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::Tag;

/// A resource as the template describes it: its create request (every property but `Tags`
/// set, built on the client's call, sending nothing), its `Tags`, and the properties themselves
/// (an update sends those that changed).
#[derive(Debug, Clone)]
pub(crate) struct Spec<B> {
    pub(crate) request: B,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) props: Value,
}

/// The template's properties (null = none) checked against `keys`, the request read by `read`.
pub(crate) fn spec<B>(
    value: &Value,
    ctx: Ctx<'_>,
    keys: Keys,
    read: impl FnOnce(&Props<'_>) -> Result<B, ProviderError>,
) -> Result<Spec<B>, ProviderError> {
    let p = Props::root(value, ctx, keys)?;
    let request = read(&p)?;
    let (tags, props) = (tags(&p, "Tags")?, value.clone());
    Ok(Spec {
        request,
        tags,
        props,
    })
}

/// ECS `Tags`: a list of `{Key, Value}` objects, in template order (`Value` may be left out,
/// as ECS allows).
pub(crate) fn tags(obj: &Props<'_>, key: &str) -> Result<Vec<(String, String)>, ProviderError> {
    const TAG: Keys = Keys::new(&["Key", "Value"]);
    let tag = |t: &Props<'_>| Ok((t.required_str("Key")?, t.str("Value")?.unwrap_or_default()));
    obj.objs(key, TAG)?.iter().map(tag).collect()
}

/// Whether `observed` (rendered from the API in the template's shape) says what `previous` (the
/// last applied value) says: every key `previous` sets has the same value in `observed` (numbers
/// and their strings compare equal; lists of scalars compare as sets), while keys only
/// `observed` has are values AWS filled in (defaults), not drift.
pub(crate) fn covers(previous: &Value, observed: &Value) -> bool {
    match (previous, observed) {
        (Value::Null, _) => true,
        (Value::Object(p), Value::Object(o)) => p
            .iter()
            .all(|(k, pv)| covers(pv, o.get(k).unwrap_or(&Value::Null))),
        (Value::Object(p), Value::Null) => p.values().all(Value::is_null),
        (Value::Array(p), Value::Null) => p.is_empty(),
        (Value::Array(p), Value::Array(o)) => {
            if p.len() != o.len() {
                return false;
            }
            if p.iter().zip(o).all(|(a, b)| covers(a, b)) {
                return true;
            }
            // Lists of scalars (subnets, security groups) compare as sets.
            let texts = |items: &[Value]| -> Option<Vec<String>> {
                let mut t: Vec<String> = items.iter().map(scalar_text).collect::<Option<_>>()?;
                t.sort();
                Some(t)
            };
            matches!((texts(p), texts(o)), (Some(a), Some(b)) if a == b)
        }
        (p, o) => scalar_text(p).is_some_and(|a| Some(a) == scalar_text(o)),
    }
}

/// Whether property `key` says something else in `after` than in `before` (the template's
/// properties; neither [`covers`] the other), for an update that sends what changed.
pub(crate) fn changed(before: &Value, after: &Value, key: &str) -> bool {
    let (b, a) = (before.get(key), after.get(key));
    let (b, a) = (b.unwrap_or(&Value::Null), a.unwrap_or(&Value::Null));
    !(covers(b, a) && covers(a, b))
}

/// The observed value as refresh reports it: the previous value itself when the observed one
/// [`covers`] it (so defaults AWS fills in and `"256"` vs `256` never show as drift), else the
/// observed value.
pub(crate) fn observed(found: Value, previous: Option<&Value>) -> Value {
    match previous {
        Some(prev) if covers(prev, &found) => prev.clone(),
        _ => found,
    }
}

/// What refresh reports of a resource: its managed properties (the keys of the last applied
/// ones) out of `found` (what ECS holds, in the template's spelling: the generated report), each
/// [`observed`] against its last applied value; `Tags` read from `tags`, and the write-only keys
/// `as_applied` as last applied.
pub(crate) fn observe(found: &Value, item: &ReadInput, tags: &[Tag], as_applied: &[&str]) -> Value {
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut out = Map::new();
    for key in managed_keys(&item.properties) {
        let value = match key.as_str() {
            "Tags" => observed_tags(&super::tag_map(tags), prev(&key)),
            k if as_applied.contains(&k) => prev(k).cloned().unwrap_or(Value::Null),
            k => observed(found.get(k).cloned().unwrap_or(Value::Null), prev(k)),
        };
        if !value.is_null() {
            out.insert(key, value);
        }
    }
    Value::Object(out)
}

/// The ARNs `found` (a resource in the template's spelling) holds at `paths` (JSON pointers)
/// reported as the names the template (`item`'s last applied properties) gave there, when they
/// name the same ([`same_name_or_arn`]).
pub(crate) fn names_as_given(found: &mut Value, item: &ReadInput, paths: &[&str]) {
    for path in paths {
        let given = item.properties.pointer(path).and_then(Value::as_str);
        let seen = found.pointer_mut(path);
        if let (Some(given), Some(seen)) = (given, seen)
            && seen
                .as_str()
                .is_some_and(|arn| same_name_or_arn(given, arn))
        {
            *seen = json!(given);
        }
    }
}

/// Whether `found` names the same thing as `given` (a name or an ARN): equal, or an ARN ending
/// in `/given` (`arn:...:cluster/demo` for `demo`), or `given` an ARN ending in `/found`.
pub(crate) fn same_name_or_arn(given: &str, found: &str) -> bool {
    given == found
        || (found.starts_with("arn:") && found.ends_with(&format!("/{given}")))
        || (given.starts_with("arn:") && given.ends_with(&format!("/{found}")))
}

/// The last part of an ARN's resource (`arn:...:cluster/demo` -> `demo`); the text itself when
/// it is no ARN.
pub(crate) fn short_name(name_or_arn: &str) -> &str {
    if name_or_arn.starts_with("arn:") {
        name_or_arn.rsplit('/').next().unwrap_or(name_or_arn)
    } else {
        name_or_arn
    }
}

#[cfg(test)]
mod tests;
