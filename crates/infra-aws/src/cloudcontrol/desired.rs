//! The desired state sent to Cloud Control, and tags in either shape.
//!
//! [`desired_state`] is the template's properties plus:
//! - infra's `infra:*` tags merged into the type's tag property when the catalog says the type
//!   is taggable at create with a top-level tag property ([`tag_property`]): a list of
//!   `{Key, Value}` (CloudFormation's usual shape) or, when the template's value is an object
//!   or the type's tags are a map ([`super::map_tags`]), a map; infra's value wins on a clash;
//! - the generated name, in the type's name property ([`super::naming::name_property`]) when
//!   the template leaves it out;
//! - every value in the JSON type the schema gives it ([`super::typed`]: `"30"` sent as `30`).
//!
//! A type whose tag property is nested (`TagSpecifications/*/Tags`) gets no infra tags: where
//! they would go depends on the value. Its resources are found again by their checkpoint and
//! identifier only.
//!
//! Reading goes the other way: [`tags_of`] reads either shape and [`without_infra_tags`]
//! removes infra's (and AWS's reserved `aws:*`) tags from an observed value.

use std::collections::BTreeMap;

use infra_registry::catalog::CatalogEntry;
use serde_json::{Map, Value, json};

use super::map_tags::map_tagged;
use super::naming::name_property;
use super::typed::with_schema_types;
use crate::providers::kit::{INFRA_TAG_PREFIX, scalar_text};

/// The top-level tag property infra's tags go in, when the type has one and takes tags at
/// create.
pub(crate) fn tag_property(entry: &CatalogEntry) -> Option<&'static str> {
    let tagging = &entry.tagging;
    tagging
        .tag_property
        .filter(|p| tagging.taggable && tagging.tag_on_create && !p.contains('/'))
}

/// The desired state of a create (see the module comment).
pub(crate) fn desired_state(
    entry: &CatalogEntry,
    properties: &Value,
    tags: &BTreeMap<String, String>,
    generated_name: Option<&str>,
) -> Value {
    let mut out: Map<String, Value> = properties
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(property) = tag_property(entry)
        && !tags.is_empty()
    {
        let merged = merge_tags(out.get(property), tags, map_tagged(entry.name));
        out.insert(property.to_owned(), merged);
    }
    if let (Some(name), Some(property)) = (generated_name, name_property(entry))
        && !out.contains_key(property)
    {
        out.insert(property.to_owned(), Value::String(name.to_owned()));
    }
    with_schema_types(entry, Value::Object(out))
}

/// `existing` (the template's tags, if any) with `infra` merged in: as a map when `existing`
/// is an object, or when there is none and `map_shaped`; else as a list of `{Key, Value}`, the
/// template's tags first in their order, infra's replacing any of the same key.
pub(crate) fn merge_tags(
    existing: Option<&Value>,
    infra: &BTreeMap<String, String>,
    map_shaped: bool,
) -> Value {
    match existing {
        Some(Value::Object(map)) => {
            let mut out = map.clone();
            for (k, v) in infra {
                out.insert(k.clone(), Value::String(v.clone()));
            }
            Value::Object(out)
        }
        Some(Value::Array(items)) => {
            let mut out: Vec<Value> = items
                .iter()
                .filter(|t| {
                    !t.get("Key")
                        .and_then(Value::as_str)
                        .is_some_and(|k| infra.contains_key(k))
                })
                .cloned()
                .collect();
            out.extend(infra.iter().map(|(k, v)| json!({"Key": k, "Value": v})));
            Value::Array(out)
        }
        _ if map_shaped => Value::Object(
            infra
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        ),
        _ => Value::Array(
            infra
                .iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect(),
        ),
    }
}

