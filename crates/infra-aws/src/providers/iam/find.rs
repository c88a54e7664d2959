//! Finding what an interrupted create made ([`crate::provider::ResourceProvider::find`]) for the
//! IAM types that have a name: a role, an instance profile, a managed policy.
//!
//! Each is looked up by the name its create used (given or generated) and is this resource's
//! only when it carries the create's `infra:stack` and `infra:address` tags, which the creating
//! call itself sets: an entity of that name without them was made by someone else, and is not
//! found. What is returned is what the create returns (the name or ARN, and the attributes as
//! IAM reports them now), never the object a replacement replaces. `AWS::IAM::Policy` has no name of its own and no tags: it is found by
//! its natural key, in [`super::policy`].

use aws_sdk_iam::types::{InstanceProfile, Role};

use super::entity::find_tagged;
use super::{Iam, instance_profile, managed_policy, role};
use crate::providers::kit::prelude::*;

/// A role: GetRole by name, then its tags.
pub(super) async fn role(iam: &Iam, input: &FindInput) -> Found {
    let ctx = Ctx::new(role::TYPE, &input.address);
    let get = async |name: &str| role::get_role(iam, ctx, name).await;
    find_tagged(input, ctx, "RoleName", get, (Role::tags, role::output)).await
}

/// An instance profile: GetInstanceProfile by name, then its tags.
pub(super) async fn instance_profile(iam: &Iam, input: &FindInput) -> Found {
    let ctx = Ctx::new(instance_profile::TYPE, &input.address);
    let get = async |name: &str| instance_profile::get_profile(iam, ctx, name).await;
    let found = (InstanceProfile::tags as _, instance_profile::output as _);
    find_tagged(input, ctx, "InstanceProfileName", get, found).await
}

/// A managed policy: its ARN by name and path (ListPolicies, as IAM has no lookup by name),
/// then its tags (ListPolicyTags), then GetPolicy for the attributes.
pub(super) async fn managed_policy(iam: &Iam, input: &FindInput) -> Found {
    let ctx = Ctx::new(managed_policy::TYPE, &input.address);
    let name = name_to_find(input, "ManagedPolicyName", ctx)?;
    let path = input.properties.get("Path").and_then(|p| p.as_str());
    let Some(arn) = managed_policy::find_arn(iam, ctx, &name, path).await? else {
        return Ok(None);
    };
    let tags = managed_policy::policy_tags(iam, ctx, &arn).await?;
    if !owned_by(&tags, &input.tags) {
        return Ok(None);
    }
    let found = managed_policy::get_policy(iam, ctx, &arn).await?;
    Ok(found.as_ref().map(managed_policy::output))
}
