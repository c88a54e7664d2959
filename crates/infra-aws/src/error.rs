//! Error classes for everything that talks to AWS, worded so a user knows what to do next.
//!
//! [`classify`] turns any `aws_sdk_*::error::SdkError<E>` into an [`AwsError`]:
//!
//! | what happened | class |
//! |---|---|
//! | no connection (refused, DNS, TLS, connect timeout) or the operation timed out | [`AwsError::Unreachable`], naming the endpoint |
//! | no credentials found, or AWS rejected them (expired, unknown key, bad signature) | [`AwsError::Credentials`], saying how to fix it |
//! | `AccessDenied`, `UnauthorizedOperation`, ... | [`AwsError::AccessDenied`], naming the action and resource |
//! | `Throttling`, `RequestLimitExceeded`, ... (still throttled after the SDK's retries) | [`AwsError::Throttled`] |
//! | any other error response | [`AwsError::Service`]: service, operation, code, message |
//! | an answer that is not an AWS response | [`AwsError::BadResponse`] |
//!
//! No credential value is ever part of a message: credential errors print only the error code and
//! fixed advice, and every message taken from AWS has anything that looks like an access key id
//! removed ([`redact`]).

use std::error::Error as StdError;
use std::fmt;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Advice printed with every credentials error.
pub const CREDENTIALS_HELP: &str = "configure credentials with `aws configure`, choose a profile \
with AWS_PROFILE or --profile (for an SSO profile run `aws sso login`), or set \
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

/// Error codes AWS uses when a request was throttled (the SDK's own list, plus service variants).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS uses for a failure on its side (HTTP 5xx).
const SERVER_ERROR_CODES: &[&str] = &[
    "InternalError",
    "InternalFailure",
    "InternalServerError",
    "InternalServiceError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "Unavailable",
    "ServiceException",
    "EC2UnexpectedException",
];

/// Error codes AWS uses when the caller lacks a permission.
const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "UnauthorizedException",
    "AuthorizationError",
    "NotAuthorized",
    "Forbidden",
];

/// Error codes AWS uses when the credentials themselves are missing, unknown, expired or wrong.
const CREDENTIALS_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "AuthFailure",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "InvalidToken",
    "TokenRefreshRequired",
    "RequestExpired",
];

/// Of [`CREDENTIALS_CODES`], those that mean the credentials (or the request's date) expired.
const EXPIRED_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "TokenRefreshRequired",
    "RequestExpired",
];

