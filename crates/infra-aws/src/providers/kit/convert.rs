//! What the generated conversions (`crates/infra-aws/generated/`) are written with: reading a
//! list of objects into SDK structures, enums from text, a required value, a fallible SDK
//! build turned into an error naming the object's path, and writing a reported value when the
//! SDK has one.

use serde_json::{Map, Value};

use super::props::{Keys, Props};
use crate::provider::ProviderError;

/// What a conversion returns.
pub(crate) type R<T> = Result<T, ProviderError>;

/// The list of objects `key`, each checked against `keys` and read by `read`; `None` when
/// absent (an empty list is `Some`).
pub(crate) fn each<T>(
    p: &Props<'_>,
    key: &str,
    keys: Keys,
    read: fn(&Props<'_>) -> R<T>,
) -> R<Option<Vec<T>>> {
    p.opt_objs(key, keys)?
        .map(|items| items.iter().map(read).collect())
        .transpose()
}

/// The object `key`, checked against `keys` and read by `read`.
pub(crate) fn one<T>(
    p: &Props<'_>,
    key: &str,
    keys: Keys,
    read: fn(&Props<'_>) -> R<T>,
) -> R<Option<T>> {
    p.obj(key, keys)?.map(|o| read(&o)).transpose()
}

/// A list of enum values from their text.
pub(crate) fn enums<E: for<'s> From<&'s str>>(values: Option<Vec<String>>) -> Option<Vec<E>> {
    values.map(|v| v.iter().map(|s| E::from(s.as_str())).collect())
}

/// `value`, which must be there.
pub(crate) fn required<T>(p: &Props<'_>, key: &str, value: Option<T>) -> R<T> {
    value.ok_or_else(|| p.missing(key))
}

/// An SDK structure's fallible build, its error naming the object.
pub(crate) fn built<T>(
    p: &Props<'_>,
    built: Result<T, aws_smithy_types::error::operation::BuildError>,
) -> R<T> {
    built.map_err(|e| {
        let at = if p.path().is_empty() {
            "properties"
        } else {
            p.path()
        };
        p.ctx().fatal(format!("property {at}: {e}"))
    })
}

/// `value` under `key`, when the SDK reported one.
pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}
