//! The queue fan-out example (`examples/queue-fanout/template.yaml`) end to end on the AWS API
//! emulator: apply; what the template says checked through SQS's and SNS's APIs
//! (GetQueueAttributes, GetTopicAttributes, ListTagsForResource, GetSubscriptionAttributes) and
//! messages published to the topics received from the queues; a second plan with no changes;
//! an in-place update (the billing queue's visibility timeout, its subscription's filter
//! policy); a replacement (the audit queue's name, and so its subscription); destroy with
//! nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use boto::{batch, boto};
use cli::{assert_no_changes, edit, id, infra, ok, recorded_ids, s, text};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "fanout";

/// Every attribute SQS holds for the queue at `url`.
fn queue(endpoint: &str, url: &str) -> Value {
    boto(
        endpoint,
        "sqs",
        "get_queue_attributes",
        json!({"QueueUrl": url, "AttributeNames": ["All"]}),
    )["Attributes"]
        .clone()
}

/// A JSON document SQS or SNS holds as text.
fn doc(value: &Value) -> Value {
    serde_json::from_str(value.as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

/// The bodies of the messages waiting in the queue at `url` (without waiting for more).
fn received(endpoint: &str, url: &str) -> Vec<String> {
    let args = json!({"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 0});
    let out = boto(endpoint, "sqs", "receive_message", args);
    let messages = out["Messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter_map(|m| m["Body"].as_str().map(str::to_owned))
        .collect()
}

/// Publishes `message` of `kind` to the topic `arn` (a FIFO topic needs `group`).
fn publish(endpoint: &str, arn: &str, message: &str, kind: &str, group: Option<&str>) {
    let mut args = json!({"TopicArn": arn, "Message": message,
        "MessageAttributes": {"kind": {"DataType": "String", "StringValue": kind}}});
    if let Some(group) = group {
        args["MessageGroupId"] = json!(group);
    }
    boto(endpoint, "sns", "publish", args);
}

#[test]
fn queues_fed_by_topics_apply_update_replace_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("queue-fanout", dir.path());
    let state = dir.path().join("fanout.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    ok(&infra(
        &emulator,
        &["validate", "-t", s(&template), "--stack", STACK],
    ));
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 11 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let (orders, ledger) = (id(&ids, "Orders"), id(&ids, "Ledger"));
    let (billing, audit, ledger_queue, dead) = (
        id(&ids, "Billing"),
        id(&ids, "Audit"),
        id(&ids, "LedgerQueue"),
        id(&ids, "DeadLetters"),
    );

    // SQS: the queues' settings, the dead-letter queue, the policy letting the topics send.
    let dead_attrs = queue(&endpoint, dead);
    assert_eq!(dead_attrs["MessageRetentionPeriod"], json!("1209600"));
    assert_eq!(
        doc(&dead_attrs["RedriveAllowPolicy"]),
        json!({"redrivePermission": "allowAll"})
    );
    let billing_attrs = queue(&endpoint, billing);
    assert_eq!(billing_attrs["VisibilityTimeout"], json!("60"));
    assert_eq!(billing_attrs["ReceiveMessageWaitTimeSeconds"], json!("20"));
    let redrive = doc(&billing_attrs["RedrivePolicy"]);
    assert_eq!(redrive["deadLetterTargetArn"], dead_attrs["QueueArn"]);
    assert_eq!(redrive["maxReceiveCount"], json!(5));
    for url in [billing, audit, ledger_queue] {
        let policy = doc(&queue(&endpoint, url)["Policy"]);
        assert_eq!(policy["Statement"][0]["Sid"], json!("TopicsSend"), "{url}");
    }
    assert!(audit.ends_with("/fanout-audit"), "{audit}");
    // The ledger queue's generated name got the `.fifo` SQS wants of a FIFO queue.
    assert!(ledger_queue.ends_with(".fifo"), "{ledger_queue}");
    assert_eq!(queue(&endpoint, ledger_queue)["FifoQueue"], json!("true"));

    // SNS: the topics, the topic policy, the subscriptions.
    let topics = batch(
        &endpoint,
        &[
            ("sns", "get_topic_attributes", json!({"TopicArn": orders})),
            ("sns", "get_topic_attributes", json!({"TopicArn": ledger})),
            (
                "sns",
                "list_tags_for_resource",
                json!({"ResourceArn": orders}),
            ),
            (
                "sns",
                "list_subscriptions_by_topic",
                json!({"TopicArn": orders}),
            ),
        ],
    );
    let topics: Vec<Value> = topics
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let attrs = &topics[0]["Attributes"];
    assert_eq!(attrs["DisplayName"], json!("Orders"));
    assert_eq!(attrs["TracingConfig"], json!("Active"));
    assert_eq!(
        doc(&attrs["Policy"])["Statement"][0]["Sid"],
        json!("EventsPublish")
    );
    assert_eq!(topics[1]["Attributes"]["FifoTopic"], json!("true"));
    assert!(ledger.ends_with(".fifo"), "{ledger}");
    let tags = topics[2]["Tags"].as_array().expect("tags");
    assert!(
        tags.contains(&json!({"Key": "team", "Value": "orders"})),
        "{tags:?}"
    );
    assert_eq!(topics[3]["Subscriptions"].as_array().map(Vec::len), Some(2));
    let subscription = boto(
        &endpoint,
        "sns",
        "get_subscription_attributes",
        json!({"SubscriptionArn": id(&ids, "BillingSubscription")}),
    );
    let attrs = &subscription["Attributes"];
    assert_eq!(attrs["RawMessageDelivery"], json!("true"));
    assert_eq!(doc(&attrs["FilterPolicy"]), json!({"kind": ["order"]}));

    // Messages flow: billing gets orders raw, audit every event in SNS's envelope, the ledger
    // queue what the FIFO topic gets.
    publish(&endpoint, orders, "order-1", "order", None);
    publish(&endpoint, orders, "refund-1", "refund", None);
    assert_eq!(received(&endpoint, billing), ["order-1"]);
    let mut audited: Vec<Value> = received(&endpoint, audit)
        .iter()
        .map(|body| doc(&json!(body))["Message"].clone())
        .collect();
    audited.sort_by_key(Value::to_string);
    assert_eq!(audited, [json!("order-1"), json!("refund-1")]);
    publish(&endpoint, ledger, "entry-1", "order", Some("book"));
    assert_eq!(received(&endpoint, ledger_queue), ["entry-1"]);

    assert_no_changes(&emulator, &base);

    // In place: the billing queue's visibility timeout and its subscription's filter policy.
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--parameter",
        "VisibilityTimeout=120",
        "--parameter",
        "OrderKinds=order,refund",
    ]));
    assert!(out.contains("0 added, 2 changed, 0 destroyed"), "{out}");
    let after = recorded_ids(&state);
    assert_eq!(id(&after, "Billing"), billing);
    assert_eq!(queue(&endpoint, billing)["VisibilityTimeout"], json!("120"));
    let subscription = boto(
        &endpoint,
        "sns",
        "get_subscription_attributes",
        json!({"SubscriptionArn": id(&after, "BillingSubscription")}),
    );
    assert_eq!(
        doc(&subscription["Attributes"]["FilterPolicy"]),
        json!({"kind": ["order", "refund"]})
    );
    // The queue policy set before is still there.
    let policy = doc(&queue(&endpoint, billing)["Policy"]);
    assert_eq!(policy["Statement"][0]["Sid"], json!("TopicsSend"));
    edit(&template, "Default: 60", "Default: 120");
    edit(&template, "Default: order", "Default: order,refund");
    assert_no_changes(&emulator, &base);

    // A replacement: another name is another audit queue, so another subscription; the queue
    // policy now names the new queue.
    edit(&template, "-audit\"", "-audit-v2\"");
    let out = ok(&run(&["apply", "--auto-approve"]));
    let after = recorded_ids(&state);
    let new_audit = id(&after, "Audit");
    assert!(new_audit.ends_with("/fanout-audit-v2"), "{out}");
    let gone = boto::try_boto(
        &endpoint,
        "sqs",
        "get_queue_url",
        json!({"QueueName": "fanout-audit"}),
    );
    assert!(gone.is_err(), "the old audit queue is deleted: {gone:?}");
    assert_ne!(
        id(&after, "AuditSubscription"),
        id(&ids, "AuditSubscription")
    );
    let policy = doc(&queue(&endpoint, new_audit)["Policy"]);
    assert_eq!(policy["Statement"][0]["Sid"], json!("TopicsSend"));
    publish(&endpoint, orders, "order-2", "order", None);
    assert_eq!(received(&endpoint, new_audit).len(), 1);
    assert_no_changes(&emulator, &base);

    // Destroy: nothing of the stack is left.
    let out = ok(&infra(
        &emulator,
        &[
            "destroy",
            "--auto-approve",
            "--stack",
            STACK,
            "--state",
            s(&state),
        ],
    ));
    assert!(out.contains("Destroy complete!"), "{out}");
    let left = batch(
        &endpoint,
        &[
            ("sqs", "list_queues", json!({})),
            ("sns", "list_topics", json!({})),
            ("sns", "list_subscriptions", json!({})),
        ],
    );
    let left: Vec<Value> = left
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(left[0].get("QueueUrls"), None, "{}", text(&run(&["plan"])));
    assert_eq!(left[1]["Topics"], json!([]));
    assert_eq!(left[2]["Subscriptions"], json!([]));
}
