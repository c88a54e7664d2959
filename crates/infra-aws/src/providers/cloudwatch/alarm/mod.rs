//! `AWS::CloudWatch::Alarm`: a metric alarm, on one metric (`MetricName`, `Namespace`,
//! `Statistic`, `Dimensions`, ...) or on metric math (`Metrics`), with its actions.
//!
//! - **Create**: DescribeAlarms for the name first (PutMetricAlarm is an upsert and would
//!   overwrite someone else's alarm: a taken name is adopted only when the alarm carries this
//!   resource's `infra:*` tags), then PutMetricAlarm with every property and the tags.
//! - **Update**: PutMetricAlarm again with the whole document (it replaces the alarm's
//!   configuration); PutMetricAlarm ignores tags for an existing alarm, so tag changes are
//!   TagResource / UntagResource. `AlarmName` is create-only (replacement).
//! - **Delete**: DeleteAlarms; `ResourceNotFound` is success.
//! - **Read**: DescribeAlarms by `AlarmNames`, 100 names a call, metric alarms only, pages
//!   followed; tags (ListTagsForResource) per alarm only when infra manages `Tags`.
//! - **Find**: DescribeAlarms for the name the create used, then ListTagsForResource: only an
//!   alarm with the create's `infra:*` tags counts.
//!
//! `Ref` is the name; `Fn::GetAtt Arn` is `AlarmArn`. Refused (the SDK in use cannot send
//! them): `ActionConfiguration`, `EvaluationCriteria`, `EvaluationInterval`,
//! `EvaluationWindow`, `WarmUpConfiguration`. Properties are read and reported by [`spec`],
//! and PutMetricAlarm's request is filled, with conversions generated from the schema
//! (`mappings/cloudwatch.toml`).

mod spec;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_cloudwatch::types::{AlarmType, MetricAlarm, Tag};

use super::Cw;
use crate::generated::cloudwatch::{ALARM, put_metric_alarm};
use crate::providers::kit::tag_pairs;

pub(crate) const TYPE: &str = "AWS::CloudWatch::Alarm";

/// DescribeAlarms takes at most 100 alarm names.
const NAMES_PER_CALL: usize = 100;

/// The alarm provider.
#[derive(Debug)]
pub(crate) struct AlarmProvider {
    pub(crate) cw: Cw,
}

impl AlarmProvider {
    /// DescribeAlarms for `names` (at most [`NAMES_PER_CALL`]), pages followed.
    async fn describe(&self, ctx: Ctx<'_>, names: &[String]) -> R<Vec<MetricAlarm>> {
        let alarms = kit::pages(|token| async move {
            let request = self.cw.client.describe_alarms();
            let request = (request.set_alarm_names(Some(names.to_vec())))
                .alarm_types(AlarmType::MetricAlarm)
                .set_next_token(token);
            let doing = format!("reading {} alarm(s)", names.len());
            let page = send!(&self.cw, ctx, request, doing)?;
            Ok((page.metric_alarms.unwrap_or_default(), page.next_token))
        });
        // Exact names only, whatever the endpoint does with the filter.
        let named = |a: &MetricAlarm| a.alarm_name().is_some_and(|n| names.iter().any(|x| x == n));
        Ok(alarms.await?.into_iter().filter(named).collect())
    }

    async fn describe_one(&self, ctx: Ctx<'_>, name: &str) -> R<Option<MetricAlarm>> {
        Ok(self.describe(ctx, &[name.to_owned()]).await?.pop())
    }

    async fn tags_of(&self, ctx: Ctx<'_>, arn: &str) -> R<BTreeMap<String, String>> {
        let request = self.cw.client.list_tags_for_resource().resource_arn(arn);
        let out = send!(&self.cw, ctx, request, "reading the tags")?;
        Ok(tag_pairs(out.tags(), |t| (t.key(), t.value())))
    }

    /// PutMetricAlarm with the whole alarm of the template's `properties` under `name` (tags
    /// count only for a new alarm).
    async fn put(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        properties: &Value,
        tags: &BTreeMap<String, String>,
    ) -> R<()> {
        let p = Props::root(properties, ctx, ALARM)?;
        let request = put_metric_alarm(&p, self.cw.client.put_metric_alarm())?
            .alarm_name(name)
            .set_tags(Some(tags.iter().map(sdk_tag).collect()));
        let doing = format!("writing alarm {name}");
        send!(&self.cw, ctx, request, doing).map(drop)
    }

    /// TagResource / UntagResource from the tags `before` to `after`.
    async fn retag(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
    ) -> R<()> {
        let (cw, c) = (&self.cw, &self.cw.client);
        let untag = |remove| async move {
            let request = c.untag_resource().resource_arn(arn);
            let request = request.set_tag_keys(Some(remove));
            send!(cw, ctx, request, "removing tags").map(drop)
        };
        let tag = |set: BTreeMap<String, String>| async move {
            let request = c.tag_resource().resource_arn(arn);
            let request = request.set_tags(Some(set.iter().map(sdk_tag).collect()));
            send!(cw, ctx, request, "setting tags").map(drop)
        };
        kit::retag(before, after, untag, tag).await
    }

