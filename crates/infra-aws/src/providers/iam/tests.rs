//! Unit tests of the IAM providers' pure parts: property checks, documents, tags, classes.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::error::AwsError;
use crate::provider::FailureClass;
use crate::providers::kit::{
    Ctx, Props, class_of, compact, merge_tags, observed_document, observed_set, observed_tags,
    owned_by, parse_document, percent_decode, same_document, stable_suffix, tag_changes,
};

fn service_error(code: &str, message: &str) -> AwsError {
    AwsError::Service {
        service: "iam".into(),
        operation: "CreateRole".into(),
        code: code.into(),
        message: message.into(),
        request_id: None,
    }
}

#[test]
fn error_classes_follow_the_codes() {
    let cases = [
        (
            service_error("NoSuchEntity", "The role with name x cannot be found."),
            FailureClass::NotFound,
        ),
        (
            service_error("ResourceNotFoundException", "gone"),
            FailureClass::NotFound,
        ),
        (
            service_error(
                "DeleteConflict",
                "Cannot delete entity, must detach all policies first.",
            ),
            FailureClass::DependencyViolation,
        ),
        (
            service_error("ServiceFailure", "oops"),
            FailureClass::Retryable,
        ),
        (
            service_error("ConcurrentModification", "busy"),
            FailureClass::Retryable,
        ),
        (
            service_error("HTTP 503", "(no message)"),
            FailureClass::Retryable,
        ),
        (
            service_error(
                "MalformedPolicyDocument",
                "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1:role/new\"",
            ),
            FailureClass::EventuallyConsistent,
        ),
        (
            service_error("MalformedPolicyDocument", "Syntax errors in policy."),
            FailureClass::Fatal,
        ),
        (
            service_error("EntityAlreadyExists", "exists"),
            FailureClass::Fatal,
        ),
        (
            AwsError::Throttled {
                service: "iam".into(),
                operation: "GetRole".into(),
                code: "Throttling".into(),
                message: "Rate exceeded".into(),
            },
            FailureClass::Retryable,
        ),
    ];
    for (err, class) in cases {
        assert_eq!(class_of(&err), class, "{err}");
    }
}

#[test]
fn a_missing_referenced_entity_is_eventual_consistency() {
    let ctx = Ctx::new("AWS::IAM::Policy", "Stack.Policy");
    let err = ctx.fail_referencing(
        "putting inline policy p on role r",
        service_error("NoSuchEntity", "The role with name r cannot be found."),
    );
    assert_eq!(err.class, FailureClass::EventuallyConsistent);
    assert!(
        err.message
            .starts_with("AWS::IAM::Policy Stack.Policy: putting inline policy p on role r: "),
        "{}",
        err.message
    );
    assert!(err.message.contains("NoSuchEntity"), "{}", err.message);
    assert!(err.message.contains("CreateRole"), "{}", err.message);
    let own = ctx.fail("reading", service_error("NoSuchEntity", "x"));
    assert_eq!(own.class, FailureClass::NotFound);
}

#[test]
fn unknown_and_unsupported_properties_are_refused_by_name() {
    let ctx = Ctx::new("AWS::IAM::Role", "Role");
    let value = json!({"RoleName": "r", "Bogus": 1});
    let err = Props::new(&value, ctx, &["RoleName"], &[]).expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(err.message.contains("Bogus"), "{}", err.message);
    let value = json!({"Odd": 1});
    let err = Props::new(&value, ctx, &[], &[("Odd", "because")]).expect_err("refused");
    assert!(
        err.message
            .contains("property Odd is not supported: because"),
        "{}",
        err.message
    );
    // A null (AWS::NoValue) is as if absent.
    assert!(Props::new(&json!({"Bogus": null}), ctx, &[], &[]).is_ok());
}

