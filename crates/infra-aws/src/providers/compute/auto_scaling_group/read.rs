//! `AWS::AutoScaling::AutoScalingGroup` reading: DescribeAutoScalingGroups (batched, pages
//! followed), the group's `Fn::GetAtt` attributes and the properties refresh reports (the
//! group's values in the template's spelling generated from the schema,
//! `crates/infra-aws/mappings/autoscaling.toml`; the lists, launch template, metrics and tags
//! here).

use std::collections::{BTreeMap, BTreeSet};

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::types::{AutoScalingGroup, LaunchTemplateSpecification as Lt};

use super::{AutoScalingGroupProvider, TYPE};
use crate::generated::autoscaling::report_auto_scaling_group;
use crate::providers::compute::batch;
use crate::providers::kit::as_written;
use crate::providers::kit::convert::put;
use crate::providers::kit::{INFRA_TAG_PREFIX, in_batches, present_or_gone};

/// Names per DescribeAutoScalingGroups call.
pub(super) const NAMES_PER_CALL: usize = 50;

/// The status of a group being deleted.
const DELETE_IN_PROGRESS: &str = "Delete in progress";

pub(super) fn being_deleted(group: &AutoScalingGroup) -> bool {
    group.status() == Some(DELETE_IN_PROGRESS)
}

