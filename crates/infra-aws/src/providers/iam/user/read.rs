//! `AWS::IAM::User` refresh: GetUser, then what the record manages (see the module comment of
//! [`super`]).

use crate::providers::iam::present;
use crate::providers::kit::prelude::*;

use super::{TYPE, get_user, groups_of, output};
use crate::providers::iam::principal::{Kind, Principal};
use crate::providers::iam::{Iam, observed_map, tag_map};

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
    let boundary = user.permissions_boundary();
    let found = json!({
        "UserName": user.user_name(),
        "Path": user.path(),
        "PermissionsBoundary": boundary.and_then(|b| b.permissions_boundary_arn()),
        "Tags": observed_tags(&tag_map(user.tags()), prev("Tags")),
    });
    let mut props = observed_map(found, &item.properties);
    if let Some(previous) = prev("Groups") {
        let member = groups_of(&iam, ctx, name).await?.unwrap_or_default();
        let ours = previous.as_array().into_iter().flatten();
        let ours = ours
            .filter_map(Value::as_str)
            .filter(|g| member.iter().any(|m| m == g));
        let ours = ours.map(str::to_owned).collect();
        props.insert("Groups".into(), observed_set(ours, Some(previous)));
    }
    let principal = Principal::new(Kind::User, name);
    let last = &item.properties;
    principal
        .observe_policies(&iam, ctx, last, &mut props)
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
