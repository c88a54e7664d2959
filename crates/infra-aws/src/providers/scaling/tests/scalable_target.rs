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
    let config = aws_sdk_applicationautoscaling::Config::builder()
        .behavior_version(aws_sdk_applicationautoscaling::config::BehaviorVersion::latest())
        .build();
    let client = aws_sdk_applicationautoscaling::Client::from_conf(config);
    // The state sent: the template's, or (removed) every kind of scaling resumed.
    let suspended = |v: &Value, removed: bool| {
        let p = props(v, ctx).expect("props");
        let mut sent = |k: &str| p.get(k).is_some() || (removed && k == "SuspendedState");
        let request = register_scalable_target(&p, client.register_scalable_target(), &mut sent);
        request
            .expect("state")
            .as_input()
            .get_suspended_state()
            .clone()
    };
    let v = json!({"SuspendedState": {"DynamicScalingInSuspended": "true"}});
    let s = suspended(&v, false).expect("some");
    assert_eq!(s.dynamic_scaling_in_suspended(), Some(true));
    let removed = suspended(&json!({}), true);
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
