//! `AWS::AutoScaling::AutoScalingGroup`.
//!
//! # Native teardown: this replaces `Custom::AsgDestroyer`
//!
//! Templates such as the reference pattern's `cluster.yml` tear their group down with a Lambda
//! custom resource (`Custom::AsgDestroyer`) that calls DeleteAutoScalingGroup with
//! `ForceDelete`, because instances protected from scale-in (`NewInstancesProtectedFromScaleIn`,
//! ECS managed termination protection) otherwise block the group's deletion for ever. `infra`
//! drops that custom resource and its function and role from the graph; this provider's delete
//! *is* the native step 3 of DESIGN.md's teardown: DeleteAutoScalingGroup with
//! `ForceDelete: true` (AWS terminates every instance, protected or not, without waiting for
//! lifecycle hooks), then a wait (at most 15 minutes) until DescribeAutoScalingGroups no longer
//! shows the group (its status "Delete in progress" cleared). `ScalingActivityInProgress` and
//! `ResourceInUse` are [`FailureClass::DependencyViolation`], which the engine retries; a group
//! already gone is success.
//!
//! # Properties
//!
//! | property | create | update |
//! |---|---|---|
//! | `AutoScalingGroupName` | CreateAutoScalingGroup (else the generated name) | create-only (replacement) |
//! | `MinSize`, `MaxSize`, `DesiredCapacity` (numbers or strings) | CreateAutoScalingGroup | UpdateAutoScalingGroup (`DesiredCapacity` removed: left as it is, as CloudFormation does) |
//! | `LaunchTemplate` {`LaunchTemplateId`\|`LaunchTemplateName`, `Version`}, `LaunchConfigurationName`, `MixedInstancesPolicy` | CreateAutoScalingGroup | UpdateAutoScalingGroup |
//! | `VPCZoneIdentifier` (list, sent comma-joined), `AvailabilityZones` | CreateAutoScalingGroup | UpdateAutoScalingGroup |
//! | `HealthCheckType`, `HealthCheckGracePeriod`, `Cooldown`, `DefaultInstanceWarmup`, `MaxInstanceLifetime`, `NewInstancesProtectedFromScaleIn`, `CapacityRebalance`, `TerminationPolicies`, `InstanceMaintenancePolicy`, `DesiredCapacityType` | CreateAutoScalingGroup | UpdateAutoScalingGroup (removed: AWS's default) |
//! | `PlacementGroup`, `ServiceLinkedRoleARN`, `Context`, `AvailabilityZoneDistribution`, `AvailabilityZoneImpairmentPolicy`, `CapacityReservationSpecification`, `InstanceLifecyclePolicy`, `SkipZonalShiftValidation` | CreateAutoScalingGroup | UpdateAutoScalingGroup (removing one is refused: the API cannot unset it) |
//! | `TargetGroupARNs` | CreateAutoScalingGroup | AttachLoadBalancerTargetGroups / DetachLoadBalancerTargetGroups |
//! | `LoadBalancerNames` | CreateAutoScalingGroup | AttachLoadBalancers / DetachLoadBalancers |
//! | `MetricsCollection` [{`Granularity`, `Metrics`}] | EnableMetricsCollection | DisableMetricsCollection, then EnableMetricsCollection |
//! | `Tags` [{`Key`, `Value`, `PropagateAtLaunch`}] | CreateAutoScalingGroup, with infra's tags (`PropagateAtLaunch` true) | CreateOrUpdateTags / DeleteTags |
//!
//! Refused, by name: `InstanceId` (creating a group from an instance), `LifecycleHookSpecificationList`,
//! `NotificationConfiguration(s)`, `TrafficSources` (not supported yet: each needs its own
//! attach/put calls on update), `AvailabilityZoneIds` and `DeletionProtection` (the Auto Scaling
//! SDK infra is built with has no such parameter yet), `MixedInstancesPolicy` parts
//! `InstancesDistribution/DistributionSegments` and `LaunchTemplate/Overrides/*/InstanceRequirements`,
//! and any key CloudFormation does not document.
//!
//! `Ref` is the group name. `Fn::GetAtt` gives `AutoScalingGroupARN` (the schema's one
//! read-only attribute) and, as the registry lists every property of this type as an
//! attribute, the group's own values as AWS reports them (`AutoScalingGroupName`, `MinSize`,
//! `MaxSize`, `DesiredCapacity`, `LaunchTemplate.LaunchTemplateId`,
//! `LaunchTemplate.LaunchTemplateName`, `LaunchTemplate.Version`, `VPCZoneIdentifier`, ...).
//!
//! # Waiting
//!
//! A create returns once DescribeAutoScalingGroups shows the group and its instances settled:
//! the in-service, healthy capacity equals the desired capacity (or the desired capacity is 0),
//! for at most 10 minutes (Terraform's default `wait_for_capacity_timeout`). A failed scaling
//! activity since the group was made fails the create at once with AWS's status message,
//! except the ones Auto Scaling retries by itself (an instance profile not yet propagated,
//! capacity shortages). An update that changes the sizes waits the same way.
//!
//! # Reading
//!
//! DescribeAutoScalingGroups with up to 50 names per call (pages followed); a group missing from
//! the answer, or being deleted, is `Gone`. Properties are reported as the template writes them
//! (`VPCZoneIdentifier` as a list, numbers as the last applied value spelled them when equal);
//! `MixedInstancesPolicy`, the zone and capacity reservation policies, `InstanceLifecyclePolicy`
//! and the write-only `SkipZonalShiftValidation` are reported as last applied.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_sdk_autoscaling::operation::update_auto_scaling_group::builders::UpdateAutoScalingGroupFluentBuilder;
use aws_sdk_autoscaling::types::{
    Activity, AutoScalingGroup, AvailabilityZoneDistribution, AvailabilityZoneImpairmentPolicy,
    CapacityDistributionStrategy, CapacityReservationPreference, CapacityReservationSpecification,
    CapacityReservationTarget, ImpairedZoneHealthCheckBehavior, InstanceLifecyclePolicy,
    InstanceMaintenancePolicy, InstancesDistribution, LaunchTemplate, LaunchTemplateOverrides,
    LaunchTemplateSpecification, LifecycleState, MixedInstancesPolicy, RetentionAction,
    RetentionTriggers, ScalingActivityStatusCode, Tag,
};
use serde_json::{Map, Value, json};

