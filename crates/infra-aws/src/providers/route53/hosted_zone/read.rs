//! Refresh of `AWS::Route53::HostedZone`: ListHostedZones, 100 zones per page, pages followed
//! (one listing for every zone of the type), matched by id; the tags of the zones that manage
//! them with ListTagsForResources, 10 zones per call; query logging with one
//! ListQueryLoggingConfigs (pages followed) when a zone manages it; the VPCs and features of a
//! zone that manages them with GetHostedZone (no list call has them); VPCs and query logging
//! reported through the conversions generated from `crates/infra-aws/mappings/route53.toml`. `NameServers` is kept
//! from the record: Route 53 fixes a zone's delegation set when it is made.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_route53::operation::get_hosted_zone::GetHostedZoneOutput;
use aws_sdk_route53::types::{
    AcceleratedRecoveryStatus as Recovery, HostedZone, QueryLoggingConfig, Tag, TagResourceType,
};

use super::{TYPE, output};
use crate::generated::route53::{report_query_logging_config, report_vpc};
use crate::providers::route53::{R53, bare_zone_id, same_name};

/// Every hosted zone of the account, by id (ListHostedZones, pages followed).
async fn all_zones(r53: &R53, ctx: Ctx<'_>) -> Result<HashMap<String, HostedZone>, ProviderError> {
    let zones = kit::pages(|marker| async move {
        let request = r53.client.list_hosted_zones().max_items(100);
        let page = send!(r53, ctx, request.set_marker(marker), "listing hosted zones")?;
        let next = page.next_marker().filter(|_| page.is_truncated());
        Ok((page.hosted_zones().to_vec(), next.map(str::to_owned)))
    });
    let by_id = |zone: HostedZone| (bare_zone_id(zone.id()).to_owned(), zone);
    Ok(zones.await?.into_iter().map(by_id).collect())
}

/// The tags of the zones `ids`, by id (ListTagsForResources, 10 ids per call).
pub(super) async fn tags_of(
    r53: &R53,
    ctx: Ctx<'_>,
    ids: &[String],
) -> Result<HashMap<String, BTreeMap<String, String>>, ProviderError> {
    let mut all = HashMap::new();
    for chunk in ids.chunks(10) {
        let request = r53.client.list_tags_for_resources();
        let request = request.resource_type(TagResourceType::Hostedzone);
        let request = request.set_resource_ids(Some(chunk.to_vec()));
        let out = send!(r53, ctx, request, "reading hosted zone tags")?;
        for set in out.resource_tag_sets() {
            let pair = |t: &Tag| Some((t.key()?.to_owned(), t.value()?.to_owned()));
            let tags = set.tags().iter().filter_map(pair).collect();
            all.insert(set.resource_id().unwrap_or_default().to_owned(), tags);
        }
    }
    Ok(all)
}

/// Every query logging configuration of the account (ListQueryLoggingConfigs without a zone,
/// pages followed).
pub(super) async fn query_logs(r53: &R53, ctx: Ctx<'_>) -> R<Vec<QueryLoggingConfig>> {
    kit::pages(|token| async move {
        let request = r53.client.list_query_logging_configs();
        let request = request.set_next_token(token);
        let page = send!(r53, ctx, request, "listing query logging configurations")?;
        let next = page.next_token().map(str::to_owned);
        Ok((page.query_logging_configs().to_vec(), next))
    })
    .await
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
    let Some(ctx) = kit::batch_ctx(TYPE, items) else {
        return Ok(BTreeMap::new());
    };
    let managed = |i: &ReadInput, key: &str| i.properties.get(key).is_some_and(|v| !v.is_null());
    let zones = all_zones(r53, ctx).await?;
    let id = |i: &ReadInput| bare_zone_id(&i.physical_id).to_owned();
    let present = items.iter().filter(|i| zones.contains_key(&id(i)));
    let tagged = present.clone().filter(|i| managed(i, "HostedZoneTags"));
    let tagged: Vec<String> = tagged.map(id).collect();
    let tags = tags_of(r53, ctx, &tagged).await?;
    let logs = match present.clone().any(|i| managed(i, "QueryLoggingConfig")) {
        true => query_logs(r53, ctx).await?,
        false => Vec::new(),
    };
    kit::read_each(items, |item| {
        let zone = zones.get(&id(item)).cloned();
        let details = managed(item, "VPCs") || managed(item, "HostedZoneFeatures");
        let log = logs.iter().find(|c| c.hosted_zone_id() == id(item));
        let log = log.cloned();
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
            let (described, log) = (described.as_ref(), log.as_ref());
            let seen = observe(&item, &zone, described, tags.as_ref(), log);
            Ok((item.address, seen))
        }
    })
    .await
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
    let written = prev("HostedZoneConfig").and_then(|c| c.get("Comment")?.as_str());
    let comment = zone.config().and_then(|c| c.comment());
    let comment = comment.filter(|c| !c.is_empty());
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
    let servers = servers.into_iter().flatten().filter_map(scalar_text);
    let servers: Vec<String> = servers.collect();
    Observation::Present {
        properties: observed(found, last),
        attributes: output(bare_zone_id(zone.id()), &servers).attributes,
    }
}
