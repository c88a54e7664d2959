//! `AWS::IAM::InstanceProfile`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `InstanceProfileName` | CreateInstanceProfile (else the generated name) | create-only (replacement) |
//! | `Path` | CreateInstanceProfile | create-only (replacement) |
//! | `Roles` | AddRoleToInstanceProfile (IAM allows one role) | RemoveRoleFromInstanceProfile / AddRoleToInstanceProfile |
//!
//! CloudFormation's schema gives the type no `Tags`; infra's own tags go in the
//! CreateInstanceProfile call. The create returns once GetInstanceProfile shows the profile
//! with its role. `Ref` is the name; `Fn::GetAtt` gives `Arn`.

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::InstanceProfile;

use super::entity::{adopted, find_tagged};
use super::{Iam, iam_tags};
use super::{observed_map, present};
use crate::generated::iam::INSTANCE_PROFILE;

pub(super) const TYPE: &str = "AWS::IAM::InstanceProfile";

#[derive(Debug, Clone)]
struct ProfileSpec {
    name: Option<String>,
    path: Option<String>,
    roles: Vec<String>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<ProfileSpec, ProviderError> {
    let props = Props::root(value, ctx, INSTANCE_PROFILE)?;
    let roles = props.strs("Roles")?;
    let roles = roles.ok_or_else(|| ctx.fatal("property Roles is required"))?;
    if roles.len() > 1 {
        return Err(ctx.fatal(format!(
            "property Roles names {} roles; an instance profile holds at most one (an IAM quota \
             that cannot be raised)",
            roles.len()
        )));
    }
    Ok(ProfileSpec {
        name: props.str("InstanceProfileName")?,
        path: props.str("Path")?,
        roles,
    })
}

/// The provider.
#[derive(Debug)]
pub(crate) struct InstanceProfileProvider {
    pub(crate) iam: Iam,
}

impl InstanceProfileProvider {
    /// Adds `role`; already there (a retried call) is success.
    async fn add_role(&self, ctx: Ctx<'_>, name: &str, role: &str) -> Result<(), ProviderError> {
        let request = self.iam.client.add_role_to_instance_profile();
        let result = request.instance_profile_name(name).role_name(role).send();
        let Err(e) = result.await else {
            return Ok(());
        };
        let err = self.iam.api.err(e);
        if has_code(&err, "LimitExceeded") || has_code(&err, "EntityAlreadyExists") {
            let found = get_profile(&self.iam, ctx, name).await?;
            if found.is_some_and(|p| role_names(&p).iter().any(|r| r == role)) {
                return Ok(());
            }
        }
        // NoSuchEntity here is most often the role (or this profile) created a moment ago and
        // not visible yet.
        Err(ctx.fail_referencing(
            format!("adding role {role} to instance profile {name}"),
            err,
        ))
    }

