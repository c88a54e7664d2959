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
//!
//! A role is brought from one spec to another in place (trust policy, description and maximum
//! session duration, then as every role or user's: permissions boundary, inline and managed
//! policies, tags) for an update and for adopting a role an earlier create made. Refresh is
//! GetRole, its policies read as every principal's ([`Principal::observe_policies`]).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::Role;

use super::entity::{adopted, find_tagged};
use super::instance_profile::remove_role;
use super::principal::{Kind, Policies, Principal, list};
use super::{Iam, iam_tags, observed_map, present, tag_map};
use crate::generated::iam::ROLE;

pub(super) const TYPE: &str = "AWS::IAM::Role";

/// IAM's default maximum session duration, restored when the property is removed.
const DEFAULT_MAX_SESSION: i32 = 3600;

/// A role as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct RoleSpec {
    name: Option<String>,
    path: Option<String>,
    pub(super) assume: Value,
    description: Option<String>,
    max_session: Option<i32>,
    boundary: Option<String>,
    pub(super) policies: Policies,
    tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<RoleSpec, ProviderError> {
    let props = Props::root(value, ctx, ROLE)?;
    let assume = props
        .document("AssumeRolePolicyDocument")?
        .ok_or_else(|| ctx.fatal("property AssumeRolePolicyDocument is required"))?;
    Ok(RoleSpec {
        name: props.str("RoleName")?,
        path: props.str("Path")?,
        assume,
        description: props.str("Description")?,
        max_session: props.i32("MaxSessionDuration")?,
        boundary: props.str("PermissionsBoundary")?,
        policies: Policies::parse(&props, Kind::Role)?,
        tags: props.tags("Tags")?,
    })
}

/// GetRole; `None` when it does not exist.
async fn get_role(iam: &Iam, ctx: Ctx<'_>, name: &str) -> Result<Option<Role>, ProviderError> {
    let sent = iam.client.get_role().role_name(name).send();
    let out = kit::found(iam, ctx, format!("reading role {name}"), sent).await?;
    Ok(out.and_then(|out| out.role))
}

fn output(role: &Role) -> ResourceOutput {
    let attributes = [
        ("Arn", json!(role.arn())),
        ("RoleId", json!(role.role_id())),
    ];
    output_of(role.role_name(), attributes)
}

/// Refreshes one role (see the module comment of `providers::iam` for what is reported).
async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let Some(role) = get_role(&iam, ctx, name).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let last = &item.properties;
    let prev = |key: &str| last.get(key).filter(|v| !v.is_null());
    let boundary = role.permissions_boundary();
    let found = json!({
        "RoleName": role.role_name(),
        "Path": role.path(),
        "Description": role.description().filter(|d| !d.is_empty()),
        "MaxSessionDuration": role.max_session_duration(),
        "PermissionsBoundary": boundary.and_then(|b| b.permissions_boundary_arn()),
    });
    let mut props = observed_map(found, last);
    if let Some(doc) = role.assume_role_policy_document() {
        let doc = observed_document(doc, true, prev("AssumeRolePolicyDocument"));
        props.insert("AssumeRolePolicyDocument".into(), doc);
    }
    let entity = Principal::new(&iam, ctx, Kind::Role, name);
    entity.observe_policies(last, &mut props).await?;
    if let Some(previous) = prev("Tags") {
        let tags = observed_tags(&tag_map(role.tags()), Some(previous));
        props.insert("Tags".into(), tags);
    }
    present(&item, props, output(&role).attributes)
}

/// The provider.
#[derive(Debug)]
pub(crate) struct RoleProvider {
    pub(crate) iam: Iam,
}

