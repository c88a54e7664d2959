//! Unit tests of `scalable_target`: property parsing, refusals and what a read reports.

use super::*;

#[test]
fn ids_round_trip_and_nested_keys_are_checked() {
    let t = Target {
        namespace: "ecs".into(),
        resource_id: "service/c/s".into(),
        dimension: "ecs:service:DesiredCount".into(),
    };
    assert_eq!(t.id(), "service/c/s|ecs:service:DesiredCount|ecs");
    assert_eq!(Target::parse_id(&t.id()), Some(t));
    assert_eq!(Target::parse_id("no-bars"), None);
    let ctx = Ctx::new(TYPE, "A.Target");
    let v = json!({"SuspendedState": {"DynamicScalingInSuspended": "true"}});
    let s = suspended(&props(&v, ctx).expect("props"), false)
        .expect("state")
        .expect("some");
    assert_eq!(s.dynamic_scaling_in_suspended(), Some(true));
    let removed = suspended(&props(&json!({}), ctx).expect("props"), true).expect("state");
    assert_eq!(
        removed.and_then(|s| s.scheduled_scaling_suspended()),
        Some(false)
    );
    let err = props(&json!({"Id": "x"}), ctx).expect_err("read-only");
    assert!(err.message.contains("read-only"), "{err}");
    let bad = json!({"ScheduledActions": [{"ScheduledActionName": "a", "Schedule": "rate(1 day)", "Capacity": 1}]});
    let err = target_actions_check(&bad).expect_err("unknown key");
    assert!(err.message.contains("ScheduledActions[0]"), "{err}");
}

fn target_actions_check(v: &Value) -> Result<(), ProviderError> {
    target_actions::check(v, Ctx::new(TYPE, "A.Target"))
}
