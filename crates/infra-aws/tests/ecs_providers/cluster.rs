//! The cluster: create → read → update → delete → read, adoption of a retried create, refusal
//! of unsupported properties, and batched reads (one DescribeClusters call for many).

use infra_aws::provider::{FailureClass, Observation};
use serde_json::{Value, json};

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_create_read_update_delete() {
    let env = Env::new().await;
    let address = "ClusterStack.ECSCluster";
    let props = json!({
        "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
        "Configuration": {"ExecuteCommandConfiguration": {"Logging": "DEFAULT"}},
        "Tags": [{"Key": "team", "Value": "web"}]
    });
    let out = env
        .create(CLUSTER, address, &props, Some("itest-ECSCluster-AAAA"))
        .await;
    assert_eq!(out.physical_id, "itest-ECSCluster-AAAA");
    let arn = out.attributes["Arn"].as_str().expect("Arn").to_owned();
    assert!(arn.ends_with(":cluster/itest-ECSCluster-AAAA"), "{arn}");

    let found = env
        .describe_cluster(&out.physical_id)
        .await
        .expect("cluster");
    assert_eq!(found.status(), Some("ACTIVE"));
    let insights: Vec<_> = found
        .settings()
        .iter()
        .map(|s| {
            (
                s.name().map(|n| n.as_str().to_owned()),
                s.value().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        insights,
        vec![(Some("containerInsights".into()), Some("enabled".into()))]
    );
    let t = tags(found.tags());
    assert_eq!(t.get("team").map(String::as_str), Some("web"));
    assert_eq!(t.get("infra:address").map(String::as_str), Some(address));

    // Refresh reports the template's properties as they were applied: no drift.
    let (observed, attributes) =
        present(env.read(CLUSTER, address, &out.physical_id, &props).await);
    assert_eq!(observed, props);
    assert_eq!(attributes["Arn"], json!(arn));

    // A second create of the same resource (a retry after a lost answer) adopts the cluster
    // its earlier attempt made; a cluster of that name made for another resource is refused.
    let again = env
        .create(CLUSTER, address, &props, Some("itest-ECSCluster-AAAA"))
        .await;
    assert_eq!(again.physical_id, out.physical_id);
    let taken = env
        .try_create(
            CLUSTER,
            "Other.Cluster",
            &props,
            Some("itest-ECSCluster-AAAA"),
        )
        .await
        .expect_err("someone else's cluster");
    assert_eq!(taken.class, FailureClass::Fatal);
    assert!(
        taken.message.contains("already exists"),
        "{}",
        taken.message
    );

    let after = json!({
        "ClusterSettings": [{"Name": "containerInsights", "Value": "disabled"}],
        "Configuration": {"ExecuteCommandConfiguration": {"Logging": "DEFAULT"}},
        "Tags": [{"Key": "team", "Value": "api"}, {"Key": "tier", "Value": "1"}]
    });
    let updated = env.update(CLUSTER, address, &out, &props, &after).await;
    assert_eq!(updated.physical_id, out.physical_id);
    let found = env
        .describe_cluster(&out.physical_id)
        .await
        .expect("cluster");
    assert_eq!(
        found.settings().first().and_then(|s| s.value()),
        Some("disabled")
    );
    let t = tags(found.tags());
    assert_eq!(t.get("team").map(String::as_str), Some("api"));
    assert_eq!(t.get("tier").map(String::as_str), Some("1"));
    let (observed, _) = present(env.read(CLUSTER, address, &out.physical_id, &after).await);
    assert_eq!(observed, after);

    // Unsupported properties are refused by name, never dropped.
    let err = env
        .try_create(
            CLUSTER,
            "Bad.Cluster",
            &json!({"Bogus": 1}),
            Some("itest-bad"),
        )
        .await
        .expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(err.message.contains("Bogus"), "{}", err.message);

    env.delete(CLUSTER, address, &out.physical_id, &after).await;
    assert_eq!(
        env.read(CLUSTER, address, &out.physical_id, &after).await,
        Observation::Gone
    );
    // Deleting again is success.
    env.delete(CLUSTER, address, &out.physical_id, &after).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_batched() {
    let env = Env::new().await;
    let props = json!({"Tags": [{"Key": "batch", "Value": "yes"}]});
    let mut made = Vec::new();
    for i in 0..3 {
        let address = format!("Batch.Cluster{i}");
        let out = env
            .create(CLUSTER, &address, &props, Some(&format!("itest-batch-{i}")))
            .await;
        made.push((address, out.physical_id));
    }
    let before = env.calls.count("DescribeClusters");
    let items: Vec<(&str, &str, &Value)> = made
        .iter()
        .map(|(a, p)| (a.as_str(), p.as_str(), &props))
        .chain([("Batch.Missing", "itest-batch-missing", &props)])
        .collect();
    let got = env.read_many(CLUSTER, &items).await;
    assert_eq!(
        env.calls.count("DescribeClusters") - before,
        1,
        "one call for all"
    );
    assert_eq!(got.len(), 4);
    assert_eq!(got["Batch.Missing"], Observation::Gone);
    for (address, _) in &made {
        assert!(
            matches!(got[address], Observation::Present { .. }),
            "{address}"
        );
    }
    for (address, physical_id) in &made {
        env.delete(CLUSTER, address, physical_id, &props).await;
    }
}
