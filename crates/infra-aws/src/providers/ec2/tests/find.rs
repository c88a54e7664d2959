//! Unit tests of `find`.

use super::*;

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

fn input(address: &str) -> FindInput {
    FindInput {
        address: address.into(),
        type_name: "AWS::EC2::VPC".into(),
        properties: serde_json::Value::Null,
        tags: BTreeMap::from([
            ("infra:stack".to_owned(), "demo".to_owned()),
            ("infra:address".to_owned(), address.to_owned()),
        ]),
        name: None,
        replacing: None,
        checkpoint: Default::default(),
    }
}

fn vpc(id: &str, address: &str, state: &str) -> Vpc {
    Vpc::builder()
        .vpc_id(id)
        .state(state.into())
        .tags(tag("infra:stack", "demo"))
        .tags(tag("infra:address", address))
        .build()
}

#[test]
fn only_live_objects_with_both_tags_are_picked() -> Result<(), ProviderError> {
    let found = vec![
        vpc("vpc-other", "Net.Other", "available"),
        vpc("vpc-gone", "Net.VPC", "deleting"),
        vpc("vpc-mine", "Net.VPC", "available"),
    ];
    let picked = pick(found, &input("Net.VPC"), "VPC", "finding Net.VPC")?;
    assert_eq!(picked.map(|(id, _)| id).as_deref(), Some("vpc-mine"));
    assert!(pick(Vec::<Vpc>::new(), &input("Net.VPC"), "VPC", "x")?.is_none());
    // The object being replaced carries the same tags: it is never the answer.
    let replacing = FindInput {
        replacing: Some("vpc-old".into()),
        checkpoint: Default::default(),
        ..input("Net.VPC")
    };
    let found = vec![
        vpc("vpc-old", "Net.VPC", "available"),
        vpc("vpc-new", "Net.VPC", "available"),
    ];
    let picked = pick(found, &replacing, "VPC", "finding Net.VPC")?;
    assert_eq!(picked.map(|(id, _)| id).as_deref(), Some("vpc-new"));
    Ok(())
}

#[test]
fn two_candidates_are_an_error_naming_both() {
    let found = vec![
        vpc("vpc-1", "Net.VPC", "available"),
        vpc("vpc-2", "Net.VPC", "pending"),
    ];
    let err = pick(found, &input("Net.VPC"), "VPC", "finding Net.VPC").expect_err("two");
    assert_eq!(err.class, crate::provider::FailureClass::Fatal);
    assert!(
        err.message.contains("vpc-1") && err.message.contains("vpc-2"),
        "{err}"
    );
}

#[test]
fn no_infra_tags_finds_nothing_by_tag() {
    let mut untagged = input("Net.VPC");
    untagged.tags.clear();
    assert!(tag_filters(&untagged, "finding").is_err());
    assert_eq!(
        tag_filters(&input("Net.VPC"), "finding")
            .map(|f| f.len())
            .ok(),
        Some(2)
    );
}
