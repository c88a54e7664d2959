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

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::Role;

use super::entity::{adopted, find_tagged};
use super::instance_profile::remove_role;
use super::principal::{Kind, Policies, Principal, list};
use super::{Iam, iam_tags, tag_map};

#[cfg(test)]
pub(super) use props::parse_for_tests;
use props::{RoleSpec, parse};
use read::read_one;
use read::{get_role, output};

mod changes;
mod props;
mod read;

pub(super) const TYPE: &str = "AWS::IAM::Role";

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
        let role = match created {
            Ok(out) => out.role.ok_or_else(none)?,
            Err(e) => {
                let err = self.iam.api.err(e);
                if !has_code(&err, "EntityAlreadyExists") {
                    return Err(ctx.fail(format!("creating role {name}"), err));
                }
                self.adopt(ctx, &name, &spec, input, err).await?
            }
        };
        // The role was just made: "no such role" is IAM catching up.
        let (iam, principal) = (&self.iam, Principal::new(Kind::Role, &name));
        principal.create_policies(iam, ctx, &spec.policies).await?;
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

        // 2. Every managed policy detached and every inline policy deleted.
        let principal = Principal::new(Kind::Role, name);
        if !principal.clear_policies(iam, ctx).await? {
            return Ok(());
        }

        // 3. The role.
        let sent = client.delete_role().role_name(name).send();
        let doing = format!("deleting role {name}");
        unless_gone(iam, ctx, doing, sent).await
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
