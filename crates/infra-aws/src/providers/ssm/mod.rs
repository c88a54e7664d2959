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
/// infra's own and AWS's reserved ones; the previous value itself when it says the same.
pub(crate) fn observed_tag_map(
    found: &BTreeMap<String, String>,
    previous: Option<&Value>,
) -> Value {
    let kept: serde_json::Map<String, Value> = found
        .iter()
        .filter(|(k, _)| !k.starts_with(INFRA_TAG_PREFIX) && !k.starts_with("aws:"))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let kept_text = |k: &String| kept.get(k).and_then(Value::as_str);
    let same_text = |(k, v): (&String, &Value)| scalar_text(v).as_deref() == kept_text(k);
    let same = |prev: &Value| {
        let prev = prev.as_object();
        prev.is_some_and(|p| p.len() == kept.len() && p.iter().all(same_text))
    };
    match previous {
        Some(prev) if same(prev) => prev.clone(),
        _ => Value::Object(kept),
    }
}
