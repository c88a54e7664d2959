//! Listener and rule actions, rule conditions and rule transforms: from the template to the SDK's
//! types, and from what AWS returns back to the template's shape.
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

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, AuthenticateCognitoActionConditionalBehaviorEnum,
    AuthenticateCognitoActionConfig, AuthenticateOidcActionConditionalBehaviorEnum,
    AuthenticateOidcActionConfig, FixedResponseActionConfig, ForwardActionConfig,
    HostHeaderConditionConfig, HostHeaderRewriteConfig, HttpHeaderConditionConfig,
    HttpRequestMethodConditionConfig, JwtValidationActionAdditionalClaim,
    JwtValidationActionAdditionalClaimFormatEnum, JwtValidationActionConfig,
    PathPatternConditionConfig, QueryStringConditionConfig, QueryStringKeyValuePair,
    RedirectActionConfig, RedirectActionStatusCodeEnum, RewriteConfig, RuleCondition,
    RuleTransform, SourceIpConditionConfig, TargetGroupStickinessConfig, TargetGroupTuple,
    TransformTypeEnum, UrlRewriteConfig,
};
use serde_json::{Map, Value, json};

use super::super::iam::common::Ctx;
use super::json::{self, Obj, object, s, strings};
use crate::provider::ProviderError;

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
pub(super) fn parse_actions(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<Action>, ProviderError> {
    let Some(value) = value else {
        return Err(ctx.fatal(format!("property {path} is required")));
    };
    let items = json::list(value, path, ctx)?;
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
    let obj = Obj::new(value, path, ctx, ACTION_KEYS, &[])?;
    let kind: ActionTypeEnum = json::one_of(
        &obj.required_str("Type")?,
        ActionTypeEnum::values(),
        &obj.path("Type"),
        ctx,
    )?;
    let mut action = Action::builder()
        .r#type(kind.clone())
        .set_order(obj.i32("Order")?)
        .set_target_group_arn(obj.str("TargetGroupArn")?);
    if let Some(v) = obj.get("ForwardConfig") {
        action = action.forward_config(forward_config(v, &obj.path("ForwardConfig"), ctx)?);
    }
    if let Some(v) = obj.get("RedirectConfig") {
        action = action.redirect_config(redirect_config(v, &obj.path("RedirectConfig"), ctx)?);
    }
    if let Some(v) = obj.get("FixedResponseConfig") {
        let o = Obj::new(
            v,
            &obj.path("FixedResponseConfig"),
            ctx,
            &["ContentType", "MessageBody", "StatusCode"],
            &[],
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
            &obj.path("AuthenticateCognitoConfig"),
            ctx,
        )?);
    }
    if let Some(v) = obj.get("AuthenticateOidcConfig") {
        action = action.authenticate_oidc_config(oidc_config(
            v,
            &obj.path("AuthenticateOidcConfig"),
            ctx,
        )?);
    }
    if let Some(v) = obj.get("JwtValidationConfig") {
        action =
            action.jwt_validation_config(jwt_config(v, &obj.path("JwtValidationConfig"), ctx)?);
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
    let obj = Obj::new(
        value,
        path,
        ctx,
        &["TargetGroups", "TargetGroupStickinessConfig"],
        &[],
    )?;
    let mut groups = Vec::new();
    for (i, item) in obj.list("TargetGroups")?.into_iter().flatten().enumerate() {
        let item_path = format!("{}[{i}]", obj.path("TargetGroups"));
        let tg = Obj::new(item, &item_path, ctx, &["TargetGroupArn", "Weight"], &[])?;
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
            let o = Obj::new(
                v,
                &obj.path("TargetGroupStickinessConfig"),
                ctx,
                &["Enabled", "DurationSeconds"],
                &[],
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
    let obj = Obj::new(
        value,
        path,
        ctx,
        &["Host", "Path", "Port", "Protocol", "Query", "StatusCode"],
        &[],
    )?;
    let status: RedirectActionStatusCodeEnum = json::one_of(
        &obj.required_str("StatusCode")?,
        RedirectActionStatusCodeEnum::values(),
        &obj.path("StatusCode"),
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

fn cognito_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<AuthenticateCognitoActionConfig, ProviderError> {
    let obj = Obj::new(
        value,
        path,
        ctx,
        &[
            "AuthenticationRequestExtraParams",
            "OnUnauthenticatedRequest",
            "Scope",
            "SessionCookieName",
            "SessionTimeout",
            "UserPoolArn",
            "UserPoolClientId",
            "UserPoolDomain",
        ],
        &[],
    )?;
    let on_unauthenticated = obj
        .str("OnUnauthenticatedRequest")?
        .map(|v| {
            json::one_of::<AuthenticateCognitoActionConditionalBehaviorEnum>(
                &v,
                AuthenticateCognitoActionConditionalBehaviorEnum::values(),
                &obj.path("OnUnauthenticatedRequest"),
                ctx,
            )
        })
        .transpose()?;
    Ok(AuthenticateCognitoActionConfig::builder()
        .set_authentication_request_extra_params(obj.str_map("AuthenticationRequestExtraParams")?)
        .set_on_unauthenticated_request(on_unauthenticated)
        .set_scope(obj.str("Scope")?)
        .set_session_cookie_name(obj.str("SessionCookieName")?)
        .set_session_timeout(obj.i64("SessionTimeout")?)
        .user_pool_arn(obj.required_str("UserPoolArn")?)
        .user_pool_client_id(obj.required_str("UserPoolClientId")?)
        .user_pool_domain(obj.required_str("UserPoolDomain")?)
        .build())
}

fn oidc_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<AuthenticateOidcActionConfig, ProviderError> {
    let obj = Obj::new(
        value,
        path,
        ctx,
        &[
            "AuthenticationRequestExtraParams",
            "AuthorizationEndpoint",
            "ClientId",
            "ClientSecret",
            "Issuer",
            "OnUnauthenticatedRequest",
            "Scope",
            "SessionCookieName",
            "SessionTimeout",
            "TokenEndpoint",
            "UseExistingClientSecret",
            "UserInfoEndpoint",
        ],
        &[],
    )?;
    let on_unauthenticated = obj
        .str("OnUnauthenticatedRequest")?
        .map(|v| {
            json::one_of::<AuthenticateOidcActionConditionalBehaviorEnum>(
                &v,
                AuthenticateOidcActionConditionalBehaviorEnum::values(),
                &obj.path("OnUnauthenticatedRequest"),
                ctx,
            )
        })
        .transpose()?;
    let secret = obj.str("ClientSecret")?;
    let use_existing = obj.bool("UseExistingClientSecret")?;
    if secret.is_none() && use_existing != Some(true) {
        return Err(ctx.fatal(format!(
            "property {path} needs ClientSecret, or UseExistingClientSecret: true"
        )));
    }
    Ok(AuthenticateOidcActionConfig::builder()
        .set_authentication_request_extra_params(obj.str_map("AuthenticationRequestExtraParams")?)
        .authorization_endpoint(obj.required_str("AuthorizationEndpoint")?)
        .client_id(obj.required_str("ClientId")?)
        .set_client_secret(secret)
        .issuer(obj.required_str("Issuer")?)
        .set_on_unauthenticated_request(on_unauthenticated)
        .set_scope(obj.str("Scope")?)
        .set_session_cookie_name(obj.str("SessionCookieName")?)
        .set_session_timeout(obj.i64("SessionTimeout")?)
        .token_endpoint(obj.required_str("TokenEndpoint")?)
        .set_use_existing_client_secret(use_existing)
        .user_info_endpoint(obj.required_str("UserInfoEndpoint")?)
        .build())
}

fn jwt_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<JwtValidationActionConfig, ProviderError> {
    let obj = Obj::new(
        value,
        path,
        ctx,
        &["AdditionalClaims", "Issuer", "JwksEndpoint"],
        &[],
    )?;
    let mut claims = Vec::new();
    for (i, item) in obj
        .list("AdditionalClaims")?
        .into_iter()
        .flatten()
        .enumerate()
    {
        let item_path = format!("{}[{i}]", obj.path("AdditionalClaims"));
        let claim = Obj::new(item, &item_path, ctx, &["Format", "Name", "Values"], &[])?;
        let format: JwtValidationActionAdditionalClaimFormatEnum = json::one_of(
            &claim.required_str("Format")?,
            JwtValidationActionAdditionalClaimFormatEnum::values(),
            &claim.path("Format"),
            ctx,
        )?;
        claims.push(
            JwtValidationActionAdditionalClaim::builder()
                .format(format)
                .name(claim.required_str("Name")?)
                .set_values(claim.str_list("Values")?)
                .build(),
        );
    }
    Ok(JwtValidationActionConfig::builder()
        .set_additional_claims((!claims.is_empty()).then_some(claims))
        .issuer(obj.required_str("Issuer")?)
        .jwks_endpoint(obj.required_str("JwksEndpoint")?)
        .build())
}

/// An action as the template writes it.
pub(super) fn action_json(action: &Action) -> Value {
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
pub(super) fn observed_actions(found: &[Action], previous: Option<&Value>) -> Value {
    let observed: Vec<Value> = found.iter().map(action_json).collect();
    let canonical = |list: &[Value]| Value::Array(list.iter().map(canonical_action).collect());
    match previous.and_then(Value::as_array) {
        Some(prev) if json::matches(&canonical(prev), &canonical(&observed)) => {
            Value::Array(prev.clone())
        }
        _ => Value::Array(observed),
    }
}

/// A condition config's `Values` and `RegexValues`.
type ValuesAndRegex = (Option<Vec<String>>, Option<Vec<String>>);

const CONDITION_KEYS: &[&str] = &[
    "Field",
    "Values",
    "RegexValues",
    "HostHeaderConfig",
    "PathPatternConfig",
    "HttpHeaderConfig",
    "HttpRequestMethodConfig",
    "QueryStringConfig",
    "SourceIpConfig",
];

/// A rule's `Conditions`.
pub(super) fn parse_conditions(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<RuleCondition>, ProviderError> {
    let Some(value) = value else {
        return Err(ctx.fatal(format!("property {path} is required")));
    };
    json::list(value, path, ctx)?
        .iter()
        .enumerate()
        .map(|(i, item)| parse_condition(item, &format!("{path}[{i}]"), ctx))
        .collect()
}

fn parse_condition(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<RuleCondition, ProviderError> {
    let obj = Obj::new(value, path, ctx, CONDITION_KEYS, &[])?;
    let values_and_regex = |key: &str| -> Result<ValuesAndRegex, ProviderError> {
        match obj.get(key) {
            None => Ok((None, None)),
            Some(v) => {
                let o = Obj::new(v, &obj.path(key), ctx, &["Values", "RegexValues"], &[])?;
                Ok((o.str_list("Values")?, o.str_list("RegexValues")?))
            }
        }
    };
    let mut condition = RuleCondition::builder()
        .set_field(obj.str("Field")?)
        .set_values(obj.str_list("Values")?)
        .set_regex_values(obj.str_list("RegexValues")?);
    if obj.get("HostHeaderConfig").is_some() {
        let (values, regex) = values_and_regex("HostHeaderConfig")?;
        condition = condition.host_header_config(
            HostHeaderConditionConfig::builder()
                .set_values(values)
                .set_regex_values(regex)
                .build(),
        );
    }
    if obj.get("PathPatternConfig").is_some() {
        let (values, regex) = values_and_regex("PathPatternConfig")?;
        condition = condition.path_pattern_config(
            PathPatternConditionConfig::builder()
                .set_values(values)
                .set_regex_values(regex)
                .build(),
        );
    }
    if let Some(v) = obj.get("HttpHeaderConfig") {
        let o = Obj::new(
            v,
            &obj.path("HttpHeaderConfig"),
            ctx,
            &["HttpHeaderName", "Values", "RegexValues"],
            &[],
        )?;
        condition = condition.http_header_config(
            HttpHeaderConditionConfig::builder()
                .set_http_header_name(o.str("HttpHeaderName")?)
                .set_values(o.str_list("Values")?)
                .set_regex_values(o.str_list("RegexValues")?)
                .build(),
        );
    }
    if let Some(v) = obj.get("HttpRequestMethodConfig") {
        let o = Obj::new(
            v,
            &obj.path("HttpRequestMethodConfig"),
            ctx,
            &["Values"],
            &[],
        )?;
        condition = condition.http_request_method_config(
            HttpRequestMethodConditionConfig::builder()
                .set_values(o.str_list("Values")?)
                .build(),
        );
    }
    if let Some(v) = obj.get("QueryStringConfig") {
        let o = Obj::new(v, &obj.path("QueryStringConfig"), ctx, &["Values"], &[])?;
        let mut pairs = Vec::new();
        for (i, item) in o.list("Values")?.into_iter().flatten().enumerate() {
            let item_path = format!("{}[{i}]", o.path("Values"));
            let pair = Obj::new(item, &item_path, ctx, &["Key", "Value"], &[])?;
            pairs.push(
                QueryStringKeyValuePair::builder()
                    .set_key(pair.str("Key")?)
                    .set_value(pair.str("Value")?)
                    .build(),
            );
        }
        condition = condition.query_string_config(
            QueryStringConditionConfig::builder()
                .set_values(Some(pairs))
                .build(),
        );
    }
    if let Some(v) = obj.get("SourceIpConfig") {
        let o = Obj::new(
            v,
            &obj.path("SourceIpConfig"),
            ctx,
            &["Values"],
            &[(
                "IpAddressType",
                "the AWS SDK infra is built with has no field for it; leave it out (AWS \
                 infers the type from the CIDR blocks)",
            )],
        )?;
        condition = condition.source_ip_config(
            SourceIpConditionConfig::builder()
                .set_values(o.str_list("Values")?)
                .build(),
        );
    }
    Ok(condition.build())
}

/// A condition as the template writes it.
pub(super) fn condition_json(c: &RuleCondition) -> Value {
    let values_and_regex = |values: &[String], regex: &[String]| {
        object(vec![
            ("Values", strings(values)),
            ("RegexValues", strings(regex)),
        ])
    };
    object(vec![
        ("Field", s(c.field())),
        ("Values", strings(c.values())),
        ("RegexValues", strings(c.regex_values())),
        (
            "HostHeaderConfig",
            c.host_header_config()
                .map(|h| values_and_regex(h.values(), h.regex_values())),
        ),
        (
            "PathPatternConfig",
            c.path_pattern_config()
                .map(|p| values_and_regex(p.values(), p.regex_values())),
        ),
        (
            "HttpHeaderConfig",
            c.http_header_config().map(|h| {
                object(vec![
                    ("HttpHeaderName", s(h.http_header_name())),
                    ("Values", strings(h.values())),
                    ("RegexValues", strings(h.regex_values())),
                ])
            }),
        ),
        (
            "HttpRequestMethodConfig",
            c.http_request_method_config()
                .map(|m| object(vec![("Values", strings(m.values()))])),
        ),
        (
            "QueryStringConfig",
            c.query_string_config().map(|q| {
                json!({"Values": q.values().iter().map(|p| object(vec![
                    ("Key", s(p.key())),
                    ("Value", s(p.value())),
                ])).collect::<Vec<_>>()})
            }),
        ),
        (
            "SourceIpConfig",
            c.source_ip_config()
                .map(|ip| object(vec![("Values", strings(ip.values()))])),
        ),
    ])
}

const TRANSFORM_KEYS: &[&str] = &["Type", "HostHeaderRewriteConfig", "UrlRewriteConfig"];

/// A rule's `Transforms` (absent = none).
pub(super) fn parse_transforms(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<RuleTransform>, ProviderError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in json::list(value, path, ctx)?.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let obj = Obj::new(item, &item_path, ctx, TRANSFORM_KEYS, &[])?;
        let kind: TransformTypeEnum = json::one_of(
            &obj.required_str("Type")?,
            TransformTypeEnum::values(),
            &obj.path("Type"),
            ctx,
        )?;
        let rewrites = |key: &str| -> Result<Option<Vec<RewriteConfig>>, ProviderError> {
            let Some(v) = obj.get(key) else {
                return Ok(None);
            };
            let o = Obj::new(v, &obj.path(key), ctx, &["Rewrites"], &[])?;
            let mut list = Vec::new();
            for (j, r) in o.list("Rewrites")?.into_iter().flatten().enumerate() {
                let r_path = format!("{}[{j}]", o.path("Rewrites"));
                let rewrite = Obj::new(r, &r_path, ctx, &["Regex", "Replace"], &[])?;
                list.push(
                    RewriteConfig::builder()
                        .regex(rewrite.required_str("Regex")?)
                        .replace(rewrite.required_str("Replace")?)
                        .build(),
                );
            }
            Ok(Some(list))
        };
        let mut transform = RuleTransform::builder().r#type(kind);
        if let Some(list) = rewrites("HostHeaderRewriteConfig")? {
            transform = transform.host_header_rewrite_config(
                HostHeaderRewriteConfig::builder()
                    .set_rewrites(Some(list))
                    .build(),
            );
        }
        if let Some(list) = rewrites("UrlRewriteConfig")? {
            transform = transform
                .url_rewrite_config(UrlRewriteConfig::builder().set_rewrites(Some(list)).build());
        }
        out.push(transform.build());
    }
    Ok(out)
}

/// A transform as the template writes it.
pub(super) fn transform_json(t: &RuleTransform) -> Value {
    let rewrites = |list: &[RewriteConfig]| {
        json!({"Rewrites": list.iter().map(|r| object(vec![
            ("Regex", s(r.regex())),
            ("Replace", s(r.replace())),
        ])).collect::<Vec<_>>()})
    };
    object(vec![
        ("Type", s(t.r#type().map(|k| k.as_str()))),
        (
            "HostHeaderRewriteConfig",
            t.host_header_rewrite_config()
                .map(|h| rewrites(h.rewrites())),
        ),
        (
            "UrlRewriteConfig",
            t.url_rewrite_config().map(|u| rewrites(u.rewrites())),
        ),
    ])
}
