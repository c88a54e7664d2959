//! `AWS::IAM::Group` properties: parsing and refusals.

use serde_json::json;

use super::{TYPE, free_name, parse};
use crate::providers::kit::Ctx;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.Group")
}

#[test]
fn every_property_parses() {
    let spec = parse(
        &json!({
            "GroupName": "admins",
            "Path": "/teams/",
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "Policies": [{"PolicyName": "p", "PolicyDocument": "{\"Statement\": []}"}],
        }),
        ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.name.as_deref(), Some("admins"));
    assert_eq!(spec.path.as_deref(), Some("/teams/"));
    assert_eq!(spec.policies.managed.len(), 1, "duplicates dropped");
    assert_eq!(spec.policies.inline[0].document, json!({"Statement": []}));
}

#[test]
fn the_arn_and_unknown_properties_are_refused() {
    let err = parse(&json!({"Arn": "x"}), ctx()).expect_err("attribute");
    assert!(err.message.contains("Fn::GetAtt Arn"), "{}", err.message);
    let err = parse(&json!({"Tags": []}), ctx()).expect_err("no tags");
    assert!(
        err.message.contains("property Tags is not supported"),
        "{}",
        err.message
    );
    let err = parse(&json!({"Policies": [{"PolicyName": "p"}]}), ctx()).expect_err("document");
    assert!(
        err.message
            .contains("Policies[0].PolicyDocument is required"),
        "{}",
        err.message
    );
}

#[test]
fn the_checkpoint_names_the_group() {
    assert_ne!(free_name("a"), free_name("b"));
    assert_eq!(free_name("a"), json!({"GroupName": "a", "free": true}));
}
