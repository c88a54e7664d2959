//! Snapshot tests of the human plan. Every plan rendered without colour here is also checked
//! for escape codes.

use std::collections::BTreeMap;

use infra_template::Value;

use super::*;
use crate::plan::{Binding, PLAN_FORMAT_VERSION};

/// A value from JSON; `{"$unknown": ""}` is a value known after apply.
fn v(json: &str) -> Value {
    Value::from_json_marked(&serde_json::from_str(json).expect("test JSON"))
}

/// A change of the resource `spec` (`"address type"`), properties as JSON.
fn change(spec: &str, action: Action, before: Option<&str>, after: Option<&str>) -> ResourceChange {
    let (address, type_name) = spec.split_once(' ').expect("address and type");
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
        inferred: Vec::new(),
        native_teardown: false,
        path: Default::default(),
        deletion_policy: Default::default(),
        update_replace_policy: Default::default(),
        retained_by: None,
        policies_before: None,
    }
}

/// Drift of the resource `spec` (`"address type"`).
fn drift(spec: &str, before: Option<&str>, after: Option<&str>) -> Drift {
    let c = change(spec, Action::Update, before, after);
    let (address, type_name, before, after) = (c.address, c.type_name, c.before, c.after);
    Drift {
        address,
        type_name,
        before,
        after,
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
        recovery: Vec::new(),
        estimate: None,
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

/// `text` without its `ESC [ ... m` sequences.
fn strip_ansi(text: &str) -> String {
    let mut parts = text.split('\x1b');
    let first = parts.next().unwrap_or_default().to_string();
    parts.fold(first, |acc, p| acc + &p[p.find('m').map_or(0, |m| m + 1)..])
}

const SUBNET_ONE: &str = "VpcStack.PublicSubnetOne AWS::EC2::Subnet";
const SUBNET_TWO: &str = "VpcStack.PublicSubnetTwo AWS::EC2::Subnet";
const PRIVATE_SUBNET: &str = "VpcStack.PrivateSubnetOne AWS::EC2::Subnet";
const OLD_SUBNET: &str = "VpcStack.Old AWS::EC2::Subnet";
const VPC: &str = "VpcStack.VPC AWS::EC2::VPC";
const LAUNCH_TEMPLATE: &str = "ClusterStack.LaunchTemplate AWS::EC2::LaunchTemplate";
const ASG: &str = "ClusterStack.ECSAutoScalingGroup AWS::AutoScaling::AutoScalingGroup";

const SUBNET: &str = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18",
    "MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;
const SUBNET_PUBLIC: &str = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18",
    "MapPublicIpOnLaunch":true,"VpcId":"vpc-1"}"#;

#[test]
fn create_with_nested_blocks_and_unknowns() {
    let vpc = r#"{"CidrBlock":"10.0.0.0/16","EnableDnsHostnames":true,"EnableDnsSupport":true,
        "Tags":[{"Key":"Name","Value":"demo"},{"Key":"infra:stack","Value":"demo"}]}"#;
    let lt = r##"{"LaunchTemplateData":{"IamInstanceProfile":{"Arn":{"$unknown":""}},
        "ImageId":"ami-0123","InstanceType":"c5.large","SecurityGroupIds":[{"$unknown":""}],
        "UserData":"#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"},
        "LaunchTemplateName":{"$unknown":""}}"##;
    let vpc = change(VPC, Action::Create, None, Some(vpc));
    let lt = change(LAUNCH_TEMPLATE, Action::Create, None, Some(lt));
    let mut p = plan(vec![lt, vpc], vec![]);
    let note = "ClusterStack.AsgDestroyer (Custom::AsgDestroyer) is replaced by a native teardown";
    p.notes.push(note.into());
    insta::assert_snapshot!(render(&p));
}

