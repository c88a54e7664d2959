//! `DeletionPolicy` and `UpdateReplacePolicy` end to end on the project's emulator: what a
//! policy keeps is still in AWS after `infra destroy` (checked through each service's own API,
//! never through infra's state alone), the state holds no record of it, and the plan and the
//! destroy output say why.
//!
//! - a log group (native provider) with `DeletionPolicy: Retain` beside one without: destroy
//!   deletes one and keeps the other; a later apply at the same address makes a new log group
//!   and does not adopt the retained one; a policy changed alone is a state-only change;
//! - `UpdateReplacePolicy: Retain` on a log group whose name changes: the old group stays;
//! - an S3 bucket and a DynamoDB table (native providers) with `DeletionPolicy: Retain`;
//! - `infra validate` refuses `Snapshot`, naming the resource and where.

#[path = "support/mod.rs"]
mod support;

#[path = "support/boto.rs"]
mod boto;

#[path = "support/sdk.rs"]
mod sdk;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::Emulator;

fn infra(emulator: Option<&Emulator>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    if let Some(emulator) = emulator {
        emulator.configure(&mut cmd);
    }
    cmd.args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra")
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// stdout, after checking the command succeeded.
fn ok(o: &Output) -> String {
    assert!(o.status.success(), "infra failed: {}", text(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A stack's template and state in a temporary directory, and `infra` run on them.
struct Stack<'e> {
    emulator: &'e Emulator,
    name: &'static str,
    dir: tempfile::TempDir,
}

impl<'e> Stack<'e> {
    fn new(emulator: &'e Emulator, name: &'static str, template: &str) -> Stack<'e> {
        let stack = Stack {
            emulator,
            name,
            dir: tempfile::tempdir().expect("tempdir"),
        };
        stack.write(template);
        stack
    }

    fn write(&self, template: &str) {
        std::fs::write(self.dir.path().join("template.yml"), template).expect("template");
    }

    fn state_path(&self) -> std::path::PathBuf {
        self.dir.path().join("state.json")
    }

    /// `infra COMMAND ARGS... [-t template] --stack NAME --state PATH`.
    fn run(&self, command: &[&str], with_template: bool) -> Output {
        let template = self.dir.path().join("template.yml");
        let state = self.state_path();
        let mut args: Vec<&str> = command.to_vec();
        if with_template {
            args.extend(["-t", s(&template)]);
        }
        args.extend(["--stack", self.name, "--state", s(&state)]);
        infra(Some(self.emulator), &args)
    }

    fn apply(&self) -> String {
        ok(&self.run(&["apply", "--auto-approve"], true))
    }

    /// `infra destroy` without the template: the state alone says what to keep.
    fn destroy(&self) -> String {
        ok(&self.run(&["destroy", "--auto-approve"], false))
    }

    fn state(&self) -> Value {
        let bytes = std::fs::read(self.state_path()).expect("state file");
        serde_json::from_slice(&bytes).expect("state JSON")
    }

    fn physical_id(&self, address: &str) -> String {
        self.state()["resources"][address]["physical_id"]
            .as_str()
            .unwrap_or_else(|| panic!("{address} is not in the state: {}", self.state()))
            .to_owned()
    }

    /// The `retained` entries of the state: address, physical id and policy.
    fn retained(&self) -> Vec<(String, String, String)> {
        self.state()["retained"]
            .as_array()
            .expect("retained")
            .iter()
            .map(|r| {
                (
                    r["address"].as_str().expect("address").to_owned(),
                    r["physical_id"].as_str().expect("physical_id").to_owned(),
                    r["retained_by"].as_str().expect("retained_by").to_owned(),
                )
            })
            .collect()
    }
}

/// The log group names the emulator holds that start with `prefix`, through the Logs API.
fn log_groups(emulator: &Emulator, prefix: &str) -> Vec<String> {
    let client = aws_sdk_cloudwatchlogs::Client::new(&sdk::config(&emulator.endpoint));
    sdk::runtime().block_on(async {
        let mut names = Vec::new();
        let mut pages = client
            .describe_log_groups()
            .log_group_name_prefix(prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.expect("DescribeLogGroups");
            names.extend(
                page.log_groups()
                    .iter()
                    .filter_map(|g| g.log_group_name().map(str::to_owned)),
            );
        }
        names.sort();
        names
    })
}

const LOG_GROUPS: &str = "\
Resources:
  Kept:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Retain
    Properties:
      RetentionInDays: 7
  Scratch:
    Type: AWS::Logs::LogGroup
";

#[test]
fn a_retained_log_group_outlives_destroy_and_is_never_adopted_again() {
    let emulator = Emulator::shared();
    let stack = Stack::new(emulator, "retainlogs", LOG_GROUPS);
    let applied = stack.apply();
    assert!(
        applied.contains("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."),
        "{applied}"
    );
    assert_eq!(
        stack.state()["resources"]["Kept"]["deletion_policy"],
        "retain"
    );
    assert_eq!(
        stack.state()["resources"]["Scratch"]["deletion_policy"],
        "delete"
    );
    let kept = stack.physical_id("Kept");
    let scratch = stack.physical_id("Scratch");

    // The policy is recorded: an unchanged template plans nothing.
    let again = stack.run(&["plan", "--detailed-exitcode"], true);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));

    // A policy changed alone is a change of the state only.
    stack.write(&LOG_GROUPS.replace(
        "  Scratch:\n    Type: AWS::Logs::LogGroup\n",
        "  Scratch:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: RetainExceptOnCreate\n",
    ));
    let policy = stack.run(&["plan", "--detailed-exitcode"], true);
    assert_eq!(policy.status.code(), Some(2), "{}", text(&policy));
    let shown = String::from_utf8_lossy(&policy.stdout);
    assert!(
        shown.contains("Scratch: DeletionPolicy Delete -> RetainExceptOnCreate"),
        "{shown}"
    );
    stack.write(LOG_GROUPS);
    let again = stack.run(&["plan", "--detailed-exitcode"], true);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));

    // The destroy plan says what it keeps and why (from the recorded policies).
    let plan = ok(&stack.run(&["plan", "--destroy"], true));
    assert!(
        plan.contains(
            "  # Kept will be removed from the state and kept in AWS\n  # (retained: DeletionPolicy)\n"
        ),
        "{plan}"
    );
    assert!(plan.contains("  # Scratch will be destroyed"), "{plan}");
    assert!(
        plan.contains("Plan: 0 to add, 0 to change, 1 to destroy, 1 to retain."),
        "{plan}"
    );

    let destroyed = stack.destroy();
    assert!(
        destroyed.contains(&format!(
            "Kept: Removed from the state, kept in AWS [id={kept}]"
        )),
        "{destroyed}"
    );
    assert!(
        destroyed.contains(
            "Destroy complete! Resources: 0 added, 0 changed, 1 destroyed, 1 retained (removed from the state, kept in AWS)."
        ),
        "{destroyed}"
    );
    // AWS keeps the retained group and has lost the other; the state holds no resource.
    let groups = log_groups(emulator, "retainlogs-");
    assert_eq!(groups, vec![kept.clone()], "scratch was {scratch}");
    assert_eq!(stack.state()["resources"], json!({}));
    assert_eq!(
        stack.retained(),
        vec![(
            "Kept".to_owned(),
            kept.clone(),
            "deletion_policy".to_owned()
        )]
    );

    // Applied again: a new group at the same address; the retained one is left alone.
    stack.apply();
    let new = stack.physical_id("Kept");
    assert_ne!(new, kept);
    assert_eq!(log_groups(emulator, "retainlogs-").len(), 3);
    stack.destroy();
    let groups = log_groups(emulator, "retainlogs-");
    assert!(
        groups.contains(&kept) && groups.contains(&new),
        "{groups:?}"
    );
    assert_eq!(stack.retained().len(), 2);
}

