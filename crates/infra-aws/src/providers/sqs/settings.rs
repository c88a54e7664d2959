//! Settings a messaging service holds as text attributes named like the template's properties
//! (SQS queue attributes, SNS topic and subscription attributes), from one table per type
//! ([`Setting`]): read from a template in their JSON type ([`parse`]), sent as text ([`wire`]),
//! the attributes an update sets ([`changes`]: what changed, the service's default for what a
//! template drops), and read back as the template writes them ([`model`], [`as_template`]).

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::prelude::*;

use crate::providers::kit::as_written;

/// How a setting is written in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An integer (`30` or `"30"`).
    Number,
    /// A boolean (`true` or `"true"`).
    Flag,
    /// Text.
    Text,
    /// A JSON document: an object, or a string holding one.
    Document,
}

/// One setting: its property (and attribute) name, its [`Kind`], the value that restores the
/// service's default when a template drops it, and whether it applies to FIFO queues or
/// topics only.
pub(crate) type Setting = (&'static str, Kind, &'static str, bool);

/// The settings a queue, topic or subscription holds, by attribute name.
pub(crate) type Settings = BTreeMap<String, Value>;

/// The settings of `table` that `p` gives, in their JSON type (documents parsed).
pub(crate) fn parse(p: &Props<'_>, table: &[Setting]) -> Result<Settings, ProviderError> {
    let mut out = BTreeMap::new();
    for &(key, kind, ..) in table {
        let value = match kind {
            Kind::Number => p.i64(key)?.map(Value::from),
            Kind::Flag => p.bool(key)?.map(Value::from),
            Kind::Text => p.str(key)?.map(Value::from),
            Kind::Document => p.document(key)?,
        };
        out.extend(value.map(|v| (key.to_owned(), v)));
    }
    Ok(out)
}

/// A setting as the service takes it: text, a document as compact JSON.
pub(crate) fn wire(value: &Value) -> String {
    match value {
        Value::Object(_) => compact(value),
        other => scalar_text(other).unwrap_or_default(),
    }
}

/// The attributes to set, in `table`'s order then by name, to go from the settings `before` to
/// `after`: the changed ones, and for each one `after` drops its default (empty for one not in
/// `table`), unless it is FIFO-only and the queue or topic is not (`fifo`) or `keep_default`
/// says the service must not get it.
pub(crate) fn changes(
    table: &[Setting],
    before: &Settings,
    after: &Settings,
    fifo: bool,
    keep_default: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let row = |key: &str| table.iter().find(|s| s.0 == key);
    let reset = |key: &str| {
        let (default, fifo_only) = row(key).map_or(("", false), |s| (s.2, s.3));
        ((!fifo_only || fifo) && !keep_default(key)).then(|| default.to_owned())
    };
    let rest = before
        .keys()
        .chain(after.keys())
        .filter(|k| row(k).is_none());
    let keys: std::collections::BTreeSet<&str> = rest.map(String::as_str).collect();
    let ordered = table.iter().map(|s| s.0).chain(keys);
    ordered
        .filter_map(|key| {
            match (before.get(key), after.get(key)) {
                (old, Some(new)) if old.is_none_or(|old| !same(old, new)) => Some(wire(new)),
                (Some(_), None) => reset(key),
                _ => None,
            }
            .map(|value| (key.to_owned(), value))
        })
        .collect()
}

/// The settings of `table` that `attrs` (a service's answer) holds, as a template writes them:
/// numbers, booleans and documents in their JSON type; an empty value is not there.
pub(crate) fn model(table: &[Setting], attrs: &HashMap<String, String>) -> Map<String, Value> {
    let mut out = Map::new();
    for &(key, kind, ..) in table {
        if let Some(text) = attrs.get(key).filter(|t| !t.is_empty()) {
            let value = if kind == Kind::Text {
                json!(text)
            } else {
                typed(text)
            };
            out.insert(key.to_owned(), value);
        }
    }
    out
}

/// Whether two values say the same with every scalar read as text (`5` and `"5"`), documents
/// given as objects or as strings of JSON compared as documents.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    let doc = |v: &Value| kit::parse_document(v).unwrap_or_else(|_| v.clone());
    let (a, b) = (doc(a), doc(b));
    as_written(a, Some(&b)) == b
}

/// `found` (what AWS holds, parsed) as refresh reports it: `previous` itself when the two say
/// the same ([`same`]; a list holding the same items in any order), so a document written as a
/// string is not drift.
pub(crate) fn as_template(found: Value, previous: Option<&Value>) -> Value {
    let same_set = |items: &Vec<Value>, prev: &Vec<Value>| {
        items.len() == prev.len() && items.iter().all(|f| prev.iter().any(|p| same(f, p)))
    };
    match (&found, previous) {
        (_, Some(prev)) if same(&found, prev) => prev.clone(),
        (Value::Array(items), Some(prev @ Value::Array(old))) if same_set(items, old) => {
            prev.clone()
        }
        _ => found,
    }
}

/// Every value of `found` [`as_template`] against the same key of `last` (the properties last
/// applied).
pub(crate) fn in_template_spelling(found: &mut Map<String, Value>, last: &Value) {
    for (key, value) in found.iter_mut() {
        *value = as_template(value.take(), last.get(key));
    }
}

/// A value a service returned as text, in the JSON type a template gives it: a number, a
/// boolean, a document (a JSON object) or the text.
pub(crate) fn typed(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::Object(_))) => v,
        _ => Value::String(text.to_owned()),
    }
}
