//! Errors: the [`Ctx`] naming the resource a provider call is about (and the
//! [`ProviderError`]s it builds), the [`Api`] that classifies a failed SDK call, and the
//! [`FailureClass`] of an AWS error code.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::{AwsError, Call, classify};
use crate::provider::{FailureClass, ProviderError};

/// Codes of errors worth another try: the service failed or a concurrent change was in the
/// way. (Throttling arrives as [`AwsError::Throttled`].)
const TRANSIENT_CODES: &[&str] = &[
    "ServiceFailure",
    "ServiceFailureException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "ConcurrentModification",
    "ConcurrentModificationException",
    "OperationAbortedException",
];

/// Codes that say the resource asked for does not exist.
const NOT_FOUND_CODES: &[&str] = &["NoSuchEntity", "ResourceNotFoundException"];

/// One AWS service as the providers call it: its name in messages and the endpoint label used
/// when it cannot be reached.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    service: &'static str,
    endpoint: String,
}

impl Api {
    /// `service` as IAM spells it (`iam`, `logs`); `endpoint` names where requests go.
    pub(crate) fn new(service: &'static str, endpoint: impl Into<String>) -> Self {
        Api {
            service,
            endpoint: endpoint.into(),
        }
    }

    /// Classifies a failed call of `operation`.
    pub(crate) fn err<E>(&self, operation: &str, err: SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        classify(
            err,
            &Call::new(self.service, operation, self.endpoint.clone()),
        )
    }
}

/// The endpoint label of a client whose configured URL the provider cannot see (clients do not
/// expose it): the region, so an "unreachable" message still says where.
pub(crate) fn endpoint_label(service: &str, region: Option<&str>) -> String {
    match region {
        Some(region) => format!("for {service} in {region}"),
        None => format!("for {service}"),
    }
}

/// Whether `err` carries the AWS error code `code`.
pub(crate) fn has_code(err: &AwsError, code: &str) -> bool {
    err.code() == Some(code)
}

/// Whether `err` says the thing asked for does not exist.
pub(crate) fn is_not_found(err: &AwsError) -> bool {
    err.code().is_some_and(|c| NOT_FOUND_CODES.contains(&c))
}

/// The class of an AWS error (see the module comment of `providers::iam`).
pub(crate) fn class_of(err: &AwsError) -> FailureClass {
    match err {
        AwsError::Throttled { .. } | AwsError::Unreachable { .. } => FailureClass::Retryable,
        AwsError::BadResponse { status, .. } if *status >= 500 => FailureClass::Retryable,
        AwsError::Service { code, message, .. } => {
            let code = code.as_str();
            if TRANSIENT_CODES.contains(&code)
                || code
                    .strip_prefix("HTTP 5")
                    .is_some_and(|rest| rest.len() == 2)
            {
                FailureClass::Retryable
            } else if NOT_FOUND_CODES.contains(&code) {
                FailureClass::NotFound
            } else if code == "DeleteConflict" {
                FailureClass::DependencyViolation
            } else if code == "MalformedPolicyDocument" && message.contains("Invalid principal") {
                // IAM validates principals when a trust policy is set; a principal created a
                // moment ago may not be visible yet (Terraform retries exactly this).
                FailureClass::EventuallyConsistent
            } else {
                FailureClass::Fatal
            }
        }
        _ => FailureClass::Fatal,
    }
}

/// Which resource a provider call is about, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// `AWS::IAM::Role`.
    pub(crate) type_name: &'static str,
    /// `ServiceStack.TaskRole`.
    pub(crate) address: &'a str,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(type_name: &'static str, address: &'a str) -> Self {
        Ctx { type_name, address }
    }

    /// A fatal error about this resource.
    pub(crate) fn fatal(&self, message: impl std::fmt::Display) -> ProviderError {
        ProviderError::fatal(format!("{} {}: {message}", self.type_name, self.address))
    }

    /// An error of `class` about this resource.
    pub(crate) fn error(
        &self,
        class: FailureClass,
        message: impl std::fmt::Display,
    ) -> ProviderError {
        ProviderError {
            class,
            message: format!("{} {}: {message}", self.type_name, self.address),
        }
    }

    /// A failed AWS call while `doing` something, classed by [`class_of`].
    pub(crate) fn fail(&self, doing: impl std::fmt::Display, err: AwsError) -> ProviderError {
        self.error(class_of(&err), format!("{doing}: {err}"))
    }

    /// A failed AWS call that names another entity (a role, a policy, a principal) which may
    /// have been created a moment ago: "does not exist" is then IAM's eventual consistency,
    /// for the engine to retry for a bounded time, not a missing resource of our own.
    pub(crate) fn fail_referencing(
        &self,
        doing: impl std::fmt::Display,
        err: AwsError,
    ) -> ProviderError {
        let class = match class_of(&err) {
            FailureClass::NotFound => FailureClass::EventuallyConsistent,
            other => other,
        };
        self.error(class, format!("{doing}: {err}"))
    }
}
