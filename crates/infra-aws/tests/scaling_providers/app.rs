//! Application Auto Scaling: an ECS service's `DesiredCount` as a scalable target with a
//! scheduled action, a target tracking policy naming it by `ScalingTargetId` and a step scaling
//! policy naming it by its three parts.

use infra_aws::provider::FailureClass;
use serde_json::json;

use crate::harness::Env;

const TARGET: &str = "AWS::ApplicationAutoScaling::ScalableTarget";
const POLICY: &str = "AWS::ApplicationAutoScaling::ScalingPolicy";
const DIMENSION: &str = "ecs:service:DesiredCount";

/// An ECS cluster and service made with the ECS API (moto registers a target of the `ecs`
/// namespace only for a service that exists, as AWS does); the target's resource id.
async fn ecs_service(env: &Env, cluster: &str, service: &str) -> String {
    env.ecs
        .create_cluster()
        .cluster_name(cluster)
        .send()
        .await
        .expect("CreateCluster");
    let container = aws_sdk_ecs::types::ContainerDefinition::builder()
        .name("web")
        .image("nginx")
        .memory(128)
        .build();
    let family = format!("{service}-task");
    env.ecs
        .register_task_definition()
        .family(&family)
        .container_definitions(container)
        .send()
        .await
        .expect("RegisterTaskDefinition");
    env.ecs
        .create_service()
        .cluster(cluster)
        .service_name(service)
        .task_definition(&family)
        .desired_count(1)
        .send()
        .await
        .expect("CreateService");
    format!("service/{cluster}/{service}")
}

async fn described_target(
    env: &Env,
    resource_id: &str,
) -> aws_sdk_applicationautoscaling::types::ScalableTarget {
    let out = env
        .app
        .describe_scalable_targets()
        .service_namespace("ecs".into())
        .resource_ids(resource_id)
        .send()
        .await
        .expect("DescribeScalableTargets");
    out.scalable_targets()
        .first()
        .cloned()
        .expect("the target is registered")
}