use super::{
    LastSeen, Node, Svc, changed, child_path, fail, is_not_found, on_create, provider_impl,
    same_value,
};
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::iam::common::{
    self, Ctx, INFRA_TAG_PREFIX, managed_keys, observed_scalar, observed_set, poll, scalar_text,
};

/// The type.
pub const TYPE: &str = "AWS::AutoScaling::AutoScalingGroup";

const SUPPORTED: &[&str] = &[
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
const NOT_REMOVABLE: &[&str] = &[
    "AvailabilityZoneDistribution",
    "AvailabilityZoneImpairmentPolicy",
    "CapacityReservationSpecification",
    "Context",
    "InstanceLifecyclePolicy",
    "PlacementGroup",
    "ServiceLinkedRoleARN",
    "SkipZonalShiftValidation",
];

/// Names per DescribeAutoScalingGroups call.
const NAMES_PER_CALL: usize = 50;

/// Target groups or load balancers per Attach/Detach call.
const ATTACH_PER_CALL: usize = 10;

/// How long a create or update waits for the instances (Terraform's default
/// `wait_for_capacity_timeout`).
const CAPACITY_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// How long a delete waits for the group to be gone.
const DELETE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How long a new group may stay invisible to DescribeAutoScalingGroups.
const VISIBLE_TIMEOUT: Duration = Duration::from_secs(2 * 60);

/// Failed scaling activities Auto Scaling retries by itself: not a reason to fail the create.
const TRANSIENT_ACTIVITY_MESSAGES: &[&str] = &[
    "Invalid IAM Instance Profile",
    "InsufficientInstanceCapacity",
    "We currently do not have sufficient",
    "There is no Spot capacity available",
];

/// One entry of `Tags`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AsgTag {
    key: String,
    value: String,
    propagate: bool,
}

/// One entry of `MetricsCollection`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Metrics {
    granularity: String,
    metrics: Vec<String>,
}