impl RoleProvider {
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
        let doing = format!("creating role {name}");
        let found = get_role(&self.iam, ctx, name).await?;
        let (tags, what) = ((Role::tags as _, input), ("a role", "RoleName"));
        let role = adopted(ctx, &doing, conflict, found, tags, what)?;
        let boundary = role.permissions_boundary();
        let before = RoleSpec {
            assume: Value::Null,
            description: role.description().map(str::to_owned),
            max_session: role.max_session_duration(),
            boundary: boundary.and_then(|b| b.permissions_boundary_arn().map(str::to_owned)),
            policies: Policies::default(),
            tags: tag_map(role.tags()).into_iter().collect(),
            ..spec.clone()
        };
        let after = RoleSpec {
            policies: Policies::default(),
            ..spec.clone()
        };
        self.apply_changes(ctx, name, &before, &after, &BTreeMap::new(), &input.tags)
            .await?;
        Ok(role)
    }
}

impl kit::Provider for RoleProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetRole per role (and its attached and inline policies when managed), 8 at a time",
        Find::Name,
        "GetRole of RoleName, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "RoleName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = self.iam.client.create_role().role_name(&name);
        let created = request
            .set_path(spec.path.clone())
            .assume_role_policy_document(compact(&spec.assume))
            .set_description(spec.description.clone())
            .set_max_session_duration(spec.max_session)
            .set_permissions_boundary(spec.boundary.clone())
            .set_tags(Some(iam_tags(&ctx, &tags)?).filter(|t| !t.is_empty()))
            .send()
            .await;
        let none = || ctx.fatal(format!("CreateRole {name} returned no role"));
        let role = match created.map_err(|e| self.iam.err(e)) {
            Ok(out) => out.role.ok_or_else(none)?,
            Err(err) if has_code(&err, "EntityAlreadyExists") => {
                self.adopt(ctx, &name, &spec, input, err).await?
            }
            Err(err) => return Err(ctx.fail(format!("creating role {name}"), err)),
        };
        // The role was just made: "no such role" is IAM catching up.
        let made = Policies::default();
        Principal::new(&self.iam, ctx, Kind::Role, &name)
            .converge_policies(&made, &spec.policies, true)
            .await?;
        Ok(output(&role))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        kit::same_name(ctx, after.name.as_deref(), name, "RoleName", "role")?;
        if before.path != after.path {
            return Err(ctx.fatal("Path cannot change in place; the role must be replaced"));
        }
        self.apply_changes(ctx, name, &before, &after, &input.tags, &input.tags)
            .await?;
        let role = get_role(&self.iam, ctx, name).await?;
        let role = role.ok_or_else(|| kit::does_not_exist(ctx, &format!("role {name}")))?;
        Ok(output(&role))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let (iam, client) = (&self.iam, &self.iam.client);

        // 1. Out of every instance profile.
        let request = client.list_instance_profiles_for_role().role_name(name);
        let doing = format!("listing the instance profiles of role {name}");
        let Some(profiles) = list!(iam, ctx, doing, request, |o| {
            let names = o.instance_profiles.into_iter();
            let names = names.map(|p| p.instance_profile_name).collect();
            (names, o.is_truncated, o.marker)
        })?
        else {
            return Ok(());
        };
        for profile in profiles {
            remove_role(iam, ctx, &profile, name).await?;
        }

        // 2. Every managed policy detached and every inline policy deleted, then the role.
        Principal::new(iam, ctx, Kind::Role, name).delete("").await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    /// GetRole by name, then its tags.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let get = async |name: &str| get_role(&self.iam, ctx, name).await;
        find_tagged(input, ctx, "RoleName", get, (Role::tags, output)).await
    }
}

impl RoleProvider {
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
        let principal = Principal::new(iam, ctx, Kind::Role, name);
        let (b, a) = (&before.boundary, &after.boundary);
        principal.set_boundary(b, a).await?;
        let (b, a) = (&before.policies, &after.policies);
        principal.converge_policies(b, a, false).await?;
        let tags = merge_tags(&before.tags, before_infra);
        let wanted = merge_tags(&after.tags, after_infra);
        principal.retag(&tags, &wanted, false).await
    }
}
