//! Unit tests of the generated service, cluster and capacity provider requests: what infra
//! reads differently from the schema (defaults, required keys) and what it refuses.

use aws_sdk_ecs::types::{
    AssignPublicIp, DeploymentControllerType, ManagedScalingStatus, PlacementStrategyType,
};
use serde_json::{Value, json};

use crate::generated::ecs::{
    CAPACITY_PROVIDER, CLUSTER, SERVICE, create_capacity_provider, create_cluster, create_service,
};
use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Props};

/// A client for building requests; it never sends one.
pub(super) fn client() -> aws_sdk_ecs::Client {
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
        .region(aws_sdk_ecs::config::Region::new("us-east-1"))
        .build();
    aws_sdk_ecs::Client::from_conf(config)
}

fn service(
    v: &Value,
) -> Result<
    aws_sdk_ecs::operation::create_service::builders::CreateServiceInputBuilder,
    ProviderError,
> {
    let p = Props::root(v, Ctx::new("AWS::ECS::Service", "Test"), SERVICE)?;
    Ok(create_service(&p, client().create_service())?
        .as_input()
        .clone())
}

#[test]
fn service_request_keeps_infra_defaults() {
    let s = service(&json!({
        "Cluster": "c",
        "DesiredCount": "2",
        "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}},
        "LoadBalancers": [{"ContainerName": "web", "ContainerPort": 80,
            "AdvancedConfiguration": {"RoleArn": "r"}}],
        "DeploymentConfiguration": {"Alarms": {}, "DeploymentCircuitBreaker": {"Enable": true, "Rollback": "false"}},
        "DeploymentController": {},
        "PlacementStrategies": [{"Type": "spread", "Field": "attribute:ecs.availability-zone"}],
        "CapacityProviderStrategy": [{"CapacityProvider": "FARGATE", "Weight": 1}],
        "ForceNewDeployment": {"EnableForceNewDeployment": true},
        "Tags": [{"Key": "k"}]
    }))
    .expect("maps");
    assert_eq!(s.get_desired_count(), &Some(2));
    let vpc = s
        .get_network_configuration()
        .as_ref()
        .and_then(|n| n.awsvpc_configuration());
    assert_eq!(vpc.map(|v| v.subnets().len()), Some(0));
    assert_eq!(
        vpc.and_then(|v| v.assign_public_ip()),
        Some(&AssignPublicIp::Enabled)
    );
    let alarms = s
        .get_deployment_configuration()
        .as_ref()
        .and_then(|d| d.alarms());
    assert_eq!(
        alarms.map(|a| (a.alarm_names().len(), a.enable(), a.rollback())),
        Some((0, false, false))
    );
    assert_eq!(
        s.get_deployment_controller().as_ref().map(|c| c.r#type()),
        Some(&DeploymentControllerType::Ecs)
    );
    assert_eq!(
        s.get_placement_strategy().as_ref().map(|p| p[0].r#type()),
        Some(Some(&PlacementStrategyType::Spread))
    );
    let item = &s
        .get_capacity_provider_strategy()
        .as_ref()
        .expect("strategy")[0];
    assert_eq!(
        (item.capacity_provider(), item.weight(), item.base()),
        ("FARGATE", 1, 0)
    );

    for (bad, says) in [
        (
            json!({"ServiceConnectConfiguration": {}}),
            "ServiceConnectConfiguration is not supported: not supported by infra yet",
        ),
        (
            json!({"Monitoring": {}}),
            "Monitoring is not supported: the AWS SDK infra is built with has no field for it yet",
        ),
        (
            json!({"DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": true}}}),
            "DeploymentConfiguration.DeploymentCircuitBreaker.Rollback is required",
        ),
        (
            json!({"PlacementConstraints": [{"Expression": "x"}]}),
            "PlacementConstraints[0].Type is required",
        ),
        (
            json!({"CapacityProviderStrategy": [{"Weight": 1}]}),
            "CapacityProviderStrategy[0].CapacityProvider is required",
        ),
        (
            json!({"LoadBalancers": [{"Bogus": 1}]}),
            "LoadBalancers[0].Bogus",
        ),
        (json!({"ServiceArn": "x"}), "ServiceArn is an attribute"),
    ] {
        let err = service(&bad).expect_err("refused");
        assert!(err.message.contains(says), "{}", err.message);
    }
}

#[test]
fn cluster_and_capacity_provider_requests() {
    let ctx = Ctx::new("AWS::ECS::Cluster", "Test");
    let cluster = |v: &Value| -> Result<_, ProviderError> {
        let p = Props::root(v, ctx, CLUSTER)?;
        Ok(create_cluster(&p, client().create_cluster())?
            .as_input()
            .clone())
    };
    let c = cluster(&json!({
        "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
        "Configuration": {"ExecuteCommandConfiguration": {"Logging": "OVERRIDE",
            "LogConfiguration": {"S3BucketName": "b", "S3EncryptionEnabled": "true"}}},
        "ServiceConnectDefaults": {"Namespace": "ns"},
        "DefaultCapacityProviderStrategy": [{"CapacityProvider": "FARGATE", "Base": "1"}]
    }))
    .expect("maps");
    assert_eq!(c.get_settings().as_ref().map(Vec::len), Some(1));
    assert_eq!(
        c.get_service_connect_defaults()
            .as_ref()
            .map(|d| d.namespace()),
        Some("ns")
    );
    let log = c
        .get_configuration()
        .as_ref()
        .and_then(|c| c.execute_command_configuration())
        .and_then(|e| e.log_configuration());
    assert_eq!(log.map(|l| l.s3_encryption_enabled()), Some(true));
    for (bad, says) in [
        (
            json!({"ClusterSettings": [{"Name": "containerInsights"}]}),
            "ClusterSettings[0].Value is required",
        ),
        (
            json!({"ServiceConnectDefaults": {}}),
            "ServiceConnectDefaults.Namespace is required",
        ),
        (json!({"Arn": "x"}), "Arn is an attribute"),
    ] {
        let err = cluster(&bad).expect_err("refused");
        assert!(err.message.contains(says), "{}", err.message);
    }

    let ctx = Ctx::new("AWS::ECS::CapacityProvider", "Test");
    let provider = |v: &Value| -> Result<_, ProviderError> {
        let p = Props::root(v, ctx, CAPACITY_PROVIDER)?;
        Ok(
            create_capacity_provider(&p, client().create_capacity_provider())?
                .as_input()
                .clone(),
        )
    };
    let p = provider(
        &json!({"AutoScalingGroupProvider": {"AutoScalingGroupArn": "asg",
        "ManagedScaling": {"Status": "ENABLED", "TargetCapacity": "100"}}}),
    )
    .expect("maps");
    let scaling = p
        .get_auto_scaling_group_provider()
        .as_ref()
        .and_then(|a| a.managed_scaling());
    assert_eq!(
        scaling.and_then(|m| m.status()),
        Some(&ManagedScalingStatus::Enabled)
    );
    for (bad, says) in [
        (json!({}), "property AutoScalingGroupProvider is required"),
        (
            json!({"AutoScalingGroupProvider": {}}),
            "AutoScalingGroupProvider.AutoScalingGroupArn is required",
        ),
        (
            json!({"ClusterName": "c"}),
            "ClusterName is not supported: ECS Managed Instances capacity providers are not supported by infra yet",
        ),
    ] {
        let err = provider(&bad).expect_err("refused");
        assert!(err.message.contains(says), "{}", err.message);
    }
}
