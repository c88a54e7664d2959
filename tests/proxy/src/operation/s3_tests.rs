use super::*;

fn path_style(method: &str, path_and_query: &str) -> Option<String> {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    operation(method, Some("127.0.0.1:4566"), path, query)
}

#[test]
fn bucket_operations_come_from_the_method_and_the_query_flag() {
    for (method, request, want) in [
        ("GET", "/", "ListBuckets"),
        ("PUT", "/bucket", "CreateBucket"),
        ("PUT", "/bucket/", "CreateBucket"),
        ("HEAD", "/bucket", "HeadBucket"),
        ("DELETE", "/bucket", "DeleteBucket"),
        ("GET", "/bucket?prefix=a&max-keys=10", "ListObjects"),
        ("GET", "/bucket?list-type=2&prefix=a", "ListObjectsV2"),
        ("POST", "/bucket?delete", "DeleteObjects"),
        ("PUT", "/bucket?policy", "PutBucketPolicy"),
        ("GET", "/bucket?policy", "GetBucketPolicy"),
        ("DELETE", "/bucket?policy", "DeleteBucketPolicy"),
        ("PUT", "/bucket?versioning", "PutBucketVersioning"),
        ("PUT", "/bucket?tagging", "PutBucketTagging"),
        ("GET", "/bucket?tagging", "GetBucketTagging"),
        (
            "PUT",
            "/bucket?lifecycle",
            "PutBucketLifecycleConfiguration",
        ),
        ("DELETE", "/bucket?lifecycle", "DeleteBucketLifecycle"),
        ("PUT", "/bucket?encryption", "PutBucketEncryption"),
        ("PUT", "/bucket?publicAccessBlock", "PutPublicAccessBlock"),
        (
            "DELETE",
            "/bucket?publicAccessBlock",
            "DeletePublicAccessBlock",
        ),
        ("PUT", "/bucket?cors", "PutBucketCors"),
        (
            "PUT",
            "/bucket?ownershipControls",
            "PutBucketOwnershipControls",
        ),
        (
            "PUT",
            "/bucket?notification",
            "PutBucketNotificationConfiguration",
        ),
        ("PUT", "/bucket?website", "PutBucketWebsite"),
        ("PUT", "/bucket?logging", "PutBucketLogging"),
        (
            "PUT",
            "/bucket?accelerate",
            "PutBucketAccelerateConfiguration",
        ),
        ("PUT", "/bucket?object-lock", "PutObjectLockConfiguration"),
        ("PUT", "/bucket?acl", "PutBucketAcl"),
        ("GET", "/bucket?location", "GetBucketLocation"),
        (
            "PUT",
            "/bucket?metrics&id=m",
            "PutBucketMetricsConfiguration",
        ),
    ] {
        assert_eq!(
            path_style(method, request).as_deref(),
            Some(want),
            "{method} {request}"
        );
    }
}

#[test]
fn object_operations_follow_a_key() {
    for (method, request, want) in [
        ("PUT", "/bucket/state/app.json", "PutObject"),
        ("GET", "/bucket/key?versionId=3", "GetObject"),
        ("HEAD", "/bucket/key", "HeadObject"),
        ("DELETE", "/bucket/key", "DeleteObject"),
        // A key named like a flag is still an object's.
        ("PUT", "/bucket/policy", "PutObject"),
        ("PUT", "/bucket/key?tagging", "PutObjectTagging"),
        ("POST", "/bucket/key?uploads", "CreateMultipartUpload"),
        ("PUT", "/bucket/key?partNumber=1&uploadId=u", "UploadPart"),
        ("POST", "/bucket/key?uploadId=u", "CompleteMultipartUpload"),
        ("DELETE", "/bucket/key?uploadId=u", "AbortMultipartUpload"),
    ] {
        assert_eq!(
            path_style(method, request).as_deref(),
            Some(want),
            "{method} {request}"
        );
    }
}

#[test]
fn the_sdks_x_id_names_the_operation() {
    for (method, request, want) in [
        ("PUT", "/bucket/key?x-id=PutObject", "PutObject"),
        ("GET", "/?x-id=ListBuckets", "ListBuckets"),
        (
            "GET",
            "/bucket?analytics&id=a&x-id=GetBucketAnalyticsConfiguration",
            "GetBucketAnalyticsConfiguration",
        ),
        ("PUT", "/bucket/key?x-id=CopyObject", "CopyObject"),
    ] {
        assert_eq!(
            path_style(method, request).as_deref(),
            Some(want),
            "{method} {request}"
        );
    }
}

#[test]
fn a_bucket_in_the_host_is_virtual_hosted_style() {
    for host in [
        "bucket.s3.us-east-1.amazonaws.com",
        "bucket.s3.amazonaws.com",
        "bucket.s3-us-west-2.amazonaws.com",
        "bucket.localhost:4566",
    ] {
        let host = Some(host);
        assert_eq!(
            operation("PUT", host, "/", "").as_deref(),
            Some("CreateBucket")
        );
        assert_eq!(
            operation("PUT", host, "/", "policy").as_deref(),
            Some("PutBucketPolicy")
        );
        assert_eq!(
            operation("PUT", host, "/key", "").as_deref(),
            Some("PutObject")
        );
        assert_eq!(
            operation("GET", host, "/", "list-type=2").as_deref(),
            Some("ListObjectsV2")
        );
    }
    // S3's own endpoint and addresses are path style.
    for host in [
        "s3.us-east-1.amazonaws.com",
        "s3.amazonaws.com",
        "127.0.0.1:5000",
        "localhost",
    ] {
        let host = Some(host);
        assert_eq!(
            operation("GET", host, "/", "").as_deref(),
            Some("ListBuckets")
        );
        assert_eq!(
            operation("PUT", host, "/b", "").as_deref(),
            Some("CreateBucket")
        );
    }
}

#[test]
fn unknown_requests_have_no_name_and_names_know_their_method() {
    assert_eq!(path_style("PATCH", "/bucket"), None);
    assert_eq!(path_style("POST", "/bucket"), None);
    assert_eq!(method_of("PutBucketPolicy"), Some("PUT"));
    assert_eq!(method_of("CreateBucket"), Some("PUT"));
    assert_eq!(method_of("DeleteObjects"), Some("POST"));
    assert_eq!(method_of("HeadBucket"), Some("HEAD"));
    assert_eq!(method_of("GetBucketAnalyticsConfiguration"), Some("GET"));
    assert_eq!(method_of("CreateQueue"), None);
}
