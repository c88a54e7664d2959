//! Snapshot tests of the human plan. Every plan here is also rendered without colour and
//! checked for escape codes.

use std::collections::BTreeMap;

use infra_template::Value;

use super::*;
use crate::plan::{Binding, PLAN_FORMAT_VERSION};

/// A value from JSON; `{"$unknown": ""}` is a value known after apply.
fn v(json: &str) -> Value {
    Value::from_json_marked(&serde_json::from_str(json).expect("test JSON"))
}

fn change(
    address: &str,
    type_name: &str,
    action: Action,
    before: Option<&str>,
    after: Option<&str>,
) -> ResourceChange {
    ResourceChange {
        address: address.into(),
        type_name: type_name.into(),
        action,
        before: before.map(v),
        after: after.map(v),
        replace_paths: Vec::new(),
        reason: None,
        physical_id: None,
        depends_on: Vec::new(),
        native_teardown: false,
    }
}

fn plan(changes: Vec<ResourceChange>, drift: Vec<Drift>) -> Plan {
    Plan {
        format_version: PLAN_FORMAT_VERSION,
        binding: Binding {
            stack: "demo".into(),
            lineage: None,
            serial: 0,
            template_sha256: "t".into(),
            parameters_sha256: "p".into(),
            template: "parent.yml".into(),
        },
        destroy: false,
        summary: Plan::summarize(&changes),
        changes,
        drift,
        outputs: BTreeMap::new(),
        notes: Vec::new(),
    }
}

/// Renders without colour, checking that no escape code slipped in.
fn render(plan: &Plan) -> String {
    render_with(plan, &RenderOptions::default())
}

fn render_with(plan: &Plan, opts: &RenderOptions) -> String {
    let out = render_plan(plan, opts);
    if !opts.color {
        assert!(!out.contains('\x1b'), "escape code without colour:\n{out}");
    }
    out
}

const SUBNET: &str = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18","MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;

#[test]
fn create_with_nested_blocks_and_unknowns() {
    let vpc = change(
        "VpcStack.VPC",
        "AWS::EC2::VPC",
        Action::Create,
        None,
        Some(
            r#"{"CidrBlock":"10.0.0.0/16","EnableDnsHostnames":true,"EnableDnsSupport":true,
                "Tags":[{"Key":"Name","Value":"demo"},{"Key":"infra:stack","Value":"demo"}]}"#,
        ),
    );
    let template = change(
        "ClusterStack.LaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        Action::Create,
        None,
        Some(
            r##"{"LaunchTemplateData":{"IamInstanceProfile":{"Arn":{"$unknown":""}},"ImageId":"ami-0123",
                "InstanceType":"c5.large","SecurityGroupIds":[{"$unknown":""}],
                "UserData":"#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"},
                "LaunchTemplateName":{"$unknown":""}}"##,
        ),
    );
    let mut p = plan(vec![template, vpc], vec![]);
    p.notes.push(
        "ClusterStack.AsgDestroyer (Custom::AsgDestroyer) is replaced by infra's native teardown"
            .into(),
    );
    insta::assert_snapshot!(render(&p));
}

#[test]
fn in_place_update() {
    let after = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18","MapPublicIpOnLaunch":true,"VpcId":"vpc-1"}"#;
    let subnet = change(
        "VpcStack.PublicSubnetOne",
        "AWS::EC2::Subnet",
        Action::Update,
        Some(SUBNET),
        Some(after),
    );
    let sg = change(
        "ServiceStack.ServiceSG",
        "AWS::EC2::SecurityGroup",
        Action::Update,
        Some(
            r#"{"GroupDescription":"svc","GroupName":"svc-sg","Tags":[{"Key":"Name","Value":"svc"},{"Key":"Team","Value":"a"}],
                "SecurityGroupEgress":[{"CidrIp":"0.0.0.0/0","IpProtocol":"-1"}],
                "Ports":["80","443","8080","8443","9000"]}"#,
        ),
        Some(
            r#"{"GroupDescription":"svc","GroupName":{"$unknown":""},"Tags":[{"Key":"Env","Value":"prod"},{"Key":"Name","Value":"svc"},{"Key":"Team","Value":"b"}],
                "SecurityGroupEgress":[{"CidrIp":"10.0.0.0/8","IpProtocol":"-1"}],
                "Ports":["80","443","8081","8443","9000"]}"#,
        ),
    );
    insta::assert_snapshot!(render(&plan(vec![sg, subnet], vec![])));
}

