//! Values in the JSON types the schema gives them. CloudFormation converts a template's `"5"`
//! to `5` where the schema says integer (templates are full of such strings: every `Number`
//! parameter is one); Cloud Control checks the desired state's JSON types as they are and
//! refuses it ("Model validation failed (#/VisibilityTimeout: expected type: Integer, found:
//! String)"). So before a create or an update, every string at a path the catalog types
//! integer, number or boolean ([`CatalogEntry::scalars`]) that reads as one is converted;
//! anything else is sent as it is, for Cloud Control to judge.

use infra_registry::catalog::{CatalogEntry, ScalarType};
use serde_json::{Map, Value};

/// `value` with the strings at the catalog's integer, number and boolean paths converted.
pub(crate) fn with_schema_types(entry: &CatalogEntry, value: Value) -> Value {
    if entry.scalars.is_empty() {
        return value;
    }
    convert(entry, value, "")
}

fn convert(entry: &CatalogEntry, value: Value, path: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, child)| {
                    let at = join(path, &key);
                    let converted = convert(entry, child, &at);
                    (key, converted)
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| convert(entry, item, &join(path, &i.to_string())))
                .collect(),
        ),
        Value::String(text) if !path.is_empty() => match entry.scalar_type(path) {
            Some(kind) => typed(kind, &text).unwrap_or(Value::String(text)),
            None => Value::String(text),
        },
        other => other,
    }
}

/// `text` as a value of `kind`, when it reads as one.
fn typed(kind: ScalarType, text: &str) -> Option<Value> {
    let text = text.trim();
    match kind {
        ScalarType::Integer => text.parse::<i64>().ok().map(Value::from),
        ScalarType::Number => match text.parse::<i64>() {
            Ok(whole) => Some(Value::from(whole)),
            Err(_) => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
        },
        ScalarType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}/{key}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(type_name: &str) -> &'static CatalogEntry {
        infra_registry::catalog::lookup(type_name).expect("in the catalog")
    }

    #[test]
    fn strings_at_typed_paths_become_numbers_and_booleans() {
        let queue = entry("AWS::SQS::Queue");
        let desired = json!({
            "QueueName": "jobs",
            "VisibilityTimeout": "30",
            "FifoQueue": "TRUE",
            "RedrivePolicy": {"maxReceiveCount": "5"},
            "Tags": [{"Key": "n", "Value": "5"}]
        });
        assert_eq!(
            with_schema_types(queue, desired),
            json!({
                "QueueName": "jobs",
                "VisibilityTimeout": 30,
                "FifoQueue": true,
                // RedrivePolicy is a free-form JSON object in the schema: left as it is.
                "RedrivePolicy": {"maxReceiveCount": "5"},
                "Tags": [{"Key": "n", "Value": "5"}]
            })
        );
    }

    #[test]
    fn nested_and_list_paths_are_converted_and_what_does_not_read_is_kept() {
        let stream = entry("AWS::Kinesis::Stream");
        let desired = json!({
            "RetentionPeriodHours": "24",
            "ShardCount": "two",
            "WarmThroughputObject": {"TargetMiBps": "10"}
        });
        assert_eq!(
            with_schema_types(stream, desired),
            json!({
                "RetentionPeriodHours": 24,
                "ShardCount": "two",
                "WarmThroughputObject": {"TargetMiBps": 10}
            })
        );
        let group = entry("AWS::EC2::SecurityGroup");
        let rules = json!({"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": "80", "ToPort": 80}]});
        assert_eq!(
            with_schema_types(group, rules),
            json!({"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80}]})
        );
    }
}
