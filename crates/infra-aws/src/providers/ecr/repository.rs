//! `AWS::ECR::Repository`: its properties ([`Spec`]), the create / update / delete / find
//! flow and refresh.
//!
//! | property | create | update |
//! |---|---|---|
//! | `RepositoryName` (generated in lower case when absent) | CreateRepository | create-only (replacement) |
//! | `EncryptionConfiguration` | CreateRepository | create-only (replacement) |
//! | `ImageTagMutability`, `ImageTagMutabilityExclusionFilters` | CreateRepository | PutImageTagMutability (removed: `MUTABLE`) |
//! | `ImageScanningConfiguration` | CreateRepository | PutImageScanningConfiguration (removed: no scan on push) |
//! | `LifecyclePolicy` (`LifecyclePolicyText` compared as a document, `RegistryId`) | PutLifecyclePolicy | PutLifecyclePolicy / DeleteLifecyclePolicy |
//! | `RepositoryPolicyText` (an object or a string of JSON, compared as a document) | SetRepositoryPolicy | SetRepositoryPolicy / DeleteRepositoryPolicy |
//! | `EmptyOnDelete` (write-only) | | DeleteRepository `force` |
//! | `Tags` | CreateRepository, with infra's tags | TagResource / UntagResource |
//!
//! `Ref` is the repository name; `Fn::GetAtt Arn` and `RepositoryUri`. Without `EmptyOnDelete`
//! a repository that still holds images is not deleted: the error names it and says what to do.
//! A create that finds the name taken adopts the repository only when it carries this
//! resource's `infra:*` tags; `find` looks the name up the same way.
//!
//! Refresh: DescribeRepositories with up to 100 names per call (pages
//! followed). ECR answers `RepositoryNotFoundException` for the whole call when one name of the
//! list does not exist; that chunk is then read name by name, so the others are still seen.
//! The lifecycle policy (GetLifecyclePolicy), repository policy (GetRepositoryPolicy) and tags
//! (ListTagsForResource) have no batch call: read per repository, only when managed. The
//! repository's own settings (name, tag mutability and its exclusion filters, scanning and
//! encryption configurations) are reported through the conversion generated from
//! `crates/infra-aws/mappings/ecr.toml`.
//!
//! The keys and CreateRepository's request (the name, the tag mutability and its exclusion
//! filters, the scanning and encryption configurations) are generated from the schema
//! (`scripts/generate-mappings`, `crates/infra-aws/mappings/ecr.toml`); the updates send the
//! values of that request that changed.

use std::collections::BTreeMap;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_ecr::operation::create_repository::builders::CreateRepositoryInputBuilder;
use aws_sdk_ecr::types::{ImageScanningConfiguration, ImageTagMutability, Repository, Tag};

use super::Ecr;
use crate::error::AwsError;
use crate::generated::ecr::{LIFECYCLE_POLICY, REPOSITORY, create_repository, report_repository};

pub(crate) const TYPE: &str = "AWS::ECR::Repository";

/// The repository as the template describes it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spec {
    /// CreateRepository with the name the template gives, the tag mutability and its
    /// exclusion filters (none when empty), the scanning and encryption configurations.
    pub(crate) request: CreateRepositoryInputBuilder,
    /// The lifecycle policy document, and the registry it names.
    pub(crate) lifecycle: Option<Value>,
    pub(crate) registry: Option<String>,
    pub(crate) policy: Option<Value>,
    pub(crate) empty_on_delete: bool,
    pub(crate) tags: Vec<(String, String)>,
}

impl Spec {
    /// Whether images are scanned on push.
    pub(crate) fn scan_on_push(&self) -> bool {
        let scan = self.request.get_image_scanning_configuration();
        scan.as_ref().is_some_and(|s| s.scan_on_push)
    }
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, REPOSITORY)?;
    let lifecycle = p.obj("LifecyclePolicy", LIFECYCLE_POLICY)?;
    let document = |l: &Props<'_>| l.document("LifecyclePolicyText");
    let text = lifecycle.as_ref().map(document);
    let registry = lifecycle.map(|l| l.str("RegistryId")).transpose()?;
    Ok(Spec {
        request: create_repository(&p, CreateRepositoryInputBuilder::default())?,
        lifecycle: text.transpose()?.flatten(),
        registry: registry.flatten(),
        policy: p.document("RepositoryPolicyText")?,
        empty_on_delete: p.bool("EmptyOnDelete")?.unwrap_or(false),
        tags: p.tags("Tags")?,
    })
}

/// The settings of `repo` as CreateRepository's request (what an adopted repository starts
/// from).
fn seen(repo: &Repository) -> CreateRepositoryInputBuilder {
    let filters = repo.image_tag_mutability_exclusion_filters.clone();
    CreateRepositoryInputBuilder::default()
        .set_image_tag_mutability(repo.image_tag_mutability.clone())
        .set_image_tag_mutability_exclusion_filters(filters.filter(|f| !f.is_empty()))
        .set_image_scanning_configuration(repo.image_scanning_configuration.clone())
}