impl AutoScalingGroupProvider {
    /// DescribeAutoScalingGroups of one name; `None` when it does not exist or is being
    /// deleted.
    pub(super) async fn describe_one(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<AutoScalingGroup>, ProviderError> {
        let found = self.described(ctx, name).await?;
        Ok(found.filter(|g| !being_deleted(g)))
    }

    /// DescribeAutoScalingGroups of one name, whatever its status; `None` when it is gone.
    pub(super) async fn described(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<AutoScalingGroup>, ProviderError> {
        let found = self.describe(ctx, &[name.to_owned()]).await?;
        Ok(found
            .into_iter()
            .find(|g| g.auto_scaling_group_name() == Some(name)))
    }

    /// DescribeAutoScalingGroups of up to [`NAMES_PER_CALL`] names, pages followed.
    pub(super) async fn describe(
        &self,
        ctx: Ctx<'_>,
        names: &[String],
    ) -> Result<Vec<AutoScalingGroup>, ProviderError> {
        let request = self.svc.client.describe_auto_scaling_groups();
        let request = request.set_auto_scaling_group_names(Some(names.to_vec()));
        let groups = request.into_paginator().items().send().try_collect().await;
        groups.map_err(|e| {
            let doing = format!("reading group(s) {}", names.join(", "));
            self.svc.fail(ctx, doing, e)
        })
    }

    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> Reads {
        let Some((ctx, names)) = batch(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let describe = |chunk: Vec<String>| async move { self.describe(ctx, &chunk).await };
        let name_of = AutoScalingGroup::auto_scaling_group_name;
        let found = in_batches(&names, NAMES_PER_CALL, describe, name_of).await?;
        Ok(present_or_gone(items, |item| {
            let group = found.get(&item.physical_id).filter(|g| !being_deleted(g))?;
            Some(Observation::Present {
                properties: observe(item, group),
                attributes: attributes(group),
            })
        }))
    }
}

pub(super) fn output(group: &AutoScalingGroup) -> ResourceOutput {
    let (name, attributes) = (group.auto_scaling_group_name(), attributes(group));
    let physical_id = name.unwrap_or_default().to_owned();
    ResourceOutput {
        physical_id,
        attributes,
    }
}

pub(super) fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

/// The group's own values as the template spells them (generated from the schema): every
/// scalar, and `InstanceMaintenancePolicy`.
fn reported(group: &AutoScalingGroup) -> Map<String, Value> {
    let reported = report_auto_scaling_group(group);
    reported.as_object().cloned().unwrap_or_default()
}

/// `Fn::GetAtt` values (see the module comment): the group's scalars, numbers as strings where
/// the schema types them as strings (`MinSize`, `MaxSize`, `DesiredCapacity`, `Cooldown`), its
/// ARN, its launch template's parts and its lists.
pub(super) fn attributes(group: &AutoScalingGroup) -> BTreeMap<String, Value> {
    const TEXT: [&str; 4] = ["MinSize", "MaxSize", "DesiredCapacity", "Cooldown"];
    let mut out: BTreeMap<String, Value> = reported(group)
        .into_iter()
        .filter(|(_, v)| !v.is_object())
        .map(|(k, v)| match v {
            Value::Number(n) if TEXT.contains(&k.as_str()) => (k, Value::String(n.to_string())),
            v => (k, v),
        })
        .collect();
    let lt = |part: fn(&Lt) -> Option<&str>| group.launch_template().and_then(part);
    let texts = [
        ("AutoScalingGroupARN", group.auto_scaling_group_arn()),
        (
            "LaunchTemplate.LaunchTemplateId",
            lt(Lt::launch_template_id),
        ),
        (
            "LaunchTemplate.LaunchTemplateName",
            lt(Lt::launch_template_name),
        ),
        ("LaunchTemplate.Version", lt(Lt::version)),
    ];
    out.extend(texts.map(|(key, value)| (key.to_owned(), Value::from(value))));
    out.retain(|_, v| !v.is_null());
    if let Some(zones) = group.vpc_zone_identifier().filter(|s| !s.is_empty()) {
        out.insert("VPCZoneIdentifier".into(), strings(&split_zones(zones)));
    }
    let policies = ("TerminationPolicies", group.termination_policies());
    for (key, items) in lists(group).into_iter().chain([policies]) {
        out.insert(key.to_owned(), strings(items));
    }
    out
}

/// The lists refresh reports as sets (in the last applied order when they hold the same).
fn lists(group: &AutoScalingGroup) -> [(&'static str, &[String]); 3] {
    [
        ("AvailabilityZones", group.availability_zones()),
        ("TargetGroupARNs", group.target_group_arns()),
        ("LoadBalancerNames", group.load_balancer_names()),
    ]
}

pub(super) fn split_zones(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What refresh reports for one group (see the module comment): the keys infra manages, each
/// in the last applied spelling when it says the same.
pub(super) fn observe(item: &ReadInput, group: &AutoScalingGroup) -> Value {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let reported = reported(group).into_iter();
    let mut props: Map<String, Value> = reported
        .map(|(k, v)| (k.clone(), as_written(v, prev(&k))))
        .collect();
    let zones = group
        .vpc_zone_identifier()
        .map(|zones| match prev("VPCZoneIdentifier") {
            Some(Value::String(s)) if split_zones(s) == split_zones(zones) => {
                Value::String(s.clone())
            }
            previous => observed_set(split_zones(zones), previous),
        });
    put(&mut props, "VPCZoneIdentifier", zones);
    for (key, items) in lists(group) {
        props.insert(key.into(), observed_set(items.to_vec(), prev(key)));
    }
    let policies = strings(group.termination_policies());
    let policies = as_written(policies, prev("TerminationPolicies"));
    props.insert("TerminationPolicies".into(), policies);
    let lt = group.launch_template();
    let lt = lt.map(|lt| observed_launch_template(lt, prev("LaunchTemplate")));
    put(&mut props, "LaunchTemplate", lt);
    let metrics = observed_metrics(group, prev("MetricsCollection"));
    props.insert("MetricsCollection".into(), metrics);
    props.insert("Tags".into(), observed_tags(group, prev("Tags")));
    // Reported as last applied (see the module comment).
    for key in [
        "MixedInstancesPolicy",
        "AvailabilityZoneDistribution",
        "AvailabilityZoneImpairmentPolicy",
        "CapacityReservationSpecification",
        "InstanceLifecyclePolicy",
        "SkipZonalShiftValidation",
    ] {
        put(&mut props, key, prev(key).cloned());
    }
    props.retain(|k, _| managed.contains(k));
    Value::Object(props)
}

pub(super) fn observed_launch_template(lt: &Lt, previous: Option<&Value>) -> Value {
    let by_name = previous.is_some_and(|p| {
        p.get("LaunchTemplateName").is_some() && p.get("LaunchTemplateId").is_none()
    });
    let (key, named) = if by_name {
        ("LaunchTemplateName", lt.launch_template_name())
    } else {
        ("LaunchTemplateId", lt.launch_template_id())
    };
    let mut map = Map::new();
    put(&mut map, key, named.map(Value::from));
    put(&mut map, "Version", lt.version().map(Value::from));
    as_written(Value::Object(map), previous)
}

/// `MetricsCollection` as observed: the previous value when the same metrics are enabled at
/// its granularity (a previous entry without `Metrics`, or with none, asks for every metric).
pub(super) fn observed_metrics(group: &AutoScalingGroup, previous: Option<&Value>) -> Value {
    let mut enabled: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in group.enabled_metrics() {
        let granularity = m.granularity().unwrap_or("1Minute").to_owned();
        (enabled.entry(granularity).or_default()).extend(m.metric().map(str::to_owned));
    }
    let same_entry = |entry: &Value| {
        let granularity = entry.get("Granularity").and_then(scalar_text);
        let Some(on) = granularity.and_then(|g| enabled.get(&g)) else {
            return false;
        };
        let wanted = entry.get("Metrics").and_then(Value::as_array);
        match wanted.filter(|w| !w.is_empty()) {
            Some(wanted) => {
                wanted
                    .iter()
                    .filter_map(scalar_text)
                    .collect::<BTreeSet<_>>()
                    == *on
            }
            None => !on.is_empty(),
        }
    };
    let entries = previous.and_then(Value::as_array);
    if entries.is_some_and(|e| e.len() == enabled.len() && e.iter().all(same_entry)) {
        return previous.cloned().unwrap_or_default();
    }
    let entries = enabled
        .iter()
        .map(|(g, m)| json!({"Granularity": g, "Metrics": m}));
    Value::Array(entries.collect())
}

/// `Tags` as observed, without infra's and AWS's; the previous value when it holds the same
/// tags.
pub(super) fn observed_tags(group: &AutoScalingGroup, previous: Option<&Value>) -> Value {
    type Tags = BTreeMap<String, (String, bool)>;
    let ours = |key: &&str| !key.starts_with(INFRA_TAG_PREFIX) && !key.starts_with("aws:");
    let found: Tags = (group.tags().iter())
        .filter_map(|t| {
            let value = t.value().unwrap_or_default().to_owned();
            let propagate = t.propagate_at_launch().unwrap_or(false);
            Some((t.key().filter(ours)?.to_owned(), (value, propagate)))
        })
        .collect();
    let entry = |t: &Value| {
        let text = |key: &str| t.get(key).and_then(scalar_text);
        let propagate = text("PropagateAtLaunch").is_some_and(|p| p.eq_ignore_ascii_case("true"));
        Some((text("Key")?, (text("Value").unwrap_or_default(), propagate)))
    };
    match previous.and_then(Value::as_array) {
        Some(items) if items.iter().filter_map(entry).collect::<Tags>() == found => {
            previous.cloned().unwrap_or_default()
        }
        _ => Value::Array(
            found
                .iter()
                .map(|(k, (v, p))| json!({"Key": k, "Value": v, "PropagateAtLaunch": p}))
                .collect(),
        ),
    }
}
