//! The values of sensitive properties ([`infra_registry::sensitive_properties`]: a secret's
//! `SecretString`, a user's login password) are secrets of the deployment like NoEcho values,
//! even when written as literals: every printer redacts them.

use crate::model::Resource;
use crate::value::Value;

/// Adds to `secrets` the known text of every sensitive property of `resources` (each once).
pub(super) fn collect(resources: &[Resource], secrets: &mut Vec<String>) {
    for resource in resources {
        for path in infra_registry::sensitive_properties(&resource.type_name) {
            let segments: Vec<&str> = path.split('.').collect();
            texts_at(&resource.properties, &segments, secrets);
        }
    }
}

fn texts_at(value: &Value, path: &[&str], out: &mut Vec<String>) {
    match (path.split_first(), value) {
        (None, value) => {
            if let Some(text) = value.as_text().filter(|t| !t.is_empty())
                && !out.contains(&text)
            {
                out.push(text);
            }
        }
        (Some((&"*", rest)), Value::List(items)) => {
            items.iter().for_each(|item| texts_at(item, rest, out));
        }
        (Some((key, rest)), Value::Map(map)) => {
            if let Some(inner) = map.get(*key) {
                texts_at(inner, rest, out);
            }
        }
        _ => {}
    }
}
