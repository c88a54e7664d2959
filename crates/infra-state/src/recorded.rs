//! Recorded values of parameters and outputs, and the redaction that keeps NoEcho values out
//! of state files.
//!
//! A redacted value keeps only a salted SHA-256 digest, so a later run can tell whether a NoEcho
//! value changed without the file ever holding it. The salt is random per value, so equal
//! secrets in two states (or two parameters) do not give equal digests. A digest of a short or
//! guessable secret can still be guessed offline by anyone who can read the file, which is one
//! reason the file is mode 0600.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::model::OutputRecord;

/// A parameter or output value as stored: in full, or redacted.
///
/// JSON: `{"value": <any JSON>}` or `{"redacted": {"salt": "<hex>", "sha256": "<hex>"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RecordedValue {
    /// The value itself.
    Value(Value),
    /// Only a digest of the value.
    Redacted(Redaction),
}

/// A salted digest standing in for a value that must not be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// Random, 32 lowercase hex digits.
    pub salt: String,
    /// Lowercase hex SHA-256 of the salt's ASCII text followed by the value's text.
    pub sha256: String,
}

impl RecordedValue {
    /// Records `value` in full.
    pub fn plain(value: Value) -> RecordedValue {
        RecordedValue::Value(value)
    }

    /// Records only a salted digest of `value`.
    pub fn redact(value: &Value) -> RecordedValue {
        let salt = Uuid::new_v4().simple().to_string();
        let sha256 = salted_digest(&salt, value);
        RecordedValue::Redacted(Redaction { salt, sha256 })
    }

    /// Whether `current` is the value that was recorded.
    pub fn matches(&self, current: &Value) -> bool {
        match self {
            RecordedValue::Value(recorded) => recorded == current,
            RecordedValue::Redacted(redaction) => {
                salted_digest(&redaction.salt, current) == redaction.sha256
            }
        }
    }

    /// The value, unless it was redacted.
    pub fn value(&self) -> Option<&Value> {
        match self {
            RecordedValue::Value(value) => Some(value),
            RecordedValue::Redacted(_) => None,
        }
    }

    /// Whether only a digest was recorded.
    pub fn is_redacted(&self) -> bool {
        matches!(self, RecordedValue::Redacted(_))
    }
}

/// The text of a value that a digest covers: a string's own text, any other value's
/// compact JSON.
fn digest_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn salted_digest(salt: &str, value: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(digest_text(value).as_bytes());
    hex(&hasher.finalize())
}

/// Lowercase hex SHA-256 of `bytes`, e.g. for `State::template_sha256`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// The JSON form of [`OutputRecord`]: the value sits beside the other fields, as
/// `{"value": …, "description": …, "export_name": …}` or `{"redacted": {…}, …}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutputJson {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redacted: Option<Redaction>,
    description: Option<String>,
    export_name: Option<String>,
}

/// Reads a field that is present as `Some`, even when it is `null`.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl TryFrom<OutputJson> for OutputRecord {
    type Error = &'static str;

    fn try_from(json: OutputJson) -> Result<OutputRecord, Self::Error> {
        let value = match (json.value, json.redacted) {
            (Some(value), None) => RecordedValue::Value(value),
            (None, Some(redaction)) => RecordedValue::Redacted(redaction),
            (Some(_), Some(_)) => {
                return Err("an output has either `value` or `redacted`, not both");
            }
            (None, None) => return Err("an output needs `value` or `redacted`"),
        };
        Ok(OutputRecord {
            value,
            description: json.description,
            export_name: json.export_name,
        })
    }
}

impl From<OutputRecord> for OutputJson {
    fn from(record: OutputRecord) -> OutputJson {
        let (value, redacted) = match record.value {
            RecordedValue::Value(value) => (Some(value), None),
            RecordedValue::Redacted(redaction) => (None, Some(redaction)),
        };
        OutputJson {
            value,
            redacted,
            description: record.description,
            export_name: record.export_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn redacted_value_is_not_stored_but_still_matches() {
        let secret = json!("hunter2-correct-horse");
        let recorded = RecordedValue::redact(&secret);
        let text = serde_json::to_string(&recorded).expect("encode");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(recorded.matches(&secret));
        assert!(!recorded.matches(&json!("hunter3-correct-horse")));
        assert!(recorded.is_redacted());
        assert_eq!(recorded.value(), None);
    }

    #[test]
    fn equal_secrets_get_different_digests() {
        let secret = json!("same");
        assert_ne!(
            RecordedValue::redact(&secret),
            RecordedValue::redact(&secret)
        );
    }

    #[test]
    fn non_string_values_are_digested_as_compact_json() {
        let recorded = RecordedValue::redact(&json!(["a", 1]));
        assert!(recorded.matches(&json!(["a", 1])));
        assert!(!recorded.matches(&json!("[\"a\",1]x")));
    }

    #[test]
    fn sha256_hex_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
