//! Refresh of `AWS::S3::Bucket`: ListBuckets (every bucket of the account, pages of up to
//! 10,000 followed) says which buckets still exist; then, per bucket that does, one Get call per
//! configuration the template manages ([`get`]), GetBucketTagging when `Tags` is managed and
//! GetObjectLockConfiguration for `ObjectLockEnabled`, a few buckets at once. `AccessControl`
//! is write-only (S3 answers grants, not the canned ACL they came from): reported as last
//! applied.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_s3::operation::get_bucket_website::GetBucketWebsiteOutput;
use aws_sdk_s3::types::{
    CorsRule, LoggingEnabled, ObjectLockConfiguration, OwnershipControls,
    PublicAccessBlockConfiguration, ServerSideEncryptionConfiguration,
};
use serde_json::{Map, Value, json};

use super::configs::CONFIGS;
use super::{BucketProvider, TYPE};
use super::{lifecycle, notification};
use crate::provider::{FailureClass, Observation, ProviderError, ReadInput};
use crate::providers::efs::shared::send;
use crate::providers::kit::{self, Ctx, observed_tags};
use crate::providers::s3::{S3, observed_like, optional};

pub(super) async fn read(
    p: &BucketProvider,
    items: &[ReadInput],
) -> Result<BTreeMap<String, Observation>, ProviderError> {
    let Some(first) = items.first() else {
        return Ok(BTreeMap::new());
    };
    let ctx = Ctx::new(TYPE, &first.address);
    let mut names = BTreeSet::new();
    let mut token = None;
    loop {
        let request =
            p.s3.client
                .list_buckets()
                .max_buckets(10_000)
                .set_continuation_token(token.take());
        let page = send!(&p.s3, ctx, request, "ListBuckets", "listing buckets")?;
        names.extend(
            page.buckets()
                .iter()
                .filter_map(|b| b.name().map(str::to_owned)),
        );
        match page.continuation_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => break,
        }
    }
    let tasks = items.iter().map(|item| {
        let (this, item) = (p.clone(), item.clone());
        let exists = names.contains(&item.physical_id);
        async move {
            let seen = if exists {
                observe(&this, &item).await?
            } else {
                Observation::Gone
            };
            Ok((item.address, seen))
        }
    });
    Ok(kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY)
        .await?
        .into_iter()
        .collect())
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
        found.insert(
            "Tags".into(),
            observed_tags(&p.tags_of(ctx, name).await?, prev("Tags")),
        );
    }
    if prev("BucketName").is_some() {
        found.insert("BucketName".into(), json!(name));
    }
    if let Some(acl) = prev("AccessControl") {
        // Write-only: S3 answers grants, not the canned ACL they came from.
        found.insert("AccessControl".into(), acl.clone());
    }
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
    let c = &s3.client;
    let doing = format!("reading {key}");
    macro_rules! got {
        ($method:ident, $operation:literal) => {
            optional(
                s3,
                ctx,
                $operation,
                &doing,
                c.$method().bucket(bucket).send(),
            )
            .await?
        };
    }
    Ok(match key {
        "VersioningConfiguration" => got!(get_bucket_versioning, "GetBucketVersioning")
            .and_then(|v| v.status().map(|s| json!({"Status": s.as_str()}))),
        "ObjectLockConfiguration" => {
            got!(get_object_lock_configuration, "GetObjectLockConfiguration")
                .and_then(|o| o.object_lock_configuration().map(object_lock))
        }
        "BucketEncryption" => got!(get_bucket_encryption, "GetBucketEncryption")
            .and_then(|e| e.server_side_encryption_configuration().map(encryption)),
        "PublicAccessBlockConfiguration" => got!(get_public_access_block, "GetPublicAccessBlock")
            .and_then(|p| p.public_access_block_configuration().map(public_access)),
        "OwnershipControls" => got!(get_bucket_ownership_controls, "GetBucketOwnershipControls")
            .and_then(|o| o.ownership_controls().map(ownership)),
        "AccelerateConfiguration" => got!(
            get_bucket_accelerate_configuration,
            "GetBucketAccelerateConfiguration"
        )
        .and_then(|a| {
            a.status()
                .map(|s| json!({"AccelerationStatus": s.as_str()}))
        }),
        "CorsConfiguration" => got!(get_bucket_cors, "GetBucketCors").map(|c| cors(c.cors_rules())),
        "LifecycleConfiguration" => got!(
            get_bucket_lifecycle_configuration,
            "GetBucketLifecycleConfiguration"
        )
        .map(|l| lifecycle::observe(&l, previous)),
        "WebsiteConfiguration" => got!(get_bucket_website, "GetBucketWebsite").map(|w| website(&w)),
        "LoggingConfiguration" => got!(get_bucket_logging, "GetBucketLogging")
            .and_then(|l| l.logging_enabled().map(logging)),
        _ => got!(
            get_bucket_notification_configuration,
            "GetBucketNotificationConfiguration"
        )
        .map(|n| notification::observe(&n))
        .filter(|n| n != &notification::none()),
    })
}

