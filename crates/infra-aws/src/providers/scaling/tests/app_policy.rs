//! Unit tests of `app_policy`: property parsing, refusals and what a read reports.

use super::*;
use crate::generated::applicationautoscaling::{
    STEP_SCALING_POLICY_CONFIGURATION, TARGET_TRACKING_SCALING_POLICY_CONFIGURATION,
    report_target_tracking_scaling_policy_configuration, step_scaling_policy_configuration,
    target_tracking_scaling_policy_configuration,
};
use crate::providers::kit::convert::one;
use aws_sdk_applicationautoscaling::types::{
    StepScalingPolicyConfiguration, TargetTrackingScalingPolicyConfiguration,
};

#[test]
fn the_target_comes_from_either_form_and_configs_are_built() {
    let ctx = Ctx::new(TYPE, "A.Policy");
    let by_id = json!({"PolicyName": "p", "PolicyType": "StepScaling",
        "ScalingTargetId": "service/c/s|ecs:service:DesiredCount|ecs",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "Cooldown": 60,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}});
    let p = props(&by_id, ctx).expect("props");
    let t = target(&p).expect("target");
    assert_eq!(t.resource_id, "service/c/s");
    let (key, keys) = (
        "StepScalingPolicyConfiguration",
        STEP_SCALING_POLICY_CONFIGURATION,
    );
    let step: StepScalingPolicyConfiguration =
        one(&p, key, keys, step_scaling_policy_configuration)
            .expect("step")
            .expect("some");
    assert_eq!(step.step_adjustments().len(), 1);
    let by_parts = json!({"PolicyName": "p", "ServiceNamespace": "ecs", "ResourceId": "service/c/s",
        "ScalableDimension": "ecs:service:DesiredCount",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50, "ScaleInCooldown": 60,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}});
    let p = props(&by_parts, ctx).expect("props");
    assert_eq!(target(&p).expect("target"), t);
    let keys = TARGET_TRACKING_SCALING_POLICY_CONFIGURATION;
    let tracking: TargetTrackingScalingPolicyConfiguration = one(
        &p,
        TRACKING,
        keys,
        target_tracking_scaling_policy_configuration,
    )
    .expect("tracking")
    .expect("some");
    assert_eq!(tracking.scale_in_cooldown(), Some(60));
    let reported = report_target_tracking_scaling_policy_configuration(&tracking);
    assert_eq!(reported["TargetValue"], json!(50));
    let bad = json!({"PolicyName": "p", "ScalingTargetId": "nope"});
    assert!(target(&props(&bad, ctx).expect("props")).is_err());
    let err =
        props(&json!({"PredictiveScalingPolicyConfiguration": {}}), ctx).expect_err("refused");
    assert!(err.message.contains("predictive"), "{err}");
}