#[test]
fn in_place_update() {
    let before = r#"{"GroupDescription":"svc","GroupName":"svc-sg",
        "Tags":[{"Key":"Name","Value":"svc"},{"Key":"Team","Value":"a"}],
        "SecurityGroupEgress":[{"CidrIp":"0.0.0.0/0","IpProtocol":"-1"}],
        "Ports":["80","443","8080","8443","9000"]}"#;
    let after = r#"{"GroupDescription":"svc","GroupName":{"$unknown":""},
        "Tags":[{"Key":"Env","Value":"prod"},{"Key":"Name","Value":"svc"},{"Key":"Team","Value":"b"}],
        "SecurityGroupEgress":[{"CidrIp":"10.0.0.0/8","IpProtocol":"-1"}],
        "Ports":["80","443","8081","8443","9000"]}"#;
    let sg = "ServiceStack.ServiceSG AWS::EC2::SecurityGroup";
    let sg = change(sg, Action::Update, Some(before), Some(after));
    let subnet = change(
        SUBNET_ONE,
        Action::Update,
        Some(SUBNET),
        Some(SUBNET_PUBLIC),
    );
    insta::assert_snapshot!(render(&plan(vec![sg, subnet], vec![])));
}

#[test]
fn replacement_in_both_orders() {
    let after = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.129.0/24",
        "MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;
    let mut subnet = change(
        PRIVATE_SUBNET,
        Action::DeleteThenCreate,
        Some(SUBNET),
        Some(after),
    );
    subnet.replace_paths = vec!["CidrBlock".into()];

    let before = r#"{"LaunchTemplateData":{"ImageId":"ami-old","InstanceType":"c5.large"},
        "LaunchTemplateName":"lt-1"}"#;
    let after = r#"{"LaunchTemplateData":{"ImageId":"ami-new","InstanceType":"c5.large"},
        "LaunchTemplateName":{"$unknown":""}}"#;
    let mut lt = change(
        LAUNCH_TEMPLATE,
        Action::CreateThenDelete,
        Some(before),
        Some(after),
    );
    lt.replace_paths = vec!["LaunchTemplateData/ImageId".into()];

    let before = r#"{"MaxSize":"2","MinSize":"0","VPCZoneIdentifier":["subnet-1","subnet-2"]}"#;
    let after = r#"{"MaxSize":"2","MinSize":"0","VPCZoneIdentifier":["subnet-1","subnet-3"]}"#;
    let mut asg = change(ASG, Action::CreateThenDelete, Some(before), Some(after));
    asg.replace_paths = vec!["VPCZoneIdentifier".into()];
    asg.native_teardown = true;
    insta::assert_snapshot!(render(&plan(vec![asg, lt, subnet], vec![])));
}

#[test]
fn destroy() {
    let old =
        r#"{"CidrBlock":"10.0.3.0/24","Tags":[{"Key":"Name","Value":"old"}],"VpcId":"vpc-1"}"#;
    let mut old = change(OLD_SUBNET, Action::Delete, Some(old), None);
    old.reason = Some("it is no longer in the template".into());
    let asg = r#"{"LaunchTemplate":{"LaunchTemplateId":"lt-1","Version":"3"},
        "MaxSize":"2","MinSize":"0"}"#;
    let mut asg = change(ASG, Action::Delete, Some(asg), None);
    asg.native_teardown = true;
    let mut p = plan(vec![asg, old], vec![]);
    p.destroy = true;
    insta::assert_snapshot!(render(&p));
}

