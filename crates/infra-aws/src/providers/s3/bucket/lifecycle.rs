//! `LifecycleConfiguration`: CloudFormation's rules to PutBucketLifecycleConfiguration, and
//! GetBucketLifecycleConfiguration back in the template's spelling. A rule's `Prefix`,
//! `TagFilters` and `ObjectSize*` are S3's `Filter` (one criterion alone, several under
//! `And`, none an empty prefix); the singular `Transition`, `NoncurrentVersionTransition` and
//! `NoncurrentVersionExpirationInDays` are older spellings of the plural ones. What the schema
//! marks write-only is reported as last applied.

use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, ExpirationStatus,
    LifecycleExpiration, LifecycleRule, LifecycleRuleAndOperator, LifecycleRuleFilter,
    NoncurrentVersionExpiration, NoncurrentVersionTransition, Tag, Transition,
    TransitionDefaultMinimumObjectSize, TransitionStorageClass,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde_json::{Value, json};

use super::configs::built;
use crate::provider::ProviderError;
use crate::providers::kit::{Keys, Props, iso_date};

const RULE: Keys = Keys::new(&[
    "AbortIncompleteMultipartUpload",
    "ExpirationDate",
    "ExpirationInDays",
    "ExpiredObjectDeleteMarker",
    "Id",
    "NoncurrentVersionExpiration",
    "NoncurrentVersionExpirationInDays",
    "NoncurrentVersionTransition",
    "NoncurrentVersionTransitions",
    "ObjectSizeGreaterThan",
    "ObjectSizeLessThan",
    "Prefix",
    "Status",
    "TagFilters",
    "Transition",
    "Transitions",
])
.listed();
const TRANSITION: Keys =
    Keys::new(&["StorageClass", "TransitionDate", "TransitionInDays"]).listed();
const NONCURRENT: Keys = Keys::new(&[
    "NewerNoncurrentVersions",
    "StorageClass",
    "TransitionInDays",
])
.listed();
const EXPIRATION: Keys = Keys::new(&["NewerNoncurrentVersions", "NoncurrentDays"]).listed();
const WRITE_ONLY: [&str; 4] = [
    "ExpiredObjectDeleteMarker",
    "NoncurrentVersionExpirationInDays",
    "NoncurrentVersionTransition",
    "Transition",
];

/// The configuration to put, and its `TransitionDefaultMinimumObjectSize`.
pub(super) type Lifecycle = (
    BucketLifecycleConfiguration,
    Option<TransitionDefaultMinimumObjectSize>,
);

pub(super) fn build(p: &Props) -> Result<Lifecycle, ProviderError> {
    let rules = p
        .objs("Rules", RULE)?
        .iter()
        .map(rule)
        .collect::<Result<_, _>>()?;
    let config = BucketLifecycleConfiguration::builder().set_rules(Some(rules));
    let size = p.str("TransitionDefaultMinimumObjectSize")?;
    Ok((
        built(p, config.build())?,
        size.map(|s| TransitionDefaultMinimumObjectSize::from(s.as_str())),
    ))
}

fn date(p: &Props, key: &str) -> Result<Option<DateTime>, ProviderError> {
    p.str(key)?
        .map(|s| DateTime::from_str(&s, Format::DateTime).map_err(|e| p.fatal(key, e)))
        .transpose()
}

fn class(p: &Props) -> Result<TransitionStorageClass, ProviderError> {
    Ok(TransitionStorageClass::from(
        p.required_str("StorageClass")?.as_str(),
    ))
}

