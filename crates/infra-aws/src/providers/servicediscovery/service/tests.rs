//! Unit tests of the Cloud Map service's property parsing and rendering.

use serde_json::json;

use super::TYPE;
use super::spec::{observed, parse, render};
use crate::provider::FailureClass;
use crate::providers::kit::Ctx;

fn ctx() -> Ctx<'static> {
    Ctx::new(TYPE, "Discovery")
}

#[test]
fn a_dns_service_parses_and_renders_back_without_aws_defaults() {
    let props = json!({
        "Name": "api", "NamespaceId": "ns-1", "Description": "the API",
        "DnsConfig": {"RoutingPolicy": "MULTIVALUE", "DnsRecords": [{"Type": "A", "TTL": "60"}]},
        "HealthCheckCustomConfig": {"FailureThreshold": 2},
        "ServiceAttributes": {"team": "x"}, "Tags": [{"Key": "k", "Value": "v"}]
    });
    let parsed = parse(&props, ctx()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.service.namespace_id(), Some("ns-1"));
    assert_eq!(parsed.attributes.get("team").map(String::as_str), Some("x"));
    assert_eq!(parsed.tags.len(), 1);
    let shown = render(&parsed.service);
    assert_eq!(
        shown["DnsConfig"],
        json!({"DnsRecords": [{"TTL": 60, "Type": "A"}]})
    );
    for key in ["DnsConfig", "HealthCheckCustomConfig", "Name"] {
        assert_eq!(
            observed(&shown, &props, key).as_ref(),
            props.get(key),
            "{key}"
        );
    }
    // A changed TTL is drift, reported as AWS has it.
    let mut aws = shown.clone();
    aws["DnsConfig"]["DnsRecords"][0]["TTL"] = json!(300);
    assert_eq!(
        observed(&aws, &props, "DnsConfig"),
        Some(aws["DnsConfig"].clone())
    );
}

#[test]
fn the_deprecated_namespace_place_and_bad_values() {
    let old = json!({"DnsConfig": {"NamespaceId": "ns-2", "DnsRecords": []}});
    let parsed = parse(&old, ctx()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.service.namespace_id(), Some("ns-2"));
    for (props, named) in [
        (json!({"Type": "DNS"}), "Type"),
        (
            json!({"DnsConfig": {"DnsRecords": [{"Type": "MX", "TTL": 1}]}}),
            "DnsRecords[0].Type",
        ),
        (json!({"DnsConfig": {}}), "DnsRecords"),
        (
            json!({"HealthCheckConfig": {"Type": "HTTP", "Port": 80}}),
            "Port",
        ),
        (json!({"Id": "srv-1"}), "Id"),
    ] {
        let err = parse(&props, ctx())
            .err()
            .unwrap_or_else(|| panic!("{props} is refused"));
        assert_eq!(err.class, FailureClass::Fatal);
        assert!(err.message.contains(named), "{}", err.message);
    }
}