async fn described_policy(
    env: &Env,
    resource_id: &str,
    name: &str,
) -> aws_sdk_applicationautoscaling::types::ScalingPolicy {
    let out = env
        .app
        .describe_scaling_policies()
        .service_namespace("ecs".into())
        .resource_id(resource_id)
        .send()
        .await
        .expect("DescribeScalingPolicies");
    out.scaling_policies()
        .iter()
        .find(|p| p.policy_name() == name)
        .cloned()
        .unwrap_or_else(|| panic!("no policy {name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scalable_target_and_policies_of_an_ecs_service() {
    let env = Env::new().await;
    let resource_id = ecs_service(&env, "scaling-app-cluster", "scaling-app-web").await;

    // The target, with a scheduled action and a suspended state.
    let target_address = "App.ServiceScalingTarget";
    let target_props = json!({
        "ServiceNamespace": "ecs",
        "ResourceId": resource_id,
        "ScalableDimension": DIMENSION,
        "MinCapacity": 1,
        "MaxCapacity": "4",
        "SuspendedState": {"ScheduledScalingSuspended": false},
        "ScheduledActions": [{
            "ScheduledActionName": "nightly",
            "Schedule": "cron(0 2 * * ? *)",
            "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2}
        }]
    });
    let target = env.create(TARGET, target_address, &target_props).await;
    let id = format!("{resource_id}|{DIMENSION}|ecs");
    assert_eq!(
        target.physical_id, id,
        "Ref is ResourceId|ScalableDimension|ServiceNamespace"
    );
    assert_eq!(target.attributes.get("Id"), Some(&json!(id)));
    let seen = described_target(&env, &resource_id).await;
    assert_eq!((seen.min_capacity(), seen.max_capacity()), (1, 4));
    let actions = env
        .app
        .describe_scheduled_actions()
        .service_namespace("ecs".into())
        .resource_id(&resource_id)
        .send()
        .await
        .expect("DescribeScheduledActions");
    let action = actions
        .scheduled_actions()
        .first()
        .expect("the scheduled action");
    assert_eq!(action.scheduled_action_name(), "nightly");
    assert_eq!(action.schedule(), "cron(0 2 * * ? *)");
    assert_eq!(
        action
            .scalable_target_action()
            .and_then(|a| a.max_capacity()),
        Some(2)
    );
    assert_eq!(
        env.read_one(TARGET, target_address, &target, &target_props)
            .await,
        target_props
    );

    // In place: capacity, the action's schedule, a second action.
    let mut target_after = target_props.clone();
    target_after["MaxCapacity"] = json!(6);
    target_after["ScheduledActions"][0]["Schedule"] = json!("cron(0 3 * * ? *)");
    target_after["ScheduledActions"]
        .as_array_mut()
        .expect("list")
        .push(
            json!({"ScheduledActionName": "weekend", "Schedule": "cron(0 8 ? * SAT *)",
            "ScalableTargetAction": {"MinCapacity": 2}}),
        );
    let target = env
        .update(
            TARGET,
            target_address,
            &target,
            &target_props,
            &target_after,
        )
        .await;
    assert_eq!(described_target(&env, &resource_id).await.max_capacity(), 6);
    assert_eq!(
        env.read_one(TARGET, target_address, &target, &target_after)
            .await,
        target_after
    );

    // A target tracking policy naming the target by its Ref.
    let tracking_address = "App.CpuTracking";
    let tracking_props = json!({
        "PolicyName": "cpu-tracking",
        "PolicyType": "TargetTrackingScaling",
        "ScalingTargetId": target.physical_id,
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 60,
            "ScaleInCooldown": 120,
            "ScaleOutCooldown": "60",
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}
        }
    });
    let tracking = env.create(POLICY, tracking_address, &tracking_props).await;
    assert!(
        tracking.physical_id.starts_with("arn:aws:autoscaling:"),
        "{tracking:?}"
    );
    assert_eq!(
        tracking.attributes.get("Arn"),
        Some(&json!(tracking.physical_id))
    );
    let seen = described_policy(&env, &resource_id, "cpu-tracking").await;
    let config = seen
        .target_tracking_scaling_policy_configuration()
        .expect("tracking");
    assert_eq!(
        (config.target_value(), config.scale_in_cooldown()),
        (60.0, Some(120))
    );

    // A step scaling policy naming the target by its three parts.
    let step_address = "App.CpuStep";
    let step_props = json!({
        "PolicyName": "cpu-step",
        "PolicyType": "StepScaling",
        "ServiceNamespace": "ecs",
        "ResourceId": resource_id,
        "ScalableDimension": DIMENSION,
        "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity",
            "Cooldown": 60,
            "MetricAggregationType": "Average",
            "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 15, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 15, "ScalingAdjustment": "2"}
            ]
        }
    });
    let step = env.create(POLICY, step_address, &step_props).await;
    let seen = described_policy(&env, &resource_id, "cpu-step").await;
    let config = seen.step_scaling_policy_configuration().expect("step");
    assert_eq!(config.step_adjustments().len(), 2);
    assert_eq!(config.step_adjustments()[1].scaling_adjustment(), 2);

    // One refresh call for both policies, each as the template wrote it.
    let read = env
        .read(
            POLICY,
            &[
                (tracking_address, &tracking, &tracking_props),
                (step_address, &step, &step_props),
            ],
        )
        .await;
    for (address, props) in [
        (tracking_address, &tracking_props),
        (step_address, &step_props),
    ] {
        match read.get(address) {
            Some(infra_aws::provider::Observation::Present { properties, .. }) => {
                assert_eq!(properties, props, "{address}")
            }
            other => panic!("{address}: {other:?}"),
        }
    }

    // In place: the target value.
    let mut tracking_after = tracking_props.clone();
    tracking_after["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] = json!(45.5);
    let tracking = env
        .update(
            POLICY,
            tracking_address,
            &tracking,
            &tracking_props,
            &tracking_after,
        )
        .await;
    let seen = described_policy(&env, &resource_id, "cpu-tracking").await;
    let value = seen
        .target_tracking_scaling_policy_configuration()
        .map(|c| c.target_value());
    assert_eq!(value, Some(45.5));

    // Policies first, then the target (as the graph orders them).
    env.delete(POLICY, tracking_address, &tracking, &tracking_after)
        .await;
    env.delete(POLICY, step_address, &step, &step_props).await;
    env.delete(TARGET, target_address, &target, &target_after)
        .await;
    let left = env
        .app
        .describe_scalable_targets()
        .service_namespace("ecs".into())
        .resource_ids(&resource_id)
        .send()
        .await
        .expect("DescribeScalableTargets");
    assert!(left.scalable_targets().is_empty(), "{left:?}");
}

/// A service not visible yet (ECS's DescribeServices is eventually consistent): AWS answers
/// `ValidationException` "ECS service doesn't exist", which the engine retries for a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_not_visible_yet_is_retried() {
    let env = Env::new().await;
    let cluster = "scaling-early-cluster";
    env.ecs
        .create_cluster()
        .cluster_name(cluster)
        .send()
        .await
        .expect("CreateCluster");
    let props = json!({"ServiceNamespace": "ecs", "ResourceId": format!("service/{cluster}/not-yet"),
        "ScalableDimension": DIMENSION, "MinCapacity": 1, "MaxCapacity": 2});
    let err = env
        .try_create(TARGET, "App.Early", &props)
        .await
        .expect_err("no such service");
    assert!(err.message.contains("ECS service doesn't exist"), "{err}");
    assert_eq!(err.class, FailureClass::EventuallyConsistent, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_properties_are_named() {
    let env = Env::new().await;
    let props = json!({"PolicyName": "p", "PolicyType": "PredictiveScaling",
        "ScalingTargetId": "service/c/s|ecs:service:DesiredCount|ecs",
        "PredictiveScalingPolicyConfiguration": {"MetricSpecifications": []}});
    let err = env
        .try_create(POLICY, "App.Predictive", &props)
        .await
        .expect_err("refused");
    assert!(
        err.message.contains("PredictiveScalingPolicyConfiguration"),
        "{err}"
    );
    let props = json!({"ServiceNamespace": "ecs", "ResourceId": "service/c/s",
        "ScalableDimension": DIMENSION, "MinCapacity": 1, "MaxCapacity": 2,
        "ScheduledActions": [{"ScheduledActionName": "a", "Schedule": "rate(1 day)", "Capacity": 1}]});
    let err = env
        .try_create(TARGET, "App.Target", &props)
        .await
        .expect_err("unknown key");
    assert!(err.message.contains("ScheduledActions[0]"), "{err}");
}
