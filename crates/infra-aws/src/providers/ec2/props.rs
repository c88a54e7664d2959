//! Reading template properties (JSON, as the template engine evaluated them) and writing
//! observed ones back in the template's vocabulary.
//!
//! Every provider declares a [`Spec`]: the properties it maps to the API and the ones
//! CloudFormation documents that it does not support yet, both taken by [`spec!`] from the keys
//! generated from the schema (`generated/ec2.rs`; the refused ones in `mappings/ec2.toml`).
//! [`Props::parse`] refuses anything else, so no property is ever silently dropped.
//!
//! Values are read leniently, the way CloudFormation reads them: `80` and `"80"` are the same
//! integer, `true` and `"true"` the same boolean; `null` is the same as absent.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::providers::kit::prelude::*;

/// What a provider does with each property of its type.
#[derive(Debug)]
pub(crate) struct Spec {
    /// `AWS::EC2::VPC`.
    pub type_name: &'static str,
    /// Properties mapped to the API.
    pub supported: &'static [&'static str],
    /// Properties CloudFormation documents that this provider refuses, naming them.
    pub unsupported: &'static [&'static str],
}

/// The [`Spec`] of `type_name` from its generated keys (`crate::generated::ec2::VPC`): every
/// property the schema lets a template set, less the ones `mappings/ec2.toml` refuses.
macro_rules! spec {
    ($type_name:expr, $keys:ident) => {
        $crate::providers::ec2::props::Spec {
            type_name: $type_name,
            supported: $crate::generated::ec2::$keys.supported,
            unsupported: &$crate::providers::names::<
                { $crate::generated::ec2::$keys.unsupported.len() },
            >($crate::generated::ec2::$keys.unsupported),
        }
    };
}
pub(crate) use spec;

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
static NULL: Value = Value::Null;

/// The properties of one resource (or one nested object of it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Props<'a> {
    type_name: &'static str,
    /// `""` at the top, `SecurityGroupIngress[0].` inside a nested object.
    prefix: &'a str,
    /// The object itself (`null` for none).
    value: &'a Value,
    map: &'a Map<String, Value>,
}

impl<'a> Props<'a> {
    /// The top-level properties, checked against `spec`.
    pub(crate) fn parse(spec: &Spec, value: &'a Value) -> Result<Props<'a>, ProviderError> {
        let map = match value {
            Value::Object(map) => map,
            Value::Null => &*EMPTY,
            other => {
                return Err(ProviderError::fatal(format!(
                    "{} properties must be an object, not {other}",
                    spec.type_name
                )));
            }
        };
        let props = Props {
            type_name: spec.type_name,
            prefix: "",
            value,
            map,
        };
        props.check(spec.supported, spec.unsupported)?;
        Ok(props)
    }

    /// Top-level properties without a check (for values recorded earlier, such as the
    /// properties last applied, which were checked when they were applied).
    pub(crate) fn unchecked(type_name: &'static str, value: &'a Value) -> Props<'a> {
        let map = value.as_object();
        Props {
            type_name,
            prefix: "",
            value: if map.is_some() { value } else { &NULL },
            map: map.unwrap_or(&*EMPTY),
        }
    }

    /// A nested object, checked against `supported` and `unsupported`; `prefix` names it in
    /// messages and ends with `.` (`Tags[0].`).
    pub(crate) fn nested<'b>(
        &self,
        prefix: &'b str,
        value: &'b Value,
        supported: &[&str],
        unsupported: &[&str],
    ) -> Result<Props<'b>, ProviderError>
    where
        'a: 'b,
    {
        let Value::Object(map) = value else {
            return Err(ProviderError::fatal(format!(
                "{} property {} must be an object, not {value}",
                self.type_name,
                prefix.trim_end_matches('.')
            )));
        };
        let props = Props {
            type_name: self.type_name,
            prefix,
            value,
            map,
        };
        props.check(supported, unsupported)?;
        Ok(props)
    }

    fn check(&self, supported: &[&str], unsupported: &[&str]) -> Result<(), ProviderError> {
        for (key, value) in self.map {
            if value.is_null() || supported.contains(&key.as_str()) {
                continue;
            }
            let path = format!("{}{key}", self.prefix);
            let message = if unsupported.contains(&key.as_str()) {
                format!("{} property {path} is not supported yet", self.type_name)
            } else {
                format!(
                    "{} has no property {path} that can be set (it is unknown or read-only)",
                    self.type_name
                )
            };
            return Err(ProviderError::fatal(message));
        }
        Ok(())
    }

    /// The same properties as the kit reads them, for the conversions generated from the
    /// schema (`generated/ec2.rs`); `address` names the resource in the kit's messages. The
    /// keys were checked when these properties were made.
    pub(crate) fn kit(&self, address: &'a str) -> Result<kit::Props<'a>, ProviderError> {
        let keys: Vec<&str> = self.map.keys().map(String::as_str).collect();
        let (ctx, keys) = (
            kit::Ctx::new(self.type_name, address),
            kit::Keys::new(&keys),
        );
        match self.prefix {
            "" => kit::Props::root(self.value, ctx, keys),
            prefix => kit::Props::object(self.value, prefix.trim_end_matches('.'), ctx, keys),
        }
    }

    /// The object itself (`null` for none).
    pub(crate) fn value(&self) -> &'a Value {
        self.value
    }

    /// The type these properties belong to.
    pub(crate) fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The raw value of `key`, `None` when absent or null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Whether `key` is set.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn invalid(&self, key: &str, what: &str, value: &Value) -> ProviderError {
        ProviderError::fatal(format!(
            "{} property {}{key} must be {what}, not {value}",
            self.type_name, self.prefix
        ))
    }

    /// A string (numbers and booleans are written as text).
    pub(crate) fn str(&self, key: &str) -> Result<Option<String>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(other) => Err(self.invalid(key, "a string", other)),
        }
    }

    /// A string that must be set.
    pub(crate) fn required_str(&self, key: &str) -> Result<String, ProviderError> {
        self.str(key)?.ok_or_else(|| {
            ProviderError::fatal(format!(
                "{} property {}{key} is required",
                self.type_name, self.prefix
            ))
        })
    }

    /// A boolean (`true`, `"true"`, `"True"` ...).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(other) => Err(self.invalid(key, "a boolean", other)),
        }
    }

    /// A 32-bit integer (`80` or `"80"`).
    pub(crate) fn int(&self, key: &str) -> Result<Option<i32>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(value @ Value::Number(n)) => n
                .as_i64()
                .and_then(|i| i32::try_from(i).ok())
                .map(Some)
                .ok_or_else(|| self.invalid(key, "an integer", value)),
            Some(value @ Value::String(s)) => s
                .trim()
                .parse::<i32>()
                .map(Some)
                .map_err(|_| self.invalid(key, "an integer", value)),
            Some(other) => Err(self.invalid(key, "an integer", other)),
        }
    }

    /// A list of strings.
    pub(crate) fn strs(&self, key: &str) -> Result<Option<Vec<String>>, ProviderError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    other => Err(self.invalid(key, "a list of strings", other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.invalid(key, "a list of strings", other)),
        }
    }

    /// A list (of objects, usually).
    pub(crate) fn list(&self, key: &str) -> Result<&'a [Value], ProviderError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.invalid(key, "a list", other)),
        }
    }
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
