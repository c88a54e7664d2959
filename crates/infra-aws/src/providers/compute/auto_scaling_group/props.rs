//! `AWS::AutoScaling::AutoScalingGroup` properties: the supported and refused (`UNSUPPORTED`)
//! tables, the template's properties parsed into the API's types, the tags, and the
//! UpdateAutoScalingGroup request of what changed.

use std::collections::BTreeMap;

use aws_sdk_autoscaling::operation::update_auto_scaling_group::builders::UpdateAutoScalingGroupFluentBuilder;
use aws_sdk_autoscaling::types::{
    AvailabilityZoneDistribution, AvailabilityZoneImpairmentPolicy, CapacityDistributionStrategy,
    CapacityReservationPreference, CapacityReservationSpecification, CapacityReservationTarget,
    ImpairedZoneHealthCheckBehavior, InstanceLifecyclePolicy, InstanceMaintenancePolicy,
    InstancesDistribution, LaunchTemplate, LaunchTemplateOverrides, LaunchTemplateSpecification,
    MixedInstancesPolicy, RetentionAction, RetentionTriggers, Tag,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::kit::Ctx;
use crate::providers::kit::Props;

pub(super) const SUPPORTED: &[&str] = &[
    "AutoScalingGroupName",
    "AvailabilityZoneDistribution",
    "AvailabilityZoneImpairmentPolicy",
    "AvailabilityZones",
    "CapacityRebalance",
    "CapacityReservationSpecification",
    "Context",
    "Cooldown",
    "DefaultInstanceWarmup",
    "DesiredCapacity",
    "DesiredCapacityType",
    "HealthCheckGracePeriod",
    "HealthCheckType",
    "InstanceLifecyclePolicy",
    "InstanceMaintenancePolicy",
    "LaunchConfigurationName",
    "LaunchTemplate",
    "LoadBalancerNames",
    "MaxInstanceLifetime",
    "MaxSize",
    "MetricsCollection",
    "MinSize",
    "MixedInstancesPolicy",
    "NewInstancesProtectedFromScaleIn",
    "PlacementGroup",
    "ServiceLinkedRoleARN",
    "SkipZonalShiftValidation",
    "Tags",
    "TargetGroupARNs",
    "TerminationPolicies",
    "VPCZoneIdentifier",
];

pub(crate) const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "InstanceId",
        "creating a group from an existing instance is not supported by infra; use a \
         LaunchTemplate",
    ),
    (
        "LifecycleHookSpecificationList",
        "lifecycle hooks on the group are not supported by infra yet",
    ),
    (
        "NotificationConfiguration",
        "Auto Scaling notifications are not supported by infra yet",
    ),
    (
        "NotificationConfigurations",
        "Auto Scaling notifications are not supported by infra yet",
    ),
    (
        "TrafficSources",
        "traffic sources are not supported by infra yet; use TargetGroupARNs",
    ),
    (
        "AvailabilityZoneIds",
        "the Auto Scaling SDK infra is built with has no such parameter yet; use \
         VPCZoneIdentifier or AvailabilityZones",
    ),
    (
        "DeletionProtection",
        "the Auto Scaling SDK infra is built with has no such parameter yet",
    ),
];

/// Properties with no value to restore when removed: the API cannot unset them.
pub(super) const NOT_REMOVABLE: &[&str] = &[
    "AvailabilityZoneDistribution",
    "AvailabilityZoneImpairmentPolicy",
    "CapacityReservationSpecification",
    "Context",
    "InstanceLifecyclePolicy",
    "PlacementGroup",
    "ServiceLinkedRoleARN",
    "SkipZonalShiftValidation",
];

/// One entry of `Tags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AsgTag {
    pub(super) key: String,
    pub(super) value: String,
    pub(super) propagate: bool,
}

/// One entry of `MetricsCollection`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Metrics {
    pub(super) granularity: String,
    pub(super) metrics: Vec<String>,
}

