//! A bucket's configurations, one S3 sub-resource each: what the template writes turned into
//! the SDK's shape ([`build`], which also checks every nested key), set with its Put call
//! ([`put`]), removed with its Delete call or the Put that turns it off ([`remove`]) and read
//! back in the template's spelling with its Get call ([`get`]; S3's "no such configuration" is
//! absent).
//!
//! | property | set | removed | read |
//! |---|---|---|---|
//! | `VersioningConfiguration` | PutBucketVersioning | PutBucketVersioning `Suspended` (a bucket never returns to unversioned) | GetBucketVersioning |
//! | `ObjectLockConfiguration` | PutObjectLockConfiguration | PutObjectLockConfiguration without a rule (object lock cannot be turned off) | GetObjectLockConfiguration |
//! | `BucketEncryption` | PutBucketEncryption | DeleteBucketEncryption (back to SSE-S3) | GetBucketEncryption |
//! | `PublicAccessBlockConfiguration` | PutPublicAccessBlock | DeletePublicAccessBlock | GetPublicAccessBlock |
//! | `OwnershipControls` | CreateBucket `ObjectOwnership`, then PutBucketOwnershipControls | DeleteBucketOwnershipControls | GetBucketOwnershipControls |
//! | `AccelerateConfiguration` | PutBucketAccelerateConfiguration | PutBucketAccelerateConfiguration `Suspended` | GetBucketAccelerateConfiguration |
//! | `CorsConfiguration` | PutBucketCors | DeleteBucketCors | GetBucketCors |
//! | `LifecycleConfiguration` ([`lifecycle`](super::lifecycle)) | PutBucketLifecycleConfiguration | DeleteBucketLifecycle | GetBucketLifecycleConfiguration |
//! | `WebsiteConfiguration` | PutBucketWebsite | DeleteBucketWebsite | GetBucketWebsite |
//! | `LoggingConfiguration` (no `DestinationBucketName`: the bucket itself) | PutBucketLogging | PutBucketLogging without `LoggingEnabled` | GetBucketLogging |
//! | `NotificationConfiguration` ([`notification`](super::notification)) | PutBucketNotificationConfiguration | PutBucketNotificationConfiguration, empty | GetBucketNotificationConfiguration |

use aws_sdk_s3::types::{
    AccelerateConfiguration, BlockedEncryptionTypes, BucketLoggingStatus, CorsConfiguration,
    CorsRule, DefaultRetention, EncryptionType, ErrorDocument, IndexDocument, LoggingEnabled,
    NotificationConfiguration, ObjectLockConfiguration, ObjectLockRule, OwnershipControls,
    OwnershipControlsRule, PartitionedPrefix, PublicAccessBlockConfiguration, Redirect,
    RedirectAllRequestsTo, RoutingRule, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, SimplePrefix,
    TargetObjectKeyFormat, VersioningConfiguration, WebsiteConfiguration,
};
use aws_smithy_types::error::operation::BuildError;
use serde_json::{Value, json};

use super::{lifecycle, notification};
use crate::provider::ProviderError;
use crate::providers::efs::shared::send;
use crate::providers::kit::{Ctx, Keys, Props};
use crate::providers::s3::{S3, optional};

/// The configurations, in the order a create sets them (versioning first: object lock and
/// replication need it).
pub(super) const CONFIGS: [&str; 11] = [
    "VersioningConfiguration",
    "ObjectLockConfiguration",
    "BucketEncryption",
    "PublicAccessBlockConfiguration",
    "OwnershipControls",
    "AccelerateConfiguration",
    "CorsConfiguration",
    "LifecycleConfiguration",
    "WebsiteConfiguration",
    "LoggingConfiguration",
    "NotificationConfiguration",
];

