//! The monitoring example (`examples/alarms-dashboard/template.yaml`) end to end on the AWS API
//! emulator: apply; the alarms and the dashboard checked through the CloudWatch API
//! (DescribeAlarms, ListTagsForResource, GetDashboard); a second plan with no changes; an
//! in-place update (the CPU threshold); a replacement (the dashboard's name); destroy with
//! nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use cli::{assert_no_changes, id, infra, ok, recorded_ids, s};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "mon";

/// DescribeAlarms of `name`: the metric alarm, or `Null`.
fn alarm(endpoint: &str, name: &str) -> Value {
    let out = boto::boto(
        endpoint,
        "cloudwatch",
        "describe_alarms",
        json!({"AlarmNames": [name]}),
    );
    out["MetricAlarms"][0].clone()
}

/// The dashboard's body, parsed; `None` when there is no such dashboard.
fn dashboard(endpoint: &str, name: &str) -> Option<Value> {
    let args = json!({"DashboardName": name});
    let out = boto::try_boto(endpoint, "cloudwatch", "get_dashboard", args).ok()?;
    serde_json::from_str(out["DashboardBody"].as_str()?).ok()
}

#[test]
fn alarms_and_a_dashboard_apply_update_replace_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.as_str();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("alarms-dashboard", dir.path());
    let state = dir.path().join("mon.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let (cpu, errors, board) = (
        id(&ids, "HighCpu"),
        id(&ids, "ErrorRate"),
        id(&ids, "Overview"),
    );
    assert!(cpu.starts_with("mon-HighCpu-"), "a generated name: {cpu}");
    assert_eq!((errors, board), ("mon-error-rate", "mon-overview"));

    // The metric alarm: its metric, threshold and tags.
    let high = alarm(endpoint, cpu);
    assert_eq!(high["MetricName"], "CPUUtilization");
    assert_eq!(high["Namespace"], "AWS/EC2");
    assert_eq!(high["Statistic"], "Average");
    assert_eq!(
        (&high["Period"], &high["EvaluationPeriods"]),
        (&json!(60), &json!(3))
    );
    assert_eq!(high["DatapointsToAlarm"], 2);
    assert_eq!(high["Threshold"], 80.0);
    assert_eq!(high["TreatMissingData"], "notBreaching");
    assert_eq!(
        high["Dimensions"],
        json!([{"Name": "AutoScalingGroupName", "Value": "mon-fleet"}])
    );
    let arn = high["AlarmArn"].as_str().expect("an ARN");
    let tags = boto::boto(
        endpoint,
        "cloudwatch",
        "list_tags_for_resource",
        json!({"ResourceARN": arn}),
    );
    for (key, value) in [
        ("team", "web"),
        ("infra:stack", STACK),
        ("infra:address", "HighCpu"),
    ] {
        let tag = json!({"Key": key, "Value": value});
        assert!(
            tags["Tags"].as_array().is_some_and(|t| t.contains(&tag)),
            "{tag} in {tags}"
        );
    }

    // The metric-math alarm: three queries, the expression returning the data.
    let rate = alarm(endpoint, errors);
    let queries: Vec<(&Value, &Value)> = rate["Metrics"]
        .as_array()
        .expect("queries")
        .iter()
        .map(|q| (&q["Id"], &q["Expression"]))
        .collect();
    let (math, none) = (json!("100 * errors / requests"), Value::Null);
    let want = [
        (&json!("rate"), &math),
        (&json!("errors"), &none),
        (&json!("requests"), &none),
    ];
    assert_eq!(queries, want);
    let stat = &rate["Metrics"][1]["MetricStat"];
    assert_eq!(stat["Metric"]["MetricName"], "HTTPCode_Target_5XX_Count");
    assert_eq!(
        stat["Metric"]["Dimensions"][0]["Value"],
        "app/web/0123456789abcdef"
    );
    assert_eq!(
        (&stat["Period"], &stat["Stat"]),
        (&json!(300), &json!("Sum"))
    );
    assert_eq!(rate["Threshold"], 5.0);

    // The dashboard lists both alarms by ARN.
    let body = dashboard(endpoint, board).expect("the dashboard");
    let listed = &body["widgets"][0]["properties"]["alarms"];
    assert_eq!(listed, &json!([arn, rate["AlarmArn"]]));

    // A second plan, refreshed, has nothing to do.
    assert_no_changes(&emulator, &base);

    // In place: the CPU threshold (PutMetricAlarm with the whole alarm).
    let threshold = ["--parameter", "CpuThreshold=92.5"];
    let plan = ok(&run(&[&["plan"][..], &threshold].concat()));
    assert!(plan.contains("HighCpu will be updated in-place"), "{plan}");
    assert!(
        plan.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );
    let out = ok(&run(
        &[&["apply", "--auto-approve"][..], &threshold].concat()
    ));
    assert!(
        out.contains("Apply complete! Resources: 0 added, 1 changed, 0 destroyed."),
        "{out}"
    );
    let high = alarm(endpoint, cpu);
    assert_eq!(high["Threshold"], 92.5);
    assert_eq!(high["MetricName"], "CPUUtilization", "the rest is kept");
    assert_no_changes(&emulator, &[&base[..], &threshold].concat());

    // A replacement: the dashboard's name is create-only.
    let renamed = [&threshold[..], &["--parameter", "Board=ops"]].concat();
    let plan = ok(&run(&[&["plan"][..], &renamed].concat()));
    assert!(plan.contains("Overview must be replaced"), "{plan}");
    let out = ok(&run(&[&["apply", "--auto-approve"][..], &renamed].concat()));
    assert!(
        out.contains("Apply complete! Resources: 1 added, 0 changed, 1 destroyed."),
        "{out}"
    );
    assert!(
        dashboard(endpoint, "mon-overview").is_none(),
        "the old one is gone"
    );
    let body = dashboard(endpoint, "mon-ops").expect("the new dashboard");
    assert_eq!(body["widgets"].as_array().map(Vec::len), Some(2));
    assert_no_changes(&emulator, &[&base[..], &renamed].concat());

    // Destroy: nothing left.
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
    assert!(
        out.contains("Destroy complete! Resources: 0 added, 0 changed, 3 destroyed."),
        "{out}"
    );
    for name in [cpu, errors] {
        assert!(alarm(endpoint, name).is_null(), "{name} is deleted");
    }
    let boards = boto::boto(endpoint, "cloudwatch", "list_dashboards", json!({}));
    assert_eq!(boards["DashboardEntries"], json!([]), "{boards}");
}
