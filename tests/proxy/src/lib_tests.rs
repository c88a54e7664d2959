use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener as StdListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::*;

const EC2_AUTH: &str = "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/ec2/aws4_request, \
                        SignedHeaders=host;x-amz-date, Signature=abc";

/// A loopback HTTP server that answers `200 ok` to everything and reports each raw request.
fn fake_upstream() -> (String, mpsc::Receiver<String>) {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut head = String::new();
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                let _ = tx.send(format!("{head}{}", String::from_utf8_lossy(&body)));
                let mut stream = reader.into_inner();
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                );
            });
        }
    });
    (endpoint, rx)
}

/// Sends one request and returns everything the proxy wrote back.
fn send(proxy: &Proxy, request: &str) -> String {
    let mut stream = TcpStream::connect(proxy.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("write");
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn ec2_request(action: &str) -> String {
    let body = format!("Action={action}&Version=2016-11-15");
    format!(
        "POST / HTTP/1.1\r\nHost: ec2.example.test:4566\r\nAuthorization: {EC2_AUTH}\r\n\
         Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn requests_are_forwarded_verbatim_and_counted() {
    let (upstream, received) = fake_upstream();
    let proxy = Proxy::spawn(ProxyConfig::new(upstream)).expect("proxy");
    let answer = send(&proxy, &ec2_request("DescribeVpcs"));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "{answer}");
    let raw = received
        .recv_timeout(Duration::from_secs(5))
        .expect("forwarded");
    assert!(raw.starts_with("POST / HTTP/1.1\r\n"), "{raw}");
    assert!(
        raw.to_ascii_lowercase()
            .contains("host: ec2.example.test:4566\r\n"),
        "{raw}"
    );
    assert!(raw.contains(EC2_AUTH), "{raw}");
    assert!(
        raw.ends_with("Action=DescribeVpcs&Version=2016-11-15"),
        "{raw}"
    );
    assert_eq!(proxy.counts(), [("DescribeVpcs".to_owned(), 1)].into());
    assert_eq!(proxy.service_counts(), [("ec2".to_owned(), 1)].into());
    assert_eq!(proxy.faults_injected(), FaultCounts::default());
    proxy.reset_counts();
    assert!(proxy.counts().is_empty());
}

#[test]
fn faults_are_answered_by_the_proxy_and_never_forwarded() {
    let (upstream, received) = fake_upstream();
    let proxy = Proxy::spawn(ProxyConfig {
        throttle_rate: 1.0,
        ..ProxyConfig::new(upstream)
    })
    .expect("proxy");
    let answer = send(&proxy, &ec2_request("CreateVpc"));
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.contains("<Code>RequestLimitExceeded</Code>"),
        "{answer}"
    );
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "not forwarded"
    );
    assert_eq!(proxy.faults_injected().throttles, 1);
    assert_eq!(proxy.counts()["CreateVpc"], 1);
}

#[test]
fn dropped_connections_get_no_answer() {
    let (upstream, received) = fake_upstream();
    let proxy = Proxy::spawn(ProxyConfig {
        drop_rate: 1.0,
        ..ProxyConfig::new(upstream)
    })
    .expect("proxy");
    assert_eq!(send(&proxy, &ec2_request("CreateVpc")), "");
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "not forwarded"
    );
    assert_eq!(proxy.faults_injected().drops, 1);
}

#[test]
fn rules_fail_n_times_then_forward() {
    let (upstream, _received) = fake_upstream();
    let proxy = Proxy::spawn(ProxyConfig {
        rules: vec![FailRule::parse("CreateVpc=403:UnauthorizedOperationx2").expect("rule")],
        ..ProxyConfig::new(upstream)
    })
    .expect("proxy");
    for _ in 0..2 {
        let answer = send(&proxy, &ec2_request("CreateVpc"));
        assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
        assert!(
            answer.contains("<Code>UnauthorizedOperation</Code>"),
            "{answer}"
        );
        assert!(
            answer.contains("not authorized to perform: ec2:CreateVpc"),
            "{answer}"
        );
    }
    assert!(send(&proxy, &ec2_request("CreateVpc")).starts_with("HTTP/1.1 200"));
    assert!(send(&proxy, &ec2_request("DescribeVpcs")).starts_with("HTTP/1.1 200"));
    assert_eq!(proxy.faults_injected().rule_failures, 2);
}