fn rule(r: &Props) -> Result<LifecycleRule, ProviderError> {
    let (days, when) = (r.i32("ExpirationInDays")?, date(r, "ExpirationDate")?);
    let marker = r.bool("ExpiredObjectDeleteMarker")?;
    let expiration = (days.is_some() || when.is_some() || marker.is_some()).then(|| {
        let e = LifecycleExpiration::builder().set_days(days).set_date(when);
        e.set_expired_object_delete_marker(marker).build()
    });
    let mut transitions = Vec::new();
    let single = r.obj("Transition", TRANSITION)?;
    for t in r.objs("Transitions", TRANSITION)?.iter().chain(&single) {
        let built = Transition::builder().storage_class(class(t)?);
        let built = built.set_days(t.i32("TransitionInDays")?);
        transitions.push(built.set_date(date(t, "TransitionDate")?).build());
    }
    let mut noncurrent = Vec::new();
    let single = r.obj("NoncurrentVersionTransition", NONCURRENT)?;
    for t in r
        .objs("NoncurrentVersionTransitions", NONCURRENT)?
        .iter()
        .chain(&single)
    {
        let built = NoncurrentVersionTransition::builder().storage_class(class(t)?);
        let built = built.noncurrent_days(t.required_i32("TransitionInDays")?);
        noncurrent.push(
            built
                .set_newer_noncurrent_versions(t.i32("NewerNoncurrentVersions")?)
                .build(),
        );
    }
    let expire_noncurrent = match r.obj("NoncurrentVersionExpiration", EXPIRATION)? {
        Some(e) => Some(
            NoncurrentVersionExpiration::builder()
                .noncurrent_days(e.required_i32("NoncurrentDays")?)
                .set_newer_noncurrent_versions(e.i32("NewerNoncurrentVersions")?)
                .build(),
        ),
        None => r.i32("NoncurrentVersionExpirationInDays")?.map(|d| {
            NoncurrentVersionExpiration::builder()
                .noncurrent_days(d)
                .build()
        }),
    };
    let abort = r.obj(
        "AbortIncompleteMultipartUpload",
        Keys::new(&["DaysAfterInitiation"]).listed(),
    )?;
    let abort = abort
        .map(|a| a.required_i32("DaysAfterInitiation"))
        .transpose()?
        .map(|d| {
            AbortIncompleteMultipartUpload::builder()
                .days_after_initiation(d)
                .build()
        });
    let status = ExpirationStatus::from(r.required_str("Status")?.as_str());
    let rule = LifecycleRule::builder()
        .set_id(r.str("Id")?)
        .status(status)
        .filter(filter(r)?)
        .set_expiration(expiration)
        .set_transitions((!transitions.is_empty()).then_some(transitions))
        .set_noncurrent_version_transitions((!noncurrent.is_empty()).then_some(noncurrent))
        .set_noncurrent_version_expiration(expire_noncurrent)
        .set_abort_incomplete_multipart_upload(abort);
    built(r, rule.build())
}

/// The rule's `Filter`: its prefix, tags and sizes, alone or under `And`.
fn filter(r: &Props) -> Result<LifecycleRuleFilter, ProviderError> {
    let prefix = r.str("Prefix")?;
    let tags = r.tags("TagFilters")?;
    let tags: Vec<Tag> = tags
        .iter()
        .map(|(k, v)| built(r, Tag::builder().key(k).value(v).build()))
        .collect::<Result<_, _>>()?;
    let (gt, lt) = (
        r.i64("ObjectSizeGreaterThan")?,
        r.i64("ObjectSizeLessThan")?,
    );
    let criteria = usize::from(prefix.is_some())
        + tags.len()
        + usize::from(gt.is_some())
        + usize::from(lt.is_some());
    let filter = LifecycleRuleFilter::builder();
    Ok(match criteria {
        0 => filter.prefix("").build(),
        1 => filter
            .set_prefix(prefix)
            .set_tag(tags.into_iter().next())
            .set_object_size_greater_than(gt)
            .set_object_size_less_than(lt)
            .build(),
        _ => filter
            .and(
                LifecycleRuleAndOperator::builder()
                    .set_prefix(prefix)
                    .set_tags(Some(tags))
                    .set_object_size_greater_than(gt)
                    .set_object_size_less_than(lt)
                    .build(),
            )
            .build(),
    })
}

