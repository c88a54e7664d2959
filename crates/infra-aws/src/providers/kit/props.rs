//! Reading template properties: [`Props`], one object of a resource's properties (the top
//! level or one nested in it), checked against its [`Keys`] when it is made, read strictly as
//! strings, numbers, booleans, lists, maps, documents and tags, with the path of every value
//! in messages (`ContainerDefinitions[0].PortMappings[1].HostPort`). Scalars are read the way
//! CloudFormation reads them: numbers where strings are expected, and strings of digits
//! (`"80"`) or `"true"` where numbers or booleans are; `null` is the same as absent.
//!
//! The free functions read one value at a path ([`text`], [`integer`], [`int32`],
//! [`boolean`], [`list`], [`str_list`], [`one_of`]), for list items and values read outside an
//! object.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::context::Ctx;
use super::documents::parse_document;
use crate::provider::ProviderError;

/// The keys one object of the template may hold: the mapped ones, and the refused ones with
/// the reason given to the user (properties not supported yet, and attributes written as
/// properties). Any other key is refused too.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keys<'k> {
    /// Keys mapped to the API.
    pub(crate) supported: &'k [&'k str],
    /// Properties CloudFormation documents that infra does not support yet, and why.
    pub(crate) unsupported: &'k [(&'k str, &'k str)],
    /// Read-only attributes, which no template can set, and why.
    pub(crate) attributes: &'k [(&'k str, &'k str)],
    /// Whether a key nobody knows is refused by naming the supported ones (`… has no key X
    /// that infra supports (it maps A, B)`), for small nested objects.
    pub(crate) listed: bool,
}

impl<'k> Keys<'k> {
    /// Only `supported`.
    pub(crate) const fn new(supported: &'k [&'k str]) -> Self {
        Keys {
            supported,
            unsupported: &[],
            attributes: &[],
            listed: false,
        }
    }

    /// `supported`, refusing `unsupported` with the reason given there.
    pub(crate) const fn with(
        supported: &'k [&'k str],
        unsupported: &'k [(&'k str, &'k str)],
    ) -> Self {
        Keys {
            supported,
            unsupported,
            attributes: &[],
            listed: false,
        }
    }

    /// These keys, refusing `attributes` (read-only ones) with the reason given there.
    pub(crate) const fn and_attributes(self, attributes: &'k [(&'k str, &'k str)]) -> Self {
        Keys { attributes, ..self }
    }

    /// These keys, naming the supported ones when an unknown key is refused.
    pub(crate) const fn listed(self) -> Self {
        Keys {
            listed: true,
            ..self
        }
    }
}

/// One object of a resource's template properties, its keys checked.
#[derive(Debug, Clone)]
pub(crate) struct Props<'a> {
    map: Option<&'a Map<String, Value>>,
    /// Empty at the top; `Tags[0]` inside a nested object.
    path: String,
    ctx: Ctx<'a>,
}

impl<'a> Props<'a> {
    /// The resource's properties (null = none), every key in `supported`; a key in
    /// `unsupported` is refused with the reason given there, any other with a generic one.
    pub(crate) fn new(
        value: &'a Value,
        ctx: Ctx<'a>,
        supported: &[&str],
        unsupported: &[(&str, &str)],
    ) -> Result<Self, ProviderError> {
        Props::root(value, ctx, Keys::with(supported, unsupported))
    }

    /// The resource's properties (null = none), checked against `keys`.
    pub(crate) fn root(value: &'a Value, ctx: Ctx<'a>, keys: Keys) -> Result<Self, ProviderError> {
        match value {
            Value::Null => Ok(Props {
                map: None,
                path: String::new(),
                ctx,
            }),
            Value::Object(_) => Props::object(value, String::new(), ctx, keys),
            other => Err(ctx.fatal(format!(
                "properties must be an object, not {}",
                kind_of(other)
            ))),
        }
    }

    /// The object `value` at `path`, checked against `keys`.
    pub(crate) fn object(
        value: &'a Value,
        path: impl Into<String>,
        ctx: Ctx<'a>,
        keys: Keys,
    ) -> Result<Self, ProviderError> {
        let path = path.into();
        let Value::Object(map) = value else {
            return Err(wrong(value, &path, "an object", ctx));
        };
        for (key, value) in map {
            if value.is_null() || keys.supported.contains(&key.as_str()) {
                continue;
            }
            let full = join(&path, key);
            let mut refused = keys.unsupported.iter().chain(keys.attributes);
            return Err(match refused.find(|(k, _)| k == key) {
                Some((_, why)) => ctx.fatal(format!("property {full} is not supported: {why}")),
                None if keys.listed => ctx.fatal(format!(
                    "property {path} has no key {key} that infra supports (it maps {})",
                    keys.supported.join(", ")
                )),
                None => ctx.fatal(format!(
                    "property {full} is not supported by infra for {}",
                    ctx.type_name
                )),
            });
        }
        Ok(Props {
            map: Some(map),
            path,
            ctx,
        })
    }

