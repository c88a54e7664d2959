//! `LifecycleConfiguration`: CloudFormation's rules to PutBucketLifecycleConfiguration, and
//! GetBucketLifecycleConfiguration back in the template's spelling. A rule's `Prefix`,
//! `TagFilters` and `ObjectSize*` are S3's `Filter` (one criterion alone, several under
//! `And`, none an empty prefix); the singular `Transition`, `NoncurrentVersionTransition` and
//! `NoncurrentVersionExpirationInDays` are older spellings of the plural ones. What the schema
//! marks write-only is reported as last applied. The rest of a rule is converted (both ways) by
//! code generated from the schema (`crates/infra-aws/mappings/s3.toml`).

use crate::providers::kit::prelude::*;
use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, LifecycleExpiration, LifecycleRule, LifecycleRuleAndOperator,
    LifecycleRuleFilter, NoncurrentVersionExpiration, Tag, TransitionDefaultMinimumObjectSize,
};

use crate::generated::s3 as schema;
use crate::providers::kit::convert::{R, built, each, one};
use crate::providers::kit::iso_date;

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

pub(super) fn build(p: &Props) -> R<Lifecycle> {
    let rules = each(p, "Rules", schema::RULE, rule)?.unwrap_or_default();
    let config = BucketLifecycleConfiguration::builder().set_rules(Some(rules));
    let size = p.str("TransitionDefaultMinimumObjectSize")?;
    Ok((
        built(p, config.build())?,
        size.map(|s| TransitionDefaultMinimumObjectSize::from(s.as_str())),
    ))
}

/// A rule: the generated conversion, then its expiration, filter and singular spellings.
fn rule(r: &Props) -> R<LifecycleRule> {
    let mut rule = schema::lifecycle_rule(r)?;
    let (days, when) = (r.i32("ExpirationInDays")?, r.date("ExpirationDate")?);
    let marker = r.bool("ExpiredObjectDeleteMarker")?;
    if days.is_some() || when.is_some() || marker.is_some() {
        let e = LifecycleExpiration::builder().set_days(days).set_date(when);
        rule.expiration = Some(e.set_expired_object_delete_marker(marker).build());
    }
    if let Some(t) = one(r, "Transition", schema::TRANSITION, schema::transition)? {
        rule.transitions.get_or_insert_with(Vec::new).push(t);
    }
    let (key, keys) = (
        "NoncurrentVersionTransition",
        schema::NONCURRENT_VERSION_TRANSITION,
    );
    if let Some(t) = one(r, key, keys, schema::noncurrent_version_transition)? {
        rule.noncurrent_version_transitions
            .get_or_insert_with(Vec::new)
            .push(t);
    }
    if rule.noncurrent_version_expiration.is_none() {
        let days = r.i32("NoncurrentVersionExpirationInDays")?;
        let expire = days.map(|d| NoncurrentVersionExpiration::builder().noncurrent_days(d));
        rule.noncurrent_version_expiration = expire.map(|e| e.build());
    }
    rule.filter = Some(filter(r)?);
    Ok(rule)
}

/// The rule's `Filter`: its prefix, tags and sizes, alone or under `And`.
fn filter(r: &Props) -> R<LifecycleRuleFilter> {
    let prefix = r.str("Prefix")?;
    let tags = r.tags("TagFilters")?;
    let tags: Vec<Tag> = tags
        .iter()
        .map(|(k, v)| built(r, Tag::builder().key(k).value(v).build()))
        .collect::<Result<_, _>>()?;
    let gt = r.i64("ObjectSizeGreaterThan")?;
    let lt = r.i64("ObjectSizeLessThan")?;
    let given = [prefix.is_some(), gt.is_some(), lt.is_some()];
    let criteria = tags.len() + given.into_iter().filter(|given| *given).count();
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
    let rules = previous.and_then(|p| p.get("Rules")?.as_array());
    // The rule last applied: the one of the same `Id`, else the one at the same place.
    let last = |i: usize, r: &LifecycleRule| {
        let id = |p: &&Value| p.get("Id").and_then(Value::as_str) == r.id();
        rules?.iter().find(id).or_else(|| rules?.get(i))
    };
    let observe = |(i, r): (usize, &LifecycleRule)| rule_json(r, last(i, r));
    let rules: Vec<Value> = got.rules().iter().enumerate().map(observe).collect();
    let size = got.transition_default_minimum_object_size();
    json!({"Rules": rules, "TransitionDefaultMinimumObjectSize": size.map(|s| s.as_str())})
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
    let mut out = schema::report_lifecycle_rule(r);
    let by_hand = json!({
        "Prefix": prefix.filter(|p| !p.is_empty()),
        "TagFilters": (!tags.is_empty()).then_some(tags),
        "ObjectSizeGreaterThan": gt.map(|n| n.to_string()),
        "ObjectSizeLessThan": lt.map(|n| n.to_string()),
        "ExpirationInDays": e.and_then(|e| e.days()),
        "ExpirationDate": e.and_then(|e| e.date()).map(iso_date),
    });
    if let (Some(out), Value::Object(by_hand)) = (out.as_object_mut(), by_hand) {
        out.extend(by_hand.into_iter().filter(|(_, v)| !v.is_null()));
        for key in WRITE_ONLY {
            if let Some(v) = last.and_then(|l| l.get(key)) {
                out.insert(key.to_owned(), v.clone());
            }
        }
    }
    out
}
