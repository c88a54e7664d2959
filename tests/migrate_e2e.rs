//! Adopting a CloudFormation stack on the AWS API emulator: a stack made through the
//! emulator's CloudFormation API is imported with `infra import --from-cloudformation`, the
//! next plan is empty, `--release-stack` deletes the stack and leaves every resource, and
//! `infra destroy` removes what was adopted; the stack has a nested stack (its template read
//! from the emulator's S3), adopted at `Net.Logical`. A template that does not describe the
//! stack's resources stops the import, naming each address, and writes nothing. An adoption
//! and release killed (SIGKILL) at two points and run again ends as an uninterrupted one.
//! (A stack holding a `Custom::*` resource cannot be made on the emulator without running the
//! custom resource's function: that refusal is tested on the resource lists, next to the
//! comparison in `commands/import/adopt`.)
//!
//! The emulator runs with the project's fidelity fixes (`emulator/fidelity.py`): without them
//! moto re-creates security groups and nested stacks on the update that only adds
//! `DeletionPolicy`, and makes no EC2 association for a `SubnetRouteTableAssociation`.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

#[path = "support/sdk.rs"]
mod sdk;

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use cli::{infra, s};
use support::Emulator;

const TEMPLATE: &str = r#"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.40.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.40.1.0/24
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.40.2.0/24
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  SubnetARoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref RouteTable
      SubnetId: !Ref SubnetA
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /PREFIX/app
      RetentionInDays: 7
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: PREFIX-app
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
  Net:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: TEMPLATE_URL
      Parameters:
        VpcId: !Ref Vpc
"#;

/// The nested stack `Net`: its resources are adopted at `Net.Subnet` and `Net.Logs`.
const NESTED: &str = r#"
Parameters:
  VpcId:
    Type: String
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VpcId
      CidrBlock: 10.40.3.0/24
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /PREFIX/nested
"#;

/// The bucket CloudFormation reads the nested template from.
const BUCKET: &str = "migrate-e2e-templates";

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The stack's template as CloudFormation reads it, with names made from `prefix`.
fn cfn_template(prefix: &str) -> String {
    TEMPLATE
        .replace(
            "TEMPLATE_URL",
            &format!("https://s3.amazonaws.com/{BUCKET}/{prefix}/net.yml"),
        )
        .replace("PREFIX", prefix)
}

/// The same stack as infra reads it, written to `dir` (`app.yml` and its nested `net.yml`).
fn write_local(dir: &Path, prefix: &str) -> std::path::PathBuf {
    let template = dir.join("app.yml");
    std::fs::write(
        &template,
        TEMPLATE
            .replace("TEMPLATE_URL", "net.yml")
            .replace("PREFIX", prefix),
    )
    .expect("template");
    std::fs::write(dir.join("net.yml"), NESTED.replace("PREFIX", prefix)).expect("nested");
    template
}

use sdk::runtime;

fn cfn_client(emulator: &Emulator) -> aws_sdk_cloudformation::Client {
    aws_sdk_cloudformation::Client::new(&sdk::config(&emulator.endpoint))
}

/// Creates the CloudFormation stack `name` with names from `prefix` through the emulator's
/// API, with the nested template uploaded to S3 where the stack reads it.
fn create_stack(emulator: &Emulator, name: &str, prefix: &str) {
    let rt = runtime();
    let cfn = cfn_client(emulator);
    let s3 = sdk::s3(&emulator.endpoint);
    rt.block_on(async {
        // Made once per emulator; a second test on the same one finds it there.
        let _ = s3.create_bucket().bucket(BUCKET).send().await;
        s3.put_object()
            .bucket(BUCKET)
            .key(format!("{prefix}/net.yml"))
            .body(NESTED.replace("PREFIX", prefix).into_bytes().into())
            .send()
            .await
            .expect("PutObject");
        cfn.create_stack()
            .stack_name(name)
            .template_body(cfn_template(prefix))
            .capabilities(aws_sdk_cloudformation::types::Capability::CapabilityNamedIam)
            .send()
            .await
            .expect("CreateStack");
    });
}

