//! The Cloud Control provider against the project's emulator (`scripts/emulator`: moto with a
//! Cloud Control endpoint, `emulator/cloudcontrol/`), every check made through the AWS APIs
//! themselves (SQS, SSM, Cloud Control).
//!
//! Tests share one emulator and use names of their own, except those that inject faults
//! (`/infra-emulator/faults` applies to every request of the emulator): each starts its own.
//! Without the emulator the tests fail, saying how to install it (never skip).

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use infra_aws::provider::{
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::{AwsSettings, cloudcontrol, load_config};
use infra_provider::{Checkpoint, CheckpointSink};
use serde_json::{Value, json};
use support::Emulator;

const QUEUE: &str = "AWS::SQS::Queue";
const STREAM: &str = "AWS::Kinesis::Stream";
const PARAMETER: &str = "AWS::SSM::Parameter";
const STACK: &str = "cc-tests";

async fn config(emulator: &Emulator) -> SdkConfig {
    let settings = AwsSettings {
        region: Some(support::REGION.into()),
        profile: None,
        endpoint_url: Some(emulator.endpoint.clone()),
    };
    load_config(&settings)
        .await
        .unwrap_or_else(|e| panic!("load_config: {e}"))
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "emulator",
        )))
        .build()
}

struct Env {
    provider: Box<dyn ResourceProvider>,
    cc: aws_sdk_cloudcontrol::Client,
    sqs: aws_sdk_sqs::Client,
    ssm: aws_sdk_ssm::Client,
}

impl Env {
    async fn on(emulator: &Emulator) -> Env {
        let config = config(emulator).await;
        Env {
            provider: cloudcontrol::provider(&config),
            cc: aws_sdk_cloudcontrol::Client::new(&config),
            sqs: aws_sdk_sqs::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
        }
    }

    async fn shared() -> Env {
        Env::on(Emulator::shared()).await
    }

    async fn try_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        self.provider.create(input).await
    }

    async fn create(&self, input: &CreateInput) -> ResourceOutput {
        self.try_create(input)
            .await
            .unwrap_or_else(|e| panic!("create {}: {e} ({:?})", input.address, e.class))
    }

    async fn read(&self, type_name: &str, out: &ResourceOutput, recorded: &Value) -> Observation {
        let items = [ReadInput {
            address: "App.Thing".into(),
            type_name: type_name.into(),
            physical_id: out.physical_id.clone(),
            properties: recorded.clone(),
            attributes: out.attributes.clone(),
        }];
        let mut got = self
            .provider
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("read: {e}"));
        got.remove("App.Thing").expect("an observation")
    }

    async fn update(
        &self,
        type_name: &str,
        out: &ResourceOutput,
        before: &Value,
        after: &Value,
        address: &str,
    ) -> ResourceOutput {
        self.provider
            .update(&UpdateInput {
                address: address.into(),
                type_name: type_name.into(),
                physical_id: out.physical_id.clone(),
                before: before.clone(),
                after: after.clone(),
                attributes: out.attributes.clone(),
                tags: tags(address),
            })
            .await
            .unwrap_or_else(|e| panic!("update {address}: {e} ({:?})", e.class))
    }

    async fn delete(&self, type_name: &str, out: &ResourceOutput) -> Result<(), ProviderError> {
        self.provider
            .delete(&DeleteInput {
                address: "App.Thing".into(),
                type_name: type_name.into(),
                physical_id: out.physical_id.clone(),
                properties: json!({}),
                attributes: out.attributes.clone(),
            })
            .await
    }

    async fn find(&self, create: &CreateInput, checkpoint: Checkpoint) -> Option<ResourceOutput> {
        self.provider
            .find(&FindInput {
                address: create.address.clone(),
                type_name: create.type_name.clone(),
                properties: create.properties.clone(),
                tags: create.tags.clone(),
                name: create.generated_name.clone(),
                replacing: None,
                checkpoint,
            })
            .await
            .unwrap_or_else(|e| panic!("find {}: {e} ({:?})", create.address, e.class))
    }

    /// The identifiers `ListResources` shows for `type_name` whose identifier ends with
    /// `suffix`.
    async fn listed(&self, type_name: &str, suffix: &str) -> Vec<String> {
        let out = self
            .cc
            .list_resources()
            .type_name(type_name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListResources: {e:?}"));
        out.resource_descriptions()
            .iter()
            .filter_map(|d| d.identifier())
            .filter(|id| id.ends_with(suffix))
            .map(str::to_owned)
            .collect()
    }

    /// The CREATE requests Cloud Control holds for `identifier`.
    async fn create_requests(&self, identifier: &str) -> usize {
        let out = self
            .cc
            .list_resource_requests()
            .max_results(100)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListResourceRequests: {e:?}"));
        out.resource_request_status_summaries()
            .iter()
            .filter(|e| e.identifier() == Some(identifier))
            .filter(|e| e.operation().map(|o| o.as_str()) == Some("CREATE"))
            .count()
    }

    async fn queue_url(&self, name: &str) -> Option<String> {
        self.sqs
            .get_queue_url()
            .queue_name(name)
            .send()
            .await
            .ok()
            .and_then(|o| o.queue_url().map(str::to_owned))
    }

    async fn queue_attribute(&self, name: &str, attribute: &str) -> String {
        let url = self.queue_url(name).await.expect("queue");
        let out = self
            .sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(attribute.into())
            .send()
            .await
            .unwrap_or_else(|e| panic!("GetQueueAttributes: {e:?}"));
        out.attributes()
            .and_then(|a| a.get(&attribute.into()))
            .cloned()
            .unwrap_or_default()
    }

    async fn queue_tags(&self, name: &str) -> BTreeMap<String, String> {
        let url = self.queue_url(name).await.expect("queue");
        let out = self
            .sqs
            .list_queue_tags()
            .queue_url(&url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListQueueTags: {e:?}"));
        out.tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
}

fn tags(address: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("infra:address".to_owned(), address.to_owned()),
        ("infra:stack".to_owned(), STACK.to_owned()),
    ])
}

