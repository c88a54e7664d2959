//! Snapshot and property tests of the pull-request comment. Every comment rendered here is
//! checked for the size limit, escape codes and balanced `<details>` blocks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infra_state::IntentAction;
use infra_template::{Deployment, LoadOptions, Lookups, Pseudo, Value, load};

use super::*;
use crate::plan::{
    Binding, Estimate, Outcome, PLAN_FORMAT_VERSION, PlanSettings, Recovered, plan_until_stable,
};

/// Snapshots sit with the other renderers' in `render/snapshots`.
fn snapshot(name: &str, comment: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| insta::assert_snapshot!(name, comment));
}

/// Renders with `opts` and checks what every comment must satisfy.
fn render_with(plan: &Plan, opts: &RenderOptions) -> String {
    let out = render_markdown(plan, opts);
    check(&out, COMMENT_LIMIT);
    out
}

fn render(plan: &Plan) -> String {
    render_with(plan, &RenderOptions::default())
}

fn check(out: &str, limit: usize) {
    let n_chars = out.chars().count();
    assert!(n_chars <= limit, "{n_chars} characters, over {limit}");
    assert!(out.ends_with('\n') && !out.ends_with("\n\n"));
    assert!(!out.contains('\x1b'), "escape code in a comment");
    assert_eq!(
        out.matches("<details>").count(),
        out.matches("</details>").count(),
        "unbalanced <details>"
    );
}

const CUT: &str = "the comment is cut to GitHub's size limit";

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

fn binding() -> Binding {
    Binding {
        stack: "demo".into(),
        lineage: None,
        serial: 0,
        template_sha256: "t".into(),
        parameters_sha256: "p".into(),
        template: "parent.yml".into(),
    }
}

