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

mod parse_actions;
mod report_actions;

pub(super) use parse_actions::parse_actions;
pub(super) use report_actions::observed_actions;
