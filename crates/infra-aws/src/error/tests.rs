use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ssm::operation::get_parameters::GetParametersError;
use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};
use aws_smithy_runtime_api::http::{Response as HttpResponse, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;

use super::*;

fn call() -> Call {
    Call::new(
        "ssm",
        "GetParameters",
        "https://ssm.us-east-1.amazonaws.com",
    )
}

fn response(status: u16) -> HttpResponse {
    HttpResponse::new(
        StatusCode::try_from(status).expect("valid status"),
        SdkBody::empty(),
    )
}

fn service_error(
    status: u16,
    code: &str,
    message: &str,
) -> SdkError<GetParametersError, HttpResponse> {
    let meta = ErrorMetadata::builder()
        .code(code)
        .message(message)
        .custom("aws_request_id", "req-123")
        .build();
    SdkError::service_error(GetParametersError::generic(meta), response(status))
}

#[test]
fn connection_refused_is_unreachable_and_names_the_endpoint() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
    let err: SdkError<GetParametersError, HttpResponse> =
        SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
    let e = classify(err, &call());
    assert_eq!(e.class(), ErrorClass::Unreachable);
    let text = e.to_string();
    assert!(
        text.contains("https://ssm.us-east-1.amazonaws.com"),
        "{text}"
    );
    assert!(text.contains("Connection refused"), "{text}");
}

#[test]
fn connect_timeout_and_operation_timeout_are_unreachable() {
    let err: SdkError<GetParametersError, HttpResponse> =
        SdkError::dispatch_failure(ConnectorError::timeout("connect timed out after 3s".into()));
    let e = classify(err, &call());
    assert_eq!(e.class(), ErrorClass::Unreachable);
    assert!(e.to_string().contains("connection timed out"), "{e}");

    let err: SdkError<GetParametersError, HttpResponse> = SdkError::timeout_error(format!(
        "operation timeout ({:?}) exceeded",
        Duration::from_secs(14)
    ));
    let e = classify(err, &call());
    assert_eq!(e.class(), ErrorClass::Unreachable);
    let text = e.to_string();
    assert!(text.contains("operation timed out"), "{text}");
    assert!(text.contains("ssm.us-east-1.amazonaws.com"), "{text}");
}

