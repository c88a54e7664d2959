//! The configs of the authenticating actions from the template to the SDK's types:
//! `AuthenticateCognitoConfig`, `AuthenticateOidcConfig` (its write-only `ClientSecret` or
//! `UseExistingClientSecret`) and `JwtValidationConfig`.

use aws_sdk_elasticloadbalancingv2::types::{
    AuthenticateCognitoActionConditionalBehaviorEnum, AuthenticateCognitoActionConfig,
    AuthenticateOidcActionConditionalBehaviorEnum, AuthenticateOidcActionConfig,
    JwtValidationActionAdditionalClaim, JwtValidationActionAdditionalClaimFormatEnum,
    JwtValidationActionConfig,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

pub(super) fn cognito_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<AuthenticateCognitoActionConfig, ProviderError> {
    let obj = Props::object(
        value,
        path,
        ctx,
        Keys::with(
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
        )
        .listed(),
    )?;
    let on_unauthenticated = obj
        .str("OnUnauthenticatedRequest")?
        .map(|v| {
            kit::one_of::<AuthenticateCognitoActionConditionalBehaviorEnum>(
                &v,
                AuthenticateCognitoActionConditionalBehaviorEnum::values(),
                &obj.at("OnUnauthenticatedRequest"),
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

pub(super) fn oidc_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<AuthenticateOidcActionConfig, ProviderError> {
    let obj = Props::object(
        value,
        path,
        ctx,
        Keys::with(
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
        )
        .listed(),
    )?;
    let on_unauthenticated = obj
        .str("OnUnauthenticatedRequest")?
        .map(|v| {
            kit::one_of::<AuthenticateOidcActionConditionalBehaviorEnum>(
                &v,
                AuthenticateOidcActionConditionalBehaviorEnum::values(),
                &obj.at("OnUnauthenticatedRequest"),
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

pub(super) fn jwt_config(
    value: &Value,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<JwtValidationActionConfig, ProviderError> {
    let obj = Props::object(
        value,
        path,
        ctx,
        Keys::with(&["AdditionalClaims", "Issuer", "JwksEndpoint"], &[]).listed(),
    )?;
    let mut claims = Vec::new();
    for (i, item) in obj.list("AdditionalClaims")?.iter().enumerate() {
        let item_path = format!("{}[{i}]", obj.at("AdditionalClaims"));
        let claim = Props::object(
            item,
            &item_path,
            ctx,
            Keys::with(&["Format", "Name", "Values"], &[]).listed(),
        )?;
        let format: JwtValidationActionAdditionalClaimFormatEnum = kit::one_of(
            &claim.required_str("Format")?,
            JwtValidationActionAdditionalClaimFormatEnum::values(),
            &claim.at("Format"),
            ctx,
        )?;
        claims.push(
            JwtValidationActionAdditionalClaim::builder()
                .format(format)
                .name(claim.required_str("Name")?)
                .set_values(claim.strs("Values")?)
                .build(),
        );
    }
    Ok(JwtValidationActionConfig::builder()
        .set_additional_claims((!claims.is_empty()).then_some(claims))
        .issuer(obj.required_str("Issuer")?)
        .jwks_endpoint(obj.required_str("JwksEndpoint")?)
        .build())
}
