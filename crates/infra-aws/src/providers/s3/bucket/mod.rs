//! `AWS::S3::Bucket`: the create / update / delete / find flow; each configuration's calls are
//! in [`configs`] (with [`lifecycle`] and [`notification`]), refresh is in [`read`].
//!
//! | property | create | update |
//! |---|---|---|
//! | `BucketName` (generated in lower case when absent) | CreateBucket | create-only (replacement) |
//! | `Tags` | CreateBucket (`CreateBucketConfiguration.Tags`), with infra's tags | PutBucketTagging (the whole set) |
//! | `AccessControl` (a canned ACL, write-only) | CreateBucket `x-amz-acl` | PutBucketAcl (removed: `private`) |
//! | `ObjectLockEnabled` | CreateBucket `x-amz-bucket-object-lock-enabled` | PutObjectLockConfiguration `Enabled` (it cannot be turned off) |
//! | `OwnershipControls` | CreateBucket `x-amz-object-ownership` (so that an ACL can be set with it) | see [`configs`] |
//! | every other configuration ([`configs::CONFIGS`]) | its Put call after CreateBucket | its Put or Delete call |
//! | the properties `mappings/s3.toml` refuses | refused, by name | |
//!
//! `Ref` is the bucket name; `Fn::GetAtt Arn`, `DomainName`, `DualStackDomainName`,
//! `RegionalDomainName` and `WebsiteURL` are computed from the name and Region as AWS documents
//! them (the website endpoint is `s3-website-REGION` in the Regions that predate 2014,
//! `s3-website.REGION` elsewhere). The create runs HeadBucket first (in us-east-1 CreateBucket
//! answers 200 for a bucket the account already owns, resetting its ACL), then CreateBucket in
//! the client's Region (`LocationConstraint` except in us-east-1), waits until HeadBucket sees
//! the bucket, then sets each configuration (retried while a destination's policy propagates).
//! A bucket that already exists (HeadBucket, or `BucketAlreadyOwnedByYou`) is adopted only when
//! it carries this resource's `infra:*` tags; a name another account owns
//! (`BucketAlreadyExists`) is an error that says to choose another name.
//!
//! Delete: DeleteBucket, then HeadBucket until the bucket is gone. Like CloudFormation, infra
//! never empties a bucket: one that still holds objects fails, naming the bucket, and stays in
//! the state. Refresh: ListBuckets (every bucket of the account per page) says which still
//! exist, then one Get per managed configuration and GetBucketTagging when `Tags` is managed.
//! `find`: HeadBucket of the name, infra tags checked with GetBucketTagging.

pub(crate) mod configs;
mod lifecycle;
mod notification;
mod read;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_s3::types::{
    BucketCannedAcl, BucketLocationConstraint, CreateBucketConfiguration, ObjectOwnership, Tag,
    Tagging,
};

use self::configs::{CONFIGS, build, put, remove};
use super::{S3, missing, optional, same};
use crate::error::AwsError;
use crate::providers::kit::convert::R;
use crate::providers::kit::{retry_eventual, sdk_tags, tag_pairs};

pub(crate) const TYPE: &str = "AWS::S3::Bucket";

/// The keys of the template (generated from the schema, `crates/infra-aws/mappings/s3.toml`).
const KEYS: Keys = crate::generated::s3::BUCKET;

/// How long a bucket may take to be seen after CreateBucket, or to go after DeleteBucket.
const VISIBLE_TIMEOUT: Duration = Duration::from_secs(120);

/// The Regions whose website endpoint is `s3-website-REGION` (the others: `s3-website.REGION`).
const DASH_WEBSITE_REGIONS: [&str; 9] = [
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "eu-west-1",
    "sa-east-1",
    "us-gov-west-1",
];

#[derive(Debug, Clone)]
pub(crate) struct BucketProvider {
    pub(crate) s3: S3,
    /// The client's Region, where buckets are made.
    pub(crate) region: String,
}

/// The template's properties, every key and every configuration checked.
pub(crate) fn parse<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    let p = Props::root(value, ctx, KEYS)?;
    for key in CONFIGS {
        if let Some(v) = p.get(key) {
            build(key, v, ctx, "")?;
        }
    }
    p.tags("Tags")?;
    p.bool("ObjectLockEnabled")?;
    p.str("AccessControl")?;
    Ok(p)
}

/// A CloudFormation canned ACL (`PublicRead`) as S3 spells it (`public-read`).
pub(crate) fn canned_acl(name: &str) -> BucketCannedAcl {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    BucketCannedAcl::from(out.as_str())
}

