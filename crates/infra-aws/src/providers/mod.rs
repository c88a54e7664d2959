//! Resource providers, one module per service (and within it one per resource type), and
//! [`all`], which builds each service's client once and registers its providers ([`catalog`]
//! registers the same providers for listing them, with clients that never call AWS).

pub mod cloudwatch;
pub mod compute;
pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod elbv2;
pub mod events;
pub mod iam;
pub(crate) mod kit;
pub mod kms;
pub mod logs;
pub mod route53;
pub mod s3;
pub mod scaling;
pub mod secretsmanager;
pub mod servicediscovery;
pub mod sns;
pub mod sqs;
pub mod ssm;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;

/// The top-level properties of `type_name` that its provider refuses whatever their value (it
/// fails with "… is not supported yet" at apply), so that `validate`, `plan` and `apply` can
/// report them before any AWS call. Refusals of nested paths, or that depend on the value or on
/// a change, are left to apply. Empty for a type with none (IAM and Elastic Load Balancing map
/// every top-level property they document) or that infra does not provide.
///
/// The names are the generated table of the mappings' `refuse` tables
/// ([`crate::generated::REFUSED`]), which the family's own check reads too (its generated keys),
/// so the two cannot disagree.
pub fn refused_properties(type_name: &str) -> &'static [&'static str] {
    let mut table = crate::generated::REFUSED.iter();
    table
        .find(|(t, _)| *t == type_name)
        .map_or(&[], |(_, names)| names)
}

/// Every provider, with clients built from `config`.
pub fn all(config: &SdkConfig) -> Providers {
    let mut providers = Providers::default();

    let ec2_client = aws_sdk_ec2::Client::new(config);
    ec2::register(
        &mut providers,
        &ec2_client,
        &endpoint_for(config, "ec2", None),
        &aws_sdk_ssm::Client::new(config),
        &endpoint_for(config, "ssm", None),
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
    scaling::register(&mut providers, config);
    cloudwatch::register(&mut providers, config);
    servicediscovery::register(&mut providers, config);
    efs::register(&mut providers, config);
    ecr::register(&mut providers, config);
    ssm::register(&mut providers, config);
    secretsmanager::register(&mut providers, config);
    kms::register(&mut providers, config);
    sqs::register(&mut providers, config);
    sns::register(&mut providers, config);
    s3::register(&mut providers, config);
    dynamodb::register(&mut providers, config);
    events::register(&mut providers, config);
    route53::register(&mut providers, config);

    providers
}

/// Every provider, for what it says about itself ([`ResourceProvider::type_name`],
/// [`ResourceProvider::coverage`]: what `infra types` lists). Its clients are built from a
/// placeholder configuration (no credentials, no region lookup) and must never be called;
/// building it reads no file and makes no call.
///
/// [`ResourceProvider::type_name`]: crate::provider::ResourceProvider::type_name
/// [`ResourceProvider::coverage`]: crate::provider::ResourceProvider::coverage
pub fn catalog() -> Providers {
    let config = SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::from_static("us-east-1"))
        .build();
    all(&config)
}

#[cfg(test)]
mod tests;
