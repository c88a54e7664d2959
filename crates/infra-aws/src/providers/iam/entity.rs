//! What roles and users share beyond their policies ([`super::principal`]): the permissions
//! boundary, and the tags brought from one set to another; and what the tagged entities (roles,
//! users, instance profiles) share when a create finds its name taken ([`adopted`]) and when
//! `find` looks for what an interrupted create made ([`find_tagged`]).

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;

use super::principal::{Kind, Principal, on_kind};
use super::{iam_tags, tag_map};
use crate::error::AwsError;
use crate::providers::kit::prelude::*;

/// A create found its name taken (`conflict`, while `doing`): the entity `found` of that name
/// is adopted when it carries this resource's `infra:*` tags (an earlier attempt at this very
/// resource made it); else the create fails naming the conflict (`noun` and `property` as
/// [`kit::not_ours`] takes them).
pub(super) fn adopted<T>(
    ctx: Ctx<'_>,
    doing: &str,
    conflict: AwsError,
    found: Option<T>,
    (tags, input): (fn(&T) -> &[Tag], &CreateInput),
    (noun, property): (&str, &str),
) -> Result<T, ProviderError> {
    let found = found.ok_or_else(|| ctx.fail_referencing(doing, conflict))?;
    match owned_by(&tag_map(tags(&found)), &input.tags) {
        true => Ok(found),
        false => Err(kit::not_ours(ctx, doing, noun, property)),
    }
}

/// How an entity's tags and what create reports are read from it.
pub(super) type Reading<T> = (fn(&T) -> &[Tag], fn(&T) -> ResourceOutput);

/// What an interrupted create made: the entity `get` answers for the name the create used (its
/// property `property`, given or generated), this resource's only when it carries the create's
/// `infra:*` tags (the creating call sets them), reported as `output`.
pub(super) async fn find_tagged<T>(
    input: &FindInput,
    ctx: Ctx<'_>,
    property: &str,
    get: impl AsyncFnOnce(&str) -> Result<Option<T>, ProviderError>,
    (tags, output): Reading<T>,
) -> Found {
    let name = name_to_find(input, property, ctx)?;
    let found = get(&name).await?;
    let found = found.filter(|e| owned_by(&tag_map(tags(e)), &input.tags));
    Ok(found.as_ref().map(output))
}

impl Principal<'_> {
    /// The permissions boundary from `before` to `after`, when they differ:
    /// Put*PermissionsBoundary (the policy may be a moment old: "no such entity" is eventually
    /// consistent), or with `None` Delete*PermissionsBoundary (already gone is done).
    pub(crate) async fn set_boundary(
        &self,
        before: &Option<String>,
        after: &Option<String>,
    ) -> Result<(), ProviderError> {
        let (iam, ctx, what) = (self.iam, self.ctx, self.what());
        if before == after {
            return Ok(());
        }
        let Some(arn) = after else {
            let doing = format!("removing the permissions boundary of {what}");
            return on_kind!(
                iam,
                self,
                [
                    delete_role_permissions_boundary,
                    delete_user_permissions_boundary
                ],
                |r| unless_gone(iam, ctx, doing, r.send()).await
            );
        };
        let doing = format!("setting the permissions boundary of {what} to {arn}");
        on_kind!(
            iam,
            self,
            [put_role_permissions_boundary, put_user_permissions_boundary],
            |r| {
                let sent = r.permissions_boundary(arn).send().await;
                let sent = sent.map_err(|e| ctx.fail_referencing(doing, iam.err(e)));
                sent.map(|_| ())
            }
        )
    }

    /// Tag* and Untag* to bring the whole tags (infra's included) from `before` to `after`.
    /// `fresh`: the entity was just made, so "no such entity" is IAM catching up.
    pub(crate) async fn retag(
        &self,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
        fresh: bool,
    ) -> Result<(), ProviderError> {
        let (iam, ctx) = (self.iam, self.ctx);
        let fail = |doing: String, err: AwsError| {
            let err = ctx.fail(doing, err);
            if fresh { on_create(err) } else { err }
        };
        let (set, remove) = tag_changes(before, after);
        let what = self.what();
        if !set.is_empty() {
            let (tags, doing) = (Some(iam_tags(&ctx, &set)?), format!("tagging {what}"));
            on_kind!(iam, self, [tag_role, tag_user], |r| {
                let sent = r.set_tags(tags).send().await;
                sent.map(|_| ()).map_err(|e| fail(doing, iam.err(e)))
            })?;
        }
        if !remove.is_empty() {
            let doing = format!("untagging {what}");
            on_kind!(iam, self, [untag_role, untag_user], |r| {
                let sent = r.set_tag_keys(Some(remove)).send().await;
                sent.map(|_| ()).map_err(|e| fail(doing, iam.err(e)))
            })?;
        }
        Ok(())
    }
}
