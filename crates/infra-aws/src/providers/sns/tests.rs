//! Unit tests of the SNS providers: property parsing, refusals and the attributes an update
//! sets.

use std::collections::BTreeMap;

use serde_json::json;

use super::{arn_parts, subscription, topic, topic_policy};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

#[test]
fn topic_properties_become_topic_attributes() -> Result<(), ProviderError> {
    let ctx = Ctx::new(topic::TYPE, "App.Topic");
    let spec = topic::parse(
        &json!({"FifoTopic": true, "ContentBasedDeduplication": "true", "SignatureVersion": 2,
            "DeliveryStatusLogging": [{"Protocol": "sqs", "SuccessFeedbackSampleRate": "50",
                "FailureFeedbackRoleArn": "arn:role"}],
            "Subscription": [{"Endpoint": "arn:q", "Protocol": "sqs"}],
            "DataProtectionPolicy": "{\"Name\": \"p\"}"}),
        ctx,
    )?;
    assert!(spec.fifo);
    assert_eq!(spec.subscriptions, [("sqs".to_owned(), "arn:q".to_owned())]);
    assert_eq!(spec.data_protection, Some(json!({"Name": "p"})));
    let set: BTreeMap<String, String> = topic::changes(&topic::Spec::default(), &spec)
        .into_iter()
        .collect();
    assert_eq!(set["SignatureVersion"], "2");
    assert_eq!(set["ContentBasedDeduplication"], "true");
    assert_eq!(set["SQSSuccessFeedbackSampleRate"], "50");
    assert_eq!(set["SQSFailureFeedbackRoleArn"], "arn:role");

    // Dropped: SNS's defaults, logging attributes emptied.
    let after = topic::Spec {
        fifo: true,
        ..topic::Spec::default()
    };
    let reset: BTreeMap<String, String> = topic::changes(&spec, &after).into_iter().collect();
    assert_eq!(reset["SignatureVersion"], "1");
    assert_eq!(reset["ContentBasedDeduplication"], "false");
    assert_eq!(reset["SQSFailureFeedbackRoleArn"], "");

    let err = topic::parse(&json!({"MaximumMessageSize": 2048}), ctx).expect_err("refused");
    assert!(
        err.message.contains("MaximumMessageSize is not supported"),
        "{err}"
    );
    let err = topic::parse(&json!({"TopicArn": "x"}), ctx).expect_err("attribute");
    assert!(err.message.contains("it is an attribute"), "{err}");
    let err = topic::parse(
        &json!({"DeliveryStatusLogging": [{"Protocol": "smtp"}]}),
        ctx,
    )
    .expect_err("protocol");
    assert!(err.message.contains("is not one of"), "{err}");
    Ok(())
}

#[test]
fn subscription_settings_change_scope_first() -> Result<(), ProviderError> {
    let ctx = Ctx::new(subscription::TYPE, "App.Sub");
    let before = subscription::parse(
        &json!({"TopicArn": "arn:aws:sns:eu-west-1:1:t", "Protocol": "sqs", "Endpoint": "arn:q",
            "RawMessageDelivery": true, "FilterPolicy": {"kind": ["a"]}}),
        ctx,
    )?;
    let after = subscription::parse(
        &json!({"TopicArn": "arn:aws:sns:eu-west-1:1:t", "Protocol": "sqs", "Endpoint": "arn:q",
            "FilterPolicy": "{\"kind\": [\"b\"]}", "FilterPolicyScope": "MessageBody",
            "Region": "eu-west-1"}),
        ctx,
    )?;
    let set = subscription::changes(&before.settings, &after.settings);
    assert_eq!(
        set,
        [
            ("FilterPolicyScope", "MessageBody"),
            ("FilterPolicy", "{\"kind\":[\"b\"]}"),
            ("RawMessageDelivery", "false"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(after.region.as_deref(), Some("eu-west-1"));
    let err = subscription::parse(&json!({"TopicArn": "t", "Protocol": "sqs"}), ctx)
        .expect_err("endpoint");
    assert!(err.message.contains("Endpoint is required"), "{err}");
    assert_eq!(
        arn_parts("arn:aws:sns:eu-west-1:123:t"),
        (Some("eu-west-1"), Some("123"))
    );
    Ok(())
}

#[test]
fn the_default_topic_policy_is_the_owners() {
    let policy = topic_policy::default_policy("arn:aws:sns:us-east-1:123456789012:t");
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceOwner"],
        json!("123456789012")
    );
    assert_eq!(
        policy["Statement"][0]["Resource"],
        json!("arn:aws:sns:us-east-1:123456789012:t")
    );
    let ctx = Ctx::new(topic_policy::TYPE, "App.Policy");
    let err =
        parse_policy(&json!({"PolicyDocument": {}, "Queues": ["x"]}), ctx).expect_err("Queues");
    assert!(err.message.contains("Queues"), "{err}");
}

/// The policy document and the objects of `topic_policy`, read as the provider reads them.
fn parse_policy(
    value: &serde_json::Value,
    ctx: Ctx<'_>,
) -> Result<(serde_json::Value, Vec<String>), ProviderError> {
    crate::providers::kit::held_policy::parse(
        value,
        ctx,
        crate::generated::sns::TOPIC_POLICY,
        "Topics",
    )
}
