//! `AWS::IAM::Group`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `GroupName` | CreateGroup (else the generated name) | create-only (replacement) |
//! | `Path` | CreateGroup | UpdateGroup `NewPath` (removed: `/`) |
//! | `Policies`, `ManagedPolicyArns` | PutGroupPolicy / AttachGroupPolicy each | as every principal's ([`super::principal`]) |
//!
//! `Ref` is the group name; `Fn::GetAtt Arn` (it holds the path: an update of `Path` changes
//! it). `Arn` written as a property is refused. Members come from users' `Groups` and from
//! `AWS::IAM::UserToGroupAddition`, not from the group.
//!
//! # Deleting
//!
//! The way IAM requires (DeleteGroup: "The group must not contain any users or have any
//! attached policies"), as a role's delete does: every member removed from the group (all of
//! them, not only the stack's: the group is going away, and a replacement whose explicit name
//! makes it delete the old group first must not wait for the users that will move to the new
//! one), every managed policy detached and every inline policy deleted, then DeleteGroup. A
//! `DeleteConflict` (a member added meanwhile) is a dependency violation, retried.
//!
//! # Reading and finding
//!
//! GetGroup per group (ListGroups pages the whole account), 8 at a time, with the policies
//! when managed. Groups have no tags, neither in CloudFormation's schema nor in IAM's API, so
//! an interrupted create cannot be recognised by them. Instead the create checks that the name
//! is free (GetGroup) and saves that in its checkpoint before CreateGroup; a group of that name
//! found later (by `find`, or by a create sent again, which gets `EntityAlreadyExists`) was made
//! by this create and is adopted. Without that checkpoint the create never called CreateGroup,
//! and a group of the name is someone else's: `find` answers none, and the create fails
//! naming the conflict.

use crate::providers::iam::present;
use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::Group;

use super::principal::{Kind, Policies, Principal, list};
use super::{Iam, observed_map};
use crate::generated::iam::GROUP;

#[cfg(test)]
mod tests;

pub(super) const TYPE: &str = "AWS::IAM::Group";

/// A group as the template describes it.
#[derive(Debug, Clone, Default)]
struct GroupSpec {
    name: Option<String>,
    path: Option<String>,
    policies: Policies,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<GroupSpec, ProviderError> {
    let p = Props::root(value, ctx, GROUP)?;
    Ok(GroupSpec {
        name: p.str("GroupName")?,
        path: p.str("Path")?,
        policies: Policies::parse(&p, Kind::Group)?,
    })
}

fn output(group: &Group) -> ResourceOutput {
    output_of(group.group_name(), [("Arn", json!(group.arn()))])
}

/// What the create saves before CreateGroup: the name was free.
fn free_name(name: &str) -> Value {
    json!({"GroupName": name, "free": true})
}

/// GetGroup (the group, not its members); `None` when it does not exist.
async fn get_group(iam: &Iam, ctx: Ctx<'_>, name: &str) -> Result<Option<Group>, ProviderError> {
    let sent = iam.client.get_group().group_name(name).max_items(1).send();
    let out = kit::found(iam, ctx, format!("reading group {name}"), sent).await?;
    Ok(out.and_then(|out| out.group))
}

/// Group memberships: the calls on a group's members, and a user's groups.
impl Principal<'_> {
    /// The names of the groups this user is in; `None` when the user does not exist.
    pub(super) async fn groups(&self) -> Result<Option<Vec<String>>, ProviderError> {
        let request = self.iam.client.list_groups_for_user().user_name(self.name);
        let doing = format!("listing the groups of user {}", self.name);
        list!(self.iam, self.ctx, doing, request, |o| {
            let names = o.groups.into_iter().map(|g| g.group_name).collect();
            (names, o.is_truncated, o.marker)
        })
    }

    /// The members of this group (GetGroup, pages followed); `None` when it does not exist.
    pub(super) async fn members(&self) -> Result<Option<Vec<String>>, ProviderError> {
        let request = self.iam.client.get_group().group_name(self.name);
        let doing = format!("reading the members of group {}", self.name);
        list!(self.iam, self.ctx, doing, request, |o| {
            let users = o.users.into_iter().map(|u| u.user_name).collect();
            (users, o.is_truncated, o.marker)
        })
    }

    /// AddUserToGroup. The group or the user may be a moment old: "no such entity" is
    /// eventually consistent.
    pub(super) async fn add_member(&self, user: &str) -> Result<(), ProviderError> {
        let (iam, group) = (self.iam, self.name);
        let request = iam.client.add_user_to_group().group_name(group);
        let doing = format!("adding user {user} to group {group}");
        let sent = send!(iam, self.ctx, request.user_name(user), doing);
        sent.map(|_| ()).map_err(on_create)
    }