/// The tags of a tag property's value, in either shape (entries that are not tags are left
/// out).
pub(crate) fn tags_of(value: &Value) -> BTreeMap<String, String> {
    match value {
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), scalar_text(v)?)))
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|t| {
                Some((
                    scalar_text(t.get("Key")?)?,
                    t.get("Value").and_then(scalar_text).unwrap_or_default(),
                ))
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// Whether a tag key is infra's own or AWS's reserved: never the template's.
pub(crate) fn is_system_tag(key: &str) -> bool {
    key.starts_with(INFRA_TAG_PREFIX) || key.starts_with("aws:")
}

/// An observed tag property's value without infra's and AWS's tags, in the same shape.
pub(crate) fn without_infra_tags(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !is_system_tag(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|t| {
                    !t.get("Key")
                        .and_then(Value::as_str)
                        .is_some_and(is_system_tag)
                })
                .cloned()
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use infra_registry::catalog;

    use super::*;

    fn infra() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:address".to_owned(), "App.Queue".to_owned()),
            ("infra:stack".to_owned(), "app".to_owned()),
        ])
    }

    fn entry(name: &str) -> &'static CatalogEntry {
        catalog::lookup(name).expect("in the catalog")
    }

    #[test]
    fn infra_tags_are_added_to_a_template_tag_list() {
        let props = json!({"Tags": [{"Key": "team", "Value": "a"}, {"Key": "infra:stack", "Value": "old"}]});
        let desired = desired_state(entry("AWS::SQS::Queue"), &props, &infra(), None);
        assert_eq!(
            desired["Tags"],
            json!([
                {"Key": "team", "Value": "a"},
                {"Key": "infra:address", "Value": "App.Queue"},
                {"Key": "infra:stack", "Value": "app"}
            ])
        );
    }

    #[test]
    fn infra_tags_take_the_types_shape_when_the_template_has_none() {
        let queue = desired_state(entry("AWS::SQS::Queue"), &json!({}), &infra(), None);
        assert_eq!(
            queue["Tags"],
            json!([{"Key": "infra:address", "Value": "App.Queue"}, {"Key": "infra:stack", "Value": "app"}])
        );
        let parameter = desired_state(
            entry("AWS::SSM::Parameter"),
            &json!({"Type": "String", "Value": "v"}),
            &infra(),
            None,
        );
        assert_eq!(
            parameter["Tags"],
            json!({"infra:address": "App.Queue", "infra:stack": "app"})
        );
    }

    #[test]
    fn a_template_tag_map_stays_a_map() {
        let props = json!({"Tags": {"team": "a"}});
        let desired = desired_state(entry("AWS::SSM::Parameter"), &props, &infra(), None);
        assert_eq!(
            desired["Tags"],
            json!({"team": "a", "infra:address": "App.Queue", "infra:stack": "app"})
        );
    }

    #[test]
    fn untaggable_types_and_empty_tags_add_nothing() {
        let untaggable = catalog::all()
            .iter()
            .find(|e| !e.tagging.taggable && e.handlers.create)
            .expect("an untaggable type");
        let desired = desired_state(untaggable, &json!({"A": 1}), &infra(), None);
        assert_eq!(desired, json!({"A": 1}));
        let desired = desired_state(entry("AWS::SQS::Queue"), &json!({}), &BTreeMap::new(), None);
        assert_eq!(desired, json!({}));
    }

    #[test]
    fn the_generated_name_fills_the_name_property_unless_given() {
        let e = entry("AWS::SQS::Queue");
        let none = BTreeMap::new();
        let desired = desired_state(e, &json!({}), &none, Some("app-Queue-X"));
        assert_eq!(desired, json!({"QueueName": "app-Queue-X"}));
        let desired = desired_state(e, &json!({"QueueName": "mine"}), &none, Some("gen"));
        assert_eq!(desired, json!({"QueueName": "mine"}));
        let desired = desired_state(entry("AWS::EC2::VPC"), &json!({}), &none, Some("gen"));
        assert_eq!(desired, json!({}));
    }

    #[test]
    fn nulls_are_left_out() {
        let desired = desired_state(
            entry("AWS::SQS::Queue"),
            &json!({"DelaySeconds": null, "VisibilityTimeout": 5}),
            &BTreeMap::new(),
            None,
        );
        assert_eq!(desired, json!({"VisibilityTimeout": 5}));
    }

    #[test]
    fn tags_are_read_and_stripped_in_either_shape() {
        let list = json!([
            {"Key": "team", "Value": "a"},
            {"Key": "infra:stack", "Value": "app"},
            {"Key": "aws:cloudformation:stack-name", "Value": "x"}
        ]);
        assert_eq!(tags_of(&list).len(), 3);
        assert_eq!(
            without_infra_tags(&list),
            json!([{"Key": "team", "Value": "a"}])
        );
        let map = json!({"team": "a", "infra:address": "A"});
        assert_eq!(tags_of(&map)["infra:address"], "A");
        assert_eq!(without_infra_tags(&map), json!({"team": "a"}));
    }
}
