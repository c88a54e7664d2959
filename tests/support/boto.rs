//! Checks what the emulator holds through each service's own API, without a Rust AWS SDK crate
//! per service: each call runs the repository's `.venv/bin/python` (the venv
//! `scripts/setup-emulator` makes; moto depends on boto3, so boto3 is there) with a small
//! script that builds `boto3.client(service, endpoint_url=…, region_name="us-east-1",
//! aws_access_key_id="testing", aws_secret_access_key="testing")`, calls the method with the
//! keyword arguments given as JSON, and prints the result as JSON (`default=str`, so dates and
//! bytes become strings; `ResponseMetadata` is dropped).
//!
//! Include it beside `support` (it uses `support::repo_root`):
//!
//! ```ignore
//! #[path = "support/mod.rs"]
//! mod support;
//! #[path = "support/boto.rs"]
//! mod boto;
//!
//! let attrs = boto::boto(&emu.endpoint, "sqs", "get_queue_attributes",
//!     json!({"QueueUrl": url, "AttributeNames": ["All"]}));
//! ```
//!
//! [`boto`] panics with the error text when the call fails; [`try_boto`] returns the AWS
//! error (its code and message) so a test can assert that something is gone; [`batch`] makes
//! several calls in one Python process (each process costs about half a second to start).
//!
//! Only loopback endpoints are accepted, and none of the caller's AWS configuration is read.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// A failed call: the AWS error code (`QueueDoesNotExist`, `ParameterNotFound`, ...) and its
/// message, or, when the script itself failed, an empty code and everything it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotoError {
    /// The AWS error code, empty when the failure was not an AWS error answer.
    pub code: String,
    /// The error message (or the script's output).
    pub message: String,
}

impl std::fmt::Display for BotoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.code.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

/// One call: `(service, method, keyword arguments)`.
pub type Call<'a> = (&'a str, &'a str, Value);

/// Calls `service.method(**args)` on the emulator at `endpoint` and returns the answer as JSON.
/// Panics with the error text when the call fails.
pub fn boto(endpoint: &str, service: &str, method: &str, args: Value) -> Value {
    try_boto(endpoint, service, method, args)
        .unwrap_or_else(|e| panic!("boto3 {service}.{method} on {endpoint} failed: {e}"))
}

/// Calls `service.method(**args)` on the emulator at `endpoint`: the answer, or the error.
pub fn try_boto(
    endpoint: &str,
    service: &str,
    method: &str,
    args: Value,
) -> Result<Value, BotoError> {
    batch(endpoint, &[(service, method, args)])
        .pop()
        .expect("one result per call")
}

/// Several calls in one Python process, in order; one result per call.
pub fn batch(endpoint: &str, calls: &[Call<'_>]) -> Vec<Result<Value, BotoError>> {
    assert_loopback(endpoint);
    let python = crate::support::repo_root().join(".venv/bin/python");
    assert!(
        python.is_file(),
        "{} not found: the boto3 checks need the emulator's venv; run {}",
        python.display(),
        crate::support::repo_root()
            .join("scripts/setup-emulator")
            .display()
    );
    let request = json!({
        "endpoint": endpoint,
        "calls": calls
            .iter()
            .map(|(service, method, args)| json!({"service": service, "method": method, "args": args}))
            .collect::<Vec<_>>(),
    });

    let mut cmd = Command::new(&python);
    // None of the caller's AWS configuration: only the emulator, with test credentials.
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("AWS_")) {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("writes the calls to python");
    let output = child.wait_with_output().expect("python ends");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let answers: Value = match serde_json::from_str(stdout.trim()) {
        Ok(v) if output.status.success() => v,
        _ => {
            let text = format!(
                "the boto3 script failed ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
                output.status
            );
            return calls
                .iter()
                .map(|_| {
                    Err(BotoError {
                        code: String::new(),
                        message: text.clone(),
                    })
                })
                .collect();
        }
    };
    let answers = answers.as_array().cloned().unwrap_or_default();
    assert_eq!(
        answers.len(),
        calls.len(),
        "one answer per call from the boto3 script: {stdout}\n{stderr}"
    );
    answers
        .into_iter()
        .map(|answer| match answer.get("error") {
            Some(error) => Err(BotoError {
                code: error["code"].as_str().unwrap_or_default().to_owned(),
                message: error["message"].as_str().unwrap_or_default().to_owned(),
            }),
            None => Ok(answer["ok"].clone()),
        })
        .collect()
}

/// Panics unless `endpoint` is `http://127.0.0.1:…`, `http://localhost:…` or `http://[::1]:…`.
fn assert_loopback(endpoint: &str) {
    let rest = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"))
        .unwrap_or_else(|| panic!("not an http endpoint: {endpoint}"));
    let authority = rest.split('/').next().unwrap_or_default();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    assert!(
        loopback,
        "the boto3 helper only talks to loopback endpoints, not {endpoint}"
    );
}

/// Reads `{"endpoint": E, "calls": [{"service", "method", "args"}]}` on stdin, prints a JSON
/// list with `{"ok": result}` or `{"error": {"code", "message"}}` for each call.
const SCRIPT: &str = r#"
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

request = json.load(sys.stdin)
config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})
clients = {}
out = []
for call in request["calls"]:
    service = call["service"]
    if service not in clients:
        clients[service] = boto3.client(
            service,
            endpoint_url=request["endpoint"],
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=config,
        )
    try:
        result = getattr(clients[service], call["method"])(**(call.get("args") or {}))
        if isinstance(result, dict):
            result.pop("ResponseMetadata", None)
        out.append({"ok": result})
    except ClientError as e:
        error = e.response.get("Error", {})
        out.append({"error": {"code": error.get("Code", ""), "message": error.get("Message", str(e))}})
    except Exception as e:
        out.append({"error": {"code": "", "message": f"{type(e).__name__}: {e}"}})
print(json.dumps(out, default=str))
"#;
