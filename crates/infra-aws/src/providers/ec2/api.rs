//! What every EC2 provider shares: the client, how an SDK error becomes a [`ProviderError`],
//! batching of ids into `Describe*` filters, and bounded retries while a new resource propagates.
//!
//! Error classes (see [`code_class`]):
//!
//! | AWS error | class |
//! |---|---|
//! | throttled (`RequestLimitExceeded`, `Throttling`, ...) after the SDK's own retries, endpoint unreachable, `InternalError`, `Unavailable`, HTTP 5xx | [`FailureClass::Retryable`] |
//! | any `*.NotFound` / `*NotFound` code (`InvalidVpcID.NotFound`, `NatGatewayNotFound`, ...) | [`FailureClass::NotFound`] (in a create: [`FailureClass::EventuallyConsistent`], see [`on_create`]) |
//! | `DependencyViolation`, `InvalidGroup.InUse`, `InvalidIPAddress.InUse` | [`FailureClass::DependencyViolation`] |
//! | everything else (credentials, access denied, invalid parameters, limits, ...) | [`FailureClass::Fatal`] |
//!
//! Messages name what was being done (`creating VpcStack.VPC (AWS::EC2::VPC)`), then the
//! operation and AWS's code and message as [`crate::error::AwsError`] words them; credential
//! values never appear in them.

use std::future::Future;
use std::time::Duration;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::{AwsError, Call, ErrorClass, classify};
use crate::provider::{FailureClass, ProviderError, ReadInput};

/// At most this many values go into one `Describe*` filter (EC2 refuses more than 200).
pub(crate) const FILTER_VALUES_MAX: usize = 200;

/// `MaxResults` of the paginated `Describe*` calls that accept up to 1000.
pub(crate) const PAGE_SIZE: i32 = 1000;

/// `MaxResults` of `DescribeRouteTables`, whose limit is 100.
pub(crate) const ROUTE_TABLE_PAGE_SIZE: i32 = 100;

/// How long a resource just created may stay invisible to other calls (EC2 is eventually
/// consistent; Terraform's provider allows two minutes).
pub(crate) const PROPAGATION_TIMEOUT: Duration = Duration::from_secs(120);

/// The EC2 client every provider of this module shares, with the endpoint it calls (for
/// "cannot reach" errors).
#[derive(Clone, Debug)]
pub(crate) struct Ec2 {
    /// The SDK client.
    pub(crate) client: Client,
    endpoint: String,
}

impl Ec2 {
    pub(crate) fn new(client: Client, endpoint: &str) -> Self {
        Ec2 {
            client,
            endpoint: endpoint.to_owned(),
        }
    }

    /// Turns an SDK error of `operation` into a provider error whose message starts with
    /// `doing` (see [`doing`]).
    pub(crate) fn error<E>(
        &self,
        operation: &str,
        doing: &str,
        err: SdkError<E, HttpResponse>,
    ) -> ProviderError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let aws = classify(err, &Call::new("ec2", operation, &self.endpoint));
        ProviderError {
            class: class_of(&aws),
            message: format!("{doing}: {aws}"),
        }
    }
}

/// `creating VpcStack.VPC (AWS::EC2::VPC)`: how messages name the action and the resource.
pub(crate) fn doing(verb: &str, address: &str, type_name: &str) -> String {
    format!("{verb} {address} ({type_name})")
}

/// `refreshing VpcStack.VPC (AWS::EC2::VPC)` / `refreshing 4 AWS::EC2::Subnet resources
/// (A, B, C, ...)`: how read errors name what was read.
pub(crate) fn refreshing(items: &[ReadInput], type_name: &str) -> String {
    match items {
        [one] => doing("refreshing", &one.address, type_name),
        _ => {
            let mut names: Vec<&str> = items.iter().take(3).map(|i| i.address.as_str()).collect();
            if items.len() > 3 {
                names.push("...");
            }
            format!(
                "refreshing {} {type_name} resources ({})",
                items.len(),
                names.join(", ")
            )
        }
    }
}

/// The class of a classified AWS error.
pub(crate) fn class_of(err: &AwsError) -> FailureClass {
    match err.class() {
        ErrorClass::Throttled | ErrorClass::Unreachable => FailureClass::Retryable,
        ErrorClass::Service => err.code().map_or(FailureClass::Fatal, code_class),
        _ => FailureClass::Fatal,
    }
}

/// Error codes that mean "try again later" although they are not throttling.
const RETRYABLE_CODES: &[&str] = &[
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "Unavailable",
    "InsufficientAddressCapacity",
];

/// Error codes that mean "something still uses it".
const IN_USE_CODES: &[&str] = &[
    "DependencyViolation",
    "InvalidGroup.InUse",
    "InvalidIPAddress.InUse",
];

