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
//!
//! A new document is a new default version, the oldest non-default one pruned at IAM's limit;
//! attaching the policy to and detaching it from a role, user or group is every principal's
//! ([`Principal`]).
//!
//! Refresh is GetPolicy, with the default version's document and the entities the policy is
//! attached to (ListEntitiesForPolicy) when managed; `find` looks the policy up by name with
//! ListPolicies (IAM has no lookup by name), then its tags.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::{Policy, PolicyScopeType};

use super::principal::{Change, Kind, Principal, change_each, list, principals};
use super::{Iam, iam_tags, observed_map, present, tag_map};
use crate::generated::iam::MANAGED_POLICY;
use crate::providers::kit::prelude::*;

pub(super) const TYPE: &str = "AWS::IAM::ManagedPolicy";

/// IAM keeps at most this many versions of a managed policy.
const MAX_VERSIONS: usize = 5;

#[derive(Debug, Clone)]
struct Spec {
    name: Option<String>,
    path: Option<String>,
    description: Option<String>,
    document: Value,
    principals: Vec<(Kind, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::root(value, ctx, MANAGED_POLICY)?;
    let document = props
        .document("PolicyDocument")?
        .ok_or_else(|| ctx.fatal("property PolicyDocument is required"))?;
    Ok(Spec {
        name: props.str("ManagedPolicyName")?,
        path: props.str("Path")?,
        description: props.str("Description")?,
        document,
        principals: principals(&props)?,
    })
}

/// The provider.
#[derive(Debug)]
pub(crate) struct ManagedPolicyProvider {
    pub(crate) iam: Iam,
}

impl kit::Provider for ManagedPolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetPolicy per policy (and its document and attachments when managed), 8 at a time",
        Find::Name,
        "ListPolicies for ManagedPolicyName and Path, infra tags checked (ListPolicyTags)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "ManagedPolicyName")?;
        let tags = Some(iam_tags(&ctx, &input.tags)?).filter(|t| !t.is_empty());
        let request = self.iam.client.create_policy().policy_name(&name);
        let request = request
            .set_path(spec.path.clone())
            .set_description(spec.description.clone())
            .policy_document(compact(&spec.document))
            .set_tags(tags);
        let none = || ctx.fatal(format!("CreatePolicy {name} returned no ARN"));
        let arn = match request.send().await.map_err(|e| self.iam.err(e)) {
            Ok(out) => out.policy.and_then(|p| p.arn).ok_or_else(none)?,
            Err(err) if has_code(&err, "EntityAlreadyExists") => {
                self.adopt(ctx, &name, &spec, input, err).await?
            }
            Err(err) => return Err(ctx.fail(format!("creating managed policy {name}"), err)),
        };
        for (kind, principal) in &spec.principals {
            // The policy was just made (and the principal may have been): IAM catching up.
            let principal = Principal::new(&self.iam, ctx, *kind, principal);
            kit::retry_eventual(|| principal.change(Change::Attach(&arn))).await?;
        }
        let policy = get_policy(&self.iam, ctx, &arn).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::EventuallyConsistent,
                format!("managed policy {arn} was created but GetPolicy does not show it yet"),
            )
        })?;
        Ok(output(&policy))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
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
        let (iam, was, now) = (&self.iam, &before.principals, &after.principals);
        let added: Vec<_> = now.iter().filter(|p| !was.contains(p)).collect();
        change_each(iam, ctx, added, Change::Attach(arn)).await?;
        let removed: Vec<_> = was.iter().filter(|p| !now.contains(p)).collect();
        change_each(iam, ctx, removed, Change::Detach(arn)).await?;
        let policy = get_policy(&self.iam, ctx, arn).await?;
        let gone = || kit::does_not_exist(ctx, &format!("managed policy {arn}"));
        Ok(output(&policy.ok_or_else(gone)?))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        // 1. Detached from every entity (DeletePolicy refuses while any remains).
        let Some(entities) = list_entities(&self.iam, ctx, arn).await? else {
            return Ok(());
        };
        change_each(&self.iam, ctx, &entities, Change::Detach(arn)).await?;
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
        let sent = self.iam.client.delete_policy().policy_arn(arn).send();
        let doing = format!("deleting managed policy {arn}");
        unless_gone(&self.iam, ctx, doing, sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    /// Its ARN by name and path (ListPolicies, as IAM has no lookup by name), then its tags
    /// (ListPolicyTags), then GetPolicy for the attributes.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "ManagedPolicyName", ctx)?;
        let path = input.properties.get("Path").and_then(|p| p.as_str());
        let Some(arn) = find_arn(&self.iam, ctx, &name, path).await? else {
            return Ok(None);
        };
        if !owned_by(&policy_tags(&self.iam, ctx, &arn).await?, &input.tags) {
            return Ok(None);
        }
        Ok(get_policy(&self.iam, ctx, &arn).await?.as_ref().map(output))
    }
}

