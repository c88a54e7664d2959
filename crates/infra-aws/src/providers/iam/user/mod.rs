//! `AWS::IAM::User`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `UserName` | CreateUser (else the generated name) | create-only (replacement) |
//! | `Path` | CreateUser | UpdateUser `NewPath` (removed: `/`) |
//! | `PermissionsBoundary` | CreateUser | PutUserPermissionsBoundary / DeleteUserPermissionsBoundary |
//! | `Tags` | CreateUser, with infra's tags | TagUser / UntagUser |
//! | `Groups` | AddUserToGroup each | AddUserToGroup added, RemoveUserFromGroup removed |
//! | `Policies`, `ManagedPolicyArns` | PutUserPolicy / AttachUserPolicy each | as every principal's ([`super::principal`]) |
//! | `LoginProfile` (`Password`, `PasswordResetRequired`) | CreateLoginProfile | CreateLoginProfile / UpdateLoginProfile / DeleteLoginProfile |
//!
//! `Ref` is the user name; `Fn::GetAtt Arn`. `Arn` written as a property is refused.
//!
//! # The password
//!
//! `LoginProfile.Password` is a secret and write-only: it is sent to CreateLoginProfile /
//! UpdateLoginProfile and nowhere else (never in an attribute, a message or a `Debug` print),
//! and IAM never returns it. The state keeps a redaction marker in its place, so an update
//! compares the marker with the wanted password ([`infra_state::redact::marker_matches`]) and
//! sends the password only when it changed (a password policy may refuse to reuse one); a
//! change of `PasswordResetRequired` alone is sent without it. Refresh reports the password
//! as last applied: IAM can only say whether the user has a login profile.
//!
//! # Deleting
//!
//! As IAM requires (DeleteUser): the login profile deleted, the user removed from every group,
//! every managed policy detached and every inline policy deleted (all of them: the user is
//! going away), then DeleteUser. Access keys are resources of their own
//! (`AWS::IAM::AccessKey`), deleted before the user they name; a user that still has one (or an
//! MFA device, a signing certificate, an SSH key) answers `DeleteConflict`, a dependency
//! violation the engine retries while those go. Every step takes "not found" as done.
//!
//! # Reading and finding
//!
//! GetUser per user (IAM has no batch call; ListUsers pages the whole account and leaves out
//! tags and the permissions boundary), 8 at a time, with ListGroupsForUser, the policies
//! ([`super::principal`]) and GetLoginProfile only when the record manages them. `Groups`
//! reports the groups of the record the user is still in: an `AWS::IAM::UserToGroupAddition`
//! adds its own, which are not drift. `find` is GetUser of the name the create used, adopted
//! only when the user carries this resource's `infra:*` tags (CreateUser sets them).

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::User;

use super::entity::{adopted, find_tagged};
use super::principal::{Kind, Policies, Principal};
use super::{Iam, iam_tags, observed_map, present, still_ours, tag_map};
use crate::error::AwsError;
use crate::generated::iam::{LOGIN_PROFILE, USER};

#[cfg(test)]
mod tests;

pub(super) const TYPE: &str = "AWS::IAM::User";

/// A user as the template describes it.
#[derive(Debug, Clone, Default)]
struct UserSpec {
    name: Option<String>,
    path: Option<String>,
    boundary: Option<String>,
    groups: Vec<String>,
    policies: Policies,
    login: Option<Login>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<UserSpec, ProviderError> {
    let p = Props::root(value, ctx, USER)?;
    let mut groups = p.str_list("Groups")?;
    let mut seen = std::collections::BTreeSet::new();
    groups.retain(|g| seen.insert(g.clone()));
    Ok(UserSpec {
        name: p.str("UserName")?,
        path: p.str("Path")?,
        boundary: p.str("PermissionsBoundary")?,
        groups,
        policies: Policies::parse(&p, Kind::User)?,
        login: parse_login(&p)?,
        tags: p.tags("Tags")?,
    })
}

/// What create, find and read report: the name, `Arn`.
fn output(user: &User) -> ResourceOutput {
    output_of(user.user_name(), [("Arn", json!(user.arn()))])
}

/// GetUser; `None` when it does not exist.
async fn get_user(iam: &Iam, ctx: Ctx<'_>, name: &str) -> Result<Option<User>, ProviderError> {
    let sent = iam.client.get_user().user_name(name).send();
    let out = kit::found(iam, ctx, format!("reading user {name}"), sent).await?;
    Ok(out.and_then(|out| out.user))
}

/// The provider.
#[derive(Debug)]
pub(crate) struct UserProvider {
    pub(crate) iam: Iam,
}

impl UserProvider {
    /// Brings user `name` from `before` to `after` (everything but its name; tags are the whole
    /// sets, infra's included). `fresh`: the user was just made, so "no such entity" is IAM
    /// catching up (eventually consistent).
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: &UserSpec,
        after: &UserSpec,
        fresh: bool,
    ) -> Result<(), ProviderError> {
        let (iam, c) = (&self.iam, &self.iam.client);
        let catch_up = |e: ProviderError| if fresh { on_create(e) } else { e };
        if before.path != after.path {
            let path = after.path.as_deref().unwrap_or("/");
            let request = c.update_user().user_name(name).new_path(path);
            let sent = send!(iam, ctx, request, format!("moving user {name}"));
            sent.map_err(catch_up)?;
        }
        let principal = Principal::new(iam, ctx, Kind::User, name);
        let (b, a) = (&before.boundary, &after.boundary);
        principal.set_boundary(b, a).await?;
        let group = |group| Principal::new(iam, ctx, Kind::Group, group);
        for g in after.groups.iter().filter(|g| !before.groups.contains(g)) {
            group(g).add_member(name).await?;
        }
        for g in before.groups.iter().filter(|g| !after.groups.contains(g)) {
            group(g).remove_member(name).await?;
        }
        let (b, a) = (&before.policies, &after.policies);
        principal.converge_policies(b, a, fresh).await?;
        let (b, a) = (before.login.as_ref(), after.login.as_ref());
        self.login(ctx, name, b, a, fresh).await?;
        let tags = before.tags.iter().cloned().collect();
        let wanted = after.tags.iter().cloned().collect();
        principal.retag(&tags, &wanted, fresh).await
    }

