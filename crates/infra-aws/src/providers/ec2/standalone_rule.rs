//! `AWS::EC2::SecurityGroupIngress` ([`Ingress`]) and `AWS::EC2::SecurityGroupEgress`
//! ([`Egress`]): one rule of a security group, managed on its own.
//!
//! - create: `AuthorizeSecurityGroupIngress` / `AuthorizeSecurityGroupEgress` with one
//!   permission; the rule id EC2 returns is `Ref` (found with `DescribeSecurityGroupRules` when
//!   the response lacks it).
//! - update: only `Description` updates in place (`UpdateSecurityGroupRuleDescriptions*`); every
//!   other property is create-only.
//! - read: one `DescribeSecurityGroupRules` per page for all rules.
//! - delete: `RevokeSecurityGroupIngress` / `RevokeSecurityGroupEgress` by rule id (a rule or
//!   group already gone is success).
//! - find: not taggable, so by its natural key: the rule of this direction in its group that
//!   is the same rule (protocol, ports, peer; see [`super::sg_rules`]), from
//!   `DescribeSecurityGroupRules` filtered by `group-id`.
//!
//! Not taggable (the CloudFormation schema says so). `Ref` and `Fn::GetAtt Id` are the rule id
//! (`sgr-...`). Every documented property is supported.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::SecurityGroupRule;

use super::api::{
    Ec2, PAGE_SIZE, all_pages, by_filter, filter, id_output, is_not_found, on_create, refreshing,
};
use super::object::by_id;
use super::props::{observe_each, put, unchecked};
use super::sg_rules::{Direction, Peer, Rule};

/// Properties EC2 does not report back for a rule.
const WRITE_ONLY: &[&str] = &[
    "GroupName",
    "SourceSecurityGroupName",
    "SourceSecurityGroupOwnerId",
];

/// What one standalone rule type says about itself.
pub(crate) trait RuleType: std::fmt::Debug + Send + Sync + 'static {
    /// `AWS::EC2::SecurityGroupIngress`.
    const TYPE: &'static str;
    /// What `infra types` lists for how it finds what an interrupted create made.
    const FIND: &'static str;
    /// The direction of its rules.
    const DIRECTION: Direction;
    /// The properties it maps and refuses.
    const SPEC: Keys<'static>;
}

/// `AWS::EC2::SecurityGroupIngress`: an inbound rule of a security group (`GroupId`, or
/// `GroupName` in a default VPC).
#[derive(Debug)]
pub(crate) struct Ingress;

impl RuleType for Ingress {
    const TYPE: &'static str = "AWS::EC2::SecurityGroupIngress";
    const FIND: &'static str =
        "the same ingress rule (protocol, ports, peer) of GroupId, or GroupName in the default VPC";
    const DIRECTION: Direction = Direction::Ingress;
    const SPEC: Keys<'static> = crate::generated::ec2::SECURITY_GROUP_INGRESS;
}

/// `AWS::EC2::SecurityGroupEgress`: an outbound rule of a VPC security group (`GroupId`).
#[derive(Debug)]
pub(crate) struct Egress;

impl RuleType for Egress {
    const TYPE: &'static str = "AWS::EC2::SecurityGroupEgress";
    const FIND: &'static str = "the same egress rule (protocol, ports, peer) of GroupId";
    const DIRECTION: Direction = Direction::Egress;
    const SPEC: Keys<'static> = crate::generated::ec2::SECURITY_GROUP_EGRESS;
}

/// The provider of the standalone rule type `T`.
#[derive(Debug)]
pub(crate) struct StandaloneRule<T> {
    ec2: Ec2,
    kind: PhantomData<T>,
}

impl<T: RuleType> StandaloneRule<T> {
    /// The provider, calling `ec2`.
    pub(crate) fn new(ec2: Ec2) -> Self {
        StandaloneRule {
            ec2,
            kind: PhantomData,
        }
    }
}

