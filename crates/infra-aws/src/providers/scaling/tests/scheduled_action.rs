//! Unit tests of `scheduled_action`: property parsing, refusals and what a read reports.

use super::*;

#[test]
fn the_name_is_an_attribute_and_times_are_checked() {
    let ctx = Ctx::new(TYPE, "A.Nightly");
    let err = props(&json!({"ScheduledActionName": "x"}), ctx).expect_err("read-only");
    assert!(err.message.contains("read-only"), "{err}");
    let value = json!({"AutoScalingGroupName": "g", "StartTime": "soon"});
    let p = props(&value, ctx).expect("props");
    assert!(p.date("StartTime").is_err());
}
