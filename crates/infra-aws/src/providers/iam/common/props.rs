//! Reading template properties: [`Props`] checks a resource's properties against the ones a
//! provider maps and reads them as strings, numbers, lists, documents and tags.

use serde_json::{Map, Value};

use super::context::Ctx;
use super::documents::parse_document;
use crate::provider::ProviderError;

/// A resource's template properties, checked against the ones a provider maps.
#[derive(Debug)]
pub(crate) struct Props<'a> {
    map: Option<&'a Map<String, Value>>,
    ctx: Ctx<'a>,
}

impl<'a> Props<'a> {
    /// Checks that `value` is an object whose every key is in `supported`; a key in
    /// `unsupported` is refused with the reason given there, any other with a generic one.
    pub(crate) fn new(
        value: &'a Value,
        ctx: Ctx<'a>,
        supported: &[&str],
        unsupported: &[(&str, &str)],
    ) -> Result<Self, ProviderError> {
        let map = match value {
            Value::Null => None,
            Value::Object(map) => Some(map),
            other => {
                return Err(ctx.fatal(format!(
                    "properties must be an object, not {}",
                    kind_of(other)
                )));
            }
        };
        for (key, value) in map.into_iter().flatten() {
            if value.is_null() || supported.contains(&key.as_str()) {
                continue;
            }
            return Err(match unsupported.iter().find(|(k, _)| k == key) {
                Some((_, why)) => ctx.fatal(format!("property {key} is not supported: {why}")),
                None => ctx.fatal(format!(
                    "property {key} is not supported by infra for {}",
                    ctx.type_name
                )),
            });
        }
        Ok(Props { map, ctx })
    }

    /// The raw value of `key` (`None` when absent or null).
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// A string property. Numbers and booleans are accepted as their text, as CloudFormation
    /// does for string properties.
    pub(crate) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        self.get(key)
            .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a string")))
            .transpose()
    }

    /// An integer property (a number or a string of digits).
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ProviderError> {
        self.get(key)
            .map(|v| {
                let n = match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                n.ok_or_else(|| self.wrong(key, v, "an integer"))
            })
            .transpose()
    }

    /// An `i32` property.
    pub(crate) fn i32(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        self.int(key)?
            .map(|n| {
                i32::try_from(n).map_err(|_| {
                    self.ctx
                        .fatal(format!("property {key}: {n} is out of range"))
                })
            })
            .transpose()
    }

    /// A boolean property (`true`/`false`, also as strings).
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

    /// A list of strings (absent = empty).
    pub(crate) fn str_list(&self, key: &str) -> Result<Vec<String>, ProviderError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a list of strings")))
                .collect(),
            Some(v) => Err(self.wrong(key, v, "a list of strings")),
        }
    }

    /// A JSON document property (an IAM policy, a data protection policy), given as an object
    /// or as a string holding JSON; returned parsed.
    pub(crate) fn document(&self, key: &str) -> Result<Option<Value>, ProviderError> {
        self.get(key)
            .map(|v| {
                parse_document(v).map_err(|why| self.ctx.fatal(format!("property {key}: {why}")))
            })
            .transpose()
    }

    /// `Tags`: a list of `{Key, Value}` objects, in template order.
    pub(crate) fn tags(&self, key: &str) -> Result<Vec<(String, String)>, ProviderError> {
        let Some(value) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = value else {
            return Err(self.wrong(key, value, "a list of {Key, Value} objects"));
        };
        let mut tags = Vec::with_capacity(items.len());
        for item in items {
            let Value::Object(tag) = item else {
                return Err(self.wrong(key, item, "a {Key, Value} object"));
            };
            if let Some(extra) = tag.keys().find(|k| *k != "Key" && *k != "Value") {
                return Err(self
                    .ctx
                    .fatal(format!("property {key}: a tag has no property {extra}")));
            }
            let k = tag.get("Key").and_then(scalar_text);
            let v = tag.get("Value").and_then(scalar_text);
            match (k, v) {
                (Some(k), Some(v)) => tags.push((k, v)),
                _ => {
                    return Err(self.ctx.fatal(format!(
                        "property {key}: every tag needs a string Key and Value"
                    )));
                }
            }
        }
        Ok(tags)
    }

    fn wrong(&self, key: &str, value: &Value, expected: &str) -> ProviderError {
        self.ctx.fatal(format!(
            "property {key} must be {expected}, not {}",
            kind_of(value)
        ))
    }
}

/// The text of a scalar: strings as they are, numbers and booleans as written.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
