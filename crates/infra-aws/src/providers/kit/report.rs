//! What create, find and update report ([`output_of`], [`unchanged`]) and refreshed values in
//! the template's spelling ([`observed`], [`as_written`]).

use serde_json::Value;

use super::observed::managed_keys;
use super::props::scalar_text;
use crate::provider::{ResourceOutput, UpdateInput};

/// What create, find and read report of an object: its id, and its attributes (`Ref` is the
/// id).
pub(crate) fn output_of<const N: usize>(
    id: &str,
    attributes: [(&str, Value); N],
) -> ResourceOutput {
    ResourceOutput {
        physical_id: id.to_owned(),
        attributes: attributes
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    }
}

/// What an update in place reports: the same id and attributes as before.
pub(crate) fn unchanged(input: &UpdateInput) -> ResourceOutput {
    ResourceOutput {
        physical_id: input.physical_id.clone(),
        attributes: input.attributes.clone(),
    }
}

/// `found` as refresh reports it: `previous` itself when the two say the same with every
/// scalar read as text (`"1000"` and `1000`, `"true"` and `true`), so a value written either
/// way never shows as drift.
pub(crate) fn as_written(found: Value, previous: Option<&Value>) -> Value {
    match previous {
        Some(prev) if texts(prev) == texts(&found) => prev.clone(),
        _ => found,
    }
}

/// The managed properties (the keys of `last`, the last applied ones) of `found`, an object
/// of everything refresh saw, each [`as_written`]; a null value is not there.
pub(crate) fn observed(found: Value, last: &Value) -> Value {
    let managed = managed_keys(last);
    let Value::Object(found) = found else {
        return Value::Object(Default::default());
    };
    let kept = found
        .into_iter()
        .filter(|(k, v)| managed.contains(k) && !v.is_null())
        .map(|(k, v)| {
            let v = as_written(without_nulls(v), last.get(&k));
            (k, v)
        });
    Value::Object(kept.collect())
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

fn texts(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(texts).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), texts(v)))
                .collect(),
        ),
        other => scalar_text(other).map_or(Value::Null, Value::String),
    }
}
