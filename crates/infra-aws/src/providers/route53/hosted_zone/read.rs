//! Refresh of `AWS::Route53::HostedZone`: ListHostedZones, 100 zones per page, pages followed
//! (one listing for every zone of the type), matched by id; the tags of the zones that manage
//! them with ListTagsForResources, 10 zones per call; query logging with one
//! ListQueryLoggingConfigs (pages followed) when a zone manages it; the VPCs and features of a
//! zone that manages them with GetHostedZone (no list call has them); VPCs and query logging
//! reported through the conversions generated from `crates/infra-aws/mappings/route53.toml`. `NameServers` is kept
//! from the record: Route 53 fixes a zone's delegation set when it is made.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::prelude::*;
use aws_sdk_route53::operation::get_hosted_zone::GetHostedZoneOutput;
use aws_sdk_route53::types::{
    AcceleratedRecoveryStatus as Recovery, HostedZone, QueryLoggingConfig, TagResourceType, Vpc,
};

use super::{TYPE, output};
use crate::generated::route53::{report_query_logging_config, report_vpc};
use crate::providers::route53::{R53, bare_zone_id, classed, same_name};

/// Every hosted zone of the account, by id (ListHostedZones, pages followed).
async fn all_zones(r53: &R53, ctx: Ctx<'_>) -> Result<HashMap<String, HostedZone>, ProviderError> {
    let (mut all, mut marker) = (HashMap::new(), None);
    loop {
        let request = r53
            .client
            .list_hosted_zones()
            .max_items(100)
            .set_marker(marker.take());
        let page = send!(r53, ctx, request, "listing hosted zones")?;
        for zone in page.hosted_zones() {
            all.insert(bare_zone_id(zone.id()).to_owned(), zone.clone());
        }
        match page.next_marker() {
            Some(next) if page.is_truncated() && !next.is_empty() => marker = Some(next.to_owned()),
            _ => return Ok(all),
        }
    }
}

/// The tags of the zones `ids`, by id (ListTagsForResources, 10 ids per call).
pub(super) async fn tags_of(
    r53: &R53,
    ctx: Ctx<'_>,
    ids: &[String],
) -> Result<HashMap<String, BTreeMap<String, String>>, ProviderError> {
    let mut all = HashMap::new();
    for chunk in ids.chunks(10) {
        let request = r53
            .client
            .list_tags_for_resources()
            .resource_type(TagResourceType::Hostedzone);
        let request = request.set_resource_ids(Some(chunk.to_vec()));
        let out = send!(r53, ctx, request, "reading hosted zone tags")?;
        for set in out.resource_tag_sets() {
            let tags = set
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())));
            all.insert(
                set.resource_id().unwrap_or_default().to_owned(),
                tags.collect(),
            );
        }
    }
    Ok(all)
}

/// Every query logging configuration of the account (ListQueryLoggingConfigs without a zone,
/// pages followed).
pub(super) async fn query_logs(
    r53: &R53,
    ctx: Ctx<'_>,
) -> Result<Vec<QueryLoggingConfig>, ProviderError> {
    let (mut all, mut token) = (Vec::new(), None);
    loop {
        let request = r53
            .client
            .list_query_logging_configs()
            .set_next_token(token.take());
        let page = request.send().await;
        let doing = "listing query logging configurations";
        let page = page.map_err(|e| classed(ctx, doing, &r53.err(e)))?;
        all.extend(page.query_logging_configs().iter().cloned());
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => return Ok(all),
        }
    }
}

/// The (VPC id, region) pairs of a zone's VPCs.
pub(super) fn vpcs_of(vpcs: &[Vpc]) -> Vec<(String, String)> {
    let pair = |v: &Vpc| Some((v.vpc_id()?.to_owned(), v.vpc_region()?.as_str().to_owned()));
    vpcs.iter().filter_map(pair).collect()
}

/// Whether a zone's accelerated recovery status says it is (or is becoming) on.
pub(crate) fn recovery_on(status: Option<&Recovery>) -> bool {
    matches!(
        status,
        Some(
            Recovery::Enabled
                | Recovery::Enabling
                | Recovery::EnablingHostedZoneLocked
                | Recovery::DisableFailed
        )
    )
}

