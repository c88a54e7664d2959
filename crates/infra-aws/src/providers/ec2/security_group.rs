//! `AWS::EC2::SecurityGroup`, with its inline `SecurityGroupIngress` / `SecurityGroupEgress`
//! rules.
//!
//! - create: `CreateSecurityGroup` (the template's `GroupName` or the generated name, tags;
//!   description and VPC by the request generated from `mappings/ec2.toml`), then `AuthorizeSecurityGroupIngress` for the inline ingress
//!   rules. EC2 gives every new group an allow-all egress rule; CloudFormation keeps it only
//!   when the template has no egress rules, so when it has some the default one is revoked and
//!   the template's authorized (at the same time as the ingress rules). The group is read
//!   back only when a rule call has not yet shown it visible or the VPC is not named: the
//!   outputs are `GroupId` and `VpcId`.
//! - update: rules by difference between the properties last applied and the new ones
//!   (authorize the new rules first, then change descriptions with
//!   `UpdateSecurityGroupRuleDescriptions*`, then revoke the old ones, so allowed traffic is
//!   never cut in between); removing every egress rule leaves none, as CloudFormation
//!   documents; tags.
//! - read: one `DescribeSecurityGroups` per page for all groups.
//! - delete: `DeleteSecurityGroup` (`DependencyViolation` / `InvalidGroup.InUse` while network
//!   interfaces or other groups' rules still use it).
//! - find: by its infra tags (`DescribeSecurityGroups`), which the create call gives it; a
//!   group of the same name that lacks them is not this resource's.
//!
//! `Ref` is the group id. Every documented property is supported.

use crate::providers::ec2::find::tag_coverage;
use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Filter, ResourceType, SecurityGroup};

use super::api::{
    Ec2, PAGE_SIZE, all_pages, by_filter, call, deleted, on_create, refreshing,
    retry_while_not_found,
};
use super::find;
use super::object::by_id;
use super::props::{Attributes, fields, observations, unchecked};
use super::sg_rules::{Direction, Peer, Rule, diff, report_rules};
use super::tags;
use crate::generated::ec2::{create_security_group, report_security_group};

pub(crate) const TYPE: &str = "AWS::EC2::SecurityGroup";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = tag_coverage!(
    "DescribeSecurityGroups",
    "(200 ids per filter, pages followed)"
);

pub(crate) const SPEC: Keys = crate::generated::ec2::SECURITY_GROUP;

/// The properties holding the inline rules.
const INGRESS: &str = "SecurityGroupIngress";
const EGRESS: &str = "SecurityGroupEgress";

/// The security group provider.
#[derive(Debug)]
pub(crate) struct SecurityGroupProvider {
    pub(crate) ec2: Ec2,
}

/// The egress rules EC2 gives a new group: everything to everywhere (IPv6 too when the VPC
/// has an IPv6 block).
fn default_egress() -> [Rule; 2] {
    let all = |peer| Rule::seen(None, (None, None), peer, None);
    [Peer::Cidr("0.0.0.0/0".into()), Peer::Cidr6("::/0".into())].map(all)
}

impl SecurityGroupProvider {
    /// Brings the group's rules of `direction` from `from` to `to`: authorizes the new rules,
    /// updates changed descriptions, then revokes the old rules (a rule already gone is fine),
    /// a failed rule call passed through `then`. Egress rules given to a group that had none
    /// replace EC2's default ones.
    async fn converge(
        &self,
        group_id: &str,
        direction: Direction,
        (mut from, to): (Vec<Rule>, &[Rule]),
        doing: &str,
        then: fn(ProviderError) -> ProviderError,
    ) -> Result<(), ProviderError> {
        if direction == Direction::Egress && from.is_empty() && !to.is_empty() {
            // The group still has EC2's default egress rules: the template's replace them.
            from = self.present_defaults(group_id, doing).await?;
        }
        let (added, removed, described) = diff(&from, to);
        let ec2 = &self.ec2;
        let changed = async {
            if !added.is_empty() {
                let permissions: Vec<_> = added.iter().map(|r| r.permission()).collect();
                let group = || Some(group_id.to_owned());
                retry_while_not_found(|| {
                    direction.authorize(ec2, group(), None, permissions.clone(), doing)
                })
                .await?;
            }
            if !described.is_empty() {
                let permissions = described.iter().map(|r| r.permission()).collect();
                direction
                    .describe(ec2, group_id, permissions, doing)
                    .await?;
            }
            // One rule per call, so that a rule already gone does not keep the others.
            for rule in removed {
                let permissions = Some(vec![rule.permission()]);
                direction
                    .revoke(ec2, group_id, permissions, None, doing)
                    .await?;
            }
            Ok(())
        };
        changed.await.map_err(then)
    }

