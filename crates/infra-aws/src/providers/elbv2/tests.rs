//! Unit tests of the ELBv2 providers that need no AWS: parsing and refusals, how values AWS
//! returns are compared with the template's, error classes and ARN handling.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, ForwardActionConfig, RedirectActionConfig,
    RedirectActionStatusCodeEnum, RuleCondition, TargetGroupStickinessConfig, TargetGroupTuple,
};
use serde_json::{Value, json};

use super::actions::{observed_actions, parse_actions};
use super::attributes::{Attribute, attribute_list};
use super::json::{changed_pairs, matches, observed, observed_pairs};
use super::{arn_suffix, listener, listener_rule, load_balancer, parent_arn, target_group};
use crate::error::AwsError;
use crate::generated::elbv2::{
    LOAD_BALANCER_ATTRIBUTE, RULE_CONDITION, load_balancer_attribute, report_rule_condition,
    rule_condition,
};
use crate::provider::{FailureClass, ProviderError};
use crate::providers::kit::Ctx;

/// What `parse` (a provider's) reads of `value`, as its debug text.
fn parsed<S: std::fmt::Debug>(
    parse: fn(&Value, Ctx<'_>) -> Result<S, ProviderError>,
    type_name: &'static str,
    value: &Value,
) -> Result<String, ProviderError> {
    parse(value, Ctx::new(type_name, "Test")).map(|spec| format!("{spec:?}"))
}
use crate::providers::kit::class_of;
use crate::providers::kit::{Keys, Props, list};

fn ctx() -> Ctx<'static> {
    Ctx::new("AWS::ElasticLoadBalancingV2::Listener", "Test")
}

fn service_error(code: &str) -> AwsError {
    AwsError::Service {
        service: "elasticloadbalancing".into(),
        operation: "Op".into(),
        code: code.into(),
        message: "m".into(),
        request_id: None,
    }
}

#[test]
fn error_classes() {
    for code in [
        "LoadBalancerNotFound",
        "TargetGroupNotFound",
        "ListenerNotFound",
        "RuleNotFound",
    ] {
        assert_eq!(
            class_of(&service_error(code)),
            FailureClass::NotFound,
            "{code}"
        );
    }
    assert_eq!(
        class_of(&service_error("ResourceInUse")),
        FailureClass::DependencyViolation
    );
    assert_eq!(
        class_of(&service_error("InternalFailure")),
        FailureClass::Retryable
    );
    assert_eq!(
        class_of(&service_error("HTTP 503")),
        FailureClass::Retryable
    );
    let throttled = AwsError::Throttled {
        service: "elasticloadbalancing".into(),
        operation: "DescribeLoadBalancers".into(),
        code: "Throttling".into(),
        message: "Rate exceeded".into(),
    };
    assert_eq!(class_of(&throttled), FailureClass::Retryable);
    for code in [
        "ValidationError",
        "DuplicateLoadBalancerName",
        "InvalidConfigurationRequest",
        "OperationNotPermitted",
    ] {
        assert_eq!(
            class_of(&service_error(code)),
            FailureClass::Fatal,
            "{code}"
        );
    }
    // "Not found" about something a create names is propagation, retried for a while.
    let err = ctx().fail_referencing("creating", service_error("TargetGroupNotFound"));
    assert_eq!(err.class, FailureClass::EventuallyConsistent);
    let err = ctx().fail_referencing("creating", service_error("CertificateNotFound"));
    assert_eq!(err.class, FailureClass::EventuallyConsistent);
    let err = ctx().fail_referencing("creating", service_error("ValidationError"));
    assert_eq!(err.class, FailureClass::Fatal);
    // The resource being changed is itself gone: not found, not propagation.
    let gone = ctx().fail_referencing_except(
        Some("ListenerNotFound"),
        "changing",
        service_error("ListenerNotFound"),
    );
    assert_eq!(gone.class, FailureClass::NotFound);
    let referenced = ctx().fail_referencing_except(
        Some("ListenerNotFound"),
        "changing",
        service_error("TargetGroupNotFound"),
    );
    assert_eq!(referenced.class, FailureClass::EventuallyConsistent);
    assert_eq!(
        err.message,
        "AWS::ElasticLoadBalancingV2::Listener Test: creating: elasticloadbalancing Op failed: \
         ValidationError: m"
    );
}

