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
        host: None,
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
        (
            "POST",
            "/2015-03-31/functions/my-fn/policy",
            "AddPermission",
        ),
        (
            "POST",
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn/policy",
            "AddPermission",
        ),
        (
            "DELETE",
            "/2015-03-31/functions/my-fn/policy/Handler-0123456789abc?Qualifier=live",
            "RemovePermission",
        ),
        (
            "GET",
            "/2015-03-31/functions/my-fn/policy?Qualifier=live",
            "GetPolicy",
        ),
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
fn s3_is_named_by_its_operation_and_anything_else_is_unknown() {
    let s3 = auth("s3");
    let op = identify(&parts("PUT", "/bucket/key", Some(&s3), None, b""));
    assert_eq!(
        (op.name.as_str(), op.protocol),
        ("PutObject", Protocol::RestXml)
    );
    let op = identify(&parts("PUT", "/bucket?policy", Some(&s3), None, b""));
    assert_eq!(op.name, "PutBucketPolicy");
    // A method S3 has no operation for here keeps the `S3:METHOD` name.
    let op = identify(&parts("PATCH", "/bucket", Some(&s3), None, b""));
    assert_eq!(op.name, "S3:PATCH");
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

#[test]
fn the_json_targets_of_the_new_services_are_identified() {
    for (service, target, want) in [
        ("ssm", "AmazonSSM.PutParameter", "PutParameter"),
        ("ssm", "AmazonSSM.DeleteParameter", "DeleteParameter"),
        (
            "secretsmanager",
            "secretsmanager.CreateSecret",
            "CreateSecret",
        ),
        (
            "secretsmanager",
            "secretsmanager.GetRandomPassword",
            "GetRandomPassword",
        ),
        ("kms", "TrentService.CreateKey", "CreateKey"),
        (
            "kms",
            "TrentService.ScheduleKeyDeletion",
            "ScheduleKeyDeletion",
        ),
        ("kms", "TrentService.ListAliases", "ListAliases"),
        // SQS speaks AWS JSON 1.0 (the SDKs since 2023).
        ("sqs", "AmazonSQS.CreateQueue", "CreateQueue"),
        ("sqs", "AmazonSQS.SetQueueAttributes", "SetQueueAttributes"),
        ("dynamodb", "DynamoDB_20120810.CreateTable", "CreateTable"),
        (
            "dynamodb",
            "DynamoDB_20120810.UpdateContinuousBackups",
            "UpdateContinuousBackups",
        ),
        ("events", "AWSEvents.PutRule", "PutRule"),
        ("events", "AWSEvents.ListTargetsByRule", "ListTargetsByRule"),
        (
            "logs",
            "Logs_20140328.PutResourcePolicy",
            "PutResourcePolicy",
        ),
    ] {
        let signed = auth(service);
        let op = identify(&parts("POST", "/", Some(&signed), Some(target), b"{}"));
        assert_eq!(
            (op.service.as_str(), op.name.as_str(), op.protocol),
            (service, want, Protocol::Json),
            "{target}"
        );
    }
}

#[test]
fn sns_iam_and_older_sqs_clients_speak_the_query_protocol() {
    for (service, body, want) in [
        (
            "sns",
            "Action=CreateTopic&Version=2010-03-31&Name=t",
            "CreateTopic",
        ),
        (
            "sns",
            "Action=SetTopicAttributes&AttributeName=Policy",
            "SetTopicAttributes",
        ),
        ("sns", "Action=Subscribe&Protocol=sqs", "Subscribe"),
        (
            "iam",
            "Action=CreateAccessKey&UserName=u",
            "CreateAccessKey",
        ),
        (
            "iam",
            "Action=AddUserToGroup&GroupName=g&UserName=u",
            "AddUserToGroup",
        ),
        ("sqs", "Action=CreateQueue&QueueName=q", "CreateQueue"),
    ] {
        let signed = auth(service);
        let op = identify(&parts("POST", "/", Some(&signed), None, body.as_bytes()));
        assert_eq!(
            (op.service.as_str(), op.name.as_str(), op.protocol),
            (service, want, Protocol::Query),
            "{body}"
        );
    }
}

#[test]
fn route53_operations_come_from_method_and_path() {
    let route53 = auth("route53");
    for (method, path, want) in [
        ("POST", "/2013-04-01/hostedzone", "CreateHostedZone"),
        (
            "GET",
            "/2013-04-01/hostedzone?maxitems=100",
            "ListHostedZones",
        ),
        (
            "GET",
            "/2013-04-01/hostedzonesbyname?dnsname=example.com",
            "ListHostedZonesByName",
        ),
        ("GET", "/2013-04-01/hostedzone/Z0123", "GetHostedZone"),
        (
            "POST",
            "/2013-04-01/hostedzone/Z0123",
            "UpdateHostedZoneComment",
        ),
        ("DELETE", "/2013-04-01/hostedzone/Z0123", "DeleteHostedZone"),
        (
            "POST",
            "/2013-04-01/hostedzone/Z0123/rrset/",
            "ChangeResourceRecordSets",
        ),
        (
            "GET",
            "/2013-04-01/hostedzone/Z0123/rrset?name=a.",
            "ListResourceRecordSets",
        ),
        (
            "POST",
            "/2013-04-01/hostedzone/Z0123/associatevpc",
            "AssociateVPCWithHostedZone",
        ),
        ("GET", "/2013-04-01/change/C0123", "GetChange"),
        (
            "POST",
            "/2013-04-01/tags/hostedzone",
            "ListTagsForResources",
        ),
        (
            "POST",
            "/2013-04-01/tags/hostedzone/Z0123",
            "ChangeTagsForResource",
        ),
        (
            "GET",
            "/2013-04-01/tags/hostedzone/Z0123",
            "ListTagsForResource",
        ),
    ] {
        let op = identify(&parts(method, path, Some(&route53), None, b""));
        // Route 53's errors are wrapped as the query protocol's.
        assert_eq!(
            (op.service.as_str(), op.name.as_str(), op.protocol),
            ("route53", want, Protocol::Query),
            "{method} {path}"
        );
    }
    // A tags path signed for Route 53 is not Lambda's; unsigned, a hosted zone path is found
    // after Lambda's and EFS's paths are tried.
    let op = identify(&parts(
        "GET",
        "/2013-04-01/hostedzone/Z1/rrset",
        None,
        None,
        b"",
    ));
    assert_eq!(
        (op.service.as_str(), op.name.as_str()),
        ("route53", "ListResourceRecordSets")
    );
    let op = identify(&parts(
        "POST",
        "/2015-03-31/functions",
        Some(&route53),
        None,
        b"",
    ));
    assert_eq!(op.name, "unknown");
}
