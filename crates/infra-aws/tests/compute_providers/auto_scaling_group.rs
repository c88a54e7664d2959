//! The Auto Scaling group: made from a launch template, updated in place, force-deleted; and
//! the refusal of unmapped properties.

use std::collections::BTreeMap;

use infra_aws::provider::{FailureClass, Observation, ResourceOutput};
use serde_json::json;

use crate::harness::*;

async fn instance_state(env: &Env, id: &str) -> String {
    let out = env
        .ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeInstances: {e:?}"));
    out.reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| i.instance_id() == Some(id))
        .and_then(|i| i.state())
        .and_then(|s| s.name())
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|| "absent".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_scaling_group_from_a_launch_template_force_deleted() {
    let env = Env::new("asg").await;
    let (_vpc, subnets) = network(&env).await;
    let lt_props = launch_template_props("t3.micro");
    let lt = env
        .create(
            LAUNCH_TEMPLATE,
            "ClusterStack.ContainerInstances",
            lt_props.clone(),
        )
        .await;

    let address = "ClusterStack.ECSAutoScalingGroup";
    let props = json!({
        "VPCZoneIdentifier": subnets,
        "LaunchTemplate": {
            "LaunchTemplateId": lt.physical_id,
            "Version": attr(&lt, "LatestVersionNumber"),
        },
        "MinSize": 0,
        "MaxSize": "2",
        "DesiredCapacity": "1",
        "NewInstancesProtectedFromScaleIn": true,
        "HealthCheckGracePeriod": 60,
        "Tags": [{"Key": "team", "Value": "compute", "PropagateAtLaunch": true}]
    });
    let out = env.create(GROUP, address, props.clone()).await;
    let name = out.physical_id.clone();
    assert_eq!(name, "asg-ClusterStack-ECSAutoScalingGroup-GEN");
    assert!(
        attr(&out, "AutoScalingGroupARN").starts_with("arn:aws:autoscaling:"),
        "{out:?}"
    );
    assert_eq!(
        attr(&out, "LaunchTemplate.LaunchTemplateId"),
        lt.physical_id
    );

    // What AWS holds: the group, one protected instance in service, the tags.
    let groups = env
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeAutoScalingGroups: {e:?}"));
    let group = &groups.auto_scaling_groups()[0];
    assert_eq!(group.min_size(), Some(0));
    assert_eq!(group.max_size(), Some(2));
    assert_eq!(group.desired_capacity(), Some(1));
    assert_eq!(
        group.vpc_zone_identifier(),
        Some(subnets.join(",").as_str()),
        "the subnet list is sent comma-joined"
    );
    assert_eq!(group.new_instances_protected_from_scale_in(), Some(true));
    let instances = group.instances();
    assert_eq!(instances.len(), 1, "{instances:?}");
    assert_eq!(instances[0].protected_from_scale_in(), Some(true));
    let instance_id = instances[0].instance_id().expect("instance id").to_owned();
    let tags: BTreeMap<&str, (&str, Option<bool>)> = group
        .tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default(),
                (t.value().unwrap_or_default(), t.propagate_at_launch()),
            )
        })
        .collect();
    assert_eq!(tags.get("team"), Some(&("compute", Some(true))));
    assert_eq!(
        tags.get("infra:address"),
        Some(&(address, Some(true))),
        "infra's tags propagate at launch: {tags:?}"
    );

    // Read: properties as the template wrote them.
    let observation = env.read_one(GROUP, address, &out, &props).await;
    let (observed, attributes) = present(&observation);
    assert_eq!(observed["VPCZoneIdentifier"], props["VPCZoneIdentifier"]);
    assert_eq!(observed["MaxSize"], json!("2"));
    assert_eq!(observed["DesiredCapacity"], json!("1"));
    assert_eq!(observed["LaunchTemplate"], props["LaunchTemplate"]);
    assert_eq!(observed["NewInstancesProtectedFromScaleIn"], json!(true));
    assert_eq!(observed["Tags"], props["Tags"]);
    assert_eq!(attributes.get("AutoScalingGroupName"), Some(&json!(name)));

    // Update MaxSize in place.
    let mut after = props.clone();
    after["MaxSize"] = json!(3);
    let updated = env.update(GROUP, address, &out, &props, &after).await;
    assert_eq!(attr(&updated, "MaxSize"), "3");
    let groups = env
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeAutoScalingGroups: {e:?}"));
    assert_eq!(groups.auto_scaling_groups()[0].max_size(), Some(3));
    let observation = env.read_one(GROUP, address, &updated, &after).await;
    assert_eq!(present(&observation).0["MaxSize"], json!(3));

    // Delete: the native teardown step, ForceDelete, then wait until the group is gone.
    env.delete(GROUP, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("delete: {e} ({:?})", e.class));
    assert_eq!(
        env.force_deletes
            .0
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default(),
        vec![Some(true)],
        "DeleteAutoScalingGroup is sent with ForceDelete"
    );
    let groups = env
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeAutoScalingGroups: {e:?}"));
    assert!(groups.auto_scaling_groups().is_empty(), "the group is gone");
    assert_eq!(
        env.read_one(GROUP, address, &updated, &after).await,
        Observation::Gone
    );
    // moto difference: AWS's ForceDelete terminates every instance of the group, protected or
    // not; moto's DeleteAutoScalingGroup ignores ForceDelete and scales to zero, which keeps
    // instances protected from scale-in running. So on moto the protected instance is still
    // there; the request carried ForceDelete (checked above), which is what AWS acts on.
    let state = instance_state(&env, &instance_id).await;
    if state != "terminated" && state != "shutting-down" {
        assert_eq!(
            state, "running",
            "moto leaves the protected instance as it was"
        );
        env.ec2
            .terminate_instances()
            .instance_ids(&instance_id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("TerminateInstances: {e:?}"));
    }

    // A second delete: already gone is success (and sends ForceDelete again).
    env.delete(GROUP, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("second delete: {e}"));

    // A group that was never made reads as gone, next to one that exists.
    let missing = ResourceOutput {
        physical_id: "asg-never-made".into(),
        attributes: BTreeMap::new(),
    };
    let seen = env.read(GROUP, &[("X.Missing", &missing, &props)]).await;
    assert_eq!(seen["X.Missing"], Observation::Gone);

    env.delete(
        LAUNCH_TEMPLATE,
        "ClusterStack.ContainerInstances",
        &lt,
        &lt_props,
    )
    .await
    .unwrap_or_else(|e| panic!("delete launch template: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_scaling_group_refuses_unmapped_properties_before_any_call() {
    let env = Env::new("asgbad").await;
    let err = env
        .try_create(
            GROUP,
            "Stack.Bad",
            json!({"MinSize": 0, "MaxSize": 1, "LifecycleHookSpecificationList": []}),
        )
        .await
        .expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains("LifecycleHookSpecificationList"),
        "{}",
        err.message
    );
}
