//! `infra plan` end to end against the AWS API emulator: the fixture's reference workload on
//! an empty state, saved plans, JSON output, locks and state commands.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::Emulator;

fn fixture() -> PathBuf {
    let p = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    assert!(
        p.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        p.display()
    );
    p
}

fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn the_reference_workload_plans_39_additions_and_saves_the_plan() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("s.json");
    let plan = dir.path().join("p");
    let o = infra(
        emulator,
        &[
            "plan",
            "-t",
            s(&fixture()),
            "--stack",
            "s",
            "--state",
            s(&state),
            "--out",
            s(&plan),
            "--detailed-exitcode",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "stdout:\n{out}\nstderr:\n{err}");
    assert!(
        out.contains("Plan: 39 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    // The SSM parameter, the account and the AZs were looked up on the emulator.
    assert!(
        out.contains("us-east-1a"),
        "the AZs resolve through EC2: {out}"
    );
    assert!(
        out.contains("ami-"),
        "the ECS AMI resolves through SSM: {out}"
    );
    assert!(
        !out.contains("CustomAsgDestroyerFunction\" {"),
        "no Lambda is planned"
    );
    // The saved plan is private and readable by `infra show`.
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&plan)
        .expect("plan saved")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let shown = infra(emulator, &["show", s(&plan)]);
    assert!(
        text(&shown).0.contains("Plan: 39 to add"),
        "{:?}",
        text(&shown)
    );
    assert!(!state.exists(), "a plan never writes state");
    assert!(
        !dir.path().join("s.json.lock").exists(),
        "the lock is released"
    );
}

#[test]
fn json_output_is_one_valid_document() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let o = infra(
        emulator,
        &[
            "plan",
            "-t",
            s(&fixture()),
            "--stack",
            "j",
            "--state",
            s(&dir.path().join("j.json")),
            "--json",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["summary"]["add"], 39);
    let changes = doc["resource_changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 39);
    let sg = changes
        .iter()
        .find(|c| c["address"] == "ClusterStack.ContainerHostSecurityGroup")
        .expect("security group");
    assert_eq!(sg["actions"][0], "create");
    assert_eq!(sg["after_unknown"]["VpcId"], true);
}

/// The critical-path and stack-serial bounds `scripts/bench` computes for `template` with the
/// project's latency model (its `infra-bench bound` helper), in the model's seconds.
fn bench_bounds(template: &Path) -> (f64, f64) {
    let o = Command::new(env!("CARGO_BIN_EXE_infra-bench"))
        .current_dir(support::repo_root())
        .args(["bound", "-t", s(template)])
        .output()
        .expect("runs infra-bench");
    let (out, err) = text(&o);
    assert!(o.status.success(), "infra-bench: {err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("bound JSON");
    let seconds = |v: &serde_json::Value| v.as_f64().expect("seconds");
    (
        seconds(&doc["create"]["critical_path"]),
        seconds(&doc["create"]["stack_serial"]),
    )
}

#[test]
fn the_plan_states_its_expected_apply_time_and_critical_path() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let args = |format: &'static str| {
        vec![
            "plan".to_owned(),
            "-t".to_owned(),
            s(&fixture()).to_owned(),
            "--stack".to_owned(),
            "e".to_owned(),
            "--state".to_owned(),
            s(&dir.path().join("e.json")).to_owned(),
            "--format".to_owned(),
            format.to_owned(),
        ]
    };
    let json_args = args("json");
    let o = infra(
        emulator,
        &json_args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let expected = doc["expected_apply_seconds"].as_f64().expect("seconds");
    let stack_order = doc["stack_order_seconds"].as_f64().expect("seconds");
    let (bound, serial) = bench_bounds(&fixture());
    assert!(
        (expected - bound).abs() < 1e-6,
        "{expected} vs the bench bound {bound}"
    );
    assert!(
        (stack_order - serial).abs() < 1e-6,
        "{stack_order} vs {serial}"
    );
    // The figures of the model for this workload (unscaled AWS seconds).
    assert!((expected - 237.0).abs() < 0.5, "{expected}");
    assert!((stack_order - 496.0).abs() < 0.5, "{stack_order}");
    let path: Vec<&str> = doc["critical_path"]
        .as_array()
        .expect("critical path")
        .iter()
        .map(|a| a.as_str().expect("address"))
        .collect();
    assert_eq!(path.first(), Some(&"VpcStack.VPC"), "{path:?}");
    assert_eq!(path.last(), Some(&"ServiceStack.Service"), "{path:?}");

    let text_args = args("text");
    let o = infra(
        emulator,
        &text_args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("Expected apply time: "))
        .unwrap_or_else(|| panic!("no expected time line in:\n{out}"));
    assert!(
        line.starts_with("Expected apply time: about 4 min (critical path: VpcStack.VPC → "),
        "{line}"
    );
    assert!(
        line.ends_with("ServiceStack.Service; CloudFormation's nested-stack order: about 8 min)"),
        "{line}"
    );
}

#[test]
fn a_latency_model_file_overrides_the_built_in_one_and_a_bad_one_is_named() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("vpc.yml");
    std::fs::write(
        &template,
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  Queue:\n    Type: AWS::EC2::InternetGateway\n",
    )
    .expect("template");
    let model = dir.path().join("model.json");
    std::fs::write(
        &model,
        r#"{"api_call_seconds": 0.1, "scale_for_benchmarks": {"divide_by": 60},
            "types": {"AWS::EC2::VPC": {"create": 600, "update": 1, "delete": 1}}}"#,
    )
    .expect("model");
    let plan = |model: &Path| {
        infra(
            emulator,
            &[
                "plan",
                "-t",
                s(&template),
                "--stack",
                "m",
                "--state",
                s(&dir.path().join("m.json")),
                "--json",
                "--refresh=false",
                "--latency-model",
                s(model),
            ],
        )
    };
    let o = plan(&model);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    // The VPC takes the file's 600 s; the gateway, not listed, the documented default of 10 s.
    assert_eq!(doc["expected_apply_seconds"], 600.0);
    assert_eq!(doc["critical_path"], serde_json::json!(["Vpc"]));
    assert_eq!(doc["stack_order_seconds"], 600.0);

    std::fs::write(&model, r#"{"types": {}}"#).expect("model");
    let o = plan(&model);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(s(&model)) && err.contains("divide_by"),
        "{err}"
    );
}

