//! Dynamic references: `{{resolve:ssm:NAME}}`, `{{resolve:ssm-secure:NAME}}` and
//! `{{resolve:secretsmanager:SECRET:SecretString:KEY:STAGE:VERSION}}` inside string values, as
//! CloudFormation documents them
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html>).
//!
//! A template keeps them as written: the plan shows the reference, the state records it, and
//! only the apply replaces each by its value, in the properties it hands a provider
//! ([`substitute`]); the value is never stored or printed. This module only finds and parses
//! them ([`references`], [`DynamicRef::parse`]); fetching their values is the caller's (it calls
//! AWS).

use std::collections::BTreeMap;
use std::fmt;

/// Where a dynamic reference's value lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DynamicRef {
    /// `{{resolve:ssm:NAME[:VERSION]}}`: a `String` or `StringList` parameter.
    Ssm {
        /// The parameter's name (or ARN).
        name: String,
        /// A version number, when given.
        version: Option<u64>,
    },
    /// `{{resolve:ssm-secure:NAME[:VERSION]}}`: a `SecureString` parameter, decrypted.
    SsmSecure {
        /// The parameter's name (or ARN).
        name: String,
        /// A version number, when given.
        version: Option<u64>,
    },
    /// `{{resolve:secretsmanager:SECRET[:SecretString[:KEY[:STAGE[:VERSION]]]]}}`.
    SecretsManager {
        /// The secret's name or full ARN.
        secret_id: String,
        /// The top-level key of the secret string's JSON to take, else the whole string.
        json_key: Option<String>,
        /// The version stage (`AWSCURRENT` when neither it nor a version id is given).
        version_stage: Option<String>,
        /// The version id.
        version_id: Option<String>,
    },
}

impl DynamicRef {
    /// Whether the value is a secret (never shown): `ssm-secure` and `secretsmanager`.
    pub fn is_secret(&self) -> bool {
        !matches!(self, DynamicRef::Ssm { .. })
    }

    /// Parses the text between `{{resolve:` and `}}`.
    pub fn parse(body: &str) -> Result<DynamicRef, String> {
        let (service, rest) = body
            .split_once(':')
            .ok_or_else(|| format!("`{{{{resolve:{body}}}}}` names no service"))?;
        match service {
            "ssm" | "ssm-secure" => {
                let (name, version) = ssm_name_and_version(rest)?;
                Ok(if service == "ssm" {
                    DynamicRef::Ssm { name, version }
                } else {
                    DynamicRef::SsmSecure { name, version }
                })
            }
            "secretsmanager" => secrets_manager(rest),
            other => Err(format!(
                "`{{{{resolve:{body}}}}}`: unknown service `{other}` (CloudFormation resolves ssm, ssm-secure and secretsmanager)"
            )),
        }
    }
}

impl fmt::Display for DynamicRef {
    /// The reference as a template writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DynamicRef::Ssm { name, version } | DynamicRef::SsmSecure { name, version } => {
                let service = if matches!(self, DynamicRef::Ssm { .. }) {
                    "ssm"
                } else {
                    "ssm-secure"
                };
                write!(f, "{{{{resolve:{service}:{name}")?;
                if let Some(v) = version {
                    write!(f, ":{v}")?;
                }
                write!(f, "}}}}")
            }
            DynamicRef::SecretsManager {
                secret_id,
                json_key,
                version_stage,
                version_id,
            } => {
                let mut parts: Vec<&str> = vec![secret_id, "SecretString"];
                parts.extend(
                    [json_key, version_stage, version_id].map(|p| p.as_deref().unwrap_or("")),
                );
                while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
                    parts.pop();
                }
                if parts.len() == 2 {
                    parts.pop();
                }
                let text = format!("{{{{resolve:secretsmanager:{}", parts.join(":"));
                write!(f, "{text}}}}}")
            }
        }
    }
}

fn ssm_name_and_version(rest: &str) -> Result<(String, Option<u64>), String> {
    let (name, version) = match rest.rsplit_once(':') {
        Some((name, version))
            if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let number = version
                .parse::<u64>()
                .map_err(|_| format!("parameter version `{version}` is too large"))?;
            (name, Some(number))
        }
        _ => (rest, None),
    };
    if name.is_empty() {
        return Err("an ssm dynamic reference names no parameter".to_owned());
    }
    Ok((name.to_owned(), version))
}

fn secrets_manager(rest: &str) -> Result<DynamicRef, String> {
    // A full ARN holds colons of its own: arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME.
    let parts: Vec<&str> = rest.split(':').collect();
    let id_len = if rest.starts_with("arn:") { 7 } else { 1 };
    if parts.len() < id_len || parts[..id_len].iter().any(|p| p.is_empty()) {
        return Err(format!(
            "`{{{{resolve:secretsmanager:{rest}}}}}` names no secret (a name or a full ARN)"
        ));
    }
    let secret_id = parts[..id_len].join(":");
    let tail = &parts[id_len..];
    if tail.len() > 4 {
        return Err(format!(
            "`{{{{resolve:secretsmanager:{rest}}}}}` has more parts than SECRET:SecretString:KEY:STAGE:VERSION"
        ));
    }
    if let Some(kind) = tail
        .first()
        .filter(|k| !k.is_empty() && **k != "SecretString")
    {
        return Err(format!(
            "`{{{{resolve:secretsmanager:{rest}}}}}`: `{kind}` is not `SecretString`, the only value type CloudFormation resolves"
        ));
    }
    let part = |i: usize| {
        tail.get(i)
            .filter(|p| !p.is_empty())
            .map(|p| (*p).to_owned())
    };
    let (version_stage, version_id) = (part(2), part(3));
    if version_stage.is_some() && version_id.is_some() {
        return Err(format!(
            "`{{{{resolve:secretsmanager:{rest}}}}}` gives both a version stage and a version id; give one"
        ));
    }
    Ok(DynamicRef::SecretsManager {
        secret_id,
        json_key: part(1),
        version_stage,
        version_id,
    })
}

