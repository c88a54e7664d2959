//! `AWS::IAM::ManagedPolicy` changes: its versions (listed oldest first, deleted, and a new
//! default version made, pruning the oldest at IAM's limit). Attaching it to and detaching it
//! from a role, user or group is every principal's ([`Principal`](super::super::principal)).

use crate::providers::kit::prelude::*;

use super::ManagedPolicyProvider;
use crate::providers::iam::principal::list;

/// IAM keeps at most this many versions of a managed policy.
const MAX_VERSIONS: usize = 5;

impl ManagedPolicyProvider {
    /// The versions of a policy: (id, is default, created), oldest first.
    pub(super) async fn versions(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
    ) -> Result<Option<Vec<(String, bool)>>, ProviderError> {
        let iam = &self.iam;
        let request = iam.client.list_policy_versions().policy_arn(arn);
        let doing = format!("listing the versions of {arn}");
        let listed = list!(iam, ctx, doing, request, |o| {
            let versions = o.versions().iter().map(|v| {
                let created = v.create_date().map(|d| (d.secs(), d.subsec_nanos()));
                let id = v.version_id().unwrap_or_default().to_owned();
                (created, id, v.is_default_version())
            });
            (versions.collect(), o.is_truncated, o.marker)
        });
        let Some(mut versions) = listed? else {
            return Ok(None);
        };
        // Oldest first: by creation time, then by the number in `v<N>`.
        versions.sort_by_key(|(created, id, _)| {
            let number = id.trim_start_matches('v').parse::<u64>();
            (*created, number.unwrap_or(u64::MAX))
        });
        let versions = versions.into_iter().map(|(_, id, default)| (id, default));
        Ok(Some(versions.collect()))
    }

    pub(super) async fn delete_version(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        version: &str,
    ) -> Result<(), ProviderError> {
        let request = self.iam.client.delete_policy_version().policy_arn(arn);
        let sent = request.version_id(version).send();
        let doing = format!("deleting version {version} of {arn}");
        unless_gone(&self.iam, ctx, doing, sent).await
    }

    /// Makes `document` the policy's new default version, pruning the oldest non-default
    /// version first when IAM's limit of five is reached.
    pub(super) async fn new_version(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        document: &Value,
    ) -> Result<(), ProviderError> {
        let versions = self.versions(ctx, arn).await?;
        let versions =
            versions.ok_or_else(|| kit::does_not_exist(ctx, &format!("managed policy {arn}")))?;
        let prune = versions.iter().find(|(_, default)| !default);
        let prune = prune.filter(|_| versions.len() >= MAX_VERSIONS);
        if let Some((oldest, _)) = prune {
            self.delete_version(ctx, arn, oldest).await?;
        }
        let request = self.iam.client.create_policy_version().policy_arn(arn);
        let request = request
            .policy_document(compact(document))
            .set_as_default(true);
        let doing = format!("creating a new version of {arn}");
        send!(&self.iam, ctx, request, doing).map(|_| ())
    }
}