fn plan(changes: Vec<ResourceChange>, drift: Vec<Drift>) -> Plan {
    Plan {
        format_version: PLAN_FORMAT_VERSION,
        binding: binding(),
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

struct Aws;
impl Lookups for Aws {
    fn availability_zones(&self, _: &str) -> Option<Vec<String>> {
        Some(vec!["us-east-1a".into(), "us-east-1b".into()])
    }
    fn ssm_parameter(&self, _: &str) -> Option<Value> {
        Some(Value::string("ami-0123456789abcdef0"))
    }
}

fn fixture() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    assert!(
        p.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        p.display()
    );
    p
}

/// The plan that creates every resource of the reference workload.
fn fixture_plan() -> Plan {
    let path = fixture();
    let mut load = |lookups: &dyn Lookups| -> Result<Deployment, infra_template::LoadError> {
        let opts = LoadOptions {
            texts: Default::default(),
            artifacts: Default::default(),
            parameters: BTreeMap::new(),
            pseudo: Pseudo {
                region: Some("us-east-1".into()),
                account_id: Some("123456789012".into()),
                stack_name: "demo".into(),
            },
        };
        load(&path, &opts, lookups)
    };
    let settings = PlanSettings {
        state: None,
        observed: None,
        base: &Aws,
        targets: &[],
        cloud_control: &[],
    };
    match plan_until_stable(&mut load, settings, binding()) {
        Ok((_, plan)) => plan,
        Err(e) => {
            let messages: Vec<&str> = e.diagnostics.0.iter().map(|d| d.message.as_str()).collect();
            panic!("{messages:?}")
        }
    }
}

#[test]
fn the_fixture_create_all_plan_as_a_comment() {
    let mut p = fixture_plan();
    let critical_path = [
        "VpcStack.VPC",
        "VpcStack.PublicSubnetOne",
        "VpcStack.NatGatewayOne",
        "VpcStack.PrivateRouteOne",
        "ClusterStack.ECSAutoScalingGroup",
        "ClusterStack.CapacityProvider",
        "ServiceStack.Service",
    ];
    p.estimate = Some(Estimate {
        expected_apply_seconds: 237.0,
        critical_path: critical_path.map(String::from).to_vec(),
        stack_order_seconds: 496.0,
    });
    let out = render(&p);
    assert!(out.starts_with("### infra plan: `demo`\n"), "{out}");
    assert!(out.contains("Expected apply time: about 4 min"), "{out}");
    assert!(!out.contains(CUT));
    let n_changes = p
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .count();
    assert_eq!(out.matches("<details>").count(), n_changes);
    snapshot("the_fixture_create_all_plan_as_a_comment", &out);
}

fn update_plan() -> Plan {
    let policy = |actions: &str| {
        format!(
            r#"{{"RoleName":"ecs-role",
                "Tags":[{{"Key":"Team","Value":"a"}},{{"Key":"Env","Value":"dev"}}],
                "Policies":[{{"PolicyName":"ecs","PolicyDocument":{{"Version":"2012-10-17",
                "Statement":[{{"Action":[{actions}],"Effect":"Allow","Resource":"*"}}]}}}}]}}"#
        )
    };
    let before = policy(r#""ecs:CreateCluster""#);
    let after = policy(r#""ecs:CreateCluster","ecs:DeregisterContainerInstance""#)
        .replace(r#""Value":"dev""#, r#""Value":"prod""#);
    let role = change(
        "ClusterStack.EC2Role AWS::IAM::Role",
        Action::Update,
        Some(&before),
        Some(&after),
    );

    let subnet = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18",
        "MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;
    let moved = subnet.replace("10.0.0.0/18", "10.0.128.0/18");
    let mut replaced = change(
        "VpcStack.PrivateSubnetOne AWS::EC2::Subnet",
        Action::DeleteThenCreate,
        Some(subnet),
        Some(&moved),
    );
    replaced.replace_paths = vec!["CidrBlock".into()];

    let mut deleted = change(
        "VpcStack.OldSubnet AWS::EC2::Subnet",
        Action::Delete,
        Some(subnet),
        None,
    );
    deleted.reason = Some("it is no longer in the template".into());

    let drift = Drift {
        address: "VpcStack.PublicSubnetOne".into(),
        type_name: "AWS::EC2::Subnet".into(),
        before: Some(v(subnet)),
        after: Some(v(&subnet.replace("false", "true"))),
    };
    let mut p = plan(vec![role, deleted, replaced], vec![drift]);
    p.recovery.push(Recovered {
        address: "VpcStack.Gone".into(),
        type_name: "AWS::EC2::Subnet".into(),
        intent: IntentAction::Delete,
        intent_physical_id: Some("subnet-0abc".into()),
        outcome: Outcome::Deleted {
            physical_id: "subnet-0abc".into(),
        },
    });
    p
}

#[test]
fn an_update_plan_as_a_comment() {
    let out = render(&update_plan());
    assert!(out.contains("!       CidrBlock"), "{out}");
    assert!(out.contains("# forces replacement"), "{out}");
    assert!(
        out.contains("<code>-/+</code> <code>VpcStack.PrivateSubnetOne</code> (AWS::EC2::Subnet) must be replaced"),
        "{out}"
    );
    assert!(
        out.contains("| replace | 1 | `VpcStack.PrivateSubnetOne` |"),
        "{out}"
    );
    assert!(out.contains("1 object changed outside of infra"), "{out}");
    snapshot("an_update_plan_as_a_comment", &out);
}

/// `n` created resources, each with a diff of about `lines` lines.
fn generated_plan(n: usize, lines: usize) -> Plan {
    let changes = (0..n)
        .map(|idx| {
            let properties: serde_json::Map<String, serde_json::Value> = (0..lines)
                .map(|line| {
                    let value = format!("value {line} of resource {idx}, long enough to count");
                    (format!("Property{line:03}"), value.into())
                })
                .collect();
            let after = serde_json::Value::Object(properties).to_string();
            let spec = format!("Stack.Resource{idx:04} AWS::SSM::Parameter");
            change(&spec, Action::Create, None, Some(&after))
        })
        .collect();
    plan(changes, Vec::new())
}

#[test]
fn a_thousand_resources_are_cut_to_the_limit() {
    let p = generated_plan(1000, 30);
    let out = render(&p);
    assert!(out.contains(CUT), "{}", &out[..2000]);
    let shown = out.matches("<details>").count();
    assert!(shown > 0 && shown < 1000, "{shown} blocks shown");
    let note = format!(
        "the diffs of {shown} resources are left out (largest first); the last {} resources are not listed.",
        1000 - shown
    );
    assert!(out.contains(&note), "{}", &out[..400]);
    assert!(
        !out.contains("```diff"),
        "every diff is left out before a block is dropped"
    );
    let note_at = out.find(CUT).unwrap_or(usize::MAX);
    let table_at = out.find("| Action |").unwrap_or(0);
    assert!(note_at < table_at, "the cut is stated above the table");
    assert!(
        out.contains("and 980 more"),
        "the table still counts everything"
    );
    assert!(out.contains("| create | 1000 |"));
    assert!(out.ends_with(&format!(
        "_{} more resources are not listed here._\n",
        1000 - shown
    )));
}

#[test]
fn the_largest_diffs_are_cut_first() {
    let mut p = generated_plan(12, 20);
    // Two resources far larger than the others; together they exceed the limit.
    for idx in [3, 8] {
        let huge: serde_json::Map<String, serde_json::Value> = (0..1000)
            .map(|line| {
                (
                    format!("P{line:04}"),
                    format!("{idx} {}", "x".repeat(40)).into(),
                )
            })
            .collect();
        p.changes[idx].after = Some(v(&serde_json::Value::Object(huge).to_string()));
    }
    let out = render(&p);
    assert!(out.contains(&format!(
        "> **Note:** {CUT}: the diffs of 2 resources are left out (largest first)."
    )));
    let cut: Vec<&str> = out
        .split("<details>")
        .filter(|block| block.contains("left out: run `infra plan` to see it"))
        .collect();
    assert_eq!(cut.len(), 2, "{out}");
    assert!(cut[0].contains("Stack.Resource0003") && cut[1].contains("Stack.Resource0008"));
    assert!(out.contains("Diff of 1002 lines left out"), "{out}");
    assert!(
        out.contains("value 19 of resource 11"),
        "the small diffs stay"
    );
}

#[test]
fn a_comment_just_under_the_limit_is_not_cut() {
    let with_padding = |padding: usize| {
        let mut p = generated_plan(10, 30);
        let after = format!(r#"{{"Padding":"{}"}}"#, "x".repeat(padding));
        p.changes.push(change(
            "Stack.Padding AWS::SSM::Parameter",
            Action::Create,
            None,
            Some(&after),
        ));
        p.summary = Plan::summarize(&p.changes);
        render(&p)
    };
    let base = with_padding(0).chars().count();
    let fitting = with_padding(COMMENT_LIMIT - base);
    assert_eq!(fitting.chars().count(), COMMENT_LIMIT);
    assert!(!fitting.contains(CUT) && !fitting.contains("left out"));
    let over = with_padding(COMMENT_LIMIT - base + 1);
    assert!(over.contains(CUT) && over.contains("the diff of 1 resource is left out"));
    assert!(
        over.contains("value 29 of resource 9"),
        "only the padding is cut"
    );
}

#[test]
fn text_alone_over_the_limit_is_cut_short() {
    let mut p = generated_plan(3, 5);
    p.notes.push("a very long note ".repeat(5000));
    let out = render(&p);
    assert!(out.contains("the text is cut short"), "{}", &out[..500]);
    assert!(out.contains("the last 3 resources are not listed"));
    assert!(out.ends_with("…\n"));
}

#[test]
fn noecho_values_are_not_in_the_comment() {
    let secret = "hunter2-s3cr3t";
    let props = |mode: &str| {
        format!(
            r##"{{"Environment":[{{"Name":"DB_PASSWORD","Value":"{secret}"}},{{"Name":"MODE","Value":"{mode}"}}],
                "DbUrl":"postgres://app:{secret}@db:5432/app",
                "Script":"#!/bin/sh\nexport PW={secret}\necho {mode}"}}"##
        )
    };
    let (before, after) = (props("a"), props("b"));
    let mut function = change(
        "App.Fn AWS::Lambda::Function",
        Action::Update,
        Some(&before),
        Some(&after),
    );
    function.reason = Some(format!("parameter {secret} changed"));
    let created = format!(r#"{{"Value":"{secret}","Name":"plain"}}"#);
    let created = change(
        "App.Secret AWS::SSM::Parameter",
        Action::Create,
        None,
        Some(&created),
    );
    let drift = Drift {
        address: "App.Other".into(),
        type_name: "AWS::SSM::Parameter".into(),
        before: Some(v(r#"{"Value":"x"}"#)),
        after: Some(v(&format!(r#"{{"Value":"{secret}"}}"#))),
    };
    let mut p = plan(vec![function, created], vec![drift]);
    p.notes.push(format!("note mentioning {secret}"));
    let opts = RenderOptions {
        secrets: vec![secret.into()],
        ..RenderOptions::default()
    };
    let out = render_with(&p, &opts);
    assert!(!out.contains("s3cr3t"), "secret printed:\n{out}");
    assert!(out.contains("(sensitive value)"), "{out}");
}

#[test]
fn backticks_in_a_value_cannot_close_the_fence() {
    let after = r#"{"Description":"```\n`````\nafter the fence","Name":"n"}"#;
    let p = plan(
        vec![change(
            "App.Doc AWS::SSM::Document",
            Action::Create,
            None,
            Some(after),
        )],
        Vec::new(),
    );
    let out = render(&p);
    // Read the block as GitHub does: the fence closes at the first line of at least as many
    // backticks and nothing else.
    let lines: Vec<&str> = out.lines().collect();
    let open = lines
        .iter()
        .position(|l| l.starts_with("```") && l.ends_with("diff"))
        .unwrap_or_else(|| panic!("no diff fence:\n{out}"));
    let fence = lines[open].trim_end_matches("diff");
    assert_eq!(fence.len(), 6, "{out}");
    let close = lines[open + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with(fence) && l.trim().trim_matches('`').is_empty())
        .map(|i| open + 1 + i)
        .unwrap_or_else(|| panic!("fence never closed:\n{out}"));
    let inside = lines[open + 1..close].join("\n");
    assert!(inside.contains("after the fence"), "{out}");
    assert_eq!(lines.get(close + 2), Some(&"</details>"), "{out}");
}

#[test]
fn a_plan_without_changes_says_so() {
    let subnet = r#"{"CidrBlock":"10.0.0.0/18"}"#;
    let noop = change(
        "VpcStack.Subnet AWS::EC2::Subnet",
        Action::NoOp,
        Some(subnet),
        Some(subnet),
    );
    let out = render(&plan(vec![noop], Vec::new()));
    assert!(
        out.contains("\n\nNo changes. Your infrastructure matches the configuration.\n"),
        "{out}"
    );
    assert!(
        !out.contains("<details>") && !out.contains("| Action |"),
        "{out}"
    );
    assert!(!out.contains("Plan:"), "{out}");
    snapshot("a_plan_without_changes_says_so", &out);
}

#[test]
fn special_characters_are_escaped_outside_code() {
    let p = plan(
        vec![change(
            "A|B<i>&x Custom::<Thing>|T",
            Action::Create,
            None,
            Some(r#"{"K":"v"}"#),
        )],
        Vec::new(),
    );
    let out = render(&p);
    assert!(out.contains("| create | 1 | `A\\|B<i>&x` |"), "{out}");
    assert!(
        out.contains("<code>A|B&lt;i&gt;&amp;x</code> (Custom::&lt;Thing&gt;|T) will be created"),
        "{out}"
    );
}

#[test]
fn destroy_plans_say_so_in_the_heading() {
    let subnet = r#"{"CidrBlock":"10.0.0.0/18"}"#;
    let mut p = plan(
        vec![change(
            "VpcStack.Subnet AWS::EC2::Subnet",
            Action::Delete,
            Some(subnet),
            None,
        )],
        Vec::new(),
    );
    p.destroy = true;
    let out = render(&p);
    assert!(out.starts_with("### infra destroy plan: `demo`\n"), "{out}");
    assert!(out.contains("| delete | 1 | `VpcStack.Subnet` |"), "{out}");
    assert!(out.contains("-   resource \"AWS::EC2::Subnet\""), "{out}");
}

#[test]
fn retained_objects_and_policy_changes_in_a_comment() {
    use infra_state::{DeletionPolicy, RetainedBy, UpdateReplacePolicy};
    let subnet = r#"{"AvailabilityZone":"us-east-1a","CidrBlock":"10.0.0.0/18",
        "MapPublicIpOnLaunch":false,"VpcId":"vpc-1"}"#;
    let moved = subnet.replace("10.0.0.0/18", "10.0.128.0/18");
    let mut replaced = change(
        "VpcStack.PrivateSubnetOne AWS::EC2::Subnet",
        Action::CreateThenDelete,
        Some(subnet),
        Some(&moved),
    );
    replaced.replace_paths = vec!["CidrBlock".into()];
    replaced.update_replace_policy = UpdateReplacePolicy::Retain;
    replaced.retained_by = Some(RetainedBy::UpdateReplacePolicy);
    let mut kept = change(
        "VpcStack.OldSubnet AWS::EC2::Subnet",
        Action::Forget,
        Some(subnet),
        None,
    );
    kept.deletion_policy = DeletionPolicy::Retain;
    kept.retained_by = Some(RetainedBy::DeletionPolicy);
    let mut vpc = change(
        "VpcStack.VPC AWS::EC2::VPC",
        Action::NoOp,
        Some(r#"{"CidrBlock":"10.0.0.0/16"}"#),
        Some(r#"{"CidrBlock":"10.0.0.0/16"}"#),
    );
    vpc.deletion_policy = DeletionPolicy::Retain;
    vpc.policies_before = Some(crate::plan::Policies::default());
    let out = render(&plan(vec![kept, replaced, vpc], vec![]));
    assert!(
        out.contains("**Plan:** 1 to add, 0 to change, 0 to destroy, 2 to retain."),
        "{out}"
    );
    assert!(
        out.contains("| forget (kept in AWS) | 1 | `VpcStack.OldSubnet` |"),
        "{out}"
    );
    assert!(
        out.contains("<code>+/.</code> <code>VpcStack.PrivateSubnetOne</code> (AWS::EC2::Subnet) must be replaced (created, then the old object forgotten and kept in AWS)"),
        "{out}"
    );
    assert!(
        out.contains("- `VpcStack.VPC`: DeletionPolicy Delete → Retain"),
        "{out}"
    );
    snapshot("retained_objects_and_policy_changes_in_a_comment", &out);
}
