//! Unit tests of `metrics`: what a read reports.

use super::*;

#[test]
fn steps_and_tracking_are_reported_as_templates_write_them() {
    let s = vec![Step {
        lower: Some(0.0),
        upper: Some(10.5),
        adjustment: 1,
    }];
    assert_eq!(
        steps_json(&s),
        json!([{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10.5, "ScalingAdjustment": 1}])
    );
    let t = Tracking {
        target: 70.0,
        disable_scale_in: Some(true),
        scale_in_cooldown: None,
        scale_out_cooldown: None,
        predefined: None,
        customized: Some(Customized {
            name: Some("CPU".into()),
            namespace: Some("AWS/ECS".into()),
            statistic: Some("Average".into()),
            unit: None,
            dimensions: vec![("ClusterName".into(), "c".into())],
        }),
    };
    assert_eq!(
        tracking_json(&t),
        json!({"TargetValue": 70, "DisableScaleIn": true,
            "CustomizedMetricSpecification": {"MetricName": "CPU", "Namespace": "AWS/ECS",
                "Statistic": "Average", "Dimensions": [{"Name": "ClusterName", "Value": "c"}]}})
    );
}
