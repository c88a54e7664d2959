//! `AWS::IAM::Role`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `RoleName` | CreateRole (else the generated name) | create-only (replacement) |
//! | `Path` | CreateRole | create-only (replacement) |
//! | `AssumeRolePolicyDocument` | CreateRole | UpdateAssumeRolePolicy |
//! | `Description` | CreateRole | UpdateRole (removed: set to empty) |
//! | `MaxSessionDuration` | CreateRole | UpdateRole (removed: the default, 3600) |
//! | `PermissionsBoundary` | CreateRole | PutRolePermissionsBoundary / DeleteRolePermissionsBoundary |
//! | `Policies` | PutRolePolicy each | PutRolePolicy new or changed, DeleteRolePolicy removed |
//! | `ManagedPolicyArns` | AttachRolePolicy each | AttachRolePolicy added, DetachRolePolicy removed |
//! | `Tags` | CreateRole, with infra's tags | TagRole / UntagRole |
//!
//! `Ref` is the role name; `Fn::GetAtt` gives `Arn` and `RoleId`.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::Role;
use serde_json::{Map, Value, json};

use super::common::{
    self, Ctx, Props, compact, has_code, is_not_found, managed_keys, merge_tags, observed_document,
    observed_scalar, observed_set, observed_tags, owned_by, same_document, tag_changes,
};
use super::{Iam, iam_tags, tag_map};
use crate::provider::{
    BoxFuture, CreateInput, DeleteInput, FindInput, Observation, ProviderError, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};

pub(super) const TYPE: &str = "AWS::IAM::Role";

const SUPPORTED: &[&str] = &[
    "AssumeRolePolicyDocument",
    "Description",
    "ManagedPolicyArns",
    "MaxSessionDuration",
    "Path",
    "PermissionsBoundary",
    "Policies",
    "RoleName",
    "Tags",
];

/// IAM's default maximum session duration, restored when the property is removed.
const DEFAULT_MAX_SESSION: i32 = 3600;

/// One entry of `Policies`.
#[derive(Debug, Clone, PartialEq)]
struct InlinePolicy {
    name: String,
    document: Value,
}

/// A role as the template describes it.
#[derive(Debug, Clone)]
struct RoleSpec {
    name: Option<String>,
    path: Option<String>,
    assume: Value,
    description: Option<String>,
    max_session: Option<i32>,
    boundary: Option<String>,
    policies: Vec<InlinePolicy>,
    managed: Vec<String>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<RoleSpec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let assume = props
        .document("AssumeRolePolicyDocument")?
        .ok_or_else(|| ctx.fatal("property AssumeRolePolicyDocument is required"))?;
    let mut policies: Vec<InlinePolicy> = Vec::new();
    match props.get("Policies") {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                let policy = parse_inline(item, ctx)?;
                if policies.iter().any(|p| p.name == policy.name) {
                    return Err(ctx.fatal(format!(
                        "property Policies: two policies are named {}; inline policy names must \
                         be unique within a role",
                        policy.name
                    )));
                }
                policies.push(policy);
            }
        }
        Some(_) => {
            return Err(
                ctx.fatal("property Policies must be a list of {PolicyName, PolicyDocument}")
            );
        }
    }
    let mut managed = props.str_list("ManagedPolicyArns")?;
    let mut seen = BTreeSet::new();
    managed.retain(|arn| seen.insert(arn.clone()));
    Ok(RoleSpec {
        name: props.str("RoleName")?,
        path: props.str("Path")?,
        assume,
        description: props.str("Description")?,
        max_session: props.i32("MaxSessionDuration")?,
        boundary: props.str("PermissionsBoundary")?,
        policies,
        managed,
        tags: props.tags("Tags")?,
    })
}

fn parse_inline(item: &Value, ctx: Ctx<'_>) -> Result<InlinePolicy, ProviderError> {
    let Value::Object(map) = item else {
        return Err(ctx.fatal(
            "property Policies: every entry must be a {PolicyName, PolicyDocument} object",
        ));
    };
    if let Some(extra) = map
        .keys()
        .find(|k| *k != "PolicyName" && *k != "PolicyDocument")
    {
        return Err(ctx.fatal(format!(
            "property Policies: a policy has no property {extra}"
        )));
    }
    let name = map
        .get("PolicyName")
        .and_then(Value::as_str)
        .ok_or_else(|| ctx.fatal("property Policies: every policy needs a PolicyName string"))?;
    let document = map
        .get("PolicyDocument")
        .ok_or_else(|| {
            ctx.fatal(format!(
                "property Policies: policy {name} has no PolicyDocument"
            ))
        })
        .and_then(|doc| {
            common::parse_document(doc)
                .map_err(|why| ctx.fatal(format!("property Policies: policy {name}: {why}")))
        })?;
    Ok(InlinePolicy {
        name: name.to_owned(),
        document,
    })
}

