//! AWS Secrets Manager: `AWS::SecretsManager::Secret` ([`secret`]: properties and the secret
//! value, which never leaves the provider; [`value`]: the value sent, generated or given, and
//! how it is kept out of every message; refresh batched with ListSecrets by name, 10 names per
//! call, without ever reading a value).

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

pub(crate) mod secret;
pub(crate) mod value;

#[cfg(test)]
mod tests;

/// A Secrets Manager client and how its errors are named.
pub(crate) type SecretsManager = Service<aws_sdk_secretsmanager::Client>;

impl Classify for SecretsManager {}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let client = aws_sdk_secretsmanager::Client::new(config);
    let endpoint = endpoint_for(config, "secretsmanager", None);
    let sm = SecretsManager::new(client, "secretsmanager", endpoint);
    providers.insert(kit::native(secret::SecretProvider { sm }));
}
