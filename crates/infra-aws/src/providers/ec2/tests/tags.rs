//! Unit tests of `tags`.

use serde_json::json;

use super::*;
const TYPE: &str = "AWS::EC2::VPC";
const SPEC: Keys = Keys::new(&["Tags"]);

#[test]
fn template_and_infra_tags_merge() -> Result<(), ProviderError> {
    let value = json!({"Tags": [{"Key": "Name", "Value": "main"}, {"Key": "infra:stack", "Value": "mine"}]});
    let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?;
    let infra = BTreeMap::from([
        ("infra:stack".to_owned(), "demo".to_owned()),
        ("infra:address".to_owned(), "VPC".to_owned()),
    ]);
    let tags = desired(&props, &infra)?;
    assert_eq!(
        tags,
        vec![
            ("Name".to_owned(), "main".to_owned()),
            ("infra:address".to_owned(), "VPC".to_owned()),
            ("infra:stack".to_owned(), "demo".to_owned()),
        ]
    );
    Ok(())
}

#[test]
fn observed_tags_follow_the_template_order_without_system_tags() {
    let aws = [
        sdk_tag("b", "2"),
        sdk_tag("infra:stack", "demo"),
        sdk_tag("aws:cloudformation:stack-name", "x"),
        sdk_tag("a", "1"),
        sdk_tag("z", "26"),
    ];
    let last = json!({"Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]});
    assert_eq!(
        observed(&aws, &last),
        json!([{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}, {"Key": "z", "Value": "26"}])
    );
}

#[test]
fn a_tag_without_a_key_is_refused() {
    let value = json!({"Tags": [{"Value": "x"}]});
    let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC).expect("parses");
    let err = template_tags(&props).expect_err("refused");
    assert!(err.message.contains("Tags[0].Key is required"), "{err}");
}
