//! The values of dynamic references (`{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}`,
//! `{{resolve:secretsmanager:...}}`; parsed by `infra_template::dynamic`), fetched at apply
//! time as CloudFormation resolves them: SSM `GetParameter` (decrypted for `ssm-secure`; a
//! `StringList` as its comma-separated text), Secrets Manager `GetSecretValue` (the secret
//! string, or one top-level key of its JSON).
//!
//! Values are returned to the caller only; an error names the reference, never a value.

use std::collections::BTreeMap;
use std::error::Error as StdError;

use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use infra_template::dynamic::DynamicRef;

use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// A dynamic reference that could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The call failed.
    #[error("resolving {reference}: {source}")]
    Call {
        /// The reference as written.
        reference: String,
        /// The AWS error.
        source: AwsError,
    },
    /// AWS answered, but not with what the reference asks for.
    #[error("resolving {reference}: {message}")]
    Value {
        /// The reference as written.
        reference: String,
        /// What is missing (never the value).
        message: String,
    },
}

/// The value of every reference, keyed by the reference as written.
pub async fn resolve(
    session: &AwsSession,
    references: &[DynamicRef],
) -> Result<BTreeMap<String, String>, ResolveError> {
    let config = session.sdk_config();
    let ssm = aws_sdk_ssm::Client::new(config);
    let secrets = aws_sdk_secretsmanager::Client::new(config);
    let mut values = BTreeMap::new();
    for reference in references {
        let written = reference.to_string();
        let value = match reference {
            DynamicRef::Ssm { name, version } | DynamicRef::SsmSecure { name, version } => {
                let selector = match version {
                    Some(v) => format!("{name}:{v}"),
                    None => name.clone(),
                };
                let out = ssm
                    .get_parameter()
                    .name(selector)
                    .with_decryption(reference.is_secret())
                    .send()
                    .await
                    .map_err(|e| failed(config, &written, ("ssm", "GetParameter"), e))?;
                out.parameter
                    .and_then(|p| p.value)
                    .ok_or_else(|| ResolveError::Value {
                        reference: written.clone(),
                        message: "SSM answered without a value".to_owned(),
                    })?
            }
            DynamicRef::SecretsManager {
                secret_id,
                json_key,
                version_stage,
                version_id,
            } => {
                let out = secrets
                    .get_secret_value()
                    .secret_id(secret_id)
                    .set_version_stage(version_stage.clone())
                    .set_version_id(version_id.clone())
                    .send()
                    .await
                    .map_err(|e| {
                        failed(config, &written, ("secretsmanager", "GetSecretValue"), e)
                    })?;
                let text = out.secret_string.ok_or_else(|| ResolveError::Value {
                    reference: written.clone(),
                    message: "the secret has no SecretString (a binary secret cannot be resolved)"
                        .to_owned(),
                })?;
                match json_key {
                    None => text,
                    Some(key) => {
                        json_key_of(&text, key).map_err(|message| ResolveError::Value {
                            reference: written.clone(),
                            message,
                        })?
                    }
                }
            }
        };
        values.insert(written, value);
    }
    Ok(values)
}

/// A failed call of `operation` of `service` while resolving `reference`.
fn failed<E>(
    config: &SdkConfig,
    reference: &str,
    (service, operation): (&str, &str),
    err: SdkError<E, HttpResponse>,
) -> ResolveError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let call = Call::new(service, operation, endpoint_for(config, service, None));
    ResolveError::Call {
        reference: reference.to_owned(),
        source: classify(err, &call),
    }
}

/// The top-level `key` of the secret string's JSON: a string as it is, any other value as
/// JSON text.
fn json_key_of(text: &str, key: &str) -> Result<String, String> {
    let document: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| format!("the secret string is not a JSON object, so it has no key `{key}`"))?;
    match document.get(key) {
        Some(serde_json::Value::String(value)) => Ok(value.clone()),
        Some(other) => Ok(other.to_string()),
        None => Err(format!("the secret's JSON has no top-level key `{key}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::json_key_of;

    #[test]
    fn a_json_key_is_taken_from_the_secret_string() {
        let secret = r#"{"user": "app", "port": 5432}"#;
        assert_eq!(json_key_of(secret, "user").as_deref(), Ok("app"));
        assert_eq!(json_key_of(secret, "port").as_deref(), Ok("5432"));
        let missing = json_key_of(secret, "password").expect_err("no such key");
        assert!(
            missing.contains("`password`") && !missing.contains("app"),
            "{missing}"
        );
        let plain = json_key_of("hunter2", "user").expect_err("not JSON");
        assert!(!plain.contains("hunter2"), "{plain}");
    }
}
