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
//! The properties are read by the conversions generated from the schema (`spec.rs`,
//! `mappings/elbv2.toml`), and reported back by the generated `report_target_group`.
//!
//! A health check setting or attribute removed from the template keeps the value it has:
//! ModifyTargetGroup cannot unset one, and attributes not modified "retain their current
//! values". A target group still used by a listener or rule cannot be deleted
//! (`ResourceInUse`, a dependency violation the engine retries while the listener goes away).

use aws_sdk_elasticloadbalancingv2::types::TargetGroup;
#[cfg(test)]
use serde_json::Value;

use super::create_tags;
use super::find::find_named;
use super::shared::{created_or_adopted, describe_one, read_described};
use crate::providers::kit::does_not_exist;
use crate::providers::kit::prelude::*;

pub(super) use read::output;
use spec::{Spec, parse};

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
pub(super) type TargetGroupProvider = super::ElbProvider<TargetGroup>;

impl kit::Provider for TargetGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = create_name(ctx, spec.create.get_name().as_ref(), input, "Name")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let op = "CreateTargetGroup";
        let created = spec
            .create
            .clone()
            .name(&name)
            .set_tags(create_tags(ctx, &tags)?);
        let created = created.send_with(&self.elb.client).await;
        let created = created
            .map(|out| out.target_groups.unwrap_or_default().into_iter().next())
            .map_err(|e| self.elb.api.err(e));
        let (tg, adopted) = created_or_adopted(&self.elb, ctx, input, (op, &name), created).await?;
        let (made, made_tags) = match adopted {
            None => {
                let made = Spec {
                    attributes: Vec::new(),
                    targets: Vec::new(),
                    ..spec.clone()
                };
                (made, tags.clone())
            }
            // Everything that can change in place is applied again.
            Some(found_tags) => (Spec::default(), found_tags),
        };
        let arn = tg.target_group_arn().unwrap_or_default().to_owned();
        self.apply(ctx, &arn, [&made, &spec]).await?;
        self.elb.update_tags(ctx, &arn, &made_tags, &tags).await?;
        Ok(output(&tg))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        let (b, a) = (&before.create, &after.create);
        let create_only = [
            (
                "Name",
                b.get_name() != a.get_name() && a.get_name().is_some(),
            ),
            ("Port", b.get_port() != a.get_port()),
            ("Protocol", b.get_protocol() != a.get_protocol()),
            (
                "ProtocolVersion",
                b.get_protocol_version() != a.get_protocol_version(),
            ),
            ("TargetType", b.get_target_type() != a.get_target_type()),
            ("VpcId", b.get_vpc_id() != a.get_vpc_id()),
            (
                "IpAddressType",
                b.get_ip_address_type() != a.get_ip_address_type(),
            ),
            (
                "TargetControlPort",
                b.get_target_control_port() != a.get_target_control_port(),
            ),
        ];
        if let Some((what, _)) = create_only.iter().find(|(_, changed)| *changed) {
            return Err(ctx.fatal(format!(
                "{what} cannot change in place (ELBv2 has no call for it); the target group must \
                 be replaced"
            )));
        }
        self.apply(ctx, arn, [&before, &after]).await?;
        let tags = [&before.tags[..], &after.tags[..]];
        self.elb.retag(ctx, arn, &input.tags, tags).await?;
        let tg = describe_one::<TargetGroup>(&self.elb, arn)
            .await
            .map_err(|err| ctx.fail(format!("reading target group {arn}"), err))?
            .ok_or_else(|| does_not_exist(ctx, &format!("target group {arn}")))?;
        Ok(output(&tg))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let call = self.elb.client.delete_target_group().target_group_arn(arn);
        let doing = format!("deleting target group {arn}");
        call.send().deleted(&self.elb, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_described::<TargetGroup>(&self.elb, items).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        find_named::<TargetGroup>(&self.elb, input).await
    }
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
