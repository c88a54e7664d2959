use std::collections::BTreeMap;

use aws_sdk_route53::types::{
    AcceleratedRecoveryStatus, ResourceRecord, ResourceRecordSet, RrType, Vpc, VpcRegion,
};
use serde_json::json;

use super::hosted_zone::{self, read::recovery_on};
use super::record_set::{self, spec};
use super::{bare_zone_id, canonical, same_name};
use crate::provider::{Observation, ReadInput};
use crate::providers::kit::Ctx;
use crate::providers::refused_properties;

fn zone_ctx() -> Ctx<'static> {
    Ctx::new(hosted_zone::TYPE, "Zone")
}

fn record_ctx() -> Ctx<'static> {
    Ctx::new(record_set::TYPE, "Record")
}

#[test]
fn names_compare_as_route53_compares_them() {
    assert_eq!(canonical("WWW.Example.com."), "www.example.com");
    assert_eq!(canonical("\\052.example.com."), "*.example.com");
    assert!(same_name("*.Example.COM", "\\052.example.com."));
    assert!(!same_name("a.example.com", "b.example.com"));
    assert_eq!(canonical("."), ".");
    assert_eq!(bare_zone_id("/hostedzone/Z123"), "Z123");
    assert_eq!(bare_zone_id("Z123"), "Z123");
}

#[test]
fn both_types_map_every_property() {
    assert!(refused_properties(hosted_zone::TYPE).is_empty());
    assert!(refused_properties(record_set::TYPE).is_empty());
}

#[test]
fn a_hosted_zone_is_read_from_the_template() {
    let spec = hosted_zone::parse(
        &json!({
            "Name": "example.com",
            "HostedZoneConfig": {"Comment": "main"},
            "VPCs": [{"VPCId": "vpc-1", "VPCRegion": "us-east-1"}],
            "QueryLoggingConfig": {"CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:1:log-group:q"},
            "HostedZoneFeatures": {"EnableAcceleratedRecovery": "true"},
            "HostedZoneTags": [{"Key": "team", "Value": "a"}],
        }),
        zone_ctx(),
    )
    .expect("parses");
    assert_eq!(spec.name, "example.com");
    assert_eq!(spec.comment.as_deref(), Some("main"));
    let vpc = Vpc::builder()
        .vpc_id("vpc-1")
        .vpc_region(VpcRegion::UsEast1);
    assert_eq!(spec.vpcs, vec![vpc.build()]);
    assert_eq!(spec.recovery, Some(true));
    assert_eq!(spec.tags, vec![("team".to_owned(), "a".to_owned())]);

    let err = hosted_zone::parse(&json!({"Name": "x.com", "NameServers": []}), zone_ctx())
        .expect_err("an attribute");
    assert!(err.message.contains("Fn::GetAtt NameServers"), "{err}");
    let err = hosted_zone::parse(
        &json!({"Name": "x.com", "VPCs": [{"VPCId": "vpc-1"}]}),
        zone_ctx(),
    )
    .expect_err("region required");
    assert!(err.message.contains("VPCs[0].VPCRegion"), "{err}");
    let err = hosted_zone::parse(&json!({}), zone_ctx()).expect_err("name required");
    assert!(err.message.contains("Name is required"), "{err}");
}

#[test]
fn accelerated_recovery_reads_as_on_while_it_is_being_enabled() {
    assert!(recovery_on(Some(&AcceleratedRecoveryStatus::Enabling)));
    assert!(recovery_on(Some(&AcceleratedRecoveryStatus::Enabled)));
    assert!(!recovery_on(Some(&AcceleratedRecoveryStatus::Disabled)));
    assert!(!recovery_on(None));
}

