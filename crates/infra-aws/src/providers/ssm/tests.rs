//! Unit tests of the SSM parameter provider: property parsing, refusals, observed values.

use std::collections::BTreeMap;

use aws_sdk_ssm::types::ParameterInlinePolicy;
use serde_json::json;

use super::observed_tag_map;
use super::parameter::{TYPE, observed_policies, parse};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

#[test]
fn properties_are_read_and_secure_strings_and_attributes_refused() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Param");
    let spec = parse(
        &json!({"Type": "StringList", "Value": "a,b", "Description": "d",
            "Policies": [{"Type": "Expiration", "Version": "1.0"}],
            "Tags": {"team": "a", "env": 1}}),
        ctx,
    )?;
    assert_eq!(
        (
            spec.put.get_type().as_ref(),
            spec.put.get_value().as_deref()
        ),
        (Some(&"StringList".into()), Some("a,b"))
    );
    assert_eq!(
        spec.put.get_policies().as_deref(),
        Some(r#"[{"Type":"Expiration","Version":"1.0"}]"#)
    );
    let tags = [
        ("env".to_owned(), "1".to_owned()),
        ("team".to_owned(), "a".to_owned()),
    ];
    assert_eq!(spec.tags, tags);

    let err = parse(&json!({"Type": "SecureString", "Value": "x"}), ctx).expect_err("secure");
    assert!(
        err.message
            .contains("CloudFormation does not create SecureString"),
        "{err}"
    );
    let err = parse(&json!({"Type": "Text", "Value": "x"}), ctx).expect_err("enum");
    assert!(
        err.message.contains("is not one of String, StringList"),
        "{err}"
    );
    let err = parse(&json!({"Type": "String"}), ctx).expect_err("value");
    assert!(err.message.contains("Value is required"), "{err}");
    let arn = json!({"Type": "String", "Value": "x", "Arn": "arn"});
    let err = parse(&arn, ctx).expect_err("attribute");
    assert!(
        err.message
            .contains("Arn is not supported: it is an attribute"),
        "{err}"
    );
    Ok(())
}

#[test]
fn tags_and_policies_read_as_written() {
    let found = BTreeMap::from([
        ("infra:stack".to_owned(), "s".to_owned()),
        ("aws:cloudformation:stack-name".to_owned(), "x".to_owned()),
        ("count".to_owned(), "1".to_owned()),
    ]);
    let prev = json!({"count": 1});
    assert_eq!(observed_tag_map(&found, Some(&prev)), prev);
    assert_eq!(observed_tag_map(&found, None), json!({"count": "1"}));
    assert_eq!(
        observed_tag_map(&found, Some(&json!({"count": 2}))),
        json!({"count": "1"})
    );

    let policy = ParameterInlinePolicy::builder()
        .policy_text(r#"{"Type": "Expiration", "Version": "1.0"}"#)
        .build();
    let written = json!("[ {\"Version\": \"1.0\", \"Type\": \"Expiration\"} ]");
    assert_eq!(
        observed_policies(std::slice::from_ref(&policy), Some(&written)),
        written
    );
    assert_eq!(
        observed_policies(&[policy], Some(&json!("[]"))),
        json!(r#"[{"Type":"Expiration","Version":"1.0"}]"#)
    );
    assert_eq!(observed_policies(&[], None), json!("[]"));
}