/// What went wrong talking to AWS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AwsError {
    /// No region anywhere in the chain.
    #[error("no AWS region: pass --region or set AWS_REGION{}", profile_hint(.profile))]
    NoRegion {
        /// The profile in use, if one was named.
        profile: Option<String>,
    },

    /// `--endpoint-url` / `AWS_ENDPOINT_URL` is not an http(s) URL.
    #[error("invalid endpoint URL `{url}`: {reason}")]
    InvalidEndpoint {
        /// The URL as given.
        url: String,
        /// Why it is refused.
        reason: String,
    },

    /// The endpoint did not answer: connection refused, DNS failure, TLS failure or timeout.
    #[error("cannot reach the AWS endpoint {endpoint} ({service} {operation}): {detail}")]
    Unreachable {
        /// The endpoint URL.
        endpoint: String,
        /// Service name, such as `sts`.
        service: String,
        /// Operation name, such as `GetCallerIdentity`.
        operation: String,
        /// The cause, as the HTTP client reported it.
        detail: String,
    },

    /// No credentials were found, or AWS rejected the ones found.
    #[error("no usable AWS credentials ({detail}); {help}", help = CREDENTIALS_HELP)]
    Credentials {
        /// What failed, without any credential value.
        detail: String,
    },

    /// The caller is not allowed to do this (boxed: it is the largest class).
    #[error(transparent)]
    AccessDenied(Box<AccessDenied>),

    /// Still throttled after the SDK's retries.
    #[error(
        "{service} {operation} was throttled by AWS ({code}: {message}); \
         lower --parallelism or try again later"
    )]
    Throttled {
        /// Service name.
        service: String,
        /// Operation name.
        operation: String,
        /// Error code.
        code: String,
        /// AWS's message, redacted.
        message: String,
    },

    /// Any other error response from AWS.
    #[error("{service} {operation} failed: {code}: {message}{}", request_id_suffix(.request_id))]
    Service {
        /// Service name.
        service: String,
        /// Operation name.
        operation: String,
        /// Error code (`Unknown` when the response had none).
        code: String,
        /// AWS's message, redacted.
        message: String,
        /// The request id, for AWS support.
        request_id: Option<String>,
    },

    /// The endpoint answered with something that is not an AWS response.
    #[error(
        "unexpected response from {endpoint} ({service} {operation}): HTTP {status}: {detail}; \
         is this an AWS endpoint?"
    )]
    BadResponse {
        /// The endpoint URL.
        endpoint: String,
        /// Service name.
        service: String,
        /// Operation name.
        operation: String,
        /// HTTP status code.
        status: u16,
        /// Why the response could not be read.
        detail: String,
    },

    /// SSM parameters that do not exist (or that the caller cannot see).
    #[error("SSM parameter{} not found: {}", if .names.len() == 1 { "" } else { "s" }, .names.join(", "))]
    ParametersNotFound {
        /// Every missing name, sorted.
        names: Vec<String>,
    },

    /// An SSM parameter of type `SecureString`, which CloudFormation parameter types reject.
    #[error(
        "SSM parameter {name} is a SecureString; CloudFormation's \
         AWS::SSM::Parameter::Value<...> parameter types do not support SecureString parameters"
    )]
    SecureStringParameter {
        /// The parameter's name.
        name: String,
    },

    /// Anything else (a request that could not be built, a task that was cancelled, ...).
    #[error("{service} {operation}: {detail}")]
    Other {
        /// Service name.
        service: String,
        /// Operation name.
        operation: String,
        /// What happened.
        detail: String,
    },
}

/// Details of [`AwsError::AccessDenied`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "access denied: {} is not allowed to perform {action}{} ({service} {operation}: {code}); \
     grant it in IAM or use another profile",
    .principal.as_deref().unwrap_or("the caller"),
    .resource.as_deref().map(|r| format!(" on {r}")).unwrap_or_default()
)]
pub struct AccessDenied {
    /// Service name.
    pub service: String,
    /// Operation name.
    pub operation: String,
    /// Error code.
    pub code: String,
    /// The IAM action, such as `ssm:GetParameters` (from the message when AWS names it, else
    /// `service:Operation`).
    pub action: String,
    /// The resource ARN, when AWS names it.
    pub resource: Option<String>,
    /// The calling principal's ARN, when AWS names it.
    pub principal: Option<String>,
    /// AWS's message, redacted.
    pub message: String,
}

fn profile_hint(profile: &Option<String>) -> String {
    match profile {
        Some(p) => format!(" (profile `{p}` sets no region)"),
        None => String::new(),
    }
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(" (request id {id})"),
        None => String::new(),
    }
}

/// The broad class of an [`AwsError`], for callers that decide what to do by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// Local configuration is incomplete or wrong (region, endpoint URL).
    Config,
    /// The endpoint could not be reached.
    Unreachable,
    /// Credentials missing, expired or rejected.
    Credentials,
    /// Not authorized.
    AccessDenied,
    /// Throttled.
    Throttled,
    /// An error response from the service (including missing SSM parameters).
    Service,
    /// Something else.
    Other,
}

