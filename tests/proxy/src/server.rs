//! The HTTP side: accepting connections, the control endpoints (`GET /__proxy/counts`,
//! `POST /__proxy/reset`), applying each request's latency and fate, and forwarding.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderName};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::emulation;
use crate::faults::{Fate, Rates};
use crate::operation::{RequestParts, identify};
use crate::responses;
use crate::stats::Snapshot;
use crate::{LatencyModel, ProxyConfig, scaled};

/// How long the upstream may take to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// State shared by the proxy's handle and its connections.
#[derive(Debug)]
pub(crate) struct Shared {
    upstream: SocketAddr,
    seed: u64,
    rates: Rates,
    latency: Option<LatencyModel>,
    scale: Option<f64>,
    counts: Mutex<Snapshot>,
    /// Where each request's times go, and when the proxy started.
    trace: Option<Mutex<std::fs::File>>,
    started: Instant,
    /// Per operation: how many requests came so far (never reset; it drives the draws) and
    /// how many times each rule has fired.
    draws: Mutex<Draws>,
}

#[derive(Debug)]
struct Draws {
    seen: HashMap<String, u64>,
    rules: Vec<(crate::FailRule, u64)>,
}

/// The connection is closed without an answer (hyper closes it when the service fails).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by infra-test-proxy")
    }
}

impl std::error::Error for Dropped {}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn new(
        upstream: SocketAddr,
        rates: Rates,
        config: ProxyConfig,
        trace: Option<std::fs::File>,
    ) -> Shared {
        Shared {
            upstream,
            seed: config.seed,
            rates,
            latency: config.latency,
            scale: config.scale,
            counts: Mutex::new(Snapshot::default()),
            trace: trace.map(Mutex::new),
            started: Instant::now(),
            draws: Mutex::new(Draws {
                seen: HashMap::new(),
                rules: config.rules.into_iter().map(|r| (r, 0)).collect(),
            }),
        }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        lock(&self.counts).clone()
    }

    pub(crate) fn reset(&self) {
        *lock(&self.counts) = Snapshot::default();
    }

    /// Counts the request and decides its fate.
    fn decide(&self, service: &str, operation: &str) -> Fate {
        lock(&self.counts).count(service, operation);
        let fate = {
            let mut draws = lock(&self.draws);
            let rule = draws.rules.iter_mut().find(|(rule, fired)| {
                rule.matches(service, operation) && rule.times.is_none_or(|n| *fired < n)
            });
            if let Some((rule, fired)) = rule {
                *fired += 1;
                Fate::Fail {
                    status: rule.status,
                    code: rule.code.clone(),
                    message: rule.message_for(service, operation),
                }
            } else {
                let seen = draws.seen.entry(operation.to_owned()).or_default();
                let index = *seen;
                *seen += 1;
                self.rates.draw(self.seed, operation, index)
            }
        };
        let mut counts = lock(&self.counts);
        match fate {
            Fate::Forward => {}
            Fate::Throttle => counts.faults.throttles += 1,
            Fate::ServerError(_) => counts.faults.server_errors += 1,
            Fate::Drop => counts.faults.drops += 1,
            Fate::Fail { .. } => counts.faults.rule_failures += 1,
        }
        fate
    }

    /// Writes one request's line to the trace, when there is one (a failed write is ignored:
    /// the trace is a diagnostic).
    fn trace(&self, came: Instant, upstream: Duration, service: &str, operation: &str) {
        if let Some(file) = &self.trace {
            let ms = |t: Instant| t.duration_since(self.started).as_secs_f64() * 1000.0;
            let line = format!(
                "{:.1} {:.1} {:.1} {service} {operation}\n",
                ms(came),
                ms(Instant::now()),
                upstream.as_secs_f64() * 1000.0
            );
            let _ = lock(file).write_all(line.as_bytes());
        }
    }

    /// The latency of one request.
    fn delay(&self, service: &str, operation: &str, forwarded: bool) -> Duration {
        match &self.latency {
            None => Duration::ZERO,
            Some(model) if forwarded => model.delay(service, operation, self.scale),
            Some(model) => scaled(
                model.api_call_seconds,
                self.scale.unwrap_or(model.divide_by),
            ),
        }
    }
}

