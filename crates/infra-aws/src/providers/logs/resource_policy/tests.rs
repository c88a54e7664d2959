//! Unit tests of the resource policy provider: the template's properties.

use serde_json::json;

use super::{TYPE, parse};
use crate::providers::kit::Ctx;

#[test]
fn the_name_and_document_are_required_and_the_document_parsed() {
    let ctx = Ctx::new(TYPE, "App.Policy");
    let doc = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
    let parsed = parse(&json!({"PolicyName": "p", "PolicyDocument": doc}), ctx).map(|(_, d)| d);
    assert_eq!(
        parsed.ok(),
        Some(json!({"Version": "2012-10-17", "Statement": []}))
    );
    let err = parse(&json!({"PolicyName": "p"}), ctx).expect_err("no document");
    assert!(err.message.contains("PolicyDocument is required"), "{err}");
    let err = parse(&json!({"PolicyName": "p", "PolicyDocument": "[1]"}), ctx).expect_err("a list");
    assert!(err.message.contains("must be a JSON object"), "{err}");
    let err = parse(
        &json!({"PolicyName": "p", "PolicyDocument": {}, "Scope": "x"}),
        ctx,
    )
    .expect_err("unknown");
    assert!(err.message.contains("Scope"), "{err}");
}
