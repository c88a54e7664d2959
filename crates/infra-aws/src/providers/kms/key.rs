//! `AWS::KMS::Key`: its properties ([`Spec`]) and the create / update / delete / read / find
//! flow.
//!
//! | property | create | update |
//! |---|---|---|
//! | `Description` | CreateKey | UpdateKeyDescription |
//! | `KeyPolicy` (an object or a string of JSON, compared as a document), `BypassPolicyLockoutSafetyCheck` | CreateKey (absent: KMS's default key policy, which gives the account's root user `kms:*`, as CloudFormation documents) | PutKeyPolicy (removed: that default, for the account and partition of the key's ARN) |
//! | `KeySpec`, `KeyUsage`, `MultiRegion`, `Origin` | CreateKey | refused, as CloudFormation refuses it: KMS cannot change them, and an update never replaces a key by accident |
//! | `Enabled` | DisableKey after the create when `false` | EnableKey first / DisableKey last |
//! | `EnableKeyRotation`, `RotationPeriodInDays` | EnableKeyRotation | EnableKeyRotation / DisableKeyRotation |
//! | `PendingWindowInDays` (write-only) | | ScheduleKeyDeletion's window at delete (absent: 7 days, the shortest KMS allows) |
//! | `Tags` | CreateKey, with infra's tags | TagResource / UntagResource |
//!
//! `Ref` is the key id; `Fn::GetAtt Arn` and `KeyId`. CreateKey has no idempotency token: a
//! create interrupted after it is found by its infra tags (ListKeys, then ListResourceTags key
//! by key, a few at once; a key pending deletion is never adopted). KMS is eventually
//! consistent: the steps after CreateKey are retried while the new key is not visible yet, and
//! a key policy naming a principal made a moment ago is retried too (see [`super`]).
//!
//! Deleting a key schedules its deletion (ScheduleKeyDeletion) with `PendingWindowInDays`, or
//! the shortest window, 7 days, when the template sets none (CloudFormation's own default is
//! 30); a key already pending deletion is gone. Refresh has no batch call: DescribeKey per key
//! (a few at once; pending deletion reads as gone), with GetKeyPolicy, GetKeyRotationStatus
//! and ListResourceTags only for what the template manages. `PendingWindowInDays` and
//! `BypassPolicyLockoutSafetyCheck` are write-only and read as last applied; so is
//! `RotationPeriodInDays` (write-only in the schema) unless GetKeyRotationStatus answers it,
//! as KMS does while rotation is on.

use std::collections::BTreeMap;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_kms::types::{KeyMetadata, KeySpec, KeyState, OriginType, Tag};

use super::Kms;
use crate::generated::kms::{KEY, report_key_metadata};
use crate::providers::kit::{found, one_of, pages};

pub(crate) const TYPE: &str = "AWS::KMS::Key";

/// The window of a deletion when the template sets none: the shortest KMS allows.
pub(crate) const DEFAULT_PENDING_DAYS: i32 = 7;

/// The key as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) description: Option<String>,
    pub(crate) enabled: Option<bool>,
    pub(crate) rotation: Option<bool>,
    pub(crate) rotation_days: Option<i32>,
    pub(crate) policy: Option<Value>,
    pub(crate) bypass: bool,
    /// `KeySpec`, `KeyUsage`, `MultiRegion`, `Origin`, defaults applied: fixed at create.
    pub(crate) fixed: [String; 4],
    pub(crate) pending_days: Option<i32>,
    pub(crate) tags: Vec<(String, String)>,
}

/// The names of [`Spec::fixed`].
const FIXED: [&str; 4] = ["KeySpec", "KeyUsage", "MultiRegion", "Origin"];

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, KEY)?;
    let pending_days = p.i32("PendingWindowInDays")?;
    if pending_days.is_some_and(|d| !(7..=30).contains(&d)) {
        let why = "must be between 7 and 30 days (KMS's waiting period before it deletes a key)";
        return Err(p.fatal("PendingWindowInDays", why));
    }
    let or =
        |key: &str, default: &str| Ok::<_, ProviderError>(p.str(key)?.unwrap_or(default.into()));
    let (origin, origins) = (or("Origin", "AWS_KMS")?, ["AWS_KMS", "EXTERNAL"]);
    let origin = one_of(&origin, &origins, &p.at("Origin"), ctx)?;
    let multi_region = p.bool("MultiRegion")?.unwrap_or(false).to_string();
    Ok(Spec {
        description: p.str("Description")?,
        enabled: p.bool("Enabled")?,
        rotation: p.bool("EnableKeyRotation")?,
        rotation_days: p.i32("RotationPeriodInDays")?,
        policy: p.document("KeyPolicy")?,
        bypass: p.bool("BypassPolicyLockoutSafetyCheck")?.unwrap_or(false),
        fixed: [
            or("KeySpec", "SYMMETRIC_DEFAULT")?,
            or("KeyUsage", "ENCRYPT_DECRYPT")?,
            multi_region,
            origin,
        ],
        pending_days,
        tags: p.tags("Tags")?,
    })
}

