//! Deciding each request's fate: forwarded, or answered by the proxy with a fault.
//!
//! Random faults (throttling, 5xx, dropped connections) come from a seeded generator. The draw
//! for a request depends only on the seed, the operation and how many requests of that
//! operation came before it, so the n-th `CreateVpc` meets the same fate in every run with the
//! same seed, however concurrent requests interleave. Rules ([`FailRule`]) fail a named
//! operation always or a number of times; they are checked before the random faults.

use std::collections::BTreeSet;
use std::fmt;

use crate::ProxyError;
use crate::operation::s3;

/// What the proxy does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Forward it to the upstream.
    Forward,
    /// Answer with the protocol's throttling error.
    Throttle,
    /// Answer with a 5xx (500 `InternalError` or 503 `ServiceUnavailable`).
    ServerError(u16),
    /// Close the connection without an answer.
    Drop,
    /// Answer with a rule's error.
    Fail {
        /// HTTP status.
        status: u16,
        /// Error code.
        code: String,
        /// Error message.
        message: String,
    },
}

/// Fails an operation with a given status and error code, always or `times` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailRule {
    /// The operation (`CreateVpc`), or `service:Operation` (`ec2:CreateVpc`) to match one
    /// service only.
    pub operation: String,
    /// HTTP status of the answer.
    pub status: u16,
    /// Error code of the answer (`UnauthorizedOperation`, `ExpiredToken`, ...).
    pub code: String,
    /// How many requests to fail; `None` fails every one.
    pub times: Option<u64>,
    /// The error message; `None` for a default one. For access-denied codes the default says
    /// which action was refused, in AWS's words.
    pub message: Option<String>,
}

impl FailRule {
    /// Parses `OP=STATUS:CODE[xN][:MESSAGE]`, such as `CreateVpc=403:UnauthorizedOperation`
    /// or `GetCallerIdentity=403:ExpiredTokenx2`.
    pub fn parse(spec: &str) -> Result<FailRule, ProxyError> {
        let bad = |reason: &str| ProxyError::BadRule {
            spec: spec.to_owned(),
            reason: reason.to_owned(),
        };
        let (operation, rest) = spec
            .split_once('=')
            .ok_or_else(|| bad("expected OP=STATUS:CODE[xN][:MESSAGE]"))?;
        let mut parts = rest.splitn(3, ':');
        let status = parts.next().unwrap_or_default();
        let code = parts
            .next()
            .ok_or_else(|| bad("no error code after the status"))?;
        let message = parts.next().map(str::to_owned);
        let status: u16 = status
            .parse()
            .ok()
            .filter(|s| (400..=599).contains(s))
            .ok_or_else(|| bad("the status must be an HTTP error status, 400 to 599"))?;
        let (code, times) = match code.rsplit_once('x') {
            Some((c, n))
                if !c.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let n: u64 = n.parse().map_err(|_| bad("the count is too large"))?;
                (c, Some(n))
            }
            _ => (code, None),
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
        };
        if !valid(operation) {
            return Err(bad("the operation must be a name such as CreateVpc"));
        }
        if !valid(code) {
            return Err(bad(
                "the error code must be a name such as UnauthorizedOperation",
            ));
        }
        Ok(FailRule {
            operation: operation.to_owned(),
            status,
            code: code.to_owned(),
            times,
            message,
        })
    }

    /// Whether the rule is about `operation` of `service`. `S3:METHOD` (`S3:PUT`) matches every
    /// S3 request of that method: the operation of no known name (`S3:PUT` itself) and every
    /// named one sent with it (`PutObject`, `PutBucketPolicy`, `CreateBucket`, ...).
    pub fn matches(&self, service: &str, operation: &str) -> bool {
        match self.operation.split_once(':') {
            Some((s, method))
                if s.eq_ignore_ascii_case("s3")
                    && !method.is_empty()
                    && method.bytes().all(|b| b.is_ascii_uppercase()) =>
            {
                self.operation == operation
                    || (service == "s3" && s3::method_of(operation) == Some(method))
            }
            Some((s, op)) if !op.is_empty() => s == service && op == operation,
            _ => self.operation == operation,
        }
    }

    /// The message of the answer.
    pub fn message_for(&self, service: &str, operation: &str) -> String {
        if let Some(message) = &self.message {
            return message.clone();
        }
        if self.code.contains("Unauthorized") || self.code.starts_with("AccessDenied") {
            return format!(
                "User: arn:aws:iam::123456789012:user/test is not authorized to perform: \
                 {service}:{operation} because no identity-based policy allows the \
                 {service}:{operation} action"
            );
        }
        format!("{} (injected by infra-test-proxy)", self.code)
    }
}

impl fmt::Display for FailRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}:{}", self.operation, self.status, self.code)?;
        if let Some(n) = self.times {
            write!(f, "x{n}")?;
        }
        if let Some(m) = &self.message {
            write!(f, ":{m}")?;
        }
        Ok(())
    }
}

/// The random fault rates, each a probability from 0 to 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    /// Throttling errors.
    pub throttle: f64,
    /// 5xx errors.
    pub server_error: f64,
    /// Dropped connections.
    pub drop: f64,
    /// When set, random faults hit only these operations.
    pub only: Option<BTreeSet<String>>,
}

impl Rates {
    /// Checks every rate is in `[0, 1]` and their sum at most 1.
    pub fn check(&self) -> Result<(), ProxyError> {
        for (name, rate) in [
            ("throttle", self.throttle),
            ("server-error", self.server_error),
            ("drop", self.drop),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(ProxyError::BadRate {
                    name,
                    rate: rate.to_string(),
                });
            }
        }
        let total = self.throttle + self.server_error + self.drop;
        if total > 1.0 {
            return Err(ProxyError::BadRate {
                name: "total",
                rate: total.to_string(),
            });
        }
        Ok(())
    }

    /// The random fate of the `index`-th request (from 0) of `operation`.
    pub fn draw(&self, seed: u64, operation: &str, index: u64) -> Fate {
        if self
            .only
            .as_ref()
            .is_some_and(|only| !only.contains(operation))
        {
            return Fate::Forward;
        }
        let bits = mix(seed ^ fnv1a(operation.as_bytes()) ^ mix(index.wrapping_add(1)));
        let u = unit(bits);
        if u < self.throttle {
            Fate::Throttle
        } else if u < self.throttle + self.server_error {
            Fate::ServerError(if bits & 1 == 0 { 500 } else { 503 })
        } else if u < self.throttle + self.server_error + self.drop {
            Fate::Drop
        } else {
            Fate::Forward
        }
    }
}

/// splitmix64's finaliser: a well-mixed 64-bit value from any 64-bit value.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to turn an operation name into 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// A number in `[0, 1)` from the top 53 bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
#[path = "faults_tests.rs"]
mod tests;
