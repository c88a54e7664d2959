//! AWS SDK configuration for test targets that check the emulator with SDK clients of their own
//! (they have the SDK crates as dev-dependencies; `support/mod.rs` stays standard-library only).
//! Include it beside `support` with `#[path = "support/sdk.rs"] mod sdk;`.

#![allow(dead_code)]

/// A configuration that points every client at the emulator at `endpoint`, in `us-east-1`,
/// with test credentials and nothing from the user's own AWS configuration.
pub fn config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("testing", "testing", None, None, "test"),
            ),
        )
        .build()
}

/// A single-threaded runtime for the SDK calls of a synchronous test.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// An S3 client of the emulator (path-style addressing: the emulator has no bucket hosts).
pub fn s3(endpoint: &str) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config(endpoint))
            .force_path_style(true)
            .build(),
    )
}
