//! `AWS::IAM::ManagedPolicy`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `ManagedPolicyName` | CreatePolicy (else the generated name) | create-only (replacement) |
//! | `Path` | CreatePolicy | create-only (replacement) |
//! | `Description` | CreatePolicy | create-only (replacement) |
//! | `PolicyDocument` | CreatePolicy | CreatePolicyVersion as the new default; at IAM's limit of five versions the oldest non-default one is deleted first |
//! | `Roles`, `Users`, `Groups` | Attach{Role,User,Group}Policy | attach added, detach removed |
//!
//! CloudFormation's schema gives the type no `Tags`; infra's own tags go in the CreatePolicy
//! call. `Ref` is the policy ARN; `Fn::GetAtt` gives `PolicyArn`, `PolicyId`,
//! `DefaultVersionId`, `AttachmentCount`, `IsAttachable`, `PermissionsBoundaryUsageCount`,
//! `CreateDate` and `UpdateDate`.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::{Policy, PolicyScopeType};
use serde_json::{Map, Value, json};

use super::common::{
    self, Ctx, Props, compact, has_code, is_not_found, managed_keys, observed_document,
    observed_scalar, observed_set, owned_by, same_document,
};
use super::{Iam, iam_tags, tag_map};
use crate::provider::{
    BoxFuture, CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};

pub(super) const TYPE: &str = "AWS::IAM::ManagedPolicy";

const SUPPORTED: &[&str] = &[
    "Description",
    "Groups",
    "ManagedPolicyName",
    "Path",
    "PolicyDocument",
    "Roles",
    "Users",
];

/// IAM keeps at most this many versions of a managed policy.
const MAX_VERSIONS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Role,
    User,
    Group,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Role, Kind::User, Kind::Group];

    fn property(self) -> &'static str {
        match self {
            Kind::Role => "Roles",
            Kind::User => "Users",
            Kind::Group => "Groups",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::User => "user",
            Kind::Group => "group",
        }
    }
}

#[derive(Debug, Clone)]
struct Spec {
    name: Option<String>,
    path: Option<String>,
    description: Option<String>,
    document: Value,
    principals: Vec<(Kind, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let document = props
        .document("PolicyDocument")?
        .ok_or_else(|| ctx.fatal("property PolicyDocument is required"))?;
    let mut principals = Vec::new();
    for kind in Kind::ALL {
        for p in props.str_list(kind.property())? {
            if !principals.contains(&(kind, p.clone())) {
                principals.push((kind, p));
            }
        }
    }
    Ok(Spec {
        name: props.str("ManagedPolicyName")?,
        path: props.str("Path")?,
        description: props.str("Description")?,
        document,
        principals,
    })
}

/// The provider.
#[derive(Debug)]
pub(crate) struct ManagedPolicyProvider {
    iam: Iam,
}

impl ManagedPolicyProvider {
    pub(crate) fn new(iam: Iam) -> Self {
        ManagedPolicyProvider { iam }
    }

