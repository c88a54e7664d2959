//! Unit tests of the SQS providers: property parsing, refusals, the changes an update sends,
//! FIFO names and the messaging helpers.

use std::collections::BTreeMap;

use serde_json::{Map, json};

use super::queue::{self, Spec, changes, parse};
use super::settings::{same, typed};
use super::{declared_attributes, fifo_name, queue_policy};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

#[test]
fn queue_properties_are_read_in_their_types_and_attributes_refused() -> Result<(), ProviderError> {
    let ctx = Ctx::new(queue::TYPE, "App.Queue");
    let spec = parse(
        &json!({"QueueName": "jobs.fifo", "FifoQueue": "true", "VisibilityTimeout": "60",
            "ContentBasedDeduplication": true,
            "RedrivePolicy": "{\"deadLetterTargetArn\": \"arn:dlq\", \"maxReceiveCount\": 5}",
            "Tags": [{"Key": "team", "Value": "a"}]}),
        ctx,
    )?;
    assert!(spec.fifo);
    assert_eq!(spec.settings["VisibilityTimeout"], json!(60));
    assert_eq!(spec.settings["ContentBasedDeduplication"], json!(true));
    assert_eq!(
        spec.settings["RedrivePolicy"],
        json!({"deadLetterTargetArn": "arn:dlq", "maxReceiveCount": 5})
    );
    for (key, why) in [
        ("Arn", "attribute"),
        ("QueueUrl", "attribute"),
        ("Nope", "not supported"),
    ] {
        let err = parse(&json!({key: "x"}), ctx).expect_err(key);
        assert!(err.message.contains(why), "{err}");
    }
    let err = parse(&json!({"DelaySeconds": "soon"}), ctx).expect_err("not a number");
    assert!(
        err.message.contains("DelaySeconds must be an integer"),
        "{err}"
    );
    Ok(())
}

#[test]
fn an_update_sends_what_changed_and_defaults_for_what_went() -> Result<(), ProviderError> {
    let ctx = Ctx::new(queue::TYPE, "App.Queue");
    let before = parse(
        &json!({"VisibilityTimeout": 60, "DelaySeconds": 5, "SqsManagedSseEnabled": false,
            "RedrivePolicy": {"deadLetterTargetArn": "arn:dlq", "maxReceiveCount": "5"},
            "DeduplicationScope": "messageGroup"}),
        ctx,
    )?;
    let after = parse(
        &json!({"VisibilityTimeout": "90", "DelaySeconds": "5",
            "RedrivePolicy": "{\"maxReceiveCount\": 5, \"deadLetterTargetArn\": \"arn:dlq\"}",
            "KmsMasterKeyId": "alias/aws/sqs"}),
        ctx,
    )?;
    let sent = changes(&before, &after);
    let want = [
        ("VisibilityTimeout".to_owned(), "90".to_owned()),
        ("KmsMasterKeyId".to_owned(), "alias/aws/sqs".to_owned()),
    ];
    // No SSE-SQS beside a KMS key; no FIFO setting on a standard queue.
    assert_eq!(sent, want);
    let fifo_after = Spec {
        fifo: true,
        ..Spec::default()
    };
    let sent: BTreeMap<String, String> = changes(&before, &fifo_after).into_iter().collect();
    assert_eq!(sent["DeduplicationScope"], "queue");
    assert_eq!(sent["SqsManagedSseEnabled"], "true");
    assert_eq!(sent["RedrivePolicy"], "");
    assert_eq!(sent["VisibilityTimeout"], "30");
    Ok(())
}

#[test]
fn fifo_names_end_in_fifo_and_keep_their_random_part() {
    assert_eq!(fifo_name("jobs.fifo", 80), "jobs.fifo");
    assert_eq!(fifo_name("app-Jobs-ABC", 80), "app-Jobs-ABC.fifo");
    let generated = format!("{}-Jobs-ABCDEFGHIJKL", "s".repeat(62));
    assert_eq!(generated.len(), 80);
    let name = fifo_name(&generated, 80);
    assert_eq!(name.len(), 80);
    assert!(name.ends_with("-ABCDEFGHIJKL.fifo"), "{name}");
    assert_eq!(
        fifo_name(&"x".repeat(80), 80),
        format!("{}.fifo", "x".repeat(75))
    );
}

#[test]
fn values_compare_as_the_template_writes_them() {
    assert!(same(&json!(5), &json!("5")));
    assert!(same(
        &json!({"a": 1, "b": "x"}),
        &json!("{\"b\": \"x\", \"a\": \"1\"}")
    ));
    assert!(!same(&json!({"a": 1}), &json!({"a": 2})));
    assert_eq!(typed("30"), json!(30));
    assert_eq!(typed("true"), json!(true));
    assert_eq!(typed("queue"), json!("queue"));
    let model: Map<_, _> = json!({"Arn": "arn:q", "QueueName": "q", "Other": 1,
        "RedrivePolicy": {"maxReceiveCount": 3}})
    .as_object()
    .cloned()
    .unwrap_or_default();
    let attributes = declared_attributes(queue::TYPE, &model);
    assert_eq!(attributes["Arn"], json!("arn:q"));
    assert_eq!(attributes["RedrivePolicy.maxReceiveCount"], json!(3));
    assert!(!attributes.contains_key("Other"));
}

#[test]
fn queue_policies_need_a_document_and_queues() -> Result<(), ProviderError> {
    let ctx = Ctx::new(queue_policy::TYPE, "App.Policy");
    let (doc, queues) = parse_policy(
        &json!({"PolicyDocument": "{\"Statement\": []}", "Queues": ["https://q/1"]}),
        ctx,
    )?;
    assert_eq!(doc, json!({"Statement": []}));
    assert_eq!(queues, ["https://q/1"]);
    let err =
        parse_policy(&json!({"PolicyDocument": {}, "Queues": []}), ctx).expect_err("no queue");
    assert!(
        err.message.contains("Queues: must name one at least"),
        "{err}"
    );
    let err = parse_policy(&json!({"Queues": ["u"], "Id": "x"}), ctx).expect_err("Id");
    assert!(err.message.contains("Id is not supported"), "{err}");
    assert_eq!(
        crate::providers::kit::held_policy::policy_id("Stack.Policy", "key-1"),
        crate::providers::kit::held_policy::policy_id("Stack.Policy", "key-1")
    );
    assert!(
        crate::providers::kit::held_policy::policy_id("Stack.Policy", "").starts_with("Policy-")
    );
    Ok(())
}

/// The policy document and the objects of `queue_policy`, read as the provider reads them.
fn parse_policy(
    value: &serde_json::Value,
    ctx: Ctx<'_>,
) -> Result<(serde_json::Value, Vec<String>), ProviderError> {
    crate::providers::kit::held_policy::parse(
        value,
        ctx,
        crate::generated::sqs::QUEUE_POLICY,
        "Queues",
    )
}