    /// A user of this name exists: adopted when it carries this resource's infra tags (an
    /// earlier attempt at this resource made it); what it has now is the `before` to converge
    /// from.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        input: &CreateInput,
        conflict: AwsError,
    ) -> Result<(User, UserSpec), ProviderError> {
        let doing = format!("creating user {name}");
        let user = get_user(&self.iam, ctx, name).await?;
        let found = (User::tags as _, input);
        let user = adopted(ctx, &doing, conflict, user, found, ("a user", "UserName"))?;
        let boundary = user.permissions_boundary();
        let boundary = boundary.and_then(|b| b.permissions_boundary_arn());
        let before = UserSpec {
            path: Some(user.path().to_owned()),
            boundary: boundary.map(str::to_owned),
            tags: tag_map(user.tags()).into_iter().collect(),
            ..UserSpec::default()
        };
        Ok((user, before))
    }
}

impl kit::Provider for UserProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetUser per user (and its groups, policies and login profile when managed), 8 at a time",
        Find::Name,
        "GetUser of UserName, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let mut spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "UserName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        spec.tags = tags.clone().into_iter().collect();
        let request = self.iam.client.create_user().user_name(&name);
        let request = request.set_path(spec.path.clone());
        let request = request.set_permissions_boundary(spec.boundary.clone());
        let sent = request.set_tags(Some(iam_tags(&ctx, &tags)?)).send().await;
        let (user, before) = match sent.map_err(|e| self.iam.err(e)) {
            Ok(out) => {
                let none = || ctx.fatal("CreateUser returned no user");
                let user = out.user.ok_or_else(none)?;
                let made = UserSpec {
                    groups: Vec::new(),
                    policies: Policies::default(),
                    login: None,
                    ..spec.clone()
                };
                (user, made)
            }
            Err(err) if has_code(&err, "EntityAlreadyExists") => {
                self.adopt(ctx, &name, input, err).await?
            }
            // "No such entity" names the permissions boundary, which may be a moment old.
            Err(err) => return Err(on_create(ctx.fail(format!("creating user {name}"), err))),
        };
        kit::retry_eventual(|| self.converge(ctx, &name, &before, &spec, true)).await?;
        Ok(output(&user))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let mut before = parse(&input.before, ctx)?;
        let mut after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        kit::same_name(ctx, after.name.as_deref(), name, "UserName", "user")?;
        before.tags = merge_tags(&before.tags, &input.tags).into_iter().collect();
        after.tags = merge_tags(&after.tags, &input.tags).into_iter().collect();
        self.converge(ctx, name, &before, &after, false).await?;
        let user = get_user(&self.iam, ctx, name).await?;
        let gone = || kit::does_not_exist(ctx, &format!("user {name}"));
        Ok(output(&user.ok_or_else(gone)?))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let (iam, c, name) = (&self.iam, &self.iam.client, input.physical_id.as_str());
        let sent = c.delete_login_profile().user_name(name).send();
        let doing = format!("deleting the console password of user {name}");
        unless_gone(iam, ctx, doing, sent).await?;
        let user = Principal::new(iam, ctx, Kind::User, name);
        let Some(groups) = user.groups().await? else {
            return Ok(());
        };
        for group in groups {
            let group = Principal::new(iam, ctx, Kind::Group, &group);
            group.remove_member(name).await?;
        }
        // DeleteConflict (a dependency violation, retried): access keys, an MFA device,
        // certificates or SSH keys left.
        let note = " (IAM refuses while it has access keys, an MFA device, signing certificates, \
                    SSH keys or service credentials: the stack's go first, others must be removed)";
        user.delete(note).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let get = async |name: &str| get_user(&self.iam, ctx, name).await;
        find_tagged(input, ctx, "UserName", get, (User::tags, output)).await
    }
}

