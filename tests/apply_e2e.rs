//! `infra apply` / `plan` / `destroy` end to end on the AWS API emulator, with the fixture's
//! network (`vpc.yml`) and an IAM role, counted through the emulator's own API.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use cli::{fixture, infra, ok, s};
use support::Emulator;

fn ec2(emulator: &Emulator) -> (tokio::runtime::Runtime, aws_sdk_ec2::Client) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new("us-east-1"))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    (rt, aws_sdk_ec2::Client::from_conf(config))
}

/// How many of each network resource carry `infra:stack=<stack>`, through the EC2 API.
fn count(emulator: &Emulator, stack: &str) -> [usize; 5] {
    let (rt, c) = ec2(emulator);
    let f = || {
        aws_sdk_ec2::types::Filter::builder()
            .name("tag:infra:stack")
            .values(stack)
            .build()
    };
    rt.block_on(async {
        let vpcs = c
            .describe_vpcs()
            .filters(f())
            .send()
            .await
            .expect("vpcs")
            .vpcs()
            .len();
        let subnets = c
            .describe_subnets()
            .filters(f())
            .send()
            .await
            .expect("subnets")
            .subnets()
            .len();
        let nats = c
            .describe_nat_gateways()
            .filter(f())
            .send()
            .await
            .expect("nat")
            .nat_gateways()
            .iter()
            .filter(|n| n.state().is_some_and(|s| s.as_str() != "deleted"))
            .count();
        let eips = c
            .describe_addresses()
            .filters(f())
            .send()
            .await
            .expect("eips")
            .addresses()
            .len();
        let igws = c
            .describe_internet_gateways()
            .filters(f())
            .send()
            .await
            .expect("igw")
            .internet_gateways()
            .len();
        [vpcs, subnets, nats, eips, igws]
    })
}

#[test]
fn the_fixture_network_applies_plans_clean_updates_and_destroys() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("net.json");
    // A copy of the fixture's vpc.yml in the test's temp dir, edited below for updates.
    let template = dir.path().join("vpc.yml");
    let original = std::fs::read_to_string(fixture("vpc.yml")).expect("fixture");
    std::fs::write(&template, &original).expect("copy");
    let common = ["--stack", "net", "--state", s(&state)];
    let args = |cmd: &[&'static str]| -> Vec<String> {
        cmd.iter()
            .map(|x| (*x).to_string())
            .chain(["-t".to_string(), s(&template).to_string()])
            .chain(common.iter().map(|x| (*x).to_string()))
            .collect()
    };
    let run = |a: Vec<String>| infra(&emulator, &a.iter().map(String::as_str).collect::<Vec<_>>());

    let out = ok(&run(args(&["apply", "--auto-approve"])));
    assert!(
        out.contains("Apply complete! Resources: 21 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    assert!(
        out.contains("NatGatewayOne: Creation complete after"),
        "{out}"
    );
    assert_eq!(
        count(&emulator, "net"),
        [1, 4, 2, 2, 1],
        "[vpc, subnets, nat, eip, igw]"
    );

    // A second plan finds nothing to do.
    let second = run(args(&["plan", "--detailed-exitcode"]));
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&second.stdout)
    );
    assert!(String::from_utf8_lossy(&second.stdout).contains("No changes."));

    let outputs = ok(&infra(
        &emulator,
        &["output", "--stack", "net", "--state", s(&state)],
    ));
    assert!(
        outputs.contains("VpcId") && outputs.contains("vpc-"),
        "{outputs}"
    );
    assert!(
        outputs.contains("PrivateSubnetIds") && outputs.contains("subnet-"),
        "{outputs}"
    );

    // In place: MapPublicIpOnLaunch of one subnet.
    let edited = original.replacen(
        "      MapPublicIpOnLaunch: true\n  PublicSubnetTwo:",
        "      MapPublicIpOnLaunch: false\n  PublicSubnetTwo:",
        1,
    );
    assert_ne!(edited, original);
    std::fs::write(&template, &edited).expect("edit");
    let out = ok(&run(args(&["apply", "--auto-approve"])));
    assert!(
        out.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{out}"
    );
    assert!(
        out.contains("Resources: 0 added, 1 changed, 0 destroyed."),
        "{out}"
    );

    // Replacement: a private subnet's CIDR block; its route table association follows.
    let replaced = edited.replace("      CIDR: '10.0.192.0/18'", "      CIDR: '10.0.224.0/19'");
    std::fs::write(&template, &replaced).expect("edit");
    let plan = ok(&run(args(&["plan"])));
    assert!(plan.contains("# forces replacement"), "{plan}");
    assert!(plan.contains("PrivateSubnetTwo must be replaced"), "{plan}");
    let out = ok(&run(args(&["apply", "--auto-approve"])));
    assert!(out.contains("Apply complete!"), "{out}");
    assert_eq!(
        count(&emulator, "net"),
        [1, 4, 2, 2, 1],
        "the old subnet is gone, the new one exists"
    );
    let clean = run(args(&["plan", "--detailed-exitcode"]));
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );

    // Drift: a subnet deleted outside infra is re-created.
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    let subnet = st["resources"]["PrivateSubnetOne"]["physical_id"]
        .as_str()
        .expect("subnet id")
        .to_string();
    let assoc = st["resources"]["PrivateRouteTableOneAssociation"]["physical_id"]
        .as_str()
        .expect("association id")
        .to_string();
    let (rt, c) = ec2(&emulator);
    rt.block_on(async {
        c.disassociate_route_table()
            .association_id(&assoc)
            .send()
            .await
            .expect("disassociate");
        c.delete_subnet()
            .subnet_id(&subnet)
            .send()
            .await
            .expect("delete subnet");
    });
    let drift = ok(&run(args(&["plan"])));
    assert!(drift.contains("changed outside of infra"), "{drift}");
    assert!(
        drift.contains("PrivateSubnetOne will be created"),
        "{drift}"
    );
    let out = ok(&run(args(&["apply", "--auto-approve"])));
    assert!(out.contains("Apply complete!"), "{out}");
    assert_eq!(count(&emulator, "net"), [1, 4, 2, 2, 1]);

    let out = ok(&infra(
        &emulator,
        &[
            "destroy",
            "--stack",
            "net",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    ));
    assert!(
        out.contains("Destroy complete! Resources: 0 added, 0 changed, 21 destroyed."),
        "{out}"
    );
    assert_eq!(count(&emulator, "net"), [0, 0, 0, 0, 0]);
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let o = infra(
        emulator,
        &[
            "apply",
            "-t",
            s(&fixture("vpc.yml")),
            "--stack",
            "tty",
            "--state",
            s(&dir.path().join("t.json")),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("--auto-approve"), "{err}");
    assert!(
        !dir.path().join("t.json").exists() || {
            let st: serde_json::Value =
                serde_json::from_slice(&std::fs::read(dir.path().join("t.json")).expect("state"))
                    .expect("json");
            st["resources"].as_object().is_none_or(|m| m.is_empty())
        }
    );
}

const ROLE: &str = r"
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
      Policies:
        - PolicyName: read-logs
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - {Effect: Allow, Action: 'logs:GetLogEvents', Resource: '*'}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref TaskRole]
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 7}
Outputs:
  RoleArn: {Value: !GetAtt TaskRole.Arn}