/// A checkpoint whose saves are kept in order.
fn recorded(key: &str) -> (Checkpoint, Arc<Mutex<Vec<Value>>>) {
    let saves = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&saves);
    let sink: Arc<CheckpointSink> = Arc::new(move |data| {
        seen.lock().expect("saves").push(data);
        Box::pin(async { Ok(()) })
    });
    (Checkpoint::new(key, None, sink), saves)
}

fn create_input(
    type_name: &str,
    address: &str,
    properties: Value,
    name: &str,
    checkpoint: Checkpoint,
) -> CreateInput {
    CreateInput {
        address: address.into(),
        type_name: type_name.into(),
        properties,
        tags: tags(address),
        generated_name: Some(name.into()),
        checkpoint,
    }
}

fn present(observation: Observation) -> (Value, BTreeMap<String, Value>) {
    match observation {
        Observation::Present {
            properties,
            attributes,
        } => (properties, attributes),
        Observation::Gone => panic!("expected the resource to be present"),
    }
}

fn fault(emulator: &Emulator, spec: Value) {
    let response = emulator
        .request(
            "POST",
            "/infra-emulator/faults",
            spec.to_string().as_bytes(),
        )
        .unwrap_or_else(|e| panic!("faults: {e}"));
    assert_eq!(response.status, 200, "{}", response.body);
}

/// The tests (in a module of this name, so `cargo test -p infra-aws cloudcontrol` runs them).
mod cloudcontrol_emulator {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_queue_is_created_read_changed_and_deleted() {
        let env = Env::shared().await;
        let name = "cc-lifecycle-queue";
        let props = json!({"VisibilityTimeout": 5, "Tags": [{"Key": "team", "Value": "a"}]});
        let input = create_input(
            QUEUE,
            "App.Queue",
            props.clone(),
            name,
            recorded("cc-lifecycle").0,
        );
        let out = env.create(&input).await;
        assert_eq!(
            out.physical_id,
            format!(
                "https://sqs.us-east-1.amazonaws.com/{}/{name}",
                support::ACCOUNT_ID
            )
        );
        assert_eq!(
            out.attributes["Arn"],
            json!(format!(
                "arn:aws:sqs:us-east-1:{}:{name}",
                support::ACCOUNT_ID
            ))
        );
        assert_eq!(out.attributes["QueueUrl"], json!(out.physical_id));
        let made = env.queue_tags(name).await;
        assert_eq!(made.get("team").map(String::as_str), Some("a"));
        assert_eq!(
            made.get("infra:address").map(String::as_str),
            Some("App.Queue")
        );
        assert_eq!(made.get("infra:stack").map(String::as_str), Some(STACK));

