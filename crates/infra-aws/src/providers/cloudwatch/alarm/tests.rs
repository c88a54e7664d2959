//! Unit tests of the alarm's property parsing and rendering.

use serde_json::json;

use super::TYPE;
use super::spec::*;
use crate::provider::FailureClass;
use crate::providers::kit::Ctx;
use aws_sdk_cloudwatch::types::Statistic;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "HighCpu")
}

#[test]
fn a_metric_alarm_and_a_math_alarm_parse_and_render_back() {
    let metric = json!({
        "AlarmName": "cpu", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
        "Statistic": "Average", "Period": "60", "EvaluationPeriods": 2, "Threshold": "80",
        "ComparisonOperator": "GreaterThanThreshold", "Unit": "Percent",
        "Dimensions": [{"Name": "b", "Value": "2"}, {"Name": "a", "Value": "1"}],
        "AlarmActions": ["arn:aws:sns:us-east-1:1:t"], "Tags": [{"Key": "team", "Value": "x"}]
    });
    let (alarm, tags) = parse(&metric, ctx()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(alarm.threshold(), Some(80.0));
    assert_eq!(alarm.statistic(), Some(&Statistic::Average));
    assert_eq!(tags, vec![("team".to_owned(), "x".to_owned())]);
    let shown = render(&alarm);
    assert_eq!(shown["Threshold"], json!(80));
    assert_eq!(shown["Dimensions"][0]["Name"], json!("a"));
    // The template's own spelling is kept when AWS says the same.
    assert_eq!(observed(&shown, &metric, "Threshold"), Some(json!("80")));
    assert_eq!(
        observed(&shown, &metric, "Dimensions"),
        Some(metric["Dimensions"].clone())
    );
    let math = json!({"ComparisonOperator": "LessThanThreshold", "EvaluationPeriods": 1,
        "Threshold": 1.5, "Metrics": [
            {"Id": "e1", "Expression": "m1 / 2", "ReturnData": true},
            {"Id": "m1", "ReturnData": false, "MetricStat": {"Period": 300, "Stat": "Sum",
                "Metric": {"Namespace": "AWS/SQS", "MetricName": "NumberOfMessagesSent"}}}]});
    let (alarm, _) = parse(&math, ctx()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(alarm.metrics().len(), 2);
    let shown = render(&alarm);
    assert_eq!(
        shown["Metrics"][0],
        json!({"Id": "e1", "Expression": "m1 / 2"})
    );
    assert_eq!(
        observed(&shown, &math, "Metrics"),
        Some(math["Metrics"].clone())
    );
}

#[test]
fn refuses_what_it_cannot_send_naming_the_property() {
    for (props, named) in [
        (json!({"EvaluationInterval": 60}), "EvaluationInterval"),
        (json!({"WarmUpConfiguration": {}}), "WarmUpConfiguration"),
        (json!({"Arn": "x"}), "Arn"),
        (json!({"Statistic": "Mean"}), "Statistic"),
        (json!({"Threshold": "high"}), "Threshold"),
        (json!({"Metrics": [{"Id": "m1"}]}), "Expression"),
        (
            json!({"Metrics": [{"Id": "m1", "Expression": "1", "Stat": "x"}]}),
            "Stat",
        ),
    ] {
        let err = parse(&props, ctx()).expect_err("refused");
        assert_eq!(err.class, FailureClass::Fatal);
        assert!(err.message.contains(named), "{}", err.message);
    }
}