fn output(repo: &Repository) -> ResourceOutput {
    let (arn, uri) = (repo.repository_arn(), repo.repository_uri());
    let name = repo.repository_name().unwrap_or_default();
    output_of(name, [("Arn", json!(arn)), ("RepositoryUri", json!(uri))])
}

/// The repository provider.
#[derive(Debug)]
pub(crate) struct RepositoryProvider {
    pub(crate) ecr: Ecr,
}

/// DescribeRepositories of one name; `None` when there is none.
async fn describe_one(ecr: &Ecr, ctx: Ctx<'_>, name: &str) -> R<Option<Repository>> {
    let request = ecr.client.describe_repositories().repository_names(name);
    let doing = format!("describing repository {name}");
    let out = kit::found(ecr, ctx, doing, request.send()).await?;
    let mut repositories = out.and_then(|o| o.repositories).into_iter().flatten();
    Ok(repositories.find(|r| r.repository_name() == Some(name)))
}

/// The repository's tags (ListTagsForResource).
async fn tags_of(ecr: &Ecr, ctx: Ctx<'_>, arn: &str) -> R<BTreeMap<String, String>> {
    let request = ecr.client.list_tags_for_resource().resource_arn(arn);
    let out = send!(ecr, ctx, request, "reading the tags")?;
    let tags = kit::tag_pairs(out.tags(), |t| (Some(t.key()), Some(t.value())));
    Ok(tags)
}

impl RepositoryProvider {
    /// Brings the repository `name` (`arn`) from `before` to `after`, its tags to `new_tags`.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        (name, arn): (&str, &str),
        before: &Spec,
        after: &Spec,
        new_tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let (ecr, c) = (&self.ecr, &self.ecr.client);
        let mutability = |s: &Spec| {
            let r = &s.request;
            let filters = r.get_image_tag_mutability_exclusion_filters().clone();
            (r.get_image_tag_mutability().clone(), filters)
        };
        if mutability(before) != mutability(after) {
            let (mode, filters) = mutability(after);
            let request = c.put_image_tag_mutability().repository_name(name);
            let mode = mode.unwrap_or(ImageTagMutability::Mutable);
            let request = request.image_tag_mutability(mode);
            let request = request.set_image_tag_mutability_exclusion_filters(filters);
            send!(ecr, ctx, request, "setting tag mutability")?;
        }
        if before.scan_on_push() != after.scan_on_push() {
            let scan = ImageScanningConfiguration::builder();
            let scan = scan.scan_on_push(after.scan_on_push()).build();
            let request = c.put_image_scanning_configuration().repository_name(name);
            let request = request.image_scanning_configuration(scan);
            send!(ecr, ctx, request, "setting scan on push")?;
        }
        let lifecycle_same =
            same(&before.lifecycle, &after.lifecycle) && before.registry == after.registry;
        match &after.lifecycle {
            _ if lifecycle_same => {}
            Some(doc) => {
                let request = c.put_lifecycle_policy().repository_name(name);
                let request = request.set_registry_id(after.registry.clone());
                let request = request.lifecycle_policy_text(compact(doc));
                send!(ecr, ctx, request, "setting the lifecycle policy")?;
            }
            None => {
                let request = c.delete_lifecycle_policy().repository_name(name);
                let sent = request.set_registry_id(before.registry.clone()).send();
                let doing = "removing the lifecycle policy";
                unless_gone(ecr, ctx, doing, sent).await?;
            }
        }
        match &after.policy {
            _ if same(&before.policy, &after.policy) => {}
            Some(doc) => {
                let request = c.set_repository_policy().repository_name(name);
                let request = request.policy_text(compact(doc));
                send!(ecr, ctx, request, "setting the repository policy")?;
            }
            None => {
                let sent = c.delete_repository_policy().repository_name(name).send();
                let doing = "removing the policy";
                unless_gone(ecr, ctx, doing, sent).await?;
            }
        }
        let old_tags = before.tags.iter().cloned().collect();
        let remove = |keys| async move {
            let request = c.untag_resource().resource_arn(arn);
            let request = request.set_tag_keys(Some(keys));
            send!(ecr, ctx, request, "untagging the repository")
        };
        let set = |tags: BTreeMap<String, String>| async move {
            let tags = kit::sdk_tags!(Tag, ctx, tags)?;
            let request = c.tag_resource().resource_arn(arn).set_tags(Some(tags));
            send!(ecr, ctx, request, "tagging the repository")
        };
        kit::map_changes(&old_tags, new_tags, remove, set).await
    }
}

