//! The ECS auto scaling example (`examples/ecs-autoscaling/template.yaml`) end to end on the AWS
//! API emulator: apply; what the template says checked through the Application Auto Scaling,
//! Auto Scaling and CloudWatch APIs; a second plan with no changes; in-place updates (the
//! target's `MaxCapacity`, the tracking policy's `TargetValue`); a replacement (the launch
//! configuration's instance type, the group moved to the new one); destroy with nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use cli::{assert_no_changes, edit, id, infra, ok, recorded_ids, s};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "scale";

/// What the emulator holds for the stack, in one Python process: the service's scalable
/// targets, their policies and scheduled actions; the fleet's launch configuration, group,
/// hooks, policies and scheduled actions; the alarm.
fn census(endpoint: &str, ids: &Value) -> Vec<Value> {
    let resource_id = id(ids, "ScalableTarget")
        .split('|')
        .next()
        .expect("a resource id")
        .to_owned();
    let fleet = id(ids, "Fleet");
    let app = "application-autoscaling";
    let calls: Vec<boto::Call<'_>> = vec![
        (
            app,
            "describe_scalable_targets",
            json!({"ServiceNamespace": "ecs", "ResourceIds": [resource_id]}),
        ),
        (
            app,
            "describe_scaling_policies",
            json!({"ServiceNamespace": "ecs", "ResourceId": resource_id}),
        ),
        (
            app,
            "describe_scheduled_actions",
            json!({"ServiceNamespace": "ecs", "ResourceId": resource_id}),
        ),
        (
            "autoscaling",
            "describe_launch_configurations",
            json!({"LaunchConfigurationNames": [id(ids, "LaunchConfig")]}),
        ),
        (
            "autoscaling",
            "describe_auto_scaling_groups",
            json!({"AutoScalingGroupNames": [fleet]}),
        ),
        (
            "autoscaling",
            "describe_lifecycle_hooks",
            json!({"AutoScalingGroupName": fleet}),
        ),
        (
            "autoscaling",
            "describe_policies",
            json!({"AutoScalingGroupName": fleet}),
        ),
        (
            "autoscaling",
            "describe_scheduled_actions",
            json!({"AutoScalingGroupName": fleet}),
        ),
        (
            "cloudwatch",
            "describe_alarms",
            json!({"AlarmNames": [id(ids, "CpuHigh")]}),
        ),
    ];
    boto::batch(endpoint, &calls)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("census: {e}")))
        .collect()
}

fn policy<'v>(policies: &'v Value, name: &str) -> &'v Value {
    policies["ScalingPolicies"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["PolicyName"] == name))
        .unwrap_or_else(|| panic!("no policy {name} in {policies}"))
}

