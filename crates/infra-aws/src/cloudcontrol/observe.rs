//! What a refresh reports for a resource, from its Cloud Control model and its record.
//!
//! [`observed_properties`] reports the properties infra manages (the top-level keys of the
//! recorded properties) as the template would write them, so that a value that says the same
//! as the recorded one never shows as drift:
//! - read-only properties are left out (they are attributes);
//! - write-only properties, which AWS never returns, keep their recorded value;
//! - the tag property loses infra's `infra:*` and AWS's `aws:*` tags, and is the recorded
//!   value when it holds the same tags in another order;
//! - a value equal to the recorded one once the schema's `propertyTransform` is applied to the
//!   recorded one ([`super::transform`]) is the recorded one;
//! - numbers and booleans the template wrote as strings (`"5"`, `"true"`) are the recorded
//!   text when AWS's value says the same; a JSON document the template wrote as a string is the
//!   recorded string when AWS returns the same document;
//! - objects are compared member by member, keeping only the members the record has (what AWS
//!   fills in by default is not the template's); lists element by element, or as a set when
//!   AWS returned the same elements in another order;
//! - a property AWS no longer returns is missing (drift), unless the record's value is empty
//!   (`[]`, `{}`), which AWS commonly omits.

use infra_registry::catalog::CatalogEntry;
use serde_json::{Map, Value};

use super::desired::{tags_of, without_infra_tags};
use super::transform::transformed_equal;
use crate::providers::kit::scalar_text;

/// The observed properties of a resource whose model is `model` and whose recorded
/// properties are `recorded` (see the module comment).
pub(crate) fn observed_properties(entry: &CatalogEntry, recorded: &Value, model: &Value) -> Value {
    let mut out = Map::new();
    let Some(recorded) = recorded.as_object() else {
        return Value::Object(out);
    };
    let tag_property = entry
        .tagging
        .tag_property
        .filter(|p| entry.tagging.taggable && !p.contains('/'));
    for (key, rec) in recorded.iter().filter(|(_, v)| !v.is_null()) {
        if entry.is_read_only(key) {
            continue;
        }
        if entry.is_write_only(key) {
            out.insert(key.clone(), rec.clone());
            continue;
        }
        match model.get(key).filter(|v| !v.is_null()) {
            Some(found) if Some(key.as_str()) == tag_property => {
                let found = without_infra_tags(found);
                let same = tags_of(&found) == tags_of(rec) && found.is_object() == rec.is_object();
                out.insert(key.clone(), if same { rec.clone() } else { found });
            }
            Some(found) => {
                out.insert(key.clone(), reconcile(entry, key, rec, found));
            }
            None if is_empty(rec) => {
                out.insert(key.clone(), rec.clone());
            }
            None => {}
        }
    }
    Value::Object(out)
}

/// `found` at `path`, in the recorded spelling where it says the same as `rec`.
pub(crate) fn reconcile(entry: &CatalogEntry, path: &str, rec: &Value, found: &Value) -> Value {
    if rec == found {
        return rec.clone();
    }
    match (rec, found) {
        (Value::Object(r), Value::Object(f)) => {
            let mut out = Map::new();
            for (key, rv) in r.iter().filter(|(_, v)| !v.is_null()) {
                let sub = format!("{path}/{key}");
                if entry.is_read_only(&sub) {
                    continue;
                }
                match f.get(key).filter(|v| !v.is_null()) {
                    Some(fv) => {
                        out.insert(key.clone(), reconcile(entry, &sub, rv, fv));
                    }
                    None if entry.is_write_only(&sub) || is_empty(rv) => {
                        out.insert(key.clone(), rv.clone());
                    }
                    None => {}
                }
            }
            Value::Object(out)
        }
        (Value::Array(r), Value::Array(f)) if r.len() == f.len() => {
            let sub = format!("{path}/*");
            let in_order: Vec<Value> = r
                .iter()
                .zip(f)
                .map(|(rv, fv)| reconcile(entry, &sub, rv, fv))
                .collect();
            if in_order == *r || same_set(entry, &sub, r, f) {
                rec.clone()
            } else {
                Value::Array(in_order)
            }
        }
        (Value::String(text), Value::Object(_) | Value::Array(_)) => {
            match serde_json::from_str::<Value>(text) {
                Ok(parsed) if parsed == *found => rec.clone(),
                _ => found.clone(),
            }
        }
        _ if scalar_text(rec).is_some() && scalar_text(rec) == scalar_text(found) => rec.clone(),
        _ => match entry.property_transform(path) {
            Some(expression) if transformed_equal(expression, rec, found) => rec.clone(),
            _ => found.clone(),
        },
    }
}

/// Whether every element of `found` says the same as a distinct element of `rec`.
fn same_set(entry: &CatalogEntry, path: &str, rec: &[Value], found: &[Value]) -> bool {
    let mut used = vec![false; rec.len()];
    found.iter().all(|fv| {
        let hit = rec
            .iter()
            .enumerate()
            .position(|(i, rv)| !used[i] && reconcile(entry, path, rv, fv) == *rv);
        hit.map(|i| used[i] = true).is_some()
    })
}

