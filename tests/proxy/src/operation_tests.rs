use super::*;

const EC2_AUTH: &str = "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/ec2/aws4_request, \
                        SignedHeaders=content-type;host;x-amz-date, Signature=abc";

fn auth(service: &str) -> String {
    EC2_AUTH.replace("/ec2/", &format!("/{service}/"))
}

fn parts<'a>(
    method: &'a str,
    path: &'a str,
    authorization: Option<&'a str>,
    target: Option<&'a str>,
    body: &'a [u8],
) -> RequestParts<'a> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    RequestParts {
        method,
        path,
        query,
        authorization,
        target,
        content_type: (!body.is_empty() && target.is_none())
            .then_some("application/x-www-form-urlencoded; charset=utf-8"),
        body,
    }
}

#[test]
fn the_service_is_the_credential_scope_of_the_signature() {
    assert_eq!(signing_service(EC2_AUTH), Some("ec2"));
    assert_eq!(
        signing_service(&auth("elasticloadbalancing")),
        Some("elasticloadbalancing")
    );
    assert_eq!(signing_service("Bearer x"), None);
    assert_eq!(signing_service("AWS4-HMAC-SHA256 Credential=a/b"), None);
}

#[test]
fn query_protocol_operations_come_from_the_action_in_the_body_or_query() {
    let body = b"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16";
    let op = identify(&parts("POST", "/", Some(EC2_AUTH), None, body));
    assert_eq!(
        op,
        Operation {
            service: "ec2".into(),
            name: "CreateVpc".into(),
            protocol: Protocol::Ec2Query,
        }
    );
    let iam = auth("iam");
    let op = identify(&parts(
        "POST",
        "/",
        Some(&iam),
        None,
        b"Version=2010-05-08&Action=CreateRole&RoleName=r",
    ));
    assert_eq!(
        (op.service.as_str(), op.name.as_str(), op.protocol),
        ("iam", "CreateRole", Protocol::Query)
    );
    let sts = auth("sts");
    let op = identify(&parts(
        "GET",
        "/?Action=GetCallerIdentity&Version=2011-06-15",
        Some(&sts),
        None,
        b"",
    ));
    assert_eq!(
        (op.service.as_str(), op.name.as_str(), op.protocol),
        ("sts", "GetCallerIdentity", Protocol::Query)
    );
}

#[test]
fn json_protocol_operations_come_from_the_target_header() {
    let ecs = auth("ecs");
    let op = identify(&parts(
        "POST",
        "/",
        Some(&ecs),
        Some("AmazonEC2ContainerServiceV20141113.CreateService"),
        b"{}",
    ));
    assert_eq!(
        (op.service.as_str(), op.name.as_str(), op.protocol),
        ("ecs", "CreateService", Protocol::Json)
    );
    let logs = auth("logs");
    let op = identify(&parts(
        "POST",
        "/",
        Some(&logs),
        Some("Logs_20140328.CreateLogGroup"),
        b"{}",
    ));
    assert_eq!(op.name, "CreateLogGroup");
    let ssm = auth("ssm");
    let op = identify(&parts(
        "POST",
        "/",
        Some(&ssm),
        Some("AmazonSSM.GetParameters"),
        b"{}",
    ));
    assert_eq!(
        (op.service.as_str(), op.name.as_str()),
        ("ssm", "GetParameters")
    );
}

#[test]
fn lambda_operations_come_from_method_and_path() {
    let lambda = auth("lambda");
    for (method, path, want) in [
        ("POST", "/2015-03-31/functions", "CreateFunction"),
        ("GET", "/2015-03-31/functions/", "ListFunctions"),
        ("GET", "/2015-03-31/functions/my-fn", "GetFunction"),
        ("DELETE", "/2015-03-31/functions/my-fn", "DeleteFunction"),
        (
            "PUT",
            "/2015-03-31/functions/my-fn/configuration",
            "UpdateFunctionConfiguration",
        ),
        (
            "PUT",
            "/2015-03-31/functions/my-fn/code",
            "UpdateFunctionCode",
        ),
        (
            "PUT",
            "/2017-10-31/functions/my-fn/concurrency",
            "PutFunctionConcurrency",
        ),
        ("POST", "/2017-03-31/tags/arn%3Aaws%3Alambda", "TagResource"),
    ] {
        let op = identify(&parts(method, path, Some(&lambda), None, b""));
        assert_eq!(
            (op.service.as_str(), op.name.as_str(), op.protocol),
            ("lambda", want, Protocol::RestJson),
            "{method} {path}"
        );
    }
}

