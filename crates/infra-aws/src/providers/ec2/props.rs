//! Reading template properties and writing observed ones back in the template's vocabulary.
//!
//! Every provider reads its properties with [`kit::Props`], checked against the keys generated
//! from the schema (`generated/ec2/`; the refused ones in `mappings/ec2.toml`), so no property
//! is ever silently dropped. Values are read leniently, the way CloudFormation reads them: `80`
//! and `"80"` are the same integer, `true` and `"true"` the same boolean; `null` is the same as
//! absent.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;

/// Properties recorded earlier (the ones last applied, which were checked when they were
/// applied), read without checking their keys again.
pub(crate) fn unchecked<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    let keys: Vec<&str> = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    Props::root(value, ctx, Keys::new(&keys))
}

/// Properties as refresh reports them: for every key of `last` (what infra manages, as last
/// applied), the value `observed` holds; keys the API never reports (`write_only`: IPAM pool
/// ids, names of source groups, ...) keep their last applied value. A managed key that AWS no
/// longer reports is left out, which the diff shows as a change.
pub(crate) fn report(observed: Map<String, Value>, last: &Value, write_only: &[&str]) -> Value {
    let mut out = Map::new();
    let Some(last) = last.as_object() else {
        return Value::Object(out);
    };
    let mut observed = observed;
    for (key, value) in last {
        if value.is_null() {
            continue;
        }
        if write_only.contains(&key.as_str()) {
            out.insert(key.clone(), value.clone());
        } else if let Some(seen) = observed.remove(key) {
            out.insert(key.clone(), seen);
        }
    }
    Value::Object(out)
}

/// What a read reports of each `(item, what was found for it)` pair: gone when `observe` gives
/// nothing, else its properties ([`report`]ed, `write_only` ones kept as last applied) and
/// attributes.
pub(crate) fn observations<'i, T>(
    items: impl IntoIterator<Item = (&'i ReadInput, T)>,
    write_only: &[&str],
    mut observe: impl FnMut(&ReadInput, T) -> Option<(Map<String, Value>, Attributes)>,
) -> BTreeMap<String, Observation> {
    items
        .into_iter()
        .map(|(item, found)| {
            let observation = match observe(item, found) {
                None => Observation::Gone,
                Some((properties, attributes)) => Observation::Present {
                    properties: report(properties, &item.properties, write_only),
                    attributes,
                },
            };
            (item.address.clone(), observation)
        })
        .collect()
}

/// [`observations`] of `items`, each found by `observe` itself.
pub(crate) fn observe_each(
    items: &[ReadInput],
    write_only: &[&str],
    mut observe: impl FnMut(&ReadInput) -> Option<(Map<String, Value>, Attributes)>,
) -> BTreeMap<String, Observation> {
    observations(items.iter().map(|i| (i, ())), write_only, |item, ()| {
        observe(item)
    })
}

/// The properties of a report generated from the schema (`generated/ec2.rs`: an object).
pub(crate) fn fields(report: Value) -> Map<String, Value> {
    match report {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Whether a CIDR block association in `state` (of a VPC or subnet) counts: not one on its way
/// out, or that failed.
pub(crate) fn live_block(state: Option<&str>) -> bool {
    !matches!(
        state,
        Some("disassociating" | "disassociated" | "failing" | "failed")
    )
}

/// The `Fn::GetAtt` attributes of a resource.
pub(crate) type Attributes = BTreeMap<String, Value>;

/// Inserts `value` under `key` when it is `Some`.
pub(crate) fn put<T: Into<Value>>(map: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value.into());
    }
}

#[cfg(test)]
#[path = "tests/props.rs"]
mod tests;
