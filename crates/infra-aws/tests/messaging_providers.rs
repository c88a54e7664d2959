//! The SQS and SNS providers against the AWS API emulator (moto server with the fidelity fixes
//! of `emulator/fidelity_apps/messaging.py`): create → read → update → find → delete → read
//! for `AWS::SQS::Queue`, `AWS::SQS::QueuePolicy`, `AWS::SNS::Topic`, `AWS::SNS::Subscription`
//! and `AWS::SNS::TopicPolicy`, every check made through SQS's and SNS's own APIs.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::HashMap;

use infra_aws::provider::FailureClass;
use provider_harness::{Harness, Made, emulator_config, generated};
use serde_json::{Value, json};

const QUEUE: &str = "AWS::SQS::Queue";
const QUEUE_POLICY: &str = "AWS::SQS::QueuePolicy";
const TOPIC: &str = "AWS::SNS::Topic";
const SUBSCRIPTION: &str = "AWS::SNS::Subscription";
const TOPIC_POLICY: &str = "AWS::SNS::TopicPolicy";

struct Env {
    harness: Harness,
    sqs: aws_sdk_sqs::Client,
    sns: aws_sdk_sns::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Made {
    fn attr(&self, name: &str) -> &str {
        self.out.attributes[name].as_str().unwrap_or_default()
    }
}

/// The name generated for `address` of `stack` (its suffix stands for the engine's).
fn generated_gen1(stack: &str, address: &str) -> String {
    format!("{}-GEN1", generated(stack, address))
}

impl Env {
    /// Every create gets a generated name.
    async fn new(stack: &str) -> Env {
        let config = emulator_config().await;
        let harness = Harness::new(&config, stack)
            .naming(|stack, address, _| Some(generated_gen1(stack, address)));
        Env {
            harness,
            sqs: aws_sdk_sqs::Client::new(&config),
            sns: aws_sdk_sns::Client::new(&config),
        }
    }

    fn generated(&self, address: &str) -> String {
        generated_gen1(&self.stack, address)
    }

    /// What `find` answers for `made` as its create was asked, by the create's key, given the
    /// name `name`.
    async fn find_named(&self, made: &Made, name: Option<&str>) -> Option<String> {
        let mut input = self.find_input(made);
        input.name = name.map(str::to_owned);
        self.find_with(&input).await.map(|o| o.physical_id)
    }

    async fn queue_attributes(&self, url: &str) -> HashMap<String, String> {
        let out = self
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
            .send()
            .await
            .expect("GetQueueAttributes");
        let attrs = out.attributes().cloned().unwrap_or_default();
        attrs
            .into_iter()
            .map(|(k, v)| (k.as_str().to_owned(), v))
            .collect()
    }

    async fn topic_attributes(&self, arn: &str) -> HashMap<String, String> {
        let out = self.sns.get_topic_attributes().topic_arn(arn).send().await;
        out.expect("GetTopicAttributes")
            .attributes()
            .cloned()
            .unwrap_or_default()
    }

