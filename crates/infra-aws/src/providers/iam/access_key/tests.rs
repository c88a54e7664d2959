//! `AWS::IAM::AccessKey`: parsing, refusals, the checkpoint and what refresh reports.

use std::collections::BTreeMap;

use aws_sdk_iam::types::{AccessKeyMetadata, StatusType};
use serde_json::json;

use super::{TYPE, before_create, observe, output, parse, saved_existing};
use crate::provider::{Observation, ReadInput};
use crate::providers::kit::Ctx;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.Key")
}

#[test]
fn properties_parse_and_attributes_are_refused() {
    let spec = parse(
        &json!({"UserName": "u", "Serial": "2", "Status": "Inactive"}),
        ctx(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.status, StatusType::Inactive);
    let spec = parse(&json!({"UserName": "u"}), ctx()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.status, StatusType::Active);
    let err = parse(&json!({"UserName": "u", "Status": "Expired"}), ctx()).expect_err("status");
    assert!(
        err.message.contains("not one of Active, Inactive"),
        "{}",
        err.message
    );
    let err = parse(&json!({"UserName": "u", "Serial": "x"}), ctx()).expect_err("serial");
    assert!(
        err.message.contains("Serial must be an integer"),
        "{}",
        err.message
    );
    let err = parse(&json!({"Status": "Active"}), ctx()).expect_err("user");
    assert!(
        err.message.contains("UserName is required"),
        "{}",
        err.message
    );
    for attribute in ["Id", "SecretAccessKey"] {
        let err = parse(&json!({"UserName": "u", attribute: "x"}), ctx()).expect_err(attribute);
        assert!(
            err.message.contains("it is an attribute"),
            "{}",
            err.message
        );
    }
}

#[test]
fn the_secret_is_an_attribute_of_the_create_only() {
    let made = output("AKIAEXAMPLE", Some("s3cr3t"));
    assert_eq!(made.physical_id, "AKIAEXAMPLE");
    assert_eq!(made.attributes["Id"], json!("AKIAEXAMPLE"));
    assert_eq!(made.attributes["SecretAccessKey"], json!("s3cr3t"));
    assert!(
        !output("AKIAEXAMPLE", None)
            .attributes
            .contains_key("SecretAccessKey")
    );
}

#[test]
fn the_checkpoint_lists_the_keys_the_user_had_before() {
    let keys = [AccessKeyMetadata::builder()
        .access_key_id("AKIAOLD")
        .build()];
    let saved = before_create("u", &keys);
    assert_eq!(
        saved_existing(Some(saved.clone()), "u"),
        Some(vec!["AKIAOLD".to_owned()])
    );
    assert_eq!(saved_existing(Some(saved), "other"), None);
    assert_eq!(saved_existing(None, "u"), None);
}

#[test]
fn refresh_reports_the_status_and_keeps_serial_as_applied() {
    let item = ReadInput {
        address: "Key".into(),
        type_name: TYPE.into(),
        physical_id: "AKIA1".into(),
        properties: json!({"UserName": "u", "Serial": 1}),
        attributes: BTreeMap::from([("SecretAccessKey".to_owned(), json!("kept"))]),
    };
    let active = AccessKeyMetadata::builder()
        .access_key_id("AKIA1")
        .status(StatusType::Active)
        .build();
    let Observation::Present {
        properties,
        attributes,
    } = observe(&item, &active)
    else {
        panic!("present");
    };
    assert_eq!(properties, item.properties);
    assert_eq!(
        attributes,
        BTreeMap::from([("Id".to_owned(), json!("AKIA1"))])
    );
    let inactive = AccessKeyMetadata::builder()
        .status(StatusType::Inactive)
        .build();
    let Observation::Present { properties, .. } = observe(&item, &inactive) else {
        panic!("present");
    };
    assert_eq!(
        properties["Status"],
        json!("Inactive"),
        "drift from the default"
    );
}