    /// The group, once EC2 shows it (a new group may not be visible to every call yet).
    async fn visible(&self, group_id: &str, doing: &str) -> Result<SecurityGroup, ProviderError> {
        retry_while_not_found(|| async move {
            let found = describe(&self.ec2, [group_id], doing)
                .await?
                .remove(group_id);
            found.ok_or_else(|| ProviderError {
                class: FailureClass::NotFound,
                message: format!("{doing}: security group {group_id} is not visible yet"),
            })
        })
        .await
    }

    /// EC2's default egress rules that the group has now.
    async fn present_defaults(
        &self,
        group_id: &str,
        doing: &str,
    ) -> Result<Vec<Rule>, ProviderError> {
        let group = self.visible(group_id, doing).await?;
        let present = Rule::from_permissions(group.ip_permissions_egress());
        let defaults = default_egress().into_iter();
        Ok(defaults
            .filter(|d| present.iter().any(|p| p.same(d)))
            .collect())
    }

    async fn output(&self, group_id: &str, doing: &str) -> Made {
        let mut out = output_of(group_id, []);
        out.attributes = attributes(&self.visible(group_id, doing).await?);
        Ok(out)
    }
}

/// The outputs: what CloudFormation documents for `Fn::GetAtt` (`GroupId`, `VpcId`) and `Id`
/// (the `Ref`).
fn known_output(group_id: &str, vpc_id: &str) -> ResourceOutput {
    let ids = [("Id", group_id), ("GroupId", group_id), ("VpcId", vpc_id)];
    output_of(group_id, ids.map(|(k, id)| (k, json!(id))))
}

/// The attributes of a group.
fn attributes(group: &SecurityGroup) -> Attributes {
    match (group.group_id(), group.vpc_id()) {
        (Some(id), Some(vpc)) => known_output(id, vpc).attributes,
        _ => BTreeMap::new(),
    }
}

/// Properties (as a template writes them) and attributes of a group; `last` are the
/// properties last applied (of the resource `ctx` names), whose rules keep their spelling.
fn observe(
    group: &SecurityGroup,
    last: &Value,
    ctx: Ctx<'_>,
) -> Result<(Map<String, Value>, Attributes), ProviderError> {
    let last_props = unchecked(last, ctx)?;
    let mut properties = fields(report_security_group(group));
    for (key, direction, permissions) in [
        (INGRESS, Direction::Ingress, group.ip_permissions()),
        (EGRESS, Direction::Egress, group.ip_permissions_egress()),
    ] {
        let last_rules = Rule::parse_list(&last_props, key, direction)?;
        let seen = Rule::from_permissions(permissions);
        properties.insert(key.into(), report_rules(&seen, &last_rules, direction));
    }
    properties.insert("Tags".into(), tags::observed(group.tags(), last));
    Ok((properties, attributes(group)))
}

/// The security groups of `ids` that exist, by id.
async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<BTreeMap<String, SecurityGroup>, ProviderError> {
    let found = by_filter("group-id", ids, |f| describe_where(ec2, f, doing));
    Ok(by_id(found.await?))
}