/// The provider.
#[derive(Debug)]
pub(crate) struct RoleProvider {
    iam: Iam,
}

impl RoleProvider {
    pub(crate) fn new(iam: Iam) -> Self {
        RoleProvider { iam }
    }

    async fn create_role(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("RoleName is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = self
            .iam
            .client
            .create_role()
            .role_name(&name)
            .set_path(spec.path.clone())
            .assume_role_policy_document(compact(&spec.assume))
            .set_description(spec.description.clone())
            .set_max_session_duration(spec.max_session)
            .set_permissions_boundary(spec.boundary.clone())
            .set_tags(Some(iam_tags(&ctx, &tags)?).filter(|t| !t.is_empty()))
            .send()
            .await;
        let role = match created {
            Ok(out) => out
                .role
                .ok_or_else(|| ctx.fatal(format!("CreateRole {name} returned no role")))?,
            Err(e) => {
                let err = self.iam.api.err("CreateRole", e);
                if !has_code(&err, "EntityAlreadyExists") {
                    return Err(ctx.fail(format!("creating role {name}"), err));
                }
                self.adopt(ctx, &name, &spec, input, err).await?
            }
        };
        // The role was just made: "no such role" is IAM catching up.
        let client = &self.iam.client;
        for policy in &spec.policies {
            common::retry_eventual(|| async {
                client
                    .put_role_policy()
                    .role_name(&name)
                    .policy_name(&policy.name)
                    .policy_document(compact(&policy.document))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        ctx.fail_referencing(
                            format!("putting inline policy {} on role {name}", policy.name),
                            self.iam.api.err("PutRolePolicy", e),
                        )
                    })
            })
            .await?;
        }
        for arn in &spec.managed {
            common::retry_eventual(|| self.attach(ctx, &name, arn)).await?;
        }
        Ok(output(&role))
    }

    /// A role of this name exists: an earlier attempt at this resource made it when it carries
    /// this resource's infra tags, and then it is brought to the spec and used.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        spec: &RoleSpec,
        input: &CreateInput,
        conflict: crate::AwsError,
    ) -> Result<Role, ProviderError> {
        let role = self
            .get_role(ctx, name)
            .await?
            .ok_or_else(|| ctx.fail_referencing(format!("creating role {name}"), conflict))?;
        if !owned_by(&tag_map(role.tags()), &input.tags) {
            return Err(ctx.fatal(format!(
                "creating role {name}: a role of that name already exists and was not made for \
                 this resource (it lacks its infra:* tags); choose another RoleName or import it"
            )));
        }
        let before = RoleSpec {
            assume: Value::Null,
            description: role.description().map(str::to_owned),
            max_session: role.max_session_duration(),
            boundary: role
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_owned),
            policies: Vec::new(),
            managed: Vec::new(),
            tags: tag_map(role.tags()).into_iter().collect(),
            ..spec.clone()
        };
        let after = RoleSpec {
            policies: Vec::new(),
            managed: Vec::new(),
            ..spec.clone()
        };
        self.apply_changes(ctx, name, &before, &after, &BTreeMap::new(), &input.tags)
            .await?;
        Ok(role)
    }

    async fn get_role(&self, ctx: Ctx<'_>, name: &str) -> Result<Option<Role>, ProviderError> {
        get_role(&self.iam, ctx, name).await
    }

    async fn attach(&self, ctx: Ctx<'_>, name: &str, arn: &str) -> Result<(), ProviderError> {
        self.iam
            .client
            .attach_role_policy()
            .role_name(name)
            .policy_arn(arn)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                ctx.fail_referencing(
                    format!("attaching managed policy {arn} to role {name}"),
                    self.iam.api.err("AttachRolePolicy", e),
                )
            })
    }

    /// Brings role `name` from `before` to `after` (everything but its name and path).
    /// `before_infra` / `after_infra` are infra's tags (recorded at create / now).
    async fn apply_changes(
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
        // Inline policies: new and changed ones first, so permissions never lapse.
        for policy in &after.policies {
            let unchanged = before
                .policies
                .iter()
                .any(|p| p.name == policy.name && same_document(&p.document, &policy.document));
            if unchanged {
                continue;
            }
            client
                .put_role_policy()
                .role_name(name)
                .policy_name(&policy.name)
                .policy_document(compact(&policy.document))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail(
                        format!("putting inline policy {} on role {name}", policy.name),
                        api.err("PutRolePolicy", e),
                    )
                })?;
        }
        for policy in &before.policies {
            if after.policies.iter().any(|p| p.name == policy.name) {
                continue;
            }
            if let Err(e) = client
                .delete_role_policy()
                .role_name(name)
                .policy_name(&policy.name)
                .send()
                .await
            {
                let err = api.err("DeleteRolePolicy", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(
                        format!("deleting inline policy {} of role {name}", policy.name),
                        err,
                    ));
                }
            }
        }
        for arn in &after.managed {
            if !before.managed.contains(arn) {
                self.attach(ctx, name, arn).await?;
            }
        }
        for arn in &before.managed {
            if after.managed.contains(arn) {
                continue;
            }
            if let Err(e) = client
                .detach_role_policy()
                .role_name(name)
                .policy_arn(arn)
                .send()
                .await
            {
                let err = api.err("DetachRolePolicy", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(
                        format!("detaching managed policy {arn} from role {name}"),
                        err,
                    ));
                }
            }
        }
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

    async fn update_role(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        if after.name.as_ref().is_some_and(|n| n != name) {
            return Err(ctx.fatal("RoleName cannot change in place; the role must be replaced"));
        }
        if before.path != after.path {
            return Err(ctx.fatal("Path cannot change in place; the role must be replaced"));
        }
        self.apply_changes(ctx, name, &before, &after, &input.tags, &input.tags)
            .await?;
        let role = self.get_role(ctx, name).await?.ok_or_else(|| {
            ctx.error(
                crate::provider::FailureClass::NotFound,
                format!("role {name} does not exist"),
            )
        })?;
        Ok(output(&role))
    }

    async fn delete_role(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = input.physical_id.as_str();
        let client = &self.iam.client;
        let api = &self.iam.api;

        // 1. Out of every instance profile.
        let mut profiles = Vec::new();
        let mut pages = client
            .list_instance_profiles_for_role()
            .role_name(name)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => profiles.extend(
                    page.instance_profiles()
                        .iter()
                        .map(|p| p.instance_profile_name().to_owned()),
                ),
                Err(e) => {
                    let err = api.err("ListInstanceProfilesForRole", e);
                    if is_not_found(&err) {
                        return Ok(());
                    }
                    return Err(
                        ctx.fail(format!("listing the instance profiles of role {name}"), err)
                    );
                }
            }
        }
        for profile in profiles {
            if let Err(e) = client
                .remove_role_from_instance_profile()
                .instance_profile_name(&profile)
                .role_name(name)
                .send()
                .await
            {
                let err = api.err("RemoveRoleFromInstanceProfile", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(
                        format!("removing role {name} from instance profile {profile}"),
                        err,
                    ));
                }
            }
        }

        // 2. Every managed policy detached.
        let attached = match list_attached(&self.iam, ctx, name).await? {
            Some(arns) => arns,
            None => return Ok(()),
        };
        for arn in attached {
            if let Err(e) = client
                .detach_role_policy()
                .role_name(name)
                .policy_arn(&arn)
                .send()
                .await
            {
                let err = api.err("DetachRolePolicy", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(format!("detaching {arn} from role {name}"), err));
                }
            }
        }

        // 3. Every inline policy deleted.
        let inline = match list_inline(&self.iam, ctx, name).await? {
            Some(names) => names,
            None => return Ok(()),
        };
        for policy in inline {
            if let Err(e) = client
                .delete_role_policy()
                .role_name(name)
                .policy_name(&policy)
                .send()
                .await
            {
                let err = api.err("DeleteRolePolicy", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(
                        format!("deleting inline policy {policy} of role {name}"),
                        err,
                    ));
                }
            }
        }

        // 4. The role.
        match client.delete_role().role_name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = api.err("DeleteRole", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting role {name}"), err))
                }
            }
        }
    }
}