/// The key policy CloudFormation documents for a key without `KeyPolicy` (KMS's default: the
/// account's root user may do `kms:*`), for the partition and account of the key's `arn`.
pub(crate) fn default_policy(arn: &str) -> Value {
    let parts: Vec<&str> = arn.split(':').collect();
    let (partition, account) = (parts.get(1).unwrap_or(&"aws"), parts.get(4).unwrap_or(&""));
    json!({"Version": "2012-10-17", "Id": "key-default", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:{partition}:iam::{account}:root")},
        "Action": "kms:*", "Resource": "*"}]})
}

fn output(id: &str, arn: Option<&str>) -> ResourceOutput {
    output_of(id, [("Arn", json!(arn)), ("KeyId", json!(id))])
}

fn sdk_tags(ctx: Ctx<'_>, tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ProviderError> {
    let tag = |(k, v): (&String, &String)| Tag::builder().tag_key(k).tag_value(v).build();
    let fail = |e| ctx.fatal(format!("tags: {e}"));
    tags.iter().map(|t| tag(t).map_err(fail)).collect()
}

/// A key gone, or already pending deletion.
fn gone(err: &crate::AwsError) -> bool {
    let pending = has_code(err, "KMSInvalidStateException");
    is_not_found(err) || (pending && err.to_string().contains("pending deletion"))
}

/// DescribeKey of `id`; `None` when there is none or it is pending deletion (gone).
async fn describe(kms: &Kms, ctx: Ctx<'_>, id: &str) -> Result<Option<KeyMetadata>, ProviderError> {
    let sent = kms.client.describe_key().key_id(id).send();
    let doing = format!("describing key {id}");
    let out = found(kms, ctx, doing, sent).await?;
    let deleting = [KeyState::PendingDeletion, KeyState::PendingReplicaDeletion];
    let live = |k: &&KeyMetadata| !k.key_state().is_some_and(|s| deleting.contains(s));
    Ok(out.and_then(|out| out.key_metadata().filter(live).cloned()))
}

/// The key's tags (ListResourceTags, pages followed).
async fn tags_of(kms: &Kms, ctx: Ctx<'_>, id: &str) -> R<BTreeMap<String, String>> {
    let tags = pages(|marker| async move {
        let request = kms.client.list_resource_tags().key_id(id);
        let request = request.set_marker(marker);
        let page = send!(kms, ctx, request, "reading tags")?;
        let next = page.next_marker().filter(|_| page.truncated());
        Ok((page.tags().to_vec(), next.map(str::to_owned)))
    });
    let pair = |t: &Tag| (t.tag_key().to_owned(), t.tag_value().to_owned());
    Ok(tags.await?.iter().map(pair).collect())
}

/// The key provider.
#[derive(Debug)]
pub(crate) struct KeyProvider {
    pub(crate) kms: Kms,
}

