//! The reference pattern's load balancing: an internet-facing ALB, an `ip` target group, an
//! HTTP:80 listener forwarding through `ForwardConfig` and a listener rule, each created, read
//! back, updated and deleted.

use infra_aws::provider::Observation;
use serde_json::json;

use crate::harness::*;

/// The reference pattern's load balancing (`service.yml`): an internet-facing ALB with an idle
/// timeout of 30 s, an `ip` target group with a health check and no deregistration delay, and an
/// HTTP:80 listener forwarding through `ForwardConfig`; then a rule. Each is created, read back
/// as written, updated, and deleted.
#[tokio::test]
async fn fixture_load_balancing_create_read_update_delete() {
    let h = Harness::new("fixture-lb").await;
    let net = h.network(61).await;

    // Values as templates give them: numbers where AWS wants strings and the other way round.
    let tg = h
        .create(
            "ServiceStack.TargetGroup",
            TG,
            json!({
                "HealthCheckIntervalSeconds": 6,
                "HealthCheckPath": "/",
                "HealthCheckProtocol": "HTTP",
                "HealthCheckTimeoutSeconds": "5",
                "HealthyThresholdCount": 2,
                "TargetType": "ip",
                "Port": 8080,
                "Protocol": "HTTP",
                "UnhealthyThresholdCount": "10",
                "VpcId": net.vpc,
                "TargetGroupAttributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": 0}
                ],
                "Tags": tags(&[("team", "api")]),
            }),
        )
        .await;
    assert!(
        tg.arn().contains(":targetgroup/fixture-lb-TargetGroup-"),
        "{tg:?}"
    );
    assert_eq!(tg.attr("TargetGroupArn"), &json!(tg.arn()));
    assert!(
        tg.attr("TargetGroupFullName")
            .as_str()
            .is_some_and(|n| n.starts_with("targetgroup/fixture-lb-TargetGroup-")),
        "{tg:?}"
    );
    assert_eq!(tg.attr("TargetGroupName"), &tg.properties["Name"]);
    assert_eq!(tg.attr("LoadBalancerArns"), &json!([]));
    assert_eq!(
        h.tg_attributes(tg.arn())
            .await
            .get("deregistration_delay.timeout_seconds")
            .map(String::as_str),
        Some("0")
    );
    let tg_tags = h.aws_tags(tg.arn()).await;
    assert_eq!(tg_tags.get("team").map(String::as_str), Some("api"));
    assert_eq!(
        tg_tags.get("infra:address").map(String::as_str),
        Some("ServiceStack.TargetGroup")
    );
    h.assert_present(&tg).await;

    let lb = h
        .create(
            "ServiceStack.PublicLoadBalancer",
            LB,
            json!({
                "Scheme": "internet-facing",
                "LoadBalancerAttributes": [
                    {"Key": "idle_timeout.timeout_seconds", "Value": "30"}
                ],
                "Subnets": net.subnets,
                "SecurityGroups": [net.security_group],
                "Tags": tags(&[("team", "api")]),
            }),
        )
        .await;
    assert!(lb.arn().contains(":loadbalancer/app/"), "{lb:?}");
    assert_eq!(lb.attr("LoadBalancerArn"), &json!(lb.arn()));
    assert_eq!(lb.attr("LoadBalancerName"), &lb.properties["Name"]);
    assert!(
        lb.attr("DNSName")
            .as_str()
            .is_some_and(|d| d.contains("elb.amazonaws.com")),
        "{lb:?}"
    );
    assert!(lb.attr("CanonicalHostedZoneID").is_string(), "{lb:?}");
    let full_name = lb.attr("LoadBalancerFullName").as_str().unwrap_or_default();
    assert!(
        full_name.starts_with("app/") && lb.arn().ends_with(full_name),
        "{lb:?}"
    );
    assert_eq!(lb.attr("SecurityGroups"), &json!([net.security_group]));
    assert_eq!(
        h.lb_attributes(lb.arn())
            .await
            .get("idle_timeout.timeout_seconds")
            .map(String::as_str),
        Some("30")
    );
    let state = h
        .elb
        .describe_load_balancers()
        .load_balancer_arns(lb.arn())
        .send()
        .await
        .expect("DescribeLoadBalancers");
    assert_eq!(
        state.load_balancers()[0]
            .state()
            .and_then(|s| s.code())
            .map(|c| c.as_str()),
        Some("active"),
        "create returns once the load balancer is active"
    );
    h.assert_present(&lb).await;

    let listener = h
        .create(
            "ServiceStack.PublicLoadBalancerListener",
            LISTENER,
            json!({
                "LoadBalancerArn": lb.arn(),
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [{
                    "Type": "forward",
                    "ForwardConfig": {
                        "TargetGroups": [{"TargetGroupArn": tg.arn(), "Weight": 100}]
                    }
                }],
            }),
        )
        .await;
    assert_eq!(listener.attr("ListenerArn"), &json!(listener.arn()));
    assert!(listener.arn().contains(":listener/app/"), "{listener:?}");
    h.assert_present(&listener).await;
    // The target group now reports the load balancer that uses it.
    match h.read(&tg).await {
        Observation::Present { attributes, .. } => {
            assert_eq!(attributes["LoadBalancerArns"], json!([lb.arn()]));
        }
        Observation::Gone => panic!("target group reads as gone"),
    }

    let rule = h
        .create(
            "ServiceStack.HealthRule",
            RULE,
            json!({
                "ListenerArn": listener.arn(),
                "Priority": "10",
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/health"]}}],
                "Actions": [{
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": "ok"}
                }],
            }),
        )
        .await;
    assert_eq!(rule.attr("RuleArn"), &json!(rule.arn()));
    assert_eq!(rule.attr("IsDefault"), &json!(false));
    h.assert_present(&rule).await;

    // Updates in place: an attribute and a tag of each, the listener's default action.
    let tg2 = h
        .update(
            &tg,
            json!({
                "HealthCheckIntervalSeconds": 10,
                "HealthCheckPath": "/ready",
                "HealthCheckProtocol": "HTTP",
                "HealthCheckTimeoutSeconds": "5",
                "HealthyThresholdCount": 3,
                "TargetType": "ip",
                "Port": 8080,
                "Protocol": "HTTP",
                "UnhealthyThresholdCount": "10",
                "VpcId": net.vpc,
                "TargetGroupAttributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": "30"}
                ],
                "Tags": tags(&[("team", "platform")]),
            }),
        )
        .await;
    assert_eq!(
        h.tg_attributes(tg.arn())
            .await
            .get("deregistration_delay.timeout_seconds")
            .map(String::as_str),
        Some("30")
    );
    let described = h
        .elb
        .describe_target_groups()
        .target_group_arns(tg.arn())
        .send()
        .await
        .expect("DescribeTargetGroups");
    let described = &described.target_groups()[0];
    assert_eq!(described.health_check_path(), Some("/ready"));
    assert_eq!(described.health_check_interval_seconds(), Some(10));
    assert_eq!(described.healthy_threshold_count(), Some(3));
    let tg_tags = h.aws_tags(tg.arn()).await;
    assert_eq!(tg_tags.get("team").map(String::as_str), Some("platform"));
    assert!(tg_tags.contains_key("infra:stack"), "{tg_tags:?}");
    h.assert_present(&tg2).await;

    let lb2 = h
        .update(
            &lb,
            json!({
                "Scheme": "internet-facing",
                "LoadBalancerAttributes": [
                    {"Key": "idle_timeout.timeout_seconds", "Value": 120},
                    {"Key": "routing.http2.enabled", "Value": false}
                ],
                "Subnets": net.subnets,
                "SecurityGroups": [net.security_group],
                "Tags": tags(&[("team", "api"), ("tier", "edge")]),
            }),
        )
        .await;
    let attrs = h.lb_attributes(lb.arn()).await;
    assert_eq!(
        attrs
            .get("idle_timeout.timeout_seconds")
            .map(String::as_str),
        Some("120")
    );
    assert_eq!(
        attrs.get("routing.http2.enabled").map(String::as_str),
        Some("false")
    );
    assert_eq!(
        h.aws_tags(lb.arn()).await.get("tier").map(String::as_str),
        Some("edge")
    );
    h.assert_present(&lb2).await;

    let listener2 = h
        .update(
            &listener,
            json!({
                "LoadBalancerArn": lb.arn(),
                "Port": "80",
                "Protocol": "HTTP",
                "DefaultActions": [{
                    "Type": "fixed-response",
                    "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "maintenance"}
                }],
                "Tags": tags(&[("team", "api")]),
            }),
        )
        .await;
    let described = h
        .elb
        .describe_listeners()
        .listener_arns(listener.arn())
        .send()
        .await
        .expect("DescribeListeners");
    let action = &described.listeners()[0].default_actions()[0];
    assert_eq!(action.r#type().map(|t| t.as_str()), Some("fixed-response"));
    assert_eq!(
        action.fixed_response_config().and_then(|f| f.status_code()),
        Some("503")
    );
    assert_eq!(
        h.aws_tags(listener.arn())
            .await
            .get("team")
            .map(String::as_str),
        Some("api")
    );
    h.assert_present(&listener2).await;

    let rule2 = h
        .update(
            &rule,
            json!({
                "ListenerArn": listener.arn(),
                "Priority": 20,
                // The legacy `Values` form takes one value (AWS's rule; several go in
                // `PathPatternConfig`).
                "Conditions": [{"Field": "path-pattern", "Values": ["/ping"]}],
                "Actions": [{"Type": "forward", "TargetGroupArn": tg.arn()}],
            }),
        )
        .await;
    let described = h
        .elb
        .describe_rules()
        .rule_arns(rule.arn())
        .send()
        .await
        .expect("DescribeRules");
    let found = &described.rules()[0];
    assert_eq!(found.priority(), Some("20"));
    assert_eq!(
        found.actions()[0].r#type().map(|t| t.as_str()),
        Some("forward")
    );
    h.assert_present(&rule2).await;

    // Drift shows: an attribute changed outside infra reads as changed.
    h.elb
        .modify_load_balancer_attributes()
        .load_balancer_arn(lb.arn())
        .attributes(
            aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
                .key("idle_timeout.timeout_seconds")
                .value("45")
                .build(),
        )
        .send()
        .await
        .expect("ModifyLoadBalancerAttributes");
    let seen = observed_properties(h.read(&lb2).await);
    assert_eq!(
        seen["LoadBalancerAttributes"][0],
        json!({"Key": "idle_timeout.timeout_seconds", "Value": "45"})
    );

    // Deleted in reverse dependency order; each reads as gone and deletes again cleanly.
    h.delete(&rule2).await;
    h.delete(&listener2).await;
    h.delete(&lb2).await;
    h.delete(&tg2).await;
    h.drop_network(&net).await;
}