fn object_lock(o: &ObjectLockConfiguration) -> Value {
    let d = o.rule().and_then(|r| r.default_retention());
    let retention = d.map(|d| {
        let mode = d.mode().map(|m| m.as_str());
        json!({"DefaultRetention": {"Mode": mode, "Days": d.days(), "Years": d.years()}})
    });
    let enabled = o.object_lock_enabled().map(|e| e.as_str());
    json!({"ObjectLockEnabled": enabled, "Rule": retention})
}

fn encryption(e: &ServerSideEncryptionConfiguration) -> Value {
    let rules = e.rules().iter().map(|r| {
        let by_default = r.apply_server_side_encryption_by_default().map(|d| {
            let algorithm = d.sse_algorithm().as_str();
            json!({"SSEAlgorithm": algorithm, "KMSMasterKeyID": d.kms_master_key_id()})
        });
        let blocked = r.blocked_encryption_types().map(|b| {
            let types: Vec<&str> = b.encryption_type().iter().map(|t| t.as_str()).collect();
            json!({"EncryptionType": types})
        });
        json!({"BucketKeyEnabled": r.bucket_key_enabled(), "BlockedEncryptionTypes": blocked,
            "ServerSideEncryptionByDefault": by_default})
    });
    json!({"ServerSideEncryptionConfiguration": rules.collect::<Vec<_>>()})
}

fn public_access(p: &PublicAccessBlockConfiguration) -> Value {
    json!({"BlockPublicAcls": p.block_public_acls(), "BlockPublicPolicy": p.block_public_policy(),
        "IgnorePublicAcls": p.ignore_public_acls(),
        "RestrictPublicBuckets": p.restrict_public_buckets()})
}

fn ownership(o: &OwnershipControls) -> Value {
    let rules = o.rules().iter();
    let rules = rules.map(|r| json!({"ObjectOwnership": r.object_ownership().as_str()}));
    json!({"Rules": rules.collect::<Vec<_>>()})
}

fn cors(rules: &[CorsRule]) -> Value {
    let rules = rules.iter().map(|r| {
        json!({"Id": r.id(), "AllowedHeaders": r.allowed_headers(),
            "AllowedMethods": r.allowed_methods(), "AllowedOrigins": r.allowed_origins(),
            "ExposedHeaders": r.expose_headers(), "MaxAge": r.max_age_seconds()})
    });
    json!({"CorsRules": rules.collect::<Vec<_>>()})
}

fn website(w: &GetBucketWebsiteOutput) -> Value {
    let rules = w.routing_rules().iter().map(|r| {
        let to = r.redirect().map(|t| {
            json!({"HostName": t.host_name(), "HttpRedirectCode": t.http_redirect_code(),
                "Protocol": t.protocol().map(|p| p.as_str()),
                "ReplaceKeyPrefixWith": t.replace_key_prefix_with(),
                "ReplaceKeyWith": t.replace_key_with()})
        });
        let when = r.condition().map(|c| {
            json!({"HttpErrorCodeReturnedEquals": c.http_error_code_returned_equals(),
                "KeyPrefixEquals": c.key_prefix_equals()})
        });
        json!({"RedirectRule": to, "RoutingRuleCondition": when})
    });
    let all = w
        .redirect_all_requests_to()
        .map(|a| json!({"HostName": a.host_name(), "Protocol": a.protocol().map(|p| p.as_str())}));
    json!({"IndexDocument": w.index_document().map(|i| i.suffix()),
        "ErrorDocument": w.error_document().map(|e| e.key()),
        "RedirectAllRequestsTo": all, "RoutingRules": rules.collect::<Vec<_>>()})
}

fn logging(l: &LoggingEnabled) -> Value {
    let format = l.target_object_key_format().map(|f| {
        let partitioned = f
            .partitioned_prefix()
            .map(|p| json!({"PartitionDateSource": p.partition_date_source().map(|s| s.as_str())}));
        json!({"SimplePrefix": f.simple_prefix().map(|_| json!({})),
            "PartitionedPrefix": partitioned})
    });
    json!({"DestinationBucketName": l.target_bucket(), "LogFilePrefix": l.target_prefix(),
        "TargetObjectKeyFormat": format})
}
