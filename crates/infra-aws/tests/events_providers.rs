//! The events group's providers against the AWS API emulator (moto server with the fidelity
//! fixes of `emulator/fidelity.py` and `emulator/fidelity_apps/events.py`): create → read →
//! update → find → delete → read for `AWS::Events::Rule` (targets included),
//! `AWS::Lambda::Permission` and `AWS::Logs::ResourcePolicy`, every check made through the
//! service's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.
#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;

use infra_aws::provider::Observation;
use provider_harness::{Harness, emulator_config, generated};
use serde_json::{Value, json};

const RULE: &str = "AWS::Events::Rule";
const PERMISSION: &str = "AWS::Lambda::Permission";
const POLICY: &str = "AWS::Logs::ResourcePolicy";

struct Env {
    harness: Harness,
    events: aws_sdk_eventbridge::Client,
    lambda: aws_sdk_lambda::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    iam: aws_sdk_iam::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Env {
    /// Rules get a generated name, and `find` their `RuleName`; permissions and policies carry
    /// no tags (neither type has them).
    async fn new(stack: &str) -> Env {
        let config = emulator_config().await;
        let harness = Harness::new(&config, stack)
            .naming(|stack, address, type_name| {
                (type_name == RULE).then(|| generated(stack, address))
            })
            .tagged(|address, _| !(address.ends_with("Permission") || address.ends_with("Policy")))
            .found_by(|made| {
                let name = made.out.attributes.get("RuleName").and_then(Value::as_str);
                name.map(str::to_owned)
            });
        Env {
            harness,
            events: aws_sdk_eventbridge::Client::new(&config),
            lambda: aws_sdk_lambda::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
        }
    }

    /// A Lambda function (and its role), made directly as a fixture; its ARN.
    async fn function(&self, name: &str) -> String {
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        let role = self
            .iam
            .create_role()
            .role_name(name)
            .assume_role_policy_document(trust.to_string())
            .send()
            .await
            .expect("CreateRole");
        let role = role.role().expect("role").arn().to_owned();
        let made = self
            .lambda
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(role)
            .handler("index.handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(aws_smithy_types::Blob::new(zip_of_index()))
                    .build(),
            )
            .send()
            .await
            .expect("CreateFunction");
        made.function_arn().expect("arn").to_owned()
    }

    /// The statements of `function`'s policy, by Sid.
    async fn statements(&self, function: &str) -> BTreeMap<String, Value> {
        let Ok(out) = self
            .lambda
            .get_policy()
            .function_name(function)
            .send()
            .await
        else {
            return BTreeMap::new();
        };
        let policy: Value = serde_json::from_str(out.policy().unwrap_or("{}")).expect("policy");
        let statements = policy["Statement"].as_array().cloned().unwrap_or_default();
        statements
            .into_iter()
            .map(|s| (s["Sid"].as_str().unwrap_or_default().to_owned(), s))
            .collect()
    }
}

/// A zip holding one empty `index.py` (stored, no compression): enough for CreateFunction.
fn zip_of_index() -> Vec<u8> {
    let name = b"index.py";
    let crc = 0u32; // of no bytes
    let mut out = Vec::new();
    let local = |out: &mut Vec<u8>| {
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name);
    };
    local(&mut out);
    let central = out.len();
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name);
    let size = out.len() - central;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&(central as u32).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