impl AwsError {
    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            AwsError::NoRegion { .. } | AwsError::InvalidEndpoint { .. } => ErrorClass::Config,
            AwsError::Unreachable { .. } => ErrorClass::Unreachable,
            AwsError::Credentials { .. } => ErrorClass::Credentials,
            AwsError::AccessDenied(_) => ErrorClass::AccessDenied,
            AwsError::Throttled { .. } => ErrorClass::Throttled,
            AwsError::Service { .. }
            | AwsError::BadResponse { .. }
            | AwsError::ParametersNotFound { .. }
            | AwsError::SecureStringParameter { .. } => ErrorClass::Service,
            AwsError::Other { .. } => ErrorClass::Other,
        }
    }

    /// Whether trying again later may well succeed: throttled, or a server error (5xx, or a
    /// code AWS uses for one). An unreachable endpoint is not: it fails fast, naming it.
    pub fn is_transient(&self) -> bool {
        match self {
            AwsError::Throttled { .. } => true,
            AwsError::Service { code, .. } => {
                SERVER_ERROR_CODES.contains(&code.as_str()) || code.starts_with("HTTP 5")
            }
            AwsError::BadResponse { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The AWS error code, for errors that came with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            AwsError::AccessDenied(denied) => Some(&denied.code),
            AwsError::Throttled { code, .. } | AwsError::Service { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// Which call failed: the service, the operation and the endpoint it went to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Service name as IAM spells it (`sts`, `ec2`, `ssm`, ...).
    pub service: String,
    /// Operation name (`GetCallerIdentity`, ...).
    pub operation: String,
    /// The endpoint URL the request went to (see [`crate::config::endpoint_for`]).
    pub endpoint: String,
}

impl Call {
    /// A call description.
    pub fn new(
        service: impl Into<String>,
        operation: impl Into<String>,
        endpoint: impl Into<String>,
    ) -> Self {
        Call {
            service: service.into(),
            operation: operation.into(),
            endpoint: endpoint.into(),
        }
    }
}

/// Classifies an SDK error of any service client.
pub fn classify<E>(err: SdkError<E, HttpResponse>, call: &Call) -> AwsError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    // A credentials failure happens before anything is sent and surfaces as a dispatch
    // failure, so look for it first.
    if let Some(cred) = find_in_chain::<CredentialsError>(&err) {
        return AwsError::Credentials {
            detail: credentials_detail(cred),
        };
    }
    match &err {
        SdkError::ServiceError(service_err) => {
            let status = service_err.raw().status().as_u16();
            from_metadata(service_err.err(), Some(status), call)
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => AwsError::Unreachable {
            endpoint: call.endpoint.clone(),
            service: call.service.clone(),
            operation: call.operation.clone(),
            detail: unreachable_detail(&err),
        },
        SdkError::ResponseError(response_err) => AwsError::BadResponse {
            endpoint: call.endpoint.clone(),
            service: call.service.clone(),
            operation: call.operation.clone(),
            status: response_err.raw().status().as_u16(),
            detail: redact(&chain_text(&err)),
        },
        _ => AwsError::Other {
            service: call.service.clone(),
            operation: call.operation.clone(),
            detail: redact(&chain_text(&err)),
        },
    }
}

/// Classifies an error response from its code and message (see [`classify`]).
pub fn from_metadata<E: ProvideErrorMetadata>(
    err: &E,
    status: Option<u16>,
    call: &Call,
) -> AwsError {
    let code = err.code().unwrap_or_default().to_owned();
    let message = redact(err.message().unwrap_or_default());
    let service = call.service.clone();
    let operation = call.operation.clone();
    if CREDENTIALS_CODES.contains(&code.as_str()) {
        // The message is not printed: some services echo the canonical request, which can
        // contain a session token.
        let why = if EXPIRED_CODES.contains(&code.as_str()) {
            "; they have expired (or this machine's clock is more than a few minutes off): get \
             new temporary credentials (for an SSO profile run `aws sso login`, for a role \
             assume it again) or check the clock"
        } else {
            ""
        };
        return AwsError::Credentials {
            detail: format!(
                "AWS rejected them on {} {}: {code}{why}",
                call.service, call.operation
            ),
        };
    }
    if THROTTLING_CODES.contains(&code.as_str()) || (code.is_empty() && status == Some(429)) {
        return AwsError::Throttled {
            service,
            operation,
            code: if code.is_empty() {
                "HTTP 429".into()
            } else {
                code
            },
            message,
        };
    }
    if ACCESS_DENIED_CODES.contains(&code.as_str()) || (code.is_empty() && status == Some(403)) {
        let parsed = parse_access_denied(&message);
        return AwsError::AccessDenied(Box::new(AccessDenied {
            action: parsed
                .action
                .unwrap_or_else(|| format!("{}:{}", call.service, call.operation)),
            resource: parsed.resource,
            principal: parsed.principal,
            service,
            operation,
            code: if code.is_empty() {
                "HTTP 403".into()
            } else {
                code
            },
            message,
        }));
    }
    let request_id = err
        .meta()
        .extra("aws_request_id")
        .map(str::to_owned)
        .filter(|id| !id.is_empty());
    AwsError::Service {
        service,
        operation,
        code: if code.is_empty() {
            match status {
                Some(s) => format!("HTTP {s}"),
                None => "Unknown".into(),
            }
        } else {
            code
        },
        message: if message.is_empty() {
            "(no message)".into()
        } else {
            message
        },
        request_id,
    }
}

/// The action, resource and principal AWS names in an access-denied message, such as
/// `User: arn:aws:iam::1:user/bob is not authorized to perform: ssm:GetParameters on resource:
/// arn:aws:ssm:us-east-1:1:parameter/x because no identity-based policy allows ...`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessDeniedParts {
    /// The IAM action.
    pub action: Option<String>,
    /// The resource.
    pub resource: Option<String>,
    /// The principal.
    pub principal: Option<String>,
}

/// Reads [`AccessDeniedParts`] out of an access-denied message.
pub fn parse_access_denied(message: &str) -> AccessDeniedParts {
    fn word_after(message: &str, marker: &str) -> Option<String> {
        let start = message.find(marker)? + marker.len();
        let word: String = message[start..]
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        let word = word.trim_end_matches(['.', ',', ';', ')']);
        (!word.is_empty()).then(|| word.to_owned())
    }
    AccessDeniedParts {
        action: word_after(message, "to perform:"),
        resource: word_after(message, "on resource:"),
        principal: word_after(message, "User:"),
    }
}

/// Removes anything that looks like an AWS access key id (`AKIA...`, `ASIA...`: 4 letters then 16
/// upper-case letters or digits) from a message.
pub fn redact(message: &str) -> String {
    const PREFIXES: &[&str] = &["AKIA", "ASIA", "AIDA", "AROA", "ABIA", "ACCA"];
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    let mut i = 0;
    while i < message.len() {
        let rest = &message[i..];
        let at_boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if at_boundary
            && PREFIXES.iter().any(|p| rest.starts_with(p))
            && rest.len() >= 20
            && rest.as_bytes()[4..20]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && rest
                .as_bytes()
                .get(20)
                .is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            out.push_str("[redacted key id]");
            i += 20;
            continue;
        }
        let ch = rest.chars().next().unwrap_or_default();
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn credentials_detail(err: &CredentialsError) -> String {
    let kind = match err {
        CredentialsError::CredentialsNotLoaded(_) => "none found",
        CredentialsError::ProviderTimedOut(_) => "the credentials provider timed out",
        CredentialsError::InvalidConfiguration(_) => "invalid credentials configuration",
        CredentialsError::ProviderError(_) => "the credentials provider failed",
        CredentialsError::Unhandled(_) => "the credentials provider failed",
        _ => "the credentials provider failed",
    };
    // Provider messages say which provider failed and why (a profile that does not exist, an
    // expired SSO session); they never contain a secret.
    match err.source() {
        Some(source) => format!("{kind}: {}", redact(&chain_text(source))),
        None => kind.to_owned(),
    }
}

fn unreachable_detail<E, R>(err: &SdkError<E, R>) -> String
where
    E: StdError + 'static,
    R: fmt::Debug,
{
    let what = match err {
        SdkError::TimeoutError(_) => "the operation timed out".to_owned(),
        SdkError::DispatchFailure(d) if d.is_timeout() => "the connection timed out".to_owned(),
        SdkError::DispatchFailure(d) if d.is_io() => "connection failed".to_owned(),
        _ => "request failed".to_owned(),
    };
    match err.source() {
        Some(source) => format!("{what}: {}", redact(&chain_text(source))),
        None => what,
    }
}

/// The first error of type `T` in `err`'s source chain (including `err` itself).
fn find_in_chain<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// Every distinct message of an error chain, joined with `: `.
fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests;