/// The class of an EC2 error code.
pub(crate) fn code_class(code: &str) -> FailureClass {
    if IN_USE_CODES.contains(&code) {
        FailureClass::DependencyViolation
    } else if is_not_found(code) {
        FailureClass::NotFound
    } else if RETRYABLE_CODES.contains(&code) || code.starts_with("HTTP 5") {
        FailureClass::Retryable
    } else {
        FailureClass::Fatal
    }
}

/// Whether an EC2 error code says that something does not exist.
pub(crate) fn is_not_found(code: &str) -> bool {
    code.ends_with("NotFound")
}

/// Whether an SDK error carries a not-found code.
pub(crate) fn not_found<E: ProvideErrorMetadata>(err: &E) -> bool {
    err.code().is_some_and(is_not_found)
}

/// Whether an SDK error carries `code`.
pub(crate) fn has_code<E: ProvideErrorMetadata>(err: &E, code: &str) -> bool {
    err.code() == Some(code)
}

/// In a create, a not-found error names something the new resource refers to (a VPC id, a
/// gateway id) that EC2 does not show yet: either it was just created and has not propagated,
/// or it does not exist. Both are retried for a bounded time by the engine
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

/// Runs `call` again while it fails with a not-found error, for at most
/// [`PROPAGATION_TIMEOUT`]: for calls on a resource this provider just created (EC2 may not
/// show it to every call yet). Other errors, and the last not-found error, are returned.
pub(crate) async fn retry_while_not_found<T, F, Fut>(mut call: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let started = tokio::time::Instant::now();
    let mut delay = Duration::from_millis(100);
    loop {
        match call().await {
            Err(err)
                if err.class == FailureClass::NotFound
                    && started.elapsed() + delay < PROPAGATION_TIMEOUT =>
            {
                crate::slot::pause(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

/// A `Describe*` filter.
pub(crate) fn filter(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// The distinct, non-empty ids of `ids`, in chunks small enough for one filter each.
pub(crate) fn id_chunks<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<Vec<String>> {
    let mut unique: Vec<String> = Vec::new();
    for id in ids {
        if !id.is_empty() && !unique.iter().any(|u| u == id) {
            unique.push(id.to_owned());
        }
    }
    unique
        .chunks(FILTER_VALUES_MAX)
        .map(<[String]>::to_vec)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_classes() {
        assert_eq!(code_class("InvalidVpcID.NotFound"), FailureClass::NotFound);
        assert_eq!(code_class("NatGatewayNotFound"), FailureClass::NotFound);
        assert_eq!(
            code_class("InvalidPermission.NotFound"),
            FailureClass::NotFound
        );
        assert_eq!(
            code_class("DependencyViolation"),
            FailureClass::DependencyViolation
        );
        assert_eq!(
            code_class("InvalidGroup.InUse"),
            FailureClass::DependencyViolation
        );
        assert_eq!(code_class("InternalError"), FailureClass::Retryable);
        assert_eq!(code_class("HTTP 503"), FailureClass::Retryable);
        assert_eq!(code_class("InvalidParameterValue"), FailureClass::Fatal);
        assert_eq!(code_class("Gateway.NotAttached"), FailureClass::Fatal);
        assert_eq!(code_class("VpcLimitExceeded"), FailureClass::Fatal);
    }

    #[test]
    fn throttling_is_retryable_and_credentials_are_fatal() {
        let throttled = AwsError::Throttled {
            service: "ec2".into(),
            operation: "DescribeVpcs".into(),
            code: "RequestLimitExceeded".into(),
            message: "Request limit exceeded.".into(),
        };
        assert_eq!(class_of(&throttled), FailureClass::Retryable);
        let credentials = AwsError::Credentials {
            detail: "AWS rejected them: AuthFailure".into(),
        };
        assert_eq!(class_of(&credentials), FailureClass::Fatal);
        let unreachable = AwsError::Unreachable {
            endpoint: "http://127.0.0.1:1".into(),
            service: "ec2".into(),
            operation: "CreateVpc".into(),
            detail: "connection refused".into(),
        };
        assert_eq!(class_of(&unreachable), FailureClass::Retryable);
    }

    #[test]
    fn not_found_in_a_create_is_eventual_consistency() {
        let err = ProviderError {
            class: FailureClass::NotFound,
            message: "x".into(),
        };
        assert_eq!(on_create(err).class, FailureClass::EventuallyConsistent);
        let fatal = ProviderError::fatal("y");
        assert_eq!(on_create(fatal).class, FailureClass::Fatal);
    }

    #[test]
    fn ids_are_deduplicated_and_chunked() {
        let ids: Vec<String> = (0..450).map(|i| format!("subnet-{i}")).collect();
        let mut with_dups: Vec<&str> = ids.iter().map(String::as_str).collect();
        with_dups.push("subnet-1");
        with_dups.push("");
        let chunks = id_chunks(with_dups);
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            [200, 200, 50]
        );
    }
}
