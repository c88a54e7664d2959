//! Log group tags: the CloudWatch Logs limit, the ARN the tagging calls take, and reading a
//! group's tags (ListTagsForResource).

use std::collections::BTreeMap;

use aws_sdk_cloudwatchlogs::types::LogGroup;

use super::Logs;
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

/// CloudWatch Logs allows 50 tags per log group.
const MAX_TAGS: usize = 50;

/// The log group ARN the tagging calls take: DescribeLogGroups' `logGroupArn`, or its `arn`
/// without the trailing `:*`.
pub(super) fn tagging_arn(group: &LogGroup) -> Option<String> {
    group
        .log_group_arn()
        .map(str::to_owned)
        .or_else(|| group.arn().map(|a| a.trim_end_matches(":*").to_owned()))
}

pub(super) fn check_tags(
    ctx: Ctx<'_>,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    if tags.len() > MAX_TAGS {
        return Err(ctx.fatal(format!(
            "{} tags (the template's and infra's own) are more than the {MAX_TAGS} CloudWatch Logs allows",
            tags.len()
        )));
    }
    Ok(())
}

pub(super) async fn tags_of(
    logs: &Logs,
    ctx: Ctx<'_>,
    group: &LogGroup,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let name = group.log_group_name().unwrap_or_default();
    let arn = tagging_arn(group).ok_or_else(|| {
        ctx.fatal(format!(
            "DescribeLogGroups gave no ARN for log group {name}"
        ))
    })?;
    let out = logs
        .client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .map_err(|e| {
            ctx.fail(
                format!("reading the tags of log group {name}"),
                logs.api.err("ListTagsForResource", e),
            )
        })?;
    Ok(out
        .tags()
        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default())
}
