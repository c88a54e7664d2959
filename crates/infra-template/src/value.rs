//! Evaluated template values. A value that cannot be known before apply (the id of a resource
//! still to be created, the account id during `validate`) is [`Value::Unknown`], and every
//! intrinsic propagates it instead of failing.

use std::collections::BTreeMap;
use std::fmt;

/// An evaluated template value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON null.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// A list.
    List(Vec<Value>),
    /// A mapping, sorted by key.
    Map(BTreeMap<String, Value>),
    /// Not known until apply (or until AWS is asked).
    Unknown(Unknown),
}

/// Why a value is not known yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// `Ref` of a resource that has no physical id yet.
    Ref {
        /// The resource's address.
        address: String,
    },
    /// `Fn::GetAtt` of a resource not created yet.
    Attribute {
        /// The resource's address.
        address: String,
        /// The attribute.
        attribute: String,
    },
    /// A value that needs an AWS call (account id, AZs, an SSM parameter, an import).
    Lookup(String),
    /// Computed from other unknown values.
    Derived,
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unknown::Ref { address } => write!(f, "Ref {address}"),
            Unknown::Attribute { address, attribute } => write!(f, "{address}.{attribute}"),
            Unknown::Lookup(what) => write!(f, "{what}"),
            Unknown::Derived => f.write_str("(known after apply)"),
        }
    }
}

impl Value {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Self {
        Value::String(s.into())
    }

    /// True when the value or anything inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(items) => items.iter().any(Value::has_unknown),
            Value::Map(m) => m.values().any(Value::has_unknown),
            _ => false,
        }
    }

    /// The text of a scalar (strings, numbers and booleans read as text, as CloudFormation does).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::String(s) | Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A short name of the value's shape for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Unknown(_) => "a value known after apply",
        }
    }

    /// The JSON form of a fully known value; `None` when anything inside is unknown.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str::<serde_json::Number>(n)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Value::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown(_) => return None,
        })
    }

    /// The value a JSON document stands for.
    pub fn from_json(json: &serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.to_string()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON-like text; unknown parts render as `(known after apply)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(n),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown(_) => f.write_str("(known after apply)"),
        }
    }
}

/// The key that marks an unknown value in JSON: `{"$unknown": "why"}`. CloudFormation
/// property names never start with `$`, so the marker cannot collide with a real mapping.
pub const UNKNOWN_KEY: &str = "$unknown";

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap as _, SerializeSeq as _};
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => match serde_json::from_str::<serde_json::Number>(n) {
                Ok(num) => num.serialize(s),
                Err(_) => s.serialize_str(n),
            },
            Value::String(t) => s.serialize_str(t),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Value::Unknown(u) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(UNKNOWN_KEY, &u.to_string())?;
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = serde_json::Value::deserialize(d)?;
        Ok(Value::from_json_marked(&json))
    }
}

impl Value {
    /// Like [`Value::from_json`], reading `{"$unknown": ...}` back as an unknown value.
    pub fn from_json_marked(json: &serde_json::Value) -> Self {
        match json {
            serde_json::Value::Object(o) if o.len() == 1 && o.contains_key(UNKNOWN_KEY) => {
                Value::Unknown(Unknown::Derived)
            }
            serde_json::Value::Array(a) => {
                Value::List(a.iter().map(Value::from_json_marked).collect())
            }
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json_marked(v)))
                    .collect(),
            ),
            other => Value::from_json(other),
        }
    }
}
