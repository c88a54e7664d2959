//! `AWS::IAM::Role` changes in place: a role brought from one spec to another (trust policy,
//! description and maximum session duration, permissions boundary, inline and managed
//! policies, tags), for an update and for adopting a role an earlier create made.

use std::collections::BTreeMap;

use super::RoleProvider;
use super::props::RoleSpec;
use crate::provider::ProviderError;
use crate::providers::iam::iam_tags;
use crate::providers::iam::principal::{Kind, Principal};
use crate::providers::kit::{Ctx, compact, is_not_found, merge_tags, same_document, tag_changes};

/// IAM's default maximum session duration, restored when the property is removed.
const DEFAULT_MAX_SESSION: i32 = 3600;

impl RoleProvider {
    /// Brings role `name` from `before` to `after` (everything but its name and path).
    /// `before_infra` / `after_infra` are infra's tags (recorded at create / now).
    pub(super) async fn apply_changes(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: &RoleSpec,
        after: &RoleSpec,
        before_infra: &BTreeMap<String, String>,
        after_infra: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let client = &self.iam.client;
        let api = &self.iam.api;
        if !same_document(&before.assume, &after.assume) {
            client
                .update_assume_role_policy()
                .role_name(name)
                .policy_document(compact(&after.assume))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail(
                        format!("updating the trust policy of role {name}"),
                        api.err("UpdateAssumeRolePolicy", e),
                    )
                })?;
        }
        if before.description != after.description || before.max_session != after.max_session {
            client
                .update_role()
                .role_name(name)
                .description(after.description.clone().unwrap_or_default())
                .max_session_duration(after.max_session.unwrap_or(DEFAULT_MAX_SESSION))
                .send()
                .await
                .map_err(|e| ctx.fail(format!("updating role {name}"), api.err("UpdateRole", e)))?;
        }
        if before.boundary != after.boundary {
            match &after.boundary {
                Some(arn) => client
                    .put_role_permissions_boundary()
                    .role_name(name)
                    .permissions_boundary(arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        ctx.fail_referencing(
                            format!("setting the permissions boundary of role {name} to {arn}"),
                            api.err("PutRolePermissionsBoundary", e),
                        )
                    })?,
                None => match client
                    .delete_role_permissions_boundary()
                    .role_name(name)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    Err(e) => {
                        let err = api.err("DeleteRolePermissionsBoundary", e);
                        if !is_not_found(&err) {
                            return Err(ctx.fail(
                                format!("removing the permissions boundary of role {name}"),
                                err,
                            ));
                        }
                    }
                },
            }
        }
        Principal::new(Kind::Role, name)
            .converge_policies(&self.iam, ctx, &before.policies, &after.policies)
            .await?;
        let (set, remove) = tag_changes(
            &merge_tags(&before.tags, before_infra),
            &merge_tags(&after.tags, after_infra),
        );
        if !set.is_empty() {
            client
                .tag_role()
                .role_name(name)
                .set_tags(Some(iam_tags(&ctx, &set)?))
                .send()
                .await
                .map_err(|e| ctx.fail(format!("tagging role {name}"), api.err("TagRole", e)))?;
        }
        if !remove.is_empty() {
            client
                .untag_role()
                .role_name(name)
                .set_tag_keys(Some(remove))
                .send()
                .await
                .map_err(|e| ctx.fail(format!("untagging role {name}"), api.err("UntagRole", e)))?;
        }
        Ok(())
    }
}