/// One configuration in the SDK's shape.
#[derive(Debug, Clone)]
pub(crate) enum Built {
    Versioning(VersioningConfiguration),
    ObjectLock(ObjectLockConfiguration),
    Encryption(ServerSideEncryptionConfiguration),
    PublicAccess(PublicAccessBlockConfiguration),
    Ownership(OwnershipControls),
    Accelerate(AccelerateConfiguration),
    Cors(CorsConfiguration),
    Lifecycle(lifecycle::Lifecycle),
    Website(WebsiteConfiguration),
    Logging(BucketLoggingStatus),
    Notification(NotificationConfiguration),
}

/// An SDK builder's result; a missing required value names the object's path.
pub(super) fn built<T>(p: &Props, result: Result<T, BuildError>) -> Result<T, ProviderError> {
    result.map_err(|e| p.ctx().fatal(format!("property {}: {e}", p.path())))
}

const CORS_RULE: Keys = Keys::new(&[
    "AllowedHeaders",
    "AllowedMethods",
    "AllowedOrigins",
    "ExposedHeaders",
    "Id",
    "MaxAge",
])
.listed();
const REDIRECT: Keys = Keys::new(&[
    "HostName",
    "HttpRedirectCode",
    "Protocol",
    "ReplaceKeyPrefixWith",
    "ReplaceKeyWith",
])
.listed();
const PUBLIC_ACCESS: [&str; 4] = [
    "BlockPublicAcls",
    "BlockPublicPolicy",
    "IgnorePublicAcls",
    "RestrictPublicBuckets",
];