    /// `value` (an item of this object) at `path`, checked like the top level.
    pub(crate) fn nested(
        &self,
        value: &'a Value,
        path: &str,
        supported: &[&str],
        unsupported: &[(&str, &str)],
    ) -> Result<Props<'a>, ProviderError> {
        Props::object(value, path, self.ctx, Keys::with(supported, unsupported))
    }

    /// The nested object `key`, checked against `keys`.
    pub(crate) fn obj(&self, key: &str, keys: Keys) -> Result<Option<Props<'a>>, ProviderError> {
        self.get(key)
            .map(|v| Props::object(v, self.at(key), self.ctx, keys))
            .transpose()
    }

    /// A list of objects (absent = empty), each checked against `keys`.
    pub(crate) fn objs(&self, key: &str, keys: Keys) -> Result<Vec<Props<'a>>, ProviderError> {
        Ok(self.opt_objs(key, keys)?.unwrap_or_default())
    }

    /// A list of objects; `None` when absent (an empty list is `Some`).
    pub(crate) fn opt_objs(
        &self,
        key: &str,
        keys: Keys,
    ) -> Result<Option<Vec<Props<'a>>>, ProviderError> {
        let Some(items) = self.opt_list(key)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Props::object(item, self.at_index(key, i), self.ctx, keys))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// The resource these properties belong to.
    pub(crate) fn ctx(&self) -> Ctx<'a> {
        self.ctx
    }

    /// The path of this object (empty at the top).
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The path of `key` in this object, for messages.
    pub(crate) fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The path of item `i` of the list `key`.
    pub(crate) fn at_index(&self, key: &str, i: usize) -> String {
        format!("{}[{i}]", self.at(key))
    }

    /// A fatal error about `key` of this object.
    pub(crate) fn fatal(&self, key: &str, message: impl std::fmt::Display) -> ProviderError {
        self.ctx
            .fatal(format!("property {}: {message}", self.at(key)))
    }

    /// The error for `key` missing.
    pub(crate) fn missing(&self, key: &str) -> ProviderError {
        self.ctx
            .fatal(format!("property {} is required", self.at(key)))
    }

    /// The raw value of `key` (`None` when absent or null).
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// A string (numbers and booleans as their text).
    pub(crate) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        self.read(key, text)
    }

    /// A string that must be there.
    pub(crate) fn required_str(&self, key: &str) -> Result<String, ProviderError> {
        self.str(key)?.ok_or_else(|| self.missing(key))
    }

    /// An integer (a number or a string of digits: `256` or `"256"`).
    pub(crate) fn i64(&self, key: &str) -> Result<Option<i64>, ProviderError> {
        self.read(key, integer)
    }

    /// An `i32`.
    pub(crate) fn i32(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        self.read(key, int32)
    }

    /// A floating-point number (also as a string: `"0.5"`).
    pub(crate) fn f64(&self, key: &str) -> Result<Option<f64>, ProviderError> {
        self.read(key, |v, path, ctx| {
            scalar_text(v)
                .and_then(|t| t.parse::<f64>().ok())
                .ok_or_else(|| wrong(v, path, "a number", ctx))
        })
    }

    /// An ISO 8601 timestamp (`2030-01-01T00:00:00Z`).
    pub(crate) fn date(
        &self,
        key: &str,
    ) -> Result<Option<aws_smithy_types::DateTime>, ProviderError> {
        use aws_smithy_types::date_time::Format;
        self.read(key, |v, path, ctx| {
            let text = text(v, path, ctx)?;
            aws_smithy_types::DateTime::from_str(&text, Format::DateTime).map_err(|e| {
                ctx.fatal(format!(
                    "property {path}: {text:?} is not an ISO 8601 time: {e}"
                ))
            })
        })
    }

    /// A boolean (`true` / `false`, also as strings).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ProviderError> {
        self.read(key, boolean)
    }

    /// The items of a list (absent = empty).
    pub(crate) fn list(&self, key: &str) -> Result<&'a [Value], ProviderError> {
        Ok(self.opt_list(key)?.unwrap_or_default())
    }

    /// The items of a list; `None` when absent.
    pub(crate) fn opt_list(&self, key: &str) -> Result<Option<&'a [Value]>, ProviderError> {
        self.read(key, |v, path, ctx| list(v, path, ctx).map(Vec::as_slice))
    }

    /// A list of strings (absent = empty).
    pub(crate) fn str_list(&self, key: &str) -> Result<Vec<String>, ProviderError> {
        Ok(self.strs(key)?.unwrap_or_default())
    }

    /// A list of strings; `None` when absent (an empty list is `Some`).
    pub(crate) fn strs(&self, key: &str) -> Result<Option<Vec<String>>, ProviderError> {
        self.read(key, str_list)
    }

    /// A list of integers; `None` when absent.
    pub(crate) fn i32s(&self, key: &str) -> Result<Option<Vec<i32>>, ProviderError> {
        self.read(key, |v, path, ctx| {
            list(v, path, ctx)?
                .iter()
                .enumerate()
                .map(|(i, item)| int32(item, &format!("{path}[{i}]"), ctx))
                .collect()
        })
    }

    /// A map of strings (`Options`, `DockerLabels`): an object whose values are scalars.
    pub(crate) fn str_map(
        &self,
        key: &str,
    ) -> Result<Option<HashMap<String, String>>, ProviderError> {
        self.read(key, |v, path, ctx| {
            let Value::Object(map) = v else {
                return Err(wrong(v, path, "an object of strings", ctx));
            };
            map.iter()
                .map(|(k, v)| Ok((k.clone(), text(v, &join(path, k), ctx)?)))
                .collect()
        })
    }

    /// A JSON document property (an IAM policy, a data protection policy), given as an object
    /// or as a string holding JSON; returned parsed.
    pub(crate) fn document(&self, key: &str) -> Result<Option<Value>, ProviderError> {
        self.get(key)
            .map(|v| parse_document(v).map_err(|why| self.fatal(key, why)))
            .transpose()
    }

    /// `Tags`: a list of `{Key, Value}` objects, each with both, in template order.
    pub(crate) fn tags(&self, key: &str) -> Result<Vec<(String, String)>, ProviderError> {
        const TAG: Keys = Keys::new(&["Key", "Value"]);
        self.objs(key, TAG)?
            .iter()
            .map(|tag| Ok((tag.required_str("Key")?, tag.required_str("Value")?)))
            .collect()
    }

    /// `key` read by `read` at its path, when set.
    fn read<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Value, &str, Ctx<'a>) -> Result<T, ProviderError>,
    ) -> Result<Option<T>, ProviderError> {
        self.get(key)
            .map(|v| read(v, &self.at(key), self.ctx))
            .transpose()
    }
}

