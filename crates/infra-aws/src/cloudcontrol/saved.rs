//! What a create saves in its checkpoint ([`Saved`]) and where a create starts from it
//! ([`Saved::start`]).
//!
//! The data, a JSON object in the create's intent:
//!
//! | key | meaning |
//! |---|---|
//! | `attempt` | the attempt number (1, 2, ...): each attempt is one `CreateResource` request with its own client token |
//! | `client_token` | the attempt's `ClientToken` ([`super::token::create_token`]), saved before the call |
//! | `saved_at` | when the attempt was saved (seconds since the epoch): a client token is good for 36 hours |
//! | `desired_hash` | SHA-256 of the canonical desired state: the same token with another request is refused |
//! | `request_token` | the request's token, saved as soon as `CreateResource` answers |
//! | `identifier` | the resource's identifier, saved as soon as an answer or a poll reveals it |
//! | `failed` | the attempt's request ended `FAILED` with this `ErrorCode` (`Cancelled` for a cancelled one): the next attempt gets a new token |

use serde_json::{Map, Value, json};

/// A create's checkpoint data (see the module comment).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Saved {
    pub(crate) attempt: u64,
    pub(crate) client_token: Option<String>,
    pub(crate) saved_at: Option<u64>,
    pub(crate) desired_hash: Option<String>,
    pub(crate) request_token: Option<String>,
    pub(crate) identifier: Option<String>,
    pub(crate) failed: Option<String>,
}

impl Saved {
    /// The data of a checkpoint (what it cannot read is left out).
    pub(crate) fn from_value(value: &Value) -> Saved {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        Saved {
            attempt: value.get("attempt").and_then(Value::as_u64).unwrap_or(0),
            client_token: text("client_token"),
            saved_at: value.get("saved_at").and_then(Value::as_u64),
            desired_hash: text("desired_hash"),
            request_token: text("request_token"),
            identifier: text("identifier"),
            failed: text("failed"),
        }
    }

    /// As JSON, without the keys that have no value.
    pub(crate) fn to_value(&self) -> Value {
        let mut out = Map::new();
        out.insert("attempt".into(), json!(self.attempt));
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(v) = value {
                out.insert(key.into(), Value::String(v.clone()));
            }
        };
        put("client_token", &self.client_token);
        put("desired_hash", &self.desired_hash);
        put("request_token", &self.request_token);
        put("identifier", &self.identifier);
        put("failed", &self.failed);
        if let Some(at) = self.saved_at {
            out.insert("saved_at".into(), json!(at));
        }
        Value::Object(out)
    }

    /// Where a create of the desired state hashed `desired_hash` starts, after `last`: the
    /// attempt number and, when that attempt's request was made and has not failed, its
    /// request token (to poll rather than submit again). A first create starts at attempt 1;
    /// after a failed request, or a request for another desired state, at the next attempt
    /// (with a new token); otherwise it goes on with the last attempt and its token.
    pub(crate) fn start(last: Option<&Saved>, desired_hash: &str) -> (u64, Option<String>) {
        match last {
            Some(s)
                if s.attempt > 0
                    && s.failed.is_none()
                    && s.desired_hash.as_deref() == Some(desired_hash) =>
            {
                (s.attempt, s.request_token.clone())
            }
            Some(s) if s.attempt > 0 => (s.attempt + 1, None),
            _ => (1, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_round_trips_through_json() {
        let saved = Saved {
            attempt: 2,
            client_token: Some("t".into()),
            saved_at: Some(1_700_000_000),
            desired_hash: Some("h".into()),
            request_token: Some("r".into()),
            identifier: None,
            failed: Some("Throttling".into()),
        };
        let value = saved.to_value();
        assert_eq!(
            value,
            json!({"attempt": 2, "client_token": "t", "desired_hash": "h", "request_token": "r",
                   "failed": "Throttling", "saved_at": 1_700_000_000u64})
        );
        assert_eq!(Saved::from_value(&value), saved);
        assert_eq!(Saved::from_value(&json!("junk")), Saved::default());
    }

    #[test]
    fn a_create_goes_on_with_the_last_attempt_unless_it_failed() {
        assert_eq!(Saved::start(None, "h"), (1, None));
        let sent = Saved {
            attempt: 3,
            client_token: Some("t3".into()),
            desired_hash: Some("h".into()),
            ..Saved::default()
        };
        // Saved before the call, no answer yet: the same attempt (same token).
        assert_eq!(Saved::start(Some(&sent), "h"), (3, None));
        // Answered: poll that request.
        let answered = Saved {
            request_token: Some("r".into()),
            ..sent.clone()
        };
        assert_eq!(Saved::start(Some(&answered), "h"), (3, Some("r".into())));
        // Failed: the next attempt.
        let failed = Saved {
            failed: Some("Throttling".into()),
            ..answered.clone()
        };
        assert_eq!(Saved::start(Some(&failed), "h"), (4, None));
        // Another desired state under the same key: a new token, never a conflict.
        assert_eq!(Saved::start(Some(&answered), "other"), (4, None));
    }
}