/// Refreshes one user: GetUser, then what the record manages (see the module comment).
async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let Some(user) = get_user(&iam, ctx, name).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let boundary = user.permissions_boundary();
    let found = json!({
        "UserName": user.user_name(),
        "Path": user.path(),
        "PermissionsBoundary": boundary.and_then(|b| b.permissions_boundary_arn()),
        "Tags": observed_tags(&tag_map(user.tags()), prev("Tags")),
    });
    let mut props = observed_map(found, &item.properties);
    let principal = Principal::new(&iam, ctx, Kind::User, name);
    if let Some(previous) = prev("Groups") {
        let member = principal.groups().await?.unwrap_or_default();
        props.insert("Groups".into(), still_ours(previous, &member));
    }
    principal
        .observe_policies(&item.properties, &mut props)
        .await?;
    if let Some(previous) = prev("LoginProfile") {
        let sent = iam.client.get_login_profile().user_name(name).send();
        let doing = format!("reading the login profile of user {name}");
        // IAM never returns the password: it is reported as last applied.
        if let Some(out) = kit::found(&iam, ctx, doing, sent).await? {
            let mut login = Map::new();
            if let Some(password) = previous.get("Password") {
                login.insert("Password".into(), password.clone());
            }
            let reset = out.login_profile().map(|l| l.password_reset_required());
            let was = previous.get("PasswordResetRequired");
            if let Some(reset) = reset.filter(|r| *r || was.is_some()) {
                let seen = observed_scalar(json!(reset), was);
                login.insert("PasswordResetRequired".into(), seen);
            }
            props.insert("LoginProfile".into(), Value::Object(login));
        }
    }
    present(&item, props, output(&user).attributes)
}

/// A login profile as the template gives it.
#[derive(Clone, PartialEq)]
pub(super) struct Login {
    /// The password, or the redaction marker the state holds in its place (`before`).
    pub(super) password: Value,
    pub(super) reset: Option<bool>,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut login = f.debug_struct("Login");
        login.field("password", &"(sensitive value)");
        login.field("reset", &self.reset).finish()
    }
}

/// `LoginProfile` of the user's properties.
fn parse_login(p: &Props<'_>) -> Result<Option<Login>, ProviderError> {
    let Some(l) = p.obj("LoginProfile", LOGIN_PROFILE)? else {
        return Ok(None);
    };
    let password = l.get("Password").cloned();
    Ok(Some(Login {
        password: password.ok_or_else(|| l.missing("Password"))?,
        reset: l.bool("PasswordResetRequired")?,
    }))
}

/// The password to send: the template's text (a marker from the state is never sent).
pub(super) fn password(ctx: Ctx<'_>, login: &Login) -> Result<String, ProviderError> {
    match &login.password {
        Value::Object(_) | Value::Array(_) | Value::Null => Err(ctx.fatal(
            "property LoginProfile.Password must be a string (the password is never shown)",
        )),
        other => Ok(scalar_text(other).unwrap_or_default()),
    }
}

/// Whether the password `after` differs from `before` (the state's marker, or a value).
pub(super) fn password_changed(before: &Value, after: &Value) -> bool {
    match infra_state::redact::marker_matches(before, after) {
        Some(same) => !same,
        None => scalar_text(before) != scalar_text(after),
    }
}

impl UserProvider {
    /// The login profile from `before` to `after`: created (an existing one, which an earlier
    /// attempt made, is updated), updated with the password only when it changed (a password
    /// policy may refuse to reuse one), or deleted. `fresh`: the user was just made.
    async fn login(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: Option<&Login>,
        after: Option<&Login>,
        fresh: bool,
    ) -> Result<(), ProviderError> {
        let (iam, c) = (&self.iam, &self.iam.client);
        let doing = format!("setting the console password of user {name}");
        let Some(after) = after else {
            if before.is_some() {
                let sent = c.delete_login_profile().user_name(name).send();
                unless_gone(iam, ctx, &doing, sent).await?;
            }
            return Ok(());
        };
        let reset = after.reset.unwrap_or(false);
        let new_password = before.is_none_or(|b| password_changed(&b.password, &after.password));
        if before.is_none() {
            let request = c.create_login_profile().user_name(name);
            let request = request.password(password(ctx, after)?);
            let request = request.password_reset_required(reset);
            let sent = request.send().await;
            match sent.map_err(|e| iam.err(e)) {
                Ok(_) => return Ok(()),
                // An earlier attempt made it: set it as wanted.
                Err(err) if has_code(&err, "EntityAlreadyExists") => {}
                Err(err) if fresh => return Err(on_create(ctx.fail(doing, err))),
                Err(err) => return Err(ctx.fail(doing, err)),
            }
        } else if !new_password && before.and_then(|b| b.reset).unwrap_or(false) == reset {
            return Ok(());
        }
        let request = c.update_login_profile().user_name(name);
        let request = match new_password {
            true => request.password(password(ctx, after)?),
            false => request,
        };
        let request = request.password_reset_required(reset);
        send!(iam, ctx, request, doing).map(|_| ())
    }
}
