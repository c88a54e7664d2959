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

mod conditions;
mod parse_actions;
mod report_actions;
mod transforms;

pub(super) use conditions::{condition_json, parse_conditions};
pub(super) use parse_actions::parse_actions;
pub(super) use report_actions::observed_actions;
pub(super) use transforms::{parse_transforms, transform_json};
