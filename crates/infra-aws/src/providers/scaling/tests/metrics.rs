//! Unit tests of `metrics`: property parsing, refusals and what a read reports.

use super::*;
use crate::providers::kit::Ctx;

#[test]
fn steps_and_tracking_round_trip() {
    let ctx = Ctx::new("AWS::X::Y", "A");
    let value = json!({
        "Steps": [{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": "10.5", "ScalingAdjustment": "1"}],
        "T": {"TargetValue": "70", "DisableScaleIn": true,
              "CustomizedMetricSpecification": {"MetricName": "CPU", "Namespace": "AWS/ECS", "Statistic": "Average",
                  "Dimensions": [{"Name": "ClusterName", "Value": "c"}]}}
    });
    let props = Props::root(&value, ctx, Keys::new(&["Steps", "T"])).expect("props");
    let s = steps(&props, "Steps").expect("steps");
    assert_eq!(s[0].upper, Some(10.5));
    assert_eq!(
        steps_json(&s),
        json!([{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10.5, "ScalingAdjustment": 1}])
    );
    let t = tracking(&props, "T", &[]).expect("tracking").expect("some");
    assert_eq!(t.customized.as_ref().map(|c| c.dimensions.len()), Some(1));
    assert_eq!(tracking_json(&t)["TargetValue"], json!(70));

    let math = json!({"T": {"TargetValue": 1, "CustomizedMetricSpecification": {"Metrics": []}}});
    let props = Props::root(&math, ctx, Keys::new(&["T"])).expect("props");
    let err = tracking(&props, "T", &[]).expect_err("metric math");
    assert!(
        err.message
            .contains("CustomizedMetricSpecification.Metrics"),
        "{err}"
    );
    let cooldown = json!({"T": {"TargetValue": 1, "ScaleInCooldown": 60}});
    let props = Props::root(&cooldown, ctx, Keys::new(&["T"])).expect("props");
    assert!(
        tracking(&props, "T", &[]).is_err(),
        "cooldowns are not every type's"
    );
    assert!(tracking(&props, "T", &["ScaleInCooldown"]).is_ok());
}
