//! Amazon S3: `AWS::S3::Bucket` ([`bucket`]) and `AWS::S3::BucketPolicy` ([`bucket_policy`]),
//! on one S3 client (path-style addressing when an endpoint URL is configured), and what they
//! share: how S3's failed calls are classed ([`Classify`] for [`S3`], [`missing`]), reading an
//! optional configuration ([`optional`]), and refreshed nested values in the template's shape
//! ([`observed_like`], which the DynamoDB provider uses too).
//!
//! | type | `Ref` | `Fn::GetAtt` | refresh | find |
//! |---|---|---|---|---|
//! | `AWS::S3::Bucket` | bucket name | `Arn`, `DomainName`, `DualStackDomainName`, `RegionalDomainName`, `WebsiteURL` | ListBuckets per page, then one Get per managed configuration | HeadBucket of the name, infra tags checked (GetBucketTagging) |
//! | `AWS::S3::BucketPolicy` | bucket name | | GetBucketPolicy per bucket | GetBucketPolicy of the bucket (natural key) |
//!
//! | S3 error | class |
//! |---|---|
//! | `NoSuch*` (`NoSuchBucket`, `NoSuchTagSet`, `NoSuchCORSConfiguration`, ...), `*NotFoundError` (`OwnershipControlsNotFoundError`, ...), `NotFound` (HeadBucket) | not found |
//! | `OperationAborted` (a conflicting operation on the bucket is in progress) | retryable |
//! | `MalformedPolicy` naming a principal; `InvalidArgument` "Unable to validate the following destination configurations" (a queue, topic or function policy made a moment ago); `InvalidTargetBucketForLogging` (the log bucket, or its policy or ACL for log delivery, made a moment ago) | eventually consistent |
//! | anything else | the kit's table |

pub mod bucket;
pub mod bucket_policy;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::error::Error as StdError;
use std::fmt::Display;
use std::future::Future;

use crate::providers::kit::prelude::*;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::config::{endpoint_for, s3_client};
use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::as_written;
use crate::providers::kit::errors::Coded;

/// An S3 client and how its errors are named.
pub(crate) type S3 = Service<aws_sdk_s3::Client>;

/// Whether `err` says what was asked for does not exist (see the module doc).
pub(crate) fn missing(err: &impl Coded) -> bool {
    is_not_found(err)
        || err
            .code_and_message()
            .is_some_and(|(code, _)| code.starts_with("NoSuch") || code.ends_with("NotFoundError"))
}

impl Classify for S3 {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        let (code, message) = err.code_and_message().unwrap_or_default();
        let lower = message.to_ascii_lowercase();
        if missing(err) {
            out.class = FailureClass::NotFound;
        } else if code == "OperationAborted" {
            out.class = FailureClass::Retryable;
        } else if (code == "MalformedPolicy" && lower.contains("principal"))
            || (code == "InvalidArgument" && lower.contains("unable to validate"))
            || code == "InvalidTargetBucketForLogging"
        {
            out.class = FailureClass::EventuallyConsistent;
        }
        out
    }
}

/// A Get of something optional (`sent`, the request's `send()`): its answer, or `None` when S3
/// says there is none (`NoSuchCORSConfiguration`, `NoSuchBucketPolicy`, ...). A bucket that
/// is gone (`NoSuchBucket`) is an error of class not found.
pub(crate) async fn optional<T, E>(
    s3: &S3,
    ctx: Ctx<'_>,
    doing: impl Display,
    sent: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> Result<Option<T>, ProviderError>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let none = |err: &AwsError| missing(err) && err.code() != Some("NoSuchBucket");
    kit::answer(s3, ctx, doing, sent, none).await
}

/// `found` (everything AWS answered, in the template's spelling) shaped like `previous` (the
/// value last applied): in an object only the keys `previous` writes are kept (what the
/// template leaves out is AWS's default, not infra's to report); list items are matched to
/// the previous ones by their name (`IndexName`, `AttributeName`, `Id`, `Key`) or position,
/// in the previous order; a list of scalars holding the same set is reported in the previous
/// order; a scalar that says the same (`"5"` and `5`) is the previous one. Nulls are dropped.
pub(crate) fn observed_like(found: Value, previous: Option<&Value>) -> Value {
    match found {
        Value::Object(found) => {
            // Without a previous object, every key is kept.
            let prev = previous.and_then(Value::as_object);
            let managed = |k: &String| prev.is_none_or(|p| p.get(k).is_some_and(|p| !p.is_null()));
            (found.into_iter())
                .filter(|(k, v)| !v.is_null() && managed(k))
                .map(|(k, v)| {
                    let shaped = observed_like(v, prev.and_then(|p| p.get(&k)));
                    (k, shaped)
                })
                .collect()
        }
        Value::Array(found) => {
            // Without a previous list, every item is new.
            let prev = previous
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            // A list of scalars holding the same set is the previous list.
            let set = |items: &[Value]| -> Option<BTreeSet<String>> {
                items.iter().map(scalar_text).collect()
            };
            if found.len() == prev.len() && set(&found).is_some_and(|a| Some(a) == set(prev)) {
                return Value::Array(prev.to_vec());
            }
            let mut left: Vec<Option<Value>> = found.into_iter().map(Some).collect();
            let mut out = Vec::new();
            for (i, p) in prev.iter().enumerate() {
                let at = match identity(p) {
                    Some(id) => left
                        .iter()
                        .position(|f| f.as_ref().and_then(identity).as_ref() == Some(&id)),
                    None => (i < left.len() && left[i].is_some()).then_some(i),
                };
                if let Some(item) = at.and_then(|at| left[at].take()) {
                    out.push(observed_like(item, Some(p)));
                }
            }
            out.extend(left.into_iter().flatten().map(|f| observed_like(f, None)));
            Value::Array(out)
        }
        found => as_written(found, previous),
    }
}

/// What names a list item: its `IndexName`, `AttributeName`, `Id` or `Key`.
fn identity(item: &Value) -> Option<String> {
    ["IndexName", "AttributeName", "Id", "Key"]
        .iter()
        .find_map(|k| item.get(k).and_then(scalar_text))
}

/// Whether two template values say the same (`5` and `"5"`, key order, nulls).
pub(crate) fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    match (a, b) {
        (Some(a), Some(b)) => as_written(a.clone(), Some(b)) == *b,
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let s3 = S3::new(s3_client(config), "s3", endpoint_for(config, "s3", None));
    let region = config
        .region()
        .map_or_else(|| "us-east-1".to_owned(), |r| r.as_ref().to_owned());
    providers.insert(kit::native(bucket::BucketProvider {
        s3: s3.clone(),
        region,
    }));
    providers.insert(kit::native(bucket_policy::BucketPolicyProvider { s3 }));
}
