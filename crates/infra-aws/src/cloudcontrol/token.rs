//! Idempotency tokens and canonical JSON.
//!
//! Cloud Control's `ClientToken` (pattern `[-A-Za-z0-9+/=]+`, at most 128 characters) makes a
//! request idempotent for 36 hours: the same token with the same request returns the first
//! request instead of making a second one. A create's token is derived from its checkpoint key
//! (unique to the create's intent, stable across retries and runs) and the attempt number
//! ([`create_token`]), so a create resumed after a crash sends the token it sent before.
//!
//! Updates and deletes have no checkpoint key: their token is derived from what they change
//! and the moment the provider call started ([`call_token`]), so the SDK's own retries of one
//! call share it, while the same change made again later (a property toggled back and forth
//! within 36 hours) is a new request rather than an answer replayed from the first one.
//!
//! The desired state is sent as [`canonical`] JSON (keys sorted at every level), so the same
//! document is the same text in the create and in a `find` that repeats it.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// SHA-256 of `text`, as 64 lower-case hex digits.
pub(crate) fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The `ClientToken` of attempt `attempt` of the create whose checkpoint key is `key`; `None`
/// for a create without a key (no idempotency can be had then).
pub(crate) fn create_token(key: &str, attempt: u64) -> Option<String> {
    (!key.is_empty()).then(|| sha256_hex(&format!("infra-cloudcontrol-create\n{key}\n{attempt}")))
}

/// The `ClientToken` of attempt `attempt` of an update or delete: `operation`, the resource's
/// `identifier`, the `change` (the patch; empty for a delete) and `started`, the call's start
/// (nanoseconds since the epoch).
pub(crate) fn call_token(
    operation: &str,
    identifier: &str,
    change: &str,
    started: u128,
    attempt: u64,
) -> String {
    sha256_hex(&format!(
        "infra-cloudcontrol-{operation}\n{identifier}\n{change}\n{started}\n{attempt}"
    ))
}

/// `value` as JSON text with the keys of every object sorted.
pub(crate) fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&map[k.as_str()])))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// Nanoseconds since the epoch (0 if the clock is before it).
pub(crate) fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Seconds since the epoch (0 if the clock is before it).
pub(crate) fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn valid(token: &str) -> bool {
        !token.is_empty()
            && token.len() <= 128
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-+/=".contains(c))
    }

    #[test]
    fn create_tokens_are_stable_per_key_and_attempt_and_valid() {
        let a1 = create_token("lineage/App.Queue/1700000000", 1).expect("token");
        assert_eq!(
            create_token("lineage/App.Queue/1700000000", 1),
            Some(a1.clone())
        );
        assert_ne!(
            create_token("lineage/App.Queue/1700000000", 2),
            Some(a1.clone())
        );
        assert_ne!(
            create_token("lineage/App.Other/1700000000", 1),
            Some(a1.clone())
        );
        assert!(valid(&a1), "{a1}");
        assert_eq!(a1.len(), 64);
        assert_eq!(create_token("", 1), None);
    }

    #[test]
    fn call_tokens_change_with_the_change_the_call_and_the_attempt() {
        let t = call_token("update", "q", "[]", 7, 1);
        assert!(valid(&t));
        assert_eq!(t, call_token("update", "q", "[]", 7, 1));
        assert_ne!(t, call_token("update", "q", "[]", 8, 1));
        assert_ne!(t, call_token("update", "q", "[]", 7, 2));
        assert_ne!(t, call_token("delete", "q", "[]", 7, 1));
        assert_ne!(t, call_token("update", "q", "[{}]", 7, 1));
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = json!({"b": 1, "a": {"d": [{"y": 1, "x": 2}], "c": "s"}});
        assert_eq!(
            canonical(&a),
            r#"{"a":{"c":"s","d":[{"x":2,"y":1}]},"b":1}"#
        );
        let b = json!({"a": {"c": "s", "d": [{"x": 2, "y": 1}]}, "b": 1});
        assert_eq!(canonical(&a), canonical(&b));
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
