//! Errors of the S3 state backend, and how an S3 error response becomes one.
//!
//! Every message names the state (`s3://BUCKET/KEY`) and what was being done to it. Responses
//! the backend acts on (a failed condition, a missing object) are told apart first ([`Failure`]);
//! everything else goes through [`crate::classify`], so credentials are never printed and an
//! access-denied error names the IAM action and the resource that lack a grant.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use infra_state::StoreError;

use crate::error::{AwsError, Call, classify};

/// What went wrong with a state kept in S3.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteStateError {
    /// The state URL is not `s3://BUCKET/KEY`.
    #[error(
        "invalid state URL `{url}`: {reason} (expected s3://BUCKET/KEY, e.g. s3://my-team-state/network.json)"
    )]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The bucket does not exist.
    #[error(
        "cannot {what} {location}: bucket `{bucket}` does not exist; create it first \
         (see docs/remote-state.md)"
    )]
    NoSuchBucket {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// The bucket.
        bucket: String,
        /// What was being done.
        what: &'static str,
    },

    /// The caller may not do this to the bucket or object.
    #[error(
        "cannot {what} {location}: access denied: the caller needs {action} on {resource} \
         ({code}); grant it in IAM (docs/remote-state.md lists the permissions) or use another profile"
    )]
    AccessDenied {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// What was being done.
        what: &'static str,
        /// The IAM action, such as `s3:PutObject`.
        action: String,
        /// The ARN of the bucket or object.
        resource: String,
        /// The error code S3 answered with.
        code: String,
    },

    /// The bucket is in another region than the one configured.
    #[error(
        "cannot {what} {location}: bucket `{bucket}` is in another region{}; pass --region or set \
         AWS_REGION to the bucket's region",
        region.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
    )]
    WrongRegion {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// The bucket.
        bucket: String,
        /// The bucket's region, when S3 said.
        region: Option<String>,
        /// What was being done.
        what: &'static str,
    },

    /// Any other failure talking to S3 (unreachable, credentials, throttled, an error response).
    #[error("cannot {what} {location}: {error}")]
    Aws {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// What was being done.
        what: &'static str,
        /// The classified error (boxed: it is large).
        error: Box<AwsError>,
    },

    /// Earlier versions were asked for, but the bucket does not keep them.
    #[error(
        "bucket `{bucket}` keeps no earlier versions of {location}: versioning is not enabled; \
         enable it with `aws s3api put-bucket-versioning --bucket {bucket} \
         --versioning-configuration Status=Enabled`"
    )]
    VersioningOff {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// The bucket.
        bucket: String,
    },

    /// No such version of the state object.
    #[error("{location} has no version `{version}`; `infra state history` lists its versions")]
    NoSuchVersion {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// The version id asked for.
        version: String,
    },

    /// There is no state object.
    #[error("no state at {location}: nothing has been written there yet")]
    NotFound {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
    },

    /// A write succeeded but S3 returned no ETag, so the next write could not be made
    /// conditional.
    #[error("cannot {what} {location}: S3 answered without an ETag, which conditional writes need")]
    NoETag {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// What was being done.
        what: &'static str,
    },

    /// The backend's I/O thread could not be started, or stopped.
    #[error("cannot {what} {location}: the S3 I/O thread {detail}")]
    Io {
        /// The object, `s3://BUCKET/KEY`.
        location: String,
        /// What was being done.
        what: &'static str,
        /// What happened to it.
        detail: String,
    },
}

impl From<RemoteStateError> for StoreError {
    fn from(error: RemoteStateError) -> StoreError {
        StoreError::Backend(Box::new(error))
    }
}

/// How an S3 call failed, as far as the backend cares.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `NoSuchBucket`.
    NoSuchBucket,
    /// `NoSuchKey` (or a bare 404): the object is not there.
    NoSuchKey,
    /// `NoSuchVersion`, or a version id S3 does not accept.
    NoSuchVersion,
    /// `PreconditionFailed` (412): an `If-Match` / `If-None-Match` condition did not hold.
    PreconditionFailed,
    /// `ConditionalRequestConflict` (409): a concurrent conditional write won.
    Conflict,
    /// `PermanentRedirect` (301): the bucket is in another region.
    Redirect { region: Option<String> },
    /// Anything else.
    Aws(AwsError),
}

/// Tells apart the S3 answers the backend acts on; the rest is classified.
pub(crate) fn failure<E>(err: SdkError<E, HttpResponse>, call: &Call) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let SdkError::ServiceError(service) = &err {
        let status = service.raw().status().as_u16();
        let code = service.err().code().unwrap_or_default();
        match (code, status) {
            ("NoSuchBucket", _) => return Failure::NoSuchBucket,
            ("NoSuchKey", _) => return Failure::NoSuchKey,
            ("NoSuchVersion", _) => return Failure::NoSuchVersion,
            ("PreconditionFailed", _) | (_, 412) => return Failure::PreconditionFailed,
            ("ConditionalRequestConflict", _) => return Failure::Conflict,
            ("PermanentRedirect", _) | (_, 301) => {
                let region = service
                    .raw()
                    .headers()
                    .get("x-amz-bucket-region")
                    .map(str::to_owned);
                return Failure::Redirect { region };
            }
            ("", 404) => return Failure::NoSuchKey,
            _ => {}
        }
    }
    Failure::Aws(classify(err, call))
}

/// Where a failed call was aimed, to word its error.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// The state object, `s3://BUCKET/KEY`.
    pub location: &'a str,
    /// The bucket.
    pub bucket: &'a str,
    /// What was being done, as in "cannot {what} {location}".
    pub what: &'static str,
    /// The IAM action the call needs.
    pub action: &'static str,
    /// The ARN of the object or bucket it acts on.
    pub resource: &'a str,
}

impl Failure {
    /// The error for a failure the caller has no special handling for.
    pub(crate) fn into_error(self, target: Target<'_>) -> RemoteStateError {
        let location = target.location.to_owned();
        let what = target.what;
        match self {
            Failure::NoSuchBucket => RemoteStateError::NoSuchBucket {
                location,
                bucket: target.bucket.to_owned(),
                what,
            },
            Failure::Redirect { region } => RemoteStateError::WrongRegion {
                location,
                bucket: target.bucket.to_owned(),
                region,
                what,
            },
            Failure::Aws(AwsError::AccessDenied(denied)) => RemoteStateError::AccessDenied {
                location,
                what,
                action: target.action.to_owned(),
                resource: target.resource.to_owned(),
                code: denied.code,
            },
            Failure::Aws(error) => RemoteStateError::Aws {
                location,
                what,
                error: Box::new(error),
            },
            Failure::NoSuchKey => RemoteStateError::NotFound { location },
            Failure::NoSuchVersion => RemoteStateError::NoSuchVersion {
                location,
                version: String::new(),
            },
            Failure::PreconditionFailed | Failure::Conflict => RemoteStateError::Aws {
                location,
                what,
                error: Box::new(AwsError::Other {
                    service: "s3".into(),
                    operation: target.action.trim_start_matches("s3:").to_owned(),
                    detail:
                        "a condition of the request did not hold (another writer got there first)"
                            .into(),
                }),
            },
        }
    }
}

#[cfg(test)]
mod tests;
