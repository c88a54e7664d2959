//! Resource providers, one module per service (and within it one per resource type), and
//! [`all`], which builds each service's client once and registers its providers.

pub mod compute;
pub mod ec2;
pub mod ecs;
pub mod elbv2;
pub mod iam;
pub mod logs;

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

    let ecs_client = aws_sdk_ecs::Client::new(config);
    ecs::register(
        &mut providers,
        &ecs_client,
        &endpoint_for(config, "ecs", None),
    );

    let elbv2_client = aws_sdk_elasticloadbalancingv2::Client::new(config);
    elbv2::register(&mut providers, &elbv2_client);

    let iam_client = aws_sdk_iam::Client::new(config);
    iam::register(&mut providers, &iam_client);

    let logs_client = aws_sdk_cloudwatchlogs::Client::new(config);
    logs::register(&mut providers, &logs_client);

    compute::register(&mut providers, config);

    providers
}
