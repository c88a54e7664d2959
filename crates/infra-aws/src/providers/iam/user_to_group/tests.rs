//! `AWS::IAM::UserToGroupAddition`: parsing, refusals, its identifier and what refresh reports.

use std::collections::BTreeMap;

use serde_json::json;

use super::{TYPE, addition_id, observe, parse};
use crate::provider::{Observation, ReadInput};
use crate::providers::kit::Ctx;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.Addition")
}

#[test]
fn group_and_users_are_required_and_id_is_refused() {
    let spec = parse(&json!({"GroupName": "g", "Users": ["a", "b", "a"]}), ctx())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.users, vec!["a".to_owned(), "b".to_owned()]);
    let err = parse(&json!({"Users": ["a"]}), ctx()).expect_err("group");
    assert!(
        err.message.contains("GroupName is required"),
        "{}",
        err.message
    );
    let err = parse(&json!({"GroupName": "g"}), ctx()).expect_err("users");
    assert!(err.message.contains("Users is required"), "{}", err.message);
    let err = parse(&json!({"GroupName": "g", "Users": [], "Id": "x"}), ctx()).expect_err("id");
    assert!(err.message.contains("Fn::GetAtt Id"), "{}", err.message);
}

#[test]
fn the_id_is_the_logical_id_and_a_stable_suffix_of_the_create() {
    let id = addition_id("Child.AddUsers", "lineage/Child.AddUsers/create/1700000000");
    assert!(
        id.starts_with("AddUsers-") && id.len() == "AddUsers-".len() + 13,
        "{id}"
    );
    assert_eq!(
        id,
        addition_id("Child.AddUsers", "lineage/Child.AddUsers/create/1700000000")
    );
    assert_ne!(
        id,
        addition_id("Child.AddUsers", "lineage/Child.AddUsers/create/1700000001")
    );
    assert_eq!(addition_id("A", ""), addition_id("A", ""));
}

#[test]
fn refresh_reports_the_users_of_the_record_still_members() {
    let item = ReadInput {
        address: "Add".into(),
        type_name: TYPE.into(),
        physical_id: "Add-X".into(),
        properties: json!({"GroupName": "g", "Users": ["b", "a"]}),
        attributes: BTreeMap::new(),
    };
    let members = ["a".to_owned(), "b".to_owned(), "other".to_owned()];
    let Observation::Present {
        properties,
        attributes,
    } = observe(&item, &members)
    else {
        panic!("present");
    };
    assert_eq!(properties, item.properties, "others' members are not drift");
    assert_eq!(attributes["Id"], json!("Add-X"));
    let Observation::Present { properties, .. } = observe(&item, &members[..1]) else {
        panic!("present");
    };
    assert_eq!(properties["Users"], json!(["a"]));
    assert_eq!(
        observe(&item, &members[2..]),
        Observation::Gone,
        "none left"
    );
}
