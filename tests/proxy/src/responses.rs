//! Error responses the proxy answers with, in each protocol's own shape, so the SDK reads the
//! error code exactly as it would from AWS.
//!
//! | protocol | body | throttling code |
//! |---|---|---|
//! | EC2 query | `<Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>..</RequestID></Response>` | `RequestLimitExceeded` |
//! | query (IAM, Auto Scaling, ELBv2, STS, SNS; Route 53's REST-XML) | `<ErrorResponse><Error><Type>..</Type><Code>..</Code><Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>` | `Throttling` |
//! | JSON (ECS, Logs, SSM, SQS, KMS, Secrets Manager, DynamoDB, EventBridge) | `{"__type":"..","message":".."}` and `x-amzn-ErrorType` | `ThrottlingException` |
//! | REST JSON (Lambda) | `{"Type":"..","message":".."}` and `x-amzn-ErrorType` | `TooManyRequestsException` (429) |
//! | REST XML (S3) | `<Error><Code>..</Code><Message>..</Message><RequestId>..</RequestId></Error>` | `SlowDown` (503) |
//!
//! Server errors are 500 `InternalError` (`InternalFailure` in the JSON protocols, Lambda's
//! `ServiceException`) and 503 `ServiceUnavailable` (EC2: `Unavailable`).

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use hyper::header::{CONTENT_TYPE, HeaderValue};

use crate::operation::Protocol;

/// The request id every injected error carries.
pub const REQUEST_ID: &str = "00000000-0000-4000-8000-00000000fa17";

/// The throttling error of `protocol`: HTTP status and code.
pub fn throttling(protocol: Protocol) -> (u16, &'static str) {
    match protocol {
        Protocol::Ec2Query => (400, "RequestLimitExceeded"),
        Protocol::Query | Protocol::Unknown => (400, "Throttling"),
        Protocol::Json => (400, "ThrottlingException"),
        Protocol::RestJson => (429, "TooManyRequestsException"),
        Protocol::RestXml => (503, "SlowDown"),
    }
}

/// The code of a 5xx of `protocol`.
pub fn server_error_code(protocol: Protocol, status: u16) -> &'static str {
    match (protocol, status) {
        (Protocol::Ec2Query, 503) => "Unavailable",
        (Protocol::Json, 503) => "ServiceUnavailableException",
        (Protocol::RestJson, 503) => "ServiceException",
        (_, 503) => "ServiceUnavailable",
        (Protocol::Json, _) => "InternalFailure",
        (Protocol::RestJson, _) => "ServiceException",
        _ => "InternalError",
    }
}

/// An error response of `protocol`.
pub fn error(protocol: Protocol, status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    let code_x = xml_escape(code);
    let message_x = xml_escape(message);
    let sender = if status < 500 { "Sender" } else { "Receiver" };
    let (content_type, body, json_type) = match protocol {
        Protocol::Ec2Query => (
            "text/xml;charset=UTF-8",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
                 <Code>{code_x}</Code><Message>{message_x}</Message></Error></Errors>\
                 <RequestID>{REQUEST_ID}</RequestID></Response>"
            ),
            false,
        ),
        Protocol::Query | Protocol::Unknown => (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>{sender}</Type><Code>{code_x}</Code>\
                 <Message>{message_x}</Message></Error><RequestId>{REQUEST_ID}</RequestId>\
                 </ErrorResponse>"
            ),
            false,
        ),
        Protocol::Json => (
            "application/x-amz-json-1.1",
            serde_json::json!({ "__type": code, "message": message }).to_string(),
            true,
        ),
        Protocol::RestJson => (
            "application/json",
            serde_json::json!({ "Type": if status < 500 { "User" } else { "Service" }, "message": message })
                .to_string(),
            true,
        ),
        Protocol::RestXml => (
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code_x}</Code>\
                 <Message>{message_x}</Message><RequestId>{REQUEST_ID}</RequestId></Error>"
            ),
            false,
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-amzn-requestid", HeaderValue::from_static(REQUEST_ID));
    if json_type && let Ok(value) = HeaderValue::from_str(code) {
        headers.insert("x-amzn-errortype", value);
    }
    response
}

/// A plain-text response (the proxy's own errors and control endpoints).
pub fn text(status: u16, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