/// Whether `rule` is of the direction of `T`.
fn is_mine<T: RuleType>(rule: &SecurityGroupRule) -> bool {
    rule.is_egress() == Some(T::DIRECTION == Direction::Egress)
}

/// The group of the rule: `GroupId`, and (inbound only) `GroupName`.
fn group<T: RuleType>(
    props: &Props<'_>,
) -> Result<(Option<String>, Option<String>), ProviderError> {
    let name = match T::DIRECTION {
        Direction::Ingress => props.str("GroupName")?,
        Direction::Egress => None,
    };
    Ok((props.str("GroupId")?, name))
}

impl<T: RuleType> kit::Provider for StandaloneRule<T> {
    const TYPE: &'static str = T::TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeSecurityGroupRules (200 rule ids per filter, pages followed)",
        Find::NaturalKey,
        T::FIND,
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let props = Props::root(&input.properties, ctx, T::SPEC)?;
        let rule = Rule::parse(&props, T::DIRECTION)?;
        let (group_id, group_name) = group::<T>(&props)?;
        if group_id.is_none() && group_name.is_none() {
            let or_name = T::DIRECTION.pick(" or GroupName", "");
            let why = format!("{doing}: specify GroupId{or_name}");
            return Err(ProviderError::fatal(why));
        }
        let permissions = vec![rule.permission()];
        let ec2 = &self.ec2;
        let authorize =
            T::DIRECTION.authorize(ec2, group_id.clone(), group_name, permissions, &doing);
        let returned = authorize.await.map_err(on_create)?;
        let mine = returned.iter().find(|r| is_mine::<T>(r));
        let mut id = mine.and_then(|r| r.security_group_rule_id().map(str::to_owned));
        let group = returned.iter().find_map(|r| r.group_id());
        if id.is_none()
            && let Some(group) = group.map(str::to_owned).or(group_id)
        {
            id = self.same_rules(&group, &rule, &doing).await?.pop();
        }
        let id = id.ok_or_else(|| {
            ProviderError::fatal(format!("{doing}: EC2 returned no id for the new rule"))
        })?;
        Ok(id_output("Id", &id))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = unchecked(&input.before, ctx)?;
        let after = Props::root(&input.after, ctx, T::SPEC)?;
        for key in T::SPEC.supported {
            if *key != "Description" && before.str(key)? != after.str(key)? {
                return Err(ProviderError::fatal(format!(
                    "{doing}: {key} cannot change in place; the rule must be replaced"
                )));
            }
        }
        let rule = Rule::parse(&after, T::DIRECTION)?;
        if before.str("Description")? != rule.description {
            let id = &input.physical_id;
            let found = self.describe([id.as_str()], &doing).await?;
            let group = found.get(id).and_then(|r| r.group_id());
            let group_id = group.ok_or_else(|| ProviderError {
                class: FailureClass::NotFound,
                message: format!("{doing}: rule {id} no longer exists"),
            })?;
            let permissions = vec![rule.permission()];
            let described = T::DIRECTION.describe(&self.ec2, group_id, permissions, &doing);
            described.await?;
        }
        Ok(id_output("Id", &input.physical_id))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let id = input.physical_id.as_str();
        let found = self.describe([id], &doing).await?;
        let Some(group_id) = found.get(id).and_then(|r| r.group_id()) else {
            return Ok(());
        };
        let rule_ids = Some(vec![id.to_owned()]);
        let revoked = T::DIRECTION.revoke(&self.ec2, group_id, None, rule_ids, &doing);
        revoked.await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, T::TYPE);
        let ids = items.iter().map(|i| i.physical_id.as_str());
        let found = self.describe(ids, &doing).await?;
        Ok(observe_each(items, WRITE_ONLY, |item| {
            let sdk_rule = found.get(&item.physical_id).filter(|r| is_mine::<T>(r))?;
            let rule = Rule::from_sdk(sdk_rule)?;
            let mut properties = rule.to_template(T::DIRECTION);
            // The same rule as last applied: written the template's way (`6` stays `6`).
            if let Ok(last) = unchecked(&item.properties, Ctx::new(T::TYPE, &item.address))
                && let Ok(last_rule) = Rule::parse(&last, T::DIRECTION)
                && last_rule.same(&rule)
                && !last_rule.description_differs(&rule)
            {
                for key in T::DIRECTION.rule_keys() {
                    properties.remove(*key);
                    if let Some(value) = last.get(key) {
                        properties.insert((*key).to_owned(), value.clone());
                    }
                }
            }
            put(&mut properties, "GroupId", sdk_rule.group_id());
            Some((properties, id_output("Id", &item.physical_id).attributes))
        }))
    }

    /// By its natural key: the rule of this direction in the group (`GroupId`, or `GroupName`
    /// in the default VPC) that is the same rule: protocol, ports and peer, descriptions aside
    /// (a source group given by name is compared by its id).
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let doing = ctx.doing("finding");
        let props = Props::root(&input.properties, ctx, T::SPEC)?;
        let mut rule = Rule::parse(&props, T::DIRECTION)?;
        let group_id = match group::<T>(&props)? {
            (Some(id), _) => Some(id),
            (None, Some(name)) => self.group_id_by_name(&name, &doing).await?,
            (None, None) => {
                return Err(ProviderError::fatal(format!(
                    "{doing}: the rule names no GroupId or GroupName"
                )));
            }
        };
        let Some(group_id) = group_id else {
            return Ok(None);
        };
        if let Peer::Group {
            id: id @ None,
            name: Some(name),
            owner: None,
        } = &mut rule.peer
        {
            *id = self.group_id_by_name(name, &doing).await?;
            if id.is_none() {
                return Ok(None);
            }
        }
        match self.same_rules(&group_id, &rule, &doing).await?.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(id_output("Id", one))),
            many => Err(ProviderError::fatal(format!(
                "{doing}: {} rules of security group {group_id} match it ({})",
                many.len(),
                many.join(", ")
            ))),
        }
    }
}