impl BucketProvider {
    /// What `Ref` and `Fn::GetAtt` give for the bucket `name`.
    pub(crate) fn output(&self, name: &str) -> ResourceOutput {
        let region = self.region.as_str();
        let (partition, suffix) = if region.starts_with("cn-") {
            ("aws-cn", "amazonaws.com.cn")
        } else if region.starts_with("us-gov-") {
            ("aws-us-gov", "amazonaws.com")
        } else {
            ("aws", "amazonaws.com")
        };
        let dot = if DASH_WEBSITE_REGIONS.contains(&region) {
            '-'
        } else {
            '.'
        };
        let website = format!("http://{name}.s3-website{dot}{region}.{suffix}");
        let dual_stack = format!("{name}.s3.dualstack.{region}.{suffix}");
        let regional = format!("{name}.s3.{region}.{suffix}");
        output_of(
            name,
            [
                ("Arn", json!(format!("arn:{partition}:s3:::{name}"))),
                ("DomainName", json!(format!("{name}.s3.{suffix}"))),
                ("DualStackDomainName", json!(dual_stack)),
                ("RegionalDomainName", json!(regional)),
                ("WebsiteURL", json!(website)),
            ],
        )
    }

    /// Whether the bucket `name` exists (HeadBucket): `Some(true)` when this account may use
    /// it, `Some(false)` when S3 refuses (403: another account owns the name, or the
    /// credentials lack `s3:ListBucket`), `None` when there is no such bucket.
    async fn exists(&self, ctx: Ctx<'_>, name: &str) -> Result<Option<bool>, ProviderError> {
        let sent = self.s3.client.head_bucket().bucket(name).send().await;
        match sent.map_err(|e| self.s3.err(e)) {
            Ok(_) => Ok(Some(true)),
            Err(err) if missing(&err) => Ok(None),
            Err(AwsError::AccessDenied(_)) => Ok(Some(false)),
            Err(err) => Err(self
                .s3
                .classify(ctx, &format!("looking up bucket {name}"), &err)),
        }
    }

    /// The bucket's tags (GetBucketTagging; none set is empty).
    pub(super) async fn tags_of(&self, ctx: Ctx<'_>, name: &str) -> R<BTreeMap<String, String>> {
        let sent = self.s3.client.get_bucket_tagging().bucket(name).send();
        let got = optional(&self.s3, ctx, "reading the tags", sent).await?;
        let tags = got.as_ref().map(|t| t.tag_set()).unwrap_or_default();
        Ok(tag_pairs(tags, |t| (Some(t.key()), Some(t.value()))))
    }

    /// Brings the bucket from the template's `before` to `after`; `infra` are infra's tags.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: &Value,
        after: &Value,
        infra: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let (s3, c) = (&self.s3, &self.s3.client);
        let (was, will) = (parse(before, ctx)?, parse(after, ctx)?);
        for key in CONFIGS {
            if key == "ObjectLockConfiguration" {
                let locked = was.bool("ObjectLockEnabled")? == Some(true);
                let lock = will.bool("ObjectLockEnabled")? == Some(true);
                if locked && !lock {
                    return Err(ctx.fatal(format!(
                        "object lock of bucket {name} cannot be turned off once enabled; \
                         set ObjectLockEnabled: true again, or replace the bucket (a new BucketName)"
                    )));
                }
                if lock && !locked && will.get(key).is_none() {
                    retry_eventual(|| async {
                        put(s3, ctx, name, build(key, &json!({}), ctx, name)?).await
                    })
                    .await?;
                }
            }
            if same(was.get(key), will.get(key)) {
                continue;
            }
            match will.get(key) {
                Some(value) => {
                    let config = build(key, value, ctx, name)?;
                    retry_eventual(|| put(s3, ctx, name, config.clone())).await?;
                }
                None => remove(s3, ctx, name, key).await?,
            }
        }
        let old_tags = merge_tags(&was.tags("Tags")?, infra);
        let new_tags = merge_tags(&will.tags("Tags")?, infra);
        if old_tags != new_tags {
            let tagging = Tagging::builder().set_tag_set(Some(sdk_tags!(Tag, ctx, new_tags)?));
            let failed = |e| ctx.fatal(format!("Tags: {e}"));
            let tagging = tagging.build().map_err(failed)?;
            let request = c.put_bucket_tagging().bucket(name).tagging(tagging);
            send!(s3, ctx, request, "tagging the bucket")?;
        }
        let acl = will.str("AccessControl")?;
        if !same(was.get("AccessControl"), will.get("AccessControl")) {
            let acl = canned_acl(acl.as_deref().unwrap_or("Private"));
            let request = c.put_bucket_acl().bucket(name).acl(acl);
            send!(s3, ctx, request, "setting the canned ACL")?;
        }
        Ok(())
    }

    /// A bucket named `name` is already there: it is this resource's only with its tags.
    async fn adopt(&self, ctx: Ctx<'_>, name: &str, infra: &BTreeMap<String, String>) -> R<()> {
        if owned_by(&self.tags_of(ctx, name).await?, infra) {
            return Ok(());
        }
        let doing = format!("creating bucket {name}");
        Err(kit::not_ours(ctx, &doing, "a bucket", "BucketName"))
    }
}

