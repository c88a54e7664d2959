//! What a failed AWS call means for the engine, the same way for every service: the
//! [`FailureClass`] of an error ([`class_of`], from one table of codes and one of messages),
//! whether it says "not found" ([`is_not_found`]), and the [`ProviderError`] that reports it
//! ([`fail`]; [`super::Ctx::fail`] names the resource too).
//!
//! | AWS error | class |
//! |---|---|
//! | throttled after the SDK's own retries, endpoint unreachable, HTTP 5xx, a code of [`RETRYABLE_CODES`] (the service failed, or a concurrent change was in the way) | [`FailureClass::Retryable`] |
//! | a code of [`NOT_FOUND_CODES`], or ending in `NotFound` / `NotFoundException` (EC2's `InvalidVpcID.NotFound`, ELBv2's `LoadBalancerNotFound`, ECS's `ClusterNotFoundException`) | [`FailureClass::NotFound`] (success for a delete) |
//! | a code of [`IN_USE_CODES`]: something still uses the resource or is changing it | [`FailureClass::DependencyViolation`] (the engine retries a delete while it drains) |
//! | a code and message of [`message_class`]: a role, principal, instance profile or capacity provider created a moment ago and not visible yet (IAM propagation; Terraform's AWS provider retries exactly these), and a few codes whose message tells the class | mostly [`FailureClass::EventuallyConsistent`] |
//! | anything else: credentials, access denied, invalid parameters, limits | [`FailureClass::Fatal`] |
//!
//! Services never share a code with another meaning, so one table serves them all.

use std::borrow::Borrow;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::AwsError;
use crate::provider::{FailureClass, ProviderError};

/// Codes of errors worth another try besides throttling (which arrives as
/// [`AwsError::Throttled`]): the service failed, or a concurrent change was in the way.
pub(crate) const RETRYABLE_CODES: &[&str] = &[
    // Every service.
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    // IAM.
    "ServiceFailure",
    "ServiceFailureException",
    "ConcurrentModification",
    "ConcurrentModificationException",
    // CloudWatch Logs: a concurrent change.
    "OperationAbortedException",
    // EC2.
    "Unavailable",
    "EC2UnexpectedException",
    "InsufficientAddressCapacity",
    // ECS.
    "ServerException",
    // Lambda: the service failed, the function is not ready, an update is in progress.
    "ServiceException",
    "ResourceNotReadyException",
    "ResourceConflictException",
    // Auto Scaling: another update of the group is pending.
    "ResourceContention",
];

/// Codes that say the resource asked for does not exist, besides those ending in `NotFound`
/// or `NotFoundException`.
pub(crate) const NOT_FOUND_CODES: &[&str] = &[
    // IAM.
    "NoSuchEntity",
    // ECS: a service being deleted.
    "ServiceNotActiveException",
];

/// Codes that say something still uses the resource, or is changing it.
pub(crate) const IN_USE_CODES: &[&str] = &[
    // EC2.
    "DependencyViolation",
    "InvalidGroup.InUse",
    "InvalidIPAddress.InUse",
    // IAM.
    "DeleteConflict",
    // Auto Scaling and ELBv2.
    "ResourceInUse",
    "ScalingActivityInProgress",
    // ECS.
    "ResourceInUseException",
    "ClusterContainsServicesException",
    "ClusterContainsContainerInstancesException",
    "ClusterContainsTasksException",
    "ClusterContainsCapacityProviderException",
    "UpdateInProgressException",
];

/// Parts of messages (lower case) that say a role or instance profile created a moment ago is
/// not usable yet, whatever the code: Lambda's "The role defined for the function cannot be
/// assumed by Lambda" and "The provided execution role does not have permissions", EC2's and
/// Auto Scaling's "Invalid IAM Instance Profile".
const PROPAGATION_MESSAGES: &[&str] = &[
    "cannot be assumed by lambda",
    "the provided execution role does not have permissions",
    "invalid iam instance profile",
];

/// Parts of ECS `InvalidParameterException` / `ClientException` messages (lower case) that
/// say a role, the service-linked role, a load balancer's listener or a capacity provider is
/// not usable yet.
const ECS_NOT_YET_USABLE: &[&str] = &[
    "unable to assume",
    "verify that the ecs service role being passed has the proper permissions",
    "does not have an associated load balancer",
];

/// The class of an AWS error (see the module comment).
pub(crate) fn class_of(err: &AwsError) -> FailureClass {
    match err {
        AwsError::Throttled { .. } | AwsError::Unreachable { .. } => FailureClass::Retryable,
        AwsError::BadResponse { status, .. } if *status >= 500 => FailureClass::Retryable,
        AwsError::Service { code, message, .. } => code_class(code, message),
        _ => FailureClass::Fatal,
    }
}