/// Accepts connections until `stop` fires.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let stream = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: try again shortly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&shared), req));
            // An error here is a dropped connection or a client that went away.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    if let Some(control) = req.uri().path().strip_prefix("/__proxy/") {
        return Ok(control_endpoint(&shared, req.method().as_str(), control));
    }
    let came = Instant::now();
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    let header = |name: HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let operation = identify(&RequestParts {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        host: header(HOST).or_else(|| parts.uri.authority().map(|a| a.as_str())),
        authorization: header(AUTHORIZATION),
        target: header(HeaderName::from_static("x-amz-target")),
        content_type: header(CONTENT_TYPE),
        body: &body,
    });
    let fate = shared.decide(&operation.service, &operation.name);
    let delay = shared.delay(&operation.service, &operation.name, fate == Fate::Forward);
    let protocol = operation.protocol;
    if fate != Fate::Forward && !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fate {
        Fate::Forward => {
            // The model's seconds are the whole time of the call as a client sees it: the
            // emulator works inside them, not on top of them (the answer comes when both are
            // done).
            let identifiers = emulation::log_group_identifiers(&operation.name, &body);
            let request = Request::from_parts(parts, body);
            let upstream = async {
                let response = forward(&shared, request, identifiers).await;
                (response, came.elapsed())
            };
            let ((response, upstream), ()) = tokio::join!(upstream, tokio::time::sleep(delay));
            shared.trace(came, upstream, &operation.service, &operation.name);
            Ok(response)
        }
        Fate::Throttle => {
            let (status, code) = responses::throttling(protocol);
            Ok(responses::error(protocol, status, code, "Rate exceeded"))
        }
        Fate::ServerError(status) => Ok(responses::error(
            protocol,
            status,
            responses::server_error_code(protocol, status),
            "We encountered an internal error. Please try again.",
        )),
        Fate::Drop => Err(Dropped),
        Fate::Fail {
            status,
            code,
            message,
        } => Ok(responses::error(protocol, status, &code, &message)),
    }
}

fn control_endpoint(shared: &Shared, method: &str, path: &str) -> Response<Full<Bytes>> {
    match (method, path) {
        ("GET", "counts") => match serde_json::to_string_pretty(&shared.snapshot()) {
            Ok(json) => responses::text(200, "application/json", json),
            Err(e) => responses::text(500, "text/plain", e.to_string()),
        },
        ("POST", "reset") => {
            shared.reset();
            responses::text(200, "application/json", "{\"reset\": true}".to_owned())
        }
        _ => responses::text(
            404,
            "text/plain",
            "infra-test-proxy: GET /__proxy/counts or POST /__proxy/reset\n".to_owned(),
        ),
    }
}

/// Sends the request to the upstream on a new connection, verbatim, and returns its answer
/// (a 502 when the upstream does not answer). A `DescribeLogGroups` by `identifiers` is
/// answered as AWS answers it ([`emulation`]).
async fn forward(
    shared: &Shared,
    req: Request<Bytes>,
    identifiers: Option<Vec<String>>,
) -> Response<Full<Bytes>> {
    let upstream = shared.upstream;
    let answer = match identifiers {
        Some(identifiers) => {
            emulation::describe_log_groups(req, &identifiers, |page| try_forward(upstream, page))
                .await
        }
        None => try_forward(upstream, req).await,
    };
    match answer {
        Ok(response) => response.map(Full::new),
        Err(e) => {
            lock(&shared.counts).upstream_errors += 1;
            responses::text(
                502,
                "text/plain",
                format!(
                    "infra-test-proxy: upstream {} failed: {e}\n",
                    shared.upstream
                ),
            )
        }
    }
}

async fn try_forward(
    upstream: SocketAddr,
    req: Request<Bytes>,
) -> Result<Response<Bytes>, Box<dyn std::error::Error + Send + Sync>> {
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(upstream))
        .await
        .map_err(|_| "connect timed out")??;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let (mut parts, body) = req.into_parts();
    // Origin form (`/path?query`), as the client sent it; the Host header is left as it was.
    if let Some(pq) = parts.uri.path_and_query().cloned() {
        parts.uri = hyper::Uri::from(pq);
    }
    let response = sender
        .send_request(Request::from_parts(parts, Full::new(body)))
        .await?;
    let (mut parts, body) = response.into_parts();
    let body = body.collect().await?.to_bytes();
    // The body is sent whole (hyper adds its length when the upstream sent none), on the
    // client's kept-alive connection.
    for hop in ["connection", "keep-alive", "transfer-encoding"] {
        parts.headers.remove(hop);
    }
    Ok(Response::from_parts(parts, body))
}
