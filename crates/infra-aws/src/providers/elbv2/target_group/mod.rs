//! `AWS::ElasticLoadBalancingV2::TargetGroup`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` | CreateTargetGroup (else the generated name) | create-only (replacement) |
//! | `Port`, `Protocol`, `ProtocolVersion`, `TargetType`, `VpcId`, `IpAddressType` | CreateTargetGroup | create-only (replacement) |
//! | `TargetControlPort` | CreateTargetGroup | refused: ELBv2 has no call to change it |
//! | `HealthCheckEnabled`, `HealthCheckIntervalSeconds`, `HealthCheckPath`, `HealthCheckPort`, `HealthCheckProtocol`, `HealthCheckTimeoutSeconds`, `HealthyThresholdCount`, `UnhealthyThresholdCount`, `Matcher` | CreateTargetGroup | ModifyTargetGroup, the changed ones |
//! | `TargetGroupAttributes` | ModifyTargetGroupAttributes (values sent as text: `0` → `"0"`) | ModifyTargetGroupAttributes, the changed keys |
//! | `Targets` | RegisterTargets | RegisterTargets added, DeregisterTargets removed |
//! | `Tags` | CreateTargetGroup, with infra's tags | AddTags / RemoveTags |
//!
//! A health check setting or attribute removed from the template keeps the value it has:
//! ModifyTargetGroup cannot unset one, and attributes not modified "retain their current
//! values". A target group still used by a listener or rule cannot be deleted
//! (`ResourceInUse`, a dependency violation the engine retries while the listener goes away).

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    ProtocolEnum, TargetGroup, TargetGroupIpAddressTypeEnum, TargetTypeEnum,
};
#[cfg(test)]
use serde_json::Value;

use super::shared::{adoptable, describe_one, read_described};
use super::{Elb, create_tags};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, Observation, ProviderError,
    ReadInput, Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{Ctx, has_code, merge_tags};

use crate::providers::kit;
pub(super) use read::output;
use spec::{HealthCheck, Spec, parse};

mod changes;
mod read;
mod spec;

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeTargetGroups and DescribeTags (20 ARNs per call); attributes and registered targets per target group when managed",
    Find::Name,
    "DescribeTargetGroups of Name, infra tags checked (DescribeTags)",
);

/// The provider.
#[derive(Debug)]
pub(super) struct TargetGroupProvider {
    pub(super) elb: Elb,
}

impl kit::Provider for TargetGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("Name is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let h = &spec.health;
        let created = self
            .elb
            .client
            .create_target_group()
            .name(&name)
            .set_port(spec.port)
            .set_protocol(spec.protocol.as_deref().map(ProtocolEnum::from))
            .set_protocol_version(spec.protocol_version.clone())
            .set_target_type(spec.target_type.as_deref().map(TargetTypeEnum::from))
            .set_vpc_id(spec.vpc_id.clone())
            .set_ip_address_type(
                spec.ip_address_type
                    .as_deref()
                    .map(TargetGroupIpAddressTypeEnum::from),
            )
            .set_target_control_port(spec.target_control_port)
            .set_health_check_enabled(h.enabled)
            .set_health_check_interval_seconds(h.interval)
            .set_health_check_path(h.path.clone())
            .set_health_check_port(h.port.clone())
            .set_health_check_protocol(h.protocol.as_deref().map(ProtocolEnum::from))
            .set_health_check_timeout_seconds(h.timeout)
            .set_healthy_threshold_count(h.healthy)
            .set_unhealthy_threshold_count(h.unhealthy)
            .set_matcher(h.matcher.clone())
            .set_tags(create_tags(ctx, &tags)?)
            .send()
            .await;
        let (tg, made, made_tags) = match created {
            Ok(out) => {
                let tg = out.target_groups().first().cloned().ok_or_else(|| {
                    ctx.fatal(format!("CreateTargetGroup {name} returned no target group"))
                })?;
                let made = Spec {
                    attributes: Vec::new(),
                    targets: Vec::new(),
                    ..spec.clone()
                };
                (tg, made, tags.clone())
            }
            Err(e) => {
                let err = self.elb.api.err("CreateTargetGroup", e);
                if !has_code(&err, "DuplicateTargetGroupName") {
                    return Err(ctx.fail_referencing(format!("creating target group {name}"), err));
                }
                let found = self.elb.target_group_named(ctx, &name).await?;
                let (tg, found_tags) = adoptable(ctx, "target group", &name, input, err, found)?;
                // Everything that can change in place is applied again.
                let made = Spec {
                    health: HealthCheck::default(),
                    attributes: Vec::new(),
                    targets: Vec::new(),
                    tags: Vec::new(),
                    ..spec.clone()
                };
                (tg, made, found_tags)
            }
        };
        let arn = tg.target_group_arn().unwrap_or_default().to_owned();
        self.apply_changes(ctx, &arn, &made, &spec, &made_tags, &tags)
            .await?;
        Ok(output(&tg))
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        let create_only = [
            ("Name", before.name != after.name && after.name.is_some()),
            ("Port", before.port != after.port),
            ("Protocol", before.protocol != after.protocol),
            (
                "ProtocolVersion",
                before.protocol_version != after.protocol_version,
            ),
            ("TargetType", before.target_type != after.target_type),
            ("VpcId", before.vpc_id != after.vpc_id),
            (
                "IpAddressType",
                before.ip_address_type != after.ip_address_type,
            ),
            (
                "TargetControlPort",
                before.target_control_port != after.target_control_port,
            ),
        ];
        if let Some((what, _)) = create_only.iter().find(|(_, changed)| *changed) {
            return Err(ctx.fatal(format!(
                "{what} cannot change in place (ELBv2 has no call for it); the target group must \
                 be replaced"
            )));
        }
        let before_tags = merge_tags(&before.tags, &input.tags);
        let after_tags = merge_tags(&after.tags, &input.tags);
        self.apply_changes(ctx, arn, &before, &after, &before_tags, &after_tags)
            .await?;
        let tg = describe_one::<TargetGroup>(&self.elb, arn)
            .await
            .map_err(|err| ctx.fail(format!("reading target group {arn}"), err))?
            .ok_or_else(|| {
                ctx.error(
                    FailureClass::NotFound,
                    format!("target group {arn} does not exist"),
                )
            })?;
        Ok(output(&tg))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        match self
            .elb
            .client
            .delete_target_group()
            .target_group_arn(arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.elb.api.err("DeleteTargetGroup", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting target group {arn}"), err))
                }
            }
        }
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        read_described::<aws_sdk_elasticloadbalancingv2::types::TargetGroup>(&self.elb, items).await
    }

    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        self.find_made(input).await
    }
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
