//! What a failed Cloud Control call or request means for the engine.
//!
//! Two kinds of failure:
//! - a call refused synchronously (an exception): classed by [`call_class`], the kit's table
//!   ([`crate::providers::kit::errors::class_of`]: throttling, 5xx, `*NotFoundException`) with
//!   Cloud Control's own codes on top (a concurrent operation is worth another try, a client
//!   token used for another request or an unknown type is not);
//! - a request that ended `FAILED` with a `HandlerErrorCode`: [`Outcome::of`] says whether to
//!   submit the whole operation again (the handler was throttled or failed on AWS's side),
//!   whether the resource may exist anyway (`NotStabilized`), or what class to report.
//!
//! Every message names the operation, the type and the address (through the kit's
//! [`Ctx`]), and the handler's `StatusMessage`; never credentials (AWS messages are redacted
//! by [`crate::error::classify`] and [`super::api::Event::failure`]).

use crate::error::AwsError;
use crate::provider::{FailureClass, ProviderError};
use crate::providers::kit::Ctx;
use crate::providers::kit::errors::class_of;

/// Handler error codes after which the same operation is submitted again (with the next
/// attempt's client token): the handler was throttled or failed on AWS's side, and nothing was
/// done.
pub(crate) const RESUBMIT_CODES: &[&str] = &[
    "Throttling",
    "ServiceInternalError",
    "NetworkFailure",
    "InternalFailure",
    "ServiceTimeout",
];

/// Exception codes of Cloud Control that are worth another try besides those of the kit's
/// table: another operation on the resource is in progress, or the service failed.
const RETRYABLE_CALL_CODES: &[&str] = &[
    "ConcurrentOperationException",
    "ResourceConflictException",
    "ServiceInternalErrorException",
    "HandlerInternalFailureException",
    "NetworkFailureException",
];

/// Exception codes of Cloud Control that end in `NotFoundException` but do not say the
/// resource is gone.
const FATAL_CALL_CODES: &[&str] = &["RequestTokenNotFoundException", "TypeNotFoundException"];

/// The class of a failed call.
pub(crate) fn call_class(err: &AwsError) -> FailureClass {
    match err.code() {
        Some(code) if RETRYABLE_CALL_CODES.contains(&code) => FailureClass::Retryable,
        // A request token older than Cloud Control keeps (7 days), or a type the registry does
        // not have: not a missing resource.
        Some(code) if FATAL_CALL_CODES.contains(&code) => FailureClass::Fatal,
        _ => class_of(err),
    }
}

/// Whether `err` carries the code `code`.
pub(crate) fn has_code(err: &AwsError, code: &str) -> bool {
    err.code() == Some(code)
}

/// The error of a failed `operation` call about the resource of `ctx`, with a hint for the
/// codes whose meaning is not obvious.
pub(crate) fn call_error(ctx: Ctx<'_>, operation: &str, err: &AwsError) -> ProviderError {
    let hint = match err.code() {
        Some("ClientTokenConflictException") => {
            "; the idempotency token infra derived for this operation was already used for \
             another request (the state's intent was reused with other properties?)"
        }
        Some("TypeNotFoundException") => {
            "; the type is not in AWS's registry in this region (or not activated in the account)"
        }
        Some("UnsupportedActionException") => {
            "; Cloud Control cannot do this with the type (its schema has no handler for it)"
        }
        Some("ConcurrentOperationException") => {
            "; another operation on this resource is in progress"
        }
        _ => "",
    };
    ctx.error(
        call_class(err),
        format!("Cloud Control {operation} failed: {err}{hint}"),
    )
}

/// What a request that ended `FAILED` (or cancelled) means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Submit the operation again: nothing was done.
    Resubmit,
    /// The resource already exists (a create).
    AlreadyExists,
    /// The resource does not exist (an update or delete).
    NotFound,
    /// The resource was made but did not stabilise: it may exist.
    NotStabilized,
    /// Anything else: report with this class.
    Fail(FailureClass),
}