/// `[]`, `{}` or `""`: what AWS commonly leaves out of a model.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use infra_registry::catalog;
    use serde_json::json;

    use super::*;

    fn entry(name: &str) -> &'static CatalogEntry {
        catalog::lookup(name).expect("in the catalog")
    }

    #[test]
    fn only_managed_keys_are_reported_without_read_only_ones() {
        let recorded = json!({"VisibilityTimeout": 30, "Arn": "x"});
        let model = json!({
            "QueueUrl": "u", "Arn": "arn", "QueueName": "q",
            "VisibilityTimeout": 45, "DelaySeconds": 0
        });
        let got = observed_properties(entry("AWS::SQS::Queue"), &recorded, &model);
        assert_eq!(got, json!({"VisibilityTimeout": 45}));
    }

    #[test]
    fn write_only_properties_keep_the_recorded_value() {
        let recorded = json!({"Name": "p", "Type": "String", "Value": "v", "Description": "d"});
        let model = json!({"Name": "p", "Type": "String", "Value": "v2"});
        let got = observed_properties(entry("AWS::SSM::Parameter"), &recorded, &model);
        assert_eq!(
            got,
            json!({"Name": "p", "Type": "String", "Value": "v2", "Description": "d"})
        );
    }

    #[test]
    fn infra_tags_are_stripped_and_the_order_kept() {
        let e = entry("AWS::SQS::Queue");
        let recorded = json!({"Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]});
        let model = json!({"Tags": [
            {"Key": "a", "Value": "1"},
            {"Key": "infra:stack", "Value": "s"},
            {"Key": "b", "Value": "2"}
        ]});
        assert_eq!(observed_properties(e, &recorded, &model), recorded);
        let model =
            json!({"Tags": [{"Key": "a", "Value": "9"}, {"Key": "infra:stack", "Value": "s"}]});
        assert_eq!(
            observed_properties(e, &recorded, &model),
            json!({"Tags": [{"Key": "a", "Value": "9"}]})
        );
        // Only infra's tags left, and the record had an empty list: still an empty list.
        let recorded = json!({"Tags": []});
        let model = json!({"Tags": [{"Key": "infra:stack", "Value": "s"}]});
        assert_eq!(
            observed_properties(e, &recorded, &model),
            json!({"Tags": []})
        );
        // Map-shaped tags.
        let recorded = json!({"Tags": {"team": "a"}});
        let model = json!({"Tags": {"team": "a", "infra:address": "A"}});
        assert_eq!(
            observed_properties(entry("AWS::SSM::Parameter"), &recorded, &model),
            recorded
        );
    }

    #[test]
    fn strings_that_say_the_same_number_or_boolean_keep_the_template_spelling() {
        let e = entry("AWS::SQS::Queue");
        let recorded = json!({"VisibilityTimeout": "30", "FifoQueue": "true", "DelaySeconds": "5"});
        let model = json!({"VisibilityTimeout": 30, "FifoQueue": true, "DelaySeconds": 6});
        assert_eq!(
            observed_properties(e, &recorded, &model),
            json!({"VisibilityTimeout": "30", "FifoQueue": "true", "DelaySeconds": 6})
        );
    }

    #[test]
    fn property_transforms_hide_normalisation() {
        let db = entry("AWS::RDS::DBInstance");
        assert_eq!(db.property_transform("Engine"), Some("$lowercase(Engine)"));
        let got = observed_properties(db, &json!({"Engine": "MySQL"}), &json!({"Engine": "mysql"}));
        assert_eq!(got, json!({"Engine": "MySQL"}));
        let got = observed_properties(
            db,
            &json!({"Engine": "MySQL"}),
            &json!({"Engine": "postgres"}),
        );
        assert_eq!(got, json!({"Engine": "postgres"}));
    }

    #[test]
    fn nested_values_keep_only_recorded_members_and_lists_compare_as_sets() {
        let e = entry("AWS::SQS::Queue");
        let recorded =
            json!({"RedrivePolicy": {"maxReceiveCount": "3", "deadLetterTargetArn": "arn:d"}});
        let model = json!({"RedrivePolicy": {"maxReceiveCount": 3, "deadLetterTargetArn": "arn:d", "extra": 1}});
        assert_eq!(observed_properties(e, &recorded, &model), recorded);
        let recorded = json!({"RedriveAllowPolicy": {"sourceQueueArns": ["a", "b"]}});
        let model = json!({"RedriveAllowPolicy": {"sourceQueueArns": ["b", "a"]}});
        assert_eq!(observed_properties(e, &recorded, &model), recorded);
        let model = json!({"RedriveAllowPolicy": {"sourceQueueArns": ["b", "c"]}});
        assert_eq!(
            observed_properties(e, &recorded, &model),
            json!({"RedriveAllowPolicy": {"sourceQueueArns": ["b", "c"]}})
        );
    }

    #[test]
    fn json_written_as_a_string_matches_the_document() {
        let e = entry("AWS::SQS::Queue");
        let recorded = json!({"RedrivePolicy": "{\"maxReceiveCount\": 3}"});
        let model = json!({"RedrivePolicy": {"maxReceiveCount": 3}});
        assert_eq!(observed_properties(e, &recorded, &model), recorded);
    }

    #[test]
    fn a_property_gone_from_aws_is_missing_unless_it_was_empty() {
        let e = entry("AWS::SQS::Queue");
        let recorded = json!({"KmsMasterKeyId": "k", "RedriveAllowPolicy": {}});
        let got = observed_properties(e, &recorded, &json!({}));
        assert_eq!(got, json!({"RedriveAllowPolicy": {}}));
    }
}