#[test]
fn mixing_the_two_import_modes_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write_local(dir.path(), "mixing");
    let o = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args([
            "import",
            "Vpc",
            "vpc-123",
            "--from-cloudformation",
            "legacy",
            "-t",
            s(&template),
            "--state",
            s(&dir.path().join("state.json")),
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra");
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("takes no ADDRESS or PHYSICAL_ID"),
        "{}",
        text(&o)
    );
    assert!(!dir.path().join("state.json").exists());
}

/// The addresses the stack's resources take in infra, every one adopted.
const ADOPTED: [&str; 10] = [
    "Vpc",
    "SubnetA",
    "SubnetB",
    "RouteTable",
    "SubnetARoutes",
    "WebSg",
    "Logs",
    "AppRole",
    "Net.Subnet",
    "Net.Logs",
];

/// CloudFormation's physical id of each resource of stack `name` and its nested stack, at the
/// addresses infra gives them (the nested stack resource itself left out).
fn physical_ids(emulator: &Emulator, name: &str) -> std::collections::BTreeMap<String, String> {
    let cfn = cfn_client(emulator);
    runtime().block_on(async {
        let mut ids = std::collections::BTreeMap::new();
        let mut pending = vec![(String::new(), name.to_string())];
        while let Some((prefix, stack)) = pending.pop() {
            let page = cfn
                .list_stack_resources()
                .stack_name(&stack)
                .send()
                .await
                .expect("ListStackResources");
            for r in page.stack_resource_summaries() {
                let logical = r.logical_resource_id().unwrap_or_default();
                let id = r.physical_resource_id().unwrap_or_default().to_string();
                if r.resource_type() == Some("AWS::CloudFormation::Stack") {
                    pending.push((format!("{logical}."), id));
                } else {
                    ids.insert(format!("{prefix}{logical}"), id);
                }
            }
        }
        ids
    })
}

/// The tags of VPC `id`.
fn vpc_tags(emulator: &Emulator, id: &str) -> std::collections::BTreeMap<String, String> {
    let ec2 = aws_sdk_ec2::Client::new(&sdk::config(&emulator.endpoint));
    runtime().block_on(async {
        let answer = ec2
            .describe_vpcs()
            .vpc_ids(id)
            .send()
            .await
            .expect("DescribeVpcs");
        answer
            .vpcs()
            .iter()
            .flat_map(|v| v.tags())
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            })
            .collect()
    })
}

/// Whether CloudFormation still has stack `name`.
fn stack_exists(emulator: &Emulator, name: &str) -> bool {
    let cfn = cfn_client(emulator);
    runtime().block_on(async {
        match cfn.describe_stacks().stack_name(name).send().await {
            Ok(answer) => answer
                .stacks()
                .iter()
                .any(|s| s.stack_status().map(|s| s.as_str()) != Some("DELETE_COMPLETE")),
            Err(e) => {
                let text = format!("{:?}", e.into_service_error());
                assert!(text.contains("does not exist"), "{text}");
                false
            }
        }
    })
}

