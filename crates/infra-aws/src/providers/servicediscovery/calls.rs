//! What every Cloud Map provider calls: the `CreatorRequestId` of a create, waiting for an
//! operation (GetOperation), tags (ListTagsForResource, TagResource, UntagResource) and the
//! SDK builders that check required members.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_servicediscovery::types::{OperationStatus, OperationTargetType, Tag};
use aws_smithy_types::error::operation::BuildError;

use super::Sd;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use crate::providers::kit::{errors::code_class, stable_suffix};

/// How long an operation may run: a DNS namespace makes a Route 53 hosted zone, usually within
/// a minute or two.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The `CreatorRequestId` of a create (`key`: its checkpoint key, which is the same for every
/// retry and run of one intent, and differs for a replacement), else of its address.
pub(super) fn request_id(key: &str, tags: &BTreeMap<String, String>, address: &str) -> String {
    let seed = if key.is_empty() {
        format!("{tags:?}{address}")
    } else {
        key.to_owned()
    };
    format!("infra-{}", stable_suffix(&seed))
}

/// A built SDK value, or the fatal error naming what it lacks.
pub(crate) fn built<T>(value: Result<T, BuildError>, ctx: Ctx<'_>) -> Result<T, ProviderError> {
    value.map_err(|e| ctx.fatal(format!("incomplete request: {e}")))
}

/// Polls GetOperation until `operation` ends: the id of its target of `kind` on `SUCCESS`, the
/// operation's own error (classed by its code) on `FAIL`.
pub(crate) async fn wait_operation(
    sd: &Sd,
    ctx: Ctx<'_>,
    operation: &str,
    kind: OperationTargetType,
    doing: &str,
) -> Result<Option<String>, ProviderError> {
    if operation.is_empty() {
        return Err(ctx.fatal(format!("{doing}: the answer named no operation")));
    }
    let ended = kit::poll(OPERATION_TIMEOUT, || async {
        let request = sd.client.get_operation().operation_id(operation);
        let op = send!(sd, ctx, request, doing)?.operation;
        let ended = [OperationStatus::Success, OperationStatus::Fail];
        Ok(op.filter(|o| o.status().is_some_and(|s| ended.contains(s))))
    })
    .await?;
    let op = ended.ok_or_else(|| {
        let message = format!("{doing}: operation {operation} did not end within 15 minutes");
        ctx.error(FailureClass::Retryable, message)
    })?;
    if op.status() == Some(&OperationStatus::Fail) {
        let code = op.error_code().unwrap_or("FAIL");
        let message = op.error_message().unwrap_or_default();
        let text = format!("{doing}: operation {operation} failed: {code}: {message}");
        return Err(ctx.error(code_class(code, message), text));
    }
    Ok(op.targets().and_then(|t| t.get(&kind)).cloned())
}

pub(crate) async fn tags_of(sd: &Sd, ctx: Ctx<'_>, arn: &str) -> R<BTreeMap<String, String>> {
    let request = sd.client.list_tags_for_resource().resource_arn(arn);
    let out = send!(sd, ctx, request, "reading the tags")?;
    let pair = |t: &Tag| (t.key().to_owned(), t.value().to_owned());
    Ok(out.tags().iter().map(pair).collect())
}

/// UntagResource / TagResource from the template's tags `before` to `after`, each with infra's
/// `tags`.
pub(crate) async fn retag(
    sd: &Sd,
    ctx: Ctx<'_>,
    arn: &str,
    tags: &BTreeMap<String, String>,
    before: &[(String, String)],
    after: &[(String, String)],
) -> Result<(), ProviderError> {
    let untag = |keys| async move {
        let request = sd.client.untag_resource().resource_arn(arn);
        send!(sd, ctx, request.set_tag_keys(Some(keys)), "removing tags").map(drop)
    };
    let tag = |tags: BTreeMap<_, _>| async move {
        let request = sd.client.tag_resource().resource_arn(arn);
        let tags = kit::sdk_tags!(Tag, ctx, tags)?;
        send!(sd, ctx, request.set_tags(Some(tags)), "setting tags").map(drop)
    };
    let (before, after) = (merge_tags(before, tags), merge_tags(after, tags));
    kit::retag(&before, &after, untag, tag).await
}

/// Whether the object `arn`, whose `CreatorRequestId` is `made_by`, is what the create of
/// `request_id` made: its request id, else (a create that never answered) its infra `tags`.
pub(crate) async fn made_by(
    sd: &Sd,
    ctx: Ctx<'_>,
    (arn, made_by): (&str, Option<&str>),
    (request_id, tags): (&str, &BTreeMap<String, String>),
) -> Result<bool, ProviderError> {
    if made_by == Some(request_id) {
        return Ok(true);
    }
    Ok(owned_by(&tags_of(sd, ctx, arn).await?, tags))
}
