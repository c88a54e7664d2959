//! `AWS::AutoScaling::AutoScalingGroup` reading: DescribeAutoScalingGroups (batched, pages
//! followed), the group's `Fn::GetAtt` attributes and the properties refresh reports.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_autoscaling::types::{AutoScalingGroup, LaunchTemplateSpecification};
use serde_json::{Map, Value, json};

use super::{AutoScalingGroupProvider, TYPE};
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::compute::same_value;
use crate::providers::kit::{
    Ctx, INFRA_TAG_PREFIX, managed_keys, observed_scalar, observed_set, scalar_text,
};

/// Names per DescribeAutoScalingGroups call.
pub(super) const NAMES_PER_CALL: usize = 50;

/// The status of a group being deleted.
pub(super) const DELETE_IN_PROGRESS: &str = "Delete in progress";

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
        let found = self.describe(ctx, &[name.to_owned()]).await?;
        Ok(found
            .into_iter()
            .find(|g| g.auto_scaling_group_name() == Some(name))
            .filter(|g| !being_deleted(g)))
    }

    /// DescribeAutoScalingGroups of up to [`NAMES_PER_CALL`] names, pages followed.
    pub(super) async fn describe(
        &self,
        ctx: Ctx<'_>,
        names: &[String],
    ) -> Result<Vec<AutoScalingGroup>, ProviderError> {
        let mut found = Vec::new();
        let mut pages = self
            .svc
            .client
            .describe_auto_scaling_groups()
            .set_auto_scaling_group_names(Some(names.to_vec()))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => found.extend(page.auto_scaling_groups().iter().cloned()),
                Err(e) => {
                    return Err(self.svc.fail(
                        ctx,
                        "DescribeAutoScalingGroups",
                        format!("reading group(s) {}", names.join(", ")),
                        e,
                    ));
                }
            }
        }
        Ok(found)
    }
}

impl AutoScalingGroupProvider {
    pub(super) async fn read_batch(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let Some(first) = items.first() else {
            return Ok(BTreeMap::new());
        };
        let ctx = Ctx::new(TYPE, &first.address);
        let mut names: Vec<String> = Vec::new();
        for item in items {
            if !item.physical_id.is_empty() && !names.contains(&item.physical_id) {
                names.push(item.physical_id.clone());
            }
        }
        let mut found: BTreeMap<String, AutoScalingGroup> = BTreeMap::new();
        for chunk in names.chunks(NAMES_PER_CALL) {
            for group in self.describe(ctx, chunk).await? {
                if let Some(name) = group.auto_scaling_group_name()
                    && chunk.iter().any(|n| n == name)
                    && !being_deleted(&group)
                {
                    found.insert(name.to_owned(), group);
                }
            }
        }
        Ok(items
            .iter()
            .map(|item| {
                let observation = match found.get(&item.physical_id) {
                    None => Observation::Gone,
                    Some(group) => Observation::Present {
                        properties: observe(item, group),
                        attributes: attributes(group),
                    },
                };
                (item.address.clone(), observation)
            })
            .collect())
    }
}

pub(super) fn output(group: &AutoScalingGroup) -> ResourceOutput {
    ResourceOutput {
        physical_id: group
            .auto_scaling_group_name()
            .unwrap_or_default()
            .to_owned(),
        attributes: attributes(group),
    }
}

pub(super) fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

/// `Fn::GetAtt` values (see the module comment); numbers as strings where the schema types
/// them as strings (`MinSize`, `MaxSize`, `DesiredCapacity`, `Cooldown`).
pub(super) fn attributes(group: &AutoScalingGroup) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            out.insert(key.to_owned(), value);
        }
    };
    let text = |s: Option<&str>| s.map(|s| Value::String(s.to_owned()));
    let num_text = |n: Option<i32>| n.map(|n| Value::String(n.to_string()));
    put("AutoScalingGroupARN", text(group.auto_scaling_group_arn()));
    put(
        "AutoScalingGroupName",
        text(group.auto_scaling_group_name()),
    );
    put("MinSize", num_text(group.min_size()));
    put("MaxSize", num_text(group.max_size()));
    put("DesiredCapacity", num_text(group.desired_capacity()));
    put("Cooldown", num_text(group.default_cooldown()));
    put("HealthCheckType", text(group.health_check_type()));
    put(
        "HealthCheckGracePeriod",
        group.health_check_grace_period().map(Value::from),
    );
    put(
        "DefaultInstanceWarmup",
        group.default_instance_warmup().map(Value::from),
    );
    put(
        "MaxInstanceLifetime",
        group.max_instance_lifetime().map(Value::from),
    );
    put(
        "NewInstancesProtectedFromScaleIn",
        group
            .new_instances_protected_from_scale_in()
            .map(Value::from),
    );
    put(
        "CapacityRebalance",
        group.capacity_rebalance().map(Value::from),
    );
    put("PlacementGroup", text(group.placement_group()));
    put(
        "ServiceLinkedRoleARN",
        text(group.service_linked_role_arn()),
    );
    put(
        "LaunchConfigurationName",
        text(group.launch_configuration_name()),
    );
    put("Context", text(group.context()));
    put("DesiredCapacityType", text(group.desired_capacity_type()));
    if let Some(lt) = group.launch_template() {
        put(
            "LaunchTemplate.LaunchTemplateId",
            text(lt.launch_template_id()),
        );
        put(
            "LaunchTemplate.LaunchTemplateName",
            text(lt.launch_template_name()),
        );
        put("LaunchTemplate.Version", text(lt.version()));
    }
    put(
        "VPCZoneIdentifier",
        group
            .vpc_zone_identifier()
            .filter(|s| !s.is_empty())
            .map(|s| strings(&split_zones(s))),
    );
    put(
        "AvailabilityZones",
        Some(strings(group.availability_zones())),
    );
    put("TargetGroupARNs", Some(strings(group.target_group_arns())));
    put(
        "LoadBalancerNames",
        Some(strings(group.load_balancer_names())),
    );
    put(
        "TerminationPolicies",
        Some(strings(group.termination_policies())),
    );
    out
}

