//! `AWS::AutoScaling::AutoScalingGroup` properties: the template's properties parsed into the
//! CreateAutoScalingGroup request (its keys, refusals and conversion generated from the schema,
//! see `crates/infra-aws/mappings/autoscaling.toml`), the check that each launch template is
//! named by one of its id and its name, the metrics, the tags, and the UpdateAutoScalingGroup
//! request of what changed (read from the create request).

use std::collections::BTreeMap;

use aws_sdk_autoscaling::operation::create_auto_scaling_group::builders::CreateAutoScalingGroupFluentBuilder;
use aws_sdk_autoscaling::operation::create_auto_scaling_group::builders::CreateAutoScalingGroupInputBuilder;
use aws_sdk_autoscaling::operation::update_auto_scaling_group::builders::UpdateAutoScalingGroupFluentBuilder;
use aws_sdk_autoscaling::types::{InstanceMaintenancePolicy, LaunchTemplateSpecification, Tag};
use serde_json::Value;

use crate::generated::autoscaling::{
    AUTO_SCALING_GROUP, METRICS_COLLECTION, TAG_PROPERTY, create_auto_scaling_group,
};
use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Props};

/// The top-level properties refused, and why (from the mappings).
pub(crate) const UNSUPPORTED: &[(&str, &str)] = AUTO_SCALING_GROUP.unsupported;

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
#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    /// CreateAutoScalingGroup with every property but the name, `VPCZoneIdentifier` and the
    /// tags (sending nothing); an update reads its values.
    pub(super) request: CreateAutoScalingGroupFluentBuilder,
    pub(super) vpc_zone: Option<String>,
    pub(super) target_groups: Vec<String>,
    pub(super) load_balancers: Vec<String>,
    pub(super) metrics: Vec<Metrics>,
    pub(super) tags: Vec<AsgTag>,
}

/// The template's properties; the request is built on `client`'s call.
pub(super) fn parse(
    value: &Value,
    ctx: Ctx<'_>,
    client: &aws_sdk_autoscaling::Client,
) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, AUTO_SCALING_GROUP)?;
    let vpc_zone = match p.get("VPCZoneIdentifier") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => Some(p.str_list("VPCZoneIdentifier")?.join(",")),
    };
    let request = create_auto_scaling_group(&p, client.create_auto_scaling_group())?;
    check_launch_templates(request.as_input(), ctx)?;
    Ok(Spec {
        name: p.str("AutoScalingGroupName")?,
        request,
        vpc_zone,
        target_groups: p.str_list("TargetGroupARNs")?,
        load_balancers: p.str_list("LoadBalancerNames")?,
        metrics: parse_metrics(&p)?,
        tags: parse_tags(&p)?,
    })
}

/// Each launch template the group names (`LaunchTemplate`, the mixed instances policy's and
/// its overrides') is named by exactly one of its id and its name.
fn check_launch_templates(
    group: &CreateAutoScalingGroupInputBuilder,
    ctx: Ctx<'_>,
) -> Result<(), ProviderError> {
    let mut named: Vec<(String, &LaunchTemplateSpecification)> = Vec::new();
    named.extend(
        group
            .get_launch_template()
            .iter()
            .map(|s| ("LaunchTemplate".into(), s)),
    );
    let mixed = group.get_mixed_instances_policy().as_ref();
    if let Some(lt) = mixed.and_then(|m| m.launch_template.as_ref()) {
        let at = "MixedInstancesPolicy.LaunchTemplate";
        if let Some(s) = &lt.launch_template_specification {
            named.push((format!("{at}.LaunchTemplateSpecification"), s));
        }
        for (i, o) in lt.overrides.iter().flatten().enumerate() {
            if let Some(s) = &o.launch_template_specification {
                named.push((
                    format!("{at}.Overrides[{i}].LaunchTemplateSpecification"),
                    s,
                ));
            }
        }
    }
    match named
        .iter()
        .find(|(_, s)| s.launch_template_id.is_some() == s.launch_template_name.is_some())
    {
        Some((path, _)) => Err(ctx.fatal(format!(
            "property {path}: give exactly one of LaunchTemplateId and LaunchTemplateName"
        ))),
        None => Ok(()),
    }
}

pub(super) fn parse_metrics(p: &Props<'_>) -> Result<Vec<Metrics>, ProviderError> {
    let mut out = Vec::new();
    for m in p.objs("MetricsCollection", METRICS_COLLECTION)? {
        out.push(Metrics {
            granularity: m.required_str("Granularity")?,
            metrics: m.str_list("Metrics")?,
        });
    }
    Ok(out)
}

