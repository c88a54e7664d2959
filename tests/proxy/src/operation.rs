//! Which AWS service and operation a request is, read from the request itself.
//!
//! - The service comes from the SigV4 `Authorization` header's credential scope
//!   (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`).
//! - The protocol and operation:
//!   - JSON protocol (ECS, CloudWatch Logs, SSM, ECR, Cloud Map `servicediscovery`, Application
//!     Auto Scaling `application-autoscaling`, KMS, Secrets Manager, DynamoDB, EventBridge
//!     `events`, and SQS, which speaks AWS JSON 1.0 since 2023): `X-Amz-Target:
//!     Service.Operation` (`AmazonSQS.CreateQueue`, `DynamoDB_20120810.CreateTable`,
//!     `AWSEvents.PutRule`, `TrentService.CreateKey`, `secretsmanager.CreateSecret`);
//!   - query protocol (EC2, IAM, Auto Scaling, ELBv2, STS, CloudWatch `monitoring`, SNS, and
//!     SQS from older clients): `Action=` in the form body or the query string (EC2's own
//!     flavour is told apart by the service `ec2`);
//!   - REST (Lambda, EFS `elasticfilesystem`, Route 53): method and path pattern, such as
//!     `POST /2015-03-31/functions` = `CreateFunction`, `DELETE /2015-02-01/mount-targets/ID`
//!     = `DeleteMountTarget` or `POST /2013-04-01/hostedzone/ID/rrset` =
//!     `ChangeResourceRecordSets` ([`rest`]);
//!   - S3: method, bucket (host or path), key and the query's sub-resource flag, such as
//!     `PUT /BUCKET?policy` = `PutBucketPolicy` ([`s3`]); `S3:METHOD` when none matches.
//!
//! A request that matches none of these is `unknown`.

mod rest;
pub mod s3;

use rest::{efs_operation, lambda_operation, route53_operation};

/// The wire protocol of a request, which decides what an error response looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// EC2's query protocol: errors are `<Response><Errors><Error>...`.
    Ec2Query,
    /// The AWS query protocol (IAM, Auto Scaling, ELBv2, STS, SNS), and Route 53's REST-XML:
    /// errors are `<ErrorResponse><Error>...`.
    Query,
    /// The AWS JSON protocol (`X-Amz-Target`): errors are `{"__type": ...}` with
    /// `x-amzn-ErrorType`.
    Json,
    /// REST with JSON bodies (Lambda, EFS): errors are JSON with `x-amzn-ErrorType`.
    RestJson,
    /// REST with XML bodies (S3): errors are `<Error><Code>...`. Route 53 is REST-XML too, but
    /// its errors are wrapped as the query protocol's (`<ErrorResponse><Error>...`), so its
    /// requests are [`Protocol::Query`].
    RestXml,
    /// Not recognised; errors are answered as query-protocol XML.
    Unknown,
}

/// What a request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The signing name of the service (`ec2`, `iam`, `ecs`, `lambda`, ...), or `unknown`.
    pub service: String,
    /// The operation name (`CreateVpc`, `CreateFunction`, `PutBucketPolicy`, ...; `S3:METHOD`
    /// for an S3 request of no known operation), or `unknown`.
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
    /// The `Host` header (S3's virtual-hosted style names the bucket there).
    pub host: Option<&'a str>,
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
        let name = s3::operation(req.method, req.host, req.path, req.query)
            .unwrap_or_else(|| format!("S3:{}", req.method));
        return Operation {
            name,
            service,
            protocol: Protocol::RestXml,
        };
    }
    if let Some((service, name, protocol)) = rest_operation(&service, req.method, req.path) {
        return Operation {
            service,
            name: name.to_owned(),
            protocol,
        };
    }
    Operation {
        service,
        name: "unknown".to_owned(),
        protocol: Protocol::Unknown,
    }
}

/// The REST operation of a request: of the service it is signed for (EFS, Route 53; any other
/// signed service is read as Lambda), or, unsigned, the first of Lambda, EFS and Route 53 whose
/// paths match (Lambda and EFS share the `/YYYY-MM-DD/...` shape and both have `/tags/...`).
fn rest_operation(
    service: &str,
    method: &str,
    path: &str,
) -> Option<(String, &'static str, Protocol)> {
    type Reader = fn(&str, &str) -> Option<&'static str>;
    let readers: [(&str, Reader, Protocol); 3] = [
        ("lambda", lambda_operation, Protocol::RestJson),
        ("elasticfilesystem", efs_operation, Protocol::RestJson),
        ("route53", route53_operation, Protocol::Query),
    ];
    let signed_for = |name: &str| match service {
        "unknown" => true,
        "elasticfilesystem" | "route53" => service == name,
        _ => name == "lambda",
    };
    readers
        .into_iter()
        .filter(|(name, _, _)| signed_for(name))
        .find_map(|(name, read, protocol)| {
            let service = if service == "unknown" { name } else { service };
            read(method, path).map(|op| (service.to_owned(), op, protocol))
        })
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

#[cfg(test)]
#[path = "operation_tests.rs"]
mod tests;
