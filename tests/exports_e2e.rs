//! Exports and imports across stacks on the AWS API emulator: one `infra` stack imports what
//! another exports and what a CloudFormation stack (made through the emulator's CloudFormation
//! API) exports; the exporter cannot be destroyed while imported; an import nobody exports
//! fails the plan. States kept in S3 share exports with the states beside them (the same bucket
//! and folder), and only with those.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

#[path = "support/sdk.rs"]
mod sdk;

use std::process::Output;

use cli::{infra, ok, s};
use support::Emulator;

const NETWORK: &str = r#"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.1.0/24
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.20.2.0/24
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: exports-e2e-cluster
Outputs:
  VpcId:
    Description: The VPC
    Value: !Ref Vpc
    Export:
      Name: !Sub "${AWS::StackName}-VpcId"
  SubnetIds:
    Value: !Join [",", [!Ref SubnetA, !Ref SubnetB]]
    Export:
      Name: !Sub "${AWS::StackName}-SubnetIds"
  ClusterName:
    Value: !Ref Cluster
    Export:
      Name: !Sub "${AWS::StackName}-ClusterName"
"#;

const APP: &str = r#"
Resources:
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !ImportValue network-VpcId
  SecondSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref RouteTable
      SubnetId: !Select [1, !Split [",", !ImportValue network-SubnetIds]]
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub
        - "/ecs/${Cluster}/${Legacy}"
        - Cluster: !ImportValue network-ClusterName
          Legacy: !ImportValue legacy-Prefix
"#;

const LEGACY: &str = r#"{
  "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
  "Outputs": {"Prefix": {"Value": "from-cfn", "Export": {"Name": "legacy-Prefix"}}}
}"#;

const MISSING: &str = r#"
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !ImportValue nobody-exports-this
"#;

