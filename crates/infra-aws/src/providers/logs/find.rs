//! Finding what an interrupted create of a log group made: by name, then by its infra tags
//! (see the module comment of [`super`]).

use super::{Logs, TYPE, describe_one, output, tags_of};
use crate::providers::kit::prelude::*;

/// The log group the create named, when it carries the create's infra tags, as the create
/// returns it (the name, and `Arn` as DescribeLogGroups reports it); never the group a
/// replacement replaces.
pub(super) async fn log_group(logs: &Logs, input: &FindInput) -> Found {
    let ctx = Ctx::new(TYPE, &input.address);
    let name = name_to_find(input, "LogGroupName", ctx)?;
    let Some(group) = describe_one(logs, ctx, &name).await? else {
        return Ok(None);
    };
    if !owned_by(&tags_of(logs, ctx, &group).await?, &input.tags) {
        return Ok(None);
    }
    Ok(Some(output(&name, &group)))
}