#[test]
fn replacement_in_both_orders() {
    let after = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.129.0/24","MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;
    let mut subnet = change(
        "VpcStack.PrivateSubnetOne",
        "AWS::EC2::Subnet",
        Action::DeleteThenCreate,
        Some(SUBNET),
        Some(after),
    );
    subnet.replace_paths = vec!["CidrBlock".into()];
    let mut template = change(
        "ClusterStack.LaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        Action::CreateThenDelete,
        Some(
            r#"{"LaunchTemplateData":{"ImageId":"ami-old","InstanceType":"c5.large"},"LaunchTemplateName":"lt-1"}"#,
        ),
        Some(
            r#"{"LaunchTemplateData":{"ImageId":"ami-new","InstanceType":"c5.large"},"LaunchTemplateName":{"$unknown":""}}"#,
        ),
    );
    template.replace_paths = vec!["LaunchTemplateData/ImageId".into()];
    let mut asg = change(
        "ClusterStack.ECSAutoScalingGroup",
        "AWS::AutoScaling::AutoScalingGroup",
        Action::CreateThenDelete,
        Some(r#"{"MaxSize":"2","MinSize":"0","VPCZoneIdentifier":["subnet-1","subnet-2"]}"#),
        Some(r#"{"MaxSize":"2","MinSize":"0","VPCZoneIdentifier":["subnet-1","subnet-3"]}"#),
    );
    asg.replace_paths = vec!["VPCZoneIdentifier".into()];
    asg.native_teardown = true;
    insta::assert_snapshot!(render(&plan(vec![asg, template, subnet], vec![])));
}

#[test]
fn destroy() {
    let mut old = change(
        "VpcStack.Old",
        "AWS::EC2::Subnet",
        Action::Delete,
        Some(
            r#"{"CidrBlock":"10.0.3.0/24","Tags":[{"Key":"Name","Value":"old"}],"VpcId":"vpc-1"}"#,
        ),
        None,
    );
    old.reason = Some("it is no longer in the template".into());
    let mut asg = change(
        "ClusterStack.ECSAutoScalingGroup",
        "AWS::AutoScaling::AutoScalingGroup",
        Action::Delete,
        Some(
            r#"{"LaunchTemplate":{"LaunchTemplateId":"lt-1","Version":"3"},"MaxSize":"2","MinSize":"0"}"#,
        ),
        None,
    );
    asg.native_teardown = true;
    let mut p = plan(vec![asg, old], vec![]);
    p.destroy = true;
    insta::assert_snapshot!(render(&p));
}

#[test]
fn iam_policy_document_is_a_line_diff_ignoring_key_order() {
    // As AWS returns it: a string, keys in another order than the template's.
    let before = r#"{"AssumeRolePolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Principal\":{\"Service\":[\"ec2.amazonaws.com\"]},\"Effect\":\"Allow\",\"Action\":[\"sts:AssumeRole\"]}]}",
        "Policies":[{"PolicyName":"ecs","PolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Resource\":\"*\",\"Effect\":\"Allow\",\"Action\":[\"ecs:CreateCluster\"]}]}"}],
        "RoleName":"ecs-role"}"#;
    let after = r#"{"AssumeRolePolicyDocument":{"Statement":[{"Action":["sts:AssumeRole","sts:TagSession"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}}],"Version":"2012-10-17"},
        "Policies":[{"PolicyDocument":{"Statement":[{"Action":["ecs:CreateCluster"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"},"PolicyName":"ecs"}],
        "RoleName":"ecs-role"}"#;
    let role = change(
        "ClusterStack.EC2Role",
        "AWS::IAM::Role",
        Action::Update,
        Some(before),
        Some(after),
    );
    let out = render(&plan(vec![role], vec![]));
    assert!(
        !out.contains("Policies"),
        "a reordered document is no change:\n{out}"
    );
    let marked: Vec<&str> = out
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("+ ") || l.starts_with("- "))
        .collect();
    assert!(
        !marked.is_empty() && marked.iter().all(|l| l.contains("sts:")),
        "only the Action changed:\n{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn container_definition_change() {
    let before = r#"{"ContainerDefinitions":[
        {"Name":"sidecar","Image":"envoy:1.27","Essential":false,"Memory":"128"},
        {"Name":"web","Image":"nginx:1.25","Essential":true,"Memory":"512","PortMappings":[{"ContainerPort":"80"}]}],
        "Family":"svc","NetworkMode":"awsvpc"}"#;
    let after = r#"{"ContainerDefinitions":[
        {"Name":"sidecar","Image":"envoy:1.27","Essential":false,"Memory":"128"},
        {"Name":"web","Image":"nginx:1.27","Essential":true,"Memory":"512","PortMappings":[{"ContainerPort":"80"}]}],
        "Family":"svc","NetworkMode":"awsvpc"}"#;
    let mut td = change(
        "ServiceStack.TaskDefinition",
        "AWS::ECS::TaskDefinition",
        Action::CreateThenDelete,
        Some(before),
        Some(after),
    );
    td.replace_paths = vec!["ContainerDefinitions".into()];
    insta::assert_snapshot!(render(&plan(vec![td], vec![])));
}

#[test]
fn user_data_is_a_line_diff() {
    let script = |cluster: &str| {
        let mut lines = vec!["#!/bin/bash".to_string(), "set -euo pipefail".into()];
        lines.extend((1..=6).map(|i| format!("echo step {i}")));
        lines.push(format!("echo ECS_CLUSTER={cluster} >> /etc/ecs/ecs.config"));
        lines.extend([
            "echo ECS_ENABLE_TASK_IAM_ROLE=true >> /etc/ecs/ecs.config".into(),
            "systemctl restart ecs".into(),
        ]);
        serde_json::json!({ "LaunchTemplateData": { "ImageId": "ami-1", "UserData": lines.join("\n") } }).to_string()
    };
    let (before, after) = (script("old"), script("new"));
    let lt = change(
        "ClusterStack.LaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        Action::Update,
        Some(&before),
        Some(&after),
    );
    let p = plan(vec![lt], vec![]);
    insta::assert_snapshot!(render(&p));
    let full = render_with(
        &p,
        &RenderOptions {
            show_unchanged: true,
            ..RenderOptions::default()
        },
    );
    assert!(
        full.contains("echo step 1") && !full.contains("hidden"),
        "{full}"
    );
}

#[test]
fn drift_deleted_and_changed() {
    let changed = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18","MapPublicIpOnLaunch":true,"VpcId":"vpc-1"}"#;
    let drift = vec![
        Drift {
            address: "VpcStack.PublicSubnetOne".into(),
            type_name: "AWS::EC2::Subnet".into(),
            before: Some(v(SUBNET)),
            after: None,
        },
        Drift {
            address: "VpcStack.PublicSubnetTwo".into(),
            type_name: "AWS::EC2::Subnet".into(),
            before: Some(v(SUBNET)),
            after: Some(v(changed)),
        },
        // Equal once compared as AWS means it: not shown.
        Drift {
            address: "VpcStack.VPC".into(),
            type_name: "AWS::EC2::VPC".into(),
            before: Some(v(r#"{"N":1}"#)),
            after: Some(v(r#"{"N":"1"}"#)),
        },
    ];
    let mut recreate = change(
        "VpcStack.PublicSubnetOne",
        "AWS::EC2::Subnet",
        Action::Create,
        None,
        Some(SUBNET),
    );
    recreate.reason = Some("it was deleted outside infra".into());
    let revert = change(
        "VpcStack.PublicSubnetTwo",
        "AWS::EC2::Subnet",
        Action::Update,
        Some(changed),
        Some(SUBNET),
    );
    insta::assert_snapshot!(render(&plan(vec![recreate, revert], drift)));
}

#[test]
fn noecho_values_are_redacted() {
    let secret = "hunter2-s3cr3t";
    let before = r##"{"Environment":[{"Name":"DB_PASSWORD","Value":"hunter2-s3cr3t"},{"Name":"MODE","Value":"a"}],
        "DbUrl":"postgres://app:hunter2-s3cr3t@db:5432/app","Doc":"{\"password\":\"hunter2-s3cr3t\",\"v\":1}",
        "Script":"#!/bin/sh\nexport PW=hunter2-s3cr3t\necho one"}"##;
    let after = r##"{"Environment":[{"Name":"DB_PASSWORD","Value":"hunter2-s3cr3t"},{"Name":"MODE","Value":"b"}],
        "DbUrl":"postgres://app:hunter2-s3cr3t@db:5433/app","Doc":"{\"password\":\"hunter2-s3cr3t\",\"v\":2}",
        "Script":"#!/bin/sh\nexport PW=hunter2-s3cr3t\necho two","Plain":"x"}"##;
    let mut fnc = change(
        "App.Fn",
        "AWS::Lambda::Function",
        Action::Update,
        Some(before),
        Some(after),
    );
    fnc.reason = Some(format!("parameter {secret} changed"));
    let created = change(
        "App.Secret",
        "AWS::SSM::Parameter",
        Action::Create,
        None,
        Some(r#"{"Value":"hunter2-s3cr3t"}"#),
    );
    let mut p = plan(vec![fnc, created], vec![]);
    p.notes.push(format!("note mentioning {secret}"));
    let opts = RenderOptions {
        secrets: vec![secret.into(), String::new()],
        ..RenderOptions::default()
    };
    let out = render_with(&p, &opts);
    assert!(!out.contains(secret), "secret printed:\n{out}");
    assert!(!out.contains("s3cr3t"), "part of a secret printed:\n{out}");
    insta::assert_snapshot!(out);
}

fn mixed_plan() -> Plan {
    let after = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.1.0/24","MapPublicIpOnLaunch":true,"VpcId":"vpc-1"}"#;
    let mut replace = change(
        "VpcStack.PrivateSubnetOne",
        "AWS::EC2::Subnet",
        Action::DeleteThenCreate,
        Some(SUBNET),
        Some(after),
    );
    replace.replace_paths = vec!["CidrBlock".into()];
    let create = change(
        "VpcStack.VPC",
        "AWS::EC2::VPC",
        Action::Create,
        None,
        Some(r#"{"CidrBlock":"10.0.0.0/16"}"#),
    );
    let delete = change(
        "VpcStack.Old",
        "AWS::EC2::Subnet",
        Action::Delete,
        Some(SUBNET),
        None,
    );
    let drift = vec![Drift {
        address: "VpcStack.X".into(),
        type_name: "AWS::EC2::Subnet".into(),
        before: Some(v(SUBNET)),
        after: None,
    }];
    plan(vec![delete, replace, create], drift)
}

#[test]
fn colour_only_when_asked() {
    let p = mixed_plan();
    let plain = render(&p);
    let coloured = render_with(
        &p,
        &RenderOptions {
            color: true,
            ..RenderOptions::default()
        },
    );
    assert!(coloured.contains("\x1b[32m+\x1b[0m") && coloured.contains("\x1b[31m-\x1b[0m"));
    assert!(coloured.contains("\x1b[33m~\x1b[0m") && coloured.contains("\x1b[1m"));
    let stripped = coloured
        .split('\x1b')
        .enumerate()
        .map(|(i, s)| {
            if i == 0 {
                s
            } else {
                &s[s.find('m').map_or(0, |m| m + 1)..]
            }
        })
        .collect::<String>();
    assert_eq!(stripped, plain, "colour changes nothing but escapes");
    insta::assert_snapshot!(coloured.replace('\x1b', "␛"));
}

#[test]
fn no_changes() {
    let noop = change(
        "VpcStack.VPC",
        "AWS::EC2::VPC",
        Action::NoOp,
        Some(SUBNET),
        Some(SUBNET),
    );
    let p = plan(vec![noop.clone()], vec![]);
    let out = render(&p);
    assert!(
        out.starts_with("No changes. Your infrastructure matches the configuration."),
        "{out}"
    );
    insta::assert_snapshot!(out);

    let mut destroy = plan(vec![], vec![]);
    destroy.destroy = true;
    assert!(render(&destroy).starts_with("No changes. No objects need to be destroyed."));

    let drift = vec![Drift {
        address: "VpcStack.VPC".into(),
        type_name: "AWS::EC2::VPC".into(),
        before: Some(v(SUBNET)),
        after: Some(v(r#"{"CidrBlock":"x"}"#)),
    }];
    let out = render(&plan(vec![noop], drift));
    assert!(
        out.starts_with("Note: Objects have changed outside of infra"),
        "{out}"
    );
    assert!(
        out.contains("No changes. Your infrastructure matches the configuration."),
        "{out}"
    );
}

#[test]
fn summary_line() {
    assert_eq!(
        render_summary(&mixed_plan()),
        "Plan: 2 to add, 0 to change, 2 to destroy."
    );
    assert!(render(&mixed_plan()).ends_with("Plan: 2 to add, 0 to change, 2 to destroy.\n"));
}
