//! A bucket's configurations, one S3 sub-resource each: what the template writes turned into
//! the SDK's shape ([`build`], which also checks every nested key; the conversions are
//! generated from the schema with `crates/infra-aws/mappings/s3.toml`, what S3 spells otherwise
//! is here), set with its Put call ([`put`]), removed with its Delete call or the Put that turns
//! it off ([`remove`]); read back in the template's spelling with its Get call by
//! [`super::read::get`] (S3's "no such configuration" is absent).
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

use crate::providers::kit::prelude::*;
use aws_sdk_s3::types::{
    AccelerateConfiguration, BucketLoggingStatus, CorsConfiguration, ErrorDocument, IndexDocument,
    NotificationConfiguration, ObjectLockConfiguration, OwnershipControls,
    PublicAccessBlockConfiguration, ServerSideEncryptionConfiguration, SimplePrefix,
    TargetObjectKeyFormat, VersioningConfiguration, WebsiteConfiguration,
};

use super::{lifecycle, notification};
use crate::generated::s3 as schema;
use crate::providers::kit::convert::{R, built, one};
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

/// The configuration `key` of the bucket `bucket`, as the template writes it (`value`): the
/// generated conversion of its definition, and what S3's shape spells otherwise.
pub(crate) fn build(key: &str, value: &Value, ctx: Ctx<'_>, bucket: &str) -> R<Built> {
    let obj = |keys: Keys| Props::object(value, key, ctx, keys);
    Ok(match key {
        "VersioningConfiguration" => Built::Versioning(schema::versioning_configuration(&obj(
            schema::VERSIONING_CONFIGURATION,
        )?)?),
        "ObjectLockConfiguration" => {
            let mut lock =
                schema::object_lock_configuration(&obj(schema::OBJECT_LOCK_CONFIGURATION)?)?;
            // A rule without a default retention is not sent.
            lock.rule = lock.rule.filter(|r| r.default_retention.is_some());
            Built::ObjectLock(lock)
        }
        "BucketEncryption" => Built::Encryption(schema::server_side_encryption_configuration(
            &obj(schema::BUCKET_ENCRYPTION)?,
        )?),
        "PublicAccessBlockConfiguration" => {
            Built::PublicAccess(schema::public_access_block_configuration(&obj(
                schema::PUBLIC_ACCESS_BLOCK_CONFIGURATION,
            )?)?)
        }
        "OwnershipControls" => Built::Ownership(schema::ownership_controls(&obj(
            schema::OWNERSHIP_CONTROLS,
        )?)?),
        "AccelerateConfiguration" => Built::Accelerate(schema::accelerate_configuration(&obj(
            schema::ACCELERATE_CONFIGURATION,
        )?)?),
        "CorsConfiguration" => Built::Cors(schema::cors_configuration(&obj(
            schema::CORS_CONFIGURATION,
        )?)?),
        "LifecycleConfiguration" => {
            Built::Lifecycle(lifecycle::build(&obj(schema::LIFECYCLE_CONFIGURATION)?)?)
        }
        "WebsiteConfiguration" => {
            let p = obj(schema::WEBSITE_CONFIGURATION)?;
            let mut site = schema::website_configuration(&p)?;
            if let Some(suffix) = p.str("IndexDocument")? {
                let index = IndexDocument::builder().suffix(suffix).build();
                site.index_document = Some(built(&p, index)?);
            }
            if let Some(key) = p.str("ErrorDocument")? {
                site.error_document = Some(built(&p, ErrorDocument::builder().key(key).build())?);
            }
            Built::Website(site)
        }
        "LoggingConfiguration" => {
            let p = obj(schema::LOGGING_CONFIGURATION)?;
            let mut enabled = schema::logging_enabled(&p)?;
            if p.get("DestinationBucketName").is_none() {
                enabled.target_bucket = bucket.to_owned();
            }
            let keys = Keys::new(&["PartitionedPrefix", "SimplePrefix"]).listed();
            if let Some(f) = p.obj("TargetObjectKeyFormat", keys)? {
                let (key, keys) = ("PartitionedPrefix", schema::PARTITIONED_PREFIX);
                let partitioned = one(&f, key, keys, schema::partitioned_prefix)?;
                let simple = f
                    .get("SimplePrefix")
                    .map(|_| SimplePrefix::builder().build());
                let format = TargetObjectKeyFormat::builder().set_partitioned_prefix(partitioned);
                enabled.target_object_key_format = Some(format.set_simple_prefix(simple).build());
            }
            let status = BucketLoggingStatus::builder().logging_enabled(enabled);
            Built::Logging(status.build())
        }
        "NotificationConfiguration" => Built::Notification(notification::build(&obj(
            schema::NOTIFICATION_CONFIGURATION,
        )?)?),
        other => return Err(ctx.fatal(format!("{other} is not a bucket configuration"))),
    })
}