fn logs_target(id: &str, input_template: &str) -> Value {
    json!({"Id": id, "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ecs",
        "InputTransformer": {"InputPathsMap": {"task": "$.detail.taskArn"},
            "InputTemplate": input_template},
        "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": "3600"},
        "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}})
}

fn ecs_target() -> Value {
    json!({"Id": "run-task", "Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
        "RoleArn": "arn:aws:iam::123456789012:role/events-run-task",
        "Input": "{\"mode\": \"cleanup\"}",
        "EcsParameters": {"TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/t:1",
            "TaskCount": 2, "LaunchType": "FARGATE", "PlatformVersion": "LATEST",
            "NetworkConfiguration": {"AwsVpcConfiguration": {"Subnets": ["subnet-1", "subnet-2"],
                "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}},
            "PropagateTags": "TASK_DEFINITION", "EnableECSManagedTags": true,
            "TagList": [{"Key": "job", "Value": "cleanup"}]}})
}

#[tokio::test(flavor = "multi_thread")]
async fn rule_with_targets_is_created_read_updated_found_and_deleted() {
    let env = Env::new("ev-rule").await;
    let pattern = json!({"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"]});
    let props = json!({
        "Description": "task changes",
        "EventPattern": pattern,
        "State": "ENABLED",
        "Targets": [logs_target("logs", "\"task <task>\""), ecs_target()],
        "Tags": [{"Key": "team", "Value": "ops"}],
    });
    let rule = env.create("App.Rule", RULE, props).await;
    let name = generated(&env.stack, "App.Rule");
    assert_eq!(rule.id(), name, "on the default bus Ref is the name");
    assert_eq!(rule.out.attributes["RuleName"], json!(name));
    let arn = rule.out.attributes["Arn"].as_str().expect("arn").to_owned();
    assert!(arn.ends_with(&format!(":rule/{name}")), "{arn}");

    // Checked through EventBridge itself.
    let described = env
        .events
        .describe_rule()
        .name(&name)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.description(), Some("task changes"));
    let seen: Value =
        serde_json::from_str(described.event_pattern().expect("pattern")).expect("json");
    assert_eq!(seen, pattern);
    let targets = env
        .events
        .list_targets_by_rule()
        .rule(&name)
        .send()
        .await
        .expect("targets");
    let by_id: BTreeMap<&str, _> = targets.targets().iter().map(|t| (t.id(), t)).collect();
    let ecs = by_id["run-task"].ecs_parameters().expect("ecs parameters");
    assert_eq!(ecs.task_count(), Some(2));
    let vpc = ecs
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .expect("vpc");
    assert_eq!(vpc.subnets(), ["subnet-1", "subnet-2"]);
    let logs = by_id["logs"];
    assert_eq!(
        logs.input_transformer().map(|t| t.input_template()),
        Some("\"task <task>\"")
    );
    assert_eq!(
        logs.retry_policy()
            .and_then(|r| r.maximum_event_age_in_seconds()),
        Some(3600)
    );
    let tags = env
        .events
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("tags");
    let tags: BTreeMap<&str, &str> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(tags.get("team"), Some(&"ops"));
    assert_eq!(tags.get("infra:address"), Some(&"App.Rule"));
    env.assert_present(&rule).await;

    // A create sent again finds the rule with this resource's tags and adopts it.
    let again = env.create("App.Rule", RULE, rule.properties.clone()).await;
    assert_eq!(again.out, rule.out);
    assert_eq!(env.find_keyed(&rule, "1").await, Some(rule.out.clone()));
    // Another address's create of the same name neither adopts nor overwrites it.
    let mut other = rule.properties.clone();
    other["Name"] = json!(name);
    let err = env
        .try_create("Other.Rule", RULE, other)
        .await
        .expect_err("taken");
    assert!(err.message.contains("already exists"), "{err}");

    // In place: the pattern (now as a string), a target's input, one target removed, tags.
    let rule = env
        .update(
            &rule,
            json!({
                "Description": "task stops",
                "EventPattern": "{\"source\": [\"aws.ecs\"], \"detail\": {\"lastStatus\": [\"STOPPED\"]}}",
                "State": "DISABLED",
                "Targets": [logs_target("logs", "\"stopped <task>\"")],
                "Tags": [{"Key": "team", "Value": "platform"}],
            }),
        )
        .await;
    let described = env
        .events
        .describe_rule()
        .name(&name)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.state().map(|s| s.as_str()), Some("DISABLED"));
    let seen: Value =
        serde_json::from_str(described.event_pattern().expect("pattern")).expect("json");
    assert_eq!(seen["detail"], json!({"lastStatus": ["STOPPED"]}));
    let targets = env
        .events
        .list_targets_by_rule()
        .rule(&name)
        .send()
        .await
        .expect("targets");
    assert_eq!(targets.targets().len(), 1);
    assert_eq!(
        targets.targets()[0]
            .input_transformer()
            .map(|t| t.input_template()),
        Some("\"stopped <task>\"")
    );
    let tags = env
        .events
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("tags");
    assert!(
        tags.tags()
            .iter()
            .any(|t| t.key() == "team" && t.value() == "platform")
    );
    env.assert_present(&rule).await;

    // Drift: a target added outside infra is reported whole, so the plan removes it.
    let extra = aws_sdk_eventbridge::types::Target::builder()
        .id("extra")
        .arn("arn:aws:sqs:us-east-1:123456789012:extra")
        .build()
        .expect("target");
    env.events
        .put_targets()
        .rule(&name)
        .targets(extra)
        .send()
        .await
        .expect("put");
    match env.read_all(&[&rule]).await.remove("App.Rule") {
        Some(Observation::Present { properties, .. }) => assert_eq!(
            properties["Targets"][1],
            json!({"Id": "extra", "Arn": "arn:aws:sqs:us-east-1:123456789012:extra"})
        ),
        other => panic!("{other:?}"),
    }

    env.delete(&rule).await;
    env.assert_gone(&rule).await;
    env.delete(&rule).await; // idempotent
    assert_eq!(env.find_keyed(&rule, "1").await, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_on_another_bus_are_named_bus_pipe_rule_and_read_together() {
    let env = Env::new("ev-bus").await;
    env.events
        .create_event_bus()
        .name("orders")
        .send()
        .await
        .expect("bus");
    let on_bus = env
        .create(
            "App.OrderRule",
            RULE,
            json!({"EventBusName": "orders", "Name": "ev-bus-orders-placed",
                "EventPattern": {"source": ["shop"]},
                "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders",
                    "SqsParameters": {"MessageGroupId": "g"}}]}),
        )
        .await;
    assert_eq!(on_bus.id(), "orders|ev-bus-orders-placed");
    let scheduled = env
        .create(
            "App.Nightly",
            RULE,
            json!({"ScheduleExpression": "cron(0 3 * * ? *)",
                "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:nightly",
                    "Input": "{\"job\": \"nightly\"}"}]}),
        )
        .await;
    let listed = env
        .events
        .list_rules()
        .event_bus_name("orders")
        .send()
        .await
        .expect("rules");
    assert_eq!(listed.rules()[0].name(), Some("ev-bus-orders-placed"));
    let seen = env.read_all(&[&on_bus, &scheduled]).await;
    for made in [&on_bus, &scheduled] {
        match &seen[&made.address] {
            Observation::Present { properties, .. } => assert_eq!(properties, &made.properties),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(env.find_keyed(&on_bus, "1").await, Some(on_bus.out.clone()));
    env.delete(&on_bus).await;
    env.delete(&scheduled).await;
    let seen = env.read_all(&[&on_bus, &scheduled]).await;
    assert!(seen.values().all(|o| *o == Observation::Gone), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_target_kinds_fail_before_any_call() {
    let env = Env::new("ev-refused").await;
    let props = json!({"ScheduleExpression": "rate(1 hour)", "Targets": [{"Id": "b",
        "Arn": "arn:aws:batch:us-east-1:123456789012:job-queue/q",
        "BatchParameters": {"JobName": "j", "JobDefinition": "d"}}]});
    let err = env
        .try_create("App.Batch", RULE, props)
        .await
        .expect_err("refused");
    assert!(
        err.message
            .contains("Targets[0].BatchParameters is not supported"),
        "{err}"
    );
    let listed = env
        .events
        .list_rules()
        .name_prefix("ev-refused")
        .send()
        .await
        .expect("rules");
    assert!(listed.rules().is_empty(), "nothing was made");
}

#[tokio::test(flavor = "multi_thread")]
async fn permission_is_added_found_by_its_statement_id_and_removed() {
    let env = Env::new("ev-perm").await;
    let function = env.function("ev-perm-fn").await;
    let source = "arn:aws:events:us-east-1:123456789012:rule/ev-perm-rule";
    let props = json!({"FunctionName": "ev-perm-fn", "Action": "lambda:InvokeFunction",
        "Principal": "events.amazonaws.com", "SourceArn": source, "SourceAccount": "123456789012"});
    let permission = env.create("App.InvokePermission", PERMISSION, props).await;
    let (arn, sid) = permission.id().rsplit_once('|').expect("function|sid");
    assert_eq!(arn, function, "Ref names the function by its ARN");
    assert!(sid.starts_with("InvokePermission-"), "{sid}");
    assert_eq!(permission.out.attributes["Id"], json!(permission.id()));

    let statements = env.statements("ev-perm-fn").await;
    let statement = &statements[sid];
    assert_eq!(
        statement["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(
        statement["Condition"]["ArnLike"]["AWS:SourceArn"],
        json!(source)
    );
    assert_eq!(
        statement["Condition"]["StringEquals"]["AWS:SourceAccount"],
        json!("123456789012")
    );
    env.assert_present(&permission).await;

    // A create sent again (same checkpoint key, so the same statement id) is the same
    // permission: AddPermission answers ResourceConflictException and the statement is
    // adopted.
    let again = env
        .create(
            "App.InvokePermission",
            PERMISSION,
            permission.properties.clone(),
        )
        .await;
    assert_eq!(again.out, permission.out);
    assert_eq!(env.statements("ev-perm-fn").await.len(), 1);
    assert_eq!(
        env.find_keyed(&permission, "1").await,
        Some(permission.out.clone())
    );
    assert_eq!(
        env.find_keyed(&permission, "2").await,
        None,
        "another intent's id"
    );

    // Another statement of the same function, read in the same GetPolicy; an account id as
    // the principal reads back as written.
    let url = env
        .create(
            "App.UrlPermission",
            PERMISSION,
            json!({"FunctionName": function, "Action": "lambda:InvokeFunctionUrl",
                "Principal": "123456789012", "FunctionUrlAuthType": "AWS_IAM"}),
        )
        .await;
    let seen = env.read_all(&[&permission, &url]).await;
    assert!(matches!(
        seen["App.InvokePermission"],
        Observation::Present { .. }
    ));
    match &seen["App.UrlPermission"] {
        // moto keeps an account id as it was given; AWS writes arn:aws:iam::<id>:root, which
        // the provider reads back as the id (see the unit tests).
        Observation::Present { properties, .. } => assert_eq!(properties, &url.properties),
        other => panic!("{other:?}"),
    }

    env.delete(&permission).await;
    env.assert_gone(&permission).await;
    env.delete(&permission).await; // idempotent
    assert!(!env.statements("ev-perm-fn").await.contains_key(sid));
    env.delete(&url).await;
    env.assert_gone(&url).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_policy_is_put_updated_and_deleted_and_never_overwrites_another() {
    let env = Env::new("ev-policy").await;
    let document = |resource: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "EventsToLogs", "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com", "delivery.logs.amazonaws.com"]},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": resource}]})
    };
    let first = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/*:*";
    let props =
        json!({"PolicyName": "ev-policy-events", "PolicyDocument": document(first).to_string()});
    let policy = env.create("App.LogsPolicy", POLICY, props).await;
    assert_eq!(policy.id(), "ev-policy-events");
    assert!(policy.out.attributes.is_empty());
    let listed = env
        .logs
        .describe_resource_policies()
        .send()
        .await
        .expect("describe");
    let put = listed
        .resource_policies()
        .iter()
        .find(|p| p.policy_name() == Some("ev-policy-events"))
        .expect("the policy");
    let seen: Value = serde_json::from_str(put.policy_document().expect("doc")).expect("json");
    assert_eq!(seen, document(first));
    env.assert_present(&policy).await;

    // A create sent again with the same document adopts it; find does too.
    env.create("App.LogsPolicy", POLICY, policy.properties.clone())
        .await;
    assert_eq!(env.find_keyed(&policy, "1").await, Some(policy.out.clone()));

    // In place: the document (now as an object).
    let second = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ecs:*";
    let policy = env
        .update(
            &policy,
            json!({"PolicyName": "ev-policy-events", "PolicyDocument": document(second)}),
        )
        .await;
    env.assert_present(&policy).await;

    // The name holds another document now: a create of the first one, and find, leave it be.
    let stale = json!({"PolicyName": "ev-policy-events", "PolicyDocument": document(first)});
    let err = env
        .try_create("Other.LogsPolicy", POLICY, stale.clone())
        .await
        .expect_err("taken");
    assert!(err.message.contains("another document"), "{err}");
    let mut stale_made = policy.clone();
    stale_made.properties = stale;
    assert_eq!(env.find_keyed(&stale_made, "1").await, None);

    env.delete(&policy).await;
    env.assert_gone(&policy).await;
    env.delete(&policy).await; // idempotent
}
