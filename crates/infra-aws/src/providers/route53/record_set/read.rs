//! Refresh of `AWS::Route53::RecordSet`: the items grouped by hosted zone (a `HostedZoneName`
//! looked up once per name), then ListResourceRecordSets once per zone, pages followed, for
//! every record set of the zone at once (a few zones at a time); each item is matched by name,
//! type and set identifier. A record set not listed, or whose zone is gone, is gone.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_route53::types::ResourceRecordSet;

use super::spec::{Spec, Zone, as_template, identity, parse};
use super::{TYPE, records, zone_id};
use crate::providers::route53::{R53, bare_zone_id, same_name};

pub(super) async fn read(r53: &R53, items: &[ReadInput]) -> Reads {
    let mut groups: BTreeMap<Zone, Vec<(ReadInput, Spec)>> = BTreeMap::new();
    for item in items {
        let spec = parse(&item.properties, Ctx::new(TYPE, &item.address))?;
        let group = groups.entry(spec.zone.clone()).or_default();
        group.push((item.clone(), spec));
    }
    let tasks = groups.into_iter().map(|(zone, group)| {
        let r53 = r53.clone();
        async move {
            let address = group.first().map(|(i, _)| i.address.clone());
            let ctx = Ctx::new(TYPE, address.as_deref().unwrap_or_default());
            let listed = match zone_id(&r53, ctx, &zone).await? {
                Some(id) => records(&r53, ctx, &id, None).await?.unwrap_or_default(),
                None => Vec::new(),
            };
            let seen = group.into_iter().map(|(item, spec)| {
                let found = listed.iter().find(|r| identity(r) == identity(&spec.set));
                let seen = found.map_or(Observation::Gone, |r| observe(&item, r));
                (item.address, seen)
            });
            Ok(seen.collect::<Vec<_>>())
        }
    });
    let seen = kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY).await?;
    Ok(seen.into_iter().flatten().collect())
}

/// One record set as the template writes it (the managed properties only): names in the
/// template's spelling when Route 53's say the same, values in the template's order, the
/// write-only `Comment` and `HostedZoneName`, and the zone, as last applied.
pub(crate) fn observe(item: &ReadInput, found: &ResourceRecordSet) -> Observation {
    let last = &item.properties;
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let text = |v: Option<&Value>, k: &str| Some(v?.get(k)?.as_str()?.to_owned());
    let mut seen = as_template(found);
    if let Some(written) = text(Some(last), "Name").filter(|w| same_name(w, found.name())) {
        seen["Name"] = json!(written);
    }
    if let Some(alias) = found.alias_target() {
        let written = prev("AliasTarget");
        if let Some(dns) = text(written, "DNSName").filter(|w| same_name(w, alias.dns_name())) {
            seen["AliasTarget"]["DNSName"] = json!(dns);
        }
        let same_zone = |w: &String| bare_zone_id(w) == bare_zone_id(alias.hosted_zone_id());
        if let Some(zone) = text(written, "HostedZoneId").filter(same_zone) {
            seen["AliasTarget"]["HostedZoneId"] = json!(zone);
        }
        // `false` is the default: not written, not drift.
        if !alias.evaluate_target_health()
            && written.is_some_and(|a| a.get("EvaluateTargetHealth").is_none())
        {
            seen["AliasTarget"]["EvaluateTargetHealth"] = Value::Null;
        }
    }
    let values = found.resource_records().iter();
    let values: Vec<String> = values.map(|r| r.value().to_owned()).collect();
    if !values.is_empty() {
        seen["ResourceRecords"] = observed_set(values, prev("ResourceRecords"));
    }
    for key in ["HostedZoneId", "HostedZoneName", "Comment"] {
        seen[key] = prev(key).cloned().unwrap_or(Value::Null);
    }
    Observation::Present {
        properties: observed(seen, last),
        attributes: BTreeMap::new(),
    }
}