pub(super) async fn read(r53: &R53, items: &[ReadInput]) -> Reads {
    let Some(first) = items.first() else {
        return Ok(BTreeMap::new());
    };
    let ctx = Ctx::new(TYPE, &first.address);
    let managed = |i: &ReadInput, key: &str| i.properties.get(key).is_some_and(|v| !v.is_null());
    let zones = all_zones(r53, ctx).await?;
    let id = |i: &ReadInput| bare_zone_id(&i.physical_id).to_owned();
    let present: Vec<&ReadInput> = items
        .iter()
        .filter(|i| zones.contains_key(&id(i)))
        .collect();
    let tagged: Vec<String> = present
        .iter()
        .filter(|i| managed(i, "HostedZoneTags"))
        .map(|i| id(i))
        .collect();
    let tags = tags_of(r53, ctx, &tagged).await?;
    let logs = match present.iter().any(|i| managed(i, "QueryLoggingConfig")) {
        true => query_logs(r53, ctx).await?,
        false => Vec::new(),
    };
    let tasks = items.iter().map(|item| {
        let zone = zones.get(&id(item)).cloned();
        let details = managed(item, "VPCs") || managed(item, "HostedZoneFeatures");
        let log = logs
            .iter()
            .find(|c| c.hosted_zone_id() == id(item))
            .cloned();
        // A zone always carries infra's tags: none listed is none at all.
        let tags = tags.get(&id(item)).cloned().unwrap_or_default();
        let tags = managed(item, "HostedZoneTags").then_some(tags);
        let (r53, item) = (r53.clone(), item.clone());
        async move {
            let Some(zone) = zone else {
                return Ok((item.address, Observation::Gone));
            };
            let ctx = Ctx::new(TYPE, &item.address);
            let mut described = None;
            if details {
                let request = r53.client.get_hosted_zone().id(zone.id());
                described = Some(send!(&r53, ctx, request, "reading the zone")?);
            }
            let seen = observe(
                &item,
                &zone,
                described.as_ref(),
                tags.as_ref(),
                log.as_ref(),
            );
            Ok((item.address, seen))
        }
    });
    let seen = kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY).await?;
    Ok(seen.into_iter().collect())
}

/// One zone as the template writes it (the managed properties only): `zone` as listed, what
/// GetHostedZone `described` (VPCs, features), its tags and query logging when managed.
fn observe(
    item: &ReadInput,
    zone: &HostedZone,
    described: Option<&GetHostedZoneOutput>,
    tags: Option<&BTreeMap<String, String>>,
    log: Option<&QueryLoggingConfig>,
) -> Observation {
    let last = &item.properties;
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let name = match prev("Name").and_then(Value::as_str) {
        Some(written) if same_name(written, zone.name()) => written,
        _ => zone.name(),
    };
    // No comment and an empty one are the same.
    let written = prev("HostedZoneConfig")
        .and_then(|c| c.get("Comment"))
        .and_then(Value::as_str);
    let comment = zone
        .config()
        .and_then(|c| c.comment())
        .filter(|c| !c.is_empty());
    let comment = comment.or(written.filter(|c| c.is_empty()));
    // VPCs in the order the template gives them.
    let vpcs = described.map(|d| {
        let mut vpcs: Vec<Value> = d.vpcs().iter().map(report_vpc).collect();
        let written = prev("VPCs").and_then(Value::as_array);
        vpcs.sort_by_key(|v| written.and_then(|w| w.iter().position(|x| x == v)));
        vpcs
    });
    let features = described.and_then(|d| d.hosted_zone()?.features());
    let on = described.map(|_| recovery_on(features.and_then(|f| f.accelerated_recovery_status())));
    let written =
        prev("HostedZoneFeatures").is_some_and(|f| f.get("EnableAcceleratedRecovery").is_some());
    let features = on.map(|on| match on || written {
        true => json!({"EnableAcceleratedRecovery": on}),
        false => json!({}),
    });
    let found = json!({
        "Name": name,
        "DelegationSetId": prev("DelegationSetId"),
        "HostedZoneConfig": {"Comment": comment},
        "VPCs": vpcs,
        "QueryLoggingConfig": log.map(report_query_logging_config),
        "HostedZoneFeatures": features,
        "HostedZoneTags": tags.map(|t| observed_tags(t, prev("HostedZoneTags"))),
    });
    let servers = item.attributes.get("NameServers").and_then(Value::as_array);
    let servers: Vec<String> = servers
        .iter()
        .flat_map(|a| a.iter().filter_map(scalar_text))
        .collect();
    Observation::Present {
        properties: observed(found, last),
        attributes: output(bare_zone_id(zone.id()), &servers).attributes,
    }
}
