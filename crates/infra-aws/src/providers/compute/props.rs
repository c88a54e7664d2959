//! Comparing property values ([`same_value`], [`changed`]) for the compute providers (their
//! properties are read with the kit's [`crate::providers::kit::Props`]).

use crate::providers::kit::prelude::*;

/// Whether two property values say the same: scalars by their text (`"1"` and `1`), lists
/// and objects item by item; absent and null are the same (the kit's [`kit::as_written`]).
pub(crate) fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (a.unwrap_or(&Value::Null), b.unwrap_or(&Value::Null));
    kit::as_written(b.clone(), Some(a)) == *a
}

/// Whether property `key` differs between two property objects.
pub(crate) fn changed(before: &Value, after: &Value, key: &str) -> bool {
    !same_value(before.get(key), after.get(key))
}

#[cfg(test)]
mod tests;