        // No drift: what the template says, infra's tags left out.
        let (seen, attributes) = present(env.read(QUEUE, &out, &props).await);
        assert_eq!(seen, props);
        assert_eq!(attributes["Arn"], out.attributes["Arn"]);

        // Changed behind infra's back with the SQS API: drift.
        let url = env.queue_url(name).await.expect("queue");
        env.sqs
            .set_queue_attributes()
            .queue_url(&url)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
                "99",
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("SetQueueAttributes: {e:?}"));
        let (drifted, _) = present(env.read(QUEUE, &out, &props).await);
        assert_eq!(
            drifted,
            json!({"VisibilityTimeout": 99, "Tags": [{"Key": "team", "Value": "a"}]})
        );

        // Updated from what the refresh saw.
        let after = json!({"VisibilityTimeout": 7, "Tags": [{"Key": "team", "Value": "b"}]});
        let updated = env.update(QUEUE, &out, &drifted, &after, "App.Queue").await;
        assert_eq!(updated.physical_id, out.physical_id);
        assert_eq!(env.queue_attribute(name, "VisibilityTimeout").await, "7");
        let now = env.queue_tags(name).await;
        assert_eq!(now.get("team").map(String::as_str), Some("b"));
        assert_eq!(
            now.get("infra:address").map(String::as_str),
            Some("App.Queue"),
            "infra's tags stay"
        );