#[test]
fn update_replace_policy_retain_keeps_the_replaced_log_group() {
    let emulator = Emulator::shared();
    let template = |name: &str| {
        format!(
            "Resources:\n  Audit:\n    Type: AWS::Logs::LogGroup\n    UpdateReplacePolicy: Retain\n    Properties:\n      LogGroupName: {name}\n"
        )
    };
    let stack = Stack::new(
        emulator,
        "retainreplace",
        &template("retainreplace-audit-1"),
    );
    stack.apply();
    assert_eq!(stack.physical_id("Audit"), "retainreplace-audit-1");

    stack.write(&template("retainreplace-audit-2"));
    let plan = ok(&stack.run(&["plan"], true));
    assert!(
        plan.contains("  # (the old object is retained: UpdateReplacePolicy; it is removed from the state, not destroyed)"),
        "{plan}"
    );
    assert!(
        plan.contains("Plan: 1 to add, 0 to change, 0 to destroy, 1 to retain."),
        "{plan}"
    );
    let applied = stack.apply();
    assert!(
        applied.contains("1 added, 0 changed, 0 destroyed, 1 retained"),
        "{applied}"
    );
    assert_eq!(stack.physical_id("Audit"), "retainreplace-audit-2");
    assert_eq!(
        log_groups(emulator, "retainreplace-"),
        vec![
            "retainreplace-audit-1".to_owned(),
            "retainreplace-audit-2".to_owned()
        ]
    );
    assert_eq!(
        stack.retained(),
        vec![(
            "Audit".to_owned(),
            "retainreplace-audit-1".to_owned(),
            "update_replace_policy".to_owned()
        )]
    );
    // Without DeletionPolicy the current group is deleted by destroy; the old one stays.
    let destroyed = stack.destroy();
    assert!(destroyed.contains("1 destroyed."), "{destroyed}");
    assert_eq!(
        log_groups(emulator, "retainreplace-"),
        vec!["retainreplace-audit-1".to_owned()]
    );
}

