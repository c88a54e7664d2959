//! A record set's template properties read into the SDK's [`ResourceRecordSet`] ([`parse`]),
//! and a record set as the template writes it ([`as_template`]), which is also how two record
//! sets are compared ([`same`]: names and alias targets as Route 53 compares them, values as a
//! set).

use aws_sdk_route53::types::{
    AliasTarget, CidrRoutingConfig, Coordinates, GeoLocation, GeoProximityLocation, ResourceRecord,
    ResourceRecordSet, ResourceRecordSetFailover, ResourceRecordSetRegion, RrType,
};
use aws_smithy_types::error::operation::BuildError;
use serde_json::{Value, json};

use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Keys, Props, scalar_text};
use crate::providers::route53::{bare_zone_id, canonical};

const SUPPORTED: &[&str] = &[
    "AliasTarget",
    "CidrRoutingConfig",
    "Comment",
    "Failover",
    "GeoLocation",
    "GeoProximityLocation",
    "HealthCheckId",
    "HostedZoneId",
    "HostedZoneName",
    "MultiValueAnswer",
    "Name",
    "Region",
    "ResourceRecords",
    "SetIdentifier",
    "TTL",
    "Type",
    "Weight",
];

const ALIAS: Keys = Keys::new(&["DNSName", "EvaluateTargetHealth", "HostedZoneId"]).listed();
const GEO: Keys = Keys::new(&["ContinentCode", "CountryCode", "SubdivisionCode"]).listed();
const CIDR: Keys = Keys::new(&["CollectionId", "LocationName"]).listed();
const PROXIMITY: Keys = Keys::new(&["AWSRegion", "Bias", "Coordinates", "LocalZoneGroup"]).listed();
const COORDINATES: Keys = Keys::new(&["Latitude", "Longitude"]).listed();

/// The hosted zone a record set goes in, as the template names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Zone {
    /// `HostedZoneId`, without `/hostedzone/`.
    Id(String),
    /// `HostedZoneName`, looked up when used.
    Name(String),
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Id(id) => write!(f, "{id}"),
            Zone::Name(name) => write!(f, "named {name}"),
        }
    }
}

/// The record set as the template describes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub(crate) zone: Zone,
    pub(crate) set: ResourceRecordSet,
    /// The change batch's comment (`Comment`, write-only).
    pub(crate) comment: Option<String>,
}

fn built<T>(value: Result<T, BuildError>, ctx: Ctx<'_>, what: &str) -> Result<T, ProviderError> {
    value.map_err(|e| ctx.fatal(format!("property {what}: {e}")))
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, Keys::new(SUPPORTED))?;
    let zone = match (p.str("HostedZoneId")?, p.str("HostedZoneName")?) {
        (Some(id), None) => Zone::Id(bare_zone_id(&id).to_owned()),
        (None, Some(name)) => Zone::Name(name),
        (Some(_), Some(_)) => {
            return Err(ctx.fatal("set HostedZoneId or HostedZoneName, not both"));
        }
        (None, None) => {
            return Err(ctx.fatal(
                "HostedZoneId or HostedZoneName is required: the hosted zone the record set goes in",
            ));
        }
    };
    let alias = match p.obj("AliasTarget", ALIAS)? {
        None => None,
        Some(a) => Some(built(
            AliasTarget::builder()
                .dns_name(a.required_str("DNSName")?)
                .hosted_zone_id(a.required_str("HostedZoneId")?)
                .evaluate_target_health(a.bool("EvaluateTargetHealth")?.unwrap_or(false))
                .build(),
            ctx,
            "AliasTarget",
        )?),
    };
    let geo = match p.obj("GeoLocation", GEO)? {
        None => None,
        Some(g) => Some(
            GeoLocation::builder()
                .set_continent_code(g.str("ContinentCode")?)
                .set_country_code(g.str("CountryCode")?)
                .set_subdivision_code(g.str("SubdivisionCode")?)
                .build(),
        ),
    };
    let cidr = match p.obj("CidrRoutingConfig", CIDR)? {
        None => None,
        Some(c) => Some(built(
            CidrRoutingConfig::builder()
                .collection_id(c.required_str("CollectionId")?)
                .location_name(c.required_str("LocationName")?)
                .build(),
            ctx,
            "CidrRoutingConfig",
        )?),
    };
    let proximity = match p.obj("GeoProximityLocation", PROXIMITY)? {
        None => None,
        Some(g) => {
            let coordinates = match g.obj("Coordinates", COORDINATES)? {
                None => None,
                Some(c) => Some(built(
                    Coordinates::builder()
                        .latitude(c.required_str("Latitude")?)
                        .longitude(c.required_str("Longitude")?)
                        .build(),
                    ctx,
                    "GeoProximityLocation.Coordinates",
                )?),
            };
            Some(
                GeoProximityLocation::builder()
                    .set_aws_region(g.str("AWSRegion")?)
                    .set_local_zone_group(g.str("LocalZoneGroup")?)
                    .set_bias(g.i32("Bias")?)
                    .set_coordinates(coordinates)
                    .build(),
            )
        }
    };
    let records = p.str_list("ResourceRecords")?.into_iter().map(|value| {
        built(
            ResourceRecord::builder().value(value).build(),
            ctx,
            "ResourceRecords",
        )
    });
    let records = records.collect::<Result<Vec<_>, _>>()?;
    let set = ResourceRecordSet::builder()
        .name(p.required_str("Name")?)
        .r#type(RrType::from(p.required_str("Type")?.as_str()))
        .set_ttl(p.i64("TTL")?)
        .set_resource_records(Some(records).filter(|r| !r.is_empty()))
        .set_alias_target(alias)
        .set_set_identifier(p.str("SetIdentifier")?)
        .set_weight(p.i64("Weight")?)
        .set_region(
            p.str("Region")?
                .map(|r| ResourceRecordSetRegion::from(r.as_str())),
        )
        .set_failover(
            p.str("Failover")?
                .map(|f| ResourceRecordSetFailover::from(f.as_str())),
        )
        .set_geo_location(geo)
        .set_multi_value_answer(p.bool("MultiValueAnswer")?)
        .set_health_check_id(p.str("HealthCheckId")?)
        .set_cidr_routing_config(cidr)
        .set_geo_proximity_location(proximity)
        .build();
    Ok(Spec {
        zone,
        set: built(set, ctx, "Name and Type")?,
        comment: p.str("Comment")?,
    })
}

