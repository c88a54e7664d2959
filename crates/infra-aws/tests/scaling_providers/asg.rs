//! EC2 Auto Scaling: a launch configuration, and a group made from it (with the Auto Scaling
//! API: the group's provider is tested elsewhere) that gets a lifecycle hook, a simple and a
//! target tracking scaling policy and a scheduled action.

use serde_json::json;

use crate::harness::Env;

const LAUNCH_CONFIGURATION: &str = "AWS::AutoScaling::LaunchConfiguration";
const HOOK: &str = "AWS::AutoScaling::LifecycleHook";
const POLICY: &str = "AWS::AutoScaling::ScalingPolicy";
const SCHEDULED: &str = "AWS::AutoScaling::ScheduledAction";

async fn group(env: &Env, name: &str, launch_configuration: &str) {
    env.autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name(name)
        .launch_configuration_name(launch_configuration)
        .min_size(0)
        .max_size(2)
        .desired_capacity(0)
        .availability_zones("us-east-1a")
        .send()
        .await
        .expect("CreateAutoScalingGroup");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_configuration_and_what_hangs_on_a_group() {
    let env = Env::new().await;

    // The launch configuration, under its generated name.
    let lc_address = "Asg.LaunchConfig";
    let lc_props = json!({
        "ImageId": "ami-03cf127a",
        "InstanceType": "t3.micro",
        "SecurityGroups": ["sg-12345678"],
        "InstanceMonitoring": false,
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": "30", "VolumeType": "gp3"}}],
        "MetadataOptions": {"HttpTokens": "required"}
    });
    let lc = env
        .create(LAUNCH_CONFIGURATION, lc_address, &lc_props)
        .await;
    assert_eq!(lc.physical_id, "scaling-Asg-LaunchConfig-GEN");
    let described = env
        .autoscaling
        .describe_launch_configurations()
        .launch_configuration_names(&lc.physical_id)
        .send()
        .await
        .expect("DescribeLaunchConfigurations");
    let seen = described.launch_configurations().first().expect("made");
    assert_eq!(seen.image_id(), Some("ami-03cf127a"));
    assert_eq!(seen.instance_type(), Some("t3.micro"));
    assert_eq!(seen.security_groups(), ["sg-12345678".to_owned()]);
    let ebs = seen.block_device_mappings().first().and_then(|b| b.ebs());
    assert_eq!(ebs.and_then(|e| e.volume_size()), Some(30));
    assert_eq!(
        env.read_one(LAUNCH_CONFIGURATION, lc_address, &lc, &lc_props)
            .await,
        lc_props
    );

    let group_name = "scaling-asg-group";
    group(&env, group_name, &lc.physical_id).await;

    // A lifecycle hook.
    let hook_address = "Asg.LaunchHook";
    let hook_props = json!({
        "AutoScalingGroupName": group_name,
        "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
        "HeartbeatTimeout": "300",
        "DefaultResult": "CONTINUE"
    });
    let hook = env.create(HOOK, hook_address, &hook_props).await;
    assert_eq!(hook.physical_id, "scaling-Asg-LaunchHook-GEN");
    let hooks = env
        .autoscaling
        .describe_lifecycle_hooks()
        .auto_scaling_group_name(group_name)
        .send()
        .await
        .expect("DescribeLifecycleHooks");
    let seen = hooks.lifecycle_hooks().first().expect("the hook");
    assert_eq!(seen.heartbeat_timeout(), Some(300));
    assert_eq!(seen.default_result(), Some("CONTINUE"));
    assert_eq!(
        env.read_one(HOOK, hook_address, &hook, &hook_props).await,
        hook_props
    );
    let mut hook_after = hook_props.clone();
    hook_after["HeartbeatTimeout"] = json!(600);
    let hook = env
        .update(HOOK, hook_address, &hook, &hook_props, &hook_after)
        .await;
    let hooks = env
        .autoscaling
        .describe_lifecycle_hooks()
        .auto_scaling_group_name(group_name)
        .send()
        .await
        .expect("DescribeLifecycleHooks");
    assert_eq!(hooks.lifecycle_hooks()[0].heartbeat_timeout(), Some(600));
    // A change made outside infra shows in a refresh (drift).
    env.autoscaling
        .put_lifecycle_hook()
        .lifecycle_hook_name(&hook.physical_id)
        .auto_scaling_group_name(group_name)
        .heartbeat_timeout(900)
        .send()
        .await
        .expect("PutLifecycleHook");
    let drifted = env.read_one(HOOK, hook_address, &hook, &hook_after).await;
    assert_eq!(drifted["HeartbeatTimeout"], json!(900));

    // A simple and a target tracking policy, under names made up from the create's intent.
    let simple_address = "Asg.ScaleOut";
    let simple_props = json!({
        "AutoScalingGroupName": group_name,
        "PolicyType": "SimpleScaling",
        "AdjustmentType": "ChangeInCapacity",
        "ScalingAdjustment": 1,
        "Cooldown": "120"
    });
    let simple = env.create(POLICY, simple_address, &simple_props).await;
    let simple_name = simple.attributes["PolicyName"]
        .as_str()
        .expect("PolicyName")
        .to_owned();
    assert!(simple_name.starts_with("ScaleOut-"), "{simple_name}");
    assert_eq!(
        simple.attributes.get("Arn"),
        Some(&json!(simple.physical_id))
    );
    let tracking_address = "Asg.CpuTarget";
    let tracking_props = json!({
        "AutoScalingGroupName": group_name,
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {
            "TargetValue": 50,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}
        }
    });
    let tracking = env.create(POLICY, tracking_address, &tracking_props).await;
    let policies = env
        .autoscaling
        .describe_policies()
        .auto_scaling_group_name(group_name)
        .send()
        .await
        .expect("DescribePolicies");
    let by_name = |name: &str| {
        policies
            .scaling_policies()
            .iter()
            .find(|p| p.policy_name() == Some(name))
            .cloned()
            .unwrap_or_else(|| panic!("no policy {name}"))
    };
    let seen = by_name(&simple_name);
    assert_eq!(
        (seen.scaling_adjustment(), seen.cooldown()),
        (Some(1), Some(120))
    );
    let tracking_name = tracking.attributes["PolicyName"]
        .as_str()
        .expect("PolicyName");
    let seen = by_name(tracking_name);
    let target = seen
        .target_tracking_configuration()
        .and_then(|t| t.target_value());
    assert_eq!(target, Some(50.0));
    let read = env
        .read(
            POLICY,
            &[
                (simple_address, &simple, &simple_props),
                (tracking_address, &tracking, &tracking_props),
            ],
        )
        .await;
    for (address, props) in [
        (simple_address, &simple_props),
        (tracking_address, &tracking_props),
    ] {
        match read.get(address) {
            Some(infra_aws::provider::Observation::Present { properties, .. }) => {
                assert_eq!(properties, props, "{address}")
            }
            other => panic!("{address}: {other:?}"),
        }
    }
    let mut simple_after = simple_props.clone();
    simple_after["ScalingAdjustment"] = json!(2);
    let simple = env
        .update(
            POLICY,
            simple_address,
            &simple,
            &simple_props,
            &simple_after,
        )
        .await;
    let policies = env
        .autoscaling
        .describe_policies()
        .policy_names(&simple_name)
        .send()
        .await
        .expect("DescribePolicies");
    assert_eq!(policies.scaling_policies()[0].scaling_adjustment(), Some(2));

    // A scheduled action.
    let scheduled_address = "Asg.NightlyScaleIn";
    let scheduled_props = json!({
        "AutoScalingGroupName": group_name,
        "MinSize": 0,
        "MaxSize": "1",
        "DesiredCapacity": 0,
        "Recurrence": "0 22 * * *"
    });
    let scheduled = env
        .create(SCHEDULED, scheduled_address, &scheduled_props)
        .await;
    assert!(
        scheduled.physical_id.starts_with("NightlyScaleIn-"),
        "{scheduled:?}"
    );
    assert_eq!(
        scheduled.attributes.get("ScheduledActionName"),
        Some(&json!(scheduled.physical_id))
    );
    let actions = env
        .autoscaling
        .describe_scheduled_actions()
        .auto_scaling_group_name(group_name)
        .send()
        .await
        .expect("DescribeScheduledActions");
    let seen = actions
        .scheduled_update_group_actions()
        .first()
        .expect("the action");
    assert_eq!(seen.recurrence(), Some("0 22 * * *"));
    assert_eq!(seen.max_size(), Some(1));
    assert_eq!(
        env.read_one(SCHEDULED, scheduled_address, &scheduled, &scheduled_props)
            .await,
        scheduled_props
    );
    let mut scheduled_after = scheduled_props.clone();
    scheduled_after["Recurrence"] = json!("0 23 * * *");
    let scheduled = env
        .update(
            SCHEDULED,
            scheduled_address,
            &scheduled,
            &scheduled_props,
            &scheduled_after,
        )
        .await;
    assert_eq!(
        env.read_one(SCHEDULED, scheduled_address, &scheduled, &scheduled_after)
            .await["Recurrence"],
        json!("0 23 * * *")
    );

    // Teardown in the graph's order: what hangs on the group, the group, its configuration.
    env.delete(SCHEDULED, scheduled_address, &scheduled, &scheduled_after)
        .await;
    env.delete(POLICY, simple_address, &simple, &simple_after)
        .await;
    env.delete(POLICY, tracking_address, &tracking, &tracking_props)
        .await;
    env.delete(HOOK, hook_address, &hook, &hook_after).await;
    env.autoscaling
        .delete_auto_scaling_group()
        .auto_scaling_group_name(group_name)
        .force_delete(true)
        .send()
        .await
        .expect("DeleteAutoScalingGroup");
    env.delete(LAUNCH_CONFIGURATION, lc_address, &lc, &lc_props)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_and_refused_properties_are_named() {
    let env = Env::new().await;
    let props = json!({"AutoScalingGroupName": "g", "PolicyName": "mine"});
    let err = env
        .try_create(POLICY, "Asg.Named", &props)
        .await
        .expect_err("read-only");
    assert!(
        err.message.contains("PolicyName") && err.message.contains("read-only"),
        "{err}"
    );
    let props =
        json!({"ImageId": "ami-1", "InstanceType": "t3.micro", "ClassicLinkVPCId": "vpc-1"});
    let err = env
        .try_create(LAUNCH_CONFIGURATION, "Asg.Classic", &props)
        .await
        .expect_err("refused");
    assert!(err.message.contains("ClassicLinkVPCId"), "{err}");
}
