//! A network load balancer on subnet mappings with a TCP target group of registered targets.

use infra_aws::provider::FailureClass;
use serde_json::json;

use crate::harness::*;

/// A network load balancer on subnet mappings, with a TCP target group of registered
/// targets: the other shapes of the same types.
#[tokio::test]
async fn network_load_balancer_with_targets() {
    let h = Harness::new("nlb").await;
    let net = h.network(62).await;
    let lb = h
        .create(
            "Edge.Nlb",
            LB,
            json!({
                "Name": "nlb-explicit-name",
                "Type": "network",
                "Scheme": "internal",
                "SubnetMappings": [
                    {"SubnetId": net.subnets[0]},
                    {"SubnetId": net.subnets[1]}
                ],
            }),
        )
        .await;
    assert_eq!(lb.attr("LoadBalancerName"), &json!("nlb-explicit-name"));
    // AWS names a network load balancer `net/<name>/<id>`; moto gives every type `app/`.
    assert!(
        lb.attr("LoadBalancerFullName")
            .as_str()
            .is_some_and(|n| n.starts_with("net/nlb-explicit-name/")
                || n.starts_with("app/nlb-explicit-name/")),
        "{lb:?}"
    );
    h.assert_present(&lb).await;

    let tg = h
        .create(
            "Edge.Targets",
            TG,
            json!({
                "Port": "443",
                "Protocol": "TCP",
                "TargetType": "ip",
                "VpcId": net.vpc,
                "Targets": [{"Id": "10.62.0.10"}, {"Id": "10.62.1.10", "Port": 8443}],
            }),
        )
        .await;
    h.assert_present(&tg).await;
    let tg2 = h
        .update(
            &tg,
            json!({
                "Port": "443",
                "Protocol": "TCP",
                "TargetType": "ip",
                "VpcId": net.vpc,
                "Targets": [{"Id": "10.62.1.10", "Port": 8443}, {"Id": "10.62.1.11"}],
            }),
        )
        .await;
    let health = h
        .elb
        .describe_target_health()
        .target_group_arn(tg.arn())
        .send()
        .await
        .expect("DescribeTargetHealth");
    let mut ids: Vec<(String, Option<i32>)> = health
        .target_health_descriptions()
        .iter()
        .filter_map(|d| d.target())
        .map(|t| (t.id().unwrap_or_default().to_owned(), t.port()))
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        vec![
            ("10.62.1.10".to_owned(), Some(8443)),
            ("10.62.1.11".to_owned(), Some(443))
        ]
    );
    h.assert_present(&tg2).await;

    let listener = h
        .create(
            "Edge.Listener",
            LISTENER,
            json!({
                "LoadBalancerArn": lb.arn(),
                "Port": 443,
                "Protocol": "TCP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg.arn()}],
            }),
        )
        .await;
    h.assert_present(&listener).await;

    // A target group in use by a listener cannot go: something still uses it.
    let err = h.try_delete(&tg2).await.expect_err("in use");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");
    assert!(
        err.message.contains("DeleteTargetGroup") && err.message.contains("ResourceInUse"),
        "{err}"
    );
    assert!(err.message.contains("Edge.Targets"), "{err}");

    h.delete(&listener).await;
    h.delete(&tg2).await;
    h.delete(&lb).await;
    h.drop_network(&net).await;
}