#[test]
fn a_record_set_names_exactly_one_zone() {
    let both = json!({"Name": "a.example.com", "Type": "A", "HostedZoneId": "Z1",
        "HostedZoneName": "example.com."});
    let err = spec::parse(&both, record_ctx()).expect_err("both");
    assert!(err.message.contains("not both"), "{err}");
    let none = json!({"Name": "a.example.com", "Type": "A"});
    let err = spec::parse(&none, record_ctx()).expect_err("none");
    assert!(
        err.message
            .contains("HostedZoneId or HostedZoneName is required"),
        "{err}"
    );
    let bad = json!({"Name": "a.example.com", "Type": "A", "HostedZoneId": "Z1",
        "AliasTarget": {"DNSName": "x", "HostedZoneId": "Z2", "Ttl": 1}});
    let err = spec::parse(&bad, record_ctx()).expect_err("unknown key");
    assert!(err.message.contains("AliasTarget has no key Ttl"), "{err}");
}

#[test]
fn a_record_set_is_read_into_the_sdk_shape() {
    let props = json!({"Name": "www.example.com", "Type": "A", "HostedZoneId": "/hostedzone/Z1",
        "TTL": "300", "ResourceRecords": ["192.0.2.1", "192.0.2.2"], "SetIdentifier": "blue",
        "Weight": 10, "GeoProximityLocation": {"Coordinates": {"Latitude": "1.5", "Longitude": "2"}, "Bias": 5}});
    let spec = spec::parse(&props, record_ctx()).expect("parses");
    assert_eq!(spec.zone, spec::Zone::Id("Z1".into()));
    assert_eq!(spec.set.ttl(), Some(300));
    assert_eq!(spec.set.weight(), Some(10));
    assert_eq!(spec.set.resource_records().len(), 2);
    let template = spec::as_template(&spec.set);
    assert_eq!(
        template["GeoProximityLocation"]["Coordinates"]["Latitude"],
        json!("1.5")
    );
    assert_eq!(template["GeoProximityLocation"]["Bias"], json!(5));
}

fn listed(name: &str, values: &[&str]) -> ResourceRecordSet {
    let records = values
        .iter()
        .map(|v| ResourceRecord::builder().value(*v).build().expect("record"));
    ResourceRecordSet::builder()
        .name(name)
        .r#type(RrType::Txt)
        .ttl(60)
        .set_resource_records(Some(records.collect()))
        .build()
        .expect("set")
}

#[test]
fn record_sets_compare_by_their_values_as_route53_holds_them() {
    let props = json!({"Name": "TXT.example.com", "Type": "TXT", "HostedZoneId": "Z1",
        "TTL": 60, "ResourceRecords": ["\"a\"", "\"b\""]});
    let spec = spec::parse(&props, record_ctx()).expect("parses");
    assert!(spec::same(
        &listed("txt.example.com.", &["\"b\"", "\"a\""]),
        &spec.set
    ));
    assert!(!spec::same(
        &listed("txt.example.com.", &["\"a\""]),
        &spec.set
    ));
    assert_eq!(
        spec::identity(&listed("txt.example.com.", &[])),
        spec::identity(&spec.set)
    );
}

#[test]
fn a_record_set_reads_in_the_template_spelling() {
    let props = json!({"Name": "TXT.example.com", "Type": "TXT", "HostedZoneId": "Z1",
        "TTL": "60", "ResourceRecords": ["\"a\"", "\"b\""], "Comment": "c"});
    let item = ReadInput {
        address: "Record".into(),
        type_name: record_set::TYPE.into(),
        physical_id: "TXT.example.com".into(),
        properties: props.clone(),
        attributes: BTreeMap::new(),
    };
    let seen = record_set::read::observe(&item, &listed("txt.example.com.", &["\"b\"", "\"a\""]));
    assert_eq!(
        seen,
        Observation::Present {
            properties: props,
            attributes: BTreeMap::new()
        }
    );
    let seen = record_set::read::observe(&item, &listed("txt.example.com.", &["\"c\""]));
    let Observation::Present { properties, .. } = seen else {
        panic!("present")
    };
    assert_eq!(properties["ResourceRecords"], json!(["\"c\""]));
}
