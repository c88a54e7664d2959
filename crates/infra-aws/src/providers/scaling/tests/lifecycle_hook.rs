//! Unit tests of `lifecycle_hook`: property parsing, refusals and what a read reports.

use super::*;
use serde_json::json;

#[test]
fn the_group_is_required_and_unknown_keys_refused() {
    let ctx = Ctx::new(TYPE, "A.Hook");
    assert_eq!(
        LifecycleHookProvider::group(
            &json!({"AutoScalingGroupName": "g", "LifecycleTransition": "x"}),
            ctx
        ),
        Ok("g".to_owned())
    );
    assert!(LifecycleHookProvider::group(&json!({"LifecycleTransition": "x"}), ctx).is_err());
    let err = LifecycleHookProvider::group(
        &json!({"AutoScalingGroupName": "g", "GlobalTimeout": 1}),
        ctx,
    )
    .expect_err("unknown");
    assert!(err.message.contains("GlobalTimeout"), "{err}");
}
