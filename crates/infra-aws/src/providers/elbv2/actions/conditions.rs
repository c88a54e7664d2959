//! Rule conditions: from the template to the SDK's [`RuleCondition`] and back in the template's
//! shape, both generated from the schema (`generated/elbv2.rs`, `mappings/elbv2.toml`, where
//! `SourceIpConfig.IpAddressType` is refused by name).

use aws_sdk_elasticloadbalancingv2::types::RuleCondition;
use serde_json::Value;

use crate::generated::elbv2::{RULE_CONDITION, report_rule_condition, rule_condition};
use crate::provider::ProviderError;
use crate::providers::kit::{self, Ctx, Props};

/// A rule's `Conditions`.
pub(in crate::providers::elbv2) fn parse_conditions(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<RuleCondition>, ProviderError> {
    let Some(value) = value else {
        return Err(ctx.fatal(format!("property {path} is required")));
    };
    kit::list(value, path, ctx)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            rule_condition(&Props::object(
                item,
                format!("{path}[{i}]"),
                ctx,
                RULE_CONDITION,
            )?)
        })
        .collect()
}

/// A condition as the template writes it.
pub(in crate::providers::elbv2) fn condition_json(c: &RuleCondition) -> Value {
    report_rule_condition(c)
}
