//! The secret value a create or update stores, and how it is kept inside the provider.
//!
//! - Given (`SecretString`): sent as it is.
//! - Generated (`GenerateSecretString`): GetRandomPassword with the template's settings, then,
//!   with `SecretStringTemplate` and `GenerateStringKey`, the template's JSON object with the
//!   password added under that key (`{"username": "app"}` becomes `{"username": "app",
//!   "password": "…"}`), as CloudFormation stores it ([`compose`]).
//!
//! A value is a [`Secret`]: its `Debug` prints a placeholder, and [`Secret::scrub`] removes it
//! (and the password inside a composed one) from an error's message before the error leaves
//! the provider, in case AWS echoes it. It is never returned in attributes, never read back
//! (no GetSecretValue), and refresh reports `SecretString` and `GenerateSecretString` as last
//! applied, as their schema marks them write-only.

use std::fmt;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

use super::SecretsManager;
use crate::generated::secretsmanager::{
    GENERATE_SECRET_STRING, GetRandomPasswordInputBuilder, get_random_password,
};

/// A secret value, and for a generated one the password inside it. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret {
    text: String,
    password: Option<String>,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    /// A value the template gives.
    pub(crate) fn given(text: String) -> Self {
        Secret {
            text,
            password: None,
        }
    }

    /// The text stored in Secrets Manager.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// `err` with every occurrence of the value, and of the password inside it, replaced by
    /// `[secret value]` (also as JSON escapes them).
    pub(crate) fn scrub(&self, mut err: ProviderError) -> ProviderError {
        let values = [Some(&self.text), self.password.as_ref()];
        for s in values.into_iter().flatten() {
            let escaped = Value::String(s.clone()).to_string();
            let escaped = escaped[1..escaped.len() - 1].to_owned();
            for form in [s.as_str(), escaped.as_str()] {
                if !form.is_empty() {
                    err.message = err.message.replace(form, "[secret value]");
                }
            }
        }
        err
    }
}

/// How to generate the value (`GenerateSecretString`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Generate {
    /// GetRandomPassword's request: the template's settings (read by the generated reader).
    pub(crate) request: GetRandomPasswordInputBuilder,
    pub(crate) template: Option<Map<String, Value>>,
    pub(crate) key: Option<String>,
}

/// `GenerateSecretString` of the properties `p`, when set.
pub(crate) fn parse_generate(p: &Props<'_>) -> Result<Option<Generate>, ProviderError> {
    let Some(g) = p.obj("GenerateSecretString", GENERATE_SECRET_STRING)? else {
        return Ok(None);
    };
    let object = |text: String| match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(g.fatal(
            "SecretStringTemplate",
            "must be a JSON object (the generated password is added to it)",
        )),
    };
    let template = g.str("SecretStringTemplate")?.map(object).transpose()?;
    let key = g.str("GenerateStringKey")?;
    if template.is_some() != key.is_some() {
        return Err(p.fatal(
            "GenerateSecretString",
            "SecretStringTemplate and GenerateStringKey go together (the password is added to \
             the template's JSON under that key): set both, or neither to store the password \
             alone",
        ));
    }
    Ok(Some(Generate {
        request: get_random_password(&g, GetRandomPasswordInputBuilder::default())?,
        template,
        key,
    }))
}

/// A new value from `g`: GetRandomPassword, then [`compose`].
pub(crate) async fn generate(sm: &SecretsManager, ctx: Ctx<'_>, g: &Generate) -> R<Secret> {
    let doing = "generating the secret value";
    let sent = g.request.clone().send_with(&sm.client).await;
    let out = sent.map_err(|e| kit::failed(sm, ctx, doing, e))?;
    let password = out.random_password().filter(|p| !p.is_empty());
    let password = password.ok_or_else(|| ctx.fatal(format!("{doing}: AWS returned none")))?;
    Ok(compose(g, password.to_owned()))
}

/// What CloudFormation stores for a generated `password`: the password alone, or the
/// template's object with the password under `GenerateStringKey` (replacing a value the
/// template has there).
pub(crate) fn compose(g: &Generate, password: String) -> Secret {
    let text = match (&g.template, &g.key) {
        (Some(template), Some(key)) => {
            let mut doc = template.clone();
            doc.insert(key.clone(), Value::String(password.clone()));
            Value::Object(doc).to_string()
        }
        _ => password.clone(),
    };
    Secret {
        text,
        password: Some(password),
    }
}

/// Whether the value `after` differs from `before`, the `SecretString` of the last applied
/// properties as the engine hands them over: the value itself, the state's redaction marker
/// of a NoEcho value (compared by its salted digest), or absent.
pub(crate) fn changed(before: Option<&Value>, after: &Secret) -> bool {
    let Some(before) = before.filter(|b| !b.is_null()) else {
        return true;
    };
    let after_text = Value::String(after.text.clone());
    match infra_state::redact::marker_matches(before, &after_text) {
        Some(same) => !same,
        None => scalar_text(before).as_deref() != Some(after.text()),
    }
}

/// The ClientRequestToken (the first version's id) of a create: derived from the create's
/// checkpoint key, the same across retries and runs, so a create sent again is recognised
/// (Secrets Manager ignores a CreateSecret whose token and value match a version it has, and
/// `create` adopts the secret whose versions hold the token). Without a key (a provider called
/// outside the engine) from the address. Shaped as a UUID, as Secrets Manager recommends.
pub(crate) fn version_token(key: &str, address: &str) -> String {
    let seed = if key.is_empty() {
        format!("secretsmanager\naddress\n{address}")
    } else {
        format!("secretsmanager\n{key}")
    };
    let d = infra_state::sha256_hex(seed.as_bytes());
    [&d[0..8], &d[8..12], &d[12..16], &d[16..20], &d[20..32]].join("-")
}
