//! Refresh of `AWS::ECR::Repository`: DescribeRepositories with up to 100 names per call (pages
//! followed). ECR answers `RepositoryNotFoundException` for the whole call when one name of the
//! list does not exist; that chunk is then read name by name, so the others are still seen.
//! The lifecycle policy (GetLifecyclePolicy), repository policy (GetRepositoryPolicy) and tags
//! (ListTagsForResource) have no batch call: read per repository, only when managed. The
//! repository's own settings (name, tag mutability and its exclusion filters, scanning and
//! encryption configurations) are reported through the conversion generated from
//! `crates/infra-aws/mappings/ecr.toml`.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::prelude::*;
use aws_sdk_ecr::types::Repository;

use super::Ecr;
use super::repository::{RepositoryProvider, TYPE, describe_one, output, tags_of};
use crate::error::AwsError;
use crate::generated::ecr::report_repository;

/// DescribeRepositories of `names`, pages followed.
async fn describe(
    ecr: &Ecr,
    ctx: Ctx<'_>,
    names: &[String],
) -> Result<Vec<Repository>, ProviderError> {
    kit::pages(|token| async move {
        let request = ecr.client.describe_repositories();
        let request = request.set_repository_names(Some(names.to_vec()));
        let request = request.set_next_token(token);
        let page = send!(ecr, ctx, request, "describing repositories")?;
        Ok((page.repositories.unwrap_or_default(), page.next_token))
    })
    .await
}

pub(crate) async fn read(p: &RepositoryProvider, items: &[ReadInput]) -> Reads {
    let Some(ctx) = kit::batch_ctx(TYPE, items) else {
        return Ok(BTreeMap::new());
    };
    let names: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
    let mut found: HashMap<String, Repository> = HashMap::new();
    for chunk in names.chunks(100) {
        let repos = match describe(&p.ecr, ctx, chunk).await {
            Err(err) if err.class == FailureClass::NotFound => {
                let mut repos = Vec::new();
                for name in chunk {
                    repos.extend(describe_one(&p.ecr, ctx, name).await?);
                }
                repos
            }
            repos => repos?,
        };
        let named = |r: Repository| (r.repository_name().unwrap_or_default().to_owned(), r);
        found.extend(repos.into_iter().map(named));
    }
    kit::read_each(items, |item| {
        let (ecr, item) = (p.ecr.clone(), item.clone());
        let repo = found.get(&item.physical_id).cloned();
        async move {
            let seen = match repo {
                None => Observation::Gone,
                Some(repo) => observe(&ecr, &item, &repo).await?,
            };
            Ok((item.address, seen))
        }
    })
    .await
}

/// One repository as the template writes it (the managed properties only).
async fn observe(
    ecr: &Ecr,
    item: &ReadInput,
    repo: &Repository,
) -> Result<Observation, ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let last = &item.properties;
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let name = repo.repository_name().unwrap_or_default();
    let mut tags = None;
    if prev("Tags").is_some() {
        let found = tags_of(ecr, ctx, repo.repository_arn().unwrap_or_default()).await?;
        tags = Some(observed_tags(&found, prev("Tags")));
    }
    let mut lifecycle = None;
    if let Some(previous) = prev("LifecyclePolicy") {
        let registry = previous.get("RegistryId").and_then(kit::scalar_text);
        let request = ecr.client.get_lifecycle_policy().repository_name(name);
        let sent = request.set_registry_id(registry).send().await;
        let doing = "reading the lifecycle policy";
        let out = sent.map(Some);
        let out = out.or_else(|e| absent(ctx, doing, ecr.err("GetLifecyclePolicy", e)))?;
        lifecycle = out.and_then(|out| {
            let text = previous.get("LifecyclePolicyText");
            let doc = observed_document(out.lifecycle_policy_text()?, false, text);
            let registry = out
                .registry_id()
                .filter(|_| previous.get("RegistryId").is_some());
            Some(json!({"LifecyclePolicyText": doc, "RegistryId": registry}))
        });
    }
    let mut policy = None;
    if let Some(previous) = prev("RepositoryPolicyText") {
        let request = ecr.client.get_repository_policy().repository_name(name);
        let doing = "reading the repository policy";
        let out = request.send().await.map(Some);
        let out = out.or_else(|e| absent(ctx, doing, ecr.err("GetRepositoryPolicy", e)))?;
        let text = out.as_ref().and_then(|out| out.policy_text());
        policy = text.map(|t| observed_document(t, false, Some(previous)));
    }
    let mut found = report_repository(repo);
    // ECR answers a key's ARN for the id or alias a template gives: the key as last applied.
    if let Some(Value::Object(encryption)) = found.get_mut("EncryptionConfiguration")
        && encryption.contains_key("KmsKey")
    {
        let key = prev("EncryptionConfiguration").and_then(|p| p.get("KmsKey"));
        encryption.insert("KmsKey".into(), key.cloned().unwrap_or(Value::Null));
    }
    if let Some(found) = found.as_object_mut() {
        let filters = found.entry("ImageTagMutabilityExclusionFilters");
        filters.or_insert_with(|| json!([]));
        for (key, value) in [
            ("EmptyOnDelete", prev("EmptyOnDelete").cloned()),
            ("Tags", tags),
            ("LifecyclePolicy", lifecycle),
            ("RepositoryPolicyText", policy),
        ] {
            found.insert(key.into(), value.unwrap_or(Value::Null));
        }
    }
    Ok(Observation::Present {
        properties: observed(found, last),
        attributes: output(repo).attributes,
    })
}

/// A policy read that failed: none set (`LifecyclePolicyNotFoundException`,
/// `RepositoryPolicyNotFoundException`) is `None`; anything else an error.
fn absent<T>(ctx: Ctx<'_>, doing: &str, err: AwsError) -> Result<Option<T>, ProviderError> {
    if is_not_found(&err) && err.code() != Some("RepositoryNotFoundException") {
        Ok(None)
    } else {
        Err(ctx.fail(doing, err))
    }
}
