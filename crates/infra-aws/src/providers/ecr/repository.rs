//! `AWS::ECR::Repository`: its properties ([`Spec`]) and the create / update / delete / find
//! flow; refresh is in [`super::read`].
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
//! The keys and CreateRepository's request (the name, the tag mutability and its exclusion
//! filters, the scanning and encryption configurations) are generated from the schema
//! (`scripts/generate-mappings`, `crates/infra-aws/mappings/ecr.toml`); the updates send the
//! values of that request that changed.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ecr::operation::create_repository::builders::CreateRepositoryInputBuilder;
use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesOutput;
use aws_sdk_ecr::types::{ImageScanningConfiguration, ImageTagMutability, Repository, Tag};

use super::Ecr;
use crate::generated::ecr::{LIFECYCLE_POLICY, REPOSITORY, create_repository};

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
    Ok(Spec {
        request: create_repository(&p, CreateRepositoryInputBuilder::default())?,
        lifecycle: lifecycle
            .as_ref()
            .map(|l| l.document("LifecyclePolicyText"))
            .transpose()?
            .flatten(),
        registry: lifecycle
            .map(|l| l.str("RegistryId"))
            .transpose()?
            .flatten(),
        policy: p.document("RepositoryPolicyText")?,
        empty_on_delete: p.bool("EmptyOnDelete")?.unwrap_or(false),
        tags: p.tags("Tags")?,
    })
}

/// The settings of `repo` as a [`Spec`] (what an adopted repository starts from).
fn seen(repo: &Repository, tags: &BTreeMap<String, String>) -> Spec {
    let filters = repo.image_tag_mutability_exclusion_filters.clone();
    let request = CreateRepositoryInputBuilder::default()
        .set_image_tag_mutability(repo.image_tag_mutability.clone())
        .set_image_tag_mutability_exclusion_filters(filters.filter(|f| !f.is_empty()))
        .set_image_scanning_configuration(repo.image_scanning_configuration.clone());
    Spec {
        request,
        tags: tags.clone().into_iter().collect(),
        ..Spec::default()
    }
}

pub(crate) fn output(repo: &Repository) -> ResourceOutput {
    let name = repo.repository_name().unwrap_or_default();
    let uri = json!(repo.repository_uri());
    output_of(
        name,
        [
            ("Arn", json!(repo.repository_arn())),
            ("RepositoryUri", uri),
        ],
    )
}

fn sdk_tags(ctx: Ctx<'_>, tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    let tag = |(k, v): (&String, &String)| Tag::builder().key(k).value(v).build();
    let built = tags
        .iter()
        .map(|t| tag(t).map_err(|e| ctx.fatal(format!("tag {}: {e}", t.0))));
    built.collect()
}

/// The repository provider.
#[derive(Debug)]
pub(crate) struct RepositoryProvider {
    pub(crate) ecr: Ecr,
}