    async fn create_policy(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("ManagedPolicyName is not set and no name was generated"))?;
        let mut request = self
            .iam
            .client
            .create_policy()
            .policy_name(&name)
            .set_path(spec.path.clone())
            .set_description(spec.description.clone())
            .policy_document(compact(&spec.document));
        if !input.tags.is_empty() {
            request = request.set_tags(Some(iam_tags(&ctx, &input.tags)?));
        }
        let arn = match request.send().await {
            Ok(out) => out
                .policy
                .and_then(|p| p.arn)
                .ok_or_else(|| ctx.fatal(format!("CreatePolicy {name} returned no ARN")))?,
            Err(e) => {
                let err = self.iam.api.err("CreatePolicy", e);
                if !has_code(&err, "EntityAlreadyExists") {
                    return Err(ctx.fail(format!("creating managed policy {name}"), err));
                }
                self.adopt(ctx, &name, &spec, input, err).await?
            }
        };
        for (kind, principal) in &spec.principals {
            // The policy was just made (and the principal may have been): IAM catching up.
            common::retry_eventual(|| self.attach(ctx, &arn, *kind, principal)).await?;
        }
        let policy = self.get(ctx, &arn).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::EventuallyConsistent,
                format!("managed policy {arn} was created but GetPolicy does not show it yet"),
            )
        })?;
        Ok(output(&policy))
    }

    /// The name is taken: when the policy carries this resource's infra tags an earlier attempt
    /// made it, and it is brought to the template's document and used.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        spec: &Spec,
        input: &CreateInput,
        conflict: crate::AwsError,
    ) -> Result<String, ProviderError> {
        let Some(arn) = find_arn(&self.iam, ctx, name, spec.path.as_deref()).await? else {
            return Err(ctx.fail_referencing(format!("creating managed policy {name}"), conflict));
        };
        if !owned_by(&policy_tags(&self.iam, ctx, &arn).await?, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating managed policy {name}: one of that name already exists ({arn}) and was \
                 not made for this resource (it lacks its infra:* tags); choose another \
                 ManagedPolicyName or import it"
            )));
        }
        let current = self.default_document(ctx, &arn).await?;
        if !current
            .as_ref()
            .is_some_and(|doc| same_document(doc, &spec.document))
        {
            self.new_version(ctx, &arn, &spec.document).await?;
        }
        Ok(arn)
    }

    async fn get(&self, ctx: Ctx<'_>, arn: &str) -> Result<Option<Policy>, ProviderError> {
        get_policy(&self.iam, ctx, arn).await
    }

    async fn default_document(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(policy) = self.get(ctx, arn).await? else {
            return Ok(None);
        };
        let Some(version) = policy.default_version_id() else {
            return Ok(None);
        };
        get_document(&self.iam, ctx, arn, version, None).await
    }

    async fn attach(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        kind: Kind,
        principal: &str,
    ) -> Result<(), ProviderError> {
        let client = &self.iam.client;
        let api = &self.iam.api;
        let result = match kind {
            Kind::Role => client
                .attach_role_policy()
                .role_name(principal)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api.err("AttachRolePolicy", e)),
            Kind::User => client
                .attach_user_policy()
                .user_name(principal)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api.err("AttachUserPolicy", e)),
            Kind::Group => client
                .attach_group_policy()
                .group_name(principal)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api.err("AttachGroupPolicy", e)),
        };
        // NoSuchEntity: the principal (another resource's) or this policy was created a moment
        // ago and is not visible yet.
        result.map_err(|err| {
            ctx.fail_referencing(
                format!("attaching {arn} to {} {principal}", kind.noun()),
                err,
            )
        })
    }

    async fn detach(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        kind: Kind,
        principal: &str,
    ) -> Result<(), ProviderError> {
        let client = &self.iam.client;
        let api = &self.iam.api;
        let result = match kind {
            Kind::Role => client
                .detach_role_policy()
                .role_name(principal)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api.err("DetachRolePolicy", e)),
            Kind::User => client
                .detach_user_policy()
                .user_name(principal)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api.err("DetachUserPolicy", e)),
            Kind::Group => client
                .detach_group_policy()
                .group_name(principal)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| api.err("DetachGroupPolicy", e)),
        };
        match result {
            Ok(()) => Ok(()),
            Err(err) if is_not_found(&err) => Ok(()),
            Err(err) => Err(ctx.fail(
                format!("detaching {arn} from {} {principal}", kind.noun()),
                err,
            )),
        }
    }

    /// The versions of a policy: (id, is default, created), oldest first.
    async fn versions(
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

    async fn delete_version(
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
    async fn new_version(
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

    async fn update_policy(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        for (what, changed) in [
            ("ManagedPolicyName", before.name != after.name),
            ("Path", before.path != after.path),
            ("Description", before.description != after.description),
        ] {
            if changed {
                return Err(ctx.fatal(format!(
                    "{what} cannot change in place; the managed policy must be replaced"
                )));
            }
        }
        if !same_document(&before.document, &after.document) {
            self.new_version(ctx, arn, &after.document).await?;
        }
        for (kind, principal) in &after.principals {
            if !before.principals.contains(&(*kind, principal.clone())) {
                self.attach(ctx, arn, *kind, principal).await?;
            }
        }
        for (kind, principal) in &before.principals {
            if !after.principals.contains(&(*kind, principal.clone())) {
                self.detach(ctx, arn, *kind, principal).await?;
            }
        }
        let policy = self.get(ctx, arn).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::NotFound,
                format!("managed policy {arn} does not exist"),
            )
        })?;
        Ok(output(&policy))
    }

    async fn delete_policy(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        // 1. Detached from every entity (DeletePolicy refuses while any remains).
        let Some(entities) = list_entities(&self.iam, ctx, arn).await? else {
            return Ok(());
        };
        for (kind, principal) in entities {
            self.detach(ctx, arn, kind, &principal).await?;
        }
        // 2. Every version but the default deleted.
        let Some(versions) = self.versions(ctx, arn).await? else {
            return Ok(());
        };
        for (version, default) in versions {
            if !default {
                self.delete_version(ctx, arn, &version).await?;
            }
        }
        // 3. The policy.
        match self.iam.client.delete_policy().policy_arn(arn).send().await {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.iam.api.err("DeletePolicy", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting managed policy {arn}"), err))
                }
            }
        }
    }
}

