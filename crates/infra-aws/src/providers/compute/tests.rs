//! Unit tests of comparing property values.

use super::*;
use serde_json::json;

#[test]
fn values_compare_by_text() {
    assert!(same_value(Some(&json!(1)), Some(&json!("1"))));
    assert!(same_value(Some(&json!([1, "a"])), Some(&json!(["1", "a"]))));
    assert!(same_value(
        Some(&json!({"A": 1, "B": null})),
        Some(&json!({"A": "1"}))
    ));
    assert!(same_value(None, Some(&Value::Null)));
    assert!(!same_value(Some(&json!({"A": 1})), Some(&json!({"A": 2}))));
    assert!(!same_value(Some(&json!([1])), Some(&json!([1, 2]))));
}
