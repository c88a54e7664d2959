//! `AWS::Logs::LogGroup` properties: the keys and the log group's own fields are generated
//! from the schema (`crates/infra-aws/mappings/logs.toml`, read into the SDK's `LogGroup`);
//! this reads the rest (the policy documents, the tags, `BearerTokenAuthenticationEnabled`)
//! into a [`Spec`].

use crate::providers::kit::prelude::*;
use aws_sdk_cloudwatchlogs::types::LogGroup;

use crate::generated::logs::{LOG_GROUP, log_group};

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Spec {
    /// Name, retention, KMS key, class and deletion protection.
    pub(super) group: LogGroup,
    pub(super) data_protection: Option<Value>,
    pub(super) index_policy: Option<Value>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::root(value, ctx, LOG_GROUP)?;
    if props.bool("BearerTokenAuthenticationEnabled")? == Some(true) {
        return Err(ctx.fatal(
            "property BearerTokenAuthenticationEnabled: true is not supported yet (the AWS SDK \
             infra is built with has no call to enable it); leave it out or set it to false",
        ));
    }
    let index_policy = match props.get("FieldIndexPolicies") {
        None => None,
        Some(Value::Array(items)) if items.len() <= 1 => {
            let parsed = items.first().map(kit::parse_document).transpose();
            parsed.map_err(|why| ctx.fatal(format!("property FieldIndexPolicies: {why}")))?
        }
        Some(Value::Array(items)) => {
            return Err(ctx.fatal(format!(
                "property FieldIndexPolicies holds {} policies; a log group has at most one",
                items.len()
            )));
        }
        Some(_) => {
            return Err(ctx.fatal("property FieldIndexPolicies must be a list of policy documents"));
        }
    };
    Ok(Spec {
        group: log_group(&props)?,
        data_protection: props.document("DataProtectionPolicy")?,
        index_policy,
        tags: props.tags("Tags")?,
    })
}