/// A plan that keeps objects in AWS: a resource that leaves the stack under `DeletionPolicy:
/// Retain`, a replacement whose old object `UpdateReplacePolicy: Retain` keeps (create first
/// and destroy first), a deletion beside them, and a policy changed alone.
fn retaining_plan() -> Plan {
    use infra_state::{DeletionPolicy, RetainedBy, UpdateReplacePolicy};
    let logs = r#"{"LogGroupName":"demo-AppLogs-7Q2M9X4K1B3Z","RetentionInDays":7}"#;
    let mut kept = change(
        "AppLogs AWS::Logs::LogGroup",
        Action::Forget,
        Some(logs),
        None,
    );
    kept.reason = Some("it is no longer in the template".into());
    kept.deletion_policy = DeletionPolicy::Retain;
    kept.retained_by = Some(RetainedBy::DeletionPolicy);
    let old =
        r#"{"CidrBlock":"10.0.3.0/24","Tags":[{"Key":"Name","Value":"old"}],"VpcId":"vpc-1"}"#;
    let deleted = change(OLD_SUBNET, Action::Delete, Some(old), None);
    let after = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.129.0/24",
        "MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;
    let mut subnet = change(
        PRIVATE_SUBNET,
        Action::DeleteThenCreate,
        Some(SUBNET),
        Some(after),
    );
    subnet.replace_paths = vec!["CidrBlock".into()];
    subnet.update_replace_policy = UpdateReplacePolicy::Retain;
    subnet.retained_by = Some(RetainedBy::UpdateReplacePolicy);
    let before = r#"{"LaunchTemplateData":{"ImageId":"ami-old","InstanceType":"c5.large"},
        "LaunchTemplateName":"lt-1"}"#;
    let after = r#"{"LaunchTemplateData":{"ImageId":"ami-new","InstanceType":"c5.large"},
        "LaunchTemplateName":{"$unknown":""}}"#;
    let mut lt = change(
        LAUNCH_TEMPLATE,
        Action::CreateThenDelete,
        Some(before),
        Some(after),
    );
    lt.replace_paths = vec!["LaunchTemplateData/ImageId".into()];
    lt.update_replace_policy = UpdateReplacePolicy::Retain;
    lt.retained_by = Some(RetainedBy::UpdateReplacePolicy);
    let mut vpc = change(
        VPC,
        Action::NoOp,
        Some(r#"{"CidrBlock":"10.0.0.0/16"}"#),
        Some(r#"{"CidrBlock":"10.0.0.0/16"}"#),
    );
    vpc.deletion_policy = DeletionPolicy::RetainExceptOnCreate;
    vpc.policies_before = Some(crate::plan::Policies::default());
    plan(vec![kept, lt, subnet, deleted, vpc], vec![])
}

#[test]
fn retained_objects_and_policy_changes() {
    let p = retaining_plan();
    assert_eq!(
        (p.summary.add, p.summary.destroy, p.summary.retain),
        (2, 1, 3)
    );
    insta::assert_snapshot!(render(&p));
}

#[test]
fn a_policy_changed_alone_is_not_no_changes() {
    let mut p = retaining_plan();
    p.changes.retain(|c| c.action == Action::NoOp);
    p.summary = Plan::summarize(&p.changes);
    assert!(!p.is_empty());
    insta::assert_snapshot!(render(&p));
}

#[test]
fn iam_policy_document_is_a_line_diff_ignoring_key_order() {
    // As AWS returns them: strings, keys in another order than the template's mappings.
    let before = r#"{"AssumeRolePolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Principal\":{\"Service\":[\"ec2.amazonaws.com\"]},\"Effect\":\"Allow\",\"Action\":[\"sts:AssumeRole\"]}]}",
        "Policies":[{"PolicyName":"ecs","PolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Resource\":\"*\",\"Effect\":\"Allow\",\"Action\":[\"ecs:CreateCluster\"]}]}"}],
        "RoleName":"ecs-role"}"#;
    let after = r#"{"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{
            "Action":["sts:AssumeRole","sts:TagSession"],"Effect":"Allow",
            "Principal":{"Service":["ec2.amazonaws.com"]}}]},
        "Policies":[{"PolicyName":"ecs","PolicyDocument":{"Version":"2012-10-17","Statement":[{
            "Action":["ecs:CreateCluster"],"Effect":"Allow","Resource":"*"}]}}],
        "RoleName":"ecs-role"}"#;
    let role = change(
        "ClusterStack.EC2Role AWS::IAM::Role",
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
    let only_action = !marked.is_empty() && marked.iter().all(|l| l.contains("sts:"));
    assert!(only_action, "only the Action changed:\n{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn container_definition_change() {
    let task = |image: &str| {
        format!(
            r#"{{"ContainerDefinitions":[
                {{"Name":"sidecar","Image":"envoy:1.27","Essential":false,"Memory":"128"}},
                {{"Name":"web","Image":"{image}","Essential":true,"Memory":"512",
                  "PortMappings":[{{"ContainerPort":"80"}}]}}],
              "Family":"svc","NetworkMode":"awsvpc"}}"#
        )
    };
    let (before, after) = (task("nginx:1.25"), task("nginx:1.27"));
    let spec = "ServiceStack.TaskDefinition AWS::ECS::TaskDefinition";
    let mut td = change(spec, Action::CreateThenDelete, Some(&before), Some(&after));
    td.replace_paths = vec!["ContainerDefinitions".into()];
    insta::assert_snapshot!(render(&plan(vec![td], vec![])));
}

