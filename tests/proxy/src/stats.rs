//! What the proxy counts: requests per operation and per service, faults by kind.

use std::collections::BTreeMap;

use serde::Serialize;

/// Faults injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FaultCounts {
    /// Throttling errors.
    pub throttles: u64,
    /// 500 and 503 errors.
    pub server_errors: u64,
    /// Connections closed without an answer.
    pub drops: u64,
    /// Errors of [`FailRule`](crate::FailRule)s.
    pub rule_failures: u64,
}

impl FaultCounts {
    /// All of them.
    pub fn total(&self) -> u64 {
        self.throttles + self.server_errors + self.drops + self.rule_failures
    }
}

/// Everything counted since the start or the last reset; `GET /__proxy/counts` answers it as
/// JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Requests, faulted ones included.
    pub requests: u64,
    /// Requests per operation.
    pub operations: BTreeMap<String, u64>,
    /// Requests per service (signing name).
    pub services: BTreeMap<String, u64>,
    /// Faults injected.
    pub faults: FaultCounts,
    /// Forwarded requests the upstream did not answer (the proxy answered 502).
    pub upstream_errors: u64,
}

impl Snapshot {
    /// Counts one request.
    pub(crate) fn count(&mut self, service: &str, operation: &str) {
        self.requests += 1;
        *self.operations.entry(operation.to_owned()).or_default() += 1;
        *self.services.entry(service.to_owned()).or_default() += 1;
    }
}
