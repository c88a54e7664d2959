//! Listener and rule actions from the template to the SDK's [`Action`]: the action itself, what
//! each type needs, and the `ForwardConfig` and `RedirectConfig` it may carry (the
//! authenticating configs are in `parse_auth_configs`).

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, ForwardActionConfig, RedirectActionConfig,
    RedirectActionStatusCodeEnum, TargetGroupStickinessConfig, TargetGroupTuple,
};
use serde_json::Value;

use super::parse_auth_configs::{cognito_config, jwt_config, oidc_config};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

const ACTION_KEYS: &[&str] = &[
    "Type",
    "Order",
    "TargetGroupArn",
    "ForwardConfig",
    "RedirectConfig",
    "FixedResponseConfig",
    "AuthenticateCognitoConfig",
    "AuthenticateOidcConfig",
    "JwtValidationConfig",
];

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
    let obj = Props::object(value, path, ctx, Keys::with(ACTION_KEYS, &[]).listed())?;
    let kind: ActionTypeEnum = kit::one_of(
        &obj.required_str("Type")?,
        ActionTypeEnum::values(),
        &obj.at("Type"),
        ctx,
    )?;
    let mut action = Action::builder()
        .r#type(kind.clone())
        .set_order(obj.i32("Order")?)
        .set_target_group_arn(obj.str("TargetGroupArn")?);
    if let Some(v) = obj.get("ForwardConfig") {
        action = action.forward_config(forward_config(v, &obj.at("ForwardConfig"), ctx)?);
    }
    if let Some(v) = obj.get("RedirectConfig") {
        action = action.redirect_config(redirect_config(v, &obj.at("RedirectConfig"), ctx)?);
    }
    if let Some(v) = obj.get("FixedResponseConfig") {
        let o = Props::object(
            v,
            obj.at("FixedResponseConfig"),
            ctx,
            Keys::with(&["ContentType", "MessageBody", "StatusCode"], &[]).listed(),
        )?;
        action = action.fixed_response_config(
            FixedResponseActionConfig::builder()
                .set_content_type(o.str("ContentType")?)
                .set_message_body(o.str("MessageBody")?)
                .status_code(o.required_str("StatusCode")?)
                .build(),
        );
    }
    if let Some(v) = obj.get("AuthenticateCognitoConfig") {
        action = action.authenticate_cognito_config(cognito_config(
            v,
            &obj.at("AuthenticateCognitoConfig"),
            ctx,
        )?);
    }
    if let Some(v) = obj.get("AuthenticateOidcConfig") {
        action = action.authenticate_oidc_config(oidc_config(
            v,
            &obj.at("AuthenticateOidcConfig"),
            ctx,
        )?);
    }
    if let Some(v) = obj.get("JwtValidationConfig") {
        action = action.jwt_validation_config(jwt_config(v, &obj.at("JwtValidationConfig"), ctx)?);
    }
    let action = action.build();
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

fn forward_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<ForwardActionConfig, ProviderError> {
    let obj = Props::object(
        value,
        path,
        ctx,
        Keys::with(&["TargetGroups", "TargetGroupStickinessConfig"], &[]).listed(),
    )?;
    let mut groups = Vec::new();
    for (i, item) in obj.list("TargetGroups")?.iter().enumerate() {
        let item_path = format!("{}[{i}]", obj.at("TargetGroups"));
        let tg = Props::object(
            item,
            &item_path,
            ctx,
            Keys::with(&["TargetGroupArn", "Weight"], &[]).listed(),
        )?;
        groups.push(
            TargetGroupTuple::builder()
                .target_group_arn(tg.required_str("TargetGroupArn")?)
                .set_weight(tg.i32("Weight")?)
                .build(),
        );
    }
    let stickiness = obj
        .get("TargetGroupStickinessConfig")
        .map(|v| {
            let o = Props::object(
                v,
                obj.at("TargetGroupStickinessConfig"),
                ctx,
                Keys::with(&["Enabled", "DurationSeconds"], &[]).listed(),
            )?;
            Ok::<_, ProviderError>(
                TargetGroupStickinessConfig::builder()
                    .set_enabled(o.bool("Enabled")?)
                    .set_duration_seconds(o.i32("DurationSeconds")?)
                    .build(),
            )
        })
        .transpose()?;
    Ok(ForwardActionConfig::builder()
        .set_target_groups((!groups.is_empty()).then_some(groups))
        .set_target_group_stickiness_config(stickiness)
        .build())
}

fn redirect_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<RedirectActionConfig, ProviderError> {
    let obj = Props::object(
        value,
        path,
        ctx,
        Keys::with(
            &["Host", "Path", "Port", "Protocol", "Query", "StatusCode"],
            &[],
        )
        .listed(),
    )?;
    let status: RedirectActionStatusCodeEnum = kit::one_of(
        &obj.required_str("StatusCode")?,
        RedirectActionStatusCodeEnum::values(),
        &obj.at("StatusCode"),
        ctx,
    )?;
    Ok(RedirectActionConfig::builder()
        .set_host(obj.str("Host")?)
        .set_path(obj.str("Path")?)
        .set_port(obj.str("Port")?)
        .set_protocol(obj.str("Protocol")?)
        .set_query(obj.str("Query")?)
        .status_code(status)
        .build())
}
