//! The proxy's injected errors, read by the real AWS SDK clients: each protocol's error shape
//! yields the error code the proxy meant, throttling and 5xx and dropped connections are
//! retried by the SDK's standard mode, and rule errors are not.

use std::net::TcpListener;
use std::time::Duration;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use infra_test_proxy::{FailRule, Proxy, ProxyConfig};

/// A loopback URL where nothing listens: every request that reached it would fail.
fn nowhere() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    format!("http://127.0.0.1:{port}")
}

fn proxy(config: impl FnOnce(ProxyConfig) -> ProxyConfig) -> Proxy {
    Proxy::spawn(config(ProxyConfig::new(nowhere()))).expect("proxy")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// An SDK configuration pointing at `proxy`: standard retries, 3 attempts, short backoff.
async fn sdk(proxy: &Proxy) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(proxy.endpoint())
        .credentials_provider(aws_credential_types::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .load()
        .await
}

/// The error code each client reads, and how many requests the proxy saw for `operation`.
fn codes(proxy: &Proxy) -> Vec<(&'static str, Option<String>, u64)> {
    let rt = runtime();
    rt.block_on(async {
        let config = sdk(proxy).await;
        let ec2 = aws_sdk_ec2::Client::new(&config)
            .describe_vpcs()
            .send()
            .await
            .expect_err("ec2");
        let iam = aws_sdk_iam::Client::new(&config)
            .get_role()
            .role_name("r")
            .send()
            .await
            .expect_err("iam");
        let ecs = aws_sdk_ecs::Client::new(&config)
            .list_clusters()
            .send()
            .await
            .expect_err("ecs");
        let lambda = aws_sdk_lambda::Client::new(&config)
            .get_function()
            .function_name("f")
            .send()
            .await
            .expect_err("lambda");
        let counts = proxy.counts();
        let n = |op: &str| counts.get(op).copied().unwrap_or_default();
        vec![
            (
                "DescribeVpcs",
                ec2.code().map(str::to_owned),
                n("DescribeVpcs"),
            ),
            ("GetRole", iam.code().map(str::to_owned), n("GetRole")),
            (
                "ListClusters",
                ecs.code().map(str::to_owned),
                n("ListClusters"),
            ),
            (
                "GetFunction",
                lambda.code().map(str::to_owned),
                n("GetFunction"),
            ),
        ]
    })
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

#[test]
fn throttling_errors_read_as_each_protocol_s_code_and_are_retried() {
    let proxy = proxy(|c| ProxyConfig {
        throttle_rate: 1.0,
        ..c
    });
    assert_eq!(
        codes(&proxy),
        vec![
            ("DescribeVpcs", some("RequestLimitExceeded"), 3),
            ("GetRole", some("Throttling"), 3),
            ("ListClusters", some("ThrottlingException"), 3),
            ("GetFunction", some("TooManyRequestsException"), 3),
        ]
    );
    assert_eq!(proxy.faults_injected().throttles, 12);
}

#[test]
fn server_errors_read_as_internal_errors_and_are_retried() {
    let proxy = proxy(|c| ProxyConfig {
        server_error_rate: 1.0,
        ..c
    });
    for (operation, code, requests) in codes(&proxy) {
        assert_eq!(requests, 3, "{operation}");
        let code = code.unwrap_or_default();
        assert!(
            [
                "InternalError",
                "Unavailable",
                "ServiceUnavailable",
                "InternalFailure",
                "ServiceUnavailableException",
                "ServiceException",
            ]
            .contains(&code.as_str()),
            "{operation}: {code}"
        );
    }
}

#[test]
fn dropped_connections_are_dispatch_failures_and_are_retried() {
    let proxy = proxy(|c| ProxyConfig {
        drop_rate: 1.0,
        ..c
    });
    for (operation, code, requests) in codes(&proxy) {
        assert_eq!((code, requests), (None, 3), "{operation}");
    }
}

#[test]
fn rule_errors_carry_their_code_and_are_not_retried() {
    let proxy = proxy(|c| ProxyConfig {
        rules: ["DescribeVpcs", "GetRole", "ListClusters", "GetFunction"]
            .iter()
            .map(|op| FailRule::parse(&format!("{op}=403:AccessDenied")).expect("rule"))
            .collect(),
        ..c
    });
    assert_eq!(
        codes(&proxy),
        vec![
            ("DescribeVpcs", some("AccessDenied"), 1),
            ("GetRole", some("AccessDenied"), 1),
            ("ListClusters", some("AccessDenied"), 1),
            ("GetFunction", some("AccessDenied"), 1),
        ]
    );
    let rt = runtime();
    let message = rt.block_on(async {
        let config = sdk(&proxy).await;
        let err = aws_sdk_ec2::Client::new(&config)
            .describe_vpcs()
            .send()
            .await
            .expect_err("denied");
        err.message().map(str::to_owned).unwrap_or_default()
    });
    assert!(
        message.contains("is not authorized to perform: ec2:DescribeVpcs"),
        "{message}"
    );
}
