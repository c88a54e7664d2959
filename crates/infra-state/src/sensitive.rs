//! Secrets by place rather than by value: the properties and attributes each type holds
//! secrets in ([`infra_registry::sensitive_properties`], [`infra_registry::sensitive_attributes`]).
//!
//! - A sensitive property (`SecretString`, `LoginProfile.Password`) is written to the file as
//!   a redaction marker whatever its value, so a password written as a literal in a template,
//!   or read from another resource's attribute, never reaches the file in clear.
//! - A sensitive attribute (an access key's `SecretAccessKey`) is kept in clear in its own
//!   record, where a later plan reads it, and its value is a secret everywhere else: it is
//!   redacted from the other records, and [`attribute_secrets`] hands it to every printer.

use serde_json::Value;

use crate::model::{ResourceRecord, State};
use crate::redact::{redaction_marker, redaction_marker_of};

/// Replaces the value at each sensitive property path of `type_name` in `properties` by its
/// marker (a value that is a marker already is left as it is).
pub fn redact_sensitive_properties(type_name: &str, properties: &mut Value) {
    for path in infra_registry::sensitive_properties(type_name) {
        let segments: Vec<&str> = path.split('.').collect();
        mark_at(properties, &segments);
    }
}

fn mark_at(value: &mut Value, path: &[&str]) {
    let Some((first, rest)) = path.split_first() else {
        if redaction_marker(value).is_none() && !value.is_null() {
            *value = redaction_marker_of(value);
        }
        return;
    };
    match (value, *first) {
        (Value::Array(items), "*") => items.iter_mut().for_each(|item| mark_at(item, rest)),
        (Value::Object(map), key) => {
            if let Some(inner) = map.get_mut(key) {
                mark_at(inner, rest);
            }
        }
        _ => {}
    }
}

/// The values of the sensitive attributes `record` holds (non-empty strings).
pub fn sensitive_attribute_values(record: &ResourceRecord) -> impl Iterator<Item = &str> {
    infra_registry::sensitive_attributes(&record.resource_type)
        .iter()
        .filter_map(|name| record.attributes.get(*name).and_then(Value::as_str))
        .filter(|value| !value.is_empty())
}

/// Every sensitive attribute value the state's records hold, each once: secrets to redact from
/// every output and every other place of the state.
pub fn attribute_secrets(state: &State) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for record in state.resources.values() {
        for value in sensitive_attribute_values(record) {
            if !out.iter().any(|known| known == value) {
                out.push(value.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{DeletionPolicy, ResourcePath, ResourceStatus, UpdateReplacePolicy};
    use crate::redact::marker_matches;

    fn record(type_name: &str, properties: Value, attributes: Value) -> ResourceRecord {
        ResourceRecord {
            resource_type: type_name.to_owned(),
            physical_id: "id".to_owned(),
            properties,
            attributes: serde_json::from_value(attributes).unwrap_or_default(),
            dependencies: Vec::new(),
            status: ResourceStatus::Created,
            path: ResourcePath::default(),
            deletion_policy: DeletionPolicy::Delete,
            update_replace_policy: UpdateReplacePolicy::Delete,
        }
    }

    #[test]
    fn a_secret_attribute_stays_in_its_record_only_and_secret_properties_never_reach_the_file() {
        let key_secret = "wJalrXUtnFEMI-K7MDENG";
        let mut state = State::new("app");
        state.resources.insert(
            "Key".into(),
            record(
                "AWS::IAM::AccessKey",
                json!({"UserName": "ci"}),
                json!({"SecretAccessKey": key_secret}),
            ),
        );
        state.resources.insert(
            "Stored".into(),
            record(
                "AWS::SecretsManager::Secret",
                json!({"SecretString": format!("{{\"key\":\"{key_secret}\"}}")}),
                json!({}),
            ),
        );
        state.resources.insert(
            "Literal".into(),
            record(
                "AWS::SecretsManager::Secret",
                json!({"SecretString": "typed-in-the-template"}),
                json!({}),
            ),
        );
        state.resources.insert(
            "Param".into(),
            record(
                "AWS::SSM::Parameter",
                json!({"Value": key_secret}),
                json!({}),
            ),
        );
        state.secrets = attribute_secrets(&state);
        assert_eq!(state.secrets, [key_secret]);
        let text = String::from_utf8(crate::encode_state(&state).expect("encodes")).expect("utf-8");
        assert_eq!(text.matches(key_secret).count(), 1, "{text}");
        assert!(!text.contains("typed-in-the-template"), "{text}");
        let decoded = crate::decode_state(std::path::Path::new("app.json"), text.as_bytes())
            .expect("decodes");
        assert_eq!(
            decoded.resources["Key"].attributes["SecretAccessKey"],
            key_secret
        );
        let param = &decoded.resources["Param"].properties["Value"];
        assert_eq!(marker_matches(param, &json!(key_secret)), Some(true));
    }

    #[test]
    fn sensitive_paths_become_markers_whatever_their_value() {
        let mut user = json!({
            "UserName": "ops",
            "LoginProfile": {"Password": "Literal-pa55", "PasswordResetRequired": true}
        });
        redact_sensitive_properties("AWS::IAM::User", &mut user);
        assert!(!user.to_string().contains("Literal-pa55"), "{user}");
        let marker = &user["LoginProfile"]["Password"];
        assert_eq!(marker_matches(marker, &json!("Literal-pa55")), Some(true));
        assert_eq!(user["UserName"], "ops");
        let before = user.clone();
        redact_sensitive_properties("AWS::IAM::User", &mut user);
        assert_eq!(user, before, "a marker stays as it is");

        let mut broker = json!({"Users": [{"Username": "a", "Password": "p1"}, {"Username": "b"}]});
        redact_sensitive_properties("AWS::AmazonMQ::Broker", &mut broker);
        assert!(!broker.to_string().contains("\"p1\""), "{broker}");
        assert_eq!(broker["Users"][1], json!({"Username": "b"}));

        let mut vpc = json!({"CidrBlock": "10.0.0.0/16"});
        redact_sensitive_properties("AWS::EC2::VPC", &mut vpc);
        assert_eq!(vpc, json!({"CidrBlock": "10.0.0.0/16"}));
    }
}