/// The configuration `key` of the bucket `bucket`, as the template writes it (`value`).
pub(crate) fn build(
    key: &str,
    value: &Value,
    ctx: Ctx<'_>,
    bucket: &str,
) -> Result<Built, ProviderError> {
    let obj = |keys: &[&str]| Props::object(value, key, ctx, Keys::new(keys).listed());
    Ok(match key {
        "VersioningConfiguration" => {
            let status = obj(&["Status"])?.required_str("Status")?;
            let config = VersioningConfiguration::builder().status(status.as_str().into());
            Built::Versioning(config.build())
        }
        "ObjectLockConfiguration" => {
            let p = obj(&["ObjectLockEnabled", "Rule"])?;
            let rule = p.obj("Rule", Keys::new(&["DefaultRetention"]).listed())?;
            let keep = Keys::with(
                &["Days", "Mode", "Years"],
                &[("DefaultEventHold", "S3's API has no default event hold yet")],
            );
            let retention = rule.map(|r| r.obj("DefaultRetention", keep)).transpose()?;
            let retention = match retention.flatten() {
                None => None,
                Some(d) => Some(
                    DefaultRetention::builder()
                        .set_mode(d.str("Mode")?.map(|m| m.as_str().into()))
                        .set_days(d.i32("Days")?)
                        .set_years(d.i32("Years")?)
                        .build(),
                ),
            };
            let rule = retention.map(|d| ObjectLockRule::builder().default_retention(d).build());
            let enabled = p
                .str("ObjectLockEnabled")?
                .unwrap_or_else(|| "Enabled".into());
            let config =
                ObjectLockConfiguration::builder().object_lock_enabled(enabled.as_str().into());
            Built::ObjectLock(config.set_rule(rule).build())
        }
        "BucketEncryption" => {
            let p = obj(&["ServerSideEncryptionConfiguration"])?;
            let keys = [
                "BlockedEncryptionTypes",
                "BucketKeyEnabled",
                "ServerSideEncryptionByDefault",
            ];
            let rules = p.objs(
                "ServerSideEncryptionConfiguration",
                Keys::new(&keys).listed(),
            )?;
            let rules = rules.iter().map(|r| {
                let by_default = r.obj(
                    "ServerSideEncryptionByDefault",
                    Keys::new(&["KMSMasterKeyID", "SSEAlgorithm"]).listed(),
                )?;
                let by_default = match by_default {
                    None => None,
                    Some(d) => Some(built(
                        &d,
                        ServerSideEncryptionByDefault::builder()
                            .sse_algorithm(d.required_str("SSEAlgorithm")?.as_str().into())
                            .set_kms_master_key_id(d.str("KMSMasterKeyID")?)
                            .build(),
                    )?),
                };
                let blocked = r.obj(
                    "BlockedEncryptionTypes",
                    Keys::new(&["EncryptionType"]).listed(),
                )?;
                let blocked = blocked
                    .map(|b| b.str_list("EncryptionType"))
                    .transpose()?
                    .map(|types| {
                        let types = types.iter().map(|t| EncryptionType::from(t.as_str()));
                        BlockedEncryptionTypes::builder()
                            .set_encryption_type(Some(types.collect()))
                            .build()
                    });
                Ok(ServerSideEncryptionRule::builder()
                    .set_apply_server_side_encryption_by_default(by_default)
                    .set_bucket_key_enabled(r.bool("BucketKeyEnabled")?)
                    .set_blocked_encryption_types(blocked)
                    .build())
            });
            let rules = rules.collect::<Result<Vec<_>, ProviderError>>()?;
            let config = ServerSideEncryptionConfiguration::builder().set_rules(Some(rules));
            Built::Encryption(built(&p, config.build())?)
        }
        "PublicAccessBlockConfiguration" => {
            let p = obj(&PUBLIC_ACCESS)?;
            let flag = |i: usize| p.bool(PUBLIC_ACCESS[i]);
            Built::PublicAccess(
                PublicAccessBlockConfiguration::builder()
                    .set_block_public_acls(flag(0)?)
                    .set_block_public_policy(flag(1)?)
                    .set_ignore_public_acls(flag(2)?)
                    .set_restrict_public_buckets(flag(3)?)
                    .build(),
            )
        }
        "OwnershipControls" => {
            let p = obj(&["Rules"])?;
            let rules = p.objs("Rules", Keys::new(&["ObjectOwnership"]).listed())?;
            let rules = rules.iter().map(|r| {
                let ownership = r.required_str("ObjectOwnership")?;
                built(
                    r,
                    OwnershipControlsRule::builder()
                        .object_ownership(ownership.as_str().into())
                        .build(),
                )
            });
            let rules = rules.collect::<Result<Vec<_>, _>>()?;
            Built::Ownership(built(
                &p,
                OwnershipControls::builder().set_rules(Some(rules)).build(),
            )?)
        }
        "AccelerateConfiguration" => {
            let status = obj(&["AccelerationStatus"])?.required_str("AccelerationStatus")?;
            Built::Accelerate(
                AccelerateConfiguration::builder()
                    .status(status.as_str().into())
                    .build(),
            )
        }
        "CorsConfiguration" => {
            let p = obj(&["CorsRules"])?;
            let rules = p.objs("CorsRules", CORS_RULE)?;
            let rules = rules.iter().map(|r| {
                let rule = CorsRule::builder()
                    .set_id(r.str("Id")?)
                    .set_allowed_headers(r.strs("AllowedHeaders")?)
                    .set_allowed_methods(Some(r.str_list("AllowedMethods")?))
                    .set_allowed_origins(Some(r.str_list("AllowedOrigins")?))
                    .set_expose_headers(r.strs("ExposedHeaders")?)
                    .set_max_age_seconds(r.i32("MaxAge")?);
                built(r, rule.build())
            });
            let rules = rules.collect::<Result<Vec<_>, _>>()?;
            Built::Cors(built(
                &p,
                CorsConfiguration::builder()
                    .set_cors_rules(Some(rules))
                    .build(),
            )?)
        }
        "LifecycleConfiguration" => {
            let p = obj(&["Rules", "TransitionDefaultMinimumObjectSize"])?;
            Built::Lifecycle(lifecycle::build(&p)?)
        }
        "WebsiteConfiguration" => {
            let p = obj(&[
                "ErrorDocument",
                "IndexDocument",
                "RedirectAllRequestsTo",
                "RoutingRules",
            ])?;
            let index = p
                .str("IndexDocument")?
                .map(|s| IndexDocument::builder().suffix(s).build());
            let error = p
                .str("ErrorDocument")?
                .map(|k| ErrorDocument::builder().key(k).build());
            let all = p.obj(
                "RedirectAllRequestsTo",
                Keys::new(&["HostName", "Protocol"]).listed(),
            )?;
            let all = match all {
                None => None,
                Some(a) => Some(built(
                    &a,
                    RedirectAllRequestsTo::builder()
                        .host_name(a.required_str("HostName")?)
                        .set_protocol(a.str("Protocol")?.map(|s| s.as_str().into()))
                        .build(),
                )?),
            };
            let rules = p.objs(
                "RoutingRules",
                Keys::new(&["RedirectRule", "RoutingRuleCondition"]).listed(),
            )?;
            let rules = rules.iter().map(|r| {
                let to = r
                    .obj("RedirectRule", REDIRECT)?
                    .ok_or_else(|| r.missing("RedirectRule"))?;
                let when = r.obj(
                    "RoutingRuleCondition",
                    Keys::new(&["HttpErrorCodeReturnedEquals", "KeyPrefixEquals"]).listed(),
                )?;
                let condition = match when {
                    None => None,
                    Some(c) => Some(
                        aws_sdk_s3::types::Condition::builder()
                            .set_http_error_code_returned_equals(
                                c.str("HttpErrorCodeReturnedEquals")?,
                            )
                            .set_key_prefix_equals(c.str("KeyPrefixEquals")?)
                            .build(),
                    ),
                };
                let redirect = Redirect::builder()
                    .set_host_name(to.str("HostName")?)
                    .set_http_redirect_code(to.str("HttpRedirectCode")?)
                    .set_protocol(to.str("Protocol")?.map(|s| s.as_str().into()))
                    .set_replace_key_prefix_with(to.str("ReplaceKeyPrefixWith")?)
                    .set_replace_key_with(to.str("ReplaceKeyWith")?)
                    .build();
                Ok(RoutingRule::builder()
                    .set_condition(condition)
                    .redirect(redirect)
                    .build())
            });
            let rules = rules.collect::<Result<Vec<_>, ProviderError>>()?;
            let config = WebsiteConfiguration::builder()
                .set_index_document(built(&p, index.transpose())?)
                .set_error_document(built(&p, error.transpose())?)
                .set_redirect_all_requests_to(all)
                .set_routing_rules((!rules.is_empty()).then_some(rules));
            Built::Website(config.build())
        }
        "LoggingConfiguration" => {
            let p = obj(&[
                "DestinationBucketName",
                "LogFilePrefix",
                "TargetObjectKeyFormat",
            ])?;
            let format = p.obj(
                "TargetObjectKeyFormat",
                Keys::new(&["PartitionedPrefix", "SimplePrefix"]).listed(),
            )?;
            let format = match format {
                None => None,
                Some(f) => {
                    let partitioned = f.obj(
                        "PartitionedPrefix",
                        Keys::new(&["PartitionDateSource"]).listed(),
                    )?;
                    let partitioned = match partitioned {
                        None => None,
                        Some(pp) => Some(
                            PartitionedPrefix::builder()
                                .set_partition_date_source(
                                    pp.str("PartitionDateSource")?.map(|s| s.as_str().into()),
                                )
                                .build(),
                        ),
                    };
                    let simple = f
                        .get("SimplePrefix")
                        .map(|_| SimplePrefix::builder().build());
                    Some(
                        TargetObjectKeyFormat::builder()
                            .set_partitioned_prefix(partitioned)
                            .set_simple_prefix(simple)
                            .build(),
                    )
                }
            };
            let target = p
                .str("DestinationBucketName")?
                .unwrap_or_else(|| bucket.to_owned());
            let enabled = LoggingEnabled::builder()
                .target_bucket(target)
                .target_prefix(p.str("LogFilePrefix")?.unwrap_or_default())
                .set_target_object_key_format(format);
            let status =
                BucketLoggingStatus::builder().logging_enabled(built(&p, enabled.build())?);
            Built::Logging(status.build())
        }
        "NotificationConfiguration" => {
            let p = Props::object(value, key, ctx, notification::KEYS)?;
            Built::Notification(notification::build(&p)?)
        }
        other => return Err(ctx.fatal(format!("{other} is not a bucket configuration"))),
    })
}