    async fn subscription_attributes(&self, arn: &str) -> HashMap<String, String> {
        let out = self
            .sns
            .get_subscription_attributes()
            .subscription_arn(arn)
            .send();
        let out = out.await.expect("GetSubscriptionAttributes");
        out.attributes().cloned().unwrap_or_default()
    }
}

fn doc(text: Option<&String>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

fn send_policy(source: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": source}}}]})
}

#[tokio::test(flavor = "multi_thread")]
async fn queue_is_created_read_updated_found_and_deleted() {
    let env = Env::new("sqs-q").await;
    let dlq = env
        .create(
            "App.Dlq",
            QUEUE,
            json!({"QueueName": "sqs-q-dlq", "MessageRetentionPeriod": 1209600,
                "RedriveAllowPolicy": {"redrivePermission": "allowAll"}}),
        )
        .await;
    assert!(dlq.id().ends_with("/sqs-q-dlq"), "{dlq:?}");
    let dlq_arn = dlq.attr("Arn").to_owned();
    assert!(dlq_arn.ends_with(":sqs-q-dlq"), "{dlq_arn}");
    assert_eq!(dlq.out.attributes["QueueName"], json!("sqs-q-dlq"));
    assert_eq!(dlq.out.attributes["MessageRetentionPeriod"], json!(1209600));
    env.assert_present(&dlq).await;

    let redrive = format!("{{\"deadLetterTargetArn\": \"{dlq_arn}\", \"maxReceiveCount\": \"5\"}}");
    let props = json!({"VisibilityTimeout": "45", "DelaySeconds": 5, "RedrivePolicy": redrive,
        "Tags": [{"Key": "team", "Value": "a"}]});
    let queue = env.create("App.Queue", QUEUE, props).await;
    assert!(queue.id().ends_with("/sqs-q-App-Queue-GEN1"), "{queue:?}");
    assert_eq!(
        queue.out.attributes["RedrivePolicy.maxReceiveCount"],
        json!(5)
    );
    assert_eq!(queue.attr("RedrivePolicy.deadLetterTargetArn"), dlq_arn);

    // Checked through SQS itself.
    let attrs = env.queue_attributes(queue.id()).await;
    assert_eq!(attrs["VisibilityTimeout"], "45");
    assert_eq!(attrs["DelaySeconds"], "5");
    assert_eq!(
        doc(attrs.get("RedrivePolicy"))["deadLetterTargetArn"],
        json!(dlq_arn)
    );
    let tags = env.sqs.list_queue_tags().queue_url(queue.id()).send().await;
    let tags = tags.expect("tags").tags().cloned().unwrap_or_default();
    assert_eq!(tags.get("team").map(String::as_str), Some("a"));
    assert_eq!(
        tags.get("infra:address").map(String::as_str),
        Some("App.Queue")
    );
    env.assert_present(&queue).await;
    let name = env.generated("App.Queue");
    assert_eq!(
        env.find_named(&queue, Some(&name)).await.as_deref(),
        Some(queue.id())
    );

    // In place: a new timeout, the delay dropped (SQS's default again), the dead-letter
    // queue's maxReceiveCount, other tags.
    let redrive = json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3});
    let queue = env
        .update(
            &queue,
            json!({"VisibilityTimeout": 90, "RedrivePolicy": redrive,
                "Tags": [{"Key": "team", "Value": "b"}]}),
        )
        .await;
    let attrs = env.queue_attributes(queue.id()).await;
    assert_eq!(attrs["VisibilityTimeout"], "90");
    assert_eq!(attrs["DelaySeconds"], "0");
    assert_eq!(doc(attrs.get("RedrivePolicy"))["maxReceiveCount"], json!(3));
    assert_eq!(queue.out.attributes["VisibilityTimeout"], json!(90));
    env.assert_present(&queue).await;

    // A FIFO queue with a generated name: `.fifo` added, recorded without it (as the engine
    // records the generated name), found again by it.
    let fifo_props = json!({"FifoQueue": true, "ContentBasedDeduplication": true});
    let mut fifo = env.create("App.Jobs", QUEUE, fifo_props).await;
    assert!(fifo.id().ends_with("/sqs-q-App-Jobs-GEN1.fifo"), "{fifo:?}");
    fifo.properties["QueueName"] = json!(env.generated("App.Jobs"));
    env.assert_present(&fifo).await;
    let name = env.generated("App.Jobs");
    assert_eq!(
        env.find_named(&fifo, Some(&name)).await.as_deref(),
        Some(fifo.id())
    );
    let attrs = env.queue_attributes(fifo.id()).await;
    assert_eq!(attrs["FifoQueue"], "true");
    assert_eq!(attrs["ContentBasedDeduplication"], "true");

