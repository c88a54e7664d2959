//! Parameter values from `--parameter K=V` and `--parameters-file`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, bail};

/// Merges the parameters file (first) and `--parameter` flags (which win).
pub fn parameters(
    flags: &[String],
    file: Option<&Path>,
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read parameters file {}", path.display()))?;
        out.extend(
            parse_file(&text).with_context(|| format!("parameters file {}", path.display()))?,
        );
    }
    for f in flags {
        let Some((k, v)) = f.split_once('=') else {
            bail!("--parameter `{f}` must be KEY=VALUE");
        };
        if k.trim().is_empty() {
            bail!("--parameter `{f}` has an empty key");
        }
        out.insert(k.trim().to_string(), v.to_string());
    }
    Ok(out)
}

fn scalar(v: &serde_json::Value, key: &str) -> anyhow::Result<String> {
    Ok(match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| scalar(i, key))
            .collect::<anyhow::Result<Vec<_>>>()?
            .join(","),
        _ => bail!("value of `{key}` must be a string, number, boolean or list"),
    })
}

/// The keys of an entry of CloudFormation's list form.
const ENTRY_KEYS: &[&str] = &["ParameterKey", "ParameterValue", "UsePreviousValue"];

/// A JSON object's members in order, refusing a key given twice (serde_json would keep the
/// last one silently). The error carries the line and column.
struct Members(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members: Vec<(String, serde_json::Value)> = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    if members.iter().any(|(seen, _)| *seen == k) {
                        return Err(serde::de::Error::custom(format_args!(
                            "`{k}` is given twice"
                        )));
                    }
                    let v = map.next_value::<serde_json::Value>()?;
                    members.push((k, v));
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V)
    }
}

/// CloudFormation's `[{"ParameterKey": K, "ParameterValue": V}]` or a plain `{K: V}` object.
/// A parameter given twice, or an entry with a key CloudFormation does not define, is an error.
fn parse_file(text: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let json: serde_json::Value = serde_json::from_str(text).context("not valid JSON")?;
    let mut out = BTreeMap::new();
    match json {
        serde_json::Value::Object(_) => {
            let Members(members) = serde_json::from_str(text)?;
            for (k, v) in &members {
                out.insert(k.clone(), scalar(v, k)?);
            }
        }
        serde_json::Value::Array(items) => {
            if items.iter().all(serde_json::Value::is_object) {
                // Only to find a key repeated within an entry.
                let _: Vec<Members> = serde_json::from_str(text)?;
            }
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("ParameterKey")
                    .and_then(serde_json::Value::as_str)
                    .with_context(|| format!("entry {i} has no string ParameterKey"))?;
                if let Some(unknown) = item
                    .as_object()
                    .and_then(|o| o.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())))
                {
                    bail!(
                        "entry {i} (`{key}`) has an unknown key `{unknown}` (expected {})",
                        ENTRY_KEYS.join(", ")
                    );
                }
                if out.contains_key(key) {
                    bail!("entry {i}: parameter `{key}` is given twice");
                }
                if item
                    .get("UsePreviousValue")
                    .and_then(serde_json::Value::as_bool)
                    == Some(true)
                {
                    bail!(
                        "entry {i} (`{key}`): UsePreviousValue is not supported; give ParameterValue"
                    );
                }
                let value = item
                    .get("ParameterValue")
                    .with_context(|| format!("entry {i} (`{key}`) has no ParameterValue"))?;
                out.insert(key.to_string(), scalar(value, key)?);
            }
        }
        _ => {
            bail!("expected a list of {{ParameterKey, ParameterValue}} or an object of KEY: VALUE")
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_file_forms_are_read() {
        let a = parse_file(r#"[{"ParameterKey":"A","ParameterValue":"1"},{"ParameterKey":"B","ParameterValue":["x","y"]}]"#)
            .expect("list form");
        assert_eq!(a["A"], "1");
        assert_eq!(a["B"], "x,y");
        let b = parse_file(r#"{"A": 2, "B": "z"}"#).expect("object form");
        assert_eq!(b["A"], "2");
        assert_eq!(b["B"], "z");
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let e = parse_file(r#"[{"ParameterValue":"1"}]"#).expect_err("no key");
        assert!(e.to_string().contains("ParameterKey"), "{e}");
        let e = parse_file("3").expect_err("scalar");
        assert!(e.to_string().contains("expected a list"), "{e}");
        let e = parse_file("{").expect_err("json");
        assert!(e.to_string().contains("not valid JSON"), "{e}");
    }

    #[test]
    fn repeated_and_unknown_keys_are_refused() {
        let e = parse_file("{\"A\": 1,\n \"A\": 2}").expect_err("object form");
        assert_eq!(e.to_string(), "`A` is given twice at line 2 column 4");
        let e = parse_file(
            r#"[{"ParameterKey":"A","ParameterValue":"1"},{"ParameterKey":"A","ParameterValue":"2"}]"#,
        )
        .expect_err("list form");
        assert_eq!(e.to_string(), "entry 1: parameter `A` is given twice");
        let e = parse_file(r#"[{"ParameterKey":"A","ParameterValue":"1","ParameterValue":"2"}]"#)
            .expect_err("within an entry");
        assert!(
            e.to_string().contains("`ParameterValue` is given twice"),
            "{e}"
        );
        let e = parse_file(r#"[{"ParameterKey":"A","Value":"1"}]"#).expect_err("unknown key");
        assert!(e.to_string().contains("unknown key `Value`"), "{e}");
    }

    #[test]
    fn flags_override_the_file_and_need_an_equals_sign() {
        let p = parameters(&["A=b=c".into()], None).expect("valid");
        assert_eq!(p["A"], "b=c");
        assert!(parameters(&["A".into()], None).is_err());
        assert!(parameters(&["=x".into()], None).is_err());
    }
}
