//! `find` after an interrupted create, for every ECS type.

use serde_json::{Value, json};
use std::collections::BTreeMap;

use crate::harness::*;

/// `find` after an interrupted create, for every ECS type: nothing before the create, what the
/// create returned after it, nothing for another resource's tags or another natural key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_what_an_interrupted_create_made() {
    let env = Env::new().await;
    let cluster_props = json!({"Tags": [{"Key": "team", "Value": "web"}]});
    let cluster = env
        .create_and_find(
            CLUSTER,
            "Find.Cluster",
            &cluster_props,
            Some("itest-find-cluster"),
        )
        .await;

    let net = env.network("10.43.0.0/16", "10.43.1.0/24").await;
    let asg = "itest-find-asg";
    env.auto_scaling_group(asg, &net).await;
    let cp_props = json!({"AutoScalingGroupProvider": {"AutoScalingGroupArn": asg}});
    let cp = env
        .create_and_find(
            CAPACITY_PROVIDER,
            "Find.CP",
            &cp_props,
            Some("itest-find-cp"),
        )
        .await;

    // The association cannot be tagged: it is found by its cluster holding these lists.
    let assoc_props = json!({
        "Cluster": cluster.physical_id,
        "CapacityProviders": [cp.physical_id],
        "DefaultCapacityProviderStrategy": [{"CapacityProvider": cp.physical_id, "Weight": 1}]
    });
    let envr = &env;
    let find_assoc = move |props: Value| async move {
        envr.find(
            ASSOCIATION,
            "Find.Assoc",
            &props,
            None,
            BTreeMap::new(),
            None,
        )
        .await
    };
    assert_eq!(find_assoc(assoc_props.clone()).await, None, "before");
    let assoc = env
        .create(ASSOCIATION, "Find.Assoc", &assoc_props, None)
        .await;
    assert_eq!(find_assoc(assoc_props.clone()).await, Some(assoc.clone()));
    let mut other = assoc_props.clone();
    other["DefaultCapacityProviderStrategy"][0]["Weight"] = json!(2);
    assert_eq!(find_assoc(other).await, None, "another strategy");

    // A task definition: the family's newest revision of ours, when it has these properties.
    let task_props = nginx_task(
        "itest-find-web",
        "/itest/find",
        "arn:aws:iam::123456789012:role/x",
    );
    let task = env
        .create_and_find(TASK_DEFINITION, "Find.Task", &task_props, None)
        .await;
    let mut task2_props = task_props.clone();
    task2_props["ContainerDefinitions"][0]["Image"] = json!("public.ecr.aws/nginx/nginx:1");
    assert_eq!(
        env.find(
            TASK_DEFINITION,
            "Find.Task",
            &task2_props,
            None,
            infra_tags("Find.Task"),
            None
        )
        .await,
        None,
        "the replacement's revision is not registered yet"
    );
    let task2 = env
        .create(TASK_DEFINITION, "Find.Task", &task2_props, None)
        .await;
    assert_eq!(
        env.find(
            TASK_DEFINITION,
            "Find.Task",
            &task2_props,
            None,
            infra_tags("Find.Task"),
            Some(&task.physical_id)
        )
        .await,
        Some(task2.clone())
    );

    let svc_props = json!({
        "ServiceName": "itest-find-svc",
        "Cluster": cluster.physical_id,
        "DesiredCount": 0,
        "TaskDefinition": task2.physical_id,
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {"SecurityGroups": [net.group], "Subnets": [net.subnet]}
        }
    });
    let svc = env
        .create_and_find(SERVICE, "Find.Service", &svc_props, None)
        .await;

    env.delete(SERVICE, "Find.Service", &svc.physical_id, &svc_props)
        .await;
    assert_eq!(
        env.find(
            SERVICE,
            "Find.Service",
            &svc_props,
            None,
            infra_tags("Find.Service"),
            None
        )
        .await,
        None,
        "a deleted service does not count"
    );
    env.delete(ASSOCIATION, "Find.Assoc", &assoc.physical_id, &assoc_props)
        .await;
    env.delete(CAPACITY_PROVIDER, "Find.CP", &cp.physical_id, &cp_props)
        .await;
    for (out, props) in [(&task, &task_props), (&task2, &task2_props)] {
        env.delete(TASK_DEFINITION, "Find.Task", &out.physical_id, props)
            .await;
    }
    assert_eq!(
        env.find(
            TASK_DEFINITION,
            "Find.Task",
            &task2_props,
            None,
            infra_tags("Find.Task"),
            None
        )
        .await,
        None,
        "deregistered revisions do not count"
    );
    env.autoscaling
        .delete_auto_scaling_group()
        .auto_scaling_group_name(asg)
        .force_delete(true)
        .send()
        .await
        .expect("DeleteAutoScalingGroup");
    env.delete(
        CLUSTER,
        "Find.Cluster",
        &cluster.physical_id,
        &cluster_props,
    )
    .await;
    assert_eq!(
        env.find(
            CLUSTER,
            "Find.Cluster",
            &cluster_props,
            Some("itest-find-cluster"),
            infra_tags("Find.Cluster"),
            None
        )
        .await,
        None,
        "an INACTIVE cluster does not count"
    );
}
