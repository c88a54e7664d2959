//! Unit tests of `common`: property parsing, refusals and what a read reports.

use super::*;
use serde_json::json;

#[test]
fn made_up_names_are_stable_per_intent() {
    let a = made_up_name("App.ScaleOut", "k1");
    assert_eq!(a, made_up_name("App.ScaleOut", "k1"));
    assert!(a.starts_with("ScaleOut-"), "{a}");
    assert_ne!(a, made_up_name("App.ScaleOut", "k2"));
    assert_ne!(a, made_up_name("Other.ScaleOut", "k1"));
}

#[test]
fn observed_keeps_managed_keys_in_their_spelling() {
    let last = json!({"HeartbeatTimeout": "60", "RoleARN": "arn:r",
        "DefaultResult": "ABANDON", "Tracking": {"TargetValue": 50}});
    let found = json!({"HeartbeatTimeout": 60, "DefaultResult": "CONTINUE",
        "GlobalTimeout": 6000, "Tracking": {"TargetValue": 50, "DisableScaleIn": false}});
    let Value::Object(found) = found else {
        unreachable!()
    };
    let seen = observed(found, &last, &["RoleARN"]);
    assert_eq!(
        seen,
        json!({"HeartbeatTimeout": "60", "RoleARN": "arn:r", "DefaultResult": "CONTINUE",
            "Tracking": {"TargetValue": 50}})
    );
}

#[test]
fn objects_of_a_group_are_keyed_by_group_and_name() {
    assert_eq!(in_group(Some("g"), Some("n")), "g/n");
    assert_eq!(in_group(None, Some("n")), "/n");
    let any = Lookup::in_group("g".to_owned(), "n".to_owned(), false);
    assert_eq!((any.parent.as_str(), any.name.as_str()), ("", "n"));
    assert_eq!(any.key, "g/n");
    let per = Lookup::in_group("g".to_owned(), "n".to_owned(), true);
    assert_eq!((per.parent.as_str(), per.key.as_str()), ("g", "g/n"));
}