impl Outcome {
    /// The outcome of the handler error code `code` (`None`: a cancelled request).
    pub(crate) fn of(code: Option<&str>) -> Outcome {
        match code {
            Some(c) if RESUBMIT_CODES.contains(&c) => Outcome::Resubmit,
            Some("AlreadyExists") => Outcome::AlreadyExists,
            Some("NotFound") => Outcome::NotFound,
            Some("NotStabilized") => Outcome::NotStabilized,
            // Something still uses the resource, or is changing it: the engine retries a
            // delete while dependents drain.
            Some("ResourceConflict") => Outcome::Fail(FailureClass::DependencyViolation),
            // Someone cancelled it: nothing more will happen; another try may succeed.
            None => Outcome::Fail(FailureClass::Retryable),
            Some(_) => Outcome::Fail(FailureClass::Fatal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str) -> AwsError {
        AwsError::Service {
            service: "cloudcontrolapi".into(),
            operation: "CreateResource".into(),
            code: code.into(),
            message: "m".into(),
            request_id: None,
        }
    }

    #[test]
    fn calls_are_classed_by_the_kit_with_cloud_controls_codes_on_top() {
        let throttled = AwsError::Throttled {
            service: "cloudcontrolapi".into(),
            operation: "CreateResource".into(),
            code: "ThrottlingException".into(),
            message: "slow down".into(),
        };
        assert_eq!(call_class(&throttled), FailureClass::Retryable);
        for code in [
            "ConcurrentOperationException",
            "ServiceInternalErrorException",
            "NetworkFailureException",
        ] {
            assert_eq!(
                call_class(&service(code)),
                FailureClass::Retryable,
                "{code}"
            );
        }
        assert_eq!(
            call_class(&service("ResourceNotFoundException")),
            FailureClass::NotFound
        );
        for code in [
            "ClientTokenConflictException",
            "TypeNotFoundException",
            "UnsupportedActionException",
            "InvalidRequestException",
            "RequestTokenNotFoundException",
        ] {
            assert_eq!(call_class(&service(code)), FailureClass::Fatal, "{code}");
        }
    }

    #[test]
    fn call_errors_name_the_operation_type_address_and_meaning() {
        let ctx = Ctx::new("AWS::SQS::Queue", "App.Queue");
        let err = call_error(
            ctx,
            "CreateResource",
            &service("ClientTokenConflictException"),
        );
        assert_eq!(err.class, FailureClass::Fatal);
        assert!(
            err.message
                .starts_with("AWS::SQS::Queue App.Queue: Cloud Control CreateResource failed"),
            "{}",
            err.message
        );
        assert!(err.message.contains("idempotency token"), "{}", err.message);
        let err = call_error(ctx, "CreateResource", &service("TypeNotFoundException"));
        assert!(
            err.message.contains("not in AWS's registry"),
            "{}",
            err.message
        );
        let err = call_error(
            ctx,
            "DeleteResource",
            &service("ConcurrentOperationException"),
        );
        assert_eq!(err.class, FailureClass::Retryable);
    }

    #[test]
    fn failed_requests_are_resubmitted_only_for_transient_codes() {
        for code in RESUBMIT_CODES {
            assert_eq!(Outcome::of(Some(code)), Outcome::Resubmit, "{code}");
        }
        assert_eq!(Outcome::of(Some("AlreadyExists")), Outcome::AlreadyExists);
        assert_eq!(Outcome::of(Some("NotFound")), Outcome::NotFound);
        assert_eq!(Outcome::of(Some("NotStabilized")), Outcome::NotStabilized);
        assert_eq!(
            Outcome::of(Some("ResourceConflict")),
            Outcome::Fail(FailureClass::DependencyViolation)
        );
        assert_eq!(
            Outcome::of(Some("InvalidRequest")),
            Outcome::Fail(FailureClass::Fatal)
        );
    }
}
