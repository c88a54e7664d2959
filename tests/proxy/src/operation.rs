//! Which AWS service and operation a request is, read from the request itself.
//!
//! - The service comes from the SigV4 `Authorization` header's credential scope
//!   (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`).
//! - The protocol and operation:
//!   - JSON protocol (ECS, CloudWatch Logs, SSM, ECR, Cloud Map `servicediscovery`, Application
//!     Auto Scaling `application-autoscaling`): `X-Amz-Target: Service.Operation`;
//!   - query protocol (EC2, IAM, Auto Scaling, ELBv2, STS, CloudWatch `monitoring`): `Action=`
//!     in the form body or the query string (EC2's own flavour is told apart by the service
//!     `ec2`);
//!   - REST (Lambda, EFS `elasticfilesystem`): method and path pattern, such as
//!     `POST /2015-03-31/functions` = `CreateFunction` or `DELETE /2015-02-01/mount-targets/ID`
//!     = `DeleteMountTarget`;
//!   - S3: `S3:METHOD`.
//!
//! A request that matches none of these is `unknown`.

/// The wire protocol of a request, which decides what an error response looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// EC2's query protocol: errors are `<Response><Errors><Error>...`.
    Ec2Query,
    /// The AWS query protocol (IAM, Auto Scaling, ELBv2, STS): errors are
    /// `<ErrorResponse><Error>...`.
    Query,
    /// The AWS JSON protocol (`X-Amz-Target`): errors are `{"__type": ...}` with
    /// `x-amzn-ErrorType`.
    Json,
    /// REST with JSON bodies (Lambda, EFS): errors are JSON with `x-amzn-ErrorType`.
    RestJson,
    /// REST with XML bodies (S3): errors are `<Error><Code>...`.
    RestXml,
    /// Not recognised; errors are answered as query-protocol XML.
    Unknown,
}

/// What a request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The signing name of the service (`ec2`, `iam`, `ecs`, `lambda`, ...), or `unknown`.
    pub service: String,
    /// The operation name (`CreateVpc`, `CreateFunction`, `S3:PUT`, ...), or `unknown`.
    pub name: String,
    /// The protocol.
    pub protocol: Protocol,
}

/// The parts of a request [`identify`] reads.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// The path, without the query string.
    pub path: &'a str,
    /// The query string, without `?` (empty when none).
    pub query: &'a str,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `X-Amz-Target` header.
    pub target: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The request body.
    pub body: &'a [u8],
}

/// Identifies the service and operation of a request.
pub fn identify(req: &RequestParts<'_>) -> Operation {
    let service = req
        .authorization
        .and_then(signing_service)
        .unwrap_or("unknown")
        .to_owned();
    if let Some(target) = req.target {
        let name = target.rsplit('.').next().unwrap_or(target);
        return Operation {
            service,
            name: or_unknown(name),
            protocol: Protocol::Json,
        };
    }
    let form = req
        .content_type
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let action = form
        .then(|| std::str::from_utf8(req.body).ok())
        .flatten()
        .and_then(form_action)
        .or_else(|| form_action(req.query));
    if let Some(action) = action {
        let protocol = if service == "ec2" {
            Protocol::Ec2Query
        } else {
            Protocol::Query
        };
        return Operation {
            service,
            name: action,
            protocol,
        };
    }
    if service == "s3" {
        return Operation {
            name: format!("S3:{}", req.method),
            service,
            protocol: Protocol::RestXml,
        };
    }
    // EFS and Lambda share the `/YYYY-MM-DD/...` path shape (both have `/tags/...`): a request
    // signed for EFS is read as EFS; any other is read as Lambda, then (when unsigned) as EFS.
    let rest = if service == "elasticfilesystem" {
        efs_operation(req.method, req.path).map(|name| (service.clone(), name))
    } else {
        let lambda = if service == "unknown" {
            "lambda".to_owned()
        } else {
            service.clone()
        };
        lambda_operation(req.method, req.path)
            .map(|name| (lambda, name))
            .or_else(|| {
                (service == "unknown")
                    .then(|| efs_operation(req.method, req.path))
                    .flatten()
                    .map(|name| ("elasticfilesystem".to_owned(), name))
            })
    };
    if let Some((service, name)) = rest {
        return Operation {
            service,
            name: name.to_owned(),
            protocol: Protocol::RestJson,
        };
    }
    Operation {
        service,
        name: "unknown".to_owned(),
        protocol: Protocol::Unknown,
    }
}

fn or_unknown(name: &str) -> String {
    if name.is_empty() {
        "unknown".to_owned()
    } else {
        name.to_owned()
    }
}

/// The service of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request, SignedHeaders=...`.
pub fn signing_service(authorization: &str) -> Option<&str> {
    let start = authorization.find("Credential=")? + "Credential=".len();
    let credential = authorization[start..]
        .split([',', ' '])
        .next()
        .unwrap_or_default();
    let mut parts = credential.rsplit('/');
    let terminator = parts.next()?;
    let service = parts.next()?;
    (terminator == "aws4_request" && !service.is_empty()).then_some(service)
}

/// The value of `Action=` in a URL-encoded form or query string.
fn form_action(form: &str) -> Option<String> {
    form.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "Action")
        .map(|(_, value)| percent_decode(value))
        .filter(|value| !value.is_empty())
}

fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = value
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lambda's REST operations by method and path (API versions `2015-03-31` and friends).
fn lambda_operation(method: &str, path: &str) -> Option<&'static str> {
    let mut segments = path.trim_matches('/').split('/');
    let version = segments.next()?;
    if !(version.len() == 10 && version.starts_with("20")) {
        return None;
    }
    let rest: Vec<&str> = segments.collect();
    let op = match (method, rest.as_slice()) {
        ("POST", ["functions"]) => "CreateFunction",
        ("GET", ["functions"]) => "ListFunctions",
        ("GET", ["functions", _]) => "GetFunction",
        ("DELETE", ["functions", _]) => "DeleteFunction",
        ("GET", ["functions", _, "configuration"]) => "GetFunctionConfiguration",
        ("PUT", ["functions", _, "configuration"]) => "UpdateFunctionConfiguration",
        ("PUT", ["functions", _, "code"]) => "UpdateFunctionCode",
        ("POST", ["functions", _, "invocations"]) => "Invoke",
        ("PUT", ["functions", _, "concurrency"]) => "PutFunctionConcurrency",
        ("DELETE", ["functions", _, "concurrency"]) => "DeleteFunctionConcurrency",
        ("GET", ["functions", _, "concurrency"]) => "GetFunctionConcurrency",
        ("PUT", ["functions", _, "code-signing-config"]) => "PutFunctionCodeSigningConfig",
        ("DELETE", ["functions", _, "code-signing-config"]) => "DeleteFunctionCodeSigningConfig",
        ("GET", ["functions", _, "code-signing-config"]) => "GetFunctionCodeSigningConfig",
        ("PUT", ["functions", _, "recursion-config"]) => "PutFunctionRecursionConfig",
        ("GET", ["functions", _, "recursion-config"]) => "GetFunctionRecursionConfig",
        ("PUT", ["functions", _, "runtime-management-config"]) => "PutRuntimeManagementConfig",
        ("GET", ["functions", _, "runtime-management-config"]) => "GetRuntimeManagementConfig",
        ("POST", ["functions", _, "policy"]) => "AddPermission",
        ("GET", ["functions", _, "policy"]) => "GetPolicy",
        ("DELETE", ["functions", _, "policy", _]) => "RemovePermission",
        ("POST", ["functions", _, "versions"]) => "PublishVersion",
        ("GET", ["functions", _, "versions"]) => "ListVersionsByFunction",
        ("POST", ["tags", ..]) => "TagResource",
        ("DELETE", ["tags", ..]) => "UntagResource",
        ("GET", ["tags", ..]) => "ListTags",
        _ => return None,
    };
    Some(op)
}

/// EFS's REST operations by method and path (API version `2015-02-01`).
fn efs_operation(method: &str, path: &str) -> Option<&'static str> {
    let mut segments = path.trim_matches('/').split('/');
    if segments.next()? != "2015-02-01" {
        return None;
    }
    let rest: Vec<&str> = segments.collect();
    let op = match (method, rest.as_slice()) {
        ("POST", ["file-systems"]) => "CreateFileSystem",
        ("GET", ["file-systems"]) => "DescribeFileSystems",
        ("PUT", ["file-systems", _]) => "UpdateFileSystem",
        ("DELETE", ["file-systems", _]) => "DeleteFileSystem",
        ("PUT", ["file-systems", _, "protection"]) => "UpdateFileSystemProtection",
        ("GET", ["file-systems", _, "policy"]) => "DescribeFileSystemPolicy",
        ("PUT", ["file-systems", _, "policy"]) => "PutFileSystemPolicy",
        ("DELETE", ["file-systems", _, "policy"]) => "DeleteFileSystemPolicy",
        ("GET", ["file-systems", _, "backup-policy"]) => "DescribeBackupPolicy",
        ("PUT", ["file-systems", _, "backup-policy"]) => "PutBackupPolicy",
        ("GET", ["file-systems", _, "lifecycle-configuration"]) => "DescribeLifecycleConfiguration",
        ("PUT", ["file-systems", _, "lifecycle-configuration"]) => "PutLifecycleConfiguration",
        ("GET", ["file-systems", "replication-configurations"]) => {
            "DescribeReplicationConfigurations"
        }
        ("POST", ["file-systems", _, "replication-configuration"]) => {
            "CreateReplicationConfiguration"
        }
        ("DELETE", ["file-systems", _, "replication-configuration"]) => {
            "DeleteReplicationConfiguration"
        }
        ("POST", ["mount-targets"]) => "CreateMountTarget",
        ("GET", ["mount-targets"]) => "DescribeMountTargets",
        ("DELETE", ["mount-targets", _]) => "DeleteMountTarget",
        ("GET", ["mount-targets", _, "security-groups"]) => "DescribeMountTargetSecurityGroups",
        ("PUT", ["mount-targets", _, "security-groups"]) => "ModifyMountTargetSecurityGroups",
        ("POST", ["access-points"]) => "CreateAccessPoint",
        ("GET", ["access-points"]) => "DescribeAccessPoints",
        ("DELETE", ["access-points", _]) => "DeleteAccessPoint",
        ("GET", ["account-preferences"]) => "DescribeAccountPreferences",
        ("PUT", ["account-preferences"]) => "PutAccountPreferences",
        ("GET", ["resource-tags", _]) => "ListTagsForResource",
        ("POST", ["resource-tags", _]) => "TagResource",
        ("DELETE", ["resource-tags", _]) => "UntagResource",
        ("GET", ["tags", _]) => "DescribeTags",
        ("POST", ["create-tags", _]) => "CreateTags",
        ("POST", ["delete-tags", _]) => "DeleteTags",
        _ => return None,
    };
    Some(op)
}

#[cfg(test)]
#[path = "operation_tests.rs"]
mod tests;
