//! Unit tests of the secret provider: property parsing and refusals, the generated value's
//! JSON, and the value kept out of `Debug`, messages and comparisons.

use serde_json::{Value, json};

use super::secret::{TYPE, parse};
use super::value::{Secret, changed, compose, version_token};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

const VALUE: &str = "hunter2-Distinct-Value";

#[test]
fn properties_are_read_and_replicas_type_and_attributes_refused() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Secret");
    let spec = parse(
        &json!({"Name": "db", "KmsKeyId": "alias/app",
            "GenerateSecretString": {"SecretStringTemplate": "{\"username\": \"app\"}",
                "GenerateStringKey": "password", "PasswordLength": "24",
                "ExcludeCharacters": "\"@/\\", "ExcludePunctuation": true, "IncludeSpace": "false",
                "RequireEachIncludedType": true, "ExcludeLowercase": false,
                "ExcludeNumbers": false, "ExcludeUppercase": false},
            "Tags": [{"Key": "team", "Value": "a"}]}),
        ctx,
    )?;
    let generate = spec.generate.clone().unwrap_or_default();
    assert_eq!(*generate.request.get_password_length(), Some(24));
    assert_eq!(
        *generate.request.get_exclude_punctuation(),
        Some(true),
        "ExcludePunctuation"
    );
    assert_eq!(
        *generate.request.get_include_space(),
        Some(false),
        "IncludeSpace"
    );
    assert_eq!(generate.key.as_deref(), Some("password"));
    assert_eq!(spec.kms_key_id.as_deref(), Some("alias/app"));

    let both = json!({"SecretString": VALUE, "GenerateSecretString": {}});
    let err = parse(&both, ctx).expect_err("both");
    assert!(err.message.contains("not both"), "{err}");
    let half = json!({"GenerateSecretString": {"GenerateStringKey": "password"}});
    let err = parse(&half, ctx).expect_err("key without template");
    assert!(err.message.contains("go together"), "{err}");
    let bad =
        json!({"GenerateSecretString": {"SecretStringTemplate": "[1]", "GenerateStringKey": "p"}});
    let err = parse(&bad, ctx).expect_err("template not an object");
    assert!(err.message.contains("must be a JSON object"), "{err}");
    for refused in ["ReplicaRegions", "Type"] {
        let err = parse(&json!({refused: "x"}), ctx).expect_err(refused);
        assert!(
            err.message.contains(&format!("{refused} is not supported")),
            "{err}"
        );
    }
    let err = parse(&json!({"Id": "arn"}), ctx).expect_err("attribute");
    assert!(err.message.contains("it is an attribute"), "{err}");
    let err = parse(&json!({"GenerateSecretString": {"Length": 3}}), ctx).expect_err("unknown");
    assert!(err.message.contains("has no key Length"), "{err}");
    Ok(())
}

#[test]
fn a_generated_password_goes_into_the_template_under_its_key() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Secret");
    let spec = parse(
        &json!({"GenerateSecretString": {"SecretStringTemplate": "{\"username\": \"app\", \"password\": \"old\"}",
            "GenerateStringKey": "password"}}),
        ctx,
    )?;
    let generate = spec.generate.unwrap_or_default();
    let value = compose(&generate, "p@ss\"word".to_owned());
    let doc: Value =
        serde_json::from_str(value.text()).map_err(|e| ProviderError::fatal(e.to_string()))?;
    assert_eq!(doc, json!({"username": "app", "password": "p@ss\"word"}));
    // The template's order is kept, the key replaced in place.
    assert_eq!(
        value.text(),
        r#"{"username":"app","password":"p@ss\"word"}"#
    );
    let alone = compose(&Default::default(), "pw".to_owned());
    assert_eq!(alone.text(), "pw");
    Ok(())
}

#[test]
fn the_value_never_shows() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Secret");
    let spec = parse(&json!({"SecretString": VALUE}), ctx)?;
    assert!(!format!("{spec:?}").contains(VALUE), "{spec:?}");

    let generated = compose(
        &parse(
            &json!({"GenerateSecretString": {"SecretStringTemplate": "{}", "GenerateStringKey": "k"}}),
            ctx,
        )?
        .generate
        .unwrap_or_default(),
        "pw\"X9".to_owned(),
    );
    let echoed = ProviderError::fatal(format!(
        "Value '{}' at 'secretString' failed; the password pw\"X9, escaped pw\\\"X9",
        generated.text()
    ));
    let scrubbed = generated.scrub(echoed);
    assert!(!scrubbed.message.contains("X9"), "{}", scrubbed.message);
    assert!(
        scrubbed.message.contains("[secret value]"),
        "{}",
        scrubbed.message
    );
    assert!(!format!("{generated:?}").contains("X9"));
    Ok(())
}

#[test]
fn a_value_is_compared_with_the_recorded_one_or_its_marker() {
    let value = Secret::given(VALUE.to_owned());
    assert!(!changed(Some(&json!(VALUE)), &value));
    assert!(changed(Some(&json!("other")), &value));
    assert!(changed(None, &value));
    let marker = infra_state::redact::redaction_marker_of(&json!(VALUE));
    assert!(!changed(Some(&marker), &value));
    let other = infra_state::redact::redaction_marker_of(&json!("other"));
    assert!(changed(Some(&other), &value));
}

#[test]
fn version_tokens_are_stable_per_key_and_shaped_as_uuids() {
    let a = version_token("lineage/App.Secret/1", "App.Secret");
    assert_eq!(a, version_token("lineage/App.Secret/1", "elsewhere"));
    assert_ne!(a, version_token("lineage/App.Secret/2", "App.Secret"));
    assert_eq!(a.len(), 36);
    assert_eq!(a.matches('-').count(), 4);
    assert_ne!(version_token("", "A"), version_token("", "B"));
}
