//! A record set's template properties read into the SDK's [`ResourceRecordSet`] ([`parse`]),
//! and a record set as the template writes it ([`as_template`]), both through the conversions
//! generated from `crates/infra-aws/mappings/route53.toml` (the zone, the batch's comment and
//! the values, plain strings in the template, read here), which is also how two record
//! sets are compared ([`same`]: names and alias targets as Route 53 compares them, values as a
//! set).

use crate::providers::kit::prelude::*;
use aws_sdk_route53::types::{ResourceRecord, ResourceRecordSet};

use crate::generated::route53::{RECORD_SET, report_resource_record_set, resource_record_set};
use crate::providers::kit::convert::built;
use crate::providers::route53::{bare_zone_id, canonical};

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

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, RECORD_SET)?;
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
    let mut set = resource_record_set(&p)?;
    // Plain strings in the template, objects in the SDK.
    let records = p.str_list("ResourceRecords")?.into_iter();
    let records = records.map(|value| built(&p, ResourceRecord::builder().value(value).build()));
    set.resource_records = Some(records.collect::<Result<Vec<_>, _>>()?).filter(|r| !r.is_empty());
    Ok(Spec {
        zone,
        set,
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

/// A record set as the template writes it (every property Route 53 holds), with the generated
/// report and the values as plain strings.
pub(crate) fn as_template(set: &ResourceRecordSet) -> Value {
    let mut value = report_resource_record_set(set);
    let records: Vec<&str> = set.resource_records().iter().map(|r| r.value()).collect();
    if !records.is_empty() {
        value["ResourceRecords"] = json!(records);
    }
    value
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