/// A group as the template describes it, in the API's types.
#[derive(Debug, Clone, Default)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) min: i32,
    pub(super) max: i32,
    pub(super) desired: Option<i32>,
    pub(super) launch_template: Option<LaunchTemplateSpecification>,
    pub(super) launch_configuration: Option<String>,
    pub(super) mixed: Option<MixedInstancesPolicy>,
    pub(super) vpc_zone: Option<String>,
    pub(super) zones: Option<Vec<String>>,
    pub(super) health_check_type: Option<String>,
    pub(super) grace: Option<i32>,
    pub(super) cooldown: Option<i32>,
    pub(super) warmup: Option<i32>,
    pub(super) max_lifetime: Option<i32>,
    pub(super) protect: Option<bool>,
    pub(super) rebalance: Option<bool>,
    pub(super) termination: Option<Vec<String>>,
    pub(super) maintenance: Option<InstanceMaintenancePolicy>,
    pub(super) capacity_type: Option<String>,
    pub(super) placement_group: Option<String>,
    pub(super) service_role: Option<String>,
    pub(super) context: Option<String>,
    pub(super) zone_distribution: Option<AvailabilityZoneDistribution>,
    pub(super) impairment: Option<AvailabilityZoneImpairmentPolicy>,
    pub(super) reservation: Option<CapacityReservationSpecification>,
    pub(super) lifecycle: Option<InstanceLifecyclePolicy>,
    pub(super) skip_zonal_shift: Option<bool>,
    pub(super) target_groups: Vec<String>,
    pub(super) load_balancers: Vec<String>,
    pub(super) metrics: Vec<Metrics>,
    pub(super) tags: Vec<AsgTag>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::new(value, ctx, SUPPORTED, UNSUPPORTED)?;
    let min = p
        .i32("MinSize")?
        .ok_or_else(|| ctx.fatal("property MinSize is required"))?;
    let max = p
        .i32("MaxSize")?
        .ok_or_else(|| ctx.fatal("property MaxSize is required"))?;
    let vpc_zone = match p.get("VPCZoneIdentifier") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => Some(p.str_list("VPCZoneIdentifier")?.join(",")),
    };
    let launch_template = match p.get("LaunchTemplate") {
        None => None,
        Some(v) => {
            let path = p.at("LaunchTemplate");
            Some(launch_template_spec(&p.nested(v, &path, LT_SPEC, &[])?)?)
        }
    };
    let mixed = match p.get("MixedInstancesPolicy") {
        None => None,
        Some(v) => {
            let path = p.at("MixedInstancesPolicy");
            Some(mixed_instances_policy(&p.nested(
                v,
                &path,
                &["InstancesDistribution", "LaunchTemplate"],
                &[],
            )?)?)
        }
    };
    Ok(Spec {
        name: p.str("AutoScalingGroupName")?,
        min,
        max,
        desired: p.i32("DesiredCapacity")?,
        launch_template,
        launch_configuration: p.str("LaunchConfigurationName")?,
        mixed,
        vpc_zone,
        zones: p.strs("AvailabilityZones")?,
        health_check_type: p.str("HealthCheckType")?,
        grace: p.i32("HealthCheckGracePeriod")?,
        cooldown: p.i32("Cooldown")?,
        warmup: p.i32("DefaultInstanceWarmup")?,
        max_lifetime: p.i32("MaxInstanceLifetime")?,
        protect: p.bool("NewInstancesProtectedFromScaleIn")?,
        rebalance: p.bool("CapacityRebalance")?,
        termination: p.strs("TerminationPolicies")?,
        maintenance: nested(
            &p,
            "InstanceMaintenancePolicy",
            &["MaxHealthyPercentage", "MinHealthyPercentage"],
            |n| {
                Ok(InstanceMaintenancePolicy::builder()
                    .set_min_healthy_percentage(n.i32("MinHealthyPercentage")?)
                    .set_max_healthy_percentage(n.i32("MaxHealthyPercentage")?)
                    .build())
            },
        )?,
        capacity_type: p.str("DesiredCapacityType")?,
        placement_group: p.str("PlacementGroup")?,
        service_role: p.str("ServiceLinkedRoleARN")?,
        context: p.str("Context")?,
        zone_distribution: nested(
            &p,
            "AvailabilityZoneDistribution",
            &["CapacityDistributionStrategy"],
            |n| {
                Ok(AvailabilityZoneDistribution::builder()
                    .set_capacity_distribution_strategy(
                        n.str("CapacityDistributionStrategy")?
                            .map(|s| CapacityDistributionStrategy::from(s.as_str())),
                    )
                    .build())
            },
        )?,
        impairment: nested(
            &p,
            "AvailabilityZoneImpairmentPolicy",
            &["ImpairedZoneHealthCheckBehavior", "ZonalShiftEnabled"],
            |n| {
                Ok(AvailabilityZoneImpairmentPolicy::builder()
                    .set_zonal_shift_enabled(n.bool("ZonalShiftEnabled")?)
                    .set_impaired_zone_health_check_behavior(
                        n.str("ImpairedZoneHealthCheckBehavior")?
                            .map(|s| ImpairedZoneHealthCheckBehavior::from(s.as_str())),
                    )
                    .build())
            },
        )?,
        reservation: nested(
            &p,
            "CapacityReservationSpecification",
            &["CapacityReservationPreference", "CapacityReservationTarget"],
            |n| {
                let target = nested(
                    n,
                    "CapacityReservationTarget",
                    &[
                        "CapacityReservationIds",
                        "CapacityReservationResourceGroupArns",
                    ],
                    |t| {
                        Ok(CapacityReservationTarget::builder()
                            .set_capacity_reservation_ids(t.strs("CapacityReservationIds")?)
                            .set_capacity_reservation_resource_group_arns(
                                t.strs("CapacityReservationResourceGroupArns")?,
                            )
                            .build())
                    },
                )?;
                Ok(CapacityReservationSpecification::builder()
                    .set_capacity_reservation_preference(
                        n.str("CapacityReservationPreference")?
                            .map(|s| CapacityReservationPreference::from(s.as_str())),
                    )
                    .set_capacity_reservation_target(target)
                    .build())
            },
        )?,
        lifecycle: nested(&p, "InstanceLifecyclePolicy", &["RetentionTriggers"], |n| {
            let triggers = nested(n, "RetentionTriggers", &["TerminateHookAbandon"], |t| {
                Ok(RetentionTriggers::builder()
                    .set_terminate_hook_abandon(
                        t.str("TerminateHookAbandon")?
                            .map(|s| RetentionAction::from(s.as_str())),
                    )
                    .build())
            })?;
            Ok(InstanceLifecyclePolicy::builder()
                .set_retention_triggers(triggers)
                .build())
        })?,
        skip_zonal_shift: p.bool("SkipZonalShiftValidation")?,
        target_groups: p.str_list("TargetGroupARNs")?,
        load_balancers: p.str_list("LoadBalancerNames")?,
        metrics: parse_metrics(&p)?,
        tags: parse_tags(&p)?,
    })
}

