//! `AWS::ElasticLoadBalancingV2::TargetGroup` properties: the template's properties read into a
//! [`Spec`]. The keys, the CreateTargetGroup request, the health check (ModifyTargetGroup's
//! request), the targets and the attributes are read by the conversions generated from the
//! schema (`generated/elbv2.rs`, `mappings/elbv2.toml`); the tags are read here.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::operation::create_target_group::builders::CreateTargetGroupInputBuilder;
use aws_sdk_elasticloadbalancingv2::operation::modify_target_group::builders::ModifyTargetGroupInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::{TargetDescription, TargetGroupAttribute};

use crate::generated::elbv2::{
    TARGET_DESCRIPTION, TARGET_GROUP, TARGET_GROUP_ATTRIBUTE, create_target_group,
    modify_target_group, target_description, target_group_attribute,
};
use crate::providers::elbv2::attributes::attribute_list;
use crate::providers::kit::convert::each;

/// A target group as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateTargetGroup without the tags (and with the template's name, if any).
    pub(super) create: CreateTargetGroupInputBuilder,
    /// The health check settings ModifyTargetGroup changes.
    pub(super) health: ModifyTargetGroupInputBuilder,
    pub(super) attributes: Vec<TargetGroupAttribute>,
    pub(super) targets: Vec<TargetDescription>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, TARGET_GROUP)?;
    Ok(Spec {
        create: create_target_group(&p, CreateTargetGroupInputBuilder::default())?,
        health: modify_target_group(&p, ModifyTargetGroupInputBuilder::default())?,
        attributes: attribute_list(
            &p,
            "TargetGroupAttributes",
            TARGET_GROUP_ATTRIBUTE,
            target_group_attribute,
        )?,
        targets: each(&p, "Targets", TARGET_DESCRIPTION, target_description)?.unwrap_or_default(),
        tags: p.tags("Tags")?,
    })
}
