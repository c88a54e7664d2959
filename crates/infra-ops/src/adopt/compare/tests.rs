//! The comparison of a template's resources with a CloudFormation stack's, on plain lists.

use std::collections::{BTreeMap, BTreeSet};

use infra_aws::cloudformation::StackResource;

use super::{Adoptable, Teardown, compare};

fn listed(address: &str, resource_type: &str) -> StackResource {
    StackResource {
        address: address.to_string(),
        resource_type: resource_type.to_string(),
        physical_id: Some(format!("id-of-{address}")),
        status: "CREATE_COMPLETE".to_string(),
    }
}

fn template(items: &[(&str, &str)]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|(a, t)| (a.to_string(), t.to_string()))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn supported(t: &str) -> bool {
    t.starts_with("AWS::EC2::") || t.starts_with("AWS::IAM::") || t == "AWS::Lambda::Function"
}

#[test]
fn same_resources_are_adopted_nested_stack_resources_themselves_are_not() {
    let stack = [
        listed("Vpc", "AWS::EC2::VPC"),
        listed("Net", "AWS::CloudFormation::Stack"),
        listed("Net.Subnet", "AWS::EC2::Subnet"),
    ];
    let t = template(&[("Vpc", "AWS::EC2::VPC"), ("Net.Subnet", "AWS::EC2::Subnet")]);
    let c = compare(&t, &Teardown::default(), &stack, &set(&[]), &supported);
    assert_eq!(c.problems, Vec::<String>::new());
    assert_eq!(
        c.adopt,
        vec![
            Adoptable {
                address: "Vpc".into(),
                resource_type: "AWS::EC2::VPC".into(),
                physical_id: "id-of-Vpc".into(),
            },
            Adoptable {
                address: "Net.Subnet".into(),
                resource_type: "AWS::EC2::Subnet".into(),
                physical_id: "id-of-Net.Subnet".into(),
            },
        ]
    );
}

#[test]
fn a_custom_resource_stops_the_import_naming_it_unless_skipped() {
    let stack = [
        listed("Vpc", "AWS::EC2::VPC"),
        listed("Thing", "Custom::Something"),
        listed("Queue", "AWS::SQS::Queue"),
    ];
    let t = template(&[("Vpc", "AWS::EC2::VPC")]);
    let c = compare(&t, &Teardown::default(), &stack, &set(&[]), &supported);
    assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
    assert!(c.problems[0].contains("`Thing` is a custom resource (Custom::Something)"));
    assert!(c.problems[1].contains("`Queue` is a AWS::SQS::Queue, which infra cannot manage"));
    assert!(
        c.adopt.len() == 1,
        "the caller writes nothing while problems remain"
    );

    let c = compare(
        &t,
        &Teardown::default(),
        &stack,
        &set(&["Thing", "Queue"]),
        &supported,
    );
    assert_eq!(c.problems, Vec::<String>::new());
    assert_eq!(c.skipped, vec!["Thing".to_string(), "Queue".to_string()]);
    assert_eq!(c.adopt.len(), 1);
}

#[test]
fn what_serves_the_native_teardown_is_adopted_to_be_deleted_the_custom_resource_is_not() {
    let stack = [
        listed("Asg", "AWS::EC2::VPC"),
        listed("Destroyer", "Custom::AsgDestroyer"),
        listed("DestroyerFunction", "AWS::Lambda::Function"),
        listed("DestroyerRole", "AWS::IAM::Role"),
    ];
    let t = template(&[("Asg", "AWS::EC2::VPC")]);
    let teardown = Teardown {
        custom: set(&["Destroyer"]),
        served: set(&["DestroyerFunction", "DestroyerRole"]),
    };
    let c = compare(&t, &teardown, &stack, &set(&[]), &supported);
    assert_eq!(c.problems, Vec::<String>::new());
    assert_eq!(
        c.left_to_cloudformation,
        vec![("Destroyer".to_string(), "Custom::AsgDestroyer".to_string())]
    );
    assert_eq!(
        c.retired,
        vec!["DestroyerFunction".to_string(), "DestroyerRole".to_string()]
    );
    let adopted: Vec<&str> = c.adopt.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(adopted, ["Asg", "DestroyerFunction", "DestroyerRole"]);
}

#[test]
fn every_mismatch_is_named() {
    let stack = [
        listed("Vpc", "AWS::EC2::VPC"),
        listed("Extra", "AWS::EC2::Subnet"),
        listed("Sg", "AWS::EC2::SecurityGroup"),
    ];
    let t = template(&[
        ("Vpc", "AWS::EC2::VPC"),
        ("Missing", "AWS::EC2::Subnet"),
        ("Sg", "AWS::EC2::Subnet"),
    ]);
    let c = compare(
        &t,
        &Teardown::default(),
        &stack,
        &set(&["Nowhere"]),
        &supported,
    );
    assert_eq!(
        c.problems,
        vec![
            "`Extra` (AWS::EC2::Subnet) is in the stack but not in the template".to_string(),
            "`Sg` is a AWS::EC2::SecurityGroup in the stack but a AWS::EC2::Subnet in the template"
                .to_string(),
            "`Missing` (AWS::EC2::Subnet) is in the template but not in the stack".to_string(),
            "--skip Nowhere: no such resource in the stack or the template".to_string(),
        ]
    );
}
