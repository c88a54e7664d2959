//! Unit tests of the dashboard's properties (the alarm's are in `alarm/tests.rs`).

use serde_json::json;

use super::dashboard::{TYPE, parse};
use crate::providers::kit::Ctx;

#[test]
fn the_body_must_be_json_and_tags_are_refused() {
    let ctx = Ctx::new(TYPE, "Board");
    let ok = parse(&json!({"DashboardBody": "{\"widgets\": []}"}), ctx);
    assert_eq!(ok.ok(), Some((None, "{\"widgets\": []}".to_owned())));
    for (props, named) in [
        (json!({"DashboardBody": "{widgets"}), "DashboardBody"),
        (json!({}), "DashboardBody"),
        (json!({"DashboardBody": "{}", "Tags": []}), "Tags"),
    ] {
        let err = parse(&props, ctx).expect_err("refused");
        assert!(err.message.contains(named), "{}", err.message);
    }
}