    /// Waits until GetInstanceProfile shows the profile holding exactly `roles`.
    async fn wait_for(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        roles: &[String],
    ) -> Result<InstanceProfile, ProviderError> {
        // At most one role (an IAM quota): no order to compare.
        let holds = |p: &InstanceProfile| roles.is_empty() || role_names(p) == roles;
        let found = kit::poll(kit::PROPAGATION_TIMEOUT, || async {
            Ok(get_profile(&self.iam, ctx, name).await?.filter(holds))
        })
        .await?;
        let timeout = kit::PROPAGATION_TIMEOUT;
        let why = format!(
            "instance profile {name} was not visible with its role(s) {roles:?} after {timeout:?}"
        );
        found.ok_or_else(|| ctx.error(FailureClass::EventuallyConsistent, why))
    }
}

/// RemoveRoleFromInstanceProfile; the role or the profile already gone is done.
pub(super) async fn remove_role(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
    role: &str,
) -> Result<(), ProviderError> {
    let request = iam.client.remove_role_from_instance_profile();
    let sent = request.instance_profile_name(name).role_name(role).send();
    let doing = format!("removing role {role} from instance profile {name}");
    unless_gone(iam, ctx, doing, sent).await
}

fn role_names(profile: &InstanceProfile) -> Vec<String> {
    let names = profile.roles().iter().map(|r| r.role_name());
    names.map(str::to_owned).collect()
}

/// GetInstanceProfile; `None` when it does not exist.
pub(super) async fn get_profile(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<InstanceProfile>, ProviderError> {
    let sent = iam
        .client
        .get_instance_profile()
        .instance_profile_name(name);
    let doing = format!("reading instance profile {name}");
    let out = kit::found(iam, ctx, doing, sent.send()).await?;
    Ok(out.and_then(|out| out.instance_profile))
}

pub(super) fn output(profile: &InstanceProfile) -> ResourceOutput {
    let arn = json!(profile.arn());
    output_of(profile.instance_profile_name(), [("Arn", arn)])
}

async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let Some(profile) = get_profile(&iam, ctx, &item.physical_id).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let name = profile.instance_profile_name();
    let found = json!({"InstanceProfileName": name, "Path": profile.path()});
    let mut props = observed_map(found, &item.properties);
    let previous = item.properties.get("Roles").filter(|v| !v.is_null());
    props.insert("Roles".into(), observed_set(role_names(&profile), previous));
    present(&item, props, output(&profile).attributes)
}

impl kit::Provider for InstanceProfileProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetInstanceProfile per profile, 8 at a time",
        Find::Name,
        "GetInstanceProfile of InstanceProfileName, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "InstanceProfileName")?;
        let tags = Some(iam_tags(&ctx, &input.tags)?).filter(|t| !t.is_empty());
        let request = self.iam.client.create_instance_profile();
        let request = request
            .instance_profile_name(&name)
            .set_path(spec.path.clone());
        let request = request.set_tags(tags);
        let doing = format!("creating instance profile {name}");
        let existing_roles = match request.send().await.map_err(|e| self.iam.err(e)) {
            Ok(_) => Vec::new(),
            // An earlier attempt at this resource made it when it carries our tags.
            Err(err) if has_code(&err, "EntityAlreadyExists") => {
                let found = get_profile(&self.iam, ctx, &name).await?;
                let tags = (InstanceProfile::tags as _, input);
                let what = ("one", "InstanceProfileName");
                role_names(&adopted(ctx, &doing, err, found, tags, what)?)
            }
            Err(err) => return Err(ctx.fail(doing, err)),
        };

        // IAM's InstanceProfileExists waiter: visible to GetInstanceProfile.
        self.wait_for(ctx, &name, &[]).await?;
        for role in existing_roles.iter().filter(|r| !spec.roles.contains(r)) {
            remove_role(&self.iam, ctx, &name, role).await?;
        }
        for role in spec.roles.iter().filter(|r| !existing_roles.contains(r)) {
            // The profile was just made, the role may be too: IAM catching up.
            kit::retry_eventual(|| self.add_role(ctx, &name, role)).await?;
        }
        let profile = self.wait_for(ctx, &name, &spec.roles).await?;
        Ok(output(&profile))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        let given = after.name.as_deref();
        kit::same_name(ctx, given, name, "InstanceProfileName", "profile")?;
        if before.path != after.path {
            return Err(ctx.fatal("Path cannot change in place; the profile must be replaced"));
        }
        // One role at most: the old one must leave before the new one can join.
        for role in before.roles.iter().filter(|r| !after.roles.contains(r)) {
            remove_role(&self.iam, ctx, name, role).await?;
        }
        for role in after.roles.iter().filter(|r| !before.roles.contains(r)) {
            self.add_role(ctx, name, role).await?;
        }
        let profile = self.wait_for(ctx, name, &after.roles).await?;
        Ok(output(&profile))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let Some(profile) = get_profile(&self.iam, ctx, name).await? else {
            return Ok(());
        };
        for role in role_names(&profile) {
            remove_role(&self.iam, ctx, name, &role).await?;
        }
        let request = self.iam.client.delete_instance_profile();
        let sent = request.instance_profile_name(name).send();
        let doing = format!("deleting instance profile {name}");
        unless_gone(&self.iam, ctx, doing, sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    /// GetInstanceProfile by name, then its tags.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let get = async |name: &str| get_profile(&self.iam, ctx, name).await;
        let found = (InstanceProfile::tags as _, output as _);
        find_tagged(input, ctx, "InstanceProfileName", get, found).await
    }
}
