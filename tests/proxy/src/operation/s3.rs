//! S3's REST-XML operations, named as the S3 API names them.
//!
//! - The bucket is in the host (virtual-hosted style: `BUCKET.s3.REGION.amazonaws.com`,
//!   `BUCKET.localhost`) or the first path segment (path style, what `infra` sends to a custom
//!   endpoint); what follows it is the object key.
//! - The SDK names some operations itself with `x-id=Operation` in the query (`PutObject`,
//!   `GetObject`, `ListBuckets`, ...): that name is taken as it is.
//! - Otherwise the operation is the method, what the request addresses (the service, a bucket
//!   or an object) and the sub-resource flag of the query (`?policy`, `?versioning`,
//!   `?tagging`, `?uploadId=...`, ...), looked up in [`OPERATIONS`].

/// What a request addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// S3 itself (`GET /`).
    Service,
    /// A bucket.
    Bucket,
    /// An object of a bucket.
    Object,
}

use Target::{Bucket, Object, Service};

/// The operations: method, target, the query's sub-resource flag (empty: none of the table's)
/// and name. Rows flagged `x-id` are named only by the SDK's `x-id` (they are here for
/// [`method_of`]).
#[rustfmt::skip]
const OPERATIONS: &[(&str, Target, &str, &str)] = &[
    ("GET", Service, "", "ListBuckets"),
    ("PUT", Bucket, "", "CreateBucket"),
    ("HEAD", Bucket, "", "HeadBucket"),
    ("DELETE", Bucket, "", "DeleteBucket"),
    ("GET", Bucket, "", "ListObjects"),
    ("GET", Bucket, "list-type", "ListObjectsV2"),
    ("GET", Bucket, "versions", "ListObjectVersions"),
    ("GET", Bucket, "uploads", "ListMultipartUploads"),
    ("GET", Bucket, "location", "GetBucketLocation"),
    ("GET", Bucket, "policyStatus", "GetBucketPolicyStatus"),
    ("POST", Bucket, "delete", "DeleteObjects"),
    ("PUT", Bucket, "policy", "PutBucketPolicy"),
    ("GET", Bucket, "policy", "GetBucketPolicy"),
    ("DELETE", Bucket, "policy", "DeleteBucketPolicy"),
    ("PUT", Bucket, "versioning", "PutBucketVersioning"),
    ("GET", Bucket, "versioning", "GetBucketVersioning"),
    ("PUT", Bucket, "tagging", "PutBucketTagging"),
    ("GET", Bucket, "tagging", "GetBucketTagging"),
    ("DELETE", Bucket, "tagging", "DeleteBucketTagging"),
    ("PUT", Bucket, "lifecycle", "PutBucketLifecycleConfiguration"),
    ("GET", Bucket, "lifecycle", "GetBucketLifecycleConfiguration"),
    ("DELETE", Bucket, "lifecycle", "DeleteBucketLifecycle"),
    ("PUT", Bucket, "encryption", "PutBucketEncryption"),
    ("GET", Bucket, "encryption", "GetBucketEncryption"),
    ("DELETE", Bucket, "encryption", "DeleteBucketEncryption"),
    ("PUT", Bucket, "publicAccessBlock", "PutPublicAccessBlock"),
    ("GET", Bucket, "publicAccessBlock", "GetPublicAccessBlock"),
    ("DELETE", Bucket, "publicAccessBlock", "DeletePublicAccessBlock"),
    ("PUT", Bucket, "cors", "PutBucketCors"),
    ("GET", Bucket, "cors", "GetBucketCors"),
    ("DELETE", Bucket, "cors", "DeleteBucketCors"),
    ("PUT", Bucket, "ownershipControls", "PutBucketOwnershipControls"),
    ("GET", Bucket, "ownershipControls", "GetBucketOwnershipControls"),
    ("DELETE", Bucket, "ownershipControls", "DeleteBucketOwnershipControls"),
    ("PUT", Bucket, "notification", "PutBucketNotificationConfiguration"),
    ("GET", Bucket, "notification", "GetBucketNotificationConfiguration"),
    ("PUT", Bucket, "website", "PutBucketWebsite"),
    ("GET", Bucket, "website", "GetBucketWebsite"),
    ("DELETE", Bucket, "website", "DeleteBucketWebsite"),
    ("PUT", Bucket, "logging", "PutBucketLogging"),
    ("GET", Bucket, "logging", "GetBucketLogging"),
    ("PUT", Bucket, "accelerate", "PutBucketAccelerateConfiguration"),
    ("GET", Bucket, "accelerate", "GetBucketAccelerateConfiguration"),
    ("PUT", Bucket, "object-lock", "PutObjectLockConfiguration"),
    ("GET", Bucket, "object-lock", "GetObjectLockConfiguration"),
    ("PUT", Bucket, "acl", "PutBucketAcl"),
    ("GET", Bucket, "acl", "GetBucketAcl"),
    ("PUT", Bucket, "replication", "PutBucketReplication"),
    ("GET", Bucket, "replication", "GetBucketReplication"),
    ("DELETE", Bucket, "replication", "DeleteBucketReplication"),
    ("PUT", Bucket, "requestPayment", "PutBucketRequestPayment"),
    ("GET", Bucket, "requestPayment", "GetBucketRequestPayment"),
    ("PUT", Bucket, "analytics", "PutBucketAnalyticsConfiguration"),
    ("GET", Bucket, "analytics", "ListBucketAnalyticsConfigurations"),
    ("DELETE", Bucket, "analytics", "DeleteBucketAnalyticsConfiguration"),
    ("PUT", Bucket, "metrics", "PutBucketMetricsConfiguration"),
    ("GET", Bucket, "metrics", "ListBucketMetricsConfigurations"),
    ("DELETE", Bucket, "metrics", "DeleteBucketMetricsConfiguration"),
    ("PUT", Bucket, "inventory", "PutBucketInventoryConfiguration"),
    ("GET", Bucket, "inventory", "ListBucketInventoryConfigurations"),
    ("DELETE", Bucket, "inventory", "DeleteBucketInventoryConfiguration"),
    ("PUT", Bucket, "intelligent-tiering", "PutBucketIntelligentTieringConfiguration"),
    ("GET", Bucket, "intelligent-tiering", "ListBucketIntelligentTieringConfigurations"),
    ("DELETE", Bucket, "intelligent-tiering", "DeleteBucketIntelligentTieringConfiguration"),
    ("PUT", Object, "", "PutObject"),
    ("GET", Object, "", "GetObject"),
    ("HEAD", Object, "", "HeadObject"),
    ("DELETE", Object, "", "DeleteObject"),
    ("PUT", Object, "tagging", "PutObjectTagging"),
    ("GET", Object, "tagging", "GetObjectTagging"),
    ("DELETE", Object, "tagging", "DeleteObjectTagging"),
    ("PUT", Object, "acl", "PutObjectAcl"),
    ("GET", Object, "acl", "GetObjectAcl"),
    ("PUT", Object, "retention", "PutObjectRetention"),
    ("GET", Object, "retention", "GetObjectRetention"),
    ("PUT", Object, "legal-hold", "PutObjectLegalHold"),
    ("GET", Object, "legal-hold", "GetObjectLegalHold"),
    ("GET", Object, "attributes", "GetObjectAttributes"),
    ("POST", Object, "restore", "RestoreObject"),
    ("POST", Object, "uploads", "CreateMultipartUpload"),
    ("PUT", Object, "uploadId", "UploadPart"),
    ("POST", Object, "uploadId", "CompleteMultipartUpload"),
    ("DELETE", Object, "uploadId", "AbortMultipartUpload"),
    ("GET", Object, "uploadId", "ListParts"),
    ("PUT", Object, "x-id", "CopyObject"),
    ("PUT", Object, "x-id", "UploadPartCopy"),
    ("GET", Bucket, "x-id", "GetBucketAnalyticsConfiguration"),
    ("GET", Bucket, "x-id", "GetBucketMetricsConfiguration"),
    ("GET", Bucket, "x-id", "GetBucketInventoryConfiguration"),
    ("GET", Bucket, "x-id", "GetBucketIntelligentTieringConfiguration"),
];

