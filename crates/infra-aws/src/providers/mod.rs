//! Resource providers, one module per service (and within it one per resource type), and
//! [`all`], which builds each service's client once and registers its providers.

pub mod ec2;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;

/// Every provider, with clients built from `config`.
pub fn all(config: &SdkConfig) -> Providers {
    let mut providers = Providers::default();

    let ec2_client = aws_sdk_ec2::Client::new(config);
    ec2::register(
        &mut providers,
        &ec2_client,
        &endpoint_for(config, "ec2", None),
    );

    providers
}