/// Sets one configuration of `bucket`.
pub(super) async fn put(
    s3: &S3,
    ctx: Ctx<'_>,
    bucket: &str,
    config: Built,
) -> Result<(), ProviderError> {
    let c = &s3.client;
    match config {
        Built::Versioning(v) => {
            let request = c
                .put_bucket_versioning()
                .bucket(bucket)
                .versioning_configuration(v);
            send!(
                s3,
                ctx,
                request,
                "PutBucketVersioning",
                "setting versioning"
            )?;
        }
        Built::ObjectLock(o) => {
            let request = c
                .put_object_lock_configuration()
                .bucket(bucket)
                .object_lock_configuration(o);
            send!(
                s3,
                ctx,
                request,
                "PutObjectLockConfiguration",
                "setting object lock"
            )?;
        }
        Built::Encryption(e) => {
            let request = c
                .put_bucket_encryption()
                .bucket(bucket)
                .server_side_encryption_configuration(e);
            send!(
                s3,
                ctx,
                request,
                "PutBucketEncryption",
                "setting default encryption"
            )?;
        }
        Built::PublicAccess(p) => {
            let request = c
                .put_public_access_block()
                .bucket(bucket)
                .public_access_block_configuration(p);
            send!(
                s3,
                ctx,
                request,
                "PutPublicAccessBlock",
                "blocking public access"
            )?;
        }
        Built::Ownership(o) => {
            let request = c
                .put_bucket_ownership_controls()
                .bucket(bucket)
                .ownership_controls(o);
            send!(
                s3,
                ctx,
                request,
                "PutBucketOwnershipControls",
                "setting object ownership"
            )?;
        }
        Built::Accelerate(a) => {
            let request = c
                .put_bucket_accelerate_configuration()
                .bucket(bucket)
                .accelerate_configuration(a);
            send!(
                s3,
                ctx,
                request,
                "PutBucketAccelerateConfiguration",
                "setting transfer acceleration"
            )?;
        }
        Built::Cors(cors) => {
            let request = c.put_bucket_cors().bucket(bucket).cors_configuration(cors);
            send!(s3, ctx, request, "PutBucketCors", "setting CORS")?;
        }
        Built::Lifecycle((rules, size)) => {
            let request = c
                .put_bucket_lifecycle_configuration()
                .bucket(bucket)
                .lifecycle_configuration(rules);
            let request = request.set_transition_default_minimum_object_size(size);
            send!(
                s3,
                ctx,
                request,
                "PutBucketLifecycleConfiguration",
                "setting the lifecycle rules"
            )?;
        }
        Built::Website(w) => {
            let request = c
                .put_bucket_website()
                .bucket(bucket)
                .website_configuration(w);
            send!(
                s3,
                ctx,
                request,
                "PutBucketWebsite",
                "setting the website configuration"
            )?;
        }
        Built::Logging(l) => {
            let request = c
                .put_bucket_logging()
                .bucket(bucket)
                .bucket_logging_status(l);
            send!(
                s3,
                ctx,
                request,
                "PutBucketLogging",
                "setting access logging"
            )?;
        }
        Built::Notification(n) => {
            let request = c
                .put_bucket_notification_configuration()
                .bucket(bucket)
                .notification_configuration(n);
            send!(
                s3,
                ctx,
                request,
                "PutBucketNotificationConfiguration",
                "setting notifications"
            )?;
        }
    }
    Ok(())
}

