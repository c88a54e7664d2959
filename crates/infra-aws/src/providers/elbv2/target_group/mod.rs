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
//! The properties are read into a [`Spec`] by the conversions generated from the schema
//! (`generated/elbv2.rs`, `mappings/elbv2.toml`; the tags here), and reported back by the
//! generated `report_target_group`.
//!
//! A health check setting or attribute removed from the template keeps the value it has:
//! ModifyTargetGroup cannot unset one, and attributes not modified "retain their current
//! values". A target group still used by a listener or rule cannot be deleted
//! (`ResourceInUse`, a dependency violation the engine retries while the listener goes away).

use aws_sdk_elasticloadbalancingv2::operation::create_target_group::builders::CreateTargetGroupInputBuilder;
use aws_sdk_elasticloadbalancingv2::operation::modify_target_group::builders::ModifyTargetGroupInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::{TargetDescription, TargetGroup, TargetGroupAttribute};

use super::attributes::{attribute_list, modify_attributes};
use super::find::find_named;
use super::json::{self, changed_pairs};
use super::shared::{Reported, create_described, describe_one, read_described};
use crate::generated::elbv2::{
    TARGET_DESCRIPTION, TARGET_GROUP, TARGET_GROUP_ATTRIBUTE, create_target_group,
    modify_target_group, target_description, target_group_attribute,
};
use crate::providers::kit::convert::{R, each};
use crate::providers::kit::does_not_exist;
use crate::providers::kit::prelude::*;

mod read;

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeTargetGroups and DescribeTags (20 ARNs per call); attributes and registered targets per target group when managed",
    Find::Name,
    "DescribeTargetGroups of Name, infra tags checked (DescribeTags)",
);

/// A target group as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateTargetGroup without the tags (and with the template's name, if any).
    create: CreateTargetGroupInputBuilder,
    attributes: Vec<TargetGroupAttribute>,
    targets: Vec<TargetDescription>,
    tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, TARGET_GROUP)?;
    let attributes = ("TargetGroupAttributes", TARGET_GROUP_ATTRIBUTE);
    Ok(Spec {
        create: create_target_group(&p, CreateTargetGroupInputBuilder::default())?,
        attributes: attribute_list(&p, attributes.0, attributes.1, target_group_attribute)?,
        targets: each(&p, "Targets", TARGET_DESCRIPTION, target_description)?.unwrap_or_default(),
        tags: p.tags("Tags")?,
    })
}

/// The provider.
pub(super) type TargetGroupProvider = super::ElbProvider<TargetGroup>;

impl TargetGroupProvider {
    /// Brings target group `arn` from `before` to `after` (what changes in place; the template's
    /// properties `props`): ModifyTargetGroup, ModifyTargetGroupAttributes, RegisterTargets /
    /// DeregisterTargets.
    async fn apply(&self, ctx: Ctx<'_>, arn: &str, specs: [&Spec; 2], props: [&Value; 2]) -> R<()> {
        let ([before, after], (client, api)) = (specs, (&self.elb.client, &self.elb.api));
        // Only what changed, and only to a value: a setting left out keeps the one it has.
        let p = Props::root(props[1], ctx, TARGET_GROUP)?;
        let health = modify_target_group(&p, client.modify_target_group(), &mut |k| {
            let (b, a) = (props[0].get(k), props[1].get(k));
            let (b, a) = (b.unwrap_or(&Value::Null), a.unwrap_or(&Value::Null));
            !(json::matches(b, a) && json::matches(a, b))
        })?;
        if *health.as_input() != ModifyTargetGroupInputBuilder::default() {
            let sent = health.target_group_arn(arn).send().await;
            sent.map_err(|e| ctx.fail("changing the health check", api.err(e)))?;
        }
        let attributes = [&before.attributes[..], &after.attributes[..]];
        let modify = client.modify_target_group_attributes();
        let modify = modify.target_group_arn(arn);
        let modify = |pairs| modify.set_attributes(Some(pairs)).send();
        modify_attributes(&self.elb, ctx, attributes, modify).await?;
        let added = changed_pairs(&before.targets, &after.targets);
        if !added.is_empty() {
            let request = client.register_targets().target_group_arn(arn);
            let sent = request.set_targets(Some(added)).send().await;
            let own = Some("TargetGroupNotFound");
            let doing = "registering targets";
            sent.map_err(|e| ctx.fail_referencing_except(own, doing, api.err(e)))?;
        }
        let removed = changed_pairs(&after.targets, &before.targets);
        if !removed.is_empty() {
            let request = client.deregister_targets().target_group_arn(arn);
            let sent = request.set_targets(Some(removed)).send().await;
            sent.map_err(|e| ctx.fail("deregistering targets", api.err(e)))?;
        }
        Ok(())
    }
}

impl kit::Provider for TargetGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = create_name(ctx, spec.create.get_name().as_ref(), input, "Name")?;
        let (create, client) = (spec.create.clone().name(&name), &self.elb.client);
        let send = move |tags| async move {
            let out = create.set_tags(tags).send_with(client).await;
            out.map(|out| out.target_groups.unwrap_or_default().into_iter().next())
        };
        let (tg, adopted, tags) =
            create_described(&self.elb, ctx, input, (&name, &spec.tags), send).await?;
        // Adopted, everything that can change in place is applied again.
        let made = match adopted {
            None => Spec {
                attributes: Vec::new(),
                targets: Vec::new(),
                ..spec.clone()
            },
            Some(_) => Spec::default(),
        };
        let made_props = adopted
            .as_ref()
            .map_or(input.properties.clone(), |_| Value::Null);
        let arn = tg.target_group_arn().unwrap_or_default().to_owned();
        let props = [&made_props, &input.properties];
        self.apply(ctx, &arn, [&made, &spec], props).await?;
        let made_tags = adopted.as_ref().unwrap_or(&tags);
        self.elb.update_tags(ctx, &arn, made_tags, &tags).await?;
        Ok(tg.output())
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        let (b, a) = (&before.create, &after.create);
        macro_rules! differ {
            ($($key:literal $get:ident),*) => { [$(($key, b.$get() != a.$get())),*] };
        }
        let create_only = differ!["Port" get_port, "Protocol" get_protocol,
            "ProtocolVersion" get_protocol_version, "TargetType" get_target_type,
            "VpcId" get_vpc_id, "IpAddressType" get_ip_address_type,
            "TargetControlPort" get_target_control_port];
        let renamed = b.get_name() != a.get_name() && a.get_name().is_some();
        let mut changed = [("Name", renamed)].into_iter().chain(create_only);
        if let Some((what, _)) = changed.find(|(_, changed)| *changed) {
            return Err(ctx.fatal(format!(
                "{what} cannot change in place (ELBv2 has no call for it); the target group must \
                 be replaced"
            )));
        }
        let props = [&input.before, &input.after];
        self.apply(ctx, arn, [&before, &after], props).await?;
        let tags: [&[_]; 2] = [&before.tags, &after.tags];
        self.elb.retag(ctx, arn, &input.tags, tags).await?;
        let tg = describe_one::<TargetGroup>(&self.elb, arn)
            .await
            .map_err(|err| ctx.fail(format!("reading target group {arn}"), err))?
            .ok_or_else(|| does_not_exist(ctx, &format!("target group {arn}")))?;
        Ok(tg.output())
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
