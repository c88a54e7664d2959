//! AWS KMS: `AWS::KMS::Key` ([`key`]: created, updated, scheduled for deletion, refreshed key
//! by key, found by infra tags) and `AWS::KMS::Alias` ([`alias`]: refreshed with ListAliases,
//! found by its name and target, the natural key of an untaggable alias). Their keys, and a
//! key's DescribeKey metadata in the template's spelling, are generated from the schemas
//! (`scripts/generate-mappings`, `crates/infra-aws/mappings/kms.toml`).
//!
//! | KMS error | class |
//! |---|---|
//! | `MalformedPolicyDocumentException` naming a principal (a role made a moment ago, not visible to KMS yet; Terraform retries this too) | eventually consistent |
//! | anything else | the kit's table |

use std::fmt::Display;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::errors::Coded;
use crate::providers::kit::prelude::*;

pub(crate) mod alias;
pub(crate) mod key;

#[cfg(test)]
mod tests;

/// A KMS client and how its errors are named.
pub(crate) type Kms = Service<aws_sdk_kms::Client>;

impl Classify for Kms {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        let (code, message) = err.code_and_message().unwrap_or_default();
        if code == "MalformedPolicyDocumentException"
            && message.to_ascii_lowercase().contains("principal")
        {
            out.class = FailureClass::EventuallyConsistent;
        }
        out
    }
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let client = aws_sdk_kms::Client::new(config);
    let kms = Kms::new(client, "kms", endpoint_for(config, "kms", None));
    providers.insert(kit::native(key::KeyProvider { kms: kms.clone() }));
    providers.insert(kit::native(alias::AliasProvider { kms }));
}

/// The key id a key reference names: the id itself, or the id inside a key ARN
/// (`arn:aws:kms:…:key/ID`).
pub(crate) fn key_id_of(reference: &str) -> &str {
    reference
        .rsplit_once(":key/")
        .map_or(reference, |(_, id)| id)
}