/// DescribeRepositories of one name; `None` when there is none.
pub(crate) async fn describe_one(
    ecr: &Ecr,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Repository>, ProviderError> {
    let request = ecr.client.describe_repositories().repository_names(name);
    let doing = format!("describing repository {name}");
    let out = kit::found(ecr, ctx, doing, request.send()).await?;
    let named = |out: DescribeRepositoriesOutput| {
        let mut repositories = out.repositories.unwrap_or_default().into_iter();
        repositories.find(|r| r.repository_name() == Some(name))
    };
    Ok(out.and_then(named))
}

/// The repository's tags (ListTagsForResource).
pub(crate) async fn tags_of(
    ecr: &Ecr,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let request = ecr.client.list_tags_for_resource().resource_arn(arn);
    let out = send!(ecr, ctx, request, "reading the tags")?;
    Ok(kit::tag_pairs(out.tags(), |t| {
        (Some(t.key()), Some(t.value()))
    }))
}

impl RepositoryProvider {
    /// Brings the repository from `before` to `after`, its tags to `new_tags`.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        repo: &Repository,
        before: &Spec,
        after: &Spec,
        new_tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let (ecr, c) = (&self.ecr, &self.ecr.client);
        let name = repo.repository_name().unwrap_or_default();
        let arn = repo.repository_arn().unwrap_or_default();
        let (b, a) = (&before.request, &after.request);
        let mutability = |r: &CreateRepositoryInputBuilder| {
            let filters = r.get_image_tag_mutability_exclusion_filters();
            (r.get_image_tag_mutability().clone(), filters.clone())
        };
        if mutability(b) != mutability(a) {
            let (mode, filters) = mutability(a);
            let request = c.put_image_tag_mutability().repository_name(name);
            let request = request
                .image_tag_mutability(mode.unwrap_or(ImageTagMutability::Mutable))
                .set_image_tag_mutability_exclusion_filters(filters);
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
                let request = request
                    .set_registry_id(after.registry.clone())
                    .lifecycle_policy_text(compact(doc));
                send!(ecr, ctx, request, "setting the lifecycle policy")?;
            }
            None => {
                let request = c.delete_lifecycle_policy().repository_name(name);
                let sent = request.set_registry_id(before.registry.clone()).send();
                unless_gone(ecr, ctx, "removing the lifecycle policy", sent).await?;
            }
        }
        match &after.policy {
            _ if same(&before.policy, &after.policy) => {}
            Some(doc) => {
                let request = c
                    .set_repository_policy()
                    .repository_name(name)
                    .policy_text(compact(doc));
                send!(ecr, ctx, request, "setting the repository policy")?;
            }
            None => {
                let sent = c.delete_repository_policy().repository_name(name).send();
                unless_gone(ecr, ctx, "removing the policy", sent).await?;
            }
        }
        let old_tags: BTreeMap<String, String> = before.tags.iter().cloned().collect();
        let remove = |keys: Vec<String>| async move {
            let request = c
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(keys));
            send!(ecr, ctx, request, "untagging the repository")
        };
        let set = |tags: BTreeMap<String, String>| async move {
            let request = c.tag_resource().resource_arn(arn);
            let request = request.set_tags(Some(sdk_tags(ctx, &tags)?));
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
        let given = spec.request.get_repository_name().clone();
        let name = given
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("RepositoryName is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.request.clone().repository_name(&name);
        let request = request.set_tags(Some(sdk_tags(ctx, &tags)?));
        let sent = request.send_with(&self.ecr.client).await;
        let doing = format!("creating repository {name}");
        let (repo, before) = match sent {
            Ok(out) => {
                let repo = out
                    .repository()
                    .cloned()
                    .ok_or_else(|| ctx.fatal(format!("{doing}: ECR returned no repository")))?;
                let before = Spec {
                    lifecycle: None,
                    policy: None,
                    registry: None,
                    tags: tags.clone().into_iter().collect(),
                    ..spec.clone()
                };
                (repo, before)
            }
            Err(e) => {
                let err = self.ecr.err(e);
                if !has_code(&err, "RepositoryAlreadyExistsException") {
                    return Err(on_create(ctx.fail(doing, err)));
                }
                let repo = describe_one(&self.ecr, ctx, &name)
                    .await?
                    .ok_or_else(|| ctx.fail_referencing(&doing, &err))?;
                let found =
                    tags_of(&self.ecr, ctx, repo.repository_arn().unwrap_or_default()).await?;
                if !owned_by(&found, &input.tags) {
                    return Err(ctx.fatal(format!(
                        "{doing}: a repository of that name already exists and was not made for \
                         this resource (it lacks its infra:* tags); choose another RepositoryName \
                         or import it"
                    )));
                }
                let before = seen(&repo, &found);
                (repo, before)
            }
        };
        self.converge(ctx, &repo, &before, &spec, &tags).await?;
        Ok(output(&repo))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let mut before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        before.tags = merge_tags(&before.tags, &input.tags).into_iter().collect();
        let name = &input.physical_id;
        let arn = input
            .attributes
            .get("Arn")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let repo = Repository::builder()
            .repository_name(name)
            .set_repository_arn(arn)
            .build();
        self.converge(
            ctx,
            &repo,
            &before,
            &after,
            &merge_tags(&after.tags, &input.tags),
        )
        .await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = &input.physical_id;
        let force = parse(&input.properties, ctx)
            .map(|s| s.empty_on_delete)
            .unwrap_or(false);
        let sent = self
            .ecr
            .client
            .delete_repository()
            .repository_name(name)
            .force(force)
            .send()
            .await;
        let Err(e) = sent else { return Ok(()) };
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
        super::read::read(self, items).await
    }
}

fn same(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_document(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}
