//! Comparing property values ([`same_value`], [`changed`]) for the compute providers (their
//! properties are read with the kit's [`crate::providers::kit::Props`]).

use crate::providers::kit::prelude::*;

/// Whether two property values say the same: scalars by their text (`"1"` and `1`), lists
/// and objects item by item; absent and null are the same.
pub(crate) fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    match (a, b) {
        (None, None) => true,
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(Some(x), Some(y)))
        }
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys = x
                .iter()
                .chain(y.iter())
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k);
            keys.into_iter().all(|k| same_value(x.get(k), y.get(k)))
        }
        (Some(x), Some(y)) => match (scalar_text(x), scalar_text(y)) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        _ => false,
    }
}

/// Whether property `key` differs between two property objects.
pub(crate) fn changed(before: &Value, after: &Value, key: &str) -> bool {
    !same_value(before.get(key), after.get(key))
}

#[cfg(test)]
mod tests;
