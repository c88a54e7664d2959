//! `AWS::IAM::Role` changes in place: a role brought from one spec to another (trust policy,
//! description and maximum session duration, then as every role or user's: permissions
//! boundary, inline and managed policies, tags), for an update and for adopting a role an
//! earlier create made.

use std::collections::BTreeMap;

use super::RoleProvider;
use super::props::RoleSpec;
use crate::providers::iam::principal::{Kind, Principal};
use crate::providers::kit::prelude::*;

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
        let (iam, client) = (&self.iam, &self.iam.client);
        if !same_document(&before.assume, &after.assume) {
            let request = client.update_assume_role_policy().role_name(name);
            let request = request.policy_document(compact(&after.assume));
            let doing = format!("updating the trust policy of role {name}");
            send!(iam, ctx, request, doing)?;
        }
        if before.description != after.description || before.max_session != after.max_session {
            let request = client.update_role().role_name(name);
            let request = request.description(after.description.clone().unwrap_or_default());
            let request =
                request.max_session_duration(after.max_session.unwrap_or(DEFAULT_MAX_SESSION));
            send!(iam, ctx, request, format!("updating role {name}"))?;
        }
        let principal = Principal::new(Kind::Role, name);
        if before.boundary != after.boundary {
            let arn = after.boundary.as_deref();
            principal.set_boundary(&self.iam, ctx, arn).await?;
        }
        let (b, a) = (&before.policies, &after.policies);
        principal.converge_policies(&self.iam, ctx, b, a).await?;
        let tags = merge_tags(&before.tags, before_infra);
        let wanted = merge_tags(&after.tags, after_infra);
        principal.retag(&self.iam, ctx, &tags, &wanted, false).await
    }
}
