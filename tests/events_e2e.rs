//! The ECS task events example (`examples/ecs-task-events/template.yaml`) end to end on the AWS
//! API emulator: apply; what the template says checked through the EventBridge, Lambda, Logs
//! and ECS APIs (DescribeRule, ListTargetsByRule, ListTagsForResource, GetPolicy,
//! DescribeResourcePolicies, DescribeLogGroups, DescribeClusters); a second plan with no
//! changes; in-place updates (the rule's event pattern, a target's input); a replacement (the
//! nightly rule's name, and so the permission whose SourceArn names it); destroy with nothing
//! left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use boto::{Call, batch, boto, try_boto};
use cli::{assert_no_changes, id, infra, ok, recorded_ids, s, text};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "taskevents";

/// The answers of `calls`, each of which must succeed.
fn all(endpoint: &str, calls: &[Call<'_>]) -> Vec<Value> {
    batch(endpoint, calls)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// A JSON document held as text.
fn parsed(text: &Value) -> Value {
    serde_json::from_str(text.as_str().expect("a string of JSON")).expect("JSON")
}

/// The rule `name` (on the default bus) and its targets by id.
fn rule(endpoint: &str, name: &str) -> (Value, serde_json::Map<String, Value>) {
    let got = all(
        endpoint,
        &[
            ("events", "describe_rule", json!({"Name": name})),
            ("events", "list_targets_by_rule", json!({"Rule": name})),
        ],
    );
    let targets = got[1]["Targets"].as_array().expect("targets");
    let by_id = targets
        .iter()
        .map(|t| (t["Id"].as_str().expect("id").to_owned(), t.clone()))
        .collect();
    (got[0].clone(), by_id)
}

/// The statements of the function's policy, by the rule ARN each is limited to.
fn permissions(endpoint: &str, function: &str) -> serde_json::Map<String, Value> {
    let policy = boto(
        endpoint,
        "lambda",
        "get_policy",
        json!({"FunctionName": function}),
    );
    let statements = parsed(&policy["Policy"])["Statement"].clone();
    let statements = statements.as_array().expect("statements");
    statements
        .iter()
        .map(|st| {
            let source = &st["Condition"]["ArnLike"]["AWS:SourceArn"];
            (source.as_str().expect("source arn").to_owned(), st.clone())
        })
        .collect()
}

#[test]
fn ecs_task_events_apply_update_replace_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("ecs-task-events", dir.path());
    let state = dir.path().join("events.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 9 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let (task_rule, nightly, function) = (
        id(&ids, "TaskStateRule"),
        id(&ids, "NightlyRule"),
        id(&ids, "Handler"),
    );
    assert_eq!(nightly, "taskevents-nightly");

    // ECS and Logs: the cluster, the log group, the resource policy for EventBridge.
    let seen = all(
        &endpoint,
        &[
            (
                "ecs",
                "describe_clusters",
                json!({"clusters": ["taskevents-tasks"]}),
            ),
            (
                "logs",
                "describe_log_groups",
                json!({"logGroupNamePrefix": "/aws/events/taskevents/"}),
            ),
            ("logs", "describe_resource_policies", json!({})),
        ],
    );
    let cluster_arn = seen[0]["clusters"][0]["clusterArn"]
        .as_str()
        .expect("cluster")
        .to_owned();
    let group = &seen[1]["logGroups"][0];
    assert_eq!(group["logGroupName"], json!("/aws/events/taskevents/tasks"));
    let group_arn = group["arn"].as_str().expect("group arn").to_owned();
    let policies = seen[2]["resourcePolicies"].as_array().expect("policies");
    let policy = policies
        .iter()
        .find(|p| p["policyName"] == json!("taskevents-events-to-logs"))
        .expect("the resource policy");
    let document = parsed(&policy["policyDocument"]);
    assert_eq!(
        document["Statement"][0]["Principal"]["Service"][0],
        json!("events.amazonaws.com")
    );
    assert_eq!(document["Statement"][0]["Resource"], json!(group_arn));

    // EventBridge: the task rule's pattern names the cluster; its two targets; its tags.
    let (described, targets) = rule(&endpoint, task_rule);
    let pattern = parsed(&described["EventPattern"]);
    assert_eq!(pattern["detail"]["clusterArn"], json!([cluster_arn]));
    assert_eq!(pattern["detail"]["lastStatus"], json!(["STOPPED"]));
    assert_eq!(described["State"], json!("ENABLED"));
    let log_target = targets["task-log"]["Arn"].as_str().expect("arn");
    assert!(
        log_target.ends_with(":log-group:/aws/events/taskevents/tasks"),
        "{log_target}"
    );
    assert_eq!(
        targets["task-log"]["RetryPolicy"]["MaximumRetryAttempts"],
        json!(4)
    );
    let function_arn = targets["handler"]["Arn"].as_str().expect("arn").to_owned();
    assert!(
        function_arn.ends_with(&format!(":function:{function}")),
        "{function_arn}"
    );
    let task_rule_arn = described["Arn"].as_str().expect("arn").to_owned();
    let tags = boto(
        &endpoint,
        "events",
        "list_tags_for_resource",
        json!({"ResourceARN": task_rule_arn}),
    );
    let tags = tags["Tags"].as_array().expect("tags");
    assert!(
        tags.contains(&json!({"Key": "purpose", "Value": "task-events"})),
        "{tags:?}"
    );
    assert!(
        tags.contains(&json!({"Key": "infra:address", "Value": "TaskStateRule"})),
        "{tags:?}"
    );

    // The nightly rule: schedule and input transformer.
    let (described, targets) = rule(&endpoint, nightly);
    assert_eq!(described["ScheduleExpression"], json!("cron(0 3 * * ? *)"));
    let transformer = &targets["handler"]["InputTransformer"];
    assert_eq!(transformer["InputPathsMap"], json!({"time": "$.time"}));
    assert_eq!(
        transformer["InputTemplate"],
        json!("{\"job\": \"cleanup\", \"scheduled\": <time>}")
    );
    let nightly_arn = described["Arn"].as_str().expect("arn").to_owned();

    // Lambda: one statement per rule, each limited to its rule.
    let statements = permissions(&endpoint, function);
    assert_eq!(statements.len(), 2, "{statements:?}");
    for arn in [&task_rule_arn, &nightly_arn] {
        let statement = &statements[arn.as_str()];
        assert_eq!(
            statement["Principal"],
            json!({"Service": "events.amazonaws.com"})
        );
        assert_eq!(statement["Action"], json!("lambda:InvokeFunction"));
    }
    assert!(
        id(&ids, "TaskStatePermission")
            .starts_with(&format!("{function_arn}|TaskStatePermission-")),
        "{ids}"
    );

    assert_no_changes(&emulator, &base);

    // In place: the task rule's pattern and the nightly target's input.
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--parameter",
        "WatchedStatus=RUNNING",
        "--parameter",
        "NightlyJob=compact",
    ]));
    assert!(out.contains("0 added, 2 changed, 0 destroyed"), "{out}");
    let (described, _) = rule(&endpoint, task_rule);
    assert_eq!(
        parsed(&described["EventPattern"])["detail"]["lastStatus"],
        json!(["RUNNING"])
    );
    let (_, targets) = rule(&endpoint, nightly);
    assert_eq!(
        targets["handler"]["InputTemplate"],
        Value::Null,
        "the transformer holds the template"
    );
    assert_eq!(
        targets["handler"]["InputTransformer"]["InputTemplate"],
        json!("{\"job\": \"compact\", \"scheduled\": <time>}")
    );
    cli::edit(&template, "Default: STOPPED", "Default: RUNNING");
    cli::edit(&template, "Default: cleanup", "Default: compact");
    assert_no_changes(&emulator, &base);

    // A replacement: a new name is a new rule, and the permission naming its ARN is replaced.
    cli::edit(&template, "Default: nightly", "Default: nightly-v2");
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(out.contains("2 added, 0 changed, 2 destroyed"), "{out}");
    let after = recorded_ids(&state);
    assert_eq!(id(&after, "NightlyRule"), "taskevents-nightly-v2");
    assert_eq!(
        id(&after, "TaskStatePermission"),
        id(&ids, "TaskStatePermission")
    );
    assert_ne!(
        id(&after, "NightlyPermission"),
        id(&ids, "NightlyPermission")
    );
    let gone = try_boto(
        &endpoint,
        "events",
        "describe_rule",
        json!({"Name": nightly}),
    );
    assert_eq!(
        gone.map_err(|e| e.code),
        Err("ResourceNotFoundException".to_owned())
    );
    let (described, _) = rule(&endpoint, "taskevents-nightly-v2");
    let new_arn = described["Arn"].as_str().expect("arn").to_owned();
    let statements = permissions(&endpoint, function);
    let mut sources: Vec<&String> = statements.keys().collect();
    sources.sort();
    let mut want = vec![&task_rule_arn, &new_arn];
    want.sort();
    assert_eq!(sources, want, "the old rule's statement is removed");
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
    let left = all(
        &endpoint,
        &[
            ("events", "list_rules", json!({"NamePrefix": "taskevents"})),
            ("lambda", "list_functions", json!({})),
            ("logs", "describe_resource_policies", json!({})),
            (
                "logs",
                "describe_log_groups",
                json!({"logGroupNamePrefix": "/aws/events/taskevents/"}),
            ),
            (
                "ecs",
                "describe_clusters",
                json!({"clusters": ["taskevents-tasks"]}),
            ),
        ],
    );
    assert_eq!(left[0]["Rules"], json!([]), "{}", text(&run(&["plan"])));
    let functions = left[1]["Functions"].as_array().expect("functions");
    assert!(
        functions
            .iter()
            .all(|f| f["FunctionName"] != json!(function)),
        "{functions:?}"
    );
    let policies = left[2]["resourcePolicies"].as_array().expect("policies");
    assert!(
        policies
            .iter()
            .all(|p| p["policyName"] != json!("taskevents-events-to-logs")),
        "{policies:?}"
    );
    assert_eq!(left[3]["logGroups"], json!([]));
    let clusters = left[4]["clusters"].as_array().expect("clusters");
    assert!(
        clusters.iter().all(|c| c["status"] == json!("INACTIVE")),
        "{clusters:?}"
    );
}
