//! Unit tests of the KMS providers: property parsing, refusals, the default key policy.

use serde_json::json;

use super::{alias, key, key_id_of};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

#[test]
fn key_properties_are_read_with_their_defaults() -> Result<(), ProviderError> {
    let ctx = Ctx::new(key::TYPE, "App.Key");
    let spec = key::parse(
        &json!({"Description": "app", "EnableKeyRotation": "true", "RotationPeriodInDays": 180,
            "KeyPolicy": "{\"Version\": \"2012-10-17\", \"Statement\": []}",
            "PendingWindowInDays": "7", "Tags": [{"Key": "team", "Value": "a"}]}),
        ctx,
    )?;
    assert_eq!(spec.rotation, Some(true));
    assert_eq!(spec.rotation_days, Some(180));
    assert_eq!(spec.pending_days, Some(7));
    assert_eq!(
        spec.fixed,
        ["SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "false", "AWS_KMS"]
    );
    assert_eq!(
        spec.policy,
        Some(json!({"Version": "2012-10-17", "Statement": []}))
    );

    let err = key::parse(&json!({"PendingWindowInDays": 3}), ctx).expect_err("window");
    assert!(err.message.contains("between 7 and 30"), "{err}");
    let err = key::parse(&json!({"Origin": "AWS_CLOUDHSM"}), ctx).expect_err("origin");
    assert!(
        err.message.contains("is not one of AWS_KMS, EXTERNAL"),
        "{err}"
    );
    let err = key::parse(&json!({"KeyId": "x"}), ctx).expect_err("attribute");
    assert!(
        err.message
            .contains("KeyId is not supported: it is an attribute"),
        "{err}"
    );
    assert_eq!(key::DEFAULT_PENDING_DAYS, 7);
    Ok(())
}

#[test]
fn the_default_key_policy_gives_the_account_root_everything() {
    let policy = key::default_policy("arn:aws-cn:kms:cn-north-1:111122223333:key/k-1");
    let statement = &policy["Statement"][0];
    assert_eq!(
        statement["Principal"]["AWS"],
        json!("arn:aws-cn:iam::111122223333:root")
    );
    assert_eq!(statement["Action"], json!("kms:*"));
    assert_eq!(statement["Effect"], json!("Allow"));
}

#[test]
fn alias_names_are_checked_and_key_references_compared_by_id() -> Result<(), ProviderError> {
    let ctx = Ctx::new(alias::TYPE, "App.Alias");
    let (name, target) = alias::parse(
        &json!({"AliasName": "alias/app", "TargetKeyId": "k-1"}),
        ctx,
    )?;
    assert_eq!((name.as_str(), target.as_str()), ("alias/app", "k-1"));
    for bad in ["app", "alias/", "alias/aws/app"] {
        let err = alias::parse(&json!({"AliasName": bad, "TargetKeyId": "k"}), ctx).expect_err(bad);
        assert!(err.message.contains("AliasName"), "{err}");
    }
    let err = alias::parse(&json!({"AliasName": "alias/a"}), ctx).expect_err("target");
    assert!(err.message.contains("TargetKeyId is required"), "{err}");
    assert_eq!(key_id_of("arn:aws:kms:us-east-1:1:key/abc"), "abc");
    assert_eq!(key_id_of("abc"), "abc");
    Ok(())
}
