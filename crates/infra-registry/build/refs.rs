//! `$ref` resolution inside one resource provider schema. Provider schemas only
//! refer to their own `#/definitions/...`.

use serde_json::Value;

const DEFINITIONS_PREFIX: &str = "#/definitions/";

/// The definition name in a `$ref` value, e.g. `Tag` for `#/definitions/Tag`.
pub fn definition_name(reference: &Value) -> Result<&str, String> {
    let text = reference
        .as_str()
        .ok_or_else(|| format!("`$ref` must be a string, found {reference}"))?;
    text.strip_prefix(DEFINITIONS_PREFIX)
        .filter(|name| !name.is_empty() && !name.contains('/'))
        .ok_or_else(|| {
            format!("unsupported `$ref` {text:?}: only `#/definitions/<Name>` is supported")
        })
}

/// The definition `name` of `schema`.
pub fn definition<'a>(schema: &'a Value, name: &str) -> Result<&'a Value, String> {
    schema
        .get("definitions")
        .and_then(|definitions| definitions.get(name))
        .ok_or_else(|| format!("`$ref` to #/definitions/{name}, which the schema does not define"))
}
