//! `AWS::S3::BucketPolicy`: a bucket's one policy.
//!
//! | property | create | update |
//! |---|---|---|
//! | `Bucket` | PutBucketPolicy | create-only (replacement) |
//! | `PolicyDocument` (an object or a string of JSON, compared as a document) | PutBucketPolicy | PutBucketPolicy |
//!
//! `Ref` (and the physical id) is the bucket name. A bucket made a moment ago that S3 does not
//! show yet (`NoSuchBucket`), or a principal IAM has not propagated (`MalformedPolicy`
//! "Invalid principal"), is retried for a bounded time. Delete: DeleteBucketPolicy; a bucket
//! or policy already gone is success. Refresh: GetBucketPolicy per bucket (S3 has no batch
//! call), `NoSuchBucketPolicy` or `NoSuchBucket` gone. `find`: GetBucketPolicy of the bucket,
//! its natural key (a bucket has one policy; a policy has no tags).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;

use super::{S3, missing};
use crate::providers::kit::retry_eventual;

pub(crate) const TYPE: &str = "AWS::S3::BucketPolicy";

const KEYS: Keys = Keys::new(&["Bucket", "PolicyDocument"]);

#[derive(Debug, Clone)]
pub(crate) struct BucketPolicyProvider {
    pub(crate) s3: S3,
}

/// The bucket and the policy document of the template.
pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<(String, Value), ProviderError> {
    let p = Props::root(value, ctx, KEYS)?;
    let document = p.document("PolicyDocument")?;
    Ok((
        p.required_str("Bucket")?,
        document.ok_or_else(|| p.missing("PolicyDocument"))?,
    ))
}

impl BucketPolicyProvider {
    /// PutBucketPolicy, retried while the bucket or a principal is not visible yet.
    async fn put(&self, ctx: Ctx<'_>, value: &Value) -> Result<String, ProviderError> {
        let (bucket, document) = parse(value, ctx)?;
        retry_eventual(|| async {
            let request = self.s3.client.put_bucket_policy().bucket(&bucket);
            let request = request.policy(compact(&document));
            let doing = format!("setting the policy of bucket {bucket}");
            send!(&self.s3, ctx, request, doing).map_err(on_create)
        })
        .await?;
        Ok(bucket)
    }

    /// The policy text of `bucket`; `None` when it has none or the bucket is gone.
    async fn policy(&self, ctx: Ctx<'_>, bucket: &str) -> Result<Option<String>, ProviderError> {
        let request = self.s3.client.get_bucket_policy().bucket(bucket);
        let doing = format!("reading the policy of bucket {bucket}");
        let got = answered!(&self.s3, ctx, request, doing, missing)?;
        Ok(got.and_then(|g| g.policy().map(str::to_owned)))
    }
}

impl kit::Provider for BucketPolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetBucketPolicy per bucket",
        Find::NaturalKey,
        "GetBucketPolicy of the bucket",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let bucket = self.put(ctx, &input.properties).await?;
        Ok(output_of(&bucket, []))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let bucket = self.put(ctx, &input.after).await?;
        Ok(output_of(&bucket, []))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let bucket = &input.physical_id;
        let request = self.s3.client.delete_bucket_policy().bucket(bucket);
        let doing = format!("deleting the policy of bucket {bucket}");
        answered!(&self.s3, ctx, request, doing, missing).map(drop)
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let (bucket, _) = parse(&input.properties, ctx)?;
        let found = self.policy(ctx, &bucket).await?;
        Ok(found.map(|_| output_of(&bucket, [])))
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(self, items, |this, item| async move {
            let ctx = Ctx::new(TYPE, &item.address);
            let Some(text) = this.policy(ctx, &item.physical_id).await? else {
                return Ok(None);
            };
            let last = item.properties.get("PolicyDocument");
            let bucket = item.properties.get("Bucket").cloned();
            let bucket = bucket.unwrap_or(json!(item.physical_id));
            Ok(Some(Observation::Present {
                properties: json!({"Bucket": bucket, "PolicyDocument": observed_document(&text, false, last)}),
                attributes: BTreeMap::new(),
            }))
        })
        .await
    }
}