impl KeyProvider {
    /// Brings the key `id` (of ARN `arn`) from `before` to `after` (tags from `old` to `new`):
    /// enabled first, disabled last, as a disabled key cannot be changed.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        (id, arn): (&str, Option<&str>),
        (before, old): (&Spec, &BTreeMap<String, String>),
        (after, new): (&Spec, &BTreeMap<String, String>),
    ) -> Result<(), ProviderError> {
        let (kms, c) = (&self.kms, &self.kms.client);
        let changed = FIXED.iter().zip(before.fixed.iter().zip(&after.fixed));
        if let Some((name, _)) = changed.into_iter().find(|(_, (b, a))| b != a) {
            return Err(ctx.fatal(format!(
                "{name} of key {id} cannot change: KMS fixes it at creation, and CloudFormation \
                 fails such an update rather than replace a key; set it back, or declare a new \
                 key resource (the old one is scheduled for deletion when removed)"
            )));
        }
        let imported = after.fixed[3] == "EXTERNAL";
        let enabled = |s: &Spec| s.enabled.unwrap_or(true) || imported;
        if enabled(after) && !enabled(before) {
            send!(kms, ctx, c.enable_key().key_id(id), "enabling")?;
        }
        let rotation = |s: &Spec| s.rotation.unwrap_or(false);
        let days_changed = before.rotation_days != after.rotation_days;
        if rotation(after) && (!rotation(before) || days_changed) {
            let request = c.enable_key_rotation().key_id(id);
            let request = request.set_rotation_period_in_days(after.rotation_days);
            send!(kms, ctx, request, "enabling rotation")?;
        } else if rotation(before) && !rotation(after) {
            let request = c.disable_key_rotation().key_id(id);
            send!(kms, ctx, request, "disabling rotation")?;
        }
        if before.description != after.description {
            let text = after.description.clone().unwrap_or_default();
            let request = c.update_key_description().key_id(id).description(text);
            send!(kms, ctx, request, "describing")?;
        }
        let same_policy = match (&before.policy, &after.policy) {
            (Some(a), Some(b)) => same_document(a, b) && before.bypass == after.bypass,
            (a, b) => a.is_none() && b.is_none(),
        };
        if !same_policy {
            let default = || default_policy(arn.unwrap_or_default());
            let policy = compact(&after.policy.clone().unwrap_or_else(default));
            let request = c.put_key_policy().key_id(id).policy_name("default");
            let request = request.policy(policy);
            let request = request.bypass_policy_lockout_safety_check(after.bypass);
            send!(kms, ctx, request, "setting the key policy")?;
        }
        let untag = |keys| async move {
            let request = c.untag_resource().key_id(id).set_tag_keys(Some(keys));
            send!(kms, ctx, request, "untagging the key").map(|_| ())
        };
        let tag = |set| async move {
            let request = c.tag_resource().key_id(id);
            let request = request.set_tags(Some(sdk_tags(ctx, &set)?));
            send!(kms, ctx, request, "tagging the key").map(|_| ())
        };
        kit::retag(old, new, untag, tag).await?;
        if !enabled(after) && enabled(before) {
            send!(kms, ctx, c.disable_key().key_id(id), "disabling")?;
        }
        Ok(())
    }
}

impl kit::Provider for KeyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "DescribeKey per key (KMS has no batch describe); GetKeyPolicy, GetKeyRotationStatus and ListResourceTags when managed",
        Find::Tags,
        "ListKeys, then ListResourceTags per key: the key carrying the resource's infra tags, not pending deletion",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let [key_spec, usage, multi_region, origin] = &spec.fixed;
        let made = kit::retry_eventual(|| async {
            let request = self.kms.client.create_key();
            let request = request
                .set_description(spec.description.clone())
                .set_policy(spec.policy.as_ref().map(compact))
                .bypass_policy_lockout_safety_check(spec.bypass)
                .key_spec(key_spec.as_str().into())
                .key_usage(usage.as_str().into())
                .multi_region(multi_region == "true")
                .origin(origin.as_str().into())
                .set_tags(Some(sdk_tags(ctx, &tags)?));
            send!(&self.kms, ctx, request, "creating").map_err(on_create)
        })
        .await?;
        let key = made.key_metadata().cloned();
        let key = key.ok_or_else(|| ctx.fatal("creating the key: KMS returned no key"))?;
        // As CreateKey left it: enabled, no rotation, the policy and tags of the template.
        let mut made = spec.clone();
        (made.enabled, made.rotation, made.rotation_days) = (None, None, None);
        kit::retry_eventual(|| async {
            let key = (key.key_id(), key.arn());
            let converged = self.converge(ctx, key, (&made, &tags), (&spec, &tags));
            converged.await.map_err(on_create)
        })
        .await?;
        Ok(output(key.key_id(), key.arn()))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.attributes.get("Arn").and_then(Value::as_str);
        let key = (input.physical_id.as_str(), arn);
        let old = merge_tags(&before.tags, &input.tags);
        let new = merge_tags(&after.tags, &input.tags);
        self.converge(ctx, key, (&before, &old), (&after, &new))
            .await?;
        Ok(output(key.0, key.1))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let days = parse(&input.properties, ctx).map(|s| s.pending_days);
        let days = days.ok().flatten();
        let request = self.kms.client.schedule_key_deletion();
        let request = request.key_id(&input.physical_id);
        let sent = request.pending_window_in_days(days.unwrap_or(DEFAULT_PENDING_DAYS));
        let doing = "scheduling the key's deletion";
        kit::deleted(&self.kms, ctx, doing, sent.send(), gone).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(&self.kms, items, |kms, item| async move {
            let ctx = Ctx::new(TYPE, &item.address);
            match describe(&kms, ctx, &item.physical_id).await? {
                None => Ok(None),
                Some(key) => observe(&kms, &item, &key).await.map(Some),
            }
        })
        .await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        let (kms, ctx) = (&self.kms, Ctx::new(TYPE, &input.address));
        let keys = pages(|marker| async move {
            let request = kms.client.list_keys().limit(1000).set_marker(marker);
            let page = send!(kms, ctx, request, "listing keys")?;
            let next = page.next_marker().filter(|_| page.truncated());
            Ok((page.keys().to_vec(), next.map(str::to_owned)))
        });
        let ids = keys.await?.into_iter().filter_map(|k| k.key_id);
        let tasks = ids.map(|id| {
            let (kms, address, infra) = (kms.clone(), input.address.clone(), input.tags.clone());
            async move {
                let ctx = Ctx::new(TYPE, &address);
                // A key whose tags cannot be listed (an AWS managed key) is not ours.
                let tags = match tags_of(&kms, ctx, &id).await {
                    Err(e) if e.class == FailureClass::Retryable => return Err(e),
                    found => found.unwrap_or_default(),
                };
                let found = owned_by(&tags, &infra).then_some(describe(&kms, ctx, &id));
                Ok(match found {
                    Some(described) => described.await?.map(|k| output(k.key_id(), k.arn())),
                    None => None,
                })
            }
        });
        let found = kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY).await?;
        Ok(found.into_iter().flatten().next())
    }
}