/// Every security group `filters` select (one call per page).
async fn describe_where(
    ec2: &Ec2,
    filters: Vec<Filter>,
    doing: &str,
) -> Result<Vec<SecurityGroup>, ProviderError> {
    let request = ec2.client.describe_security_groups();
    let request = request.set_filters(Some(filters)).max_results(PAGE_SIZE);
    Ok(all_pages!(ec2, request, doing, security_groups))
}

impl kit::Provider for SecurityGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let props = Props::root(&input.properties, ctx, SPEC)?;
        let tags = tags::desired(&props, &input.tags)?;
        let ingress = Rule::parse_list(&props, INGRESS, Direction::Ingress)?;
        let egress = Rule::parse_list(&props, EGRESS, Direction::Egress)?;
        let name = props
            .str("GroupName")?
            .or_else(|| input.generated_name.clone());
        let name = name.ok_or_else(|| {
            ProviderError::fatal(format!(
                "{doing}: no GroupName in the template and no generated name"
            ))
        })?;
        let request = self.ec2.client.create_security_group().group_name(name);
        let tags = tags::spec(ResourceType::SecurityGroup, &tags);
        let request = create_security_group(&props, request.set_tag_specifications(tags))?;
        let created = call!(self.ec2, request, &doing).map_err(on_create)?;
        let group_id = created.group_id().map(str::to_owned).ok_or_else(|| {
            ProviderError::fatal(format!("{doing}: CreateSecurityGroup returned no group id"))
        })?;
        // A not-found error now names a group a rule refers to: not visible yet, or missing.
        // Ingress and egress rules are independent: both are set at once.
        let (id, doing) = (group_id.as_str(), doing.as_str());
        tokio::try_join!(
            self.converge(id, Direction::Ingress, (vec![], &ingress), doing, on_create),
            self.converge(id, Direction::Egress, (vec![], &egress), doing, on_create)
        )?;
        // A rule call that succeeded shows the group is visible, and with the VPC named every
        // output (`GroupId`, `VpcId`) is known: no read is needed. Otherwise the group is read
        // until it is visible, which also gives the default VPC's id.
        if let Some(vpc_id) = props.str("VpcId")?
            && !(ingress.is_empty() && egress.is_empty())
        {
            return Ok(known_output(&group_id, &vpc_id));
        }
        self.output(id, doing).await.map_err(on_create)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = unchecked(&input.before, ctx)?;
        let after = Props::root(&input.after, ctx, SPEC)?;
        let group_id = input.physical_id.as_str();

        for (key, direction) in [(INGRESS, Direction::Ingress), (EGRESS, Direction::Egress)] {
            let from = Rule::parse_list(&before, key, direction)?;
            let to = Rule::parse_list(&after, key, direction)?;
            let converged = self.converge(group_id, direction, (from, &to), &doing, |e| e);
            converged.await?;
        }
        let old = tags::desired(&before, &input.tags)?;
        let new = tags::desired(&after, &input.tags)?;
        tags::update(&self.ec2, group_id, &doing, &old, &new).await?;
        self.output(group_id, &doing).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let request = self.ec2.client.delete_security_group();
        let request = request.group_id(&input.physical_id);
        deleted(call!(self.ec2, request, &doing)).map(drop)
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let ids = items.iter().map(|i| i.physical_id.as_str());
        let found = describe(&self.ec2, ids, &doing).await?;
        let mut observed = Vec::new();
        for item in items {
            let ctx = Ctx::new(TYPE, &item.address);
            let group = found.get(&item.physical_id);
            let seen = group.map(|g| observe(g, &item.properties, ctx));
            observed.push((item, seen.transpose()?));
        }
        Ok(observations(observed, &[], |_, observed| observed))
    }

    /// By its infra tags (`DescribeSecurityGroups`). Its rules are reported as they are: those
    /// the interrupted create did not authorize yet show as drift at the next plan.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let doing = ctx.doing("finding");
        let found = describe_where(&self.ec2, find::tag_filters(input, &doing)?, &doing).await?;
        let Some((group_id, _)) = find::pick(found, input, "security group", &doing)? else {
            return Ok(None);
        };
        self.output(&group_id, &doing).await.map(Some)
    }
}
