//! Unit tests of the family's shared calls (the service's properties are tested in
//! `service/tests.rs`).

use std::collections::BTreeMap;

use super::calls::request_id;

#[test]
fn the_request_id_is_stable_per_intent_and_differs_between_intents() {
    let tags = BTreeMap::new();
    let one = request_id("lineage/Ns/2026-01-01T00:00:00Z", &tags, "Ns");
    assert_eq!(
        one,
        request_id("lineage/Ns/2026-01-01T00:00:00Z", &tags, "Ns")
    );
    assert_ne!(
        one,
        request_id("lineage/Ns/2026-01-02T00:00:00Z", &tags, "Ns")
    );
    assert!(one.starts_with("infra-") && one.len() <= 64, "{one}");
    assert_ne!(request_id("", &tags, "A"), request_id("", &tags, "B"));
}

#[test]
fn a_namespace_reads_back_in_the_template_spelling_and_shows_a_changed_ttl() {
    use aws_sdk_servicediscovery::types::{
        DnsProperties, NamespaceProperties, NamespaceSummary, Soa,
    };
    use serde_json::{Value, json};

    let summary = |ttl: i64| {
        let soa = Soa::builder().ttl(ttl).build().expect("soa");
        let dns = DnsProperties::builder()
            .soa(soa)
            .hosted_zone_id("Z1")
            .build();
        NamespaceSummary::builder()
            .name("sd.internal")
            .description("names")
            .properties(NamespaceProperties::builder().dns_properties(dns).build())
            .build()
    };
    let last = json!({"Name": "sd.internal", "Vpc": "vpc-1", "Description": "names",
        "Properties": {"DnsProperties": {"SOA": {"TTL": "60"}}}});
    let seen = super::namespace::observe(&summary(60), &last);
    assert_eq!(
        Value::Object(seen),
        last,
        "no drift: the TTL as written, Vpc as applied"
    );
    let seen = super::namespace::observe(&summary(120), &last);
    assert_eq!(
        seen["Properties"],
        json!({"DnsProperties": {"SOA": {"TTL": 120}}})
    );
    let untimed = json!({"Name": "sd.internal", "Properties": {"DnsProperties": {}}});
    let seen = super::namespace::observe(&summary(60), &untimed);
    assert_eq!(Value::Object(seen), untimed, "no TTL managed, no drift");
}

#[test]
fn namespace_properties_are_checked_per_type() {
    use serde_json::json;

    use super::namespace::{Http, Kind, PrivateDns, parse};
    use crate::generated::servicediscovery::create_private_dns_namespace;
    use crate::providers::kit::Ctx;
    const HTTP: &str = Http::TYPE;
    const PRIVATE: &str = PrivateDns::TYPE;

    let ctx = Ctx::new(PRIVATE, "Ns");
    let props = json!({"Name": "a.internal", "Vpc": "vpc-1", "Description": "d",
        "Properties": {"DnsProperties": {"SOA": {"TTL": "60"}}}, "Tags": [{"Key": "k", "Value": ""}]});
    let spec = parse::<PrivateDns>(&props, ctx).unwrap_or_else(|e| panic!("{e}"));
    let soa = spec
        .change
        .properties()
        .and_then(|p| p.dns_properties()?.soa());
    assert_eq!(soa.map(|s| s.ttl()), Some(60));
    let props = crate::providers::kit::Props::root(&props, ctx, PrivateDns::KEYS);
    let create = props.and_then(|p| create_private_dns_namespace(&p, Default::default()));
    let create = create.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(create.get_vpc().as_deref(), Some("vpc-1"));
    assert_eq!(spec.tags, vec![("k".to_owned(), String::new())]);
    for (props, named) in [
        (
            json!({"Name": "a", "Properties": {"DnsProperties": {"SOA": {"Ttl": 1}}}}),
            "Ttl",
        ),
        (json!({"Name": "a", "HostedZoneId": "Z1"}), "HostedZoneId"),
        (json!({"Description": "no name"}), "Name"),
    ] {
        let err = parse::<PrivateDns>(&props, ctx).expect_err("refused");
        assert!(err.message.contains(named), "{}", err.message);
    }
    let http = Ctx::new(HTTP, "Catalog");
    let err = parse::<Http>(&json!({"Name": "c", "Vpc": "vpc-1"}), http).expect_err("no Vpc");
    assert!(err.message.contains("Vpc"), "{}", err.message);
}