/// One key as the template writes it (the managed properties only).
async fn observe(kms: &Kms, item: &ReadInput, key: &KeyMetadata) -> R<Observation> {
    let ctx = Ctx::new(TYPE, &item.address);
    let (last, id, c) = (&item.properties, key.key_id(), &kms.client);
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let mut policy = None;
    if prev("KeyPolicy").is_some() {
        let request = c.get_key_policy().key_id(id).policy_name("default");
        let out = send!(kms, ctx, request, "reading the policy")?;
        let seen = |text| observed_document(text, false, prev("KeyPolicy"));
        policy = out.policy().map(seen);
    }
    // Only symmetric keys with KMS's own key material rotate (GetKeyRotationStatus refuses
    // the others); AWS answers the period while rotation is on.
    let (mut rotation, mut period) = (false, prev("RotationPeriodInDays").cloned());
    let rotates = key.key_spec() == Some(&KeySpec::SymmetricDefault)
        && key.origin() == Some(&OriginType::AwsKms);
    if (prev("EnableKeyRotation").is_some() || period.is_some()) && rotates {
        let request = c.get_key_rotation_status().key_id(id);
        let out = send!(kms, ctx, request, "reading")?;
        rotation = out.key_rotation_enabled();
        if let Some(days) = out.rotation_period_in_days() {
            period = Some(observed_scalar(json!(days), prev("RotationPeriodInDays")));
        }
    }
    let mut tags = None;
    if prev("Tags").is_some() {
        tags = Some(observed_tags(&tags_of(kms, ctx, id).await?, prev("Tags")));
    }
    let mut found = report_key_metadata(key);
    // A key waiting for imported material is disabled until it gets it: as last applied.
    let enabled = match key.key_state() {
        Some(KeyState::PendingImport) => prev("Enabled").cloned(),
        _ => Some(json!(key.enabled())),
    };
    let rotation = prev("EnableKeyRotation").map(|_| Value::Bool(rotation));
    let bypass = prev("BypassPolicyLockoutSafetyCheck").cloned();
    let more = [
        ("Enabled", enabled),
        ("EnableKeyRotation", rotation),
        ("KeyPolicy", policy),
        ("Tags", tags),
        ("PendingWindowInDays", prev("PendingWindowInDays").cloned()),
        ("BypassPolicyLockoutSafetyCheck", bypass),
        ("RotationPeriodInDays", period),
    ];
    if let Value::Object(m) = &mut found {
        m.extend(more.map(|(k, v)| (k.to_owned(), v.unwrap_or(Value::Null))));
    }
    Ok(Observation::Present {
        properties: observed(found, last),
        attributes: output(id, key.arn()).attributes,
    })
}