impl kit::Provider for BucketProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "ListBuckets (every bucket per page); one Get per managed configuration and GetBucketTagging per bucket",
        Find::Name,
        "HeadBucket of the name, infra tags checked (GetBucketTagging)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let p = parse(&input.properties, ctx)?;
        let name = create_name(ctx, p.str("BucketName")?.as_ref(), input, "BucketName")?;
        let mut before = Map::new();
        let taken = || {
            ctx.fatal(format!(
                "bucket name {name} is taken by another AWS account (bucket names are global), \
                 or these credentials may not use it (s3:ListBucket); choose another BucketName"
            ))
        };
        let found = self.exists(ctx, &name).await?;
        if found == Some(false) {
            return Err(taken());
        } else if found == Some(true) {
            self.adopt(ctx, &name, &input.tags).await?;
        } else {
            let tags = merge_tags(&p.tags("Tags")?, &input.tags);
            let location = (self.region != "us-east-1")
                .then(|| BucketLocationConstraint::from(self.region.as_str()));
            let configuration = CreateBucketConfiguration::builder()
                .set_location_constraint(location)
                .set_tags(Some(sdk_tags!(Tag, ctx, tags)?))
                .build();
            let ownership = p
                .get("OwnershipControls")
                .and_then(|o| o.pointer("/Rules/0/ObjectOwnership"));
            let ownership = ownership.and_then(Value::as_str).map(ObjectOwnership::from);
            let request = self.s3.client.create_bucket().bucket(&name);
            let sent = (request.create_bucket_configuration(configuration))
                .set_acl(p.str("AccessControl")?.map(|a| canned_acl(&a)))
                .set_object_lock_enabled_for_bucket(p.bool("ObjectLockEnabled")?.filter(|l| *l))
                .set_object_ownership(ownership.clone())
                .send()
                .await;
            match sent.map_err(|e| self.s3.err(e)) {
                Ok(_) => {
                    let mut made = vec!["Tags", "AccessControl", "ObjectLockEnabled"];
                    made.extend(ownership.is_some().then_some("OwnershipControls"));
                    for key in made {
                        before.extend(p.get(key).map(|v| (key.to_owned(), v.clone())));
                    }
                }
                Err(err) if has_code(&err, "BucketAlreadyOwnedByYou") => {
                    self.adopt(ctx, &name, &input.tags).await?;
                }
                Err(err) if has_code(&err, "BucketAlreadyExists") => return Err(taken()),
                Err(err) => {
                    let doing = format!("creating bucket {name}");
                    return Err(on_create(self.s3.classify(ctx, &doing, &err)));
                }
            }
        }
        let seen = kit::poll(VISIBLE_TIMEOUT, || async {
            Ok((self.exists(ctx, &name).await? == Some(true)).then_some(()))
        });
        seen.await?.ok_or_else(|| {
            ctx.fatal(format!(
                "bucket {name} was not visible after CreateBucket; the next run finds it"
            ))
        })?;
        let (before, after) = (Value::Object(before), &input.properties);
        self.converge(ctx, &name, &before, after, &input.tags)
            .await?;
        Ok(self.output(&name))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (name, before, after) = (&input.physical_id, &input.before, &input.after);
        self.converge(ctx, name, before, after, &input.tags).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = &input.physical_id;
        let sent = self.s3.client.delete_bucket().bucket(name).send().await;
        match sent.map_err(|e| self.s3.err(e)) {
            Ok(_) => {}
            Err(err) if missing(&err) => return Ok(()),
            Err(err) if has_code(&err, "BucketNotEmpty") => {
                return Err(ctx.fatal(format!(
                    "bucket {name} is not empty (S3: \"The bucket you tried to delete is not \
                     empty\"); infra never deletes objects: empty the bucket (every object \
                     version too) and run destroy again, or set DeletionPolicy: Retain to keep it"
                )));
            }
            Err(err) => {
                let doing = format!("deleting bucket {name}");
                return Err(self.s3.classify(ctx, &doing, &err));
            }
        }
        let gone = kit::poll(VISIBLE_TIMEOUT, || async {
            Ok(self.exists(ctx, name).await?.is_none().then_some(()))
        });
        gone.await?
            .ok_or_else(|| ctx.fatal(format!("bucket {name} was still there after DeleteBucket")))
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "BucketName", ctx)?;
        if self.exists(ctx, &name).await? != Some(true) {
            return Ok(None);
        }
        let tags = self.tags_of(ctx, &name).await?;
        Ok(owned_by(&tags, &input.tags).then(|| self.output(&name)))
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read::read(self, items).await
    }
}