impl<T: RuleType> StandaloneRule<T> {
    /// The ids of the rules of this direction in `group_id` that are the same rule as `rule`.
    async fn same_rules(
        &self,
        group_id: &str,
        rule: &Rule,
        doing: &str,
    ) -> Result<Vec<String>, ProviderError> {
        let rules = self.rules_where(vec![filter("group-id", &[group_id.to_owned()])], doing);
        Ok(by_id(rules.await?)
            .into_values()
            .filter(|r| is_mine::<T>(r) && Rule::from_sdk(r).is_some_and(|o| o.same(rule)))
            .filter_map(|r| r.security_group_rule_id)
            .collect())
    }

    /// The id of the default VPC's security group called `name` (what EC2 means by a group
    /// given by name), `None` when there is none.
    async fn group_id_by_name(
        &self,
        name: &str,
        doing: &str,
    ) -> Result<Option<String>, ProviderError> {
        let request = self.ec2.client.describe_security_groups();
        match request.group_names(name).send().await {
            Ok(out) => Ok((out.security_groups().iter())
                .find(|g| g.group_name() == Some(name))
                .and_then(|g| g.group_id())
                .map(str::to_owned)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(self.ec2.error(doing, e)),
        }
    }

    /// The rules of `ids` that exist, by id.
    async fn describe<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, SecurityGroupRule>, ProviderError> {
        let name = "security-group-rule-id";
        let rules = by_filter(name, ids, |f| self.rules_where(f, doing));
        Ok(by_id(rules.await?))
    }

    /// Every rule `filters` select (one call per page).
    async fn rules_where(
        &self,
        filters: Vec<aws_sdk_ec2::types::Filter>,
        doing: &str,
    ) -> Result<Vec<SecurityGroupRule>, ProviderError> {
        let request = self.ec2.client.describe_security_group_rules();
        let request = request.set_filters(Some(filters)).max_results(PAGE_SIZE);
        Ok(all_pages!(self.ec2, request, doing, security_group_rules))
    }
}