/// The state's physical id at each address.
fn recorded(state: &Path) -> std::collections::BTreeMap<String, String> {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state).expect("state")).expect("JSON");
    json["resources"]
        .as_object()
        .expect("resources")
        .iter()
        .map(|(address, r)| {
            (
                address.clone(),
                r["physical_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// After a release: the stack is gone, the state records each resource at CloudFormation's id
/// (`cfn_ids`, taken before), the next plan is empty, and destroy removes everything.
fn assert_released_then_destroy(
    emulator: &Emulator,
    cfn_stack: &str,
    template: &Path,
    state: &Path,
    cfn_ids: &std::collections::BTreeMap<String, String>,
) {
    assert!(!stack_exists(emulator, cfn_stack), "the stack is deleted");
    assert_eq!(
        &recorded(state),
        cfn_ids,
        "every resource adopted at its id"
    );
    let common = ["--stack", "app", "--state", s(state)];
    // `refresh` reads every adopted resource: all still exist after the stack's deletion.
    let plan = infra(
        emulator,
        &[
            &["plan", "--detailed-exitcode", "-t", s(template)],
            &common[..],
        ]
        .concat(),
    );
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    assert!(text(&plan).contains("No changes"), "{}", text(&plan));

    let destroyed = infra(
        emulator,
        &[&["destroy", "--auto-approve"], &common[..]].concat(),
    );
    assert!(destroyed.status.success(), "{}", text(&destroyed));
    assert_eq!(recorded(state).len(), 0);
}

#[test]
fn a_cloudformation_stack_is_adopted_planned_empty_released_and_destroyed() {
    let emulator = Emulator::start();
    create_stack(&emulator, "legacy-app", "migrate-e2e");
    let cfn_ids = physical_ids(&emulator, "legacy-app");
    assert_eq!(cfn_ids.keys().map(String::as_str).collect::<Vec<_>>(), {
        let mut sorted = ADOPTED.to_vec();
        sorted.sort_unstable();
        sorted
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write_local(dir.path(), "migrate-e2e");
    let state = dir.path().join("app.json");
    let common = ["--stack", "app", "--state", s(&state)];

    // A template with a resource the stack lacks stops the import and writes nothing.
    let wrong = dir.path().join("wrong.yml");
    std::fs::write(
        &wrong,
        format!(
            "{}  Extra:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /migrate-e2e/extra\n",
            std::fs::read_to_string(&template).expect("template")
        ),
    )
    .expect("template");
    let refused = infra(
        &emulator,
        &[
            &[
                "import",
                "--from-cloudformation",
                "legacy-app",
                "-t",
                s(&wrong),
            ],
            &common[..],
        ]
        .concat(),
    );
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(
        text(&refused)
            .contains("`Extra` (AWS::Logs::LogGroup) is in the template but not in the stack"),
        "{}",
        text(&refused)
    );
    assert!(!state.exists(), "nothing may be written");

    let import = [
        "import",
        "--from-cloudformation",
        "legacy-app",
        "-t",
        s(&template),
    ];
    let adopted = infra(&emulator, &[&import[..], &common[..]].concat());
    assert!(adopted.status.success(), "{}", text(&adopted));
    let out = String::from_utf8_lossy(&adopted.stdout).into_owned();
    for address in ADOPTED {
        assert!(out.contains(&format!("Adopted {address} (")), "{out}");
    }
    assert!(out.contains("Adopted 10 resources"), "{out}");
    // infra's tags, as on what infra creates: the VPC, subnets, route table, security group,
    // log groups and role (associations take none).
    assert!(
        out.contains("Tagged 9 adopted resources with infra:stack=app"),
        "{out}"
    );
    assert_eq!(
        vpc_tags(&emulator, &cfn_ids["Vpc"]).get("infra:address"),
        Some(&"Vpc".to_string())
    );
    // Without --release-stack, the stack stays and the way to release it is printed.
    assert!(stack_exists(&emulator, "legacy-app"));
    assert!(
        out.contains("--release-stack")
            && out.contains("aws cloudformation update-stack --stack-name legacy-app")
            && out.contains("aws cloudformation delete-stack --stack-name legacy-app"),
        "{out}"
    );

    let plan = infra(
        &emulator,
        &[
            &["plan", "--detailed-exitcode", "-t", s(&template)],
            &common[..],
        ]
        .concat(),
    );
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));

    // Nested stacks' edited templates go through S3: without a bucket, the release stops
    // before changing anything.
    let no_bucket = infra(
        &emulator,
        &[&import[..], &["--release-stack"], &common[..]].concat(),
    );
    assert!(!no_bucket.status.success(), "{}", text(&no_bucket));
    assert!(
        text(&no_bucket).contains("has nested stacks (Net)")
            && text(&no_bucket).contains("--artifact-bucket"),
        "{}",
        text(&no_bucket)
    );
    assert!(stack_exists(&emulator, "legacy-app"));

    let released = infra(
        &emulator,
        &[
            &import[..],
            &["--release-stack", "--artifact-bucket", BUCKET],
            &common[..],
        ]
        .concat(),
    );
    assert!(released.status.success(), "{}", text(&released));
    let out = String::from_utf8_lossy(&released.stdout).into_owned();
    for line in [
        "Already adopted: Vpc",
        "Uploaded the edited template of nested stack Net to s3://migrate-e2e-templates/infra-release/legacy-app/",
        "Updating CloudFormation stack legacy-app: DeletionPolicy Retain on every resource",
        "Deleting CloudFormation stack legacy-app",
        "All 10 adopted resources still exist.",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
    assert_released_then_destroy(&emulator, "legacy-app", &template, &state, &cfn_ids);
}

/// Runs `args` and kills it (SIGKILL) as soon as it prints a line containing `trigger`;
/// returns everything it printed. Fails when it ends without printing `trigger`.
fn kill_at(emulator: &Emulator, args: &[&str], trigger: &str) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    let errors = tempfile::NamedTempFile::new().expect("temp file");
    let mut child = cmd
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(errors.reopen().expect("reopens")))
        .spawn()
        .expect("runs infra");
    let stdout = child.stdout.take().expect("stdout");
    let mut seen = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("reads");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(trigger) {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            return seen;
        }
    }
    let status = child.wait().expect("ends");
    let stderr = std::fs::read_to_string(errors.path()).unwrap_or_default();
    panic!("infra ended ({status}) before printing `{trigger}`:\n{seen}\nstderr:\n{stderr}");
}

/// What a user does after a killed run: `infra force-unlock` with the id of the lock it left.
fn force_unlock(emulator: &Emulator, state: &Path) {
    let lock = state.with_extension("json.lock");
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&lock).expect("a killed run leaves its lock"))
            .expect("lock JSON");
    let id = info["id"].as_str().expect("lock id");
    let unlocked = infra(emulator, &["force-unlock", "--state", s(state), id]);
    assert!(unlocked.status.success(), "{}", text(&unlocked));
}