    /// RemoveUserFromGroup; the user or group gone, or the user no longer a member, is done.
    pub(super) async fn remove_member(&self, user: &str) -> Result<(), ProviderError> {
        let (iam, group) = (self.iam, self.name);
        let request = iam.client.remove_user_from_group().group_name(group);
        let sent = request.user_name(user).send();
        let doing = format!("removing user {user} from group {group}");
        unless_gone(iam, self.ctx, doing, sent).await
    }
}

/// The provider.
#[derive(Debug)]
pub(crate) struct GroupProvider {
    pub(crate) iam: Iam,
}

impl GroupProvider {
    /// Brings group `name` from `before` to `after` (its path and policies). `fresh`: the
    /// group was just made.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: &GroupSpec,
        after: &GroupSpec,
        fresh: bool,
    ) -> Result<(), ProviderError> {
        let iam = &self.iam;
        if before.path != after.path {
            let path = after.path.as_deref().unwrap_or("/");
            let request = iam.client.update_group().group_name(name).new_path(path);
            let sent = send!(iam, ctx, request, format!("moving group {name}"));
            sent.map_err(|e| if fresh { on_create(e) } else { e })?;
        }
        let (b, a) = (&before.policies, &after.policies);
        let principal = Principal::new(iam, ctx, Kind::Group, name);
        principal.converge_policies(b, a, fresh).await
    }
}

impl kit::Provider for GroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetGroup per group (and its policies when managed), 8 at a time",
        Find::Name,
        "GetGroup of GroupName, when the create's checkpoint says the name was free before it (groups have no tags)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "GroupName")?;
        let doing = format!("creating group {name}");
        if input.checkpoint.last() != Some(free_name(&name)) {
            if get_group(&self.iam, ctx, &name).await?.is_some() {
                return Err(ctx.fatal(format!(
                    "{doing}: a group of that name already exists and was not made for this \
                     resource; choose another GroupName or import it"
                )));
            }
            input.checkpoint.save(free_name(&name)).await?;
        }
        let sent = self.iam.client.create_group().group_name(&name);
        let sent = sent.set_path(spec.path.clone()).send().await;
        let (group, before) = match sent.map_err(|e| self.iam.err(e)) {
            Ok(out) => {
                let none = || ctx.fatal("CreateGroup returned no group");
                let group = out.group.ok_or_else(none)?;
                let made = GroupSpec {
                    policies: Policies::default(),
                    ..spec.clone()
                };
                (group, made)
            }
            // The name was free when this create began: an earlier attempt made it.
            Err(err) if has_code(&err, "EntityAlreadyExists") => {
                let group = get_group(&self.iam, ctx, &name).await?;
                let group = group.ok_or_else(|| ctx.fail_referencing(&doing, err))?;
                let seen = GroupSpec {
                    path: Some(group.path().to_owned()),
                    ..GroupSpec::default()
                };
                (group, seen)
            }
            Err(err) => return Err(on_create(ctx.fail(doing, err))),
        };
        kit::retry_eventual(|| self.converge(ctx, &name, &before, &spec, true)).await?;
        let group = match before.path == spec.path {
            true => group,
            false => get_group(&self.iam, ctx, &name).await?.unwrap_or(group),
        };
        Ok(output(&group))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        kit::same_name(ctx, after.name.as_deref(), name, "GroupName", "group")?;
        self.converge(ctx, name, &before, &after, false).await?;
        let group = get_group(&self.iam, ctx, name).await?;
        let group = group.ok_or_else(|| kit::does_not_exist(ctx, &format!("group {name}")))?;
        Ok(output(&group))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let group = Principal::new(&self.iam, ctx, Kind::Group, &input.physical_id);
        let Some(users) = group.members().await? else {
            return Ok(());
        };
        for user in users {
            group.remove_member(&user).await?;
        }
        group.delete("").await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "GroupName", ctx)?;
        if input.checkpoint.last() != Some(free_name(&name)) {
            return Ok(None);
        }
        Ok(get_group(&self.iam, ctx, &name).await?.as_ref().map(output))
    }
}

/// Refreshes one group: its name and path, and its policies when managed.
async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let Some(group) = get_group(&iam, ctx, name).await? else {
        return Ok((item.address, Observation::Gone));
    };
    let found = json!({"GroupName": group.group_name(), "Path": group.path()});
    let mut props = observed_map(found, &item.properties);
    Principal::new(&iam, ctx, Kind::Group, name)
        .observe_policies(&item.properties, &mut props)
        .await?;
    present(&item, props, output(&group).attributes)
}