#[test]
fn arns() {
    let lb = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc6c495c0c9188";
    let listener = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
    let rule = "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    assert_eq!(
        arn_suffix(lb, ":loadbalancer/"),
        Some("app/web/50dc6c495c0c9188")
    );
    assert_eq!(
        parent_arn(listener, ":listener/", ":loadbalancer/").as_deref(),
        Some(lb)
    );
    assert_eq!(
        parent_arn(rule, ":listener-rule/", ":listener/").as_deref(),
        Some(listener)
    );
    assert_eq!(parent_arn(lb, ":listener/", ":loadbalancer/"), None);
}

/// A load balancer's attribute list, read as a provider reads it.
fn attributes(list: Value) -> Result<Vec<(String, String)>, ProviderError> {
    let value = json!({ "LoadBalancerAttributes": list });
    let p = Props::root(&value, ctx(), Keys::new(&["LoadBalancerAttributes"]))?;
    let read = attribute_list(
        &p,
        "LoadBalancerAttributes",
        LOAD_BALANCER_ATTRIBUTE,
        load_balancer_attribute,
    )?;
    Ok(read
        .iter()
        .map(|a| {
            let (k, v) = a.pair();
            (
                k.unwrap_or_default().to_owned(),
                v.unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

#[test]
fn numbers_and_strings_are_both_accepted() {
    let a = parsed(
        target_group::parse,
        target_group::TYPE,
        &json!({
            "Port": 80, "HealthCheckIntervalSeconds": 30, "HealthCheckEnabled": true,
            "HealthCheckPort": 8080,
            "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": 0}]
        }),
    )
    .expect("numbers");
    let b = parsed(
        target_group::parse,
        target_group::TYPE,
        &json!({
            "Port": "80", "HealthCheckIntervalSeconds": "30", "HealthCheckEnabled": "true",
            "HealthCheckPort": "8080",
            "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "0"}]
        }),
    )
    .expect("strings");
    assert_eq!(a, b);
    let pairs = attributes(json!([{"Key": "idle_timeout.timeout_seconds", "Value": 30}, {"Key": "routing.http2.enabled", "Value": false}]))
    .expect("pairs");
    assert_eq!(
        pairs,
        vec![
            ("idle_timeout.timeout_seconds".to_owned(), "30".to_owned()),
            ("routing.http2.enabled".to_owned(), "false".to_owned())
        ]
    );
    let err = attributes(json!([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]))
        .expect_err("twice");
    assert!(err.message.contains("sets a twice"), "{err}");
}

#[test]
fn every_documented_property_is_accepted() {
    parsed(
        load_balancer::parse,
        load_balancer::TYPE,
        &json!({
            "Name": "web", "Scheme": "internal", "Type": "network", "IpAddressType": "dualstack",
            "SubnetMappings": [{"SubnetId": "subnet-1", "AllocationId": "eipalloc-1",
                "PrivateIPv4Address": "10.0.0.5", "IPv6Address": "2600::1",
                "SourceNatIpv6Prefix": "auto_assigned"}],
            "SecurityGroups": ["sg-1"],
            "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic": "off",
            "EnablePrefixForIpv6SourceNat": "on",
            "Ipv4IpamPoolId": "ipam-pool-1",
            "LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "false"}],
            "MinimumLoadBalancerCapacity": {"CapacityUnits": 100},
            "EnableCapacityReservationProvisionStabilize": true,
            "Tags": [{"Key": "a", "Value": "b"}]
        }),
    )
    .expect("load balancer");
    parsed(target_group::parse, target_group::TYPE, &json!({
        "Name": "tg", "Port": 443, "Protocol": "HTTPS", "ProtocolVersion": "HTTP2",
        "TargetType": "instance", "VpcId": "vpc-1", "IpAddressType": "ipv4",
        "TargetControlPort": 9000,
        "HealthCheckEnabled": true, "HealthCheckIntervalSeconds": 10, "HealthCheckPath": "/",
        "HealthCheckPort": "traffic-port", "HealthCheckProtocol": "HTTPS",
        "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 2, "UnhealthyThresholdCount": 2,
        "Matcher": {"HttpCode": "200-299"},
        "TargetGroupAttributes": [{"Key": "stickiness.enabled", "Value": "true"}],
        "Targets": [{"Id": "i-1", "Port": 443, "AvailabilityZone": "all", "QuicServerId": "q"}],
        "Tags": [{"Key": "a", "Value": "b"}]
    }))
    .expect("target group");
    parsed(listener::parse, listener::TYPE, &json!({
        "LoadBalancerArn": "arn:lb", "Port": 443, "Protocol": "HTTPS",
        "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "Certificates": [{"CertificateArn": "arn:cert"}],
        "AlpnPolicy": ["HTTP2Preferred"],
        "MutualAuthentication": {"Mode": "verify", "TrustStoreArn": "arn:ts",
            "IgnoreClientCertificateExpiry": false, "AdvertiseTrustStoreCaNames": "on"},
        "ListenerAttributes": [{"Key": "routing.http.response.server.enabled", "Value": "false"}],
        "DefaultActions": [
            {"Type": "authenticate-oidc", "Order": 1, "AuthenticateOidcConfig": {
                "AuthorizationEndpoint": "https://a", "ClientId": "c", "ClientSecret": "s",
                "Issuer": "https://i", "TokenEndpoint": "https://t", "UserInfoEndpoint": "https://u",
                "OnUnauthenticatedRequest": "authenticate", "Scope": "openid",
                "SessionCookieName": "x", "SessionTimeout": "3600",
                "AuthenticationRequestExtraParams": {"p": "v"}}},
            {"Type": "authenticate-cognito", "Order": 2, "AuthenticateCognitoConfig": {
                "UserPoolArn": "arn:pool", "UserPoolClientId": "c", "UserPoolDomain": "d",
                "SessionTimeout": 3600}},
            {"Type": "jwt-validation", "Order": 3, "JwtValidationConfig": {
                "Issuer": "https://i", "JwksEndpoint": "https://j",
                "AdditionalClaims": [{"Format": "single-string", "Name": "n", "Values": ["v"]}]}},
            {"Type": "forward", "Order": 4, "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": "arn:a", "Weight": 1}, {"TargetGroupArn": "arn:b", "Weight": "3"}],
                "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 60}}}
        ],
        "Tags": [{"Key": "a", "Value": "b"}]
    }))
    .expect("listener");
    parsed(listener_rule::parse, listener_rule::TYPE, &json!({
        "ListenerArn": "arn:l", "Priority": "5",
        "Conditions": [
            {"Field": "host-header", "HostHeaderConfig": {"Values": ["a.example.com"], "RegexValues": ["^b"]}},
            {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/a/*"]}},
            {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-A", "Values": ["1"]}},
            {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}},
            {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "a", "Value": "1"}]}},
            {"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}}
        ],
        "Actions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": 443,
            "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"}}],
        "Transforms": [{"Type": "url-rewrite", "UrlRewriteConfig": {"Rewrites": [{"Regex": "^/a", "Replace": "/b"}]}}],
        "Tags": [{"Key": "a", "Value": "b"}]
    }))
    .expect("rule");
}

#[test]
fn wrong_shapes_are_refused_by_path() {
    let err = parsed(
        listener::parse,
        listener::TYPE,
        &json!({
            "LoadBalancerArn": "arn:lb",
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Host": "x"}}]
        }),
    )
    .expect_err("no status code");
    assert!(
        err.message
            .contains("property DefaultActions[0].RedirectConfig.StatusCode is required"),
        "{err}"
    );
    let err = parsed(
        listener::parse,
        listener::TYPE,
        &json!({
            "LoadBalancerArn": "arn:lb",
            "DefaultActions": [{"Type": "teleport"}]
        }),
    )
    .expect_err("no such action");
    assert!(
        err.message
            .contains("property DefaultActions[0].Type: \"teleport\" is not one of"),
        "{err}"
    );
    let err = parsed(
        listener::parse,
        listener::TYPE,
        &json!({
            "LoadBalancerArn": "arn:lb",
            "DefaultActions": [{"Type": "authenticate-oidc", "AuthenticateOidcConfig": {
                "AuthorizationEndpoint": "a", "ClientId": "c", "Issuer": "i", "TokenEndpoint": "t",
                "UserInfoEndpoint": "u"}}]
        }),
    )
    .expect_err("no secret");
    assert!(err.message.contains("needs ClientSecret"), "{err}");
    let err = parsed(
        listener::parse,
        listener::TYPE,
        &json!({"DefaultActions": []}),
    )
    .expect_err("no load balancer");
    assert!(err.message.contains("LoadBalancerArn is required"), "{err}");
    let err = parsed(
        listener_rule::parse,
        listener_rule::TYPE,
        &json!({
            "ListenerArn": "arn:l", "Priority": 1, "Conditions": [],
            "Actions": [{"Type": "forward", "TargetGroupArn": "arn:a"}],
            "Transforms": [{"Type": "url-rewrite", "UrlRewriteConfig": {"Rewrite": []}}]
        }),
    )
    .expect_err("misspelt key");
    assert!(
        err.message
            .contains("property Transforms[0].UrlRewriteConfig has no key Rewrite"),
        "{err}"
    );
    let err = parsed(
        load_balancer::parse,
        load_balancer::TYPE,
        &json!({"MinimumLoadBalancerCapacity": {}}),
    )
    .expect_err("no units");
    assert!(err.message.contains("CapacityUnits is required"), "{err}");
}

#[test]
fn matching_ignores_defaults_aws_fills_in() {
    // A redirect's default parts, a target group tuple's weight.
    assert!(matches(
        &json!({"StatusCode": "HTTP_301", "Protocol": "HTTPS"}),
        &json!({"StatusCode": "HTTP_301", "Protocol": "HTTPS", "Port": "#{port}", "Host": "#{host}"})
    ));
    // Text equality of scalars: `80` and `"80"`, `true` and `"true"`.
    assert!(matches(
        &json!({"Port": 80, "On": true}),
        &json!({"Port": "80", "On": "true"})
    ));
    // Lists match in any order but must be as long.
    assert!(matches(&json!(["a", "b"]), &json!(["b", "a"])));
    assert!(!matches(&json!(["a"]), &json!(["a", "b"])));
    // Each item finds its own partner (a greedy choice would fail here).
    assert!(matches(
        &json!([{"Id": "x"}, {"Id": "x", "Port": 2}]),
        &json!([{"Id": "x", "Port": 2}, {"Id": "x", "Port": 1}])
    ));
    // A value the template set and AWS changed is a difference.
    assert!(!matches(&json!({"Port": 80}), &json!({"Port": 81})));
    assert!(!matches(&json!({"Port": 80}), &json!({})));
    // Write-only keys are never compared.
    assert!(matches(
        &json!({"ClientId": "c", "ClientSecret": "s"}),
        &json!({"ClientId": "c"})
    ));
    assert_eq!(
        observed(json!({"A": "1", "B": 2}), Some(&json!({"A": 1}))),
        json!({"A": 1})
    );
    assert_eq!(
        observed(json!({"A": "2"}), Some(&json!({"A": 1}))),
        json!({"A": "2"})
    );
}

fn forward(arns: &[&str]) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .order(1)
        .set_target_group_arn((arns.len() == 1).then(|| arns[0].to_owned()))
        .forward_config(
            ForwardActionConfig::builder()
                .set_target_groups(Some(
                    arns.iter()
                        .map(|a| {
                            TargetGroupTuple::builder()
                                .target_group_arn(*a)
                                .weight(1)
                                .build()
                        })
                        .collect(),
                ))
                .target_group_stickiness_config(
                    TargetGroupStickinessConfig::builder()
                        .enabled(false)
                        .build(),
                )
                .build(),
        )
        .build()
}

#[test]
fn forward_actions_read_back_as_written() {
    // AWS returns a single-group forward in both forms, with weights, order and stickiness.
    let found = [forward(&["arn:tg"])];
    let short = json!([{"Type": "forward", "TargetGroupArn": "arn:tg"}]);
    assert_eq!(observed_actions(&found, Some(&short)), short);
    let long = json!([{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "arn:tg"}]}}]);
    assert_eq!(observed_actions(&found, Some(&long)), long);
    // Another target group, or one more, is drift.
    let other = json!([{"Type": "forward", "TargetGroupArn": "arn:other"}]);
    assert_ne!(observed_actions(&found, Some(&other)), other);
    let two = [forward(&["arn:tg", "arn:b"])];
    let seen = observed_actions(&two, Some(&short));
    assert_ne!(seen, short);
    assert_eq!(
        seen[0]["ForwardConfig"]["TargetGroups"][1]["TargetGroupArn"],
        "arn:b"
    );
    // A redirect with AWS's defaults filled in.
    let redirect = Action::builder()
        .r#type(ActionTypeEnum::Redirect)
        .redirect_config(
            RedirectActionConfig::builder()
                .protocol("HTTPS")
                .port("443")
                .host("#{host}")
                .path("/#{path}")
                .query("#{query}")
                .status_code(RedirectActionStatusCodeEnum::Http301)
                .build(),
        )
        .build();
    let written = json!([{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": 443, "StatusCode": "HTTP_301"}}]);
    assert_eq!(observed_actions(&[redirect], Some(&written)), written);
    // What was parsed reads back the same.
    let parsed = parse_actions(Some(&written), "Actions", ctx()).expect("parsed");
    assert_eq!(observed_actions(&parsed, Some(&written)), written);
}

#[test]
fn conditions_read_back_as_written() {
    // AWS repeats a path pattern's values in `Values` and `PathPatternConfig`.
    let found = RuleCondition::builder()
        .field("path-pattern")
        .values("/api/*")
        .path_pattern_config(
            aws_sdk_elasticloadbalancingv2::types::PathPatternConditionConfig::builder()
                .values("/api/*")
                .build(),
        )
        .build();
    let observed_list = Value::Array(vec![report_rule_condition(&found)]);
    for written in [
        json!([{"Field": "path-pattern", "Values": ["/api/*"]}]),
        json!([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}]),
    ] {
        assert!(matches(&written, &observed_list), "{written}");
        let parsed: Vec<RuleCondition> = list(&written, "Conditions", ctx())
            .expect("list")
            .iter()
            .map(|item| Props::object(item, "Conditions[0]", ctx(), RULE_CONDITION))
            .map(|item| rule_condition(&item.expect("object")).expect("parsed"))
            .collect();
        let back = Value::Array(parsed.iter().map(report_rule_condition).collect());
        assert!(matches(&written, &back), "{written}");
    }
    assert!(!matches(
        &json!([{"Field": "path-pattern", "Values": ["/other"]}]),
        &observed_list
    ));
}

#[test]
fn attribute_lists() {
    let before = vec![
        ("a".to_owned(), "1".to_owned()),
        ("b".to_owned(), "2".to_owned()),
    ];
    let after = vec![
        ("a".to_owned(), "1".to_owned()),
        ("b".to_owned(), "3".to_owned()),
        ("c".to_owned(), "4".to_owned()),
    ];
    assert_eq!(
        changed_pairs(&before, &after),
        vec![
            ("b".to_owned(), "3".to_owned()),
            ("c".to_owned(), "4".to_owned())
        ]
    );
    // Only the keys the template sets are reported, as written when the value is the same.
    let found: BTreeMap<String, String> = [("a", "1"), ("b", "9"), ("z", "0")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let previous = json!([{"Key": "a", "Value": 1}, {"Key": "b", "Value": "2"}, {"Key": "gone", "Value": "x"}]);
    assert_eq!(
        observed_pairs(&found, Some(&previous)),
        json!([{"Key": "a", "Value": 1}, {"Key": "b", "Value": "9"}])
    );
}
