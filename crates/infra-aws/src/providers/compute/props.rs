//! Reading the template's nested property objects ([`Node`], with the path of every value in
//! errors) and comparing property values ([`same_value`], [`changed`]) for the compute
//! providers.

use serde_json::{Map, Value};

use crate::provider::ProviderError;
use crate::providers::iam::common::{Ctx, scalar_text};

/// A property object of the template, read with the path of every value in errors
/// (`LaunchTemplateData/BlockDeviceMappings/0/Ebs/VolumeSize`). Keys are checked when the node
/// is made: a key not in `supported` is refused, with the reason `unsupported` gives for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    ctx: Ctx<'a>,
    path: &'a str,
    map: Option<&'a Map<String, Value>>,
}

/// An owned path for nested nodes (nodes borrow it).
pub(crate) fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}/{key}")
    }
}

impl<'a> Node<'a> {
    /// The resource's properties (`path` empty) or a nested object at `path`.
    pub(crate) fn new(
        value: &'a Value,
        ctx: Ctx<'a>,
        path: &'a str,
        supported: &[&str],
        unsupported: &[(&str, &str)],
    ) -> Result<Self, ProviderError> {
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
            if value.is_null() || supported.contains(&key.as_str()) {
                continue;
            }
            let at = child_path(path, key);
            return Err(match unsupported.iter().find(|(k, _)| k == key) {
                Some((_, why)) => ctx.fatal(format!("property {at} is not supported: {why}")),
                None => ctx.fatal(format!(
                    "property {at} is not supported by infra for {}",
                    ctx.type_name
                )),
            });
        }
        Ok(Node { ctx, path, map })
    }

    /// The resource this node belongs to.
    pub(crate) fn ctx(&self) -> Ctx<'a> {
        self.ctx
    }

    /// The path of `key` in messages.
    pub(crate) fn at(&self, key: &str) -> String {
        child_path(self.path, key)
    }

    /// The raw value of `key` (`None` when absent or null).
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// A fatal error about `key`.
    pub(crate) fn bad(&self, key: &str, why: impl std::fmt::Display) -> ProviderError {
        self.ctx.fatal(format!("property {}: {why}", self.at(key)))
    }

    fn wrong(&self, key: &str, value: &Value, expected: &str) -> ProviderError {
        self.ctx.fatal(format!(
            "property {} must be {expected}, not {}",
            self.at(key),
            kind_of(value)
        ))
    }

    /// A string (numbers and booleans as their text, as CloudFormation accepts them).
    pub(crate) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        self.get(key)
            .map(|v| scalar_text(v).ok_or_else(|| self.wrong(key, v, "a string")))
            .transpose()
    }

    /// A string that must be there.
    pub(crate) fn required_str(&self, key: &str) -> Result<String, ProviderError> {
        self.str(key)?.ok_or_else(|| {
            self.ctx
                .fatal(format!("property {} is required", self.at(key)))
        })
    }

    /// An integer (a number or a string of digits).
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ProviderError> {
        self.get(key)
            .map(|v| {
                let n = match v {
                    Value::Number(n) => n
                        .as_i64()
                        .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                n.ok_or_else(|| self.wrong(key, v, "an integer"))
            })
            .transpose()
    }

    /// An `i32`.
    pub(crate) fn i32(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        self.int(key)?
            .map(|n| i32::try_from(n).map_err(|_| self.bad(key, format!("{n} is out of range"))))
            .transpose()
    }

    /// A boolean (`true`/`false`, also as strings).
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

    /// A list of strings, or `None` when absent.
    pub(crate) fn opt_str_list(&self, key: &str) -> Result<Option<Vec<String>>, ProviderError> {
        Ok(match self.get(key) {
            None => None,
            Some(_) => Some(self.str_list(key)?),
        })
    }

    /// The items of a list (absent = empty).
    pub(crate) fn list(&self, key: &str) -> Result<&'a [Value], ProviderError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(v) => Err(self.wrong(key, v, "a list")),
        }
    }

    /// A nested object at `path` (made with [`child_path`]), checked like the top level.
    pub(crate) fn nested(
        &self,
        value: &'a Value,
        path: &'a str,
        supported: &[&str],
        unsupported: &[(&str, &str)],
    ) -> Result<Node<'a>, ProviderError> {
        Node::new(value, self.ctx, path, supported, unsupported)
    }
}

/// What kind of JSON value this is, for messages.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

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
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_compare_by_text() {
        assert!(same_value(Some(&json!(1)), Some(&json!("1"))));
        assert!(same_value(Some(&json!([1, "a"])), Some(&json!(["1", "a"]))));
        assert!(same_value(
            Some(&json!({"A": 1, "B": null})),
            Some(&json!({"A": "1"}))
        ));
        assert!(same_value(None, Some(&Value::Null)));
        assert!(!same_value(Some(&json!({"A": 1})), Some(&json!({"A": 2}))));
        assert!(!same_value(Some(&json!([1])), Some(&json!([1, 2]))));
    }

    #[test]
    fn nodes_refuse_unknown_keys_by_path() {
        let ctx = Ctx::new("AWS::EC2::LaunchTemplate", "Stack.LT");
        let value = json!({"A": {"B": 1, "C": 2}});
        let top = Node::new(&value, ctx, "", &["A"], &[]).expect("top level");
        let path = top.at("A");
        let err = top
            .nested(&value["A"], &path, &["B"], &[("C", "because")])
            .expect_err("C is refused");
        assert!(
            err.message
                .contains("property A/C is not supported: because")
        );
    }
}
