//! Unit tests of the rule provider: property parsing, refusals, ids, reading back targets.

use serde_json::json;

use super::read::shaped;
use super::read::{common_prefix, ordered};
use super::{TYPE, parse, physical_id, sdk_target, split_id};
use crate::provider::ProviderError;
use crate::providers::kit::Ctx;

#[test]
fn properties_are_read_and_refusals_name_the_path() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Rule");
    let spec = parse(
        &json!({"EventPattern": "{\"source\": [\"aws.ecs\"]}",
            "EventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/orders",
            "State": "DISABLED",
            "Targets": [{"Id": "logs", "Arn": "arn:aws:logs:us-east-1:1:log-group:x",
                "InputTransformer": {"InputPathsMap": {"id": "$.id"}, "InputTemplate": "\"<id>\""},
                "RetryPolicy": {"MaximumRetryAttempts": "3"}}],
            "Tags": [{"Key": "team", "Value": "a"}]}),
        ctx,
    )?;
    assert_eq!(spec.pattern, Some(json!({"source": ["aws.ecs"]})));
    assert_eq!(spec.bus.as_deref(), Some("orders"));
    assert_eq!(spec.targets.len(), 1);
    let refused = json!({"ScheduleExpression": "rate(1 day)",
        "Targets": [{"Id": "a", "Arn": "arn:x", "BatchParameters": {"JobName": "j", "JobDefinition": "d"}}]});
    let err = parse(&refused, ctx).expect_err("batch");
    assert!(
        err.message
            .contains("property Targets[0].BatchParameters is not supported"),
        "{err}"
    );
    let err = parse(
        &json!({"RuleName": "x", "ScheduleExpression": "rate(1 day)"}),
        ctx,
    )
    .expect_err("attribute");
    assert!(
        err.message
            .contains("RuleName is not supported: it is an attribute"),
        "{err}"
    );
    let err = parse(&json!({"Description": "neither"}), ctx).expect_err("no pattern");
    assert!(
        err.message.contains("EventPattern, a ScheduleExpression"),
        "{err}"
    );
    let err = parse(
        &json!({"ScheduleExpression": "rate(1 day)", "Targets": [{"Id": "a"}]}),
        ctx,
    )
    .expect_err("no arn");
    assert!(err.message.contains("Targets[0].Arn is required"), "{err}");
    Ok(())
}

#[test]
fn ecs_targets_map_every_field() -> Result<(), ProviderError> {
    let ctx = Ctx::new(TYPE, "App.Rule");
    let target = sdk_target(
        &json!({"Id": "task", "Arn": "arn:aws:ecs:us-east-1:1:cluster/c", "RoleArn": "arn:r",
            "EcsParameters": {"TaskDefinitionArn": "arn:td", "TaskCount": "2", "LaunchType": "FARGATE",
                "PlatformVersion": "LATEST", "Group": "g", "PropagateTags": "TASK_DEFINITION",
                "EnableECSManagedTags": true, "EnableExecuteCommand": "false", "ReferenceId": "r",
                "NetworkConfiguration": {"AwsVpcConfiguration": {"Subnets": ["s-1"], "AssignPublicIp": "DISABLED"}},
                "CapacityProviderStrategy": [{"CapacityProvider": "FARGATE", "Weight": 1}],
                "PlacementConstraints": [{"Type": "memberOf", "Expression": "attribute:x == y"}],
                "PlacementStrategies": [{"Type": "spread", "Field": "host"}],
                "TagList": [{"Key": "k", "Value": "v"}]}}),
        "Targets[0]",
        ctx,
    )?;
    let ecs = target.ecs_parameters().expect("ecs");
    assert_eq!(ecs.task_count(), Some(2));
    assert!(ecs.enable_ecs_managed_tags() && !ecs.enable_execute_command());
    assert_eq!(ecs.capacity_provider_strategy()[0].weight(), 1);
    let round = crate::generated::eventbridge::report_target(&target);
    assert_eq!(
        round["EcsParameters"]["NetworkConfiguration"]["AwsVpcConfiguration"]["Subnets"],
        json!(["s-1"])
    );
    assert_eq!(
        round["EcsParameters"]["PlacementStrategies"],
        json!([{"Type": "spread", "Field": "host"}])
    );
    let err = sdk_target(
        &json!({"Id": "a", "Arn": "b", "EcsParameters": {"TaskDefinitionArn": "t", "Count": 1}}),
        "Targets[0]",
        ctx,
    )
    .expect_err("unknown key");
    assert!(
        err.message.contains("Targets[0].EcsParameters.Count"),
        "{err}"
    );
    Ok(())
}

#[test]
fn ids_name_the_bus_only_when_not_the_default() {
    assert_eq!(physical_id(None, "r"), "r");
    assert_eq!(physical_id(Some("orders"), "r"), "orders|r");
    assert_eq!(split_id("orders|r"), (Some("orders"), "r"));
    assert_eq!(split_id("r"), (None, "r"));
}

#[test]
fn targets_read_back_in_the_template_order_and_shape() {
    let previous = json!([{"Id": "b", "Arn": "arn:b", "EcsParameters": {"TaskDefinitionArn": "t"}},
        {"Id": "a", "Arn": "arn:a"}]);
    let found = vec![
        json!({"Id": "a", "Arn": "arn:a", "Input": null}),
        json!({"Id": "c", "Arn": "arn:c"}),
        json!({"Id": "b", "Arn": "arn:b", "EcsParameters": {"TaskDefinitionArn": "t", "TaskCount": 1}}),
    ];
    assert_eq!(
        ordered(found, Some(&previous)),
        json!([{"Id": "b", "Arn": "arn:b", "EcsParameters": {"TaskDefinitionArn": "t"}},
            {"Id": "a", "Arn": "arn:a"}, {"Id": "c", "Arn": "arn:c"}])
    );
    assert_eq!(
        shaped(json!({"a": 1, "b": 2}), None),
        json!({"a": 1, "b": 2})
    );
    assert_eq!(common_prefix(&["stack-A-1", "stack-B-2"]), "stack-");
    assert_eq!(common_prefix(&["x", "y"]), "");
}