/// A group as the template describes it, in the API's types.
#[derive(Debug, Clone, Default)]
struct Spec {
    name: Option<String>,
    min: i32,
    max: i32,
    desired: Option<i32>,
    launch_template: Option<LaunchTemplateSpecification>,
    launch_configuration: Option<String>,
    mixed: Option<MixedInstancesPolicy>,
    vpc_zone: Option<String>,
    zones: Option<Vec<String>>,
    health_check_type: Option<String>,
    grace: Option<i32>,
    cooldown: Option<i32>,
    warmup: Option<i32>,
    max_lifetime: Option<i32>,
    protect: Option<bool>,
    rebalance: Option<bool>,
    termination: Option<Vec<String>>,
    maintenance: Option<InstanceMaintenancePolicy>,
    capacity_type: Option<String>,
    placement_group: Option<String>,
    service_role: Option<String>,
    context: Option<String>,
    zone_distribution: Option<AvailabilityZoneDistribution>,
    impairment: Option<AvailabilityZoneImpairmentPolicy>,
    reservation: Option<CapacityReservationSpecification>,
    lifecycle: Option<InstanceLifecyclePolicy>,
    skip_zonal_shift: Option<bool>,
    target_groups: Vec<String>,
    load_balancers: Vec<String>,
    metrics: Vec<Metrics>,
    tags: Vec<AsgTag>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Node::new(value, ctx, "", SUPPORTED, UNSUPPORTED)?;
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
        zones: p.opt_str_list("AvailabilityZones")?,
        health_check_type: p.str("HealthCheckType")?,
        grace: p.i32("HealthCheckGracePeriod")?,
        cooldown: p.i32("Cooldown")?,
        warmup: p.i32("DefaultInstanceWarmup")?,
        max_lifetime: p.i32("MaxInstanceLifetime")?,
        protect: p.bool("NewInstancesProtectedFromScaleIn")?,
        rebalance: p.bool("CapacityRebalance")?,
        termination: p.opt_str_list("TerminationPolicies")?,
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
                            .set_capacity_reservation_ids(t.opt_str_list("CapacityReservationIds")?)
                            .set_capacity_reservation_resource_group_arns(
                                t.opt_str_list("CapacityReservationResourceGroupArns")?,
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
fn nested<T>(
    node: &Node<'_>,
    key: &str,
    supported: &[&str],
    each: impl FnOnce(&Node<'_>) -> Result<T, ProviderError>,
) -> Result<Option<T>, ProviderError> {
    let Some(value) = node.get(key) else {
        return Ok(None);
    };
    let path = node.at(key);
    let child = node.nested(value, &path, supported, &[])?;
    each(&child).map(Some)
}

const LT_SPEC: &[&str] = &["LaunchTemplateId", "LaunchTemplateName", "Version"];

fn launch_template_spec(n: &Node<'_>) -> Result<LaunchTemplateSpecification, ProviderError> {
    let id = n.str("LaunchTemplateId")?;
    let name = n.str("LaunchTemplateName")?;
    if id.is_some() == name.is_some() {
        return Err(n.ctx().fatal(format!(
            "property {}: give exactly one of LaunchTemplateId and LaunchTemplateName",
            n.at("").trim_end_matches('/')
        )));
    }
    Ok(LaunchTemplateSpecification::builder()
        .set_launch_template_id(id)
        .set_launch_template_name(name)
        .set_version(n.str("Version")?)
        .build())
}

fn mixed_instances_policy(n: &Node<'_>) -> Result<MixedInstancesPolicy, ProviderError> {
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
        let path = child_path(&lt.at("Overrides"), &i.to_string());
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

fn parse_metrics(p: &Node<'_>) -> Result<Vec<Metrics>, ProviderError> {
    let mut out = Vec::new();
    for (i, item) in p.list("MetricsCollection")?.iter().enumerate() {
        let path = child_path(&p.at("MetricsCollection"), &i.to_string());
        let m = p.nested(item, &path, &["Granularity", "Metrics"], &[])?;
        out.push(Metrics {
            granularity: m.required_str("Granularity")?,
            metrics: m.str_list("Metrics")?,
        });
    }
    Ok(out)
}

fn parse_tags(p: &Node<'_>) -> Result<Vec<AsgTag>, ProviderError> {
    let mut out: Vec<AsgTag> = Vec::new();
    for (i, item) in p.list("Tags")?.iter().enumerate() {
        let path = child_path(&p.at("Tags"), &i.to_string());
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
fn all_tags(spec: &Spec, infra: &BTreeMap<String, String>) -> BTreeMap<String, AsgTag> {
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

fn sdk_tag(group: &str, tag: &AsgTag) -> Tag {
    Tag::builder()
        .resource_id(group)
        .resource_type("auto-scaling-group")
        .key(&tag.key)
        .value(&tag.value)
        .propagate_at_launch(tag.propagate)
        .build()
}

/// The provider.
#[derive(Debug)]
pub(crate) struct AutoScalingGroupProvider {
    pub(crate) svc: Svc<aws_sdk_autoscaling::Client>,
}

impl AutoScalingGroupProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| {
                ctx.fatal("AutoScalingGroupName is not set and no name was generated")
            })?;
        let tags = all_tags(&spec, &input.tags);
        let created = self
            .svc
            .client
            .create_auto_scaling_group()
            .auto_scaling_group_name(&name)
            .min_size(spec.min)
            .max_size(spec.max)
            .set_desired_capacity(spec.desired)
            .set_launch_template(spec.launch_template.clone())
            .set_launch_configuration_name(spec.launch_configuration.clone())
            .set_mixed_instances_policy(spec.mixed.clone())
            .set_vpc_zone_identifier(spec.vpc_zone.clone())
            .set_availability_zones(spec.zones.clone())
            .set_health_check_type(spec.health_check_type.clone())
            .set_health_check_grace_period(spec.grace)
            .set_default_cooldown(spec.cooldown)
            .set_default_instance_warmup(spec.warmup)
            .set_max_instance_lifetime(spec.max_lifetime)
            .set_new_instances_protected_from_scale_in(spec.protect)
            .set_capacity_rebalance(spec.rebalance)
            .set_termination_policies(spec.termination.clone())
            .set_instance_maintenance_policy(spec.maintenance.clone())
            .set_desired_capacity_type(spec.capacity_type.clone())
            .set_placement_group(spec.placement_group.clone())
            .set_service_linked_role_arn(spec.service_role.clone())
            .set_context(spec.context.clone())
            .set_availability_zone_distribution(spec.zone_distribution.clone())
            .set_availability_zone_impairment_policy(spec.impairment.clone())
            .set_capacity_reservation_specification(spec.reservation.clone())
            .set_instance_lifecycle_policy(spec.lifecycle.clone())
            .set_skip_zonal_shift_validation(spec.skip_zonal_shift)
            .set_target_group_arns(
                (!spec.target_groups.is_empty()).then(|| spec.target_groups.clone()),
            )
            .set_load_balancer_names(
                (!spec.load_balancers.is_empty()).then(|| spec.load_balancers.clone()),
            )
            .set_tags(
                (!tags.is_empty()).then(|| tags.values().map(|t| sdk_tag(&name, t)).collect()),
            )
            .send()
            .await;
        if let Err(e) = created {
            let err = self.svc.err("CreateAutoScalingGroup", e);
            if err.code() == Some("AlreadyExists") {
                self.adopt(ctx, &name, input).await?;
            } else {
                let mut failure = on_create(fail(ctx, format!("creating group {name}"), &err));
                // A launch template (or target group) created a moment ago that EC2 does not
                // show Auto Scaling yet.
                if failure.class == FailureClass::Fatal
                    && err.code() == Some("ValidationError")
                    && (failure.message.contains("does not exist")
                        || failure.message.contains("not found"))
                {
                    failure.class = FailureClass::EventuallyConsistent;
                }
                return Err(failure);
            }
        }
        let group = poll(VISIBLE_TIMEOUT, || self.describe_one(ctx, &name))
            .await?
            .ok_or_else(|| {
                ctx.fatal(format!(
                    "group {name} was created but DescribeAutoScalingGroups did not show it \
                     within {}s",
                    VISIBLE_TIMEOUT.as_secs()
                ))
            })?;
        for m in &spec.metrics {
            self.enable_metrics(ctx, &name, m).await?;
        }
        let since = group.created_time().copied();
        let group = self.wait_for_capacity(ctx, &name, since).await?;
        Ok(output(&group))
    }

    /// A group of this name exists: an earlier attempt at this resource made it (in one call,
    /// with its tags) when it carries this resource's infra tags; the create then goes on.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        input: &CreateInput,
    ) -> Result<(), ProviderError> {
        let group = self.describe_one(ctx, name).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::Retryable,
                format!("group {name} exists but is not visible yet (or is being deleted)"),
            )
        })?;
        let found: BTreeMap<String, String> = group
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                ))
            })
            .collect();
        if !common::owned_by(&found, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating group {name}: an Auto Scaling group of that name already exists and \
                 was not made for this resource (it lacks its infra:* tags); choose another \
                 AutoScalingGroupName or import it"
            )));
        }
        Ok(())
    }

    async fn enable_metrics(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        m: &Metrics,
    ) -> Result<(), ProviderError> {
        self.svc
            .client
            .enable_metrics_collection()
            .auto_scaling_group_name(name)
            .granularity(&m.granularity)
            .set_metrics((!m.metrics.is_empty()).then(|| m.metrics.clone()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                self.svc.fail(
                    ctx,
                    "EnableMetricsCollection",
                    format!("enabling metrics collection on group {name}"),
                    e,
                )
            })
    }

    /// DescribeAutoScalingGroups of one name; `None` when it does not exist or is being
    /// deleted.
    async fn describe_one(
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
    async fn describe(
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

    /// Waits until the group's in-service, healthy capacity is its desired capacity; fails at
    /// once on a failed scaling activity started at or after `since` (when given).
    async fn wait_for_capacity(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        since: Option<aws_smithy_types::DateTime>,
    ) -> Result<AutoScalingGroup, ProviderError> {
        let last = LastSeen::new("not yet described");
        let settled = poll(CAPACITY_TIMEOUT, || {
            let last = &last;
            async move {
                let group = self.describe_one(ctx, name).await?.ok_or_else(|| {
                    ctx.error(
                        FailureClass::NotFound,
                        format!("group {name} disappeared while its instances were starting"),
                    )
                })?;
                let desired = group.desired_capacity().unwrap_or(0);
                let in_service = in_service_capacity(&group);
                last.set(format!("{in_service} of {desired} in service"));
                if desired <= 0 || in_service >= desired {
                    return Ok(Some(group));
                }
                if let Some(since) = &since
                    && let Some(failed) = self.failed_activity(ctx, name, since).await?
                {
                    return Err(ctx.fatal(format!(
                        "group {name} could not launch instances: {}",
                        describe_activity(&failed)
                    )));
                }
                Ok(None)
            }
        })
        .await?;
        settled.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for the instances of group {name} ({})",
                CAPACITY_TIMEOUT.as_secs() / 60,
                last.get()
            ))
        })
    }

    /// The latest failed scaling activity of the group since `since` that Auto Scaling will
    /// not retry by itself.
    async fn failed_activity(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        since: &aws_smithy_types::DateTime,
    ) -> Result<Option<Activity>, ProviderError> {
        let out = self
            .svc
            .client
            .describe_scaling_activities()
            .auto_scaling_group_name(name)
            .max_records(20)
            .send()
            .await
            .map_err(|e| {
                self.svc.fail(
                    ctx,
                    "DescribeScalingActivities",
                    format!("reading the scaling activities of group {name}"),
                    e,
                )
            })?;
        Ok(out
            .activities()
            .iter()
            .filter(|a| a.status_code() == Some(&ScalingActivityStatusCode::Failed))
            .filter(|a| a.start_time().is_some_and(|t| t.secs() >= since.secs()))
            .find(|a| {
                let message = a.status_message().unwrap_or_default();
                !TRANSIENT_ACTIVITY_MESSAGES
                    .iter()
                    .any(|m| message.contains(m))
            })
            .cloned())
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        if after.name.as_ref().is_some_and(|n| n != name) {
            return Err(ctx
                .fatal("AutoScalingGroupName cannot change in place; the group must be replaced"));
        }
        for key in NOT_REMOVABLE {
            if input.before.get(*key).is_some_and(|v| !v.is_null())
                && input.after.get(*key).is_none_or(Value::is_null)
            {
                return Err(ctx.fatal(format!(
                    "property {key} cannot be removed in place (the Auto Scaling API cannot \
                     unset it); set it to the value you want, or replace the group"
                )));
            }
        }
        let diff = |key: &str| changed(&input.before, &input.after, key);
        let client = &self.svc.client;

        let (update, any) = update_request(client.update_auto_scaling_group(), &after, &diff);
        if any {
            update
                .auto_scaling_group_name(name)
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "UpdateAutoScalingGroup",
                        format!("updating group {name}"),
                        e,
                    )
                })?;
        }

        self.update_attachments(ctx, name, &before, &after).await?;

        if diff("MetricsCollection") {
            client
                .disable_metrics_collection()
                .auto_scaling_group_name(name)
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "DisableMetricsCollection",
                        format!("disabling metrics collection on group {name}"),
                        e,
                    )
                })?;
            for m in &after.metrics {
                self.enable_metrics(ctx, name, m).await?;
            }
        }

        let before_tags = all_tags(&before, &input.tags);
        let after_tags = all_tags(&after, &input.tags);
        let removed: Vec<Tag> = before_tags
            .values()
            .filter(|t| !after_tags.contains_key(&t.key))
            .map(|t| sdk_tag(name, t))
            .collect();
        let set: Vec<Tag> = after_tags
            .values()
            .filter(|t| before_tags.get(&t.key) != Some(*t))
            .map(|t| sdk_tag(name, t))
            .collect();
        if !removed.is_empty() {
            client
                .delete_tags()
                .set_tags(Some(removed))
                .send()
                .await
                .map_err(|e| {
                    self.svc
                        .fail(ctx, "DeleteTags", format!("untagging group {name}"), e)
                })?;
        }
        if !set.is_empty() {
            client
                .create_or_update_tags()
                .set_tags(Some(set))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "CreateOrUpdateTags",
                        format!("tagging group {name}"),
                        e,
                    )
                })?;
        }

        let group = if diff("MinSize") || diff("MaxSize") || diff("DesiredCapacity") {
            self.wait_for_capacity(ctx, name, None).await?
        } else {
            self.describe_one(ctx, name).await?.ok_or_else(|| {
                ctx.error(
                    FailureClass::NotFound,
                    format!("group {name} does not exist"),
                )
            })?
        };
        Ok(output(&group))
    }

    /// Target groups and classic load balancers: attach the new, detach the removed.
    async fn update_attachments(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: &Spec,
        after: &Spec,
    ) -> Result<(), ProviderError> {
        let client = &self.svc.client;
        let added = |b: &[String], a: &[String]| -> Vec<String> {
            a.iter().filter(|x| !b.contains(x)).cloned().collect()
        };
        for chunk in added(&before.target_groups, &after.target_groups).chunks(ATTACH_PER_CALL) {
            client
                .attach_load_balancer_target_groups()
                .auto_scaling_group_name(name)
                .set_target_group_arns(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "AttachLoadBalancerTargetGroups",
                        format!("attaching target groups to group {name}"),
                        e,
                    )
                })?;
        }
        for chunk in added(&after.target_groups, &before.target_groups).chunks(ATTACH_PER_CALL) {
            client
                .detach_load_balancer_target_groups()
                .auto_scaling_group_name(name)
                .set_target_group_arns(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "DetachLoadBalancerTargetGroups",
                        format!("detaching target groups from group {name}"),
                        e,
                    )
                })?;
        }
        for chunk in added(&before.load_balancers, &after.load_balancers).chunks(ATTACH_PER_CALL) {
            client
                .attach_load_balancers()
                .auto_scaling_group_name(name)
                .set_load_balancer_names(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "AttachLoadBalancers",
                        format!("attaching load balancers to group {name}"),
                        e,
                    )
                })?;
        }
        for chunk in added(&after.load_balancers, &before.load_balancers).chunks(ATTACH_PER_CALL) {
            client
                .detach_load_balancers()
                .auto_scaling_group_name(name)
                .set_load_balancer_names(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "DetachLoadBalancers",
                        format!("detaching load balancers from group {name}"),
                        e,
                    )
                })?;
        }
        Ok(())
    }

    /// Native teardown step 3 (see the module comment).
    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = input.physical_id.as_str();
        let deleted = self
            .svc
            .client
            .delete_auto_scaling_group()
            .auto_scaling_group_name(name)
            .force_delete(true)
            .send()
            .await;
        if let Err(e) = deleted {
            let err = self.svc.err("DeleteAutoScalingGroup", e);
            if is_not_found(&err) {
                return Ok(());
            }
            let failure = fail(ctx, format!("force-deleting group {name}"), &err);
            // A delete already under way (an earlier attempt) is waited for, not retried.
            let in_progress = failure.class == FailureClass::DependencyViolation
                && self.status(ctx, name).await?.as_deref() == Some(DELETE_IN_PROGRESS);
            if !in_progress {
                return Err(failure);
            }
        }
        let last = LastSeen::default();
        let gone = poll(DELETE_TIMEOUT, || {
            let last = &last;
            async move {
                let found = self.describe(ctx, &[name.to_owned()]).await?;
                match found
                    .iter()
                    .find(|g| g.auto_scaling_group_name() == Some(name))
                {
                    None => Ok(Some(())),
                    Some(group) => {
                        last.set(format!(
                            "status {}, {} instance(s)",
                            group.status().unwrap_or("(none)"),
                            group.instances().len()
                        ));
                        Ok(None)
                    }
                }
            }
        })
        .await?;
        gone.ok_or_else(|| {
            ctx.error(
                FailureClass::DependencyViolation,
                format!(
                    "timed out after {}m waiting for group {name} to be deleted ({})",
                    DELETE_TIMEOUT.as_secs() / 60,
                    last.get()
                ),
            )
        })
    }

    /// The group's status ("Delete in progress", ...); `None` when it has none or is gone.
    async fn status(&self, ctx: Ctx<'_>, name: &str) -> Result<Option<String>, ProviderError> {
        Ok(self
            .describe(ctx, &[name.to_owned()])
            .await?
            .iter()
            .find(|g| g.auto_scaling_group_name() == Some(name))
            .and_then(|g| g.status().map(str::to_owned)))
    }

    async fn do_read(
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

provider_impl!(AutoScalingGroupProvider, TYPE);

/// The status of a group being deleted.
const DELETE_IN_PROGRESS: &str = "Delete in progress";

fn being_deleted(group: &AutoScalingGroup) -> bool {
    group.status() == Some(DELETE_IN_PROGRESS)
}

/// UpdateAutoScalingGroup with every field that changed; whether there is any.
fn update_request(
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

/// In-service, healthy capacity (weighted when the instances carry weights).
fn in_service_capacity(group: &AutoScalingGroup) -> i32 {
    group
        .instances()
        .iter()
        .filter(|i| i.lifecycle_state() == Some(&LifecycleState::InService))
        .filter(|i| {
            i.health_status()
                .is_none_or(|h| h.eq_ignore_ascii_case("Healthy"))
        })
        .map(|i| {
            i.weighted_capacity()
                .and_then(|w| w.parse::<i32>().ok())
                .unwrap_or(1)
        })
        .sum()
}

fn describe_activity(activity: &Activity) -> String {
    let mut text = activity.status_message().unwrap_or_default().to_owned();
    if let Some(description) = activity.description() {
        if !text.is_empty() {
            text.push_str(" (");
            text.push_str(description);
            text.push(')');
        } else {
            text = description.to_owned();
        }
    }
    text
}

fn output(group: &AutoScalingGroup) -> ResourceOutput {
    ResourceOutput {
        physical_id: group
            .auto_scaling_group_name()
            .unwrap_or_default()
            .to_owned(),
        attributes: attributes(group),
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

/// `Fn::GetAtt` values (see the module comment); numbers as strings where the schema types
/// them as strings (`MinSize`, `MaxSize`, `DesiredCapacity`, `Cooldown`).
fn attributes(group: &AutoScalingGroup) -> BTreeMap<String, Value> {
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

fn split_zones(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What refresh reports for one group (see the module comment).
fn observe(item: &ReadInput, group: &AutoScalingGroup) -> Value {
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

fn observed_launch_template(lt: &LaunchTemplateSpecification, previous: Option<&Value>) -> Value {
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
fn observed_metrics(group: &AutoScalingGroup, previous: Option<&Value>) -> Value {
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
fn observed_tags(group: &AutoScalingGroup, previous: Option<&Value>) -> Value {
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

/// For tests of the classification of this type's errors.
#[cfg(test)]
fn class_for(code: &str, message: &str) -> FailureClass {
    super::code_class(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx<'static> {
        Ctx::new(TYPE, "Stack.ASG")
    }

    #[test]
    fn maps_the_fixture_group() {
        let spec = parse(
            &json!({
                "VPCZoneIdentifier": ["subnet-1", "subnet-2"],
                "LaunchTemplate": {"LaunchTemplateId": "lt-1", "Version": "3"},
                "MinSize": 0,
                "MaxSize": "4",
                "DesiredCapacity": "1",
                "NewInstancesProtectedFromScaleIn": true,
                "Tags": [{"Key": "team", "Value": "a", "PropagateAtLaunch": "true"}]
            }),
            ctx(),
        )
        .expect("parses");
        assert_eq!(spec.vpc_zone.as_deref(), Some("subnet-1,subnet-2"));
        assert_eq!((spec.min, spec.max, spec.desired), (0, 4, Some(1)));
        assert_eq!(spec.protect, Some(true));
        let lt = spec.launch_template.expect("launch template");
        assert_eq!(lt.launch_template_id(), Some("lt-1"));
        assert_eq!(lt.version(), Some("3"));
        let infra = BTreeMap::from([("infra:stack".to_owned(), "demo".to_owned())]);
        let tags = all_tags(
            &parse(&json!({"MinSize": 0, "MaxSize": 1}), ctx()).expect("ok"),
            &infra,
        );
        assert!(
            tags["infra:stack"].propagate,
            "infra tags propagate at launch"
        );
        assert!(spec.tags[0].propagate);
    }

    #[test]
    fn refuses_unmapped_properties() {
        for (props, named) in [
            (
                json!({"MinSize": 0, "MaxSize": 1, "TrafficSources": []}),
                "TrafficSources",
            ),
            (
                json!({"MinSize": 0, "MaxSize": 1, "NotificationConfigurations": []}),
                "NotificationConfigurations",
            ),
            (
                json!({"MinSize": 0, "MaxSize": 1, "MixedInstancesPolicy": {
                    "LaunchTemplate": {
                        "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
                        "Overrides": [{"InstanceRequirements": {}}]
                    }
                }}),
                "MixedInstancesPolicy/LaunchTemplate/Overrides/0/InstanceRequirements",
            ),
            (json!({"MinSize": 0, "MaxSize": 1, "Bogus": 1}), "Bogus"),
        ] {
            let err = parse(&props, ctx()).expect_err("refused");
            assert!(err.message.contains(named), "{named}: {}", err.message);
        }
        let err = parse(&json!({"MaxSize": 1}), ctx()).expect_err("MinSize is required");
        assert!(err.message.contains("MinSize"));
        let err = parse(
            &json!({"MinSize": 0, "MaxSize": 1, "LaunchTemplate": {"Version": "1"}}),
            ctx(),
        )
        .expect_err("needs an id or a name");
        assert!(err.message.contains("LaunchTemplateId"), "{}", err.message);
    }

    #[test]
    fn update_sends_only_what_changed() {
        let before = json!({"MinSize": 0, "MaxSize": 2, "Cooldown": 60});
        let after = json!({"MinSize": "0", "MaxSize": 3});
        let diff = |key: &str| changed(&before, &after, key);
        let spec = parse(&after, ctx()).expect("parses");
        let config = aws_sdk_autoscaling::Config::builder()
            .behavior_version(aws_sdk_autoscaling::config::BehaviorVersion::latest())
            .build();
        let client = aws_sdk_autoscaling::Client::from_conf(config);
        let (req, any) = update_request(client.update_auto_scaling_group(), &spec, &diff);
        assert!(any);
        let input = req.as_input();
        assert_eq!(input.get_min_size(), &None, "MinSize is unchanged");
        assert_eq!(input.get_max_size(), &Some(3));
        assert_eq!(
            input.get_default_cooldown(),
            &Some(300),
            "removed: AWS's default"
        );
    }

    #[test]
    fn delete_errors_are_classed_for_the_engine() {
        assert_eq!(
            class_for("ScalingActivityInProgress", "x"),
            FailureClass::DependencyViolation
        );
        assert_eq!(
            class_for("ResourceInUse", "x"),
            FailureClass::DependencyViolation
        );
        assert_eq!(
            class_for("ValidationError", "AutoScalingGroup name not found - x"),
            FailureClass::NotFound
        );
    }
}