#[test]
fn user_data_is_a_line_diff() {
    let script = |cluster: &str| {
        let mut lines = vec!["#!/bin/bash".to_string(), "set -euo pipefail".into()];
        lines.extend((1..=6).map(|i| format!("echo step {i}")));
        lines.push(format!("echo ECS_CLUSTER={cluster} >> /etc/ecs/ecs.config"));
        lines.push("echo ECS_ENABLE_TASK_IAM_ROLE=true >> /etc/ecs/ecs.config".into());
        lines.push("systemctl restart ecs".into());
        let data = serde_json::json!({ "ImageId": "ami-1", "UserData": lines.join("\n") });
        serde_json::json!({ "LaunchTemplateData": data }).to_string()
    };
    let (before, after) = (script("old"), script("new"));
    let lt = change(LAUNCH_TEMPLATE, Action::Update, Some(&before), Some(&after));
    let p = plan(vec![lt], vec![]);
    insta::assert_snapshot!(render(&p));
    let all = RenderOptions {
        show_unchanged: true,
        ..RenderOptions::default()
    };
    let full = render_with(&p, &all);
    assert!(
        full.contains("echo step 1") && !full.contains("hidden"),
        "{full}"
    );
}

#[test]
fn drift_deleted_and_changed() {
    let drift = vec![
        drift(SUBNET_ONE, Some(SUBNET), None),
        drift(SUBNET_TWO, Some(SUBNET), Some(SUBNET_PUBLIC)),
        // Equal once compared as AWS means it: not shown.
        drift(VPC, Some(r#"{"N":1}"#), Some(r#"{"N":"1"}"#)),
    ];
    let mut recreate = change(SUBNET_ONE, Action::Create, None, Some(SUBNET));
    recreate.reason = Some("it was deleted outside infra".into());
    let revert = change(
        SUBNET_TWO,
        Action::Update,
        Some(SUBNET_PUBLIC),
        Some(SUBNET),
    );
    insta::assert_snapshot!(render(&plan(vec![recreate, revert], drift)));
}

#[test]
fn noecho_values_are_redacted() {
    let secret = "hunter2-s3cr3t";
    let props = |mode: &str, port: &str, v: &str, last: &str| {
        format!(
            r##"{{"Environment":[{{"Name":"DB_PASSWORD","Value":"{secret}"}},{{"Name":"MODE","Value":"{mode}"}}],
                "DbUrl":"postgres://app:{secret}@db:{port}/app",
                "Doc":"{{\"password\":\"{secret}\",\"v\":{v}}}",
                "Script":"#!/bin/sh\nexport PW={secret}\necho {last}"}}"##
        )
    };
    let (before, after) = (
        props("a", "5432", "1", "one"),
        props("b", "5433", "2", "two"),
    );
    let mut fnc = change(
        "App.Fn AWS::Lambda::Function",
        Action::Update,
        Some(&before),
        Some(&after),
    );
    fnc.reason = Some(format!("parameter {secret} changed"));
    let value = format!(r#"{{"Value":"{secret}","Name":"plain"}}"#);
    let created = change(
        "App.Secret AWS::SSM::Parameter",
        Action::Create,
        None,
        Some(&value),
    );
    let mut p = plan(vec![fnc, created], vec![]);
    p.notes.push(format!("note mentioning {secret}"));
    let opts = RenderOptions {
        secrets: vec![secret.into(), String::new()],
        ..Default::default()
    };
    let out = render_with(&p, &opts);
    assert!(!out.contains(secret), "secret printed:\n{out}");
    assert!(!out.contains("s3cr3t"), "part of a secret printed:\n{out}");
    insta::assert_snapshot!(out);
}

fn mixed_plan() -> Plan {
    let after = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.1.0/24",
        "MapPublicIpOnLaunch":true,"VpcId":"vpc-1"}"#;
    let mut replace = change(
        PRIVATE_SUBNET,
        Action::DeleteThenCreate,
        Some(SUBNET),
        Some(after),
    );
    replace.replace_paths = vec!["CidrBlock".into()];
    let create = change(
        VPC,
        Action::Create,
        None,
        Some(r#"{"CidrBlock":"10.0.0.0/16"}"#),
    );
    let delete = change(OLD_SUBNET, Action::Delete, Some(SUBNET), None);
    let drift = vec![drift("VpcStack.X AWS::EC2::Subnet", Some(SUBNET), None)];
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
            ..Default::default()
        },
    );
    assert!(coloured.contains("\x1b[32m+\x1b[0m") && coloured.contains("\x1b[31m-\x1b[0m"));
    assert!(coloured.contains("\x1b[33m~\x1b[0m") && coloured.contains("\x1b[1m"));
    assert_eq!(
        strip_ansi(&coloured),
        plain,
        "colour changes nothing but escapes"
    );
    // Escapes made visible so the snapshot can be read.
    insta::assert_snapshot!(coloured.replace('\x1b', "␛"));
}

