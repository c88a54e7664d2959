//! A fault-injecting HTTP proxy between `infra` and the AWS API emulator, for tests and
//! benchmarks.
//!
//! Point `AWS_ENDPOINT_URL` at [`Proxy::endpoint`]; each request is identified ([`identify`]:
//! service and operation), counted, delayed by the latency model ([`LatencyModel`], with the
//! operation table in [`mapping`]), and then either forwarded verbatim to the upstream (Host
//! header, path and body untouched, so SigV4 signatures stay valid) or answered by the proxy
//! with a fault: a throttling error, a 5xx, a dropped connection, or a [`FailRule`]'s error.
//! Faults are decided before forwarding, so a faulted request never reaches the emulator and
//! never creates anything. A forwarded request's latency runs while the emulator works on it
//! (the answer comes when both are done). Where the emulator answers differently from AWS in a
//! way that changes what a client must do, the proxy answers as AWS does (`emulation`).
//!
//! ```no_run
//! use infra_test_proxy::{Proxy, ProxyConfig};
//! let proxy = Proxy::spawn(ProxyConfig {
//!     seed: 7,
//!     throttle_rate: 0.2,
//!     server_error_rate: 0.05,
//!     ..ProxyConfig::new("http://127.0.0.1:5000")
//! })
//! .expect("proxy");
//! // ... run infra with AWS_ENDPOINT_URL=proxy.endpoint() ...
//! assert!(proxy.faults_injected().throttles > 0);
//! ```
//!
//! Only loopback addresses are used: the proxy listens on 127.0.0.1 and refuses an upstream
//! that is not a loopback address.

mod emulation;
mod faults;
mod latency;
pub mod mapping;
mod operation;
mod responses;
mod server;
mod stats;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

pub use faults::{FailRule, Fate, Rates};
pub use latency::{LatencyModel, TypeLatency, scaled};
pub use mapping::{Lifecycle, OperationMapping, operations_for, resource_operation};
pub use operation::{Operation, Protocol, RequestParts, identify, signing_service};
pub use stats::{FaultCounts, Snapshot};

