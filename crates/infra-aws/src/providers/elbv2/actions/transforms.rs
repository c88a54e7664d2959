//! Rule transforms (host header and URL rewrites): from the template to the SDK's
//! [`RuleTransform`] and back in the template's shape, both generated from the schema
//! (`generated/elbv2.rs`, `mappings/elbv2.toml`).

use aws_sdk_elasticloadbalancingv2::types::RuleTransform;
use serde_json::Value;

use crate::generated::elbv2::{TRANSFORM, report_rule_transform, rule_transform};
use crate::provider::ProviderError;
use crate::providers::kit::{self, Ctx, Props};

/// A rule's `Transforms` (absent = none).
pub(in crate::providers::elbv2) fn parse_transforms(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<RuleTransform>, ProviderError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    kit::list(value, path, ctx)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            rule_transform(&Props::object(
                item,
                format!("{path}[{i}]"),
                ctx,
                TRANSFORM,
            )?)
        })
        .collect()
}

/// A transform as the template writes it.
pub(in crate::providers::elbv2) fn transform_json(t: &RuleTransform) -> Value {
    report_rule_transform(t)
}
