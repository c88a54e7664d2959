//! `AWS::IAM::ManagedPolicy` changes: attaching the policy to and detaching it from a role,
//! user or group, and its versions (listed oldest first, deleted, and a new default version
//! made, pruning the oldest at IAM's limit).

use serde_json::Value;

use super::ManagedPolicyProvider;
use crate::provider::{FailureClass, ProviderError};
use crate::providers::iam::principal::{Kind, Principal};
use crate::providers::kit::{Ctx, compact, is_not_found};

/// IAM keeps at most this many versions of a managed policy.
const MAX_VERSIONS: usize = 5;

impl ManagedPolicyProvider {
    /// Attaches the policy to one principal (which may have been made a moment ago).
    pub(super) async fn attach(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        kind: Kind,
        principal: &str,
    ) -> Result<(), ProviderError> {
        Principal::new(kind, principal)
            .attach(&self.iam, ctx, arn)
            .await
    }

    /// Detaches the policy from one principal; already detached is done.
    pub(super) async fn detach(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        kind: Kind,
        principal: &str,
    ) -> Result<(), ProviderError> {
        Principal::new(kind, principal)
            .detach(&self.iam, ctx, arn)
            .await
    }

    /// The versions of a policy: (id, is default, created), oldest first.
    pub(super) async fn versions(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
    ) -> Result<Option<Vec<(String, bool)>>, ProviderError> {
        let mut versions = Vec::new();
        let mut pages = self
            .iam
            .client
            .list_policy_versions()
            .policy_arn(arn)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => versions.extend(page.versions().iter().map(|v| {
                    (
                        v.create_date().map(|d| (d.secs(), d.subsec_nanos())),
                        v.version_id().unwrap_or_default().to_owned(),
                        v.is_default_version(),
                    )
                })),
                Err(e) => {
                    let err = self.iam.api.err("ListPolicyVersions", e);
                    if is_not_found(&err) {
                        return Ok(None);
                    }
                    return Err(ctx.fail(format!("listing the versions of {arn}"), err));
                }
            }
        }
        // Oldest first: by creation time, then by the number in `v<N>`.
        versions.sort_by_key(|(created, id, _)| {
            (
                *created,
                id.trim_start_matches('v')
                    .parse::<u64>()
                    .unwrap_or(u64::MAX),
            )
        });
        Ok(Some(
            versions
                .into_iter()
                .map(|(_, id, default)| (id, default))
                .collect(),
        ))
    }

    pub(super) async fn delete_version(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        version: &str,
    ) -> Result<(), ProviderError> {
        match self
            .iam
            .client
            .delete_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.iam.api.err("DeletePolicyVersion", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting version {version} of {arn}"), err))
                }
            }
        }
    }

    /// Makes `document` the policy's new default version, pruning the oldest non-default
    /// version first when IAM's limit of five is reached.
    pub(super) async fn new_version(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        document: &Value,
    ) -> Result<(), ProviderError> {
        let versions = self.versions(ctx, arn).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::NotFound,
                format!("managed policy {arn} does not exist"),
            )
        })?;
        let prune = versions
            .iter()
            .find(|(_, default)| !default)
            .filter(|_| versions.len() >= MAX_VERSIONS);
        if let Some((oldest, _)) = prune {
            self.delete_version(ctx, arn, oldest).await?;
        }
        self.iam
            .client
            .create_policy_version()
            .policy_arn(arn)
            .policy_document(compact(document))
            .set_as_default(true)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                ctx.fail(
                    format!("creating a new version of {arn}"),
                    self.iam.api.err("CreatePolicyVersion", e),
                )
            })
    }
}
