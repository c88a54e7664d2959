//! The mapping of S3 error responses. An access-denied answer is built here rather than asked of
//! the emulator: moto does not enforce IAM permissions on S3 unless told to, so the end-to-end
//! tests cannot provoke one.

use aws_sdk_s3::operation::put_object::PutObjectError;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;

use super::*;

fn answer(code: &str, status: u16, region: Option<&'static str>) -> Failure {
    let meta = ErrorMetadata::builder()
        .code(code)
        .message("Access Denied")
        .build();
    let mut raw = HttpResponse::new(
        StatusCode::try_from(status).expect("status"),
        SdkBody::empty(),
    );
    if let Some(region) = region {
        raw.headers_mut().insert("x-amz-bucket-region", region);
    }
    let err = SdkError::service_error(PutObjectError::generic(meta), raw);
    failure(err, &Call::new("s3", "PutObject", "http://127.0.0.1:1"))
}

const TARGET: Target<'static> = Target {
    location: "s3://team/net.json",
    bucket: "team",
    what: "write the state",
    action: "s3:PutObject",
    resource: "arn:aws:s3:::team/net.json",
};

#[test]
fn access_denied_names_the_action_and_the_object() {
    let error = answer("AccessDenied", 403, None).into_error(TARGET);
    let text = error.to_string();
    assert!(
        matches!(error, RemoteStateError::AccessDenied { .. }),
        "{text}"
    );
    for expected in [
        "cannot write the state s3://team/net.json",
        "access denied",
        "s3:PutObject",
        "arn:aws:s3:::team/net.json",
        "docs/remote-state.md",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[test]
fn a_missing_bucket_is_named() {
    let error = answer("NoSuchBucket", 404, None).into_error(TARGET);
    let text = error.to_string();
    assert!(
        text.contains("bucket `team` does not exist") && text.contains("s3://team/net.json"),
        "{text}"
    );
}

#[test]
fn conditions_and_missing_objects_are_told_apart() {
    assert!(matches!(
        answer("PreconditionFailed", 412, None),
        Failure::PreconditionFailed
    ));
    assert!(matches!(answer("", 412, None), Failure::PreconditionFailed));
    assert!(matches!(
        answer("ConditionalRequestConflict", 409, None),
        Failure::Conflict
    ));
    assert!(matches!(answer("NoSuchKey", 404, None), Failure::NoSuchKey));
    assert!(matches!(answer("", 404, None), Failure::NoSuchKey));
    assert!(matches!(
        answer("NoSuchVersion", 404, None),
        Failure::NoSuchVersion
    ));
}

#[test]
fn a_bucket_in_another_region_names_that_region() {
    let failure = answer("PermanentRedirect", 301, Some("eu-west-1"));
    let text = failure.into_error(TARGET).to_string();
    assert!(text.contains("another region (eu-west-1)"), "{text}");
}

#[test]
fn other_answers_keep_their_code() {
    let text = answer("InternalError", 500, None)
        .into_error(TARGET)
        .to_string();
    assert!(
        text.contains("s3://team/net.json") && text.contains("InternalError"),
        "{text}"
    );
}
