//! Recovering from interrupted or retried creates: a retried create adopts what its earlier
//! attempt made, and `find` finds what an interrupted create made, for every ELBv2 type.

use infra_aws::provider::FailureClass;
use serde_json::json;

use crate::harness::*;

/// A create retried after its creating call went through (the engine retries, or a run was
/// interrupted) finds the target group its earlier attempt made, by name and infra tags, and
/// uses it; a name taken by something else is an error that says so.
#[tokio::test]
async fn retried_create_adopts_what_it_made() {
    let h = Harness::new("adopt").await;
    let net = h.network(64).await;
    let properties = json!({
        "Name": "adopt-tg",
        "Port": 80,
        "Protocol": "HTTP",
        "VpcId": net.vpc,
        "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "5"}],
    });
    let first = h.create("Adopt.Tg", TG, properties.clone()).await;
    // AWS answers an identical CreateTargetGroup with the existing group; moto answers
    // DuplicateTargetGroupName, which the provider resolves by the group's infra tags.
    let again = h.create("Adopt.Tg", TG, properties.clone()).await;
    assert_eq!(again.arn(), first.arn());
    assert_eq!(
        h.tg_attributes(first.arn())
            .await
            .get("deregistration_delay.timeout_seconds")
            .map(String::as_str),
        Some("5")
    );
    let err = h
        .try_create("Adopt.Other", TG, properties)
        .await
        .expect_err("the name belongs to another resource");
    assert_eq!(err.class, FailureClass::Fatal, "{err}");
    assert!(err.message.contains("lacks its infra:* tags"), "{err}");
    h.delete(&first).await;
    h.drop_network(&net).await;
}

/// `find` after an interrupted create, for every ELBv2 type: nothing before the create, what
/// the create returned after it, nothing for another resource's tags or another natural key.
#[tokio::test]
async fn find_what_an_interrupted_create_made() {
    let h = Harness::new("find").await;
    let net = h.network(65).await;
    let tg = h
        .create_and_find(
            "Find.Tg",
            TG,
            json!({"Name": "find-tg", "Port": 80, "Protocol": "HTTP", "VpcId": net.vpc}),
        )
        .await;
    let lb = h
        .create_and_find(
            "Find.Lb",
            LB,
            json!({"Subnets": net.subnets, "SecurityGroups": [net.security_group]}),
        )
        .await;
    let forward = json!([{"Type": "forward", "TargetGroupArn": tg.arn()}]);
    let listener_props = json!({
        "LoadBalancerArn": lb.arn(), "Port": 80, "Protocol": "HTTP", "DefaultActions": forward
    });
    let listener = h
        .create_and_find("Find.Listener", LISTENER, listener_props.clone())
        .await;
    let mut other_port = listener_props;
    other_port["Port"] = json!(81);
    assert_eq!(
        h.find(
            "Find.Listener",
            LISTENER,
            &other_port,
            "Find.Listener",
            None
        )
        .await,
        None
    );
    let rule_props = json!({
        "ListenerArn": listener.arn(),
        "Priority": 10,
        "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
        "Actions": forward,
    });
    let rule = h
        .create_and_find("Find.Rule", RULE, rule_props.clone())
        .await;
    let mut other_priority = rule_props;
    other_priority["Priority"] = json!(11);
    assert_eq!(
        h.find("Find.Rule", RULE, &other_priority, "Find.Rule", None)
            .await,
        None
    );
    for made in [&rule, &listener, &lb, &tg] {
        h.delete(made).await;
        assert_eq!(
            h.find(
                &made.address,
                made.type_name,
                &made.properties,
                &made.address,
                None
            )
            .await,
            None,
            "{} is deleted",
            made.address
        );
    }
    h.drop_network(&net).await;
}
