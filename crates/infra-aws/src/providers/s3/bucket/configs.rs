//! A bucket's configurations, one S3 sub-resource each: what the template writes turned into
//! the SDK's shape ([`build`], which also checks every nested key), set with its Put call
//! ([`put`]), removed with its Delete call or the Put that turns it off ([`remove`]); read back
//! in the template's spelling with its Get call by [`super::read::get`] (S3's "no such
//! configuration" is absent).
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
use crate::providers::s3::S3;

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

/// `s3.client.METHOD().bucket(bucket).SETTER(VALUE)…` sent as `OPERATION`, its failure classed
/// (`$on` is `(s3, ctx, bucket)`).
macro_rules! call {
    ($on:ident, $method:ident $(. $setter:ident($value:expr))*, $op:literal) => {{
        let (s3, ctx, bucket) = $on;
        let request = s3.client.$method().bucket(bucket)$(.$setter($value))*;
        send!(s3, ctx, request, $op, concat!("calling ", $op)).map(drop)
    }};
}

/// Sets one configuration of `bucket`.
pub(super) async fn put(
    s3: &S3,
    ctx: Ctx<'_>,
    bucket: &str,
    config: Built,
) -> Result<(), ProviderError> {
    let on = (s3, ctx, bucket);
    match config {
        Built::Versioning(v) => {
            call! { on, put_bucket_versioning.versioning_configuration(v), "PutBucketVersioning" }
        }
        Built::ObjectLock(o) => {
            call! { on, put_object_lock_configuration.object_lock_configuration(o),
            "PutObjectLockConfiguration" }
        }
        Built::Encryption(e) => {
            call! { on,
            put_bucket_encryption.server_side_encryption_configuration(e), "PutBucketEncryption" }
        }
        Built::PublicAccess(p) => {
            call! { on,
            put_public_access_block.public_access_block_configuration(p), "PutPublicAccessBlock" }
        }
        Built::Ownership(o) => {
            call! { on,
            put_bucket_ownership_controls.ownership_controls(o), "PutBucketOwnershipControls" }
        }
        Built::Accelerate(a) => {
            call! { on, put_bucket_accelerate_configuration.accelerate_configuration(a),
            "PutBucketAccelerateConfiguration" }
        }
        Built::Cors(cors) => {
            call! { on, put_bucket_cors.cors_configuration(cors), "PutBucketCors" }
        }
        Built::Lifecycle((rules, size)) => {
            call! { on,
                put_bucket_lifecycle_configuration.lifecycle_configuration(rules)
            .set_transition_default_minimum_object_size(size), "PutBucketLifecycleConfiguration" }
        }
        Built::Website(w) => {
            call! { on, put_bucket_website.website_configuration(w), "PutBucketWebsite" }
        }
        Built::Logging(l) => {
            call! { on, put_bucket_logging.bucket_logging_status(l), "PutBucketLogging" }
        }
        Built::Notification(n) => {
            call! { on,
                put_bucket_notification_configuration.notification_configuration(n),
            "PutBucketNotificationConfiguration" }
        }
    }
}

/// Removes the configuration `key` of `bucket` (or turns it off where S3 has no removal).
pub(super) async fn remove(
    s3: &S3,
    ctx: Ctx<'_>,
    bucket: &str,
    key: &str,
) -> Result<(), ProviderError> {
    let on = (s3, ctx, bucket);
    let off = |value: Value| build(key, &value, ctx, bucket);
    match key {
        "VersioningConfiguration" => {
            put(s3, ctx, bucket, off(json!({"Status": "Suspended"}))?).await
        }
        "AccelerateConfiguration" => {
            put(
                s3,
                ctx,
                bucket,
                off(json!({"AccelerationStatus": "Suspended"}))?,
            )
            .await
        }
        "ObjectLockConfiguration" => put(s3, ctx, bucket, off(json!({}))?).await,
        "BucketEncryption" => call! { on, delete_bucket_encryption, "DeleteBucketEncryption" },
        "PublicAccessBlockConfiguration" => {
            call! { on, delete_public_access_block, "DeletePublicAccessBlock" }
        }
        "OwnershipControls" => {
            call! { on, delete_bucket_ownership_controls, "DeleteBucketOwnershipControls" }
        }
        "CorsConfiguration" => call! { on, delete_bucket_cors, "DeleteBucketCors" },
        "LifecycleConfiguration" => call! { on, delete_bucket_lifecycle, "DeleteBucketLifecycle" },
        "WebsiteConfiguration" => call! { on, delete_bucket_website, "DeleteBucketWebsite" },
        "LoggingConfiguration" => {
            let off = BucketLoggingStatus::builder().build();
            call! { on, put_bucket_logging.bucket_logging_status(off), "PutBucketLogging" }
        }
        _ => {
            let none = Built::Notification(NotificationConfiguration::builder().build());
            put(s3, ctx, bucket, none).await
        }
    }
}