pub(super) fn parse_tags(p: &Props<'_>) -> Result<Vec<AsgTag>, ProviderError> {
    let mut out: Vec<AsgTag> = Vec::new();
    for t in p.objs("Tags", TAG_PROPERTY)? {
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
    let a = after.request.as_input();
    let mut any = false;
    let mut when = |key: &str| {
        let d = diff(key);
        any |= d;
        d
    };
    if when("MinSize") {
        req = req.set_min_size(*a.get_min_size());
    }
    if when("MaxSize") {
        req = req.set_max_size(*a.get_max_size());
    }
    // Removed: the group keeps its current desired capacity, as CloudFormation does.
    if when("DesiredCapacity") {
        req = req.set_desired_capacity(*a.get_desired_capacity());
    }
    // One of the three launch settings: sending one replaces the others.
    if when("LaunchTemplate") | when("LaunchConfigurationName") | when("MixedInstancesPolicy") {
        req = req
            .set_launch_template(a.get_launch_template().clone())
            .set_launch_configuration_name(a.get_launch_configuration_name().clone())
            .set_mixed_instances_policy(a.get_mixed_instances_policy().clone());
    }
    if when("VPCZoneIdentifier") {
        req = req.set_vpc_zone_identifier(after.vpc_zone.clone());
    }
    if when("AvailabilityZones") {
        req = req.set_availability_zones(a.get_availability_zones().clone());
    }
    if when("HealthCheckType") {
        req = req.health_check_type(a.get_health_check_type().clone().unwrap_or("EC2".into()));
    }
    if when("HealthCheckGracePeriod") {
        req = req.health_check_grace_period(a.get_health_check_grace_period().unwrap_or(0));
    }
    if when("Cooldown") {
        req = req.default_cooldown(a.get_default_cooldown().unwrap_or(300));
    }
    // -1 removes a warm-up set before; 0 clears a maximum instance lifetime (API reference).
    if when("DefaultInstanceWarmup") {
        req = req.default_instance_warmup(a.get_default_instance_warmup().unwrap_or(-1));
    }
    if when("MaxInstanceLifetime") {
        req = req.max_instance_lifetime(a.get_max_instance_lifetime().unwrap_or(0));
    }
    if when("NewInstancesProtectedFromScaleIn") {
        req = req.new_instances_protected_from_scale_in(
            a.get_new_instances_protected_from_scale_in()
                .unwrap_or(false),
        );
    }
    if when("CapacityRebalance") {
        req = req.capacity_rebalance(a.get_capacity_rebalance().unwrap_or(false));
    }
    if when("TerminationPolicies") {
        req = req.set_termination_policies(Some(
            a.get_termination_policies()
                .clone()
                .unwrap_or_else(|| vec!["Default".into()]),
        ));
    }
    if when("InstanceMaintenancePolicy") {
        // -1 for both clears the policy.
        req = req.instance_maintenance_policy(
            a.get_instance_maintenance_policy()
                .clone()
                .unwrap_or_else(|| {
                    InstanceMaintenancePolicy::builder()
                        .min_healthy_percentage(-1)
                        .max_healthy_percentage(-1)
                        .build()
                }),
        );
    }
    if when("DesiredCapacityType") {
        req = req.desired_capacity_type(
            a.get_desired_capacity_type()
                .clone()
                .unwrap_or("units".into()),
        );
    }
    if when("PlacementGroup") {
        req = req.set_placement_group(a.get_placement_group().clone());
    }
    if when("ServiceLinkedRoleARN") {
        req = req.set_service_linked_role_arn(a.get_service_linked_role_arn().clone());
    }
    if when("Context") {
        req = req.set_context(a.get_context().clone());
    }
    if when("AvailabilityZoneDistribution") {
        req =
            req.set_availability_zone_distribution(a.get_availability_zone_distribution().clone());
    }
    if when("AvailabilityZoneImpairmentPolicy") {
        req = req.set_availability_zone_impairment_policy(
            a.get_availability_zone_impairment_policy().clone(),
        );
    }
    if when("CapacityReservationSpecification") {
        req = req.set_capacity_reservation_specification(
            a.get_capacity_reservation_specification().clone(),
        );
    }
    if when("InstanceLifecyclePolicy") {
        req = req.set_instance_lifecycle_policy(a.get_instance_lifecycle_policy().clone());
    }
    if when("SkipZonalShiftValidation") {
        req = req.set_skip_zonal_shift_validation(*a.get_skip_zonal_shift_validation());
    }
    (req, any)
}