/// The class of an error code and its message.
pub(crate) fn code_class(code: &str, message: &str) -> FailureClass {
    if RETRYABLE_CODES.contains(&code) || code.starts_with("HTTP 5") {
        FailureClass::Retryable
    } else if IN_USE_CODES.contains(&code) {
        FailureClass::DependencyViolation
    } else if NOT_FOUND_CODES.contains(&code)
        || code.ends_with("NotFound")
        || code.ends_with("NotFoundException")
    {
        FailureClass::NotFound
    } else {
        message_class(code, message).unwrap_or(FailureClass::Fatal)
    }
}

/// The class the message gives an error whose code alone does not tell.
fn message_class(code: &str, message: &str) -> Option<FailureClass> {
    let lower = message.to_ascii_lowercase();
    let says = |parts: &[&str]| parts.iter().any(|part| lower.contains(part));
    match code {
        // IAM validates principals when a trust policy is set; a principal created a moment
        // ago may not be visible yet (Terraform retries exactly this).
        "MalformedPolicyDocument" if says(&["invalid principal"]) => {
            Some(FailureClass::EventuallyConsistent)
        }
        // Auto Scaling: "AutoScalingGroup name not found - ...", "Group x not found", as
        // Terraform's provider reads them.
        "ValidationError" if group_not_found(message) => Some(FailureClass::NotFound),
        "InvalidParameterException" | "ClientException" => {
            if says(ECS_NOT_YET_USABLE)
                || (says(&["capacity provider"]) && says(&["not associated"]))
            {
                Some(FailureClass::EventuallyConsistent)
            } else if says(&["cluster was not active", "still draining"]) {
                Some(FailureClass::Retryable)
            } else if says(&["unable to describe task definition"]) {
                Some(FailureClass::NotFound)
            } else if says(&["capacity providers are attached", "is in use"]) {
                Some(FailureClass::DependencyViolation)
            } else {
                None
            }
        }
        _ if says(PROPAGATION_MESSAGES) => Some(FailureClass::EventuallyConsistent),
        _ => None,
    }
}

/// Whether an Auto Scaling `ValidationError` says the group does not exist.
fn group_not_found(message: &str) -> bool {
    message.contains("AutoScalingGroup name not found")
        || (message.starts_with("Group ") && message.contains(" not found"))
}

/// An error that carries an AWS error code: an [`AwsError`], or an SDK error before it is
/// classified.
pub(crate) trait Coded {
    /// The AWS error code and message, when there is a code.
    fn code_and_message(&self) -> Option<(&str, &str)>;
}

impl Coded for AwsError {
    fn code_and_message(&self) -> Option<(&str, &str)> {
        match self {
            AwsError::Throttled { code, message, .. } | AwsError::Service { code, message, .. } => {
                Some((code, message))
            }
            other => other.code().map(|code| (code, "")),
        }
    }
}

impl<E: ProvideErrorMetadata, R> Coded for SdkError<E, R> {
    fn code_and_message(&self) -> Option<(&str, &str)> {
        let code = ProvideErrorMetadata::code(self)?;
        Some((
            code,
            ProvideErrorMetadata::message(self).unwrap_or_default(),
        ))
    }
}

/// Whether `err` says that what was asked for does not exist.
pub(crate) fn is_not_found(err: &impl Coded) -> bool {
    err.code_and_message()
        .is_some_and(|(code, message)| code_class(code, message) == FailureClass::NotFound)
}

/// Whether `err` carries the AWS error code `code`.
pub(crate) fn has_code(err: &impl Coded, code: &str) -> bool {
    err.code_and_message().is_some_and(|(c, _)| c == code)
}

/// A failed AWS call while `doing` something (`doing` names the resource), classed by
/// [`class_of`].
pub(crate) fn fail(doing: impl std::fmt::Display, err: impl Borrow<AwsError>) -> ProviderError {
    let err = err.borrow();
    ProviderError {
        class: class_of(err),
        message: format!("{doing}: {err}"),
    }
}

/// In a create, "not found" names something the new resource refers to (a VPC id, a launch
/// template, a subnet) that the service does not show yet: either it was just created and has
/// not propagated, or it does not exist. Both are retried for a bounded time by the engine
/// ([`FailureClass::EventuallyConsistent`]); "not found" would say the resource itself is gone.
pub(crate) fn on_create(err: ProviderError) -> ProviderError {
    if err.class == FailureClass::NotFound {
        ProviderError {
            class: FailureClass::EventuallyConsistent,
            ..err
        }
    } else {
        err
    }
}
