//! Log group tags: the CloudWatch Logs limit, the ARN the tagging calls take, and reading a
//! group's tags (ListTagsForResource).

use std::collections::BTreeMap;

use aws_sdk_cloudwatchlogs::types::LogGroup;

use super::Logs;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

/// CloudWatch Logs allows 50 tags per log group.
const MAX_TAGS: usize = 50;

/// The log group ARN the tagging calls take: DescribeLogGroups' `logGroupArn`, or its `arn`
/// without the trailing `:*`.
pub(super) fn tagging_arn(ctx: Ctx<'_>, group: &LogGroup) -> R<String> {
    let arn = group.log_group_arn().map(str::to_owned);
    let arn = arn.or_else(|| group.arn().map(|a| a.trim_end_matches(":*").to_owned()));
    let name = group.log_group_name().unwrap_or_default();
    let why = || format!("DescribeLogGroups gave no ARN for log group {name}");
    arn.ok_or_else(|| ctx.fatal(why()))
}

pub(super) fn check_tags(ctx: Ctx<'_>, tags: &BTreeMap<String, String>) -> R<()> {
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
) -> R<BTreeMap<String, String>> {
    let name = group.log_group_name().unwrap_or_default();
    let arn = tagging_arn(ctx, group)?;
    let request = logs.client.list_tags_for_resource().resource_arn(&arn);
    let doing = format!("reading the tags of log group {name}");
    let out = send!(logs, ctx, request, doing)?;
    Ok(out.tags.unwrap_or_default().into_iter().collect())
}
