//! The RFC 6902 patch of an update, from the desired state before to the desired state after.
//!
//! Top-level granularity: a changed property's whole value is replaced, a new one added, a
//! dropped one removed. It is robust (no list-index arithmetic against a model that may have
//! been reordered) and what Cloud Control applies to the current model
//! (<https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/resource-operations-update.html>).
//!
//! - Read-only properties are never in a patch: AWS sets them.
//! - Every write-only property of the desired state is sent (`add`), changed or not: AWS never
//!   returns them, so the model a patch applies to lacks them, and Cloud Control drops a
//!   write-only property the patch does not carry. A dropped write-only property is simply not
//!   sent (`remove` of a path AWS does not show would fail).
//! - A changed value whose previous value was empty (`[]`, `{}`, `""`, which AWS commonly
//!   omits from the model) is sent with `add`, which sets the member whether it exists or not;
//!   an empty value dropped is not removed.

use infra_registry::catalog::CatalogEntry;
use serde_json::{Value, json};

/// The patch from `before` to `after` (both desired-state documents), in a stable order: the
/// properties of `after` in its order, then those removed.
pub(crate) fn patch(entry: &CatalogEntry, before: &Value, after: &Value) -> Vec<Value> {
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut ops = Vec::new();
    for (key, value) in after.iter().filter(|(_, v)| !v.is_null()) {
        if entry.is_read_only(key) {
            continue;
        }
        let path = pointer(key);
        let previous = before.get(key).filter(|v| !v.is_null());
        let op = if entry.is_write_only(key) {
            "add"
        } else {
            match previous {
                Some(old) if old == value => continue,
                Some(old) if !is_empty(old) => "replace",
                _ => "add",
            }
        };
        ops.push(json!({"op": op, "path": path, "value": value}));
    }
    for (key, old) in before.iter().filter(|(_, v)| !v.is_null()) {
        if after.get(key).is_some_and(|v| !v.is_null())
            || entry.is_read_only(key)
            || entry.is_write_only(key)
            || is_empty(old)
        {
            continue;
        }
        ops.push(json!({"op": "remove", "path": pointer(key)}));
    }
    ops
}

/// Whether a patch changes anything but re-sent write-only properties.
pub(crate) fn changes_anything(entry: &CatalogEntry, before: &Value, after: &Value) -> bool {
    patch(entry, before, after).iter().any(|op| {
        let key = op
            .get("path")
            .and_then(Value::as_str)
            .and_then(|p| p.strip_prefix('/'))
            .map(unescape)
            .unwrap_or_default();
        !entry.is_write_only(&key) || before.get(&key) != after.get(&key)
    })
}

/// The JSON pointer of a top-level property (RFC 6901: `~` is `~0`, `/` is `~1`).
fn pointer(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

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

    use super::*;

    fn entry(name: &str) -> &'static CatalogEntry {
        catalog::lookup(name).expect("in the catalog")
    }

    #[test]
    fn changed_new_and_dropped_properties_are_replaced_added_and_removed() {
        let e = entry("AWS::SQS::Queue");
        let before = json!({"QueueName": "q", "VisibilityTimeout": 30, "DelaySeconds": 5});
        let after = json!({"QueueName": "q", "VisibilityTimeout": 60, "MaximumMessageSize": 2048});
        assert_eq!(
            patch(e, &before, &after),
            vec![
                json!({"op": "replace", "path": "/VisibilityTimeout", "value": 60}),
                json!({"op": "add", "path": "/MaximumMessageSize", "value": 2048}),
                json!({"op": "remove", "path": "/DelaySeconds"}),
            ]
        );
        assert!(patch(e, &before, &before).is_empty());
        assert!(!changes_anything(e, &before, &before));
        assert!(changes_anything(e, &before, &after));
    }

    #[test]
    fn read_only_properties_are_never_patched() {
        let e = entry("AWS::SQS::Queue");
        let before = json!({"Arn": "a", "QueueUrl": "u"});
        let after = json!({"Arn": "b", "VisibilityTimeout": 1});
        assert_eq!(
            patch(e, &before, &after),
            vec![json!({"op": "add", "path": "/VisibilityTimeout", "value": 1})]
        );
    }

    #[test]
    fn write_only_properties_are_re_sent_and_never_removed() {
        let e = entry("AWS::SSM::Parameter");
        let before =
            json!({"Type": "String", "Value": "a", "Description": "d", "Tier": "Standard"});
        let after = json!({"Type": "String", "Value": "b", "Description": "d"});
        assert_eq!(
            patch(e, &before, &after),
            vec![
                json!({"op": "replace", "path": "/Value", "value": "b"}),
                json!({"op": "add", "path": "/Description", "value": "d"}),
            ]
        );
        // Nothing but the re-sent write-only property: no change to make.
        let same = json!({"Type": "String", "Value": "a", "Description": "d"});
        assert!(!patch(e, &same, &same).is_empty());
        assert!(!changes_anything(e, &same, &same));
        let changed = json!({"Type": "String", "Value": "a", "Description": "e"});
        assert!(changes_anything(e, &same, &changed));
    }

    #[test]
    fn empty_previous_values_are_added_and_never_removed() {
        let e = entry("AWS::SQS::Queue");
        let before = json!({"Tags": [], "RedriveAllowPolicy": {}});
        let after = json!({"Tags": [{"Key": "a", "Value": "1"}]});
        assert_eq!(
            patch(e, &before, &after),
            vec![json!({"op": "add", "path": "/Tags", "value": [{"Key": "a", "Value": "1"}]})]
        );
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(pointer("a/b~c"), "/a~1b~0c");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
    }
}
