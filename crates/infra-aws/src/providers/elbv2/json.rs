//! Reading the nested objects of ELBv2 templates (actions, conditions, subnet mappings, ...)
//! strictly, and comparing what AWS reports with what the template wrote.
//!
//! [`Obj`] checks every key of a nested object against the keys it maps, so a key infra does
//! not know is refused by its path (`DefaultActions[0].ForwardConfig.Foo`), never dropped.
//! Scalars accept what CloudFormation accepts: numbers where strings are expected and strings
//! of digits (`"80"`) or `"true"` where numbers or booleans are.
//!
//! [`matches`] decides whether a value AWS returned says what the template wrote: every key
//! the template set must be there with the same value (scalars compared as text), keys AWS adds
//! (defaults such as a redirect's `Port: "#{port}"`, a target group tuple's `Weight: 1`) do not
//! count, and lists must hold the same number of items, matched in any order.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::super::iam::common::{Ctx, scalar_text};
use crate::provider::ProviderError;

/// A nested object of a template, its keys checked.
#[derive(Debug, Clone)]
pub(super) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
    ctx: Ctx<'a>,
}

impl<'a> Obj<'a> {
    /// `value` must be an object whose every (non-null) key is in `keys`; a key in `refused` is
    /// rejected with the reason given there.
    pub(super) fn new(
        value: &'a Value,
        path: &str,
        ctx: Ctx<'a>,
        keys: &[&str],
        refused: &[(&str, &str)],
    ) -> Result<Self, ProviderError> {
        let Value::Object(map) = value else {
            return Err(ctx.fatal(format!(
                "property {path} must be an object, not {}",
                kind_of(value)
            )));
        };
        for (key, v) in map {
            if v.is_null() || keys.contains(&key.as_str()) {
                continue;
            }
            return Err(match refused.iter().find(|(k, _)| k == key) {
                Some((_, why)) => {
                    ctx.fatal(format!("property {path}.{key} is not supported: {why}"))
                }
                None => ctx.fatal(format!(
                    "property {path} has no key {key} that infra supports (it maps {})",
                    keys.join(", ")
                )),
            });
        }
        Ok(Obj {
            map,
            path: path.to_owned(),
            ctx,
        })
    }

    /// The path of `key` below this object, for messages.
    pub(super) fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The raw value of `key` (`None` when absent or null).
    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A string (numbers and booleans as their text).
    pub(super) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        self.get(key)
            .map(|v| text(v, &self.path(key), self.ctx))
            .transpose()
    }

    /// A string that must be there.
    pub(super) fn required_str(&self, key: &str) -> Result<String, ProviderError> {
        self.str(key)?.ok_or_else(|| {
            self.ctx
                .fatal(format!("property {} is required", self.path(key)))
        })
    }

    /// An integer (a number or a string of digits).
    pub(super) fn i64(&self, key: &str) -> Result<Option<i64>, ProviderError> {
        self.get(key)
            .map(|v| integer(v, &self.path(key), self.ctx))
            .transpose()
    }

    /// An `i32`.
    pub(super) fn i32(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        self.get(key)
            .map(|v| int32(v, &self.path(key), self.ctx))
            .transpose()
    }

    /// A boolean (`true`/`false`, also as strings).
    pub(super) fn bool(&self, key: &str) -> Result<Option<bool>, ProviderError> {
        self.get(key)
            .map(|v| boolean(v, &self.path(key), self.ctx))
            .transpose()
    }

    /// A list of strings.
    pub(super) fn str_list(&self, key: &str) -> Result<Option<Vec<String>>, ProviderError> {
        self.get(key)
            .map(|v| str_list(v, &self.path(key), self.ctx))
            .transpose()
    }

    /// A list of objects (or other values), for the caller to read item by item.
    pub(super) fn list(&self, key: &str) -> Result<Option<&'a Vec<Value>>, ProviderError> {
        self.get(key)
            .map(|v| list(v, &self.path(key), self.ctx))
            .transpose()
    }

    /// A map of strings (`AuthenticationRequestExtraParams`).
    pub(super) fn str_map(
        &self,
        key: &str,
    ) -> Result<Option<HashMap<String, String>>, ProviderError> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let path = self.path(key);
        let Value::Object(map) = value else {
            return Err(self.ctx.fatal(format!(
                "property {path} must be an object of strings, not {}",
                kind_of(value)
            )));
        };
        map.iter()
            .map(|(k, v)| Ok((k.clone(), text(v, &format!("{path}.{k}"), self.ctx)?)))
            .collect::<Result<_, _>>()
            .map(Some)
    }
}