#[test]
fn a_held_lock_stops_a_second_plan_naming_the_holder() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("l.json");
    let guard = infra_state::LockGuard::acquire(&state, "apply").expect("lock");
    let o = infra(
        emulator,
        &[
            "plan",
            "-t",
            s(&fixture()),
            "--stack",
            "l",
            "--state",
            s(&state),
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains(&guard.info().id.to_string()),
        "names the lock id: {err}"
    );
    assert!(err.contains("apply"), "names the holder's command: {err}");
}

#[test]
fn a_template_that_needs_nothing_from_aws_plans_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("net.yml");
    std::fs::write(
        &template,
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n",
    )
    .expect("write");
    // No emulator: the endpoint is closed, so any AWS call would fail.
    let o = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args([
            "plan",
            "-t",
            s(&template),
            "--stack",
            "o",
            "--state",
            s(&dir.path().join("o.json")),
            "--refresh=false",
        ])
        .env("AWS_ENDPOINT_URL", support::closed_endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("Plan: 1 to add"), "{out}");
}

#[test]
fn an_unreachable_endpoint_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let endpoint = support::closed_endpoint();
    let o = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args([
            "plan",
            "-t",
            s(&fixture()),
            "--stack",
            "u",
            "--state",
            s(&dir.path().join("u.json")),
        ])
        .env("AWS_ENDPOINT_URL", &endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("runs");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains(endpoint.trim_end_matches('/')),
        "names the endpoint: {err}"
    );
}

#[test]
fn bad_stack_names_are_refused_before_touching_state() {
    let o = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args([
            "plan",
            "-t",
            s(&fixture()),
            "--stack",
            "../escape",
            "--refresh=false",
        ])
        .output()
        .expect("runs");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("stack name `../escape` is not valid"), "{err}");
}
