//! Reading nested CloudFormation property objects (with the path of every value in messages,
//! and every key either mapped or refused by name), and comparing what refresh observes with the
//! last applied value.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::super::iam::common::{Ctx, scalar_text};
use crate::provider::ProviderError;

/// The keys one object of the template may hold: the mapped ones, and the refused ones with the
/// reason given to the user (properties not supported yet, and attributes written as
/// properties).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) supported: &'static [&'static str],
    /// Properties CloudFormation documents that infra does not support yet.
    pub(crate) unsupported: &'static [(&'static str, &'static str)],
    /// Read-only attributes, which no template can set.
    pub(crate) attributes: &'static [(&'static str, &'static str)],
}

impl Fields {
    pub(crate) const fn new(supported: &'static [&'static str]) -> Self {
        Fields {
            supported,
            unsupported: &[],
            attributes: &[],
        }
    }

    pub(crate) const fn with(
        supported: &'static [&'static str],
        unsupported: &'static [(&'static str, &'static str)],
    ) -> Self {
        Fields {
            supported,
            unsupported,
            attributes: &[],
        }
    }

    /// These fields, refusing `attributes` (read-only ones) with the reason given there.
    pub(crate) const fn and_attributes(
        self,
        attributes: &'static [(&'static str, &'static str)],
    ) -> Self {
        Fields { attributes, ..self }
    }
}

/// One object of the template's properties (the top level or one nested in it), checked against
/// its [`Fields`]. Messages name the full path (`ContainerDefinitions[0].PortMappings[1].HostPort`).
#[derive(Debug, Clone)]
pub(crate) struct Obj<'a> {
    map: Option<&'a Map<String, Value>>,
    path: String,
    ctx: Ctx<'a>,
}

