//! Adding infra's own tags (`infra:stack`, `infra:address`) to a resource infra did not create:
//! what `infra import --from-cloudformation` does for each adopted resource, so it carries the
//! same tags as one infra made. Each service's tagging call adds keys and leaves every other
//! tag (the template's, CloudFormation's `aws:*`) as it is. Providers report resources without
//! the `aws:` and `infra:` tags, so these never show in a plan.

use std::collections::BTreeMap;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// What became of one resource's tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagged {
    /// The tags were added.
    Added,
    /// The type has no tags (routes, associations, inline policies, ...), or no id to tag by.
    NotTaggable,
}

/// EC2 types tagged by their physical id with `CreateTags`.
const EC2_BY_ID: &[&str] = &[
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::LaunchTemplate",
];

/// Adds `tags` to the resource of `type_name` at `physical_id` (with `attributes`, where an
/// ARN or allocation id is kept).
pub async fn add(
    session: &AwsSession,
    type_name: &str,
    physical_id: &str,
    attributes: &BTreeMap<String, serde_json::Value>,
    tags: &BTreeMap<String, String>,
) -> Result<Tagged, AwsError> {
    let config = session.sdk_config();
    if tags.is_empty() {
        return Ok(Tagged::NotTaggable);
    }
    let attribute = |name: &str| attributes.get(name).and_then(|v| v.as_str());
    let call = |service: &str, operation: &str| {
        Call::new(service, operation, endpoint_for(config, service, None))
    };
    match type_name {
        t if EC2_BY_ID.contains(&t) => ec2(config, physical_id, tags, &call).await,
        "AWS::EC2::EIP" => match attribute("AllocationId") {
            Some(id) => ec2(config, id, tags, &call).await,
            None => Ok(Tagged::NotTaggable),
        },
        "AWS::IAM::Role" => {
            aws_sdk_iam::Client::new(config)
                .tag_role()
                .role_name(physical_id)
                .set_tags(Some(iam_tags(tags)))
                .send()
                .await
                .map_err(|e| classify(e, &call("iam", "TagRole")))?;
            Ok(Tagged::Added)
        }
        "AWS::IAM::InstanceProfile" => {
            aws_sdk_iam::Client::new(config)
                .tag_instance_profile()
                .instance_profile_name(physical_id)
                .set_tags(Some(iam_tags(tags)))
                .send()
                .await
                .map_err(|e| classify(e, &call("iam", "TagInstanceProfile")))?;
            Ok(Tagged::Added)
        }
        "AWS::IAM::ManagedPolicy" => {
            aws_sdk_iam::Client::new(config)
                .tag_policy()
                .policy_arn(physical_id)
                .set_tags(Some(iam_tags(tags)))
                .send()
                .await
                .map_err(|e| classify(e, &call("iam", "TagPolicy")))?;
            Ok(Tagged::Added)
        }
        "AWS::Logs::LogGroup" => {
            // CloudFormation's `Arn` ends in `:*`; the tagging API takes the ARN without it.
            let Some(arn) = attribute("Arn").map(|a| a.trim_end_matches(":*")) else {
                return Ok(Tagged::NotTaggable);
            };
            aws_sdk_cloudwatchlogs::Client::new(config)
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags.clone().into_iter().collect()))
                .send()
                .await
                .map_err(|e| classify(e, &call("logs", "TagResource")))?;
            Ok(Tagged::Added)
        }
        "AWS::ECS::Cluster" | "AWS::ECS::Service" | "AWS::ECS::TaskDefinition" => {
            let arn = match type_name {
                "AWS::ECS::Cluster" => attribute("Arn"),
                "AWS::ECS::Service" => attribute("ServiceArn").or(Some(physical_id)),
                _ => Some(physical_id),
            };
            let Some(arn) = arn.filter(|a| a.starts_with("arn:")) else {
                return Ok(Tagged::NotTaggable);
            };
            aws_sdk_ecs::Client::new(config)
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(
                    tags.iter()
                        .map(|(k, v)| aws_sdk_ecs::types::Tag::builder().key(k).value(v).build())
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| classify(e, &call("ecs", "TagResource")))?;
            Ok(Tagged::Added)
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
        | "AWS::ElasticLoadBalancingV2::TargetGroup"
        | "AWS::ElasticLoadBalancingV2::Listener"
        | "AWS::ElasticLoadBalancingV2::ListenerRule" => {
            aws_sdk_elasticloadbalancingv2::Client::new(config)
                .add_tags()
                .resource_arns(physical_id)
                .set_tags(Some(
                    tags.iter()
                        .map(|(k, v)| {
                            aws_sdk_elasticloadbalancingv2::types::Tag::builder()
                                .key(k)
                                .value(v)
                                .build()
                        })
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| classify(e, &call("elasticloadbalancing", "AddTags")))?;
            Ok(Tagged::Added)
        }
        "AWS::Lambda::Function" => {
            let Some(arn) = attribute("Arn") else {
                return Ok(Tagged::NotTaggable);
            };
            aws_sdk_lambda::Client::new(config)
                .tag_resource()
                .resource(arn)
                .set_tags(Some(tags.clone().into_iter().collect()))
                .send()
                .await
                .map_err(|e| classify(e, &call("lambda", "TagResource")))?;
            Ok(Tagged::Added)
        }
        "AWS::AutoScaling::AutoScalingGroup" => {
            aws_sdk_autoscaling::Client::new(config)
                .create_or_update_tags()
                .set_tags(Some(
                    tags.iter()
                        .map(|(k, v)| {
                            aws_sdk_autoscaling::types::Tag::builder()
                                .resource_id(physical_id)
                                .resource_type("auto-scaling-group")
                                .key(k)
                                .value(v)
                                .propagate_at_launch(false)
                                .build()
                        })
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| classify(e, &call("autoscaling", "CreateOrUpdateTags")))?;
            Ok(Tagged::Added)
        }
        _ => Ok(Tagged::NotTaggable),
    }
}

async fn ec2(
    config: &SdkConfig,
    id: &str,
    tags: &BTreeMap<String, String>,
    call: &dyn Fn(&str, &str) -> Call,
) -> Result<Tagged, AwsError> {
    aws_sdk_ec2::Client::new(config)
        .create_tags()
        .resources(id)
        .set_tags(Some(
            tags.iter()
                .map(|(k, v)| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .send()
        .await
        .map_err(|e| classify(e, &call("ec2", "CreateTags")))?;
    Ok(Tagged::Added)
}

fn iam_tags(tags: &BTreeMap<String, String>) -> Vec<aws_sdk_iam::types::Tag> {
    tags.iter()
        .filter_map(|(k, v)| {
            aws_sdk_iam::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}
