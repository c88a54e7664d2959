//! `AWS::IAM::UserToGroupAddition`: users made members of a group.
//!
//! | property | create | update |
//! |---|---|---|
//! | `GroupName` | the group of every AddUserToGroup | in place: the users added to the new group, then removed from the old one |
//! | `Users` | AddUserToGroup each | AddUserToGroup added, RemoveUserFromGroup removed |
//!
//! A membership has no identity of its own: `Ref` (and `Fn::GetAtt Id`) is a name infra makes
//! up as CloudFormation does for unnamed resources, `<logical id>-<13 characters>`, derived
//! from the create's checkpoint key (unique to the create, the same when it is retried or
//! looked up after a crash). `Id` written as a property is refused. Delete is
//! RemoveUserFromGroup of each user; a user or group already gone, or a user no longer a
//! member, is done. Additions run after the group and the users they name (their `Ref`s).
//!
//! Refresh reads each group once (GetGroup, pages followed) for all the additions that name
//! it, and reports the users of the record that are still members; the group gone, or none of
//! the users a member any more, is the addition gone. Not taggable: `find` looks for its natural key, the group with one of the
//! users as a member.

use crate::providers::kit::prelude::*;

use super::principal::{Kind, Principal};
use super::{Iam, read_per_parent};
use crate::generated::iam::USER_TO_GROUP_ADDITION;
use crate::providers::kit::stable_suffix;

pub(super) const TYPE: &str = "AWS::IAM::UserToGroupAddition";

#[cfg(test)]
mod tests;

/// The group and its users as the template gives them.
#[derive(Debug, Clone, PartialEq)]
struct Addition {
    group: String,
    users: Vec<String>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Addition, ProviderError> {
    let p = Props::root(value, ctx, USER_TO_GROUP_ADDITION)?;
    let mut users = p.strs("Users")?.ok_or_else(|| p.missing("Users"))?;
    let mut seen = std::collections::BTreeSet::new();
    users.retain(|u| seen.insert(u.clone()));
    Ok(Addition {
        group: p.required_str("GroupName")?,
        users,
    })
}

/// `Ref`: `<logical id>-<13 characters>` of the create's checkpoint key (of the address when
/// there is none).
fn addition_id(address: &str, key: &str) -> String {
    let logical = address.rsplit('.').next().unwrap_or(address);
    let seed = if key.is_empty() { address } else { key };
    format!("{logical}-{}", stable_suffix(seed))
}

fn output(id: &str) -> ResourceOutput {
    output_of(id, [("Id", json!(id))])
}

/// The provider.
#[derive(Debug)]
pub(crate) struct UserToGroupProvider {
    pub(crate) iam: Iam,
}

impl kit::Provider for UserToGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "GetGroup per group (its members, pages followed) for every addition that names it",
        Find::NaturalKey,
        "GetGroup of GroupName: found when one of its Users is a member",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let want = parse(&input.properties, ctx)?;
        let group = Principal::new(&self.iam, ctx, Kind::Group, &want.group);
        for user in &want.users {
            kit::retry_eventual(|| group.add_member(user)).await?;
        }
        Ok(output(&addition_id(&input.address, input.checkpoint.key())))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let moved = before.group != after.group;
        let group = |name| Principal::new(&self.iam, ctx, Kind::Group, name);
        for user in &after.users {
            if moved || !before.users.contains(user) {
                group(&after.group).add_member(user).await?;
            }
        }
        for user in &before.users {
            if moved || !after.users.contains(user) {
                group(&before.group).remove_member(user).await?;
            }
        }
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let addition = parse(&input.properties, ctx)?;
        let group = Principal::new(&self.iam, ctx, Kind::Group, &addition.group);
        for user in &addition.users {
            group.remove_member(user).await?;
        }
        Ok(())
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_per_parent(items, "GroupName", |group, items| {
            let iam = self.iam.clone();
            async move {
                let ctx = Ctx::new(TYPE, &items[0].address);
                let group = Principal::new(&iam, ctx, Kind::Group, &group);
                let members = group.members().await?;
                let seen = items.into_iter().map(|item| {
                    let seen = members.as_ref();
                    let seen = seen.map_or(Observation::Gone, |m| observe(&item, m));
                    (item.address, seen)
                });
                Ok(seen.collect())
            }
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let want = parse(&input.properties, ctx)?;
        let group = Principal::new(&self.iam, ctx, Kind::Group, &want.group);
        let members = group.members().await?.unwrap_or_default();
        let made = want.users.iter().any(|u| members.contains(u));
        let id = addition_id(&input.address, input.checkpoint.key());
        Ok(made.then(|| output(&id)))
    }
}

/// One addition as the template writes it: its group, and the users of the record still in
/// it; none of them (or no group) is the addition gone.
fn observe(item: &ReadInput, members: &[String]) -> Observation {
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let ours = prev("Users").and_then(Value::as_array).into_iter();
    let ours = ours.flatten().filter_map(scalar_text);
    let ours: Vec<String> = ours.filter(|u| members.contains(u)).collect();
    if ours.is_empty() {
        return Observation::Gone;
    }
    let mut props = serde_json::Map::new();
    if let Some(group) = prev("GroupName") {
        props.insert("GroupName".into(), group.clone());
    }
    props.insert("Users".into(), observed_set(ours, prev("Users")));
    Observation::Present {
        properties: Value::Object(props),
        attributes: output(&item.physical_id).attributes,
    }
}