/// What identifies a record set in its zone: its name (as Route 53 compares it), type and set
/// identifier.
pub(crate) fn identity(set: &ResourceRecordSet) -> (String, String, String) {
    let id = set.set_identifier().unwrap_or_default().to_owned();
    (canonical(set.name()), set.r#type().as_str().to_owned(), id)
}

/// Which routing policy a record set has (Route 53 changes a record set's policy only by
/// deleting it and creating it again, in one batch).
pub(crate) fn routing(set: &ResourceRecordSet) -> [bool; 7] {
    [
        set.weight().is_some(),
        set.region().is_some(),
        set.failover().is_some(),
        set.geo_location().is_some(),
        set.multi_value_answer().is_some(),
        set.cidr_routing_config().is_some(),
        set.geo_proximity_location().is_some(),
    ]
}

/// A record set as the template writes it (every property Route 53 holds; absent ones null).
pub(crate) fn as_template(set: &ResourceRecordSet) -> Value {
    let records: Vec<&str> = set.resource_records().iter().map(|r| r.value()).collect();
    let geo = set.geo_location().map(|g| {
        json!({"ContinentCode": g.continent_code(), "CountryCode": g.country_code(),
            "SubdivisionCode": g.subdivision_code()})
    });
    let proximity = set.geo_proximity_location().map(|g| {
        let coordinates = g
            .coordinates()
            .map(|c| json!({"Latitude": c.latitude(), "Longitude": c.longitude()}));
        json!({"AWSRegion": g.aws_region(), "Bias": g.bias(), "Coordinates": coordinates,
            "LocalZoneGroup": g.local_zone_group()})
    });
    json!({
        "Name": set.name(),
        "Type": set.r#type().as_str(),
        "TTL": set.ttl(),
        "ResourceRecords": Some(records).filter(|r| !r.is_empty()),
        "AliasTarget": set.alias_target().map(|a| json!({"DNSName": a.dns_name(),
            "HostedZoneId": a.hosted_zone_id(), "EvaluateTargetHealth": a.evaluate_target_health()})),
        "SetIdentifier": set.set_identifier(),
        "Weight": set.weight(),
        "Region": set.region().map(|r| r.as_str()),
        "Failover": set.failover().map(|f| f.as_str()),
        "GeoLocation": geo,
        "MultiValueAnswer": set.multi_value_answer(),
        "HealthCheckId": set.health_check_id(),
        "CidrRoutingConfig": set.cidr_routing_config().map(|c| json!({
            "CollectionId": c.collection_id(), "LocationName": c.location_name()})),
        "GeoProximityLocation": proximity,
    })
}

/// Whether two record sets say the same: names and alias targets compared as Route 53 compares
/// domain names, values as a set, every scalar as text, an unset value as its default.
pub(crate) fn same(a: &ResourceRecordSet, b: &ResourceRecordSet) -> bool {
    comparable(a) == comparable(b)
}

fn comparable(set: &ResourceRecordSet) -> Value {
    let mut value = as_template(set);
    value["Name"] = json!(canonical(set.name()));
    let mut records: Vec<&str> = set.resource_records().iter().map(|r| r.value()).collect();
    records.sort_unstable();
    value["ResourceRecords"] = json!(records);
    if let Some(a) = set.alias_target() {
        value["AliasTarget"]["DNSName"] = json!(canonical(a.dns_name()));
        value["AliasTarget"]["HostedZoneId"] = json!(bare_zone_id(a.hosted_zone_id()));
    }
    if set.multi_value_answer() == Some(false) {
        value["MultiValueAnswer"] = Value::Null;
    }
    texts(&value)
}

/// Every scalar as text, nulls and empty objects dropped.
fn texts(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(texts).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), texts(v)))
                .filter(|(_, v)| !v.is_null() && v.as_object().is_none_or(|o| !o.is_empty()))
                .collect(),
        ),
        other => scalar_text(other).map_or(Value::Null, Value::String),
    }
}

/// A record set's name, type and set identifier, for messages.
pub(crate) fn describe(set: &ResourceRecordSet) -> String {
    match set.set_identifier() {
        Some(id) => format!("{} {} ({id})", set.name(), set.r#type().as_str()),
        None => format!("{} {}", set.name(), set.r#type().as_str()),
    }
}