    // An explicit name taken by a queue that is not this resource's is not adopted.
    env.sqs
        .create_queue()
        .queue_name("sqs-q-other")
        .send()
        .await
        .expect("other");
    let err = env
        .try_create("App.Other", QUEUE, json!({"QueueName": "sqs-q-other"}))
        .await
        .expect_err("taken");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains("was not made for this resource"),
        "{err}"
    );

    for made in [&queue, &fifo, &dlq] {
        env.delete(made).await;
        env.assert_gone(made).await;
        env.delete(made).await; // idempotent
    }
    assert_eq!(
        env.find_named(&queue, Some(&env.generated("App.Queue")))
            .await,
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn queue_policy_is_set_on_its_queues_and_removed() {
    let env = Env::new("sqs-p").await;
    let a = env
        .create("App.A", QUEUE, json!({"QueueName": "sqs-p-a"}))
        .await;
    let b = env
        .create("App.B", QUEUE, json!({"QueueName": "sqs-p-b"}))
        .await;
    let topic = "arn:aws:sns:us-east-1:123456789012:t";
    let props = json!({"PolicyDocument": send_policy(topic), "Queues": [a.id(), b.id()]});
    let policy = env.create("App.Policy", QUEUE_POLICY, props).await;
    assert!(policy.id().starts_with("Policy-"), "{policy:?}");
    assert_eq!(policy.out.attributes["Id"], json!(policy.id()));
    for queue in [&a, &b] {
        let attrs = env.queue_attributes(queue.id()).await;
        assert_eq!(doc(attrs.get("Policy")), send_policy(topic));
    }
    env.assert_present(&policy).await;
    assert_eq!(
        env.find_named(&policy, None).await.as_deref(),
        Some(policy.id())
    );

    // A queue dropped loses the policy; the other gets the new document (as a string).
    let other = send_policy("arn:aws:sns:us-east-1:123456789012:u");
    let props = json!({"PolicyDocument": other.to_string(), "Queues": [b.id()]});
    let policy = env.update(&policy, props).await;
    assert!(!env.queue_attributes(a.id()).await.contains_key("Policy"));
    assert_eq!(doc(env.queue_attributes(b.id()).await.get("Policy")), other);
    env.assert_present(&policy).await;

    // A queue update leaves the policy alone (moto reset it: fidelity fix 1).
    let b = env
        .update(&b, json!({"QueueName": "sqs-p-b", "VisibilityTimeout": 10}))
        .await;
    env.assert_present(&policy).await;

    env.delete(&policy).await;
    assert!(!env.queue_attributes(b.id()).await.contains_key("Policy"));
    env.assert_gone(&policy).await;
    assert_eq!(env.find_named(&policy, None).await, None);
    env.delete(&policy).await;
    for queue in [&a, &b] {
        env.delete(queue).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn topic_is_created_read_updated_found_and_deleted() {
    let env = Env::new("sns-t").await;
    let queue = env
        .create("App.Q", QUEUE, json!({"QueueName": "sns-t-q"}))
        .await;
    let queue_arn = queue.attr("Arn").to_owned();
    let props = json!({
        "DisplayName": "Orders",
        "TracingConfig": "Active",
        "DeliveryStatusLogging": [{"Protocol": "sqs", "SuccessFeedbackSampleRate": "50",
            "SuccessFeedbackRoleArn": "arn:aws:iam::123456789012:role/logs",
            "FailureFeedbackRoleArn": "arn:aws:iam::123456789012:role/logs"}],
        "DataProtectionPolicy": {"Name": "p", "Version": "2021-06-01", "Statement": []},
        "Subscription": [{"Endpoint": queue_arn, "Protocol": "sqs"}],
        "Tags": [{"Key": "team", "Value": "a"}],
    });
    let topic = env.create("App.Topic", TOPIC, props).await;
    assert!(topic.id().ends_with(":sns-t-App-Topic-GEN1"), "{topic:?}");
    assert_eq!(topic.out.attributes["TopicArn"], json!(topic.id()));
    assert_eq!(
        topic.out.attributes["TopicName"],
        json!("sns-t-App-Topic-GEN1")
    );
    assert_eq!(topic.out.attributes["DisplayName"], json!("Orders"));

    let attrs = env.topic_attributes(topic.id()).await;
    assert_eq!(attrs["DisplayName"], "Orders");
    assert_eq!(attrs["TracingConfig"], "Active");
    assert_eq!(attrs["SQSSuccessFeedbackSampleRate"], "50");
    let subs = env
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(topic.id())
        .send()
        .await;
    let subs = subs.expect("subscriptions").subscriptions().to_vec();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].endpoint(), Some(queue_arn.as_str()));
    let tags = env
        .sns
        .list_tags_for_resource()
        .resource_arn(topic.id())
        .send()
        .await;
    let tags = tags.expect("tags").tags().to_vec();
    assert!(
        tags.iter()
            .any(|t| t.key() == "infra:address" && t.value() == "App.Topic")
    );
    env.assert_present(&topic).await;
    let name = env.generated("App.Topic");
    assert_eq!(
        env.find_named(&topic, Some(&name)).await.as_deref(),
        Some(topic.id())
    );

    // In place: another display name, tracing and logging dropped, the subscription gone.
    let topic = env
        .update(
            &topic,
            json!({"DisplayName": "Orders v2", "Subscription": [],
                "DataProtectionPolicy": {"Name": "q", "Version": "2021-06-01", "Statement": []},
                "Tags": [{"Key": "team", "Value": "b"}]}),
        )
        .await;
    let attrs = env.topic_attributes(topic.id()).await;
    assert_eq!(attrs["DisplayName"], "Orders v2");
    assert_eq!(
        attrs.get("TracingConfig").map(String::as_str),
        Some("PassThrough")
    );
    assert!(
        !attrs.contains_key("SQSSuccessFeedbackSampleRate"),
        "{attrs:?}"
    );
    let subs = env
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(topic.id())
        .send()
        .await;
    assert!(subs.expect("subscriptions").subscriptions().is_empty());
    let policy = env
        .sns
        .get_data_protection_policy()
        .resource_arn(topic.id())
        .send()
        .await;
    let policy = policy.expect("data protection policy");
    assert_eq!(
        doc(policy.data_protection_policy().map(str::to_owned).as_ref())["Name"],
        json!("q")
    );
    env.assert_present(&topic).await;

    // A FIFO topic with a generated name ends in `.fifo`.
    let fifo_props = json!({"FifoTopic": true, "ContentBasedDeduplication": true});
    let mut fifo = env.create("App.Fifo", TOPIC, fifo_props).await;
    assert!(fifo.id().ends_with(":sns-t-App-Fifo-GEN1.fifo"), "{fifo:?}");
    fifo.properties["TopicName"] = json!(env.generated("App.Fifo"));
    env.assert_present(&fifo).await;
    let name = env.generated("App.Fifo");
    assert_eq!(
        env.find_named(&fifo, Some(&name)).await.as_deref(),
        Some(fifo.id())
    );

    // An explicit name taken by a topic that is not this resource's is not adopted.
    env.sns
        .create_topic()
        .name("sns-t-other")
        .send()
        .await
        .expect("other");
    let err = env
        .try_create("App.Other", TOPIC, json!({"TopicName": "sns-t-other"}))
        .await
        .expect_err("taken");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(err.message.contains("choose another name"), "{err}");

    for made in [&topic, &fifo, &queue] {
        env.delete(made).await;
        env.assert_gone(made).await;
        env.delete(made).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn subscription_is_created_read_updated_found_and_deleted() {
    let env = Env::new("sns-s").await;
    let queue = env
        .create("App.Q", QUEUE, json!({"QueueName": "sns-s-q"}))
        .await;
    let topic = env
        .create("App.T", TOPIC, json!({"TopicName": "sns-s-t"}))
        .await;
    let props = json!({"TopicArn": topic.id(), "Protocol": "sqs", "Endpoint": queue.attr("Arn"),
        "RawMessageDelivery": "true",
        "FilterPolicy": "{\"kind\": [\"order\"]}"});
    let sub = env.create("App.Sub", SUBSCRIPTION, props).await;
    assert!(sub.id().starts_with(&format!("{}:", topic.id())), "{sub:?}");
    assert_eq!(sub.out.attributes["Arn"], json!(sub.id()));
    let attrs = env.subscription_attributes(sub.id()).await;
    assert_eq!(attrs["RawMessageDelivery"], "true");
    assert_eq!(doc(attrs.get("FilterPolicy")), json!({"kind": ["order"]}));
    env.assert_present(&sub).await;
    assert_eq!(env.find_named(&sub, None).await.as_deref(), Some(sub.id()));

    // Raw delivery dropped (false again), another filter policy.
    let props = json!({"TopicArn": topic.id(), "Protocol": "sqs", "Endpoint": queue.attr("Arn"),
        "FilterPolicy": {"kind": ["order", "refund"]}});
    let sub = env.update(&sub, props).await;
    let attrs = env.subscription_attributes(sub.id()).await;
    assert_eq!(attrs["RawMessageDelivery"], "false");
    assert_eq!(
        doc(attrs.get("FilterPolicy")),
        json!({"kind": ["order", "refund"]})
    );
    env.assert_present(&sub).await;

    env.delete(&sub).await;
    env.assert_gone(&sub).await;
    assert_eq!(env.find_named(&sub, None).await, None);
    env.delete(&sub).await;
    for made in [&topic, &queue] {
        env.delete(made).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn topic_policy_is_set_and_the_default_put_back() {
    let env = Env::new("sns-p").await;
    let a = env
        .create("App.A", TOPIC, json!({"TopicName": "sns-p-a"}))
        .await;
    let b = env
        .create("App.B", TOPIC, json!({"TopicName": "sns-p-b"}))
        .await;
    let document = |action: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"}, "Action": action,
            "Resource": "*"}]})
    };
    let props = json!({"PolicyDocument": document("sns:Publish"), "Topics": [a.id(), b.id()]});
    let policy = env.create("App.Policy", TOPIC_POLICY, props).await;
    for topic in [&a, &b] {
        let attrs = env.topic_attributes(topic.id()).await;
        assert_eq!(doc(attrs.get("Policy")), document("sns:Publish"));
    }
    env.assert_present(&policy).await;
    assert_eq!(
        env.find_named(&policy, None).await.as_deref(),
        Some(policy.id())
    );

    let props = json!({"PolicyDocument": document("SNS:Publish"), "Topics": [b.id()]});
    let policy = env.update(&policy, props).await;
    let default = doc(env.topic_attributes(a.id()).await.get("Policy"));
    assert_eq!(default["Id"], json!("__default_policy_ID"));
    assert_eq!(default["Statement"][0]["Resource"], json!(a.id()));
    assert_eq!(
        doc(env.topic_attributes(b.id()).await.get("Policy")),
        document("SNS:Publish")
    );
    env.assert_present(&policy).await;

    env.delete(&policy).await;
    let default = doc(env.topic_attributes(b.id()).await.get("Policy"));
    assert_eq!(
        default["Statement"][0]["Sid"],
        json!("__default_statement_ID")
    );
    env.assert_gone(&policy).await;
    env.delete(&policy).await;
    for topic in [&a, &b] {
        env.delete(topic).await;
    }
}
