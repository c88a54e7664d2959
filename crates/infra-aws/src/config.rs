//! Loading the AWS configuration: region, credentials, endpoint, timeouts and retries.
//!
//! The standard chain of `aws-config` applies: environment variables (`AWS_REGION`,
//! `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, ...), the shared config and
//! credentials files, SSO, web identity, container and instance credentials. The command line
//! (`--region`, `--profile`, `--endpoint-url`) wins over all of them.
//!
//! Retries use the standard mode (3 attempts, exponential backoff with jitter), unless
//! `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` or the profile say otherwise. Timeouts: a connection
//! must be made within [`CONNECT_TIMEOUT`] and an operation, retries included, must finish
//! within [`OPERATION_TIMEOUT`], so an endpoint that cannot be reached fails within about 15 s
//! with an error that names it.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::error::AwsError;

/// How long to wait for a TCP (and TLS) connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long one operation may take, all its retries included.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(14);

/// What the command line says about where and as whom to call AWS. `None` leaves the choice
/// to the standard chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--endpoint-url` (otherwise `AWS_ENDPOINT_URL` or the profile's `endpoint_url`).
    pub endpoint_url: Option<String>,
}

/// The timeouts every client gets.
pub fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// Loads the configuration through the standard chain, with the command line's settings on
/// top. Fails when no region is configured anywhere or the endpoint URL is not an http(s) URL.
/// Credentials are resolved lazily, on the first call that needs them.
pub async fn load_config(settings: &AwsSettings) -> Result<SdkConfig, AwsError> {
    let profile = non_empty(&settings.profile);
    let region = non_empty(&settings.region);
    let endpoint = non_empty(&settings.endpoint_url);

    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeout_config());
    if let Some(profile) = &profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &endpoint {
        check_endpoint(url)?;
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;

    if config.region().is_none_or(|r| r.as_ref().is_empty()) {
        return Err(AwsError::NoRegion { profile });
    }
    if let Some(url) = config.endpoint_url() {
        check_endpoint(url)?;
    }
    if config.retry_config().is_none() {
        let mut builder = config.into_builder();
        builder.set_retry_config(Some(RetryConfig::standard()));
        return Ok(builder.build());
    }
    Ok(config)
}

/// An S3 client of `config`: path-style addressing when an endpoint is set (an emulator or a
/// private endpoint has no per-bucket host names), virtual-hosted otherwise, as AWS prefers.
pub fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build(),
    )
}

/// The endpoint a client of `service` (its endpoint prefix: `sts`, `ec2`, `ssm`, ...) built
/// from `config` sends requests to in `region` (the config's region when `None`): the
/// configured endpoint URL, or AWS's regional endpoint. Used to name the endpoint in errors.
pub fn endpoint_for(config: &SdkConfig, service: &str, region: Option<&str>) -> String {
    if let Some(url) = config.endpoint_url() {
        return url.to_owned();
    }
    let region = region
        .map(str::to_owned)
        .or_else(|| config.region().map(|r| r.as_ref().to_owned()))
        .unwrap_or_else(|| "us-east-1".into());
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{service}.{region}.{suffix}")
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An endpoint URL must be `http://` or `https://` followed by a host.
pub fn check_endpoint(url: &str) -> Result<(), AwsError> {
    let invalid = |reason: &str| AwsError::InvalidEndpoint {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| invalid("it must start with http:// or https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(invalid("it names no host"));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(invalid("it contains white space"));
    }
    Ok(())
}