/// The text of a scalar.
pub(super) fn text(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<String, ProviderError> {
    scalar_text(value).ok_or_else(|| wrong(value, path, "a string", ctx))
}

/// An integer: a number or a string of digits.
pub(super) fn integer(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<i64, ProviderError> {
    let n = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.ok_or_else(|| wrong(value, path, "an integer", ctx))
}

/// An `i32`: a number or a string of digits, in range.
pub(super) fn int32(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<i32, ProviderError> {
    let n = integer(value, path, ctx)?;
    i32::try_from(n).map_err(|_| ctx.fatal(format!("property {path}: {n} is out of range")))
}

/// A boolean: `true`/`false`, also as strings.
pub(super) fn boolean(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<bool, ProviderError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(wrong(value, path, "a boolean", ctx)),
    }
}

/// A list.
pub(super) fn list<'v>(
    value: &'v Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<&'v Vec<Value>, ProviderError> {
    value
        .as_array()
        .ok_or_else(|| wrong(value, path, "a list", ctx))
}

/// A list of strings.
pub(super) fn str_list(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<String>, ProviderError> {
    list(value, path, ctx)?
        .iter()
        .enumerate()
        .map(|(i, v)| text(v, &format!("{path}[{i}]"), ctx))
        .collect()
}

/// One of an enumeration's `values` (as the SDK lists them), converted.
pub(super) fn one_of<E: for<'s> From<&'s str>>(
    value: &str,
    values: &[&str],
    path: &str,
    ctx: Ctx<'_>,
) -> Result<E, ProviderError> {
    if values.contains(&value) {
        Ok(E::from(value))
    } else {
        Err(ctx.fatal(format!(
            "property {path}: {value:?} is not one of {}",
            values.join(", ")
        )))
    }
}

/// A `[{Key, Value}]` list of settings (load balancer, target group and listener attributes),
/// values as text (`0` and `"0"` alike). Absent = empty; a key given twice is refused.
pub(super) fn key_values(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<(String, String)>, ProviderError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, item) in list(value, path, ctx)?.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let obj = Obj::new(item, &item_path, ctx, &["Key", "Value"], &[])?;
        let key = obj.required_str("Key")?;
        let value = obj.required_str("Value")?;
        if pairs.iter().any(|(k, _)| *k == key) {
            return Err(ctx.fatal(format!("property {path} sets {key} twice")));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// The settings of `after` that are new or differ from `before`.
pub(super) fn changed_pairs(
    before: &[(String, String)],
    after: &[(String, String)],
) -> Vec<(String, String)> {
    after
        .iter()
        .filter(|(k, v)| !before.iter().any(|(bk, bv)| bk == k && bv == v))
        .cloned()
        .collect()
}

/// Settings as AWS reports them (`found`), as the template writes them: the keys of the previous
/// list, in its order, each with its current value (the previous item when the value reads the
/// same). Keys AWS no longer reports are left out.
pub(super) fn observed_pairs(found: &HashMap<String, String>, previous: Option<&Value>) -> Value {
    let items = previous
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Vec::new();
    for item in items {
        let Some(key) = item.get("Key").and_then(scalar_text) else {
            continue;
        };
        let Some(now) = found.get(&key) else {
            continue;
        };
        let same = item
            .get("Value")
            .and_then(scalar_text)
            .is_some_and(|v| v == *now);
        if same {
            out.push(item.clone());
        } else {
            out.push(serde_json::json!({"Key": key, "Value": now}));
        }
    }
    Value::Array(out)
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

/// A JSON object of the present (`Some`) values only.
pub(super) fn object(entries: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
            .collect(),
    )
}

/// A string value.
pub(super) fn s(value: Option<&str>) -> Option<Value> {
    value.map(|v| Value::String(v.to_owned()))
}

/// A list of strings (absent when empty).
pub(super) fn strings(values: &[String]) -> Option<Value> {
    (!values.is_empty()).then(|| Value::Array(values.iter().cloned().map(Value::String).collect()))
}

fn wrong(value: &Value, path: &str, expected: &str, ctx: Ctx<'_>) -> ProviderError {
    ctx.fatal(format!(
        "property {path} must be {expected}, not {}",
        kind_of(value)
    ))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