/// What went wrong setting the proxy up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyError {
    /// The upstream URL is not `http://HOST:PORT` with a loopback host.
    #[error("invalid upstream `{url}`: {reason}")]
    BadUpstream {
        /// The URL as given.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// A fault rate outside `[0, 1]` (or rates adding up to more than 1).
    #[error("the {name} rate must be between 0 and 1, not {rate}")]
    BadRate {
        /// Which rate.
        name: &'static str,
        /// The value given.
        rate: String,
    },
    /// A `--fail` rule that cannot be read.
    #[error("invalid rule `{spec}`: {reason}")]
    BadRule {
        /// The rule as given.
        spec: String,
        /// Why.
        reason: String,
    },
    /// The latency scale is not a positive number.
    #[error("the latency scale must be a number > 0, not {0}")]
    BadScale(String),
    /// The latency model file cannot be read.
    #[error("cannot read the latency model {}: {source}", .path.display())]
    ReadModel {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The latency model file is not a latency model.
    #[error("invalid latency model {}: {reason}", .path.display())]
    BadModel {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The listening socket or the proxy's runtime could not be set up.
    #[error("cannot start the proxy: {0}")]
    Start(#[source] std::io::Error),
    /// The trace file cannot be created.
    #[error("cannot create the trace file {}: {source}", .path.display())]
    Trace {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// How the proxy behaves.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// Where requests go: `http://127.0.0.1:PORT` (loopback only).
    pub upstream: String,
    /// The port to listen on, on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed of the fault draws.
    pub seed: u64,
    /// Share of requests answered with a throttling error, 0 to 1.
    pub throttle_rate: f64,
    /// Share of requests answered with a 500 or 503, 0 to 1.
    pub server_error_rate: f64,
    /// Share of requests whose connection is closed without an answer, 0 to 1.
    pub drop_rate: f64,
    /// When set, the random faults above hit only these operations.
    pub faults_only: Option<BTreeSet<String>>,
    /// Rules that fail named operations; checked before the random faults.
    pub rules: Vec<FailRule>,
    /// The latency model; `None` adds no latency.
    pub latency: Option<LatencyModel>,
    /// What to divide the model's seconds by; `None` uses the model's own `divide_by`.
    pub scale: Option<f64>,
    /// When set, a line per request is written to this file: when it came and when it was
    /// answered (milliseconds since the proxy started), the emulator's own milliseconds,
    /// service and operation. Where the time of a run goes.
    pub trace: Option<PathBuf>,
}

impl ProxyConfig {
    /// A proxy to `upstream` that forwards everything, adds nothing, seed 0.
    pub fn new(upstream: impl Into<String>) -> ProxyConfig {
        ProxyConfig {
            upstream: upstream.into(),
            port: 0,
            seed: 0,
            throttle_rate: 0.0,
            server_error_rate: 0.0,
            drop_rate: 0.0,
            faults_only: None,
            rules: Vec::new(),
            latency: None,
            scale: None,
            trace: None,
        }
    }

    fn rates(&self) -> Rates {
        Rates {
            throttle: self.throttle_rate,
            server_error: self.server_error_rate,
            drop: self.drop_rate,
            only: self.faults_only.clone(),
        }
    }
}

/// A running proxy on 127.0.0.1; it stops when dropped.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Starts a proxy on its own thread with its own runtime, listening on 127.0.0.1.
    pub fn spawn(config: ProxyConfig) -> Result<Proxy, ProxyError> {
        let upstream = parse_upstream(&config.upstream)?;
        let rates = config.rates();
        rates.check()?;
        if let Some(scale) = config.scale
            && !(scale.is_finite() && scale > 0.0)
        {
            return Err(ProxyError::BadScale(scale.to_string()));
        }
        let listener =
            TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).map_err(ProxyError::Start)?;
        listener.set_nonblocking(true).map_err(ProxyError::Start)?;
        let addr = listener.local_addr().map_err(ProxyError::Start)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ProxyError::Start)?;
        let trace = match &config.trace {
            Some(path) => {
                Some(
                    std::fs::File::create(path).map_err(|source| ProxyError::Trace {
                        path: path.clone(),
                        source,
                    })?,
                )
            }
            None => None,
        };
        let shared = Arc::new(server::Shared::new(upstream, rates, config, trace));
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("infra-test-proxy-{}", addr.port()))
            .spawn(move || runtime.block_on(server::serve(listener, serving, stop)))
            .map_err(ProxyError::Start)?;
        Ok(Proxy {
            addr,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests per operation since the start or the last reset, faulted ones included.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.shared.snapshot().operations
    }

    /// Requests per service (signing name) since the start or the last reset.
    pub fn service_counts(&self) -> BTreeMap<String, u64> {
        self.shared.snapshot().services
    }

    /// Faults injected since the start or the last reset.
    pub fn faults_injected(&self) -> FaultCounts {
        self.shared.snapshot().faults
    }

    /// Everything counted since the start or the last reset.
    pub fn snapshot(&self) -> Snapshot {
        self.shared.snapshot()
    }

    /// Sets every count to zero. Fault draws go on from where they were (see [`Rates::draw`]).
    pub fn reset_counts(&self) {
        self.shared.reset();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The loopback address of `http://HOST:PORT[/]`.
fn parse_upstream(url: &str) -> Result<SocketAddr, ProxyError> {
    let bad = |reason: &str| ProxyError::BadUpstream {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| bad("it must start with http://"))?;
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#', '@']) {
        return Err(bad("only http://HOST:PORT is supported"));
    }
    let (host, port) = authority
        .rsplit_once(':')
        .ok_or_else(|| bad("it names no port"))?;
    let port: u16 = port.parse().map_err(|_| bad("the port is not a number"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse()
            .map_err(|_| bad("the host must be a loopback IP address or localhost"))?
    };
    if !ip.is_loopback() {
        return Err(bad("the proxy only forwards to loopback addresses"));
    }
    Ok(SocketAddr::new(ip, port))
}

#[cfg(test)]
#[path = "lib_tests.rs"]
mod tests;
