//! The reference fixture's cluster and service built end to end through the providers and
//! torn down in reverse order (the native teardown).

use infra_aws::provider::Observation;
use serde_json::json;

use crate::harness::*;

/// The fixture's `ClusterStack` and `ServiceStack` ECS resources, made and changed through the
/// providers in dependency order, then torn down in reverse order the way `infra destroy` does
/// instead of `Custom::AsgDestroyer`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixture_end_to_end() {
    let env = Env::new().await;
    let net = env.network("10.42.0.0/16", "10.42.1.0/24").await;
    let second_subnet = env
        .ec2
        .create_subnet()
        .vpc_id(&net.vpc)
        .cidr_block("10.42.2.0/24")
        .availability_zone("us-east-1b")
        .send()
        .await
        .expect("CreateSubnet")
        .subnet
        .and_then(|s| s.subnet_id)
        .expect("subnet id");

    // ClusterStack.ECSCluster
    let cluster_props =
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]});
    let cluster = env
        .create(
            CLUSTER,
            "ClusterStack.ECSCluster",
            &cluster_props,
            Some("itest-e2e-cluster"),
        )
        .await;
    let cluster_name = cluster.physical_id.clone();

    // ClusterStack.ECSAutoScalingGroup (a fixture here; the ASG provider is not under test).
    let asg = "itest-e2e-asg";
    env.auto_scaling_group(asg, &net).await;

    // ClusterStack.CapacityProvider, given the group's name as `!Ref ECSAutoScalingGroup` does.
    let cp_props = json!({
        "AutoScalingGroupProvider": {
            "AutoScalingGroupArn": asg,
            "ManagedScaling": {
                "InstanceWarmupPeriod": 60,
                "MinimumScalingStepSize": 1,
                "MaximumScalingStepSize": "100",
                "Status": "ENABLED",
                "TargetCapacity": 100
            },
            "ManagedTerminationProtection": "ENABLED",
            "ManagedDraining": "ENABLED"
        }
    });
    let cp_address = "ClusterStack.CapacityProvider";
    let cp = env
        .create(
            CAPACITY_PROVIDER,
            cp_address,
            &cp_props,
            Some("itest-e2e-cp"),
        )
        .await;
    assert_eq!(cp.physical_id, "itest-e2e-cp");
    let found = env
        .describe_provider(&cp.physical_id)
        .await
        .expect("provider");
    let asg_provider = found.auto_scaling_group_provider().expect("asg provider");
    assert_eq!(
        asg_provider
            .managed_termination_protection()
            .map(|m| m.as_str()),
        Some("ENABLED")
    );
    let scaling = asg_provider.managed_scaling().expect("managed scaling");
    assert_eq!(scaling.status().map(|s| s.as_str()), Some("ENABLED"));
    assert_eq!(scaling.maximum_scaling_step_size(), Some(100));
    assert_eq!(
        tags(found.tags()).get("infra:address").map(String::as_str),
        Some(cp_address)
    );
    let (observed, _) = present(
        env.read(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_props)
            .await,
    );
    assert_eq!(observed, cp_props);
    // Update in place: target capacity.
    let mut cp_after = cp_props.clone();
    cp_after["AutoScalingGroupProvider"]["ManagedScaling"]["TargetCapacity"] = json!(90);
    env.update(CAPACITY_PROVIDER, cp_address, &cp, &cp_props, &cp_after)
        .await;
    let found = env
        .describe_provider(&cp.physical_id)
        .await
        .expect("provider");
    assert_eq!(
        found
            .auto_scaling_group_provider()
            .and_then(|a| a.managed_scaling())
            .and_then(|m| m.target_capacity()),
        Some(90)
    );
    let (observed, _) = present(
        env.read(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
            .await,
    );
    assert_eq!(observed, cp_after);

    // ClusterStack.CapacityProviderAssociation
    let assoc_address = "ClusterStack.CapacityProviderAssociation";
    let assoc_props = json!({
        "CapacityProviders": [cp.physical_id],
        "Cluster": cluster_name,
        "DefaultCapacityProviderStrategy": [
            {"Base": 0, "CapacityProvider": cp.physical_id, "Weight": 1}
        ]
    });
    let assoc = env
        .create(ASSOCIATION, assoc_address, &assoc_props, None)
        .await;
    assert_eq!(assoc.physical_id, cluster_name, "Ref is the cluster name");
    let found = env.describe_cluster(&cluster_name).await.expect("cluster");
    assert_eq!(
        found.capacity_providers(),
        std::slice::from_ref(&cp.physical_id)
    );
    let (observed, _) = present(
        env.read(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_props)
            .await,
    );
    assert_eq!(observed, assoc_props);
    let mut assoc_after = assoc_props.clone();
    assoc_after["DefaultCapacityProviderStrategy"][0]["Weight"] = json!("2");
    env.update(
        ASSOCIATION,
        assoc_address,
        &assoc,
        &assoc_props,
        &assoc_after,
    )
    .await;
    let found = env.describe_cluster(&cluster_name).await.expect("cluster");
    assert_eq!(
        found
            .default_capacity_provider_strategy()
            .first()
            .map(|s| s.weight()),
        Some(2)
    );
    let (observed, _) = present(
        env.read(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_after)
            .await,
    );
    assert_eq!(observed, assoc_after);

    // ServiceStack.TaskDefinition
    let task_props = nginx_task(
        "itest-e2e-web",
        "/itest/e2e",
        "arn:aws:iam::123456789012:role/itest-e2e-exec",
    );
    let task = env
        .create(
            TASK_DEFINITION,
            "ServiceStack.TaskDefinition",
            &task_props,
            None,
        )
        .await;

    // ServiceStack.ServiceTargetGroup behind a listener (fixtures, made with ELBv2 directly).
    let target_group = env.target_group("itest-e2e", &net, &second_subnet).await;

    // ServiceStack.Service
    let svc_address = "ServiceStack.Service";
    let svc_props = json!({
        "ServiceName": "itest-e2e-web",
        "Cluster": cluster_name,
        "PlacementStrategies": [
            {"Field": "attribute:ecs.availability-zone", "Type": "spread"},
            {"Field": "cpu", "Type": "binpack"}
        ],
        "CapacityProviderStrategy": [
            {"Base": 0, "CapacityProvider": cp.physical_id, "Weight": 1}
        ],
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {"SecurityGroups": [net.group], "Subnets": [net.subnet]}
        },
        "DeploymentConfiguration": {"MaximumPercent": 200, "MinimumHealthyPercent": "75"},
        "DesiredCount": "2",
        "TaskDefinition": task.physical_id,
        "LoadBalancers": [
            {"ContainerName": "itest-e2e-web", "ContainerPort": "80", "TargetGroupArn": target_group}
        ],
        "Tags": [{"Key": "app", "Value": "web"}]
    });
    let svc = env.create(SERVICE, svc_address, &svc_props, None).await;
    assert!(
        svc.physical_id
            .ends_with(&format!(":service/{cluster_name}/itest-e2e-web")),
        "{}",
        svc.physical_id
    );
    assert_eq!(svc.attributes["Name"], json!("itest-e2e-web"));
    assert_eq!(svc.attributes["ServiceArn"], json!(svc.physical_id));
    let found = env
        .describe_service(&cluster_name, &svc.physical_id)
        .await
        .expect("service");
    assert_eq!(found.status(), Some("ACTIVE"));
    assert_eq!(found.desired_count(), 2);
    assert_eq!(found.task_definition(), Some(task.physical_id.as_str()));
    let lb = found.load_balancers().first().expect("load balancer");
    assert_eq!(lb.target_group_arn(), Some(target_group.as_str()));
    assert_eq!(lb.container_port(), Some(80));
    let vpc = found
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .expect("awsvpc configuration");
    assert_eq!(vpc.subnets(), std::slice::from_ref(&net.subnet));
    assert_eq!(
        tags(found.tags()).get("infra:address").map(String::as_str),
        Some(svc_address)
    );

    let (observed, attributes) = present(
        env.read(SERVICE, svc_address, &svc.physical_id, &svc_props)
            .await,
    );
    assert_eq!(attributes["ServiceArn"], json!(svc.physical_id));
    // moto's CreateService ignores capacityProviderStrategy, placementStrategy and
    // deploymentConfiguration (DescribeServices returns none of them; AWS returns what was
    // set), so only the properties moto keeps are compared here.
    for key in [
        "ServiceName",
        "Cluster",
        "NetworkConfiguration",
        "DesiredCount",
        "TaskDefinition",
        "LoadBalancers",
        "Tags",
    ] {
        assert_eq!(observed[key], svc_props[key], "{key}");
    }

    // A retried create (its first answer lost) adopts what the first attempt made.
    let again = env.create(SERVICE, svc_address, &svc_props, None).await;
    assert_eq!(again.physical_id, svc.physical_id);
    let again = env
        .create(
            CAPACITY_PROVIDER,
            cp_address,
            &cp_after,
            Some("itest-e2e-cp"),
        )
        .await;
    assert_eq!(again.physical_id, cp.physical_id);

    // One DescribeServices call for every service of the cluster; a missing one is gone.
    let missing = format!("arn:aws:ecs:us-east-1:123456789012:service/{cluster_name}/itest-nope");
    let before = env.calls.count("DescribeServices");
    let got = env
        .read_many(
            SERVICE,
            &[
                (svc_address, svc.physical_id.as_str(), &svc_props),
                ("ServiceStack.Missing", missing.as_str(), &svc_props),
            ],
        )
        .await;
    assert_eq!(env.calls.count("DescribeServices") - before, 1);
    assert_eq!(got["ServiceStack.Missing"], Observation::Gone);
    assert!(matches!(got[svc_address], Observation::Present { .. }));

    // Update in place: a new task definition revision and another desired count.
    let task2_props = {
        let mut t = task_props.clone();
        t["ContainerDefinitions"][0]["Environment"] = json!([{"Name": "MODE", "Value": "v2"}]);
        t
    };
    let task2 = env
        .create(
            TASK_DEFINITION,
            "ServiceStack.TaskDefinition",
            &task2_props,
            None,
        )
        .await;
    assert!(
        task2
            .physical_id
            .ends_with(":task-definition/itest-e2e-web:2")
    );
    let mut svc_after = svc_props.clone();
    svc_after["DesiredCount"] = json!(3);
    svc_after["TaskDefinition"] = json!(task2.physical_id);
    svc_after["Tags"] = json!([{"Key": "app", "Value": "web"}, {"Key": "rev", "Value": "2"}]);
    env.update(SERVICE, svc_address, &svc, &svc_props, &svc_after)
        .await;
    let found = env
        .describe_service(&cluster_name, &svc.physical_id)
        .await
        .expect("service");
    assert_eq!(found.desired_count(), 3);
    assert_eq!(found.task_definition(), Some(task2.physical_id.as_str()));
    assert_eq!(tags(found.tags()).get("rev").map(String::as_str), Some("2"));
    // The old revision goes once the service no longer uses it (the plan's replacement).
    env.delete(
        TASK_DEFINITION,
        "ServiceStack.TaskDefinition",
        &task.physical_id,
        &task_props,
    )
    .await;

    // --- Teardown, reverse order (DESIGN.md "Native teardown"). ---

    // 1. The service: scaled to 0, force-deleted, INACTIVE.
    env.delete(SERVICE, svc_address, &svc.physical_id, &svc_after)
        .await;
    let gone = env.describe_service(&cluster_name, &svc.physical_id).await;
    assert!(
        gone.as_ref().is_none_or(|s| s.status() == Some("INACTIVE")),
        "{gone:?}"
    );
    // moto keeps the scale-to-0 from UpdateService; AWS does too (desiredCount 0 before the
    // delete), so a service that was still there is at 0.
    if let Some(s) = &gone {
        assert_eq!(s.desired_count(), 0);
    }
    assert_eq!(
        env.read(SERVICE, svc_address, &svc.physical_id, &svc_after)
            .await,
        Observation::Gone
    );
    env.delete(SERVICE, svc_address, &svc.physical_id, &svc_after)
        .await;

    // 2. The association removed (empty lists), then the capacity provider deleted.
    env.delete(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_after)
        .await;
    let found = env.describe_cluster(&cluster_name).await.expect("cluster");
    assert!(found.capacity_providers().is_empty());
    assert!(found.default_capacity_provider_strategy().is_empty());
    assert_eq!(
        env.read(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_after)
            .await,
        Observation::Gone
    );
    env.delete(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
        .await;
    // moto removes a deleted capacity provider at once; AWS keeps it INACTIVE for a while.
    // Either way refresh calls it gone.
    assert!(
        env.describe_provider(&cp.physical_id)
            .await
            .is_none_or(|p| p.status().map(|s| s.as_str()) == Some("INACTIVE"))
    );
    assert_eq!(
        env.read(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
            .await,
        Observation::Gone
    );
    env.delete(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
        .await;

    // 3. The Auto Scaling group (the ASG provider's part; a fixture here).
    env.autoscaling
        .delete_auto_scaling_group()
        .auto_scaling_group_name(asg)
        .force_delete(true)
        .send()
        .await
        .expect("DeleteAutoScalingGroup");

    // 4. The cluster.
    env.delete(
        CLUSTER,
        "ClusterStack.ECSCluster",
        &cluster_name,
        &cluster_props,
    )
    .await;
    assert_eq!(
        env.read(
            CLUSTER,
            "ClusterStack.ECSCluster",
            &cluster_name,
            &cluster_props
        )
        .await,
        Observation::Gone
    );
    env.delete(
        TASK_DEFINITION,
        "ServiceStack.TaskDefinition",
        &task2.physical_id,
        &task2_props,
    )
    .await;

    // Nothing left: no active cluster, service, capacity provider or task definition of ours.
    let clusters = env.ecs.list_clusters().send().await.expect("ListClusters");
    for arn in clusters.cluster_arns() {
        if arn.ends_with(&format!("/{cluster_name}")) {
            let c = env.describe_cluster(arn).await;
            assert!(c.is_none_or(|c| c.status() == Some("INACTIVE")), "{arn}");
        }
    }
    // DescribeCapacityProviders without names lists every provider on AWS; moto answers it
    // with an internal error, so the provider is looked up by name instead.
    assert!(
        env.describe_provider(&cp.physical_id)
            .await
            .is_none_or(|p| p.status().map(|s| s.as_str()) == Some("INACTIVE"))
    );
    let active = env
        .ecs
        .list_task_definitions()
        .family_prefix("itest-e2e-web")
        .send()
        .await
        .expect("ListTaskDefinitions");
    assert!(active.task_definition_arns().is_empty(), "{active:?}");
}
