//! Rule conditions: from the template to the SDK's [`RuleCondition`], and back in the
//! template's shape.

use aws_sdk_elasticloadbalancingv2::types::{
    HostHeaderConditionConfig, HttpHeaderConditionConfig, HttpRequestMethodConditionConfig,
    PathPatternConditionConfig, QueryStringConditionConfig, QueryStringKeyValuePair, RuleCondition,
    SourceIpConditionConfig,
};
use serde_json::{Value, json};

use crate::provider::ProviderError;
use crate::providers::elbv2::json::{object, s, strings};
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

/// A condition config's `Values` and `RegexValues`.
type ValuesAndRegex = (Option<Vec<String>>, Option<Vec<String>>);

const CONDITION_KEYS: &[&str] = &[
    "Field",
    "Values",
    "RegexValues",
    "HostHeaderConfig",
    "PathPatternConfig",
    "HttpHeaderConfig",
    "HttpRequestMethodConfig",
    "QueryStringConfig",
    "SourceIpConfig",
];

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
        .map(|(i, item)| parse_condition(item, &format!("{path}[{i}]"), ctx))
        .collect()
}

fn parse_condition(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<RuleCondition, ProviderError> {
    let obj = Props::object(value, path, ctx, Keys::with(CONDITION_KEYS, &[]).listed())?;
    let values_and_regex = |key: &str| -> Result<ValuesAndRegex, ProviderError> {
        match obj.get(key) {
            None => Ok((None, None)),
            Some(v) => {
                let o = Props::object(
                    v,
                    obj.at(key),
                    ctx,
                    Keys::with(&["Values", "RegexValues"], &[]).listed(),
                )?;
                Ok((o.strs("Values")?, o.strs("RegexValues")?))
            }
        }
    };
    let mut condition = RuleCondition::builder()
        .set_field(obj.str("Field")?)
        .set_values(obj.strs("Values")?)
        .set_regex_values(obj.strs("RegexValues")?);
    if obj.get("HostHeaderConfig").is_some() {
        let (values, regex) = values_and_regex("HostHeaderConfig")?;
        condition = condition.host_header_config(
            HostHeaderConditionConfig::builder()
                .set_values(values)
                .set_regex_values(regex)
                .build(),
        );
    }
    if obj.get("PathPatternConfig").is_some() {
        let (values, regex) = values_and_regex("PathPatternConfig")?;
        condition = condition.path_pattern_config(
            PathPatternConditionConfig::builder()
                .set_values(values)
                .set_regex_values(regex)
                .build(),
        );
    }
    if let Some(v) = obj.get("HttpHeaderConfig") {
        let o = Props::object(
            v,
            obj.at("HttpHeaderConfig"),
            ctx,
            Keys::with(&["HttpHeaderName", "Values", "RegexValues"], &[]).listed(),
        )?;
        condition = condition.http_header_config(
            HttpHeaderConditionConfig::builder()
                .set_http_header_name(o.str("HttpHeaderName")?)
                .set_values(o.strs("Values")?)
                .set_regex_values(o.strs("RegexValues")?)
                .build(),
        );
    }
    if let Some(v) = obj.get("HttpRequestMethodConfig") {
        let o = Props::object(
            v,
            obj.at("HttpRequestMethodConfig"),
            ctx,
            Keys::with(&["Values"], &[]).listed(),
        )?;
        condition = condition.http_request_method_config(
            HttpRequestMethodConditionConfig::builder()
                .set_values(o.strs("Values")?)
                .build(),
        );
    }
    if let Some(v) = obj.get("QueryStringConfig") {
        let o = Props::object(
            v,
            obj.at("QueryStringConfig"),
            ctx,
            Keys::with(&["Values"], &[]).listed(),
        )?;
        let mut pairs = Vec::new();
        for (i, item) in o.list("Values")?.iter().enumerate() {
            let item_path = format!("{}[{i}]", o.at("Values"));
            let pair = Props::object(
                item,
                &item_path,
                ctx,
                Keys::with(&["Key", "Value"], &[]).listed(),
            )?;
            pairs.push(
                QueryStringKeyValuePair::builder()
                    .set_key(pair.str("Key")?)
                    .set_value(pair.str("Value")?)
                    .build(),
            );
        }
        condition = condition.query_string_config(
            QueryStringConditionConfig::builder()
                .set_values(Some(pairs))
                .build(),
        );
    }
    if let Some(v) = obj.get("SourceIpConfig") {
        let o = Props::object(
            v,
            obj.at("SourceIpConfig"),
            ctx,
            Keys::with(
                &["Values"],
                &[(
                    "IpAddressType",
                    "the AWS SDK infra is built with has no field for it; leave it out (AWS \
                 infers the type from the CIDR blocks)",
                )],
            )
            .listed(),
        )?;
        condition = condition.source_ip_config(
            SourceIpConditionConfig::builder()
                .set_values(o.strs("Values")?)
                .build(),
        );
    }
    Ok(condition.build())
}

/// A condition as the template writes it.
pub(in crate::providers::elbv2) fn condition_json(c: &RuleCondition) -> Value {
    let values_and_regex = |values: &[String], regex: &[String]| {
        object(vec![
            ("Values", strings(values)),
            ("RegexValues", strings(regex)),
        ])
    };
    object(vec![
        ("Field", s(c.field())),
        ("Values", strings(c.values())),
        ("RegexValues", strings(c.regex_values())),
        (
            "HostHeaderConfig",
            c.host_header_config()
                .map(|h| values_and_regex(h.values(), h.regex_values())),
        ),
        (
            "PathPatternConfig",
            c.path_pattern_config()
                .map(|p| values_and_regex(p.values(), p.regex_values())),
        ),
        (
            "HttpHeaderConfig",
            c.http_header_config().map(|h| {
                object(vec![
                    ("HttpHeaderName", s(h.http_header_name())),
                    ("Values", strings(h.values())),
                    ("RegexValues", strings(h.regex_values())),
                ])
            }),
        ),
        (
            "HttpRequestMethodConfig",
            c.http_request_method_config()
                .map(|m| object(vec![("Values", strings(m.values()))])),
        ),
        (
            "QueryStringConfig",
            c.query_string_config().map(|q| {
                json!({"Values": q.values().iter().map(|p| object(vec![
                    ("Key", s(p.key())),
                    ("Value", s(p.value())),
                ])).collect::<Vec<_>>()})
            }),
        ),
        (
            "SourceIpConfig",
            c.source_ip_config()
                .map(|ip| object(vec![("Values", strings(ip.values()))])),
        ),
    ])
}
