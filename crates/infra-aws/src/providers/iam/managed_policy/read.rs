//! `AWS::IAM::ManagedPolicy` reading: the policy found by name (ListPolicies), its tags,
//! GetPolicy and the default version's document, the entities it is attached to, the
//! `Fn::GetAtt` attributes and the properties refresh reports.

use crate::providers::iam::present;
use std::collections::{BTreeMap, BTreeSet};

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::{Policy, PolicyScopeType};

use super::{ManagedPolicyProvider, TYPE};
use crate::providers::iam::principal::{Kind, list};
use crate::providers::iam::{Iam, tag_map};

impl ManagedPolicyProvider {
    pub(super) async fn default_document(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(policy) = get_policy(&self.iam, ctx, arn).await? else {
            return Ok(None);
        };
        let Some(version) = policy.default_version_id() else {
            return Ok(None);
        };
        get_document(&self.iam, ctx, arn, version, None).await
    }
}

/// The ARN of this account's managed policy called `name` under `path` (`/` when `None`), by
/// ListPolicies (IAM has no lookup by name); `None` when there is none.
pub(in crate::providers::iam) async fn find_arn(
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
pub(in crate::providers::iam) async fn policy_tags(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let request = iam.client.list_policy_tags().policy_arn(arn);
    let out = send!(iam, ctx, request, format!("reading the tags of {arn}"))?;
    Ok(tag_map(out.tags()))
}

/// GetPolicy; `None` when it does not exist.
pub(in crate::providers::iam) async fn get_policy(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<Option<Policy>, ProviderError> {
    let sent = iam.client.get_policy().policy_arn(arn).send();
    let out = kit::found(iam, ctx, format!("reading managed policy {arn}"), sent).await?;
    Ok(out.and_then(|out| out.policy))
}

/// The document of one version, as the template would write it.
async fn get_document(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
    version: &str,
    previous: Option<&Value>,
) -> Result<Option<Value>, ProviderError> {
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
pub(super) async fn list_entities(
    iam: &Iam,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<Option<Vec<(Kind, String)>>, ProviderError> {
    let request = iam.client.list_entities_for_policy().policy_arn(arn);
    let doing = format!("listing the entities {arn} is attached to");
    list!(iam, ctx, doing, request, |o| {
        let roles = o.policy_roles().iter().filter_map(|r| r.role_name());
        let users = o.policy_users().iter().filter_map(|u| u.user_name());
        let groups = o.policy_groups().iter().filter_map(|g| g.group_name());
        let roles = roles.map(|n| (Kind::Role, n.to_owned()));
        let users = users.map(|n| (Kind::User, n.to_owned()));
        let all = roles
            .chain(users)
            .chain(groups.map(|n| (Kind::Group, n.to_owned())));
        (all.collect(), o.is_truncated, o.marker)
    })
}

pub(in crate::providers::iam) fn output(policy: &Policy) -> ResourceOutput {
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

pub(super) async fn read_one(
    iam: Iam,
    item: ReadInput,
) -> Result<(String, Observation), ProviderError> {
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
