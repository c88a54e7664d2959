//! Comparing what AWS reports with what the template wrote, and writing values in the
//! template's shape. (The template's nested objects are read with the kit's
//! [`crate::providers::kit::Props`], which refuses a key infra does not know by its path,
//! `DefaultActions[0].ForwardConfig.Foo`.)
//!
//! [`matches`] decides whether a value AWS returned says what the template wrote: every key
//! the template set must be there with the same value (scalars compared as text), keys AWS adds
//! (defaults such as a redirect's `Port: "#{port}"`, a target group tuple's `Weight: 1`) do not
//! count, and lists must hold the same number of items, matched in any order.

use crate::providers::elbv2::Pairs;
use crate::providers::kit::prelude::*;

/// The settings (key and value) of `after` that are new or differ from `before`.
pub(super) fn changed_pairs<T: Clone + PartialEq>(before: &[T], after: &[T]) -> Vec<T> {
    let new = after.iter().filter(|a| !before.contains(a));
    new.cloned().collect()
}

/// Settings as AWS reports them (`found`), as the template writes them: the keys of the previous
/// list, in its order, each with its current value (the previous item when the value reads the
/// same). Keys AWS no longer reports are left out.
pub(super) fn observed_pairs(found: &Pairs, previous: Option<&Value>) -> Value {
    let items = previous.and_then(Value::as_array).into_iter().flatten();
    let observe = |item: &Value| {
        let key = item.get("Key").and_then(scalar_text)?;
        let now = found.get(&key)?;
        let value = item.get("Value").and_then(scalar_text);
        let same = value.is_some_and(|v| v == *now);
        Some(if same {
            item.clone()
        } else {
            json!({"Key": key, "Value": now})
        })
    };
    Value::Array(items.filter_map(observe).collect())
}

/// Keys never compared: values AWS accepts but never returns (an OIDC client secret, whether
/// to keep the existing one).
const WRITE_ONLY_KEYS: &[&str] = &["ClientSecret", "UseExistingClientSecret"];

/// Whether `observed` (what AWS returned, in the template's shape) says what `previous` (what
/// the template wrote) says; see the module comment.
pub(super) fn matches(previous: &Value, observed: &Value) -> bool {
    match (previous, observed) {
        (Value::Null, _) => true,
        (Value::Object(prev), Value::Object(seen)) => prev.iter().all(|(k, v)| {
            v.is_null()
                || WRITE_ONLY_KEYS.contains(&k.as_str())
                || seen.get(k).is_some_and(|s| matches(v, s))
        }),
        (Value::Array(prev), Value::Array(seen)) => {
            prev.len() == seen.len() && perfect_matching(prev, seen)
        }
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => false,
        (prev, seen) => scalar_text(prev).is_some() && scalar_text(prev) == scalar_text(seen),
    }
}

/// The value to report: the previous one when `observed` says the same, else `observed`.
pub(super) fn observed(observed: Value, previous: Option<&Value>) -> Value {
    match previous {
        Some(prev) if matches(prev, &observed) => prev.clone(),
        _ => observed,
    }
}

/// Whether every item of `prev` matches a distinct item of `seen` (Kuhn's augmenting paths;
/// lists are short).
fn perfect_matching(prev: &[Value], seen: &[Value]) -> bool {
    let fits: Vec<Vec<bool>> = prev
        .iter()
        .map(|p| seen.iter().map(|s| matches(p, s)).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; seen.len()];
    fn augment(
        i: usize,
        fits: &[Vec<bool>],
        owner: &mut [Option<usize>],
        visited: &mut [bool],
    ) -> bool {
        for j in 0..owner.len() {
            if !fits[i][j] || visited[j] {
                continue;
            }
            visited[j] = true;
            let free = match owner[j] {
                None => true,
                Some(other) => augment(other, fits, owner, visited),
            };
            if free {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    (0..prev.len()).all(|i| {
        let mut visited = vec![false; seen.len()];
        augment(i, &fits, &mut owner, &mut visited)
    })
}