#[test]
fn scalars_accept_cloudformation_spellings() {
    let ctx = Ctx::new("AWS::IAM::Role", "Role");
    let value = json!({"N": "3600", "M": 7200, "B": "true", "S": 12, "L": ["a", 1]});
    let props =
        Props::new(&value, ctx, &["N", "M", "B", "S", "L"], &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(props.i32("N").ok().flatten(), Some(3600));
    assert_eq!(props.i32("M").ok().flatten(), Some(7200));
    assert_eq!(props.bool("B").ok().flatten(), Some(true));
    assert_eq!(props.str("S").ok().flatten().as_deref(), Some("12"));
    assert_eq!(
        props.str_list("L").ok(),
        Some(vec!["a".to_owned(), "1".to_owned()])
    );
    assert!(props.i32("B").is_err());
}

#[test]
fn documents_are_objects_or_json_strings_and_stay_typed() {
    let object = json!({"Version": "2012-10-17", "Statement": []});
    let text = Value::String("{ \"Version\" : \"2012-10-17\", \"Statement\" : [] }".into());
    assert_eq!(parse_document(&object), Ok(object.clone()));
    assert_eq!(parse_document(&text), Ok(object.clone()));
    assert_eq!(
        compact(&object),
        r#"{"Version":"2012-10-17","Statement":[]}"#
    );
    assert!(same_document(&object, &text));
    assert!(parse_document(&Value::String("not json".into())).is_err());
    assert!(parse_document(&json!(["a"])).is_err());
    assert!(parse_document(&Value::String("[1]".into())).is_err());
}

#[test]
fn iam_documents_are_percent_decoded() {
    assert_eq!(
        percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D"),
        r#"{"Version":"2012-10-17"}"#
    );
    // RFC 3986: `+` is a plus, a stray `%` stays.
    assert_eq!(percent_decode("a+b%2Bc%"), "a+b+c%");
    assert_eq!(percent_decode("%zz%4"), "%zz%4");
    assert_eq!(percent_decode("caf%C3%A9"), "café");
}

#[test]
fn observed_values_keep_the_previous_spelling_when_equal() {
    let previous = Value::String("{\"Version\": \"2012-10-17\"}".into());
    let observed = observed_document(
        "%7B%22Version%22%3A%222012-10-17%22%7D",
        true,
        Some(&previous),
    );
    assert_eq!(observed, previous);
    let changed = observed_document(
        "%7B%22Version%22%3A%222008-10-17%22%7D",
        true,
        Some(&previous),
    );
    assert_eq!(changed, json!({"Version": "2008-10-17"}));

    let previous = json!(["b", "a"]);
    assert_eq!(
        observed_set(vec!["a".into(), "b".into()], Some(&previous)),
        previous
    );
    assert_eq!(
        observed_set(vec!["a".into()], Some(&previous)),
        json!(["a"])
    );

    let found = BTreeMap::from([
        ("team".to_owned(), "x".to_owned()),
        ("infra:stack".to_owned(), "demo".to_owned()),
        ("aws:cloudformation:stack-name".to_owned(), "s".to_owned()),
    ]);
    let previous = json!([{"Value": "x", "Key": "team"}]);
    assert_eq!(observed_tags(&found, Some(&previous)), previous);
    assert_eq!(
        observed_tags(&found, None),
        json!([{"Key": "team", "Value": "x"}])
    );
}

#[test]
fn tags_merge_and_diff() {
    let infra = BTreeMap::from([
        ("infra:stack".to_owned(), "demo".to_owned()),
        ("infra:address".to_owned(), "Role".to_owned()),
    ]);
    let template = vec![
        ("team".to_owned(), "a".to_owned()),
        ("infra:stack".to_owned(), "spoofed".to_owned()),
    ];
    let merged = merge_tags(&template, &infra);
    assert_eq!(merged.get("infra:stack").map(String::as_str), Some("demo"));
    assert_eq!(merged.len(), 3);
    assert!(owned_by(&merged, &infra));
    assert!(
        !owned_by(&merged, &BTreeMap::new()),
        "no infra tags: never adopt"
    );

    let after = merge_tags(
        &[
            ("team".to_owned(), "b".to_owned()),
            ("new".to_owned(), "1".to_owned()),
        ],
        &infra,
    );
    let before = merge_tags(
        &[
            ("team".to_owned(), "a".to_owned()),
            ("old".to_owned(), "1".to_owned()),
        ],
        &infra,
    );
    let (set, remove) = tag_changes(&before, &after);
    assert_eq!(
        set,
        BTreeMap::from([
            ("new".to_owned(), "1".to_owned()),
            ("team".to_owned(), "b".to_owned())
        ])
    );
    assert_eq!(remove, vec!["old".to_owned()]);
}

#[test]
fn role_properties_parse_and_reject_duplicates() {
    let props = json!({
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/a", "arn:aws:iam::aws:policy/a"],
        "Policies": [{"PolicyName": "p", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}]
    });
    let parse = |props: &Value| super::role::parse(props, Ctx::new("AWS::IAM::Role", "Test"));
    let spec = parse(&props).unwrap_or_else(|e| panic!("{e}"));
    let policies: Vec<_> = spec
        .policies
        .inline
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let (managed, assume) = (spec.policies.managed, compact(&spec.assume));
    assert_eq!(policies, vec!["p".to_owned()]);
    assert_eq!(managed, vec!["arn:aws:iam::aws:policy/a".to_owned()]);
    assert!(
        assume.starts_with(r#"{"Version":"2012-10-17","#),
        "{assume}"
    );

    let dup = json!({
        "AssumeRolePolicyDocument": {},
        "Policies": [
            {"PolicyName": "p", "PolicyDocument": {}},
            {"PolicyName": "p", "PolicyDocument": {}}
        ]
    });
    let err = parse(&dup).expect_err("duplicate");
    assert!(
        err.message.contains("two policies are named p"),
        "{}",
        err.message
    );
    let missing = json!({"RoleName": "r"});
    let err = parse(&missing).expect_err("required");
    assert!(
        err.message.contains("AssumeRolePolicyDocument"),
        "{}",
        err.message
    );
}

#[test]
fn policy_ids_are_stable_per_address() {
    let a = super::policy::policy_id("Stack.Policy", "p");
    assert_eq!(a, super::policy::policy_id("Stack.Policy", "p"));
    assert_ne!(a, super::policy::policy_id("Stack.Other", "p"));
    assert!(a.starts_with("p-") && a.len() == "p-".len() + 13, "{a}");
    assert_eq!(stable_suffix("x").len(), 13);
}
