//! Unit tests of `asg_policy`: property parsing, refusals and what a read reports.

use super::*;

#[test]
fn tracking_is_built_and_predictive_refused() {
    let ctx = Ctx::new(TYPE, "A.CpuPolicy");
    let value = json!({"AutoScalingGroupName": "g", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {"TargetValue": 50,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}}});
    let p = props(&value, ctx).expect("props");
    let t = metrics::tracking(&p, "TargetTrackingConfiguration", &[])
        .expect("tracking")
        .expect("some");
    let sdk = sdk_tracking(t.clone()).expect("sdk");
    assert_eq!(seen_tracking(&sdk), t);
    let err = props(&json!({"PredictiveScalingConfiguration": {}}), ctx).expect_err("refused");
    assert!(err.message.contains("predictive"), "{err}");
    let err = props(&json!({"PolicyName": "x"}), ctx).expect_err("read-only");
    assert!(err.message.contains("read-only"), "{err}");
}
