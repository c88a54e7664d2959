//! `AWS::AutoScaling::AutoScalingGroup` properties: the template's properties parsed into the
//! CreateAutoScalingGroup request (its keys, refusals and conversion generated from the schema,
//! see `crates/infra-aws/mappings/autoscaling.toml`), the check that each launch template is
//! named by one of its id and its name, the metrics (EnableMetricsCollection requests, generated
//! too), the tags (each one generated too), and the UpdateAutoScalingGroup
//! request of what changed (generated too, from the same mappings).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::operation::create_auto_scaling_group::builders::CreateAutoScalingGroupFluentBuilder;
use aws_sdk_autoscaling::operation::create_auto_scaling_group::builders::CreateAutoScalingGroupInputBuilder;
use aws_sdk_autoscaling::operation::enable_metrics_collection::builders::EnableMetricsCollectionFluentBuilder;
use aws_sdk_autoscaling::operation::update_auto_scaling_group::builders::UpdateAutoScalingGroupFluentBuilder;
use aws_sdk_autoscaling::types::Tag;

use crate::generated::autoscaling::{
    AUTO_SCALING_GROUP, METRICS_COLLECTION, TAG_PROPERTY, create_auto_scaling_group,
    enable_metrics_collection, tag, update_auto_scaling_group,
};

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
    /// EnableMetricsCollection of each `MetricsCollection` entry (the group's name not set).
    pub(super) metrics: Vec<EnableMetricsCollectionFluentBuilder>,
    /// `Tags` (generated), without the group's name; the last of a key wins.
    pub(super) tags: Vec<Tag>,
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
        metrics: (p.objs("MetricsCollection", METRICS_COLLECTION)?.iter())
            .map(|m| enable_metrics_collection(m, client.enable_metrics_collection()))
            .collect::<Result<_, _>>()?,
        tags: (p.objs("Tags", TAG_PROPERTY)?.iter())
            .map(tag)
            .collect::<Result<_, _>>()?,
    })
}

/// Each launch template the group names (`LaunchTemplate`, the mixed instances policy's and
/// its overrides') is named by exactly one of its id and its name.
fn check_launch_templates(
    group: &CreateAutoScalingGroupInputBuilder,
    ctx: Ctx<'_>,
) -> Result<(), ProviderError> {
    let at = "MixedInstancesPolicy.LaunchTemplate";
    let mixed = group.get_mixed_instances_policy().as_ref();
    let mixed = mixed.and_then(|m| m.launch_template.as_ref());
    let top = group.get_launch_template().as_ref();
    let spec = mixed.and_then(|lt| lt.launch_template_specification.as_ref());
    let overrides = mixed
        .and_then(|lt| lt.overrides.as_ref())
        .into_iter()
        .flatten();
    let overrides = overrides.enumerate().filter_map(|(i, o)| {
        let path = format!("{at}.Overrides[{i}].LaunchTemplateSpecification");
        Some((path, o.launch_template_specification.as_ref()?))
    });
    let mut named = (top.map(|s| ("LaunchTemplate".to_owned(), s)).into_iter())
        .chain(spec.map(|s| (format!("{at}.LaunchTemplateSpecification"), s)))
        .chain(overrides);
    match named.find(|(_, s)| s.launch_template_id.is_some() == s.launch_template_name.is_some()) {
        Some((path, _)) => Err(ctx.fatal(format!(
            "property {path}: give exactly one of LaunchTemplateId and LaunchTemplateName"
        ))),
        None => Ok(()),
    }
}

/// The template's tags with infra's (propagated at launch; infra's win on the same key) on
/// group `group`, by key.
pub(super) fn all_tags(
    spec: &Spec,
    infra: &BTreeMap<String, String>,
    group: &str,
) -> BTreeMap<String, Tag> {
    let infra = infra.iter().map(|(k, v)| {
        let tag = Tag::builder().key(k).value(v).propagate_at_launch(true);
        tag.build()
    });
    let tags = (spec.tags.iter().cloned()).chain(infra).map(|mut tag| {
        tag.resource_id = Some(group.to_owned());
        tag.resource_type = Some("auto-scaling-group".to_owned());
        (tag.key.clone().unwrap_or_default(), tag)
    });
    tags.collect()
}

/// The launch settings: sending one replaces the others, so a change to one sends all three.
const LAUNCH: [&str; 3] = [
    "LaunchTemplate",
    "LaunchConfigurationName",
    "MixedInstancesPolicy",
];

/// UpdateAutoScalingGroup with every property of `after` that changed (the request generated
/// from the schema, a removed property sent as AWS's default); whether there is any.
pub(super) fn update_request(
    req: UpdateAutoScalingGroupFluentBuilder,
    after: &Props<'_>,
    spec: &Spec,
    diff: &dyn Fn(&str) -> bool,
) -> Result<(UpdateAutoScalingGroupFluentBuilder, bool), ProviderError> {
    let mut any = false;
    let mut changed = |key: &str| {
        let d = diff(key) || (LAUNCH.contains(&key) && LAUNCH.iter().any(|k| diff(k)));
        any |= d;
        d
    };
    let mut req = update_auto_scaling_group(after, req, &mut changed)?;
    if changed("VPCZoneIdentifier") {
        req = req.set_vpc_zone_identifier(spec.vpc_zone.clone());
    }
    Ok((req, any))
}