pub(super) fn split_zones(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What refresh reports for one group (see the module comment).
pub(super) fn observe(item: &ReadInput, group: &AutoScalingGroup) -> Value {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if managed.contains(key)
            && let Some(value) = value
        {
            props.insert(key.to_owned(), value);
        }
    };
    let scalar = |key: &str, v: Option<Value>| v.map(|v| observed_scalar(v, prev(key)));
    let list = |key: &str, items: &[String]| Some(observed_set(items.to_vec(), prev(key)));

    put(
        "AutoScalingGroupName",
        scalar(
            "AutoScalingGroupName",
            group.auto_scaling_group_name().map(Value::from),
        ),
    );
    put(
        "MinSize",
        scalar("MinSize", group.min_size().map(Value::from)),
    );
    put(
        "MaxSize",
        scalar("MaxSize", group.max_size().map(Value::from)),
    );
    put(
        "DesiredCapacity",
        scalar("DesiredCapacity", group.desired_capacity().map(Value::from)),
    );
    put(
        "LaunchTemplate",
        group
            .launch_template()
            .map(|lt| observed_launch_template(lt, prev("LaunchTemplate"))),
    );
    put(
        "LaunchConfigurationName",
        scalar(
            "LaunchConfigurationName",
            group.launch_configuration_name().map(Value::from),
        ),
    );
    put(
        "VPCZoneIdentifier",
        group
            .vpc_zone_identifier()
            .map(|zones| match prev("VPCZoneIdentifier") {
                Some(Value::String(s)) if split_zones(s) == split_zones(zones) => {
                    Value::String(s.clone())
                }
                previous => observed_set(split_zones(zones), previous),
            }),
    );
    put(
        "AvailabilityZones",
        list("AvailabilityZones", group.availability_zones()),
    );
    put(
        "HealthCheckType",
        scalar(
            "HealthCheckType",
            group.health_check_type().map(Value::from),
        ),
    );
    put(
        "HealthCheckGracePeriod",
        scalar(
            "HealthCheckGracePeriod",
            group.health_check_grace_period().map(Value::from),
        ),
    );
    put(
        "Cooldown",
        scalar("Cooldown", group.default_cooldown().map(Value::from)),
    );
    put(
        "DefaultInstanceWarmup",
        scalar(
            "DefaultInstanceWarmup",
            group.default_instance_warmup().map(Value::from),
        ),
    );
    put(
        "MaxInstanceLifetime",
        scalar(
            "MaxInstanceLifetime",
            group.max_instance_lifetime().map(Value::from),
        ),
    );
    put(
        "NewInstancesProtectedFromScaleIn",
        scalar(
            "NewInstancesProtectedFromScaleIn",
            group
                .new_instances_protected_from_scale_in()
                .map(Value::from),
        ),
    );
    put(
        "CapacityRebalance",
        scalar(
            "CapacityRebalance",
            group.capacity_rebalance().map(Value::from),
        ),
    );
    put(
        "TerminationPolicies",
        Some(match prev("TerminationPolicies") {
            Some(p) if same_value(Some(p), Some(&strings(group.termination_policies()))) => {
                p.clone()
            }
            _ => strings(group.termination_policies()),
        }),
    );
    put(
        "TargetGroupARNs",
        list("TargetGroupARNs", group.target_group_arns()),
    );
    put(
        "LoadBalancerNames",
        list("LoadBalancerNames", group.load_balancer_names()),
    );
    put(
        "PlacementGroup",
        scalar("PlacementGroup", group.placement_group().map(Value::from)),
    );
    put(
        "ServiceLinkedRoleARN",
        scalar(
            "ServiceLinkedRoleARN",
            group.service_linked_role_arn().map(Value::from),
        ),
    );
    put(
        "Context",
        scalar("Context", group.context().map(Value::from)),
    );
    put(
        "DesiredCapacityType",
        scalar(
            "DesiredCapacityType",
            group.desired_capacity_type().map(Value::from),
        ),
    );
    put(
        "InstanceMaintenancePolicy",
        group.instance_maintenance_policy().map(|p| {
            let observed = json!({
                "MinHealthyPercentage": p.min_healthy_percentage(),
                "MaxHealthyPercentage": p.max_healthy_percentage(),
            });
            match prev("InstanceMaintenancePolicy") {
                Some(previous) if same_value(Some(previous), Some(&observed)) => previous.clone(),
                _ => observed,
            }
        }),
    );
    put(
        "MetricsCollection",
        Some(observed_metrics(group, prev("MetricsCollection"))),
    );
    put("Tags", Some(observed_tags(group, prev("Tags"))));
    // Reported as last applied (see the module comment).
    for key in [
        "MixedInstancesPolicy",
        "AvailabilityZoneDistribution",
        "AvailabilityZoneImpairmentPolicy",
        "CapacityReservationSpecification",
        "InstanceLifecyclePolicy",
        "SkipZonalShiftValidation",
    ] {
        put(key, prev(key).cloned());
    }
    Value::Object(props)
}

