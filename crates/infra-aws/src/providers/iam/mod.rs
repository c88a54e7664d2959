//! IAM resource types: `AWS::IAM::Role`, `AWS::IAM::InstanceProfile`, `AWS::IAM::Policy`,
//! `AWS::IAM::ManagedPolicy`, `AWS::IAM::User`, `AWS::IAM::Group`,
//! `AWS::IAM::UserToGroupAddition` and `AWS::IAM::AccessKey`, one module each, all of the same
//! shape (a property spec parsed from the template, then create / update / delete / read).
//! Roles, users and groups hold inline and managed policies the same way (`principal`); roles
//! and users their permissions boundary and tags too (`entity`). The keys each type accepts,
//! the refused attributes with their reason, and the keys of a `Policies` entry and of a user's
//! `LoginProfile` are generated from the schemas by `scripts/generate-mappings`
//! (`mappings/iam.toml`, `generated/iam.rs`); the values (policy documents, names, lists) are
//! read here, as IAM's API takes them apart from the template's shapes.
//!
//! # What `Ref` and `Fn::GetAtt` return
//!
//! | type | physical id (`Ref`) | attributes |
//! |---|---|---|
//! | Role | role name | `Arn`, `RoleId` |
//! | InstanceProfile | instance profile name | `Arn` |
//! | Policy | an identifier infra makes up (`<PolicyName>-<13 characters>`, stable per address) | `Id` |
//! | ManagedPolicy | policy ARN | `PolicyArn`, `PolicyId`, `DefaultVersionId`, `AttachmentCount`, `IsAttachable`, `PermissionsBoundaryUsageCount`, `CreateDate`, `UpdateDate` |
//! | User | user name | `Arn` |
//! | Group | group name | `Arn` |
//! | UserToGroupAddition | an identifier infra makes up (`<logical id>-<13 characters>`, stable per create) | `Id` |
//! | AccessKey | access key id | `Id`, `SecretAccessKey` (from the create only) |
//!
//! Names the template leaves out come from `CreateInput::generated_name`; without one the create
//! fails (the engine always generates it for these types).
//!
//! # Eventual consistency
//!
//! IAM is eventually consistent: a role, policy or user created a moment ago may not be visible
//! to the next call yet. Following AWS's guidance (and what Terraform's AWS provider retries),
//! these errors are classed [`FailureClass::EventuallyConsistent`] so the engine retries them
//! for a bounded time:
//! - `MalformedPolicyDocument` "Invalid principal in policy" from CreateRole and
//!   UpdateAssumeRolePolicy (a trust policy naming a principal just created);
//! - `NoSuchEntity` from a call that names *another* entity: PutRolePolicy / AttachRolePolicy
//!   right after the role was created, AttachRolePolicy of a managed policy just created,
//!   AddRoleToInstanceProfile of a role just created, Put/Attach*Policy on a principal of
//!   another resource.
//!
//! `NoSuchEntity` about the resource itself is [`FailureClass::NotFound`]. The steps of a create
//! that follow its creating call (PutRolePolicy / AttachRolePolicy on the role just made,
//! AddRoleToInstanceProfile, a new managed policy's attachments) retry such errors themselves
//! for up to two minutes (Terraform's propagation timeout), since the engine's retry would call
//! `create` again. For that and for crash recovery, creates are re-entrant: when the name is
//! taken (`EntityAlreadyExists`) by an entity carrying this resource's `infra:*` tags (so an
//! earlier attempt at this very resource made it), it is adopted and the create carries on;
//! otherwise the create fails naming the conflict. An instance profile's create returns only
//! once `GetInstanceProfile` shows it with its role (IAM's `InstanceProfileExists` waiter, plus
//! the role); EC2's own view may lag a few seconds more, which the EC2 and Auto Scaling
//! providers class as eventually consistent where it shows.
//!
//! # Finding what an interrupted create made
//!
//! | type | found by |
//! |---|---|
//! | Role | GetRole by its name (given or generated); adopted only when it carries the create's `infra:stack` / `infra:address` tags |
//! | InstanceProfile | GetInstanceProfile by its name; the same tag check |
//! | ManagedPolicy | ListPolicies for its name and path (IAM has no lookup by name), ListPolicyTags for the same tag check, GetPolicy for the attributes |
//! | Policy (not taggable) | natural key: inline policy `PolicyName` in one of its `Roles` / `Users` / `Groups`, holding the template's document |
//! | User | GetUser by its name; the same tag check |
//! | Group (not taggable) | GetGroup by its name, when the create's checkpoint says the name was free just before CreateGroup |
//! | UserToGroupAddition (not taggable) | natural key: the group with one of its users as a member |
//! | AccessKey (not taggable) | the user's key not among those the create's checkpoint listed before CreateAccessKey (its secret is lost) |
//!
//! A name taken by an entity without those tags is someone else's: not found. What `find`
//! returns is what the create returns (the name or ARN, and the attributes as IAM reports them
//! now).
//!
//! # Error classes
//!
//! Throttling, 5xx, `ServiceFailure`, `ConcurrentModification` and unreachable endpoints are
//! [`FailureClass::Retryable`]; `NoSuchEntity` is `NotFound` (and success for a delete);
//! `DeleteConflict` is [`FailureClass::DependencyViolation`]; anything else is fatal. Messages
//! name the type, the address, what was being done, the IAM operation and AWS's code and
//! message, and never a credential ([`crate::error`] redacts).
//!
//! # Reading
//!
//! IAM has no batch "describe": ListRoles / ListPolicies / ListInstanceProfiles page through
//! *every* entity of the account (a few hundred to thousands in most accounts, service-linked
//! roles included) and cannot filter by name, only by path prefix, which generated names share
//! (`/`). They also leave out what refresh needs (ListRoles returns no tags and no permissions
//! boundary; ListPolicies no document), and a role's inline and attached policies, a managed
//! policy's document and attachments need per-entity calls anyway. A stack holds a handful of
//! each, so the read asks for each requested entity by name (GetRole, GetInstanceProfile,
//! GetPolicy, GetUser, GetGroup, Get*Policy), at most eight at a time, which is fewer calls
//! and far less data than listing the account. Access keys are listed once per user
//! (ListAccessKeys) and group memberships once per group (GetGroup). Missing entities are
//! reported `Gone`.
//!
//! Refresh reports the properties infra manages (the keys of the last applied properties) as
//! the template would write them. A document, list or tag set that says the same as the last
//! applied value is reported as that value, so spacing, key order and list order never show as
//! drift. The `Policies` and `ManagedPolicyArns` of a role, user or group, a user's `Groups`,
//! an addition's `Users`, and a managed policy's `Roles` / `Users` / `Groups`, report only the
//! entries this resource made (still present or not): other
//! resources of the same stack legitimately add their own (an `AWS::IAM::Policy` on the role, a
//! role's `ManagedPolicyArns` naming a `AWS::IAM::ManagedPolicy`), and those are not drift.
//!
//! # Deleting
//!
//! A role is deleted the way IAM requires (and Terraform does): removed from every instance
//! profile, every managed policy detached and every inline policy deleted (all of them, not only
//! the template's: DeleteRole refuses while any remain, and the role is going away), then
//! DeleteRole. A user loses its login profile, its group memberships and its policies before
//! DeleteUser (its access keys are resources of their own, deleted first; any left is a
//! `DeleteConflict`, retried); a group loses its members and policies before DeleteGroup. A
//! managed policy is detached from every entity and its non-default versions are deleted
//! before DeletePolicy. Every step treats `NoSuchEntity` as done, so a delete is idempotent.
//!
//! [`FailureClass::EventuallyConsistent`]: crate::provider::FailureClass::EventuallyConsistent
//! [`FailureClass::NotFound`]: crate::provider::FailureClass::NotFound
//! [`FailureClass::Retryable`]: crate::provider::FailureClass::Retryable
//! [`FailureClass::DependencyViolation`]: crate::provider::FailureClass::DependencyViolation

