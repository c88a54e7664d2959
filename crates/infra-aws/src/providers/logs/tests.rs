use serde_json::json;

use super::TYPE;
use super::parse;
use crate::provider::FailureClass;
use crate::providers::kit::Ctx;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Logs")
}

#[test]
fn parses_every_mapped_property() {
    let spec = parse(
        &json!({
            "LogGroupName": "/ecs/demo",
            "RetentionInDays": "14",
            "KmsKeyId": "arn:aws:kms:us-east-1:1:key/k",
            "LogGroupClass": "STANDARD",
            "DeletionProtectionEnabled": "false",
            "BearerTokenAuthenticationEnabled": false,
            "DataProtectionPolicy": "{\"Name\":\"p\"}",
            "FieldIndexPolicies": [{"Fields": ["a"]}],
            "Tags": [{"Key": "team", "Value": "x"}]
        }),
        ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.group.retention_in_days(), Some(14));
    assert_eq!(spec.group.deletion_protection_enabled(), Some(false));
    assert_eq!(spec.data_protection, Some(json!({"Name": "p"})));
    assert_eq!(spec.index_policy, Some(json!({"Fields": ["a"]})));
    assert_eq!(spec.tags, vec![("team".to_owned(), "x".to_owned())]);
}

#[test]
fn refuses_what_it_cannot_do_naming_the_property() {
    for (props, named) in [
        (
            json!({"ResourcePolicyDocument": {"Version": "2012-10-17"}}),
            "ResourcePolicyDocument",
        ),
        (
            json!({"BearerTokenAuthenticationEnabled": true}),
            "BearerTokenAuthenticationEnabled",
        ),
        (
            json!({"FieldIndexPolicies": [{}, {}]}),
            "FieldIndexPolicies",
        ),
        (json!({"Retention": 3}), "Retention"),
    ] {
        let err = parse(&props, ctx()).expect_err("refused");
        assert_eq!(err.class, FailureClass::Fatal);
        assert!(err.message.contains(named), "{}", err.message);
        assert!(
            err.message.contains("AWS::Logs::LogGroup Logs"),
            "{}",
            err.message
        );
    }
}
