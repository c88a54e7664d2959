//! Adopting a CloudFormation stack on the AWS API emulator: a stack made through the
//! emulator's CloudFormation API is imported with `infra import --from-cloudformation`, the
//! next plan is empty, and `infra destroy` removes what was adopted; the stack has a nested
//! stack (its template read from the emulator's S3), adopted at `Net.Logical`. A template that does not
//! describe the stack's resources stops the import, naming each address, and writes nothing.
//! (A stack holding a `Custom::*` resource cannot be made on the emulator without running the
//! custom resource's function: that refusal is tested on the resource lists, next to the
//! comparison in `commands/import/adopt`.)

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

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
      LogGroupName: /migrate-e2e/app
      RetentionInDays: 7
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: migrate-e2e-app
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
      LogGroupName: /migrate-e2e/nested
"#;

/// The bucket CloudFormation reads the nested template from.
const BUCKET: &str = "migrate-e2e-templates";

fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
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

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Creates the CloudFormation stack `name` from `body` through the emulator's API, with the
/// nested template uploaded to S3 where `body`'s nested stack reads it.
fn create_stack(emulator: &Emulator, name: &str, body: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudformation::config::Region::new("us-east-1"))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aws_sdk_cloudformation::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    let cfn = aws_sdk_cloudformation::Client::from_conf(config);
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new("us-east-1"))
            .endpoint_url(&emulator.endpoint)
            .force_path_style(true)
            .credentials_provider(aws_sdk_s3::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build(),
    );
    rt.block_on(async {
        s3.create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .expect("CreateBucket");
        s3.put_object()
            .bucket(BUCKET)
            .key("net.yml")
            .body(NESTED.as_bytes().to_vec().into())
            .send()
            .await
            .expect("PutObject");
        cfn.create_stack()
            .stack_name(name)
            .template_body(body)
            .capabilities(aws_sdk_cloudformation::types::Capability::CapabilityNamedIam)
            .send()
            .await
            .expect("CreateStack");
    });
}

#[test]
fn mixing_the_two_import_modes_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("app.yml");
    std::fs::write(&template, TEMPLATE.replace("TEMPLATE_URL", "net.yml")).expect("template");
    std::fs::write(dir.path().join("net.yml"), NESTED).expect("nested template");
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

#[test]
fn a_cloudformation_stack_is_adopted_planned_empty_and_destroyed() {
    let emulator = Emulator::start();
    let cfn_body = TEMPLATE.replace(
        "TEMPLATE_URL",
        &format!("https://s3.amazonaws.com/{BUCKET}/net.yml"),
    );
    create_stack(&emulator, "legacy-app", &cfn_body);
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("app.yml");
    let local = TEMPLATE.replace("TEMPLATE_URL", "net.yml");
    std::fs::write(&template, &local).expect("template");
    std::fs::write(dir.path().join("net.yml"), NESTED).expect("nested template");
    let state = dir.path().join("app.json");
    let common = ["--stack", "app", "--state", s(&state)];

    // A template with a resource the stack lacks stops the import and writes nothing.
    let wrong = dir.path().join("wrong.yml");
    std::fs::write(
        &wrong,
        format!(
            "{local}  Extra:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /migrate-e2e/extra\n"
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

    let adopted = infra(
        &emulator,
        &[
            &[
                "import",
                "--from-cloudformation",
                "legacy-app",
                "-t",
                s(&template),
            ],
            &common[..],
        ]
        .concat(),
    );
    assert!(adopted.status.success(), "{}", text(&adopted));
    let out = String::from_utf8_lossy(&adopted.stdout).into_owned();
    for address in [
        "Vpc",
        "SubnetA",
        "SubnetB",
        "RouteTable",
        "WebSg",
        "Logs",
        "AppRole",
        "Net.Subnet",
        "Net.Logs",
    ] {
        assert!(out.contains(&format!("Adopted {address} (")), "{out}");
    }
    // FIXME: the emulator's CloudFormation records a subnet route table association (with the
    // table's id as its physical id) without associating anything in EC2, so there is no
    // association to adopt; on AWS it is adopted like the others.
    assert!(
        out.contains("Not adopted: SubnetARoutes (AWS::EC2::SubnetRouteTableAssociation"),
        "{out}"
    );
    assert!(out.contains("Adopted 9 resources"), "{out}");

    let plan = infra(
        &emulator,
        &[
            &["plan", "--detailed-exitcode", "-t", s(&template)],
            &common[..],
        ]
        .concat(),
    );
    // FIXME: on AWS this plan is empty (exit 0). On the emulator the association CloudFormation
    // claims to have made does not exist in EC2 (see above), so the plan creates it, and that is
    // its only change.
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan));
    let plan_text = String::from_utf8_lossy(&plan.stdout).into_owned();
    assert!(
        plan_text.contains("# SubnetARoutes will be created")
            && plan_text.contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{plan_text}"
    );

    let destroyed = infra(
        &emulator,
        &[&["destroy", "--auto-approve"], &common[..]].concat(),
    );
    assert!(destroyed.status.success(), "{}", text(&destroyed));
    let after: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("JSON");
    assert_eq!(
        after["resources"].as_object().map(|r| r.len()),
        Some(0),
        "{after:#}"
    );
}