#[test]
fn no_changes() {
    let noop = change(VPC, Action::NoOp, Some(SUBNET), Some(SUBNET));
    let out = render(&plan(vec![noop.clone()], vec![]));
    assert!(out.starts_with("No changes. Your infrastructure matches the configuration."));
    insta::assert_snapshot!(out);

    let mut destroy = plan(vec![], vec![]);
    destroy.destroy = true;
    assert!(render(&destroy).starts_with("No changes. No objects need to be destroyed."));

    let drift = vec![drift(VPC, Some(SUBNET), Some(r#"{"CidrBlock":"x"}"#))];
    let out = render(&plan(vec![noop], drift));
    assert!(
        out.starts_with("Note: Objects have changed outside of infra"),
        "{out}"
    );
    assert!(out.contains("No changes. Your infrastructure matches the configuration."));
}

#[test]
fn summary_line() {
    let line = "Plan: 2 to add, 0 to change, 2 to destroy.";
    assert_eq!(render_summary(&mixed_plan()), line);
    assert!(render(&mixed_plan()).ends_with(&format!("{line}\n")));
}

#[test]
fn the_expected_apply_time_follows_the_summary() {
    let mut p = mixed_plan();
    p.estimate = Some(crate::plan::Estimate {
        expected_apply_seconds: 237.0,
        critical_path: [
            "VpcStack.VPC",
            "VpcStack.PublicSubnetOne",
            "VpcStack.NatGatewayOne",
            "VpcStack.PrivateRouteOne",
            "ClusterStack.CapacityProviderAssociation",
            "ServiceStack.Service",
        ]
        .map(String::from)
        .to_vec(),
        stack_order_seconds: 496.0,
    });
    let text = render(&p);
    let tail: Vec<&str> = text.lines().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            "Expected apply time: about 4 min (critical path: VpcStack.VPC → VpcStack.PublicSubnetOne → ... → ClusterStack.CapacityProviderAssociation → ServiceStack.Service; CloudFormation's nested-stack order: about 8 min)",
            &render_summary(&p),
        ]
    );
    // A plan that changes nothing states no time, even with an estimate.
    let mut quiet = plan(Vec::new(), Vec::new());
    quiet.estimate = p.estimate.clone();
    assert!(!render(&quiet).contains("Expected apply time"));
}