impl kit::Provider for RepositoryProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeRepositories by name (100 per call, pages followed); lifecycle policy, repository policy and tags per repository when managed",
        Find::Name,
        "DescribeRepositories of the name, infra tags checked (ListTagsForResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let given = spec.request.get_repository_name().as_ref();
        let name = kit::create_name(ctx, given, input, "RepositoryName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.request.clone().repository_name(&name);
        let request = request.set_tags(Some(kit::sdk_tags!(Tag, ctx, tags)?));
        let sent = request.send_with(&self.ecr.client).await;
        let doing = format!("creating repository {name}");
        // What the repository starts from: the request itself, or an adopted one's settings.
        let (repo, request, old_tags) = match sent {
            Ok(out) => {
                let repo = out.repository().cloned();
                let none = || ctx.fatal(format!("{doing}: ECR returned no repository"));
                (repo.ok_or_else(none)?, spec.request.clone(), tags.clone())
            }
            Err(e) => {
                let err = self.ecr.err(e);
                if !has_code(&err, "RepositoryAlreadyExistsException") {
                    return Err(on_create(ctx.fail(doing, err)));
                }
                let repo = describe_one(&self.ecr, ctx, &name).await?;
                let repo = repo.ok_or_else(|| ctx.fail_referencing(&doing, &err))?;
                let arn = repo.repository_arn().unwrap_or_default();
                let found = tags_of(&self.ecr, ctx, arn).await?;
                if !owned_by(&found, &input.tags) {
                    return Err(kit::not_ours(ctx, &doing, "a repository", "RepositoryName"));
                }
                let request = seen(&repo);
                (repo, request, found)
            }
        };
        let mut before = Spec::default();
        (before.request, before.tags) = (request, old_tags.into_iter().collect());
        let arn = repo.repository_arn().unwrap_or_default();
        self.converge(ctx, (&name, arn), &before, &spec, &tags)
            .await?;
        Ok(output(&repo))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let mut before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        before.tags = merge_tags(&before.tags, &input.tags).into_iter().collect();
        let arn = input.attributes.get("Arn").and_then(Value::as_str);
        let repo = (input.physical_id.as_str(), arn.unwrap_or_default());
        let tags = merge_tags(&after.tags, &input.tags);
        self.converge(ctx, repo, &before, &after, &tags).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = &input.physical_id;
        let force = parse(&input.properties, ctx).is_ok_and(|s| s.empty_on_delete);
        let request = self.ecr.client.delete_repository().repository_name(name);
        let Err(e) = request.force(force).send().await else {
            return Ok(());
        };
        let err = self.ecr.err(e);
        if is_not_found(&err) {
            Ok(())
        } else if has_code(&err, "RepositoryNotEmptyException") {
            Err(ctx.fatal(format!(
                "repository {name} still holds images, and ECR deletes only an empty repository; \
                 delete its images or set EmptyOnDelete: true (then apply) to delete them with it"
            )))
        } else {
            Err(ctx.fail(format!("deleting repository {name}"), err))
        }
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "RepositoryName", ctx)?;
        let Some(repo) = describe_one(&self.ecr, ctx, &name).await? else {
            return Ok(None);
        };
        let tags = tags_of(&self.ecr, ctx, repo.repository_arn().unwrap_or_default()).await?;
        Ok(owned_by(&tags, &input.tags).then(|| output(&repo)))
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let names: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let ecr = &self.ecr;
        let describe = |chunk: Vec<String>| async move {
            // DescribeRepositories of the chunk, pages followed.
            let chunk = &chunk;
            let described = kit::pages(|token| async move {
                let request = ecr.client.describe_repositories();
                let request = request.set_repository_names(Some(chunk.clone()));
                let request = request.set_next_token(token);
                let page = send!(ecr, ctx, request, "describing repositories")?;
                Ok((page.repositories.unwrap_or_default(), page.next_token))
            });
            match described.await {
                Err(err) if err.class == FailureClass::NotFound => {
                    let mut repos = Vec::new();
                    for name in chunk {
                        repos.extend(describe_one(ecr, ctx, name).await?);
                    }
                    Ok(repos)
                }
                repos => repos,
            }
        };
        let found = kit::in_batches(&names, 100, describe, Repository::repository_name).await?;
        kit::read_found(ecr, items, |ecr, item| {
            let repo: Option<Repository> = found.get(&item.physical_id).cloned();
            async move {
                let Some(repo) = repo else { return Ok(None) };
                observe(&ecr, &item, &repo).await.map(Some)
            }
        })
        .await
    }
}

fn same(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_document(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// One repository as the template writes it (the managed properties only).
async fn observe(ecr: &Ecr, item: &ReadInput, repo: &Repository) -> R<Observation> {
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
        let request = request.set_registry_id(registry);
        let out = answered!(ecr, ctx, request, "reading the lifecycle policy", no_policy)?;
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
        let out = answered!(ecr, ctx, request, doing, no_policy)?;
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

/// Whether a policy read failed for want of a policy (`LifecyclePolicyNotFoundException`,
/// `RepositoryPolicyNotFoundException`), not of the repository.
fn no_policy(err: &AwsError) -> bool {
    is_not_found(err) && err.code() != Some("RepositoryNotFoundException")
}