impl<'a> Obj<'a> {
    /// The resource's properties (null = none).
    pub(crate) fn root(
        value: &'a Value,
        ctx: Ctx<'a>,
        fields: Fields,
    ) -> Result<Obj<'a>, ProviderError> {
        Obj::at(value, String::new(), ctx, fields)
    }

    fn at(
        value: &'a Value,
        path: String,
        ctx: Ctx<'a>,
        fields: Fields,
    ) -> Result<Obj<'a>, ProviderError> {
        let map = match value {
            Value::Null => None,
            Value::Object(map) => Some(map),
            other => {
                let what = if path.is_empty() {
                    "properties".to_owned()
                } else {
                    format!("property {path}")
                };
                return Err(ctx.fatal(format!("{what} must be an object, not {}", kind_of(other))));
            }
        };
        for (key, value) in map.into_iter().flatten() {
            if value.is_null() || fields.supported.contains(&key.as_str()) {
                continue;
            }
            let full = join(&path, key);
            let mut refused = fields.unsupported.iter().chain(fields.attributes);
            return Err(match refused.find(|(k, _)| k == key) {
                Some((_, why)) => ctx.fatal(format!("property {full} is not supported: {why}")),
                None => ctx.fatal(format!(
                    "property {full} is not supported by infra for {}",
                    ctx.type_name
                )),
            });
        }
        Ok(Obj { map, path, ctx })
    }

    /// The path of `key` in this object.
    pub(crate) fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// A fatal error about `key` of this object.
    pub(crate) fn fatal(&self, key: &str, message: impl std::fmt::Display) -> ProviderError {
        self.ctx
            .fatal(format!("property {}: {message}", self.path_of(key)))
    }

    /// The raw value of `key` (`None` when absent or null).
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, value: &Value, expected: &str) -> ProviderError {
        self.fatal(key, format!("must be {expected}, not {}", kind_of(value)))
    }

    /// A nested object.
    pub(crate) fn obj(&self, key: &str, fields: Fields) -> Result<Option<Obj<'a>>, ProviderError> {
        self.get(key)
            .map(|v| Obj::at(v, self.path_of(key), self.ctx, fields))
            .transpose()
    }

    /// A list of objects (absent = empty).
    pub(crate) fn objs(&self, key: &str, fields: Fields) -> Result<Vec<Obj<'a>>, ProviderError> {
        Ok(self.opt_objs(key, fields)?.unwrap_or_default())
    }

    /// A list of objects; `None` when absent (an empty list is `Some`).
    pub(crate) fn opt_objs(
        &self,
        key: &str,
        fields: Fields,
    ) -> Result<Option<Vec<Obj<'a>>>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let path = format!("{}[{i}]", self.path_of(key));
                    match item {
                        Value::Object(_) => Obj::at(item, path, self.ctx, fields),
                        other => Err(self.ctx.fatal(format!(
                            "property {path} must be an object, not {}",
                            kind_of(other)
                        ))),
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(self.wrong(key, v, "a list of objects")),
        }
    }

    /// A string (numbers and booleans as their text, as CloudFormation accepts them).
    pub(crate) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        self.get(key)
            .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a string")))
            .transpose()
    }

    /// A string that must be there.
    pub(crate) fn req_str(&self, key: &str) -> Result<String, ProviderError> {
        self.str(key)?.ok_or_else(|| self.fatal(key, "is required"))
    }

    /// An integer (a number or a string of digits: `256` or `"256"`).
    pub(crate) fn i32(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        self.get(key).map(|v| self.int_of(key, v)).transpose()
    }

    /// An integer that must be there.
    pub(crate) fn req_i32(&self, key: &str) -> Result<i32, ProviderError> {
        self.i32(key)?.ok_or_else(|| self.fatal(key, "is required"))
    }

    fn int_of(&self, key: &str, v: &Value) -> Result<i32, ProviderError> {
        let n = match v {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        let n = n.ok_or_else(|| self.wrong(key, v, "an integer"))?;
        i32::try_from(n).map_err(|_| self.fatal(key, format!("{n} is out of range")))
    }

    /// A boolean (`true` / `false`, also as strings).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ProviderError> {
        self.get(key)
            .map(|v| match v {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
                _ => Err(self.wrong(key, v, "a boolean")),
            })
            .transpose()
    }

    /// A list of strings; `None` when absent (an empty list is `Some`).
    pub(crate) fn strs(&self, key: &str) -> Result<Option<Vec<String>>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a list of strings")))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(self.wrong(key, v, "a list of strings")),
        }
    }

    /// A list of integers; `None` when absent.
    pub(crate) fn i32s(&self, key: &str) -> Result<Option<Vec<i32>>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| self.int_of(key, v))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(self.wrong(key, v, "a list of integers")),
        }
    }

    /// A map of strings (`Options`, `DockerLabels`): an object whose values are scalars.
    pub(crate) fn str_map(
        &self,
        key: &str,
    ) -> Result<Option<HashMap<String, String>>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    scalar_text(v).map(|v| (k.clone(), v)).ok_or_else(|| {
                        self.fatal(
                            key,
                            format!("value of {k} must be a string, not {}", kind_of(v)),
                        )
                    })
                })
                .collect::<Result<HashMap<_, _>, _>>()
                .map(Some),
            Some(v) => Err(self.wrong(key, v, "an object of strings")),
        }
    }

    /// `Tags`: a list of `{Key, Value}` objects, in template order.
    pub(crate) fn tags(&self, key: &str) -> Result<Vec<(String, String)>, ProviderError> {
        const TAG: Fields = Fields::new(&["Key", "Value"]);
        self.objs(key, TAG)?
            .iter()
            .map(|t| Ok((t.req_str("Key")?, t.str("Value")?.unwrap_or_default())))
            .collect()
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
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
        (p, o) => match (scalar_text(p), scalar_text(o)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
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

/// Inserts `key: value` into `map` unless `value` is null.
pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    if !value.is_null() {
        map.insert(key.to_owned(), value);
    }
}

/// An optional string as JSON.
pub(crate) fn s(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_owned()))
}

/// A list of strings as JSON (an empty list is null, as absent).
pub(crate) fn ss(values: &[String]) -> Value {
    if values.is_empty() {
        Value::Null
    } else {
        Value::Array(values.iter().cloned().map(Value::String).collect())
    }
}

/// An optional number as JSON.
pub(crate) fn n(value: Option<i32>) -> Value {
    value.map_or(Value::Null, Value::from)
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
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn covers_ignores_defaults_and_number_strings() {
        let prev = json!({"ContainerPort": "80", "Subnets": ["b", "a"]});
        let found = json!({"ContainerPort": 80, "Protocol": "tcp", "Subnets": ["a", "b"]});
        assert!(covers(&prev, &found));
        assert!(!covers(&json!({"ContainerPort": 81}), &found));
        assert!(covers(&json!({"Environment": []}), &json!({})));
        assert!(!covers(&json!({"A": [{"X": 1}]}), &json!({"A": []})));
    }

    #[test]
    fn names_match_arns() {
        assert!(same_name_or_arn(
            "demo",
            "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
        ));
        assert!(!same_name_or_arn(
            "demo",
            "arn:aws:ecs:us-east-1:123456789012:cluster/demo2"
        ));
        assert_eq!(short_name("arn:aws:ecs:r:1:cluster/x"), "x");
    }
}