const BUCKET_AND_TABLES: &str = "\
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
";

#[test]
fn a_retained_bucket_and_table_outlive_destroy() {
    let emulator = Emulator::shared();
    let stack = Stack::new(emulator, "retaincc", BUCKET_AND_TABLES);
    let plan = ok(&stack.run(&["plan"], true));
    assert_eq!(plan.matches("# (via Cloud Control)").count(), 0, "{plan}");
    stack.apply();
    let bucket = stack.physical_id("Uploads");
    let orders = stack.physical_id("Orders");
    let sessions = stack.physical_id("Sessions");

    let plan = ok(&stack.run(&["plan", "--destroy"], true));
    for address in ["Uploads", "Orders"] {
        assert!(
            plan.contains(&format!(
                "  # {address} will be removed from the state and kept in AWS\n  # (retained: DeletionPolicy)\n"
            )),
            "{plan}"
        );
    }
    assert!(
        plan.contains("Plan: 0 to add, 0 to change, 1 to destroy, 2 to retain."),
        "{plan}"
    );
    let destroyed = stack.destroy();
    assert!(
        destroyed.contains("1 destroyed, 2 retained (removed from the state, kept in AWS)."),
        "{destroyed}"
    );
    assert_eq!(stack.state()["resources"], json!({}));
    assert_eq!(stack.retained().len(), 2);

    // Through each service's own API: the bucket and the retained table are there, the other
    // table is gone.
    let found = boto::batch(
        &emulator.endpoint,
        &[
            ("s3", "head_bucket", json!({"Bucket": bucket})),
            ("dynamodb", "describe_table", json!({"TableName": orders})),
            ("dynamodb", "describe_table", json!({"TableName": sessions})),
        ],
    );
    assert!(found[0].is_ok(), "bucket {bucket}: {:?}", found[0]);
    let table = found[1].as_ref().expect("the retained table");
    assert_eq!(table["Table"]["TableName"], orders.as_str());
    let gone = found[2].as_ref().expect_err("the other table is deleted");
    assert_eq!(gone.code, "ResourceNotFoundException", "{gone}");
}

#[test]
fn validate_refuses_snapshot_naming_the_resource() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("snapshot.yml");
    std::fs::write(
        &template,
        "Resources:\n  Db:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Snapshot\n",
    )
    .expect("template");
    let out = infra(None, &["validate", "-t", s(&template)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains(
            "snapshot.yml:4:21: error: resource `Db` (AWS::Logs::LogGroup): DeletionPolicy Snapshot is not supported yet"
        ),
        "{all}"
    );
}