#[test]
fn an_adoption_killed_at_any_step_and_run_again_ends_as_an_uninterrupted_one() {
    let emulator = Emulator::start();
    create_stack(&emulator, "legacy-killed", "killed-e2e");
    let cfn_ids = physical_ids(&emulator, "legacy-killed");
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write_local(dir.path(), "killed-e2e");
    let state = dir.path().join("app.json");
    let args = [
        "import",
        "--from-cloudformation",
        "legacy-killed",
        "-t",
        s(&template),
        "--release-stack",
        "--artifact-bucket",
        BUCKET,
        "--stack",
        "app",
        "--state",
        s(&state),
    ];
    // Killed while adopting (the state is written once, after the reads, or not at all).
    kill_at(&emulator, &args, "Adopted Vpc (");
    force_unlock(&emulator, &state);
    // Killed while releasing: the state holds everything, the stack is being updated.
    kill_at(
        &emulator,
        &args,
        "Updating CloudFormation stack legacy-killed",
    );
    force_unlock(&emulator, &state);
    assert_eq!(
        recorded(&state),
        cfn_ids,
        "adopted before the release began"
    );

    // Run again.
    let finished = infra(&emulator, &args);
    assert!(finished.status.success(), "{}", text(&finished));
    let out = text(&finished);
    assert!(
        out.contains("All 10 adopted resources still exist."),
        "{out}"
    );

    // And once more: the stack is gone, only the check runs.
    let again = infra(&emulator, &args);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again)
            .contains("CloudFormation stack legacy-killed no longer exists: it was released.")
            && text(&again).contains("All 10 adopted resources still exist."),
        "{}",
        text(&again)
    );
    assert_released_then_destroy(&emulator, "legacy-killed", &template, &state, &cfn_ids);
}