fn texts(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn failed(o: &Output) -> String {
    let (out, err) = texts(o);
    assert!(
        !o.status.success(),
        "infra succeeded\nstdout:\n{out}\nstderr:\n{err}"
    );
    format!("{out}{err}")
}

/// A CloudFormation stack exporting `legacy-Prefix`, through the emulator's CloudFormation API.
fn create_legacy_stack(emulator: &Emulator) {
    let cfn = aws_sdk_cloudformation::Client::new(&sdk::config(&emulator.endpoint));
    sdk::runtime().block_on(async {
        cfn.create_stack()
            .stack_name("legacy")
            .template_body(LEGACY)
            .send()
            .await
            .expect("CreateStack");
        let exports = cfn.list_exports().send().await.expect("ListExports");
        assert!(
            exports
                .exports()
                .iter()
                .any(|e| e.name() == Some("legacy-Prefix")),
            "{exports:?}"
        );
    });
}

#[test]
fn stacks_import_what_other_stacks_and_cloudformation_export() {
    let emulator = Emulator::start();
    create_legacy_stack(&emulator);
    let dir = tempfile::tempdir().expect("tempdir");
    let states = dir.path().join("state");
    for (name, text) in [("network", NETWORK), ("app", APP), ("missing", MISSING)] {
        std::fs::write(dir.path().join(format!("{name}.yml")), text).expect("template");
    }
    let run = |command: &str, stack: &str, extra: &[&str]| {
        let template = dir.path().join(format!("{stack}.yml"));
        let state = states.join(format!("{stack}.json"));
        let mut args = vec![command, "--stack", stack, "--state", s(&state)];
        if command != "destroy" {
            args.extend(["-t", s(&template)]);
        }
        args.extend(extra);
        infra(&emulator, &args)
    };

    ok(&run("apply", "network", &["--auto-approve"]));
    let network: serde_json::Value =
        serde_json::from_slice(&std::fs::read(states.join("network.json")).expect("network state"))
            .expect("JSON");
    let vpc = network["resources"]["Vpc"]["physical_id"]
        .as_str()
        .expect("vpc id")
        .to_owned();
    let subnet_b = network["resources"]["SubnetB"]["physical_id"]
        .as_str()
        .expect("subnet id")
        .to_owned();
    assert_eq!(
        network["outputs"]["VpcId"]["export_name"], "network-VpcId",
        "{network:#}"
    );
    let outputs = ok(&infra(
        &emulator,
        &[
            "output",
            "--stack",
            "network",
            "--state",
            s(&states.join("network.json")),
        ],
    ));
    assert!(outputs.contains("(export network-VpcId)"), "{outputs}");

    // The importer plans with the real values.
    let plan = ok(&run("plan", "app", &[]));
    for value in [
        vpc.as_str(),
        subnet_b.as_str(),
        "/ecs/exports-e2e-cluster/from-cfn",
    ] {
        assert!(plan.contains(value), "{value} not in the plan:\n{plan}");
    }
    ok(&run("apply", "app", &["--auto-approve"]));
    let app: serde_json::Value =
        serde_json::from_slice(&std::fs::read(states.join("app.json")).expect("app state"))
            .expect("JSON");
    assert_eq!(app["version"], 3);
    assert_eq!(app["imports"]["network-VpcId"]["exporter"], "network");
    assert_eq!(app["imports"]["network-VpcId"]["value"], vpc.as_str());
    assert!(
        app["imports"]["legacy-Prefix"]["exporter"]
            .as_str()
            .is_some_and(|id| id.contains("legacy")),
        "{app:#}"
    );
    let listed = ok(&infra(
        &emulator,
        &[
            "state",
            "list",
            "--exports",
            "--stack",
            "network",
            "--state",
            s(&states.join("network.json")),
        ],
    ));
    assert!(
        listed.contains("export network-VpcId") && listed.contains("infra stack `app`"),
        "{listed}"
    );

    // The exporter cannot go while it is imported.
    let refused = failed(&run("destroy", "network", &["--auto-approve"]));
    assert!(
        refused.contains("network-VpcId") && refused.contains("infra stack `app`"),
        "{refused}"
    );
    assert!(states.join("network.json").exists());

    // An import nobody exports fails the plan, naming it and where infra looked.
    let missing = failed(&run("plan", "missing", &[]));
    assert!(
        missing.contains("no stack exports `nobody-exports-this`")
            && missing.contains(s(&states))
            && missing.contains("CloudFormation's exports in us-east-1"),
        "{missing}"
    );

    // Once the importer is gone, nothing infra knows of imports the exports any more.
    ok(&run("destroy", "app", &["--auto-approve"]));
    // moto does not implement CloudFormation's ListImports (it answers HTTP 500), which infra
    // asks before deleting an export a CloudFormation stack might import; on AWS the destroy
    // goes through. Here it stops, naming the call, and deletes nothing.
    let stopped = failed(&run("destroy", "network", &["--auto-approve"]));
    assert!(stopped.contains("ListImports"), "{stopped}");
    assert!(states.join("network.json").exists());
}

/// Creates bucket `bucket` on the emulator's S3.
fn create_bucket(emulator: &Emulator, bucket: &str) {
    let s3 = sdk::s3(&emulator.endpoint);
    sdk::runtime().block_on(async {
        s3.create_bucket()
            .bucket(bucket)
            .send()
            .await
            .expect("CreateBucket");
    });
}

#[test]
fn states_in_one_s3_folder_share_their_exports_and_no_others() {
    let emulator = Emulator::start();
    create_legacy_stack(&emulator);
    create_bucket(&emulator, "exports-e2e-states");
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [("network", NETWORK), ("app", APP)] {
        std::fs::write(dir.path().join(format!("{name}.yml")), text).expect("template");
    }
    let run = |command: &str, stack: &str, state: &str, extra: &[&str]| {
        let template = dir.path().join(format!("{stack}.yml"));
        let mut args = vec![
            command,
            "--stack",
            stack,
            "--state",
            state,
            "-t",
            s(&template),
        ];
        args.extend(extra);
        infra(&emulator, &args)
    };
    ok(&run(
        "apply",
        "network",
        "s3://exports-e2e-states/prod/network.json",
        &["--auto-approve"],
    ));

    // Beside the exporter: the plan reads its exports.
    let plan = ok(&run(
        "plan",
        "app",
        "s3://exports-e2e-states/prod/app.json",
        &[],
    ));
    assert!(
        plan.contains("/ecs/exports-e2e-cluster/from-cfn"),
        "the exported cluster name is not in the plan:\n{plan}"
    );

    // In another folder of the same bucket: nobody there exports `network-VpcId`.
    let elsewhere = failed(&run(
        "plan",
        "app",
        "s3://exports-e2e-states/staging/app.json",
        &[],
    ));
    assert!(
        elsewhere.contains("network-VpcId")
            && elsewhere.contains("s3://exports-e2e-states/staging/"),
        "{elsewhere}"
    );
}
