//! Listener and rule actions, rule conditions and rule transforms: from the template to the SDK's
//! types, and from what AWS returns back to the template's shape. Conditions and transforms are
//! read and reported by the conversions generated from the schema alone (`generated/elbv2.rs`,
//! `mappings/elbv2.toml`, as part of the CreateRule request and the rule's report); actions are
//! generated too, and checked here for what the schema cannot say.
//!
//! Every key CloudFormation documents for them is mapped:
//!
//! - actions: `Type` (`forward`, `redirect`, `fixed-response`, `authenticate-cognito`,
//!   `authenticate-oidc`, `jwt-validation`), `Order`, `TargetGroupArn`, `ForwardConfig`
//!   (`TargetGroups` with `TargetGroupArn` / `Weight`, `TargetGroupStickinessConfig`),
//!   `RedirectConfig`, `FixedResponseConfig`, `AuthenticateCognitoConfig`,
//!   `AuthenticateOidcConfig` (its `ClientSecret` is write-only: AWS never returns it),
//!   `JwtValidationConfig`;
//! - conditions: `Field`, `Values`, `RegexValues`, `HostHeaderConfig`, `PathPatternConfig`,
//!   `HttpHeaderConfig`, `HttpRequestMethodConfig`, `QueryStringConfig`, `SourceIpConfig`
//!   (except its `IpAddressType`, which the AWS SDK infra is built with cannot send);
//! - transforms: `Type`, `HostHeaderRewriteConfig`, `UrlRewriteConfig` (`Rewrites` of
//!   `Regex` / `Replace`).

use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};

use crate::generated::elbv2::{self as generated, ACTION, AUTHENTICATE_OIDC_CONFIG, report_action};
use crate::providers::elbv2::json;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

/// A list of actions (`DefaultActions` of a listener, `Actions` of a rule), which must not be
/// empty. Each action is read by the conversion generated from the schema, which checks every
/// enum value and names the supported keys of an unknown one; what is checked here is what the
/// schema cannot say: an action of each type carries its config, and an OIDC action has its
/// client secret or keeps the existing one.
pub(super) fn parse_actions(value: Option<&Value>, path: &str, ctx: Ctx<'_>) -> R<Vec<Action>> {
    let Some(value) = value else {
        return Err(ctx.fatal(format!("property {path} is required")));
    };
    let items = kit::list(value, path, ctx)?;
    if items.is_empty() {
        return Err(ctx.fatal(format!("property {path} must hold at least one action")));
    }
    let parse = |(i, item): (usize, &Value)| parse_action(item, &format!("{path}[{i}]"), ctx);
    items.iter().enumerate().map(parse).collect()
}

fn parse_action(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<Action, ProviderError> {
    let obj = Props::object(value, path, ctx, ACTION)?;
    let action = generated::action(&obj)?;
    if let Some(oidc) = obj.get("AuthenticateOidcConfig") {
        let secret = oidc.get("ClientSecret").is_some_and(|v| !v.is_null());
        let oidc = obj.obj("AuthenticateOidcConfig", AUTHENTICATE_OIDC_CONFIG)?;
        let use_existing = oidc
            .map(|o| o.bool("UseExistingClientSecret"))
            .transpose()?;
        if !secret && use_existing.flatten() != Some(true) {
            return Err(ctx.fatal(format!(
                "property {} needs ClientSecret, or UseExistingClientSecret: true",
                obj.at("AuthenticateOidcConfig")
            )));
        }
    }
    let Some(kind) = action.r#type() else {
        return Err(obj.missing("Type"));
    };
    use ActionTypeEnum as Kind;
    let needs = match kind {
        Kind::Forward => "TargetGroupArn or ForwardConfig.TargetGroups",
        Kind::Redirect => "RedirectConfig",
        Kind::FixedResponse => "FixedResponseConfig",
        Kind::AuthenticateCognito => "AuthenticateCognitoConfig",
        Kind::AuthenticateOidc => "AuthenticateOidcConfig",
        Kind::JwtValidation => "JwtValidationConfig",
        _ => return Ok(action),
    };
    let no_groups = (action.forward_config()).is_none_or(|f| f.target_groups().is_empty());
    let missing = match kind {
        Kind::Forward => action.target_group_arn().is_none() && no_groups,
        Kind::Redirect => action.redirect_config().is_none(),
        Kind::FixedResponse => action.fixed_response_config().is_none(),
        Kind::AuthenticateCognito => action.authenticate_cognito_config().is_none(),
        Kind::AuthenticateOidc => action.authenticate_oidc_config().is_none(),
        _ => action.jwt_validation_config().is_none(),
    };
    if missing {
        let kind = kind.as_str();
        let message = format!("property {path}: an action of type {kind} needs {needs}");
        return Err(ctx.fatal(message));
    }
    Ok(action)
}

/// A forward action in one form for comparing: a lone `TargetGroupArn` becomes
/// `ForwardConfig.TargetGroups`, and `TargetGroupArn` beside a `ForwardConfig` (AWS returns both
/// for a single target group) is dropped.
fn canonical_action(action: &Value) -> Value {
    let Value::Object(map) = action else {
        return action.clone();
    };
    if map.get("Type").and_then(Value::as_str) != Some("forward") {
        return action.clone();
    }
    let mut out: Map<String, Value> = map.clone();
    let arn = out.remove("TargetGroupArn").filter(|v| !v.is_null());
    let has_config = out.get("ForwardConfig").is_some_and(|v| !v.is_null());
    if let (Some(arn), false) = (arn, has_config) {
        out.insert(
            "ForwardConfig".into(),
            json!({"TargetGroups": [{"TargetGroupArn": arn}]}),
        );
    }
    Value::Object(out)
}

/// Actions as AWS returned them (the generated `report_action`; the write-only OIDC client
/// secret left out), as the template writes them: the previous list when it says the same (see
/// [`json::matches`]), else the observed one.
pub(super) fn observed_actions(found: &[Action], previous: Option<&Value>) -> Value {
    let observed: Vec<Value> = found.iter().map(report_action).collect();
    let canonical = |list: &[Value]| Value::Array(list.iter().map(canonical_action).collect());
    match previous.and_then(Value::as_array) {
        Some(prev) if json::matches(&canonical(prev), &canonical(&observed)) => {
            Value::Array(prev.clone())
        }
        _ => Value::Array(observed),
    }
}
