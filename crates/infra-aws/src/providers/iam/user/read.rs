//! `AWS::IAM::User` refresh: GetUser, then what the record manages (see the module comment of
//! [`super`]).

use crate::providers::iam::present;
use crate::providers::kit::prelude::*;

use super::{TYPE, get_user, groups_of, output};
use crate::providers::iam::principal::{Kind, Principal};
use crate::providers::iam::{Iam, observe_scalars, tag_map};

/// Refreshes one user.
pub(super) async fn read_one(
    iam: Iam,
    item: ReadInput,
) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let Some(user) = get_user(&iam, ctx, name).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let boundary = user.permissions_boundary();
    let boundary = boundary.and_then(|b| b.permissions_boundary_arn());
    observe_scalars(
        &item.properties,
        &mut props,
        [
            ("UserName", Some(json!(user.user_name()))),
            ("Path", Some(json!(user.path()))),
            ("PermissionsBoundary", boundary.map(|b| json!(b))),
        ],
    );
    if let Some(previous) = prev("Tags") {
        let seen = observed_tags(&tag_map(user.tags()), Some(previous));
        props.insert("Tags".into(), seen);
    }
    if let Some(previous) = prev("Groups") {
        let member = groups_of(&iam, ctx, name).await?.unwrap_or_default();
        let ours = previous
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        let ours = ours
            .filter(|g| member.iter().any(|m| m == g))
            .map(str::to_owned);
        props.insert(
            "Groups".into(),
            observed_set(ours.collect(), Some(previous)),
        );
    }
    let principal = Principal::new(Kind::User, name);
    principal
        .observe_policies(&iam, ctx, &item.properties, &mut props)
        .await?;
    if let Some(previous) = prev("LoginProfile") {
        let sent = iam.client.get_login_profile().user_name(name).send().await;
        match sent.map_err(|e| iam.err(e)) {
            // IAM never returns the password: it is reported as last applied.
            Ok(out) => {
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
            Err(err) if is_not_found(&err) => {}
            Err(err) => {
                return Err(ctx.fail(format!("reading the login profile of user {name}"), err));
            }
        }
    }
    present(&item, props, output(&user).attributes)
}