/// The ARN of this account's managed policy called `name` under `path` (`/` when `None`), by
/// ListPolicies (IAM has no lookup by name); `None` when there is none.
pub(super) async fn find_arn(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
    path: Option<&str>,
) -> Result<Option<String>, ProviderError> {
    let path = path.unwrap_or("/");
    let mut pages = iam
        .client
        .list_policies()
        .scope(PolicyScopeType::Local)
        .path_prefix(path)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            ctx.fail(
                format!("looking for managed policy {name}"),
                iam.api.err("ListPolicies", e),
            )
        })?;
        if let Some(p) = page
            .policies()
            .iter()
            .find(|p| p.policy_name() == Some(name) && p.path() == Some(path))
        {
            return Ok(p.arn().map(str::to_owned));
        }
    }
    Ok(None)
}

/// The tags of managed policy `arn`.
pub(super) async fn policy_tags(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let out = iam
        .client
        .list_policy_tags()
        .policy_arn(arn)
        .send()
        .await
        .map_err(|e| {
            ctx.fail(
                format!("reading the tags of {arn}"),
                iam.api.err("ListPolicyTags", e),
            )
        })?;
    Ok(tag_map(out.tags()))
}

/// GetPolicy; `None` when it does not exist.
pub(super) async fn get_policy(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<Option<Policy>, ProviderError> {
    match iam.client.get_policy().policy_arn(arn).send().await {
        Ok(out) => Ok(out.policy),
        Err(e) => {
            let err = iam.api.err("GetPolicy", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(ctx.fail(format!("reading managed policy {arn}"), err))
            }
        }
    }
}

/// The document of one version, as the template would write it.
async fn get_document(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
    version: &str,
    previous: Option<&Value>,
) -> Result<Option<Value>, ProviderError> {
    match iam
        .client
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .policy_version()
            .and_then(|v| v.document())
            .map(|doc| observed_document(doc, true, previous))),
        Err(e) => {
            let err = iam.api.err("GetPolicyVersion", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(ctx.fail(format!("reading version {version} of {arn}"), err))
            }
        }
    }
}

