//! Unit tests of `asg_policy`: property parsing, refusals and what a read reports.

use super::*;
use crate::generated::autoscaling::{
    STEP_ADJUSTMENT, TARGET_TRACKING_CONFIGURATION, report_target_tracking_configuration,
    step_adjustment, target_tracking_configuration,
};
use crate::providers::kit::convert::{each, one};
use aws_sdk_autoscaling::types::TargetTrackingConfiguration;

fn tracking(p: &Props<'_>) -> Result<Option<TargetTrackingConfiguration>, ProviderError> {
    one(
        p,
        "TargetTrackingConfiguration",
        TARGET_TRACKING_CONFIGURATION,
        target_tracking_configuration,
    )
}

#[test]
fn tracking_is_built_and_predictive_refused() {
    let ctx = Ctx::new(TYPE, "A.CpuPolicy");
    let value = json!({"AutoScalingGroupName": "g", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {"TargetValue": 50,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}}});
    let p = props(&value, ctx).expect("props");
    let sdk = tracking(&p).expect("tracking").expect("some");
    assert_eq!(
        report_target_tracking_configuration(&sdk),
        json!({"TargetValue": 50,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}})
    );
    let err = props(&json!({"PredictiveScalingConfiguration": {}}), ctx).expect_err("refused");
    assert!(err.message.contains("predictive"), "{err}");
    let err = props(&json!({"PolicyName": "x"}), ctx).expect_err("read-only");
    assert!(err.message.contains("read-only"), "{err}");
}

#[test]
fn steps_and_customized_metrics_are_read_strictly() {
    let ctx = Ctx::new(TYPE, "A.Policy");
    let value = json!({"AutoScalingGroupName": "g",
        "StepAdjustments": [{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": "10.5", "ScalingAdjustment": "1"}],
        "TargetTrackingConfiguration": {"TargetValue": "70", "DisableScaleIn": true,
            "CustomizedMetricSpecification": {"MetricName": "CPU", "Namespace": "AWS/ECS", "Statistic": "Average",
                "Dimensions": [{"Name": "ClusterName", "Value": "c"}]}}});
    let p = props(&value, ctx).expect("props");
    let steps = each(&p, "StepAdjustments", STEP_ADJUSTMENT, step_adjustment)
        .expect("steps")
        .expect("some");
    assert_eq!(steps[0].metric_interval_upper_bound(), Some(10.5));
    let t = tracking(&p).expect("tracking").expect("some");
    assert_eq!(t.target_value(), Some(70.0));
    let dims = t
        .customized_metric_specification()
        .map(|c| c.dimensions().len());
    assert_eq!(dims, Some(1));

    let math = json!({"TargetTrackingConfiguration": {"TargetValue": 1,
        "CustomizedMetricSpecification": {"Metrics": []}}});
    let err = tracking(&props(&math, ctx).expect("props")).expect_err("metric math");
    assert!(
        err.message
            .contains("CustomizedMetricSpecification.Metrics"),
        "{err}"
    );
    let cooldown =
        json!({"TargetTrackingConfiguration": {"TargetValue": 1, "ScaleInCooldown": 60}});
    assert!(
        tracking(&props(&cooldown, ctx).expect("props")).is_err(),
        "cooldowns are Application Auto Scaling's"
    );
}