";

#[test]
fn an_iam_role_with_managed_and_inline_policies_applies_and_destroys() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("role.yml");
    std::fs::write(&template, ROLE).expect("write");
    let state = dir.path().join("iam.json");
    let out = ok(&infra(
        emulator,
        &[
            "apply",
            "-t",
            s(&template),
            "--stack",
            "iam",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    ));
    assert!(out.contains("Resources: 3 added"), "{out}");
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    let role = st["resources"]["TaskRole"]["physical_id"]
        .as_str()
        .expect("role name")
        .to_string();
    assert!(role.starts_with("iam-TaskRole-"), "generated name: {role}");
    let outputs = ok(&infra(
        emulator,
        &["output", "RoleArn", "--stack", "iam", "--state", s(&state)],
    ));
    assert!(
        outputs.trim().ends_with(&format!(":role/{role}")),
        "{outputs}"
    );
    let clean = infra(
        emulator,
        &[
            "plan",
            "-t",
            s(&template),
            "--stack",
            "iam",
            "--state",
            s(&state),
            "--detailed-exitcode",
        ],
    );
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let out = ok(&infra(
        emulator,
        &[
            "destroy",
            "--stack",
            "iam",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    ));
    assert!(out.contains("3 destroyed"), "{out}");
}

#[test]
fn an_existing_vpc_is_imported_and_then_managed() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let (rt, c) = ec2(emulator);
    let vpc = rt.block_on(async {
        let v = c
            .create_vpc()
            .cidr_block("10.77.0.0/16")
            .send()
            .await
            .expect("create vpc");
        v.vpc()
            .and_then(|v| v.vpc_id())
            .expect("vpc id")
            .to_string()
    });
    let template = dir.path().join("imp.yml");
    std::fs::write(
        &template,
        "Resources:\n  Net:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.77.0.0/16}\n",
    )
    .expect("write");
    let state = dir.path().join("imp.json");
    let base = ["-t", s(&template), "--stack", "imp", "--state", s(&state)];
    let out = ok(&infra(
        emulator,
        &[&["import", "Net", vpc.as_str()][..], &base[..]].concat(),
    ));
    assert!(out.contains(&format!("Imported {vpc}")), "{out}");
    let plan = infra(
        emulator,
        &[&["plan", "--detailed-exitcode"][..], &base[..]].concat(),
    );
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plan.stdout)
    );
    // Importing over an address already in the state is refused.
    let again = infra(
        emulator,
        &[&["import", "Net", vpc.as_str()][..], &base[..]].concat(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already in the state"));
    // A missing object is an error naming it.
    let dir2 = tempfile::tempdir().expect("tempdir");
    let state2 = dir2.path().join("x.json");
    let missing = infra(
        emulator,
        &[
            "import",
            "Net",
            "vpc-0000000000000dead",
            "-t",
            s(&template),
            "--stack",
            "x",
            "--state",
            s(&state2),
        ],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("vpc-0000000000000dead"));
}

#[test]
fn a_saved_plan_is_refused_once_the_state_moved_on() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("logs.yml");
    std::fs::write(
        &template,
        "Resources:\n  A:\n    Type: AWS::Logs::LogGroup\n",
    )
    .expect("write");
    let state = dir.path().join("saved.json");
    let plan = dir.path().join("plan.bin");
    let base = ["-t", s(&template), "--stack", "saved", "--state", s(&state)];
    ok(&infra(
        emulator,
        &[&["plan", "--out", s(&plan)][..], &base[..]].concat(),
    ));
    // Someone applies first: the state's serial moves on.
    ok(&infra(
        emulator,
        &[&["apply", "--auto-approve"][..], &base[..]].concat(),
    ));
    let stale = infra(
        emulator,
        &["apply", s(&plan), "--stack", "saved", "--state", s(&state)],
    );
    let err = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{err}");
    assert!(err.contains("saved plan is stale"), "{err}");
    ok(&infra(
        emulator,
        &[
            "destroy",
            "--stack",
            "saved",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    ));
}
