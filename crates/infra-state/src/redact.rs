//! Keeping NoEcho values out of resource records: the redaction marker that stands in for a
//! property, attribute or intent value holding a secret.
//!
//! A string that contains a secret is written as `{"redacted": {"salt": S, "sha256": H}}`, the
//! same salted digest parameters and outputs use ([`crate::RecordedValue`]), so a later run can
//! still tell whether the value it wants (or the value AWS reports) is the one recorded without
//! the file ever holding it. [`crate::StateFile::write`] applies it to every resource record and
//! intent when the file was given the secrets of the run ([`crate::StateFile::redact_secrets`]).

use serde_json::Value;

use crate::model::State;
use crate::recorded::{RecordedValue, Redaction};
use crate::sensitive::redact_sensitive_properties;

/// The redaction a marker value holds, or `None` when `value` is not a marker.
pub fn redaction_marker(value: &Value) -> Option<Redaction> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    let inner = map.get("redacted")?;
    serde_json::from_value::<Redaction>(inner.clone()).ok()
}

/// Whether `current` is the value `recorded` stands for: `None` when `recorded` is not a
/// redaction marker, else whether its digest matches (a scalar is compared by its text).
pub fn marker_matches(recorded: &Value, current: &Value) -> Option<bool> {
    let redaction = redaction_marker(recorded)?;
    let text = match current {
        Value::String(s) => Value::String(s.clone()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        _ => return Some(false),
    };
    Some(RecordedValue::Redacted(redaction).matches(&text))
}

/// The marker that stands for `value` (a fresh salt every time).
pub fn redaction_marker_of(value: &Value) -> Value {
    match RecordedValue::redact(value) {
        RecordedValue::Redacted(redaction) => {
            serde_json::json!({ "redacted": { "salt": redaction.salt, "sha256": redaction.sha256 } })
        }
        RecordedValue::Value(v) => v,
    }
}

/// Whether `observed` (what AWS reports) is the value `recorded` (from the state, possibly with
/// markers) stands for. Every string of `observed` found where `recorded` holds a marker is
/// pushed to `sensitive`, whether it matches or not, so that writing `observed` in place of
/// `recorded` can keep it out of the file ([`crate::State::secrets`]).
pub fn same_as_recorded(recorded: &Value, observed: &Value, sensitive: &mut Vec<String>) -> bool {
    // A provider that reports a write-only value as last applied hands the marker back.
    if redaction_marker(recorded).is_some() && recorded == observed {
        return true;
    }
    if let Some(same) = marker_matches(recorded, observed) {
        if let Value::String(s) = observed {
            sensitive.push(s.clone());
        }
        return same;
    }
    match (recorded, observed) {
        (Value::Object(r), Value::Object(o)) => {
            let mut same = r.len() == o.len();
            for (k, rv) in r {
                match o.get(k) {
                    Some(ov) => same &= same_as_recorded(rv, ov, sensitive),
                    None => same = false,
                }
            }
            same
        }
        (Value::Array(r), Value::Array(o)) if r.len() == o.len() => {
            r.iter().zip(o).fold(true, |same, (rv, ov)| {
                same_as_recorded(rv, ov, sensitive) && same
            })
        }
        (Value::Array(_), Value::Array(_)) => {
            // Lists that differ in length: any observed string a marker stands for is sensitive.
            let mut markers = Vec::new();
            collect_markers(recorded, &mut markers);
            let mut strings = Vec::new();
            collect_strings(observed, &mut strings);
            for s in strings {
                let text = Value::String(s.clone());
                if markers
                    .iter()
                    .any(|m| marker_matches(m, &text) == Some(true))
                {
                    sensitive.push(s);
                }
            }
            false
        }
        _ => recorded == observed,
    }
}

fn collect_markers<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    if redaction_marker(value).is_some() {
        out.push(value);
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|i| collect_markers(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_markers(i, out)),
        _ => {}
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

/// Replaces every string in `value` that contains one of `secrets` by its marker. Empty
/// secrets are ignored.
pub fn redact_value(value: &mut Value, secrets: &[String]) {
    match value {
        Value::String(s)
            if secrets
                .iter()
                .any(|x| !x.is_empty() && s.contains(x.as_str())) =>
        {
            *value = redaction_marker_of(value);
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_value(i, secrets)),
        Value::Object(map) => map.values_mut().for_each(|i| redact_value(i, secrets)),
        _ => {}
    }
}

/// Whether writing `state` must redact anything: it has secrets, or a record or intent of a
/// type with sensitive properties.
pub(crate) fn needs_redaction(state: &State) -> bool {
    let sensitive = |type_name: &str| !infra_registry::sensitive_properties(type_name).is_empty();
    !state.secrets.iter().all(String::is_empty)
        || state
            .resources
            .values()
            .any(|r| sensitive(&r.resource_type))
        || state.pending.iter().any(|i| sensitive(&i.resource_type))
}

/// Redacts the properties and attributes of every resource record, and the properties of every
/// intent, of `state`. Physical ids and tags of intents are kept: they are what finds the
/// resource again (a name made from a NoEcho value is public in AWS anyway).
///
/// Whatever `secrets` holds, the sensitive properties of every record and intent are written
/// as markers, and a record's own sensitive attributes are kept in clear
/// ([`crate::sensitive`]).
pub(crate) fn redact_state(state: &mut State, secrets: &[String]) {
    for record in state.resources.values_mut() {
        redact_value(&mut record.properties, secrets);
        redact_sensitive_properties(&record.resource_type, &mut record.properties);
        let kept = infra_registry::sensitive_attributes(&record.resource_type);
        for (name, value) in &mut record.attributes {
            if !kept.contains(&name.as_str()) {
                redact_value(value, secrets);
            }
        }
    }
    for intent in &mut state.pending {
        if let Some(properties) = &mut intent.properties {
            redact_value(properties, secrets);
            redact_sensitive_properties(&intent.resource_type, properties);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_holding_a_secret_become_markers_that_still_match() {
        let secrets = vec!["hunter2".to_owned()];
        let mut v = json!({"Tags": [{"Key": "k", "Value": "x-hunter2"}], "Cidr": "10.0.0.0/16"});
        redact_value(&mut v, &secrets);
        let text = v.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(v["Cidr"], "10.0.0.0/16");
        let marker = &v["Tags"][0]["Value"];
        assert_eq!(marker_matches(marker, &json!("x-hunter2")), Some(true));
        assert_eq!(marker_matches(marker, &json!("x-hunter3")), Some(false));
        assert_eq!(
            marker_matches(&json!("x-hunter2"), &json!("x-hunter2")),
            None
        );
    }

    #[test]
    fn observed_values_are_compared_through_markers_and_reported_sensitive() {
        let secrets = vec!["hunter2".to_owned()];
        let mut recorded = json!([{"Key": "k", "Value": "hunter2"}, {"Key": "e", "Value": "dev"}]);
        redact_value(&mut recorded, &secrets);
        let mut sensitive = Vec::new();
        let same = json!([{"Key": "k", "Value": "hunter2"}, {"Key": "e", "Value": "dev"}]);
        assert!(same_as_recorded(&recorded, &same, &mut sensitive));
        assert_eq!(sensitive, vec!["hunter2".to_owned()]);
        let mut sensitive = Vec::new();
        let changed = json!([{"Key": "k", "Value": "hunter3"}, {"Key": "e", "Value": "dev"}]);
        assert!(!same_as_recorded(&recorded, &changed, &mut sensitive));
        assert_eq!(sensitive, vec!["hunter3".to_owned()]);
        let mut sensitive = Vec::new();
        let longer = json!([{"Key": "k", "Value": "hunter2"}, {"Key": "e", "Value": "dev"}, {}]);
        assert!(!same_as_recorded(&recorded, &longer, &mut sensitive));
        assert_eq!(sensitive, vec!["hunter2".to_owned()]);
    }

    #[test]
    fn no_secrets_change_nothing() {
        let mut v = json!({"a": "b"});
        redact_value(&mut v, &[String::new()]);
        assert_eq!(v, json!({"a": "b"}));
    }
}
