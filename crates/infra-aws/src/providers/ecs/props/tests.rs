use serde_json::json;

use super::*;

#[test]
fn covers_ignores_defaults_and_number_strings() {
    let prev = json!({"ContainerPort": "80", "Subnets": ["b", "a"]});
    let found = json!({"ContainerPort": 80, "Protocol": "tcp", "Subnets": ["a", "b"]});
    assert!(covers(&prev, &found));
    assert!(!covers(&json!({"ContainerPort": 81}), &found));
    assert!(covers(&json!({"Environment": []}), &json!({})));
    assert!(!covers(&json!({"A": [{"X": 1}]}), &json!({"A": []})));
}

#[test]
fn names_match_arns() {
    assert!(same_name_or_arn(
        "demo",
        "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
    ));
    assert!(!same_name_or_arn(
        "demo",
        "arn:aws:ecs:us-east-1:123456789012:cluster/demo2"
    ));
    assert_eq!(short_name("arn:aws:ecs:r:1:cluster/x"), "x");
}
