//! `Fn::GetAtt` attributes of a resource from its Cloud Control model.
//!
//! The attributes are the ones the registry declares for the type
//! ([`infra_registry::resource_type`]), which the plan checks a template's `Fn::GetAtt`
//! against, each read from the model at its path (`.` for `/`): for a type described from the
//! catalog, its read-only paths (`Arn`, `Endpoint.Address`) and, as cfn-lint allows for a type
//! documented by its schema alone, its other top-level properties (`QueueName`); for a type
//! infra also deploys natively, the attributes of its full schema. On top of those:
//! - every read-only path the model has a value for (an object's members also under their
//!   dotted names, so a read-only `Endpoint` gives `Endpoint.Address` too);
//! - the primary identifier's properties (`Name` of a Kinesis stream).
//!
//! Paths through a list (`A/*/B`) name no attribute and are skipped; so are values the model
//! does not have (write-only properties, properties AWS left unset).

use std::collections::BTreeMap;

use infra_registry::catalog::CatalogEntry;
use serde_json::Value;

/// The attributes of a resource whose properties are `model`.
pub(crate) fn attributes(entry: &CatalogEntry, model: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let declared = infra_registry::resource_type(entry.name).map_or(&[][..], |t| t.attributes);
    for attribute in declared {
        if let Some(value) = at(model, &attribute.name.replace('.', "/")) {
            out.insert(attribute.name.to_owned(), value.clone());
        }
    }
    for path in entry.read_only.iter().chain(entry.primary_identifier) {
        if path.contains('*') {
            continue;
        }
        let Some(value) = at(model, path) else {
            continue;
        };
        let name = path.replace('/', ".");
        flatten(&name, value, &mut out);
        out.insert(name, value.clone());
    }
    out
}

/// The value at a `/`-separated path of properties.
pub(crate) fn at<'v>(model: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('/')
        .try_fold(model, |node, key| node.get(key))
        .filter(|v| !v.is_null())
}

/// An object's members under `name.member`, recursively.
fn flatten(name: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    if let Value::Object(map) = value {
        for (key, member) in map {
            if member.is_null() {
                continue;
            }
            let dotted = format!("{name}.{key}");
            flatten(&dotted, member, out);
            out.insert(dotted, member.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use infra_registry::catalog;
    use serde_json::json;

    use super::*;

    #[test]
    fn declared_attributes_and_the_identifier_are_read_from_the_model() {
        let queue = catalog::lookup("AWS::SQS::Queue").expect("queue");
        let model = json!({
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q",
            "Arn": "arn:aws:sqs:us-east-1:1:q",
            "QueueName": "q",
            "VisibilityTimeout": 30
        });
        let got = attributes(queue, &model);
        assert_eq!(
            got.keys().map(String::as_str).collect::<Vec<_>>(),
            ["Arn", "QueueName", "QueueUrl", "VisibilityTimeout"]
        );
        let stream = catalog::lookup("AWS::Kinesis::Stream").expect("stream");
        let got = attributes(
            stream,
            &json!({"Name": "s", "Arn": "arn:s", "ShardCount": 1}),
        );
        assert_eq!(got.get("Name"), Some(&json!("s")));
        assert_eq!(got.get("Arn"), Some(&json!("arn:s")));
        // A top-level property is an attribute too, as the registry declares it.
        assert_eq!(got.get("ShardCount"), Some(&json!(1)));
    }

    #[test]
    fn nested_read_only_paths_are_dotted() {
        let db = catalog::lookup("AWS::RDS::DBInstance").expect("db instance");
        assert!(
            db.read_only.contains(&"Endpoint/Address"),
            "{:?}",
            db.read_only
        );
        let model = json!({
            "DBInstanceIdentifier": "db",
            "Endpoint": {"Address": "db.x.rds.amazonaws.com", "Port": "5432", "HostedZoneId": "Z"},
            "DBInstanceArn": "arn:db",
            "MasterUserSecret": {"SecretArn": "arn:secret", "KmsKeyId": "k"}
        });
        let got = attributes(db, &model);
        assert_eq!(
            got.get("Endpoint.Address"),
            Some(&json!("db.x.rds.amazonaws.com"))
        );
        assert_eq!(got.get("Endpoint.Port"), Some(&json!("5432")));
        assert_eq!(got.get("DBInstanceArn"), Some(&json!("arn:db")));
        assert_eq!(
            got.get("MasterUserSecret.SecretArn"),
            Some(&json!("arn:secret"))
        );
        // `MasterUserSecret` is a top-level property (an attribute as a whole); of its
        // members, only the read-only one is an attribute.
        assert!(got.contains_key("MasterUserSecret"));
        assert!(!got.contains_key("MasterUserSecret.KmsKeyId"));
    }

    #[test]
    fn an_object_attribute_also_gives_its_members() {
        let mut out = BTreeMap::new();
        flatten(
            "Endpoint",
            &json!({"Address": "a", "Nested": {"X": 1}}),
            &mut out,
        );
        assert_eq!(out.get("Endpoint.Address"), Some(&json!("a")));
        assert_eq!(out.get("Endpoint.Nested.X"), Some(&json!(1)));
        assert_eq!(at(&json!({"A": {"B": null}}), "A/B"), None);
    }
}