/// What GetBucketLifecycleConfiguration answered, in the template's spelling; `previous` is
/// the configuration last applied (for the write-only values).
pub(super) fn observe(
    got: &GetBucketLifecycleConfigurationOutput,
    previous: Option<&Value>,
) -> Value {
    let rules = previous
        .and_then(|p| p.get("Rules"))
        .and_then(Value::as_array);
    let rules: Vec<Value> = got
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let last = rules.and_then(|rules| {
                let by_id = rules
                    .iter()
                    .find(|p| p.get("Id").and_then(Value::as_str) == r.id());
                by_id.or_else(|| rules.get(i))
            });
            rule_json(r, last)
        })
        .collect();
    let size = got
        .transition_default_minimum_object_size()
        .map(|s| s.as_str());
    json!({
        "Rules": rules,
        "TransitionDefaultMinimumObjectSize": size,
    })
}

#[allow(
    deprecated,
    reason = "a rule made before filters has its prefix at the top"
)]
fn rule_json(r: &LifecycleRule, last: Option<&Value>) -> Value {
    let f = r.filter();
    let and = f.and_then(|f| f.and());
    let mut tags: Vec<&Tag> = f.and_then(|f| f.tag()).into_iter().collect();
    tags.extend(and.map(|a| a.tags()).unwrap_or_default());
    let prefix = f
        .and_then(|f| f.prefix())
        .or_else(|| and.and_then(|a| a.prefix()))
        .or(r.prefix());
    let gt = f
        .and_then(|f| f.object_size_greater_than())
        .or_else(|| and.and_then(|a| a.object_size_greater_than()));
    let lt = f
        .and_then(|f| f.object_size_less_than())
        .or_else(|| and.and_then(|a| a.object_size_less_than()));
    let tags: Vec<Value> = tags
        .iter()
        .map(|t| json!({"Key": t.key(), "Value": t.value()}))
        .collect();
    let e = r.expiration();
    let transitions: Vec<Value> = r
        .transitions()
        .iter()
        .map(|t| {
            json!({"StorageClass": t.storage_class().map(|c| c.as_str()),
            "TransitionInDays": t.days(), "TransitionDate": t.date().map(iso_date)})
        })
        .collect();
    let noncurrent: Vec<Value> = r
        .noncurrent_version_transitions()
        .iter()
        .map(|t| {
            json!({"StorageClass": t.storage_class().map(|c| c.as_str()),
            "TransitionInDays": t.noncurrent_days(),
            "NewerNoncurrentVersions": t.newer_noncurrent_versions()})
        })
        .collect();
    let mut out = json!({
        "Id": r.id(),
        "Status": r.status().as_str(),
        "Prefix": prefix.filter(|p| !p.is_empty()),
        "TagFilters": (!tags.is_empty()).then_some(tags),
        "ObjectSizeGreaterThan": gt.map(|n| n.to_string()),
        "ObjectSizeLessThan": lt.map(|n| n.to_string()),
        "ExpirationInDays": e.and_then(|e| e.days()),
        "ExpirationDate": e.and_then(|e| e.date()).map(iso_date),
        "Transitions": (!transitions.is_empty()).then_some(transitions),
        "NoncurrentVersionTransitions": (!noncurrent.is_empty()).then_some(noncurrent),
        "NoncurrentVersionExpiration": r.noncurrent_version_expiration().map(|n| json!({
            "NoncurrentDays": n.noncurrent_days(),
            "NewerNoncurrentVersions": n.newer_noncurrent_versions()})),
        "AbortIncompleteMultipartUpload": r.abort_incomplete_multipart_upload()
            .map(|a| json!({"DaysAfterInitiation": a.days_after_initiation()})),
    });
    if let (Some(out), Some(last)) = (out.as_object_mut(), last) {
        for key in WRITE_ONLY {
            if let Some(v) = last.get(key) {
                out.insert(key.to_owned(), v.clone());
            }
        }
    }
    out
}