#[test]
fn missing_credentials_say_how_to_fix_them() {
    let cred = CredentialsError::not_loaded("no providers in chain provided credentials");
    let err: SdkError<GetParametersError, HttpResponse> =
        SdkError::dispatch_failure(ConnectorError::other(Box::new(cred), None));
    let e = classify(err, &call());
    assert_eq!(e.class(), ErrorClass::Credentials);
    let text = e.to_string();
    for needle in [
        "aws configure",
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "none found",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
}

#[test]
fn rejected_credentials_never_echo_the_message() {
    // Some services echo the canonical request (which may hold a session token) in the message.
    let e = classify(
        service_error(
            403,
            "SignatureDoesNotMatch",
            "The Canonical String for this request should have been x-amz-security-token:SECRETTOKEN",
        ),
        &call(),
    );
    assert_eq!(e.class(), ErrorClass::Credentials);
    let text = e.to_string();
    assert!(!text.contains("SECRETTOKEN"), "{text}");
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");

    for code in [
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "AuthFailure",
    ] {
        let e = classify(service_error(400, code, "whatever"), &call());
        assert_eq!(e.class(), ErrorClass::Credentials, "{code}");
    }
}

#[test]
fn access_denied_names_action_and_resource() {
    let message = "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: \
                   ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/x \
                   because no identity-based policy allows the ssm:GetParameters action";
    let e = classify(
        service_error(400, "AccessDeniedException", message),
        &call(),
    );
    match &e {
        AwsError::AccessDenied(denied) => {
            let AccessDenied {
                action,
                resource,
                principal,
                code,
                ..
            } = &**denied;
            assert_eq!(action, "ssm:GetParameters");
            assert_eq!(
                resource.as_deref(),
                Some("arn:aws:ssm:us-east-1:123456789012:parameter/app/x")
            );
            assert_eq!(
                principal.as_deref(),
                Some("arn:aws:iam::123456789012:user/bob")
            );
            assert_eq!(code, "AccessDeniedException");
        }
        other => panic!("not access denied: {other:?}"),
    }
    let text = e.to_string();
    assert!(text.contains("ssm:GetParameters"), "{text}");
    assert!(text.contains("parameter/app/x"), "{text}");
}

#[test]
fn access_denied_without_details_falls_back_to_the_operation() {
    // EC2 says UnauthorizedOperation and often names no resource.
    let e = classify(
        service_error(
            403,
            "UnauthorizedOperation",
            "You are not authorized to perform this operation.",
        ),
        &Call::new(
            "ec2",
            "DescribeAvailabilityZones",
            "https://ec2.us-east-1.amazonaws.com",
        ),
    );
    match &e {
        AwsError::AccessDenied(denied) => {
            assert_eq!(denied.action, "ec2:DescribeAvailabilityZones");
            assert_eq!(denied.resource, None);
        }
        other => panic!("not access denied: {other:?}"),
    }
}

#[test]
fn throttling_codes_are_throttled() {
    for code in [
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
    ] {
        let e = classify(service_error(400, code, "Rate exceeded"), &call());
        assert_eq!(e.class(), ErrorClass::Throttled, "{code}");
        assert_eq!(e.code(), Some(code));
        assert!(e.to_string().contains("--parallelism"), "{e}");
    }
}

#[test]
fn other_errors_carry_service_operation_code_message_and_request_id() {
    let e = classify(
        service_error(
            400,
            "ValidationException",
            "Member must have length less than or equal to 10",
        ),
        &call(),
    );
    assert_eq!(e.class(), ErrorClass::Service);
    assert_eq!(
        e.to_string(),
        "ssm GetParameters failed: ValidationException: Member must have length less than or \
         equal to 10 (request id req-123)"
    );
}

#[test]
fn an_unparseable_answer_is_a_bad_response() {
    let err: SdkError<GetParametersError, HttpResponse> =
        SdkError::response_error("failed to parse the body", response(502));
    let e = classify(err, &call());
    assert!(
        matches!(e, AwsError::BadResponse { status: 502, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("ssm.us-east-1.amazonaws.com"), "{e}");
}

#[test]
fn access_key_ids_are_redacted() {
    assert_eq!(
        redact("key AKIAIOSFODNN7EXAMPLE is bad"),
        "key [redacted key id] is bad"
    );
    assert_eq!(redact("(ASIAABCDEFGHIJKLMNOP)"), "([redacted key id])");
    // Not a key id: too short, or part of a longer word.
    assert_eq!(redact("AKIASHORT"), "AKIASHORT");
    assert_eq!(redact("xAKIAIOSFODNN7EXAMPLE"), "xAKIAIOSFODNN7EXAMPLE");
    assert_eq!(redact("ünïcödé AKIA"), "ünïcödé AKIA");
}

#[test]
fn parse_access_denied_tolerates_other_shapes() {
    let p = parse_access_denied(
        "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: iam:CreateRole on \
         resource: arn:aws:iam::1:role/x with an explicit deny in a service control policy",
    );
    assert_eq!(p.action.as_deref(), Some("iam:CreateRole"));
    assert_eq!(p.resource.as_deref(), Some("arn:aws:iam::1:role/x"));
    assert_eq!(
        parse_access_denied("Access Denied"),
        AccessDeniedParts::default()
    );
}

#[test]
fn no_region_says_how_to_fix_it() {
    assert_eq!(
        AwsError::NoRegion { profile: None }.to_string(),
        "no AWS region: pass --region or set AWS_REGION"
    );
    assert!(
        AwsError::NoRegion {
            profile: Some("dev".into())
        }
        .to_string()
        .contains("profile `dev`")
    );
}

#[test]
fn throttling_and_server_errors_are_transient_and_nothing_else_is() {
    let transient =
        |status, code: &str| classify(service_error(status, code, "m"), &call()).is_transient();
    assert!(transient(400, "ThrottlingException"));
    assert!(transient(400, "RequestLimitExceeded"));
    assert!(transient(500, "InternalError"));
    assert!(transient(503, "ServiceUnavailable"));
    assert!(transient(503, "Unavailable"));
    assert!(transient(500, "InternalFailure"));
    assert!(!transient(400, "ValidationException"));
    assert!(!transient(403, "AccessDenied"));
    assert!(!transient(403, "ExpiredToken"));
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
    let refused: SdkError<GetParametersError, HttpResponse> =
        SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
    assert!(
        !classify(refused, &call()).is_transient(),
        "an unreachable endpoint fails fast"
    );
}