/// `s3.client.METHOD().bucket(bucket).SETTER(VALUE)…` sent, its failure classed (`$on` is
/// `(s3, ctx, bucket)`; the message names the operation).
macro_rules! call {
    ($on:ident, $method:ident $(. $setter:ident($value:expr))*) => {{
        let (s3, ctx, bucket) = $on;
        let request = s3.client.$method().bucket(bucket)$(.$setter($value))*;
        let doing = format!("calling {}", kit::requested(&request));
        send!(s3, ctx, request, doing).map(drop)
    }};
}

/// One configuration in the SDK's shape ([`Built`], a variant per configuration), and [`put`],
/// which sets it with its Put call: `Variant(Type) = method.setter`.
macro_rules! configs {
    ($($variant:ident($ty:ty) = $method:ident.$setter:ident;)*) => {
        /// One configuration in the SDK's shape.
        #[derive(Debug, Clone)]
        pub(crate) enum Built {
            $($variant($ty),)*
            Lifecycle(lifecycle::Lifecycle),
        }

        /// Sets one configuration of `bucket`.
        pub(super) async fn put(s3: &S3, ctx: Ctx<'_>, bucket: &str, config: Built) -> R<()> {
            let on = (s3, ctx, bucket);
            match config {
                $(Built::$variant(v) => call! { on, $method.$setter(v) },)*
                Built::Lifecycle((rules, size)) => call! { on,
                    put_bucket_lifecycle_configuration.lifecycle_configuration(rules)
                    .set_transition_default_minimum_object_size(size) },
            }
        }
    };
}

configs! {
    Versioning(VersioningConfiguration) = put_bucket_versioning.versioning_configuration;
    ObjectLock(ObjectLockConfiguration) = put_object_lock_configuration.object_lock_configuration;
    Encryption(ServerSideEncryptionConfiguration) = put_bucket_encryption.server_side_encryption_configuration;
    PublicAccess(PublicAccessBlockConfiguration) = put_public_access_block.public_access_block_configuration;
    Ownership(OwnershipControls) = put_bucket_ownership_controls.ownership_controls;
    Accelerate(AccelerateConfiguration) = put_bucket_accelerate_configuration.accelerate_configuration;
    Cors(CorsConfiguration) = put_bucket_cors.cors_configuration;
    Website(WebsiteConfiguration) = put_bucket_website.website_configuration;
    Logging(BucketLoggingStatus) = put_bucket_logging.bucket_logging_status;
    Notification(NotificationConfiguration) = put_bucket_notification_configuration.notification_configuration;
}

/// Removes the configuration `key` of `bucket` (or turns it off where S3 has no removal).
pub(super) async fn remove(s3: &S3, ctx: Ctx<'_>, bucket: &str, key: &str) -> R<()> {
    let on = (s3, ctx, bucket);
    // Where S3 has no removal, the configuration that turns it off.
    let off = |value: Value| build(key, &value, ctx, bucket);
    let off = match key {
        "VersioningConfiguration" => off(json!({"Status": "Suspended"}))?,
        "AccelerateConfiguration" => off(json!({"AccelerationStatus": "Suspended"}))?,
        "ObjectLockConfiguration" => off(json!({}))?,
        "BucketEncryption" => return call! { on, delete_bucket_encryption },
        "PublicAccessBlockConfiguration" => return call! { on, delete_public_access_block },
        "OwnershipControls" => return call! { on, delete_bucket_ownership_controls },
        "CorsConfiguration" => return call! { on, delete_bucket_cors },
        "LifecycleConfiguration" => return call! { on, delete_bucket_lifecycle },
        "WebsiteConfiguration" => return call! { on, delete_bucket_website },
        "LoggingConfiguration" => Built::Logging(BucketLoggingStatus::builder().build()),
        _ => Built::Notification(NotificationConfiguration::builder().build()),
    };
    put(s3, ctx, bucket, off).await
}