/// Removes the configuration `key` of `bucket` (or turns it off where S3 has no removal).
pub(super) async fn remove(
    s3: &S3,
    ctx: Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<(), ProviderError> {
    let c = &s3.client;
    let off = |value: Value| build(key, &value, ctx, bucket);
    match key {
        "VersioningConfiguration" => {
            put(s3, ctx, bucket, off(json!({"Status": "Suspended"}))?).await?
        }
        "AccelerateConfiguration" => {
            put(
                s3,
                ctx,
                bucket,
                off(json!({"AccelerationStatus": "Suspended"}))?,
            )
            .await?;
        }
        "ObjectLockConfiguration" => put(s3, ctx, bucket, off(json!({}))?).await?,
        "BucketEncryption" => {
            send!(
                s3,
                ctx,
                c.delete_bucket_encryption().bucket(bucket),
                "DeleteBucketEncryption",
                "removing default encryption"
            )?;
        }
        "PublicAccessBlockConfiguration" => {
            send!(
                s3,
                ctx,
                c.delete_public_access_block().bucket(bucket),
                "DeletePublicAccessBlock",
                "removing the public access block"
            )?;
        }
        "OwnershipControls" => {
            let request = c.delete_bucket_ownership_controls().bucket(bucket);
            send!(
                s3,
                ctx,
                request,
                "DeleteBucketOwnershipControls",
                "removing object ownership"
            )?;
        }
        "CorsConfiguration" => {
            send!(
                s3,
                ctx,
                c.delete_bucket_cors().bucket(bucket),
                "DeleteBucketCors",
                "removing CORS"
            )?;
        }
        "LifecycleConfiguration" => {
            send!(
                s3,
                ctx,
                c.delete_bucket_lifecycle().bucket(bucket),
                "DeleteBucketLifecycle",
                "removing the lifecycle rules"
            )?;
        }
        "WebsiteConfiguration" => {
            send!(
                s3,
                ctx,
                c.delete_bucket_website().bucket(bucket),
                "DeleteBucketWebsite",
                "removing the website configuration"
            )?;
        }
        "LoggingConfiguration" => {
            let status = BucketLoggingStatus::builder().build();
            let request = c
                .put_bucket_logging()
                .bucket(bucket)
                .bucket_logging_status(status);
            send!(
                s3,
                ctx,
                request,
                "PutBucketLogging",
                "turning access logging off"
            )?;
        }
        _ => {
            let none = NotificationConfiguration::builder().build();
            put(s3, ctx, bucket, Built::Notification(none)).await?;
        }
    }
    Ok(())
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
        ($request:expr, $operation:literal) => {
            optional(s3, ctx, $operation, &doing, $request.bucket(bucket).send()).await?
        };
    }
    Ok(match key {
        "VersioningConfiguration" => got!(c.get_bucket_versioning(), "GetBucketVersioning")
            .and_then(|v| v.status().map(|s| json!({"Status": s.as_str()}))),
        "ObjectLockConfiguration" => got!(c.get_object_lock_configuration(), "GetObjectLockConfiguration")
            .and_then(|o| o.object_lock_configuration().cloned())
            .map(|o| {
                let d = o.rule().and_then(|r| r.default_retention());
                let rule = d.map(|d| json!({"DefaultRetention": {"Mode": d.mode().map(|m| m.as_str()), "Days": d.days(), "Years": d.years()}}));
                json!({"ObjectLockEnabled": o.object_lock_enabled().map(|e| e.as_str()), "Rule": rule})
            }),
        "BucketEncryption" => got!(c.get_bucket_encryption(), "GetBucketEncryption")
            .and_then(|e| e.server_side_encryption_configuration().cloned())
            .map(|e| {
                let rules: Vec<Value> = e.rules().iter().map(|r| {
                    let d = r.apply_server_side_encryption_by_default();
                    let blocked = r.blocked_encryption_types().map(|b| {
                        json!({"EncryptionType": b.encryption_type().iter().map(|t| t.as_str()).collect::<Vec<_>>()})
                    });
                    json!({"BucketKeyEnabled": r.bucket_key_enabled(), "BlockedEncryptionTypes": blocked,
                        "ServerSideEncryptionByDefault": d.map(|d| json!({"SSEAlgorithm": d.sse_algorithm().as_str(), "KMSMasterKeyID": d.kms_master_key_id()}))})
                }).collect();
                json!({"ServerSideEncryptionConfiguration": rules})
            }),
        "PublicAccessBlockConfiguration" => got!(c.get_public_access_block(), "GetPublicAccessBlock")
            .and_then(|p| p.public_access_block_configuration().cloned())
            .map(|p| json!({"BlockPublicAcls": p.block_public_acls(), "BlockPublicPolicy": p.block_public_policy(),
                "IgnorePublicAcls": p.ignore_public_acls(), "RestrictPublicBuckets": p.restrict_public_buckets()})),
        "OwnershipControls" => got!(c.get_bucket_ownership_controls(), "GetBucketOwnershipControls")
            .and_then(|o| o.ownership_controls().cloned())
            .map(|o| {
                let rules: Vec<Value> = o.rules().iter().map(|r| json!({"ObjectOwnership": r.object_ownership().as_str()})).collect();
                json!({"Rules": rules})
            }),
        "AccelerateConfiguration" => got!(c.get_bucket_accelerate_configuration(), "GetBucketAccelerateConfiguration")
            .and_then(|a| a.status().map(|s| json!({"AccelerationStatus": s.as_str()}))),
        "CorsConfiguration" => got!(c.get_bucket_cors(), "GetBucketCors").map(|cors| {
            let rules: Vec<Value> = cors.cors_rules().iter().map(|r| json!({"Id": r.id(),
                "AllowedHeaders": r.allowed_headers(), "AllowedMethods": r.allowed_methods(),
                "AllowedOrigins": r.allowed_origins(), "ExposedHeaders": r.expose_headers(), "MaxAge": r.max_age_seconds()})).collect();
            json!({"CorsRules": rules})
        }),
        "LifecycleConfiguration" => got!(c.get_bucket_lifecycle_configuration(), "GetBucketLifecycleConfiguration")
            .map(|l| lifecycle::observe(&l, previous)),
        "WebsiteConfiguration" => got!(c.get_bucket_website(), "GetBucketWebsite").map(|w| {
            let rules: Vec<Value> = w.routing_rules().iter().map(|r| {
                let to = r.redirect();
                let when = r.condition();
                json!({"RedirectRule": to.map(|t| json!({"HostName": t.host_name(), "HttpRedirectCode": t.http_redirect_code(),
                        "Protocol": t.protocol().map(|p| p.as_str()), "ReplaceKeyPrefixWith": t.replace_key_prefix_with(),
                        "ReplaceKeyWith": t.replace_key_with()})),
                    "RoutingRuleCondition": when.map(|c| json!({"HttpErrorCodeReturnedEquals": c.http_error_code_returned_equals(),
                        "KeyPrefixEquals": c.key_prefix_equals()}))})
            }).collect();
            json!({"IndexDocument": w.index_document().map(|i| i.suffix()), "ErrorDocument": w.error_document().map(|e| e.key()),
                "RedirectAllRequestsTo": w.redirect_all_requests_to().map(|a| json!({"HostName": a.host_name(), "Protocol": a.protocol().map(|p| p.as_str())})),
                "RoutingRules": rules})
        }),
        "LoggingConfiguration" => got!(c.get_bucket_logging(), "GetBucketLogging")
            .and_then(|l| l.logging_enabled().cloned())
            .map(|l| {
                let format = l.target_object_key_format().map(|f| json!({"SimplePrefix": f.simple_prefix().map(|_| json!({})),
                    "PartitionedPrefix": f.partitioned_prefix().map(|p| json!({"PartitionDateSource": p.partition_date_source().map(|s| s.as_str())}))}));
                json!({"DestinationBucketName": l.target_bucket(), "LogFilePrefix": l.target_prefix(), "TargetObjectKeyFormat": format})
            }),
        _ => got!(c.get_bucket_notification_configuration(), "GetBucketNotificationConfiguration")
            .map(|n| notification::observe(&n))
            .filter(|n| n != &json!({"EventBridgeConfiguration": {"EventBridgeEnabled": false},
                "LambdaConfigurations": [], "QueueConfigurations": [], "TopicConfigurations": []})),
    })
}
