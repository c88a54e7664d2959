//! Values as refresh reports them: observed lists and scalars kept in the template's own
//! spelling when they say the same, the keys infra manages, and AWS timestamps as text.

use std::collections::BTreeSet;

use serde_json::Value;

use super::props::scalar_text;

/// A list of strings as observed, in the previous order when it holds the same set.
pub(crate) fn observed_set(found: Vec<String>, previous: Option<&Value>) -> Value {
    let found_set: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    let prev_set: Option<BTreeSet<String>> = previous
        .and_then(Value::as_array)
        .and_then(|items| items.iter().map(scalar_text).collect());
    match (previous, prev_set) {
        (Some(prev), Some(set))
            if set.iter().map(String::as_str).collect::<BTreeSet<_>>() == found_set =>
        {
            prev.clone()
        }
        _ => Value::Array(found.into_iter().map(Value::String).collect()),
    }
}

/// A scalar as observed: the previous value when it says the same (`"3600"` and `3600`).
pub(crate) fn observed_scalar(found: Value, previous: Option<&Value>) -> Value {
    match previous {
        Some(prev) if scalar_text(prev).is_some() && scalar_text(prev) == scalar_text(&found) => {
            prev.clone()
        }
        _ => found,
    }
}

/// The keys of the last applied properties: what infra manages and so what refresh reports.
pub(crate) fn managed_keys(properties: &Value) -> BTreeSet<String> {
    properties
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// An AWS timestamp as ISO 8601 text (what `Fn::GetAtt` of a date attribute returns).
pub(crate) fn iso_date(date: &aws_smithy_types::DateTime) -> Value {
    date.fmt(aws_smithy_types::date_time::Format::DateTime)
        .map(Value::String)
        .unwrap_or(Value::Null)
}
