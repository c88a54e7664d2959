//! Listener and rule actions as AWS returns them, back in the template's shape, and reported as
//! the previous list when they say the same.

use aws_sdk_elasticloadbalancingv2::types::Action;
use serde_json::{Map, Value, json};

use crate::providers::elbv2::json::{self, object, s};

/// An action as the template writes it.
fn action_json(action: &Action) -> Value {
    let forward = action.forward_config().map(|f| {
        object(vec![
            (
                "TargetGroups",
                Some(Value::Array(
                    f.target_groups()
                        .iter()
                        .map(|tg| {
                            object(vec![
                                ("TargetGroupArn", s(tg.target_group_arn())),
                                ("Weight", tg.weight().map(Value::from)),
                            ])
                        })
                        .collect(),
                )),
            ),
            (
                "TargetGroupStickinessConfig",
                f.target_group_stickiness_config().map(|st| {
                    object(vec![
                        ("Enabled", st.enabled().map(Value::from)),
                        ("DurationSeconds", st.duration_seconds().map(Value::from)),
                    ])
                }),
            ),
        ])
    });
    let redirect = action.redirect_config().map(|r| {
        object(vec![
            ("Host", s(r.host())),
            ("Path", s(r.path())),
            ("Port", s(r.port())),
            ("Protocol", s(r.protocol())),
            ("Query", s(r.query())),
            ("StatusCode", s(r.status_code().map(|c| c.as_str()))),
        ])
    });
    let fixed = action.fixed_response_config().map(|f| {
        object(vec![
            ("ContentType", s(f.content_type())),
            ("MessageBody", s(f.message_body())),
            ("StatusCode", s(f.status_code())),
        ])
    });
    let cognito = action.authenticate_cognito_config().map(|c| {
        object(vec![
            (
                "AuthenticationRequestExtraParams",
                extra_params(c.authentication_request_extra_params()),
            ),
            (
                "OnUnauthenticatedRequest",
                s(c.on_unauthenticated_request().map(|o| o.as_str())),
            ),
            ("Scope", s(c.scope())),
            ("SessionCookieName", s(c.session_cookie_name())),
            ("SessionTimeout", c.session_timeout().map(Value::from)),
            ("UserPoolArn", s(c.user_pool_arn())),
            ("UserPoolClientId", s(c.user_pool_client_id())),
            ("UserPoolDomain", s(c.user_pool_domain())),
        ])
    });
    let oidc = action.authenticate_oidc_config().map(|c| {
        object(vec![
            (
                "AuthenticationRequestExtraParams",
                extra_params(c.authentication_request_extra_params()),
            ),
            ("AuthorizationEndpoint", s(c.authorization_endpoint())),
            ("ClientId", s(c.client_id())),
            ("Issuer", s(c.issuer())),
            (
                "OnUnauthenticatedRequest",
                s(c.on_unauthenticated_request().map(|o| o.as_str())),
            ),
            ("Scope", s(c.scope())),
            ("SessionCookieName", s(c.session_cookie_name())),
            ("SessionTimeout", c.session_timeout().map(Value::from)),
            ("TokenEndpoint", s(c.token_endpoint())),
            ("UserInfoEndpoint", s(c.user_info_endpoint())),
        ])
    });
    let jwt = action.jwt_validation_config().map(|j| {
        object(vec![
            (
                "AdditionalClaims",
                (!j.additional_claims().is_empty()).then(|| {
                    Value::Array(
                        j.additional_claims()
                            .iter()
                            .map(|c| {
                                object(vec![
                                    ("Format", s(c.format().map(|f| f.as_str()))),
                                    ("Name", s(c.name())),
                                    ("Values", Some(json!(c.values()))),
                                ])
                            })
                            .collect(),
                    )
                }),
            ),
            ("Issuer", s(j.issuer())),
            ("JwksEndpoint", s(j.jwks_endpoint())),
        ])
    });
    object(vec![
        ("Type", s(action.r#type().map(|t| t.as_str()))),
        ("Order", action.order().map(Value::from)),
        ("TargetGroupArn", s(action.target_group_arn())),
        ("ForwardConfig", forward),
        ("RedirectConfig", redirect),
        ("FixedResponseConfig", fixed),
        ("AuthenticateCognitoConfig", cognito),
        ("AuthenticateOidcConfig", oidc),
        ("JwtValidationConfig", jwt),
    ])
}

fn extra_params(params: Option<&std::collections::HashMap<String, String>>) -> Option<Value> {
    params.filter(|p| !p.is_empty()).map(|p| {
        Value::Object(
            p.iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    })
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

/// Actions as AWS returned them, as the template writes them: the previous list when it says
/// the same (see [`json::matches`]), else the observed one.
pub(in crate::providers::elbv2) fn observed_actions(
    found: &[Action],
    previous: Option<&Value>,
) -> Value {
    let observed: Vec<Value> = found.iter().map(action_json).collect();
    let canonical = |list: &[Value]| Value::Array(list.iter().map(canonical_action).collect());
    match previous.and_then(Value::as_array) {
        Some(prev) if json::matches(&canonical(prev), &canonical(&observed)) => {
            Value::Array(prev.clone())
        }
        _ => Value::Array(observed),
    }
}
