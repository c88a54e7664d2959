//! Refusals: properties infra does not map, and values of the wrong shape, refused by name
//! before any call.

use infra_aws::provider::FailureClass;
use serde_json::{Value, json};

use crate::harness::*;

/// Properties infra does not map are refused by name before any call; so are values of the
/// wrong shape.
#[tokio::test]
async fn unsupported_and_invalid_properties_are_refused_by_name() {
    let h = Harness::new("refused").await;
    let cases: Vec<(&'static str, Value, &str)> = vec![
        (
            LB,
            json!({"Subnets": ["subnet-1"], "LoadBalancerAttribute": []}),
            "property LoadBalancerAttribute is not supported by infra for AWS::ElasticLoadBalancingV2::LoadBalancer",
        ),
        (
            LB,
            json!({"Subnets": ["subnet-1"], "SubnetMappings": [{"SubnetId": "subnet-1"}]}),
            "Subnets and SubnetMappings are both set",
        ),
        (
            LB,
            json!({"Subnets": ["subnet-1"], "Scheme": "public"}),
            "property Scheme: \"public\" is not one of internal, internet-facing",
        ),
        (
            TG,
            json!({"Port": "eighty"}),
            "property Port must be an integer, not a string",
        ),
        (
            LISTENER,
            json!({"LoadBalancerArn": "arn:lb", "DefaultActions": [
                {"Type": "forward", "ForwardConfig": {"TargetGroups": [], "Stickiness": {}}}
            ]}),
            "property DefaultActions[0].ForwardConfig has no key Stickiness",
        ),
        (
            LISTENER,
            json!({"LoadBalancerArn": "arn:lb", "DefaultActions": [{"Type": "forward"}]}),
            "an action of type forward needs TargetGroupArn or ForwardConfig.TargetGroups",
        ),
        (
            LISTENER,
            json!({"LoadBalancerArn": "arn:lb", "Protocol": "HTTPS",
                   "Certificates": [{"CertificateArn": "a"}, {"CertificateArn": "b"}],
                   "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}),
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        ),
        (
            RULE,
            json!({"ListenerArn": "arn:l", "Priority": 1,
                   "Conditions": [{"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"], "IpAddressType": "ipv4"}}],
                   "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}),
            "property Conditions[0].SourceIpConfig.IpAddressType is not supported",
        ),
    ];
    for (type_name, properties, expected) in cases {
        let err = h
            .try_create("Refused.Thing", type_name, properties.clone())
            .await
            .expect_err("refused");
        assert_eq!(err.class, FailureClass::Fatal, "{err}");
        assert!(
            err.message.contains(expected),
            "{type_name} {properties}: {err}"
        );
        assert!(err.message.contains("Refused.Thing"), "{err}");
    }
    assert_eq!(
        h.calls.count("CreateLoadBalancer")
            + h.calls.count("CreateTargetGroup")
            + h.calls.count("CreateListener")
            + h.calls.count("CreateRule"),
        0,
        "refused before any call"
    );
}