#[test]
fn the_ecs_autoscaling_example_applies_updates_and_destroys_with_nothing_left() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("ecs-autoscaling", dir.path());
    let state = dir.path().join("scale.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 12 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let target_id = id(&ids, "ScalableTarget").to_owned();
    assert!(
        target_id.ends_with("|ecs:service:DesiredCount|ecs"),
        "{target_id}"
    );
    let seen = census(&endpoint, &ids);

    // The service's scalable target, its scheduled action and its two policies.
    let targets = seen[0]["ScalableTargets"].as_array().expect("targets");
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(
        (&targets[0]["MinCapacity"], &targets[0]["MaxCapacity"]),
        (&json!(1), &json!(4))
    );
    let tracking = policy(&seen[1], "scale-cpu-tracking");
    assert_eq!(tracking["PolicyType"], "TargetTrackingScaling");
    let config = &tracking["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(config["TargetValue"], json!(60.0));
    assert_eq!(
        config["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageCPUUtilization"
    );
    let step = policy(&seen[1], "scale-cpu-step");
    let steps = &step["StepScalingPolicyConfiguration"]["StepAdjustments"];
    assert_eq!(steps.as_array().map(Vec::len), Some(2), "{step}");
    assert_eq!(step["PolicyARN"], json!(id(&ids, "CpuStep")));
    let actions = seen[2]["ScheduledActions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["ScheduledActionName"], "nightly-floor");
    assert_eq!(
        actions[0]["ScalableTargetAction"],
        json!({"MinCapacity": 1, "MaxCapacity": 2})
    );

    // The fleet: launch configuration, group, hook, policy, scheduled action.
    let lc = &seen[3]["LaunchConfigurations"][0];
    assert_eq!(
        (&lc["ImageId"], &lc["InstanceType"]),
        (&json!("ami-03cf127a"), &json!("t3.micro"))
    );
    assert_eq!(lc["MetadataOptions"]["HttpTokens"], "required");
    let group = &seen[4]["AutoScalingGroups"][0];
    assert_eq!(
        group["LaunchConfigurationName"],
        json!(id(&ids, "LaunchConfig"))
    );
    let hook = &seen[5]["LifecycleHooks"][0];
    assert_eq!(hook["LifecycleHookName"], json!(id(&ids, "LaunchHook")));
    assert_eq!(
        hook["LifecycleTransition"],
        "autoscaling:EC2_INSTANCE_LAUNCHING"
    );
    assert_eq!(
        (&hook["HeartbeatTimeout"], &hook["DefaultResult"]),
        (&json!(300), &json!("CONTINUE"))
    );
    let fleet_policies = seen[6]["ScalingPolicies"].as_array().expect("policies");
    assert_eq!(fleet_policies.len(), 1);
    assert_eq!(fleet_policies[0]["PolicyARN"], json!(id(&ids, "FleetCpu")));
    assert_eq!(
        fleet_policies[0]["TargetTrackingConfiguration"]["TargetValue"],
        json!(50.0)
    );
    let nightly = &seen[7]["ScheduledUpdateGroupActions"][0];
    assert_eq!(
        nightly["ScheduledActionName"],
        json!(id(&ids, "NightlyScaleIn"))
    );
    assert_eq!(
        (&nightly["Recurrence"], &nightly["MaxSize"]),
        (&json!("0 22 * * *"), &json!(1))
    );

    // The alarm drives the step policy.
    let alarm = &seen[8]["MetricAlarms"][0];
    assert_eq!(alarm["AlarmActions"], json!([id(&ids, "CpuStep")]));

    assert_no_changes(&emulator, &base);

    // In place: the target's MaxCapacity and the tracking policy's target value.
    edit(&template, "    Default: 4\n", "    Default: 6\n");
    edit(&template, "    Default: 60\n", "    Default: 50\n");
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 0 added, 2 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    assert_eq!(id(&ids, "ScalableTarget"), target_id, "updated in place");
    let seen = census(&endpoint, &ids);
    assert_eq!(seen[0]["ScalableTargets"][0]["MaxCapacity"], json!(6));
    let tracking = policy(&seen[1], "scale-cpu-tracking");
    assert_eq!(
        tracking["TargetTrackingScalingPolicyConfiguration"]["TargetValue"],
        json!(50.0)
    );
    assert_no_changes(&emulator, &base);

    // A replacement: a new instance type is a new launch configuration; the group moves to it
    // and the old one is deleted.
    let old_lc = id(&ids, "LaunchConfig").to_owned();
    edit(
        &template,
        "    Default: t3.micro\n",
        "    Default: t3.small\n",
    );
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 1 added, 1 changed, 1 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let new_lc = id(&ids, "LaunchConfig");
    assert_ne!(new_lc, old_lc);
    let seen = census(&endpoint, &ids);
    assert_eq!(
        seen[3]["LaunchConfigurations"][0]["InstanceType"],
        "t3.small"
    );
    assert_eq!(
        seen[4]["AutoScalingGroups"][0]["LaunchConfigurationName"],
        json!(new_lc)
    );
    let old = boto::boto(
        &endpoint,
        "autoscaling",
        "describe_launch_configurations",
        json!({"LaunchConfigurationNames": [old_lc]}),
    );
    assert_eq!(
        old["LaunchConfigurations"],
        json!([]),
        "the replaced one is deleted"
    );
    assert_no_changes(&emulator, &base);

    // Destroy: nothing of the stack is left.
    let out = ok(&run(&["destroy", "--auto-approve"]));
    assert!(out.contains("12 destroyed"), "{out}");
    let left = boto::batch(
        &endpoint,
        &[
            (
                "application-autoscaling",
                "describe_scalable_targets",
                json!({"ServiceNamespace": "ecs"}),
            ),
            (
                "application-autoscaling",
                "describe_scaling_policies",
                json!({"ServiceNamespace": "ecs"}),
            ),
            (
                "application-autoscaling",
                "describe_scheduled_actions",
                json!({"ServiceNamespace": "ecs"}),
            ),
            ("autoscaling", "describe_launch_configurations", json!({})),
            ("autoscaling", "describe_auto_scaling_groups", json!({})),
            ("autoscaling", "describe_policies", json!({})),
            ("autoscaling", "describe_scheduled_actions", json!({})),
            (
                "cloudwatch",
                "describe_alarms",
                json!({"AlarmNamePrefix": STACK}),
            ),
        ],
    );
    let keys = [
        "ScalableTargets",
        "ScalingPolicies",
        "ScheduledActions",
        "LaunchConfigurations",
        "AutoScalingGroups",
        "ScalingPolicies",
        "ScheduledUpdateGroupActions",
        "MetricAlarms",
    ];
    for (answer, key) in left.into_iter().zip(keys) {
        let answer = answer.unwrap_or_else(|e| panic!("after destroy: {e}"));
        assert_eq!(answer[key], json!([]), "{key} left after destroy");
    }
}