use std::collections::BTreeMap;
use std::future::Future;

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::Tag;

use crate::provider::Providers;

mod access_key;
mod entity;
mod group;
mod instance_profile;
mod managed_policy;
mod policy;
mod principal;
mod role;
mod user;
mod user_to_group;

#[cfg(test)]
mod tests;

/// Registers the IAM providers.
pub fn register(providers: &mut Providers, client: &aws_sdk_iam::Client) {
    let region = client.config().region().map(|r| r.as_ref().to_owned());
    let label = kit::endpoint_label("IAM", region.as_deref());
    let iam = Iam::new(client.clone(), "iam", label);
    providers.insert(kit::native(role::RoleProvider { iam: iam.clone() }));
    providers.insert(kit::native(instance_profile::InstanceProfileProvider {
        iam: iam.clone(),
    }));
    providers.insert(kit::native(policy::PolicyProvider { iam: iam.clone() }));
    providers.insert(kit::native(managed_policy::ManagedPolicyProvider {
        iam: iam.clone(),
    }));
    providers.insert(kit::native(user::UserProvider { iam: iam.clone() }));
    providers.insert(kit::native(group::GroupProvider { iam: iam.clone() }));
    providers.insert(kit::native(user_to_group::UserToGroupProvider {
        iam: iam.clone(),
    }));
    providers.insert(kit::native(access_key::AccessKeyProvider { iam }));
}

