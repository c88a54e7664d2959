//! AWS Systems Manager Parameter Store: `AWS::SSM::Parameter` ([`parameter`]: properties,
//! create, update, delete, find by name and infra tags, refresh batched with GetParameters, 10
//! names per call).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::INFRA_TAG_PREFIX;

pub(crate) mod parameter;

#[cfg(test)]
mod tests;

/// Tags by key.
pub(crate) type Tags = BTreeMap<String, String>;

/// A Systems Manager client and how its errors are named.
pub(crate) type Ssm = Service<aws_sdk_ssm::Client>;

impl Classify for Ssm {}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let client = aws_sdk_ssm::Client::new(config);
    let ssm = Ssm::new(client, "ssm", endpoint_for(config, "ssm", None));
    providers.insert(kit::native(parameter::ParameterProvider { ssm }));
}

/// Tags written as a map (`Tags: {team: a}`, SSM's schema) as refresh reports them: without
/// infra's own and AWS's reserved ones; the previous value itself when it says the same
/// ([`as_written`](kit::as_written)).
pub(crate) fn observed_tag_map(found: &Tags, previous: Option<&Value>) -> Value {
    let kept = found
        .iter()
        .filter(|(k, _)| !k.starts_with(INFRA_TAG_PREFIX) && !k.starts_with("aws:"))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())));
    kit::as_written(Value::Object(kept.collect()), previous)
}
