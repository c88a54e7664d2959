//! A user's `LoginProfile` (console password): parsed, compared with the state's marker, and
//! brought from one spec to another. The password is sent to CreateLoginProfile /
//! UpdateLoginProfile and nowhere else: never in a message nor a `Debug` print.

use crate::providers::kit::prelude::*;

use super::UserProvider;
use crate::generated::iam::LOGIN_PROFILE;

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
pub(super) fn parse(p: &Props<'_>) -> Result<Option<Login>, ProviderError> {
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
    pub(super) async fn login(
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