/// GetRole; `None` when it does not exist.
pub(super) async fn get_role(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Role>, ProviderError> {
    match iam.client.get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role),
        Err(e) => {
            let err = iam.api.err("GetRole", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(ctx.fail(format!("reading role {name}"), err))
            }
        }
    }
}

/// The ARNs of the managed policies attached to a role; `None` when the role does not exist.
async fn list_attached(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Vec<String>>, ProviderError> {
    let mut arns = Vec::new();
    let mut pages = iam
        .client
        .list_attached_role_policies()
        .role_name(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => arns.extend(
                page.attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_owned)),
            ),
            Err(e) => {
                let err = iam.api.err("ListAttachedRolePolicies", e);
                if is_not_found(&err) {
                    return Ok(None);
                }
                return Err(ctx.fail(format!("listing the managed policies of role {name}"), err));
            }
        }
    }
    Ok(Some(arns))
}

/// The names of a role's inline policies; `None` when the role does not exist.
async fn list_inline(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Vec<String>>, ProviderError> {
    let mut names = Vec::new();
    let mut pages = iam
        .client
        .list_role_policies()
        .role_name(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => names.extend(page.policy_names().iter().cloned()),
            Err(e) => {
                let err = iam.api.err("ListRolePolicies", e);
                if is_not_found(&err) {
                    return Ok(None);
                }
                return Err(ctx.fail(format!("listing the inline policies of role {name}"), err));
            }
        }
    }
    Ok(Some(names))
}