#[test]
fn control_endpoints_answer_and_reset_the_counts() {
    let (upstream, _received) = fake_upstream();
    let proxy = Proxy::spawn(ProxyConfig::new(upstream)).expect("proxy");
    send(&proxy, &ec2_request("DescribeVpcs"));
    let answer = send(
        &proxy,
        "GET /__proxy/counts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(body).expect(body);
    assert_eq!(json["operations"]["DescribeVpcs"], 1, "{json}");
    assert_eq!(json["services"]["ec2"], 1, "{json}");
    assert_eq!(json["requests"], 1, "{json}");
    assert_eq!(json["faults"]["throttles"], 0, "{json}");
    let answer = send(
        &proxy,
        "POST /__proxy/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(proxy.snapshot(), Snapshot::default());
}

#[test]
fn latency_follows_the_model_and_the_scale() {
    let (upstream, _received) = fake_upstream();
    let model = LatencyModel::from_json(
        r#"{"api_call_seconds": 0, "scale_for_benchmarks": {"divide_by": 60},
            "types": {"AWS::EC2::VPC": {"create": 30, "update": 1, "delete": 1}}}"#,
    )
    .expect("model");
    let proxy = Proxy::spawn(ProxyConfig {
        latency: Some(model),
        scale: Some(100.0),
        ..ProxyConfig::new(upstream)
    })
    .expect("proxy");
    let started = Instant::now();
    send(&proxy, &ec2_request("CreateVpc"));
    let slow = started.elapsed();
    let started = Instant::now();
    send(&proxy, &ec2_request("DescribeVpcs"));
    let fast = started.elapsed();
    assert!(
        slow >= Duration::from_millis(300),
        "CreateVpc took {slow:?}"
    );
    assert!(
        fast < Duration::from_millis(250),
        "DescribeVpcs took {fast:?}"
    );
}

#[test]
fn only_loopback_upstreams_are_accepted() {
    for url in [
        "http://10.0.0.1:80",
        "http://example.com:80",
        "https://127.0.0.1:5000",
        "http://127.0.0.1",
        "http://127.0.0.1:5000/path",
        "127.0.0.1:5000",
    ] {
        assert!(
            matches!(
                Proxy::spawn(ProxyConfig::new(url)),
                Err(ProxyError::BadUpstream { .. })
            ),
            "{url}"
        );
    }
    for url in [
        "http://127.0.0.1:5000",
        "http://localhost:5000/",
        "http://[::1]:5000",
    ] {
        assert!(parse_upstream(url).is_ok(), "{url}");
    }
}

#[test]
fn bad_rates_and_scales_are_refused() {
    let bad = ProxyConfig {
        throttle_rate: 1.2,
        ..ProxyConfig::new("http://127.0.0.1:1")
    };
    assert!(matches!(Proxy::spawn(bad), Err(ProxyError::BadRate { .. })));
    let bad = ProxyConfig {
        scale: Some(0.0),
        ..ProxyConfig::new("http://127.0.0.1:1")
    };
    assert!(matches!(Proxy::spawn(bad), Err(ProxyError::BadScale(_))));
}

#[test]
fn an_upstream_that_does_not_answer_is_a_502() {
    let port = StdListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let proxy = Proxy::spawn(ProxyConfig::new(format!("http://127.0.0.1:{port}"))).expect("proxy");
    let answer = send(&proxy, &ec2_request("DescribeVpcs"));
    assert!(answer.starts_with("HTTP/1.1 502"), "{answer}");
    assert_eq!(proxy.snapshot().upstream_errors, 1);
}
