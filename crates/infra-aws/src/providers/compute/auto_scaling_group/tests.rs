//! Unit tests of `AWS::AutoScaling::AutoScalingGroup`: property mapping, refusals, update
//! requests and error classes.

use std::collections::BTreeMap;

use super::*;
use serde_json::json;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Stack.ASG")
}

fn client() -> aws_sdk_autoscaling::Client {
    let config = aws_sdk_autoscaling::Config::builder()
        .behavior_version(aws_sdk_autoscaling::config::BehaviorVersion::latest())
        .build();
    aws_sdk_autoscaling::Client::from_conf(config)
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    props::parse(value, ctx, &client())
}

#[test]
fn maps_the_fixture_group() {
    let spec = parse(
        &json!({
            "VPCZoneIdentifier": ["subnet-1", "subnet-2"],
            "LaunchTemplate": {"LaunchTemplateId": "lt-1", "Version": "3"},
            "MinSize": 0,
            "MaxSize": "4",
            "DesiredCapacity": "1",
            "NewInstancesProtectedFromScaleIn": true,
            "Tags": [{"Key": "team", "Value": "a", "PropagateAtLaunch": "true"}]
        }),
        ctx(),
    )
    .expect("parses");
    assert_eq!(spec.vpc_zone.as_deref(), Some("subnet-1,subnet-2"));
    let group = spec.request.as_input();
    let sizes = (group.get_min_size(), group.get_max_size());
    assert_eq!(sizes, (&Some(0), &Some(4)));
    assert_eq!(group.get_desired_capacity(), &Some(1));
    assert_eq!(
        group.get_new_instances_protected_from_scale_in(),
        &Some(true)
    );
    let lt = group
        .get_launch_template()
        .clone()
        .expect("launch template");
    assert_eq!(lt.launch_template_id(), Some("lt-1"));
    assert_eq!(lt.version(), Some("3"));
    let infra = BTreeMap::from([("infra:stack".to_owned(), "demo".to_owned())]);
    let tags = all_tags(
        &parse(&json!({"MinSize": 0, "MaxSize": 1}), ctx()).expect("ok"),
        &infra,
        "g",
    );
    assert!(
        tags["infra:stack"].propagate_at_launch == Some(true),
        "infra tags propagate at launch"
    );
    assert_eq!(spec.tags[0].propagate_at_launch, Some(true));
}

#[test]
fn refuses_unmapped_properties() {
    for (props, named) in [
        (
            json!({"MinSize": 0, "MaxSize": 1, "TrafficSources": []}),
            "TrafficSources",
        ),
        (
            json!({"MinSize": 0, "MaxSize": 1, "NotificationConfigurations": []}),
            "NotificationConfigurations",
        ),
        (
            json!({"MinSize": 0, "MaxSize": 1, "MixedInstancesPolicy": {
                "LaunchTemplate": {
                    "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
                    "Overrides": [{"InstanceRequirements": {}}]
                }
            }}),
            "MixedInstancesPolicy.LaunchTemplate.Overrides[0].InstanceRequirements",
        ),
        (json!({"MinSize": 0, "MaxSize": 1, "Bogus": 1}), "Bogus"),
    ] {
        let err = parse(&props, ctx()).expect_err("refused");
        assert!(err.message.contains(named), "{named}: {}", err.message);
    }
    let err = parse(&json!({"MaxSize": 1}), ctx()).expect_err("MinSize is required");
    assert!(err.message.contains("MinSize"));
    let err = parse(
        &json!({"MinSize": 0, "MaxSize": 1, "LaunchTemplate": {"Version": "1"}}),
        ctx(),
    )
    .expect_err("needs an id or a name");
    assert!(err.message.contains("LaunchTemplateId"), "{}", err.message);
}

#[test]
fn update_sends_only_what_changed() {
    let before = json!({"MinSize": 0, "MaxSize": 2, "Cooldown": 60});
    let after = json!({"MinSize": "0", "MaxSize": 3});
    let diff = |key: &str| changed(&before, &after, key);
    let spec = parse(&after, ctx()).expect("parses");
    let p = Props::root(&after, ctx(), AUTO_SCALING_GROUP).expect("keys");
    let (req, any) =
        update_request(client().update_auto_scaling_group(), &p, &spec, &diff).expect("updates");
    assert!(any);
    let input = req.as_input();
    assert_eq!(input.get_min_size(), &None, "MinSize is unchanged");
    assert_eq!(input.get_max_size(), &Some(3));
    assert_eq!(
        input.get_default_cooldown(),
        &Some(300),
        "removed: AWS's default"
    );
}

#[test]
fn delete_errors_are_classed_for_the_engine() {
    assert_eq!(
        kit::code_class("ScalingActivityInProgress", "x"),
        FailureClass::DependencyViolation
    );
    assert_eq!(
        kit::code_class("ResourceInUse", "x"),
        FailureClass::DependencyViolation
    );
    assert_eq!(
        kit::code_class("ValidationError", "AutoScalingGroup name not found - x"),
        FailureClass::NotFound
    );
}