        env.delete(QUEUE, &out).await.expect("delete");
        assert_eq!(env.queue_url(name).await, None);
        assert_eq!(env.read(QUEUE, &out, &after).await, Observation::Gone);
        env.delete(QUEUE, &out)
            .await
            .expect("deleting it again is success");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_kinesis_stream_is_created_found_changed_and_deleted() {
        let env = Env::shared().await;
        let props = json!({"ShardCount": 1});
        let input = create_input(
            STREAM,
            "App.Stream",
            props.clone(),
            "cc-stream",
            Checkpoint::detached("cc-stream", None),
        );
        let out = env.create(&input).await;
        assert_eq!(out.physical_id, "cc-stream");
        assert_eq!(out.attributes["Name"], json!("cc-stream"));
        assert_eq!(
            out.attributes["Arn"],
            json!(format!(
                "arn:aws:kinesis:us-east-1:{}:stream/cc-stream",
                support::ACCOUNT_ID
            ))
        );
        assert_eq!(present(env.read(STREAM, &out, &props).await).0, props);

        // Found by its name (a checkpoint with nothing in it), only with this resource's tags.
        assert_eq!(
            env.find(&input, Checkpoint::default()).await.as_ref(),
            Some(&out)
        );
        let other = CreateInput {
            tags: tags("App.Other"),
            ..input.clone()
        };
        assert_eq!(env.find(&other, Checkpoint::default()).await, None);
        // Found by its tags when the name is not known (ListResources).
        let unnamed = CreateInput {
            generated_name: None,
            ..input.clone()
        };
        assert_eq!(
            env.find(&unnamed, Checkpoint::default()).await.as_ref(),
            Some(&out)
        );

        let after = json!({"ShardCount": 2, "RetentionPeriodHours": 48});
        env.update(STREAM, &out, &props, &after, "App.Stream").await;
        assert_eq!(present(env.read(STREAM, &out, &after).await).0, after);

        env.delete(STREAM, &out).await.expect("delete");
        assert_eq!(env.read(STREAM, &out, &after).await, Observation::Gone);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn write_only_properties_are_sent_again_with_every_update() {
        let env = Env::shared().await;
        let before = json!({"Name": "/cc/write-only", "Type": "String", "Value": "one", "Description": "kept"});
        let input = create_input(
            PARAMETER,
            "App.Param",
            before.clone(),
            "unused",
            Checkpoint::detached("cc-wo", None),
        );
        let out = env.create(&input).await;
        assert_eq!(out.physical_id, "/cc/write-only");
        // Tags in the type's shape (a map), infra's included.
        let listed = env
            .ssm
            .list_tags_for_resource()
            .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
            .resource_id("/cc/write-only")
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListTagsForResource: {e:?}"));
        assert!(
            listed
                .tag_list()
                .iter()
                .any(|t| t.key() == "infra:address" && t.value() == "App.Param")
        );

        let after = json!({"Name": "/cc/write-only", "Type": "String", "Value": "two", "Description": "kept"});
        env.update(PARAMETER, &out, &before, &after, "App.Param")
            .await;
        let described = env
            .ssm
            .describe_parameters()
            .parameter_filters(
                aws_sdk_ssm::types::ParameterStringFilter::builder()
                    .key("Name")
                    .values("/cc/write-only")
                    .build()
                    .expect("filter"),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeParameters: {e:?}"));
        let parameter = described.parameters().first().expect("the parameter");
        assert_eq!(
            parameter.description(),
            Some("kept"),
            "the write-only description was re-sent"
        );
        let value = env
            .ssm
            .get_parameter()
            .name("/cc/write-only")
            .send()
            .await
            .expect("GetParameter");
        assert_eq!(value.parameter().and_then(|p| p.value()), Some("two"));
        // AWS never returns it; the refresh keeps the recorded value.
        assert_eq!(present(env.read(PARAMETER, &out, &after).await).0, after);
        env.delete(PARAMETER, &out).await.expect("delete");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn find_recovers_interrupted_creates_without_making_a_second_resource() {
        let env = Env::shared().await;
        // Interrupted after the call: the first save (before the call) is all the state has.
        let (checkpoint, saves) = recorded("cc-recover-a");
        let input = create_input(
            QUEUE,
            "App.RecoverA",
            json!({}),
            "cc-recover-a",
            checkpoint.clone(),
        );
        let out = env.create(&input).await;
        let before_call = saves.lock().expect("saves")[0].clone();
        assert!(
            before_call.get("client_token").is_some() && before_call.get("request_token").is_none()
        );
        let found = env
            .find(
                &input,
                Checkpoint::detached("cc-recover-a", Some(before_call)),
            )
            .await;
        assert_eq!(found.as_ref(), Some(&out));
        assert_eq!(env.listed(QUEUE, "/cc-recover-a").await.len(), 1);
        assert_eq!(
            env.create_requests(&out.physical_id).await,
            1,
            "the token replayed the first request"
        );
        // With everything saved: the request token.
        assert_eq!(
            env.find(
                &input,
                Checkpoint::detached("cc-recover-a", checkpoint.last())
            )
            .await
            .as_ref(),
            Some(&out)
        );

        // Interrupted before the call reached AWS (here: the state could not be written).
        let sink: Arc<CheckpointSink> =
            Arc::new(|_| Box::pin(async { Err(ProviderError::fatal("disk full")) }));
        let failing = Checkpoint::new("cc-recover-b", None, sink);
        let input = create_input(
            QUEUE,
            "App.RecoverB",
            json!({}),
            "cc-recover-b",
            failing.clone(),
        );
        let err = env.try_create(&input).await.expect_err("no state, no call");
        assert_eq!(err.message, "disk full");
        assert!(env.listed(QUEUE, "/cc-recover-b").await.is_empty());
        let found = env
            .find(&input, Checkpoint::detached("cc-recover-b", failing.last()))
            .await
            .expect("made now");
        let again = env
            .find(&input, Checkpoint::detached("cc-recover-b", failing.last()))
            .await;
        assert_eq!(again.as_ref(), Some(&found));
        assert_eq!(env.listed(QUEUE, "/cc-recover-b").await.len(), 1);
        for out in [out, found] {
            env.delete(QUEUE, &out).await.expect("delete");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn throttled_requests_and_calls_are_retried() {
        let emulator = Emulator::start();
        let env = Env::on(&emulator).await;
        // Requests that end FAILED with Throttling: resubmitted with the next attempt's token.
        fault(
            &emulator,
            json!({"operation": "CreateResource", "type": QUEUE, "error": "Throttling", "when": "event", "times": 2}),
        );
        let (checkpoint, _) = recorded("cc-throttled");
        let input = create_input(
            QUEUE,
            "App.Throttled",
            json!({"VisibilityTimeout": 3}),
            "cc-throttled",
            checkpoint.clone(),
        );
        let out = env.create(&input).await;
        assert_eq!(
            checkpoint.last().and_then(|v| v["attempt"].as_u64()),
            Some(3)
        );
        assert_eq!(env.listed(QUEUE, "/cc-throttled").await.len(), 1);
        fault(
            &emulator,
            json!({"operation": "UpdateResource", "error": "ServiceInternalError", "when": "event"}),
        );
        env.update(
            QUEUE,
            &out,
            &json!({"VisibilityTimeout": 3}),
            &json!({"VisibilityTimeout": 4}),
            "App.Throttled",
        )
        .await;
        assert_eq!(
            env.queue_attribute("cc-throttled", "VisibilityTimeout")
                .await,
            "4"
        );
        fault(
            &emulator,
            json!({"operation": "DeleteResource", "error": "Throttling", "when": "event"}),
        );
        env.delete(QUEUE, &out).await.expect("delete");
        assert!(env.listed(QUEUE, "/cc-throttled").await.is_empty());

        // Calls refused: once (the SDK retries it), then more often than the SDK retries (a
        // retryable error, and the engine's next try makes exactly one queue); polls refused.
        fault(
            &emulator,
            json!({"operation": "CreateResource", "error": "Throttling", "when": "call", "times": 1}),
        );
        let input = create_input(
            QUEUE,
            "App.Calls",
            json!({}),
            "cc-calls",
            recorded("cc-calls").0,
        );
        env.create(&input).await;
        fault(
            &emulator,
            json!({"operation": "CreateResource", "error": "Throttling", "when": "call", "times": 3}),
        );
        let (checkpoint, _) = recorded("cc-calls-2");
        let input = create_input(QUEUE, "App.Calls2", json!({}), "cc-calls-2", checkpoint);
        let err = env.try_create(&input).await.expect_err("throttled");
        assert_eq!(err.class, FailureClass::Retryable, "{}", err.message);
        assert!(
            err.message.contains("AWS::SQS::Queue App.Calls2"),
            "{}",
            err.message
        );
        fault(
            &emulator,
            json!({"operation": "GetResourceRequestStatus", "error": "Throttling", "when": "call", "times": 4}),
        );
        env.create(&input).await;
        assert_eq!(env.listed(QUEUE, "/cc-calls-2").await.len(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn handler_failures_say_what_happened() {
        let emulator = Emulator::start();
        let env = Env::on(&emulator).await;
        // Made but not stabilised: an error that says it may exist, and find gets it.
        fault(
            &emulator,
            json!({"operation": "CreateResource", "error": "NotStabilized", "when": "event", "applied": true}),
        );
        let (checkpoint, _) = recorded("cc-unstable");
        let input = create_input(
            QUEUE,
            "App.Unstable",
            json!({}),
            "cc-unstable",
            checkpoint.clone(),
        );
        let err = env.try_create(&input).await.expect_err("not stabilised");
        assert_eq!(err.class, FailureClass::Fatal);
        assert!(
            err.message.contains("NotStabilized") && err.message.contains("may exist"),
            "{}",
            err.message
        );
        let found = env
            .find(
                &input,
                Checkpoint::detached("cc-unstable", checkpoint.last()),
            )
            .await
            .expect("found");
        assert!(found.physical_id.ends_with("/cc-unstable"), "{found:?}");

        // A name taken by a parameter that is not this resource's (made with the SSM API).
        env.ssm
            .put_parameter()
            .name("/cc/taken")
            .value("theirs")
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .send()
            .await
            .expect("PutParameter");
        let props = json!({"Name": "/cc/taken", "Type": "String", "Value": "ours"});
        let input = create_input(
            PARAMETER,
            "App.Taken",
            props,
            "unused",
            recorded("cc-taken").0,
        );
        let err = env.try_create(&input).await.expect_err("taken");
        assert_eq!(err.class, FailureClass::Fatal);
        assert!(
            err.message.contains("AlreadyExists") && err.message.contains("App.Taken"),
            "{}",
            err.message
        );

        // A type Cloud Control cannot create: the type is named.
        let input = create_input(
            "AWS::AppMesh::Mesh",
            "App.Mesh",
            json!({}),
            "m",
            Checkpoint::default(),
        );
        let err = env.try_create(&input).await.expect_err("no handlers");
        assert!(
            err.message.contains("AWS::AppMesh::Mesh App.Mesh"),
            "{}",
            err.message
        );
    }
}