/// An IAM client and how its errors are named.
pub(crate) type Iam = Service<aws_sdk_iam::Client>;

/// IAM's failed calls are classed by the kit's table alone (so `send!` and `unless_gone` of
/// [`crate::providers::kit`] work with it).
impl Classify for Iam {}

/// Tags in the IAM SDK's shape. IAM allows 50 per entity.
pub(crate) fn iam_tags(
    ctx: &Ctx<'_>,
    tags: &BTreeMap<String, String>,
) -> Result<Vec<Tag>, ProviderError> {
    if tags.len() > 50 {
        return Err(ctx.fatal(format!(
            "{} tags (the template's and infra's own) are more than the 50 IAM allows",
            tags.len()
        )));
    }
    kit::sdk_tags!(Tag, ctx, tags)
}

/// The values `found` (an object) that the last applied properties `last` hold, each in the
/// spelling last applied when it says the same ([`observed`]).
pub(crate) fn observed_map(found: Value, last: &Value) -> Map<String, Value> {
    match observed(found, last) {
        Value::Object(props) => props,
        _ => Map::new(),
    }
}

/// The entries of the last applied list `previous` that `found` still holds (those this
/// resource made), as refresh reports them ([`observed_set`]).
pub(crate) fn still_ours(previous: &Value, found: &[String]) -> Value {
    let ours = previous.as_array().into_iter().flatten();
    let ours = ours.filter_map(Value::as_str);
    let ours = ours.filter(|a| found.iter().any(|x| x == a));
    observed_set(ours.map(str::to_owned).collect(), Some(previous))
}

/// What refresh saw of `item`: present, with the properties `props` and `attributes`.
pub(crate) fn present(
    item: &ReadInput,
    props: Map<String, Value>,
    attributes: BTreeMap<String, Value>,
) -> Result<(String, Observation), ProviderError> {
    let properties = Value::Object(props);
    let seen = Observation::Present {
        properties,
        attributes,
    };
    Ok((item.address.clone(), seen))
}

/// Reads `items` grouped by the parent their property `key` names (a user's access keys, a
/// group's members): `read(parent, items)` once per parent, a few at a time; an item that
/// names none is `Gone`.
pub(crate) async fn read_per_parent<F, Fut>(items: &[ReadInput], key: &str, read: F) -> Reads
where
    F: Fn(String, Vec<ReadInput>) -> Fut,
    Fut: Future<Output = Result<Vec<(String, Observation)>, ProviderError>> + Send + 'static,
{
    let mut by_parent: BTreeMap<String, Vec<ReadInput>> = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for item in items {
        match item.properties.get(key).and_then(kit::scalar_text) {
            Some(parent) => by_parent.entry(parent).or_default().push(item.clone()),
            None => {
                seen.insert(item.address.clone(), Observation::Gone);
            }
        }
    }
    let tasks = by_parent
        .into_iter()
        .map(|(parent, items)| read(parent, items));
    let read = kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY).await?;
    seen.extend(read.into_iter().flatten());
    Ok(seen)
}

/// IAM tags as a map.
pub(crate) fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    kit::tag_pairs(tags, |t| (Some(t.key()), Some(t.value())))
}