/// The S3 operation of a request: the SDK's `x-id`, else the [`OPERATIONS`] row of its method,
/// target and flag; `None` when no row matches.
pub(super) fn operation(
    method: &str,
    host: Option<&str>,
    path: &str,
    query: &str,
) -> Option<String> {
    let keys: Vec<(&str, &str)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    if let Some((_, name)) = keys.iter().find(|(key, _)| *key == "x-id") {
        return Some(super::percent_decode(name)).filter(|name| !name.is_empty());
    }
    let target = target(host, path);
    let rows = || {
        OPERATIONS
            .iter()
            .filter(move |(m, t, flag, _)| *m == method && *t == target && *flag != "x-id")
    };
    let flagged =
        rows().find(|(_, _, flag, _)| !flag.is_empty() && keys.iter().any(|(key, _)| key == flag));
    flagged
        .or_else(|| rows().find(|(_, _, flag, _)| flag.is_empty()))
        .map(|(_, _, _, name)| (*name).to_owned())
}

/// The HTTP method of a named S3 operation (`PUT` for `PutBucketPolicy`), so that a rule
/// written `S3:PUT` still matches it.
pub fn method_of(operation: &str) -> Option<&'static str> {
    OPERATIONS
        .iter()
        .find(|(_, _, _, name)| *name == operation)
        .map(|(method, _, _, _)| *method)
}

/// What the request addresses, from the host (virtual-hosted style) or the path.
fn target(host: Option<&str>, path: &str) -> Target {
    let path = path.trim_start_matches('/');
    if host.is_some_and(virtual_hosted) {
        return if path.is_empty() { Bucket } else { Object };
    }
    match path.split_once('/') {
        _ if path.is_empty() => Service,
        Some((_, key)) if !key.is_empty() => Object,
        _ => Bucket,
    }
}

/// Whether a host names a bucket: `BUCKET.s3.REGION.amazonaws.com`, `BUCKET.s3-REGION...`,
/// `BUCKET.localhost[:PORT]`; not S3's own endpoint (`s3.REGION.amazonaws.com`) nor an address.
fn virtual_hosted(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name.contains(".s3.") || name.contains(".s3-") || name.ends_with(".localhost")
}

#[cfg(test)]
#[path = "s3_tests.rs"]
mod tests;