    /// The alarm `name` a create or update wrote, once DescribeAlarms shows it.
    async fn written(&self, ctx: Ctx<'_>, name: &str) -> R<MetricAlarm> {
        let alarm = kit::poll(kit::PROPAGATION_TIMEOUT, || self.describe_one(ctx, name)).await?;
        alarm.ok_or_else(|| {
            let message = format!("alarm {name} was written but DescribeAlarms does not show it");
            ctx.error(FailureClass::EventuallyConsistent, message)
        })
    }
}

/// A tag in CloudWatch's shape.
fn sdk_tag((key, value): (&String, &String)) -> Tag {
    Tag::builder().key(key).value(value).build()
}

fn output(name: &str, alarm: &MetricAlarm) -> ResourceOutput {
    output_of(name, [("Arn", json!(alarm.alarm_arn()))])
}

fn arn_of<'a>(ctx: Ctx<'_>, alarm: &'a MetricAlarm) -> R<&'a str> {
    alarm
        .alarm_arn()
        .ok_or_else(|| ctx.fatal("DescribeAlarms gave no ARN for the alarm"))
}

impl kit::Provider for AlarmProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeAlarms by AlarmNames (100 per call, pages followed); tags per alarm when managed",
        Find::Name,
        "DescribeAlarms of AlarmName, infra tags checked (ListTagsForResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let (alarm, template_tags) = spec::parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, alarm.alarm_name.as_ref(), input, "AlarmName")?;
        let tags = merge_tags(&template_tags, &input.tags);
        let existing = match self.describe_one(ctx, &name).await? {
            Some(found) => {
                let arn = arn_of(ctx, &found)?.to_owned();
                let found_tags = self.tags_of(ctx, &arn).await?;
                if !owned_by(&found_tags, &input.tags) {
                    let doing = format!("creating alarm {name}");
                    return Err(kit::not_ours(ctx, &doing, "an alarm", "AlarmName"));
                }
                Some((arn, found_tags))
            }
            None => None,
        };
        self.put(ctx, &name, &input.properties, &tags).await?;
        if let Some((arn, found_tags)) = existing {
            // An earlier attempt made it: PutMetricAlarm left its tags as they were.
            self.retag(ctx, &arn, &found_tags, &tags).await?;
        }
        Ok(output(&name, &self.written(ctx, &name).await?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (_, before_tags) = spec::parse(&input.before, ctx)?;
        let (_, after_tags) = spec::parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        let after = merge_tags(&after_tags, &input.tags);
        self.put(ctx, name, &input.after, &after).await?;
        let alarm = self.written(ctx, name).await?;
        if before_tags != after_tags {
            let before = merge_tags(&before_tags, &input.tags);
            self.retag(ctx, arn_of(ctx, &alarm)?, &before, &after)
                .await?;
        }
        Ok(output(name, &alarm))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
        let name = input.physical_id.as_str();
        let request = self.cw.client.delete_alarms().alarm_names(name);
        let doing = format!("deleting alarm {name}");
        request.send().deleted(&self.cw, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let names: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let describe = |batch: Vec<String>| async move { self.describe(ctx, &batch).await };
        let found = kit::in_batches(&names, NAMES_PER_CALL, describe, MetricAlarm::alarm_name);
        let found = found.await?;
        let mut out = BTreeMap::new();
        for item in items {
            let (ctx, address) = (Ctx::new(TYPE, &item.address), item.address.clone());
            let Some(alarm) = found.get(&item.physical_id) else {
                out.insert(address, Observation::Gone);
                continue;
            };
            let rendered = spec::render(alarm);
            let mut properties = Map::new();
            for key in managed_keys(&item.properties) {
                if key == "Tags" {
                    let tags = self.tags_of(ctx, arn_of(ctx, alarm)?).await?;
                    properties.insert(key, observed_tags(&tags, item.properties.get("Tags")));
                } else if let Some(v) = spec::observed(&rendered, &item.properties, &key) {
                    properties.insert(key, v);
                }
            }
            let seen = Observation::Present {
                properties: Value::Object(properties),
                attributes: output(&item.physical_id, alarm).attributes,
            };
            out.insert(address, seen);
        }
        Ok(out)
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "AlarmName", ctx)?;
        let Some(alarm) = self.describe_one(ctx, &name).await? else {
            return Ok(None);
        };
        let tags = self.tags_of(ctx, arn_of(ctx, &alarm)?).await?;
        Ok(owned_by(&tags, &input.tags).then(|| output(&name, &alarm)))
    }
}