/// The object at `key`, as a nested node with keys `supported`, handed to `each`.
pub(super) fn nested<T>(
    node: &Props<'_>,
    key: &str,
    supported: &[&str],
    each: impl FnOnce(&Props<'_>) -> Result<T, ProviderError>,
) -> Result<Option<T>, ProviderError> {
    let Some(value) = node.get(key) else {
        return Ok(None);
    };
    let path = node.at(key);
    let child = node.nested(value, &path, supported, &[])?;
    each(&child).map(Some)
}

pub(super) const LT_SPEC: &[&str] = &["LaunchTemplateId", "LaunchTemplateName", "Version"];

pub(super) fn launch_template_spec(
    n: &Props<'_>,
) -> Result<LaunchTemplateSpecification, ProviderError> {
    let id = n.str("LaunchTemplateId")?;
    let name = n.str("LaunchTemplateName")?;
    if id.is_some() == name.is_some() {
        return Err(n.ctx().fatal(format!(
            "property {}: give exactly one of LaunchTemplateId and LaunchTemplateName",
            n.path()
        )));
    }
    Ok(LaunchTemplateSpecification::builder()
        .set_launch_template_id(id)
        .set_launch_template_name(name)
        .set_version(n.str("Version")?)
        .build())
}

pub(super) fn mixed_instances_policy(n: &Props<'_>) -> Result<MixedInstancesPolicy, ProviderError> {
    let distribution = match n.get("InstancesDistribution") {
        None => None,
        Some(v) => {
            let path = n.at("InstancesDistribution");
            let d = n.nested(
                v,
                &path,
                &[
                    "OnDemandAllocationStrategy",
                    "OnDemandBaseCapacity",
                    "OnDemandPercentageAboveBaseCapacity",
                    "SpotAllocationStrategy",
                    "SpotInstancePools",
                    "SpotMaxPrice",
                ],
                &[(
                    "DistributionSegments",
                    "the Auto Scaling SDK infra is built with has no such parameter yet",
                )],
            )?;
            Some(
                InstancesDistribution::builder()
                    .set_on_demand_allocation_strategy(d.str("OnDemandAllocationStrategy")?)
                    .set_on_demand_base_capacity(d.i32("OnDemandBaseCapacity")?)
                    .set_on_demand_percentage_above_base_capacity(
                        d.i32("OnDemandPercentageAboveBaseCapacity")?,
                    )
                    .set_spot_allocation_strategy(d.str("SpotAllocationStrategy")?)
                    .set_spot_instance_pools(d.i32("SpotInstancePools")?)
                    .set_spot_max_price(d.str("SpotMaxPrice")?)
                    .build(),
            )
        }
    };
    let lt_value = n.get("LaunchTemplate").ok_or_else(|| {
        n.ctx()
            .fatal(format!("property {} is required", n.at("LaunchTemplate")))
    })?;
    let lt_path = n.at("LaunchTemplate");
    let lt = n.nested(
        lt_value,
        &lt_path,
        &["LaunchTemplateSpecification", "Overrides"],
        &[],
    )?;
    let spec_value = lt.get("LaunchTemplateSpecification").ok_or_else(|| {
        n.ctx().fatal(format!(
            "property {} is required",
            lt.at("LaunchTemplateSpecification")
        ))
    })?;
    let spec_path = lt.at("LaunchTemplateSpecification");
    let spec = launch_template_spec(&lt.nested(spec_value, &spec_path, LT_SPEC, &[])?)?;
    let mut overrides = Vec::new();
    for (i, item) in lt.list("Overrides")?.iter().enumerate() {
        let path = lt.at_index("Overrides", i);
        let o = lt.nested(
            item,
            &path,
            &[
                "ImageId",
                "InstanceType",
                "LaunchTemplateSpecification",
                "WeightedCapacity",
            ],
            &[(
                "InstanceRequirements",
                "attribute-based instance type selection is not supported by infra yet; \
                 list InstanceType overrides",
            )],
        )?;
        let override_spec = match o.get("LaunchTemplateSpecification") {
            None => None,
            Some(v) => {
                let p = o.at("LaunchTemplateSpecification");
                Some(launch_template_spec(&o.nested(v, &p, LT_SPEC, &[])?)?)
            }
        };
        overrides.push(
            LaunchTemplateOverrides::builder()
                .set_image_id(o.str("ImageId")?)
                .set_instance_type(o.str("InstanceType")?)
                .set_weighted_capacity(o.str("WeightedCapacity")?)
                .set_launch_template_specification(override_spec)
                .build(),
        );
    }
    Ok(MixedInstancesPolicy::builder()
        .launch_template(
            LaunchTemplate::builder()
                .launch_template_specification(spec)
                .set_overrides((!overrides.is_empty()).then_some(overrides))
                .build(),
        )
        .set_instances_distribution(distribution)
        .build())
}

pub(super) fn parse_metrics(p: &Props<'_>) -> Result<Vec<Metrics>, ProviderError> {
    let mut out = Vec::new();
    for (i, item) in p.list("MetricsCollection")?.iter().enumerate() {
        let path = p.at_index("MetricsCollection", i);
        let m = p.nested(item, &path, &["Granularity", "Metrics"], &[])?;
        out.push(Metrics {
            granularity: m.required_str("Granularity")?,
            metrics: m.str_list("Metrics")?,
        });
    }
    Ok(out)
}

pub(super) fn parse_tags(p: &Props<'_>) -> Result<Vec<AsgTag>, ProviderError> {
    let mut out: Vec<AsgTag> = Vec::new();
    for (i, item) in p.list("Tags")?.iter().enumerate() {
        let path = p.at_index("Tags", i);
        let t = p.nested(item, &path, &["Key", "PropagateAtLaunch", "Value"], &[])?;
        let tag = AsgTag {
            key: t.required_str("Key")?,
            value: t.str("Value")?.unwrap_or_default(),
            propagate: t.bool("PropagateAtLaunch")?.unwrap_or(false),
        };
        out.retain(|existing| existing.key != tag.key);
        out.push(tag);
    }
    Ok(out)
}

/// The template's tags with infra's (propagated at launch; infra's win on the same key).
pub(super) fn all_tags(spec: &Spec, infra: &BTreeMap<String, String>) -> BTreeMap<String, AsgTag> {
    let mut all: BTreeMap<String, AsgTag> = spec
        .tags
        .iter()
        .map(|t| (t.key.clone(), t.clone()))
        .collect();
    for (k, v) in infra {
        all.insert(
            k.clone(),
            AsgTag {
                key: k.clone(),
                value: v.clone(),
                propagate: true,
            },
        );
    }
    all
}

pub(super) fn sdk_tag(group: &str, tag: &AsgTag) -> Tag {
    Tag::builder()
        .resource_id(group)
        .resource_type("auto-scaling-group")
        .key(&tag.key)
        .value(&tag.value)
        .propagate_at_launch(tag.propagate)
        .build()
}

/// UpdateAutoScalingGroup with every field that changed; whether there is any.
pub(super) fn update_request(
    mut req: UpdateAutoScalingGroupFluentBuilder,
    after: &Spec,
    diff: &dyn Fn(&str) -> bool,
) -> (UpdateAutoScalingGroupFluentBuilder, bool) {
    let mut any = false;
    let mut when = |key: &str| {
        let d = diff(key);
        any |= d;
        d
    };
    if when("MinSize") {
        req = req.min_size(after.min);
    }
    if when("MaxSize") {
        req = req.max_size(after.max);
    }
    // Removed: the group keeps its current desired capacity, as CloudFormation does.
    if when("DesiredCapacity") {
        req = req.set_desired_capacity(after.desired);
    }
    // One of the three launch settings: sending one replaces the others.
    if when("LaunchTemplate") | when("LaunchConfigurationName") | when("MixedInstancesPolicy") {
        req = req
            .set_launch_template(after.launch_template.clone())
            .set_launch_configuration_name(after.launch_configuration.clone())
            .set_mixed_instances_policy(after.mixed.clone());
    }
    if when("VPCZoneIdentifier") {
        req = req.set_vpc_zone_identifier(after.vpc_zone.clone());
    }
    if when("AvailabilityZones") {
        req = req.set_availability_zones(after.zones.clone());
    }
    if when("HealthCheckType") {
        req = req.health_check_type(after.health_check_type.clone().unwrap_or("EC2".into()));
    }
    if when("HealthCheckGracePeriod") {
        req = req.health_check_grace_period(after.grace.unwrap_or(0));
    }
    if when("Cooldown") {
        req = req.default_cooldown(after.cooldown.unwrap_or(300));
    }
    // -1 removes a warm-up set before; 0 clears a maximum instance lifetime (API reference).
    if when("DefaultInstanceWarmup") {
        req = req.default_instance_warmup(after.warmup.unwrap_or(-1));
    }
    if when("MaxInstanceLifetime") {
        req = req.max_instance_lifetime(after.max_lifetime.unwrap_or(0));
    }
    if when("NewInstancesProtectedFromScaleIn") {
        req = req.new_instances_protected_from_scale_in(after.protect.unwrap_or(false));
    }
    if when("CapacityRebalance") {
        req = req.capacity_rebalance(after.rebalance.unwrap_or(false));
    }
    if when("TerminationPolicies") {
        req = req.set_termination_policies(Some(
            after
                .termination
                .clone()
                .unwrap_or_else(|| vec!["Default".into()]),
        ));
    }
    if when("InstanceMaintenancePolicy") {
        // -1 for both clears the policy.
        req = req.instance_maintenance_policy(after.maintenance.clone().unwrap_or_else(|| {
            InstanceMaintenancePolicy::builder()
                .min_healthy_percentage(-1)
                .max_healthy_percentage(-1)
                .build()
        }));
    }
    if when("DesiredCapacityType") {
        req = req.desired_capacity_type(after.capacity_type.clone().unwrap_or("units".into()));
    }
    if when("PlacementGroup") {
        req = req.set_placement_group(after.placement_group.clone());
    }
    if when("ServiceLinkedRoleARN") {
        req = req.set_service_linked_role_arn(after.service_role.clone());
    }
    if when("Context") {
        req = req.set_context(after.context.clone());
    }
    if when("AvailabilityZoneDistribution") {
        req = req.set_availability_zone_distribution(after.zone_distribution.clone());
    }
    if when("AvailabilityZoneImpairmentPolicy") {
        req = req.set_availability_zone_impairment_policy(after.impairment.clone());
    }
    if when("CapacityReservationSpecification") {
        req = req.set_capacity_reservation_specification(after.reservation.clone());
    }
    if when("InstanceLifecyclePolicy") {
        req = req.set_instance_lifecycle_policy(after.lifecycle.clone());
    }
    if when("SkipZonalShiftValidation") {
        req = req.set_skip_zonal_shift_validation(after.skip_zonal_shift);
    }
    (req, any)
}