pub(super) fn observed_launch_template(
    lt: &LaunchTemplateSpecification,
    previous: Option<&Value>,
) -> Value {
    let mut map = Map::new();
    let by_name = previous.is_some_and(|p| p.get("LaunchTemplateName").is_some())
        && previous.is_some_and(|p| p.get("LaunchTemplateId").is_none());
    if by_name {
        if let Some(name) = lt.launch_template_name() {
            map.insert("LaunchTemplateName".into(), Value::from(name));
        }
    } else if let Some(id) = lt.launch_template_id() {
        map.insert("LaunchTemplateId".into(), Value::from(id));
    }
    if let Some(version) = lt.version() {
        map.insert("Version".into(), Value::from(version));
    }
    let observed = Value::Object(map);
    match previous {
        Some(p) if same_value(Some(p), Some(&observed)) => p.clone(),
        _ => observed,
    }
}

/// `MetricsCollection` as observed: the previous value when the same metrics are enabled at
/// its granularity (a previous entry without `Metrics` asks for every metric).
pub(super) fn observed_metrics(group: &AutoScalingGroup, previous: Option<&Value>) -> Value {
    let mut by_granularity: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in group.enabled_metrics() {
        by_granularity
            .entry(m.granularity().unwrap_or("1Minute").to_owned())
            .or_default()
            .extend(m.metric().map(str::to_owned));
    }
    let observed = Value::Array(
        by_granularity
            .iter()
            .map(|(g, metrics)| json!({"Granularity": g, "Metrics": metrics}))
            .collect(),
    );
    let Some(prev) = previous else {
        return observed;
    };
    let matches = prev.as_array().is_some_and(|entries| {
        entries.len() == by_granularity.len()
            && entries.iter().all(|entry| {
                let Some(g) = entry.get("Granularity").and_then(scalar_text) else {
                    return false;
                };
                let Some(enabled) = by_granularity.get(&g) else {
                    return false;
                };
                match entry.get("Metrics").and_then(Value::as_array) {
                    None => !enabled.is_empty(),
                    Some(wanted) if wanted.is_empty() => !enabled.is_empty(),
                    Some(wanted) => {
                        wanted
                            .iter()
                            .filter_map(scalar_text)
                            .collect::<BTreeSet<_>>()
                            == *enabled
                    }
                }
            })
    });
    if matches { prev.clone() } else { observed }
}

/// `Tags` as observed, without infra's and AWS's; the previous value when it holds the same
/// tags.
pub(super) fn observed_tags(group: &AutoScalingGroup, previous: Option<&Value>) -> Value {
    let found: BTreeMap<String, (String, bool)> = group
        .tags()
        .iter()
        .filter_map(|t| {
            let key = t.key()?;
            (!key.starts_with(INFRA_TAG_PREFIX) && !key.starts_with("aws:")).then(|| {
                (
                    key.to_owned(),
                    (
                        t.value().unwrap_or_default().to_owned(),
                        t.propagate_at_launch().unwrap_or(false),
                    ),
                )
            })
        })
        .collect();
    let previous_set: Option<BTreeMap<String, (String, bool)>> =
        previous.and_then(Value::as_array).map(|items| {
            items
                .iter()
                .filter_map(|t| {
                    let propagate = match t.get("PropagateAtLaunch") {
                        Some(Value::Bool(b)) => *b,
                        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
                        _ => false,
                    };
                    Some((
                        scalar_text(t.get("Key")?)?,
                        (
                            t.get("Value").and_then(scalar_text).unwrap_or_default(),
                            propagate,
                        ),
                    ))
                })
                .collect()
        });
    match (previous, previous_set) {
        (Some(prev), Some(set)) if set == found => prev.clone(),
        _ => Value::Array(
            found
                .iter()
                .map(|(k, (v, p))| json!({"Key": k, "Value": v, "PropagateAtLaunch": p}))
                .collect(),
        ),
    }
}