/// Every dynamic reference in the strings of `value` (an evaluated property document), each
/// once, or the first one that does not parse.
pub fn references(value: &serde_json::Value) -> Result<Vec<DynamicRef>, String> {
    let mut found = Vec::new();
    walk_strings(value, &mut |text| {
        for body in bodies(text) {
            let reference = DynamicRef::parse(body)?;
            if !found.contains(&reference) {
                found.push(reference);
            }
        }
        Ok(())
    })?;
    Ok(found)
}

/// Whether `text` holds a dynamic reference.
pub fn has_reference(text: &str) -> bool {
    bodies(text).next().is_some()
}

/// `value` with every dynamic reference replaced by its value in `values` (the key is the
/// reference as written, [`DynamicRef`]'s `Display`); a reference without a value is an error
/// naming it.
pub fn substitute(
    value: &serde_json::Value,
    values: &BTreeMap<String, String>,
) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    Ok(match value {
        Value::String(text) if has_reference(text) => {
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(start) = rest.find("{{resolve:") {
                out.push_str(&rest[..start]);
                let after = &rest[start + "{{resolve:".len()..];
                let Some(end) = after.find("}}") else {
                    out.push_str(&rest[start..]);
                    rest = "";
                    break;
                };
                let reference = DynamicRef::parse(&after[..end])?;
                let key = reference.to_string();
                let resolved = values
                    .get(&key)
                    .ok_or_else(|| format!("the dynamic reference {key} was not resolved"))?;
                out.push_str(resolved);
                rest = &after[end + 2..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, values))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, values)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// The texts between `{{resolve:` and the next `}}`.
fn bodies(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find("{{resolve:")?;
        let after = &rest[start + "{{resolve:".len()..];
        let end = after.find("}}")?;
        rest = &after[end + 2..];
        Some(&after[..end])
    })
}

fn walk_strings(
    value: &serde_json::Value,
    f: &mut dyn FnMut(&str) -> Result<(), String>,
) -> Result<(), String> {
    use serde_json::Value;
    match value {
        Value::String(text) => f(text),
        Value::Array(items) => items.iter().try_for_each(|v| walk_strings(v, f)),
        Value::Object(map) => map.values().try_for_each(|v| walk_strings(v, f)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parses_each_form_and_writes_it_back() {
        for text in [
            "{{resolve:ssm:/app/db/host}}",
            "{{resolve:ssm:/app/db/host:3}}",
            "{{resolve:ssm-secure:/app/db/password}}",
            "{{resolve:secretsmanager:MySecret}}",
            "{{resolve:secretsmanager:MySecret:SecretString:password}}",
            "{{resolve:secretsmanager:MySecret:SecretString:password:AWSPREVIOUS}}",
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:SecretString:user}}",
        ] {
            let body = &text["{{resolve:".len()..text.len() - 2];
            let parsed = DynamicRef::parse(body).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed.to_string(), text);
        }
        let arn = DynamicRef::parse(
            "secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        )
        .expect("an ARN");
        assert_eq!(
            arn,
            DynamicRef::SecretsManager {
                secret_id: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf".into(),
                json_key: None,
                version_stage: None,
                version_id: None,
            }
        );
        assert!(!DynamicRef::parse("ssm:/a").expect("ssm").is_secret());
        assert!(
            DynamicRef::parse("ssm-secure:/a")
                .expect("secure")
                .is_secret()
        );
    }

    #[test]
    fn bad_references_name_what_is_wrong() {
        let error = |body: &str| DynamicRef::parse(body).expect_err(body);
        assert!(error("vault:x").contains("unknown service `vault`"));
        assert!(error("ssm:").contains("names no parameter"));
        assert!(error("secretsmanager:").contains("names no secret"));
        assert!(error("secretsmanager:s:SecretBinary").contains("SecretString"));
        assert!(error("secretsmanager:s:SecretString:k:AWSCURRENT:v1").contains("both"));
        assert!(error("secretsmanager:s:SecretString:k:st::x").contains("more parts"));
    }

    #[test]
    fn finds_and_substitutes_references_inside_strings() {
        let value = json!({
            "Url": "postgres://{{resolve:ssm:/db/host}}:5432/{{resolve:ssm:/db/name:2}}",
            "Password": "{{resolve:secretsmanager:db:SecretString:password}}",
            "List": ["{{resolve:ssm:/db/host}}", 5],
            "Plain": "{{ not a reference }}"
        });
        let found = references(&value).expect("parses");
        assert_eq!(found.len(), 3, "{found:?}");
        let values: BTreeMap<String, String> = [
            ("{{resolve:ssm:/db/host}}", "db.internal"),
            ("{{resolve:ssm:/db/name:2}}", "orders"),
            (
                "{{resolve:secretsmanager:db:SecretString:password}}",
                "s3cret",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            substitute(&value, &values).expect("all resolved"),
            json!({
                "Url": "postgres://db.internal:5432/orders",
                "Password": "s3cret",
                "List": ["db.internal", 5],
                "Plain": "{{ not a reference }}"
            })
        );
        let missing = substitute(&json!("{{resolve:ssm:/other}}"), &values).expect_err("missing");
        assert!(missing.contains("{{resolve:ssm:/other}}"), "{missing}");
    }
}
