//! What roles and users share beyond their policies ([`super::principal`]): the permissions
//! boundary, and the tags brought from one set to another.

use std::collections::BTreeMap;

use super::principal::{Kind, Principal};
use super::{Iam, iam_tags};
use crate::error::AwsError;
use crate::provider::ProviderError;
use crate::providers::kit::unless_gone;
use crate::providers::kit::{Ctx, on_create, tag_changes};

/// Sends the call of a role's or user's kind (`$role` / `$user` client methods, the request
/// bound to `$req` with its name set, then `$body`); a group has none of these: `Ok(())`.
macro_rules! role_or_user {
    ($iam:expr, $p:expr, $role:ident, $user:ident, |$req:ident| $body:expr) => {
        match $p.kind {
            Kind::Role => {
                let $req = $iam.client.$role().role_name($p.name);
                $body
            }
            Kind::User => {
                let $req = $iam.client.$user().user_name($p.name);
                $body
            }
            Kind::Group => Ok(()),
        }
    };
}

impl Principal<'_> {
    /// Put*PermissionsBoundary `arn` (the policy may be a moment old: "no such entity" is
    /// eventually consistent), or with `None` Delete*PermissionsBoundary (already gone is done).
    pub(crate) async fn set_boundary(
        &self,
        iam: &Iam,
        ctx: Ctx<'_>,
        arn: Option<&str>,
    ) -> Result<(), ProviderError> {
        let what = format!("{} {}", self.kind.noun(), self.name);
        let Some(arn) = arn else {
            let doing = format!("removing the permissions boundary of {what}");
            let op = format!("Delete{}PermissionsBoundary", self.kind.word());
            return role_or_user!(
                iam,
                self,
                delete_role_permissions_boundary,
                delete_user_permissions_boundary,
                |r| unless_gone(iam, ctx, &op, doing, r.send()).await
            );
        };
        let doing = format!("setting the permissions boundary of {what} to {arn}");
        let op = format!("Put{}PermissionsBoundary", self.kind.word());
        role_or_user!(
            iam,
            self,
            put_role_permissions_boundary,
            put_user_permissions_boundary,
            |r| match r.permissions_boundary(arn).send().await {
                Ok(_) => Ok(()),
                Err(e) => Err(ctx.fail_referencing(doing, iam.err(&op, e))),
            }
        )
    }

    /// Tag* and Untag* to bring the whole tags (infra's included) from `before` to `after`.
    /// `fresh`: the entity was just made, so "no such entity" is IAM catching up.
    pub(crate) async fn retag(
        &self,
        iam: &Iam,
        ctx: Ctx<'_>,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
        fresh: bool,
    ) -> Result<(), ProviderError> {
        let fail = |doing: String, err: AwsError| {
            let err = ctx.fail(doing, err);
            if fresh { on_create(err) } else { err }
        };
        let (set, remove) = tag_changes(before, after);
        let (what, word) = (
            format!("{} {}", self.kind.noun(), self.name),
            self.kind.word(),
        );
        if !set.is_empty() {
            let tags = Some(iam_tags(&ctx, &set)?);
            let (doing, op) = (format!("tagging {what}"), format!("Tag{word}"));
            role_or_user!(iam, self, tag_role, tag_user, |r| {
                let sent = r.set_tags(tags).send().await;
                sent.map(|_| ()).map_err(|e| fail(doing, iam.err(&op, e)))
            })?;
        }
        if !remove.is_empty() {
            let (doing, op) = (format!("untagging {what}"), format!("Untag{word}"));
            role_or_user!(iam, self, untag_role, untag_user, |r| {
                let sent = r.set_tag_keys(Some(remove)).send().await;
                sent.map(|_| ()).map_err(|e| fail(doing, iam.err(&op, e)))
            })?;
        }
        Ok(())
    }
}
