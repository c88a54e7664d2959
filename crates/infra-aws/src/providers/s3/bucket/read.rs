//! Refresh of `AWS::S3::Bucket`: ListBuckets (every bucket of the account, pages of up to
//! 10,000 followed) says which buckets still exist; then, per bucket that does, one Get call per
//! configuration the template manages ([`get`]), GetBucketTagging when `Tags` is managed and
//! GetObjectLockConfiguration for `ObjectLockEnabled`, a few buckets at once. `AccessControl`
//! is write-only (S3 answers grants, not the canned ACL they came from): reported as last
//! applied. The configurations are reported by code generated from the schema
//! (`crates/infra-aws/mappings/s3.toml`) where S3 answers the structure a Put takes.

use std::collections::{BTreeMap, BTreeSet};

use crate::providers::kit::prelude::*;

use super::configs::CONFIGS;
use super::{BucketProvider, TYPE};
use super::{lifecycle, notification};
use crate::generated::s3 as schema;
use crate::providers::s3::{S3, observed_like, optional};

pub(super) async fn read(p: &BucketProvider, items: &[ReadInput]) -> Reads {
    let Some(ctx) = kit::batch_ctx(TYPE, items) else {
        return Ok(BTreeMap::new());
    };
    let names: BTreeSet<String> = kit::pages(|token| async move {
        let request = p.s3.client.list_buckets().max_buckets(10_000);
        let request = request.set_continuation_token(token);
        let page = send!(&p.s3, ctx, request, "listing buckets")?;
        let names = page.buckets().iter().filter_map(|b| b.name.clone());
        let next = page.continuation_token().map(str::to_owned);
        Ok((names.collect(), next))
    })
    .await?
    .into_iter()
    .collect();
    kit::read_found(p, items, |this, item| {
        let exists = names.contains(&item.physical_id);
        async move {
            if !exists {
                return Ok(None);
            }
            observe(&this, &item).await.map(Some)
        }
    })
    .await
}

/// One bucket that exists, as the template writes it (the managed properties only).
async fn observe(p: &BucketProvider, item: &ReadInput) -> Result<Observation, ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let (name, last) = (item.physical_id.as_str(), &item.properties);
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let mut found = Map::new();
    let mut gone = false;
    for key in CONFIGS.iter().filter(|k| prev(k).is_some()) {
        match get(&p.s3, ctx, name, key, prev(key)).await {
            Ok(Some(v)) => drop(found.insert((*key).to_owned(), v)),
            Ok(None) => {}
            Err(e) if e.class == FailureClass::NotFound => gone = true,
            Err(e) => return Err(e),
        }
    }
    if prev("ObjectLockEnabled").is_some() {
        let enabled = get(&p.s3, ctx, name, "ObjectLockConfiguration", None).await?;
        let enabled = enabled.is_some_and(|o| o["ObjectLockEnabled"] == "Enabled");
        found.insert("ObjectLockEnabled".into(), json!(enabled));
    }
    if prev("Tags").is_some() {
        let tags = p.tags_of(ctx, name).await?;
        found.insert("Tags".into(), observed_tags(&tags, prev("Tags")));
    }
    if prev("BucketName").is_some() {
        found.insert("BucketName".into(), json!(name));
    }
    // Write-only: S3 answers grants, not the canned ACL they came from.
    found.extend(prev("AccessControl").map(|acl| ("AccessControl".into(), acl.clone())));
    if gone {
        return Ok(Observation::Gone);
    }
    Ok(Observation::Present {
        properties: observed_like(Value::Object(found), Some(last)),
        attributes: p.output(name).attributes,
    })
}

/// The configuration `key` of `bucket` as the template would write it (`previous`: as last
/// applied, for values S3 does not return); `None` when the bucket has none.
pub(super) async fn get(
    s3: &S3,
    ctx: Ctx<'_>,
    bucket: &str,
    key: &str,
    previous: Option<&Value>,
) -> Result<Option<Value>, ProviderError> {
    let doing = format!("reading {key}");
    // The answer of `s3.client.METHOD().bucket(bucket)` (`None`: S3 has none); with
    // `field => report`, its field `field` reported by the generated `report`.
    macro_rules! got {
        ($method:ident) => {{
            let request = s3.client.$method().bucket(bucket);
            optional(s3, ctx, &doing, request.send()).await?
        }};
        ($method:ident, $field:ident => $report:ident) => {
            got!($method).and_then(|o| o.$field().map(schema::$report))
        };
    }
    Ok(match key {
        "VersioningConfiguration" => got!(get_bucket_versioning)
            .and_then(|v| v.status().map(|s| json!({"Status": s.as_str()}))),
        "ObjectLockConfiguration" => got!(get_object_lock_configuration,
            object_lock_configuration => report_object_lock_configuration),
        "BucketEncryption" => got!(get_bucket_encryption,
            server_side_encryption_configuration => report_server_side_encryption_configuration),
        "PublicAccessBlockConfiguration" => got!(get_public_access_block,
            public_access_block_configuration => report_public_access_block_configuration),
        "OwnershipControls" => got!(get_bucket_ownership_controls,
            ownership_controls => report_ownership_controls),
        "AccelerateConfiguration" => got!(get_bucket_accelerate_configuration).and_then(|a| {
            a.status()
                .map(|s| json!({"AccelerationStatus": s.as_str()}))
        }),
        "CorsConfiguration" => got!(get_bucket_cors).map(|c| {
            let rules = c.cors_rules().iter().map(schema::report_cors_rule);
            json!({"CorsRules": rules.collect::<Vec<_>>()})
        }),
        "LifecycleConfiguration" => {
            got!(get_bucket_lifecycle_configuration).map(|l| lifecycle::observe(&l, previous))
        }
        "WebsiteConfiguration" => got!(get_bucket_website).map(|w| {
            let rules = w.routing_rules().iter().map(schema::report_routing_rule);
            let all = w
                .redirect_all_requests_to()
                .map(schema::report_redirect_all_requests_to);
            json!({"IndexDocument": w.index_document().map(|i| i.suffix()),
                "ErrorDocument": w.error_document().map(|e| e.key()),
                "RedirectAllRequestsTo": all, "RoutingRules": rules.collect::<Vec<_>>()})
        }),
        "LoggingConfiguration" => got!(get_bucket_logging).and_then(|l| {
            let l = l.logging_enabled()?;
            let mut out = schema::report_logging_enabled(l);
            let format = l.target_object_key_format().map(|f| {
                let partitioned = f
                    .partitioned_prefix()
                    .map(schema::report_partitioned_prefix);
                json!({"SimplePrefix": f.simple_prefix().map(|_| json!({})),
                    "PartitionedPrefix": partitioned})
            });
            if let (Some(out), Some(format)) = (out.as_object_mut(), format) {
                out.insert("TargetObjectKeyFormat".into(), format);
            }
            Some(out)
        }),
        _ => got!(get_bucket_notification_configuration)
            .map(|n| notification::observe(&n))
            .filter(|n| n != &notification::none()),
    })
}