#[test]
fn s3_is_named_by_method_and_anything_else_is_unknown() {
    let s3 = auth("s3");
    let op = identify(&parts("PUT", "/bucket/key", Some(&s3), None, b""));
    assert_eq!(
        (op.name.as_str(), op.protocol),
        ("S3:PUT", Protocol::RestXml)
    );
    let op = identify(&parts("GET", "/favicon.ico", None, None, b""));
    assert_eq!(
        (op.service.as_str(), op.name.as_str()),
        ("unknown", "unknown")
    );
}

#[test]
fn percent_encoded_actions_are_decoded() {
    let op = identify(&parts(
        "POST",
        "/",
        Some(EC2_AUTH),
        None,
        b"Action=Describe%56pcs",
    ));
    assert_eq!(op.name, "DescribeVpcs");
}

#[test]
fn efs_operations_come_from_method_and_path() {
    let efs = auth("elasticfilesystem");
    for (method, path, want) in [
        ("POST", "/2015-02-01/file-systems", "CreateFileSystem"),
        (
            "GET",
            "/2015-02-01/file-systems?CreationToken=t",
            "DescribeFileSystems",
        ),
        (
            "DELETE",
            "/2015-02-01/file-systems/fs-1",
            "DeleteFileSystem",
        ),
        ("PUT", "/2015-02-01/file-systems/fs-1", "UpdateFileSystem"),
        (
            "PUT",
            "/2015-02-01/file-systems/fs-1/lifecycle-configuration",
            "PutLifecycleConfiguration",
        ),
        ("POST", "/2015-02-01/mount-targets", "CreateMountTarget"),
        (
            "GET",
            "/2015-02-01/mount-targets?MountTargetId=fsmt-1",
            "DescribeMountTargets",
        ),
        (
            "DELETE",
            "/2015-02-01/mount-targets/fsmt-1",
            "DeleteMountTarget",
        ),
        (
            "PUT",
            "/2015-02-01/mount-targets/fsmt-1/security-groups",
            "ModifyMountTargetSecurityGroups",
        ),
        ("POST", "/2015-02-01/access-points", "CreateAccessPoint"),
        (
            "DELETE",
            "/2015-02-01/access-points/fsap-1",
            "DeleteAccessPoint",
        ),
        ("POST", "/2015-02-01/resource-tags/fs-1", "TagResource"),
        ("GET", "/2015-02-01/tags/fs-1", "DescribeTags"),
    ] {
        let op = identify(&parts(method, path, Some(&efs), None, b""));
        assert_eq!(
            (op.service.as_str(), op.name.as_str(), op.protocol),
            ("elasticfilesystem", want, Protocol::RestJson),
            "{method} {path}"
        );
    }
    // Unsigned, an EFS path is still EFS, but a path both share reads as Lambda.
    let op = identify(&parts("POST", "/2015-02-01/mount-targets", None, None, b""));
    assert_eq!(
        (op.service.as_str(), op.name.as_str()),
        ("elasticfilesystem", "CreateMountTarget")
    );
    let op = identify(&parts("GET", "/2015-02-01/tags/x", None, None, b""));
    assert_eq!(
        (op.service.as_str(), op.name.as_str()),
        ("lambda", "ListTags")
    );
    // A Lambda path signed for EFS is not a Lambda operation.
    let op = identify(&parts(
        "POST",
        "/2015-03-31/functions",
        Some(&efs),
        None,
        b"",
    ));
    assert_eq!(op.name, "unknown");
}

#[test]
fn the_new_json_and_query_services_are_identified() {
    for (service, target, want) in [
        (
            "ecr",
            "AmazonEC2ContainerRegistry_V20150921.CreateRepository",
            "CreateRepository",
        ),
        (
            "servicediscovery",
            "Route53AutoNaming_v20170314.CreatePrivateDnsNamespace",
            "CreatePrivateDnsNamespace",
        ),
        (
            "application-autoscaling",
            "AnyScaleFrontendService.RegisterScalableTarget",
            "RegisterScalableTarget",
        ),
    ] {
        let signed = auth(service);
        let op = identify(&parts("POST", "/", Some(&signed), Some(target), b"{}"));
        assert_eq!(
            (op.service.as_str(), op.name.as_str(), op.protocol),
            (service, want, Protocol::Json)
        );
    }
    let monitoring = auth("monitoring");
    let op = identify(&parts(
        "POST",
        "/",
        Some(&monitoring),
        None,
        b"Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a",
    ));
    assert_eq!(
        (op.service.as_str(), op.name.as_str(), op.protocol),
        ("monitoring", "PutMetricAlarm", Protocol::Query)
    );
}
