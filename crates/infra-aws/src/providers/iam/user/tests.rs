//! `AWS::IAM::User` properties: parsing, refusals, and the password kept out of every print.

use serde_json::json;

use super::{Login, TYPE, parse, password, password_changed};
use crate::providers::kit::Ctx;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.User")
}

#[test]
fn every_property_parses() {
    let spec = parse(
        &json!({
            "UserName": "alice",
            "Path": "/people/",
            "Groups": ["admins", "devs", "admins"],
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": []}}],
            "PermissionsBoundary": "arn:aws:iam::123456789012:policy/boundary",
            "LoginProfile": {"Password": "Hunter2!hunter2", "PasswordResetRequired": "true"},
            "Tags": [{"Key": "team", "Value": "a"}],
        }),
        ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.name.as_deref(), Some("alice"));
    assert_eq!(spec.path.as_deref(), Some("/people/"));
    assert_eq!(spec.groups, vec!["admins".to_owned(), "devs".to_owned()]);
    assert_eq!(spec.policies.inline[0].name, "p");
    assert_eq!(spec.policies.managed.len(), 1);
    let login = spec.login.expect("login profile");
    assert_eq!(login.reset, Some(true));
    assert_eq!(
        password(ctx(), &login).ok().as_deref(),
        Some("Hunter2!hunter2")
    );
}

#[test]
fn the_arn_attribute_and_unknown_keys_are_refused_by_name() {
    let err = parse(&json!({"Arn": "arn:aws:iam::1:user/a"}), ctx()).expect_err("attribute");
    assert!(err.message.contains("Fn::GetAtt Arn"), "{}", err.message);
    let err = parse(
        &json!({"LoginProfile": {"Password": "x", "Bogus": 1}}),
        ctx(),
    )
    .expect_err("nested key");
    assert!(
        err.message.contains("LoginProfile has no key Bogus"),
        "{}",
        err.message
    );
    let err = parse(
        &json!({"LoginProfile": {"PasswordResetRequired": true}}),
        ctx(),
    )
    .expect_err("password required");
    assert!(
        err.message.contains("LoginProfile.Password is required"),
        "{}",
        err.message
    );
    let err = parse(
        &json!({"Policies": [{"PolicyName": "p", "PolicyDocument": {}},
            {"PolicyName": "p", "PolicyDocument": {}}]}),
        ctx(),
    )
    .expect_err("duplicate");
    assert!(
        err.message.contains("unique within a user"),
        "{}",
        err.message
    );
}

#[test]
fn the_password_is_never_printed_nor_sent_as_a_marker() {
    let secret = "Correct-Horse-9";
    let spec = parse(&json!({"LoginProfile": {"Password": secret}}), ctx())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!format!("{spec:?}").contains(secret), "{spec:?}");
    let marker = infra_state::redact::redaction_marker_of(&json!(secret));
    let recorded = Login {
        password: marker.clone(),
        reset: None,
    };
    let err = password(ctx(), &recorded).expect_err("a marker is not a password");
    assert!(!err.message.contains("sha256"), "{}", err.message);
    // The state's marker stands for the same password: unchanged; another one: changed.
    assert!(!password_changed(&marker, &json!(secret)));
    assert!(password_changed(&marker, &json!("Other-Horse-9")));
    assert!(!password_changed(&json!(secret), &json!(secret)));
    assert!(password_changed(&json!(secret), &json!("Other-Horse-9")));
}