pub(super) fn output(role: &Role) -> ResourceOutput {
    ResourceOutput {
        physical_id: role.role_name().to_owned(),
        attributes: attributes(role),
    }
}

fn attributes(role: &Role) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("Arn".to_owned(), Value::String(role.arn().to_owned())),
        (
            "RoleId".to_owned(),
            Value::String(role.role_id().to_owned()),
        ),
    ])
}

/// Refreshes one role (see the module comment of `providers::iam` for what is reported).
async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let Some(role) = get_role(&iam, ctx, name).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    if managed.contains("RoleName") {
        props.insert(
            "RoleName".into(),
            observed_scalar(Value::String(role.role_name().to_owned()), prev("RoleName")),
        );
    }
    if managed.contains("Path") {
        props.insert(
            "Path".into(),
            observed_scalar(Value::String(role.path().to_owned()), prev("Path")),
        );
    }
    if let Some(doc) = role.assume_role_policy_document() {
        props.insert(
            "AssumeRolePolicyDocument".into(),
            observed_document(doc, true, prev("AssumeRolePolicyDocument")),
        );
    }
    let description = role
        .description()
        .filter(|d| managed.contains("Description") && !d.is_empty());
    if let Some(d) = description {
        props.insert(
            "Description".into(),
            observed_scalar(Value::String(d.to_owned()), prev("Description")),
        );
    }
    let max_session = role
        .max_session_duration()
        .filter(|_| managed.contains("MaxSessionDuration"));
    if let Some(n) = max_session {
        props.insert(
            "MaxSessionDuration".into(),
            observed_scalar(json!(n), prev("MaxSessionDuration")),
        );
    }
    let boundary = role
        .permissions_boundary()
        .and_then(|b| b.permissions_boundary_arn())
        .filter(|_| managed.contains("PermissionsBoundary"));
    if let Some(arn) = boundary {
        props.insert(
            "PermissionsBoundary".into(),
            observed_scalar(Value::String(arn.to_owned()), prev("PermissionsBoundary")),
        );
    }
    if managed.contains("Policies") {
        let previous = prev("Policies")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut found = Vec::new();
        for entry in &previous {
            let Some(policy_name) = entry.get("PolicyName").and_then(Value::as_str) else {
                continue;
            };
            match iam
                .client
                .get_role_policy()
                .role_name(name)
                .policy_name(policy_name)
                .send()
                .await
            {
                Ok(out) => {
                    let document =
                        observed_document(out.policy_document(), true, entry.get("PolicyDocument"));
                    found.push(json!({"PolicyName": policy_name, "PolicyDocument": document}));
                }
                Err(e) => {
                    let err = iam.api.err("GetRolePolicy", e);
                    if !is_not_found(&err) {
                        return Err(ctx.fail(
                            format!("reading inline policy {policy_name} of role {name}"),
                            err,
                        ));
                    }
                }
            }
        }
        props.insert("Policies".into(), Value::Array(found));
    }
    if managed.contains("ManagedPolicyArns") {
        let attached: BTreeSet<String> = list_attached(&iam, ctx, name)
            .await?
            .unwrap_or_default()
            .into_iter()
            .collect();
        let previous = prev("ManagedPolicyArns");
        let ours: Vec<String> = previous
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|arn| attached.contains(*arn))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        props.insert("ManagedPolicyArns".into(), observed_set(ours, previous));
    }
    if managed.contains("Tags") {
        props.insert(
            "Tags".into(),
            observed_tags(&tag_map(role.tags()), prev("Tags")),
        );
    }
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: attributes(&role),
        },
    ))
}

impl ResourceProvider for RoleProvider {
    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(self.create_role(input))
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(self.update_role(input))
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(super::find::role(&self.iam, input))
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(self.delete_role(input))
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

#[cfg(test)]
pub(super) fn parse_for_tests(
    value: &Value,
) -> Result<(Vec<String>, Vec<String>, String), ProviderError> {
    let spec = parse(value, Ctx::new(TYPE, "Test"))?;
    Ok((
        spec.policies.iter().map(|p| p.name.clone()).collect(),
        spec.managed,
        compact(&spec.assume),
    ))
}