impl ManagedPolicyProvider {
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
            let doing = format!("creating managed policy {name}");
            let noun = format!("one ({arn})");
            return Err(kit::not_ours(ctx, &doing, &noun, "ManagedPolicyName"));
        }
        let policy = get_policy(&self.iam, ctx, &arn).await?;
        let version = policy.as_ref().and_then(Policy::default_version_id);
        let current = get_document(&self.iam, ctx, &arn, version, None).await?;
        if !current
            .as_ref()
            .is_some_and(|doc| same_document(doc, &spec.document))
        {
            self.new_version(ctx, &arn, &spec.document).await?;
        }
        Ok(arn)
    }

    /// The versions of a policy: (id, is default, created), oldest first.
    async fn versions(
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

    async fn delete_version(
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
    async fn new_version(
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

/// The ARN of this account's managed policy called `name` under `path` (`/` when `None`), by
/// ListPolicies (IAM has no lookup by name); `None` when there is none.
async fn find_arn(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
    path: Option<&str>,
) -> Result<Option<String>, ProviderError> {
    let path = path.unwrap_or("/");
    let request = iam.client.list_policies().scope(PolicyScopeType::Local);
    let mut pages = request.path_prefix(path).into_paginator().send();
    let doing = format!("looking for managed policy {name}");
    let named = |p: &&Policy| p.policy_name() == Some(name) && p.path() == Some(path);
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ctx.fail(&doing, iam.api.err(e)))?;
        if let Some(p) = page.policies().iter().find(named) {
            return Ok(p.arn().map(str::to_owned));
        }
    }
    Ok(None)
}

/// The tags of managed policy `arn`.
async fn policy_tags(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let request = iam.client.list_policy_tags().policy_arn(arn);
    let out = send!(iam, ctx, request, format!("reading the tags of {arn}"))?;
    Ok(tag_map(out.tags()))
}

/// GetPolicy; `None` when it does not exist.
async fn get_policy(iam: &Iam, ctx: Ctx<'_>, arn: &str) -> Result<Option<Policy>, ProviderError> {
    let sent = iam.client.get_policy().policy_arn(arn).send();
    let out = kit::found(iam, ctx, format!("reading managed policy {arn}"), sent).await?;
    Ok(out.and_then(|out| out.policy))
}

/// The document of one version (the default one, `None` when there is none), as the template
/// would write it.
async fn get_document(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
    version: Option<&str>,
    previous: Option<&Value>,
) -> Result<Option<Value>, ProviderError> {
    let Some(version) = version else {
        return Ok(None);
    };
    let request = iam.client.get_policy_version().policy_arn(arn);
    let sent = request.version_id(version).send();
    let doing = format!("reading version {version} of {arn}");
    let Some(out) = kit::found(iam, ctx, doing, sent).await? else {
        return Ok(None);
    };
    let doc = out.policy_version().and_then(|v| v.document());
    Ok(doc.map(|doc| observed_document(doc, true, previous)))
}

/// Every entity the policy is attached to; `None` when the policy does not exist.
async fn list_entities(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<Option<Vec<(Kind, String)>>, ProviderError> {
    let request = iam.client.list_entities_for_policy().policy_arn(arn);
    let doing = format!("listing the entities {arn} is attached to");
    list!(iam, ctx, doing, request, |o| {
        let roles = o.policy_roles().iter().map(|r| (Kind::Role, r.role_name()));
        let users = o.policy_users().iter().map(|u| (Kind::User, u.user_name()));
        let groups = o.policy_groups().iter();
        let groups = groups.map(|g| (Kind::Group, g.group_name()));
        let all = roles.chain(users).chain(groups);
        let all = all.filter_map(|(kind, name)| Some((kind, name?.to_owned())));
        (all.collect(), o.is_truncated, o.marker)
    })
}

fn output(policy: &Policy) -> ResourceOutput {
    ResourceOutput {
        physical_id: policy.arn().unwrap_or_default().to_owned(),
        attributes: attributes(policy),
    }
}

/// The attributes IAM reports (those it leaves out are not there).
fn attributes(policy: &Policy) -> BTreeMap<String, Value> {
    let (created, updated) = (policy.create_date(), policy.update_date());
    let all = json!({
        "PolicyArn": policy.arn(),
        "PolicyId": policy.policy_id(),
        "DefaultVersionId": policy.default_version_id(),
        "AttachmentCount": policy.attachment_count(),
        "IsAttachable": policy.is_attachable(),
        "PermissionsBoundaryUsageCount": policy.permissions_boundary_usage_count(),
        "CreateDate": created.map(kit::iso_date),
        "UpdateDate": updated.map(kit::iso_date),
    });
    let all = all.as_object().into_iter().flatten();
    all.filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let arn = item.physical_id.as_str();
    let Some(policy) = get_policy(&iam, ctx, arn).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let found = json!({
        "ManagedPolicyName": policy.policy_name().filter(|n| !n.is_empty()),
        "Path": policy.path().filter(|p| !p.is_empty()),
        "Description": policy.description().filter(|d| !d.is_empty()),
    });
    let mut props = observed_map(found, &item.properties);
    let version = policy.default_version_id();
    if let Some(doc) = get_document(&iam, ctx, arn, version, prev("PolicyDocument")).await? {
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
            let wanted = previous.and_then(Value::as_array).into_iter().flatten();
            let wanted: BTreeSet<String> = wanted.filter_map(kit::scalar_text).collect();
            let ours = attached
                .iter()
                .filter(|(k, n)| *k == kind && wanted.contains(n));
            let ours = ours.map(|(_, name)| name.clone()).collect();
            props.insert(key.into(), observed_set(ours, previous));
        }
    }
    present(&item, props, attributes(&policy))
}
