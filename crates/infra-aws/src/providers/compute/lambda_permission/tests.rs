//! Unit tests of the permission provider: statement ids, reading statements back.

use serde_json::json;

use super::{observe, split_id, statement_id};

#[test]
fn statement_ids_are_stable_per_intent_and_fit_lambda() {
    let a = statement_id("App.InvokePermission", "k1");
    assert_eq!(a, statement_id("App.InvokePermission", "k1"));
    assert_ne!(a, statement_id("App.InvokePermission", "k2"));
    assert!(a.starts_with("InvokePermission-") && a.len() <= 100, "{a}");
    let long = statement_id(&format!("App.{}", "P".repeat(300)), "k");
    assert!(long.len() <= 100, "{long}");
    assert_eq!(
        split_id("arn:aws:lambda:us-east-1:1:function:f|Sid-1"),
        ("arn:aws:lambda:us-east-1:1:function:f", "Sid-1")
    );
}

#[test]
fn statements_read_back_as_the_template_writes_them() {
    let statement = json!({"Sid": "s", "Effect": "Allow", "Action": "lambda:InvokeFunction",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Resource": "arn:aws:lambda:us-east-1:1:function:f",
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:events:us-east-1:1:rule/r"},
            "Bool": {"lambda:InvokedViaFunctionUrl": "true"}}});
    let last = json!({"FunctionName": "f", "Action": "lambda:InvokeFunction",
        "Principal": "123456789012", "SourceArn": "arn:aws:events:us-east-1:1:rule/r",
        "InvokedViaFunctionUrl": true});
    assert_eq!(observe(&statement, &last), last);
    let service = json!({"Action": "lambda:InvokeFunction", "Principal": {"Service": "events.amazonaws.com"}});
    let last =
        json!({"FunctionName": "f", "Principal": "events.amazonaws.com", "SourceAccount": "1"});
    assert_eq!(
        observe(&service, &last),
        json!({"FunctionName": "f", "Principal": "events.amazonaws.com"})
    );
}