/// `path.key`, or `key` at the top.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The text of a scalar at `path`.
pub(crate) fn text(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<String, ProviderError> {
    scalar_text(value).ok_or_else(|| wrong(value, path, "a string", ctx))
}

/// An integer at `path`: a number (`3.0` too) or a string of digits.
pub(crate) fn integer(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<i64, ProviderError> {
    let n = match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.ok_or_else(|| wrong(value, path, "an integer", ctx))
}

/// An `i32` at `path`: a number or a string of digits, in range.
pub(crate) fn int32(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<i32, ProviderError> {
    let n = integer(value, path, ctx)?;
    i32::try_from(n).map_err(|_| ctx.fatal(format!("property {path}: {n} is out of range")))
}

/// A boolean at `path`: `true`/`false`, also as strings.
pub(crate) fn boolean(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<bool, ProviderError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(wrong(value, path, "a boolean", ctx)),
    }
}

/// A list at `path`.
pub(crate) fn list<'v>(
    value: &'v Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<&'v Vec<Value>, ProviderError> {
    value
        .as_array()
        .ok_or_else(|| wrong(value, path, "a list", ctx))
}

/// A list of strings at `path`.
pub(crate) fn str_list(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<String>, ProviderError> {
    let items = value
        .as_array()
        .ok_or_else(|| wrong(value, path, "a list of strings", ctx))?;
    items
        .iter()
        .map(|v| scalar_text(v).ok_or_else(|| wrong(v, path, "a list of strings", ctx)))
        .collect()
}

/// One of an enumeration's `values` (as the SDK lists them), converted.
pub(crate) fn one_of<E: for<'s> From<&'s str>>(
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

/// The error for `value` at `path` not being what is `expected`.
fn wrong(value: &Value, path: &str, expected: &str, ctx: Ctx<'_>) -> ProviderError {
    ctx.fatal(format!(
        "property {path} must be {expected}, not {}",
        kind_of(value)
    ))
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
