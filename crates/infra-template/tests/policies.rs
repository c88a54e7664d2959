//! `DeletionPolicy` and `UpdateReplacePolicy`: read into every resource (nested stacks' own
//! policies included), and refused, naming the resource and where, when CloudFormation would
//! refuse them or infra cannot honour them (`Snapshot`).

mod common;

use common::*;
use infra_template::{DeletionPolicy, Offline, UpdateReplacePolicy};

fn log_group(name: &str, attributes: &str) -> String {
    format!("  {name}:\n    Type: AWS::Logs::LogGroup\n{attributes}")
}

fn template(resources: &[String]) -> String {
    format!("Resources:\n{}", resources.concat())
}

#[test]
fn every_policy_infra_honours_is_read() {
    let text = template(&[
        log_group("Plain", ""),
        log_group("Deleted", "    DeletionPolicy: Delete\n"),
        log_group(
            "Kept",
            "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n",
        ),
        log_group(
            "KeptOnceMade",
            "    DeletionPolicy: RetainExceptOnCreate\n    UpdateReplacePolicy: Delete\n",
        ),
    ]);
    let d = ok(&text, &opts(Some("us-east-1")), &Offline);
    let policies = |address: &str| {
        let r = d.resource(address).expect("resource");
        (r.deletion_policy, r.update_replace_policy)
    };
    assert_eq!(
        policies("Plain"),
        (DeletionPolicy::Delete, UpdateReplacePolicy::Delete)
    );
    assert_eq!(
        policies("Deleted"),
        (DeletionPolicy::Delete, UpdateReplacePolicy::Delete)
    );
    assert_eq!(
        policies("Kept"),
        (DeletionPolicy::Retain, UpdateReplacePolicy::Retain)
    );
    assert_eq!(
        policies("KeptOnceMade"),
        (
            DeletionPolicy::RetainExceptOnCreate,
            UpdateReplacePolicy::Delete
        )
    );
}

#[test]
fn snapshot_is_refused_naming_the_resource_and_where() {
    let text = template(&[
        log_group("Logs", "    DeletionPolicy: Snapshot\n"),
        log_group("Other", "    UpdateReplacePolicy: Snapshot\n"),
    ]);
    let e = err(&text, &opts(Some("us-east-1")), &Offline);
    let rendered = render(&e);
    assert!(
        rendered.contains(
            "template.yaml:4:21: resource `Logs` (AWS::Logs::LogGroup): DeletionPolicy Snapshot is not supported yet"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains(
            "template.yaml:7:26: resource `Other` (AWS::Logs::LogGroup): UpdateReplacePolicy Snapshot is not supported yet"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("note: use DeletionPolicy: Retain to keep the resource in AWS"),
        "{rendered}"
    );
}

#[test]
fn unknown_values_are_refused_with_what_is_accepted() {
    let text = template(&[
        log_group("Typo", "    DeletionPolicy: Retian\n"),
        log_group("Lower", "    DeletionPolicy: retain\n"),
        log_group("Wrong", "    UpdateReplacePolicy: RetainExceptOnCreate\n"),
        log_group("NotText", "    DeletionPolicy: [Retain]\n"),
    ]);
    let e = err(&text, &opts(Some("us-east-1")), &Offline);
    let rendered = render(&e);
    assert!(
        rendered.contains(
            "template.yaml:4:21: resource `Typo` (AWS::Logs::LogGroup): unknown DeletionPolicy `Retian` (expected one of Delete, Retain, RetainExceptOnCreate, Snapshot)"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("unknown DeletionPolicy `retain`")
            && rendered.contains("note: policies are case-sensitive: did you mean `Retain`?"),
        "{rendered}"
    );
    assert!(
        rendered.contains(
            "resource `Wrong` (AWS::Logs::LogGroup): unknown UpdateReplacePolicy `RetainExceptOnCreate` (expected one of Delete, Retain, Snapshot)"
        ) && rendered.contains("note: RetainExceptOnCreate is a DeletionPolicy only"),
        "{rendered}"
    );
    assert!(
        rendered.contains("resource `NotText`: DeletionPolicy must be a string"),
        "{rendered}"
    );
}

#[test]
fn a_nested_stacks_deletion_policy_keeps_everything_inside_it() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        "Resources:\n  Kept:\n    Type: AWS::CloudFormation::Stack\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      TemplateURL: child.yaml\n  Plain:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n",
    );
    dir.write(
        "child.yaml",
        "Resources:\n  Own:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: RetainExceptOnCreate\n  Deleted:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Delete\n  Deeper:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: grandchild.yaml\n",
    );
    dir.write(
        "grandchild.yaml",
        "Resources:\n  Log:\n    Type: AWS::Logs::LogGroup\n",
    );
    let d = dir
        .load("root.yaml", &opts(Some("us-east-1")), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    let policies = |address: &str| {
        let r = d.resource(address).expect("resource");
        (r.deletion_policy, r.update_replace_policy)
    };
    // The retained stack keeps everything in it, whatever their own policy, at any depth; its
    // UpdateReplacePolicy is the stack's own (a nested stack is never replaced).
    for address in ["Kept.Own", "Kept.Deleted", "Kept.Deeper.Log"] {
        assert_eq!(
            policies(address),
            (DeletionPolicy::Retain, UpdateReplacePolicy::Delete),
            "{address}"
        );
    }
    assert_eq!(
        policies("Plain.Own"),
        (
            DeletionPolicy::RetainExceptOnCreate,
            UpdateReplacePolicy::Delete
        )
    );
    assert_eq!(
        policies("Plain.Deleted"),
        (DeletionPolicy::Delete, UpdateReplacePolicy::Delete)
    );
    assert_eq!(
        policies("Plain.Deeper.Log"),
        (DeletionPolicy::Delete, UpdateReplacePolicy::Delete)
    );
}
