//! Listener and rule actions from the template to the SDK's [`Action`]: each action is read by
//! the conversion generated from the schema (`generated/elbv2.rs`, `mappings/elbv2.toml`, which
//! checks every enum value and names the supported keys of an unknown one); what is checked
//! here is what the schema cannot say: the list is not empty, an action of each type carries
//! its config, and an OIDC action has its client secret or keeps the existing one.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};

use crate::generated::elbv2::{self as generated, ACTION, AUTHENTICATE_OIDC_CONFIG};

/// A list of actions (`DefaultActions` of a listener, `Actions` of a rule), which must not be
/// empty.
pub(in crate::providers::elbv2) fn parse_actions(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<Action>, ProviderError> {
    let Some(value) = value else {
        return Err(ctx.fatal(format!("property {path} is required")));
    };
    let items = kit::list(value, path, ctx)?;
    if items.is_empty() {
        return Err(ctx.fatal(format!("property {path} must hold at least one action")));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_action(item, &format!("{path}[{i}]"), ctx))
        .collect()
}

fn parse_action(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<Action, ProviderError> {
    let obj = Props::object(value, path, ctx, ACTION)?;
    let action = generated::action(&obj)?;
    if let Some(oidc) = obj.get("AuthenticateOidcConfig") {
        let secret = oidc.get("ClientSecret").is_some_and(|v| !v.is_null());
        let use_existing = obj
            .obj("AuthenticateOidcConfig", AUTHENTICATE_OIDC_CONFIG)?
            .map(|o| o.bool("UseExistingClientSecret"))
            .transpose()?
            .flatten();
        if !secret && use_existing != Some(true) {
            return Err(ctx.fatal(format!(
                "property {} needs ClientSecret, or UseExistingClientSecret: true",
                obj.at("AuthenticateOidcConfig")
            )));
        }
    }
    let Some(kind) = action.r#type() else {
        return Err(obj.missing("Type"));
    };
    let needs = match kind {
        ActionTypeEnum::Forward => (action.target_group_arn().is_none()
            && action
                .forward_config()
                .is_none_or(|f| f.target_groups().is_empty()))
        .then_some("TargetGroupArn or ForwardConfig.TargetGroups"),
        ActionTypeEnum::Redirect => action
            .redirect_config()
            .is_none()
            .then_some("RedirectConfig"),
        ActionTypeEnum::FixedResponse => action
            .fixed_response_config()
            .is_none()
            .then_some("FixedResponseConfig"),
        ActionTypeEnum::AuthenticateCognito => action
            .authenticate_cognito_config()
            .is_none()
            .then_some("AuthenticateCognitoConfig"),
        ActionTypeEnum::AuthenticateOidc => action
            .authenticate_oidc_config()
            .is_none()
            .then_some("AuthenticateOidcConfig"),
        ActionTypeEnum::JwtValidation => action
            .jwt_validation_config()
            .is_none()
            .then_some("JwtValidationConfig"),
        _ => None,
    };
    if let Some(needs) = needs {
        return Err(ctx.fatal(format!(
            "property {path}: an action of type {} needs {needs}",
            kind.as_str()
        )));
    }
    Ok(action)
}