/// Every entity the policy is attached to; `None` when the policy does not exist.
async fn list_entities(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<Option<Vec<(Kind, String)>>, ProviderError> {
    let mut entities = Vec::new();
    let mut pages = iam
        .client
        .list_entities_for_policy()
        .policy_arn(arn)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                entities.extend(
                    page.policy_roles()
                        .iter()
                        .filter_map(|r| r.role_name().map(|n| (Kind::Role, n.to_owned()))),
                );
                entities.extend(
                    page.policy_users()
                        .iter()
                        .filter_map(|u| u.user_name().map(|n| (Kind::User, n.to_owned()))),
                );
                entities.extend(
                    page.policy_groups()
                        .iter()
                        .filter_map(|g| g.group_name().map(|n| (Kind::Group, n.to_owned()))),
                );
            }
            Err(e) => {
                let err = iam.api.err("ListEntitiesForPolicy", e);
                if is_not_found(&err) {
                    return Ok(None);
                }
                return Err(ctx.fail(format!("listing the entities {arn} is attached to"), err));
            }
        }
    }
    Ok(Some(entities))
}

pub(super) fn output(policy: &Policy) -> ResourceOutput {
    ResourceOutput {
        physical_id: policy.arn().unwrap_or_default().to_owned(),
        attributes: attributes(policy),
    }
}

fn attributes(policy: &Policy) -> BTreeMap<String, Value> {
    let mut attrs = BTreeMap::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            attrs.insert(key.to_owned(), value);
        }
    };
    put("PolicyArn", policy.arn().map(|s| json!(s)));
    put("PolicyId", policy.policy_id().map(|s| json!(s)));
    put(
        "DefaultVersionId",
        policy.default_version_id().map(|s| json!(s)),
    );
    put(
        "AttachmentCount",
        policy.attachment_count().map(|n| json!(n)),
    );
    put("IsAttachable", Some(json!(policy.is_attachable())));
    put(
        "PermissionsBoundaryUsageCount",
        policy.permissions_boundary_usage_count().map(|n| json!(n)),
    );
    put("CreateDate", policy.create_date().map(common::iso_date));
    put("UpdateDate", policy.update_date().map(common::iso_date));
    attrs
}

async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let arn = item.physical_id.as_str();
    let Some(policy) = get_policy(&iam, ctx, arn).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let scalars = [
        ("ManagedPolicyName", policy.policy_name()),
        ("Path", policy.path()),
        ("Description", policy.description()),
    ];
    for (key, value) in scalars {
        if let Some(value) = value.filter(|v| managed.contains(key) && !v.is_empty()) {
            props.insert(key.into(), observed_scalar(json!(value), prev(key)));
        }
    }
    let document = match policy.default_version_id() {
        Some(version) => get_document(&iam, ctx, arn, version, prev("PolicyDocument")).await?,
        None => None,
    };
    if let Some(doc) = document {
        props.insert("PolicyDocument".into(), doc);
    }
    if Kind::ALL.iter().any(|k| managed.contains(k.property())) {
        let attached = list_entities(&iam, ctx, arn).await?.unwrap_or_default();
        for kind in Kind::ALL {
            let key = kind.property();
            if !managed.contains(key) {
                continue;
            }
            let previous = prev(key);
            let wanted: BTreeSet<String> = previous
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(common::scalar_text).collect())
                .unwrap_or_default();
            let ours: Vec<String> = attached
                .iter()
                .filter(|(k, name)| *k == kind && wanted.contains(name))
                .map(|(_, name)| name.clone())
                .collect();
            props.insert(key.into(), observed_set(ours, previous));
        }
    }
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: attributes(&policy),
        },
    ))
}

impl ResourceProvider for ManagedPolicyProvider {
    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(self.create_policy(input))
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(self.update_policy(input))
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(super::find::managed_policy(&self.iam, input))
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(self.delete_policy(input))
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(async move {
            let tasks = items
                .iter()
                .map(|item| read_one(self.iam.clone(), item.clone()))
                .collect();
            Ok(common::run_bounded(tasks, common::READ_CONCURRENCY)
                .await?
                .into_iter()
                .collect())
        })
    }
}
