//! What `AWS::EC2::SecurityGroupIngress` and `AWS::EC2::SecurityGroupEgress` share: one rule
//! of a security group, managed on its own.
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
//! Not taggable (the CloudFormation schema says so). `Fn::GetAtt Id` is the rule id.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::SecurityGroupRule;

use super::api::{
    Ec2, PAGE_SIZE, all_pages, filter, id_chunks, id_output, is_not_found, on_create, refreshing,
};
use super::props::{Props, Spec, observe_each};
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
    /// What `infra types` lists for it.
    const COVERAGE: Coverage;
    /// The direction of its rules.
    const DIRECTION: Direction;
    /// The properties it maps and refuses.
    const SPEC: &'static Spec;
}

/// The provider of the standalone rule type `T`.
#[derive(Debug)]
pub(crate) struct StandaloneRule<T> {
    ec2: Ec2,
    direction: Direction,
    spec: &'static Spec,
    kind: PhantomData<T>,
}

impl<T: RuleType> StandaloneRule<T> {
    /// The provider, calling `ec2`.
    pub(crate) fn new(ec2: Ec2) -> Self {
        StandaloneRule {
            ec2,
            direction: T::DIRECTION,
            spec: T::SPEC,
            kind: PhantomData,
        }
    }
}

/// What `Ref` and `Fn::GetAtt` return.
fn output(id: &str) -> ResourceOutput {
    id_output("Id", id)
}

impl<T: RuleType> StandaloneRule<T> {
    fn type_name(&self) -> &'static str {
        self.spec.type_name
    }

    fn is_mine(&self, rule: &SecurityGroupRule) -> bool {
        rule.is_egress() == Some(self.direction == Direction::Egress)
    }
}

impl<T: RuleType> kit::Provider for StandaloneRule<T> {
    const TYPE: &'static str = T::TYPE;
    const COVERAGE: Coverage = T::COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let props = Props::parse(self.spec, &input.properties)?;
        let rule = Rule::parse(&props, self.direction)?;
        let group_id = props.str("GroupId")?;
        let group_name = match self.direction {
            Direction::Ingress => props.str("GroupName")?,
            Direction::Egress => None,
        };
        if group_id.is_none() && group_name.is_none() {
            return Err(ProviderError::fatal(format!(
                "{doing}: specify GroupId{}",
                if self.direction == Direction::Ingress {
                    " or GroupName"
                } else {
                    ""
                }
            )));
        }
        let returned = self
            .direction
            .authorize(
                &self.ec2,
                group_id.clone(),
                group_name,
                vec![rule.permission()],
                &doing,
            )
            .await
            .map_err(on_create)?;
        let mut id = returned
            .iter()
            .find(|r| self.is_mine(r))
            .and_then(|r| r.security_group_rule_id())
            .map(str::to_owned);
        if id.is_none() {
            let group = returned
                .iter()
                .find_map(|r| r.group_id().map(str::to_owned))
                .or(group_id);
            if let Some(group) = group {
                id = self.same_rules(&group, &rule, &doing).await?.pop();
            }
        }
        let id = id.ok_or_else(|| {
            ProviderError::fatal(format!("{doing}: EC2 returned no id for the new rule"))
        })?;
        Ok(output(&id))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = Props::unchecked(self.type_name(), &input.before);
        let after = Props::parse(self.spec, &input.after)?;
        for key in self.spec.supported {
            if *key != "Description" && before.str(key)? != after.str(key)? {
                return Err(ProviderError::fatal(format!(
                    "{doing}: {key} cannot change in place; the rule must be replaced"
                )));
            }
        }
        let rule = Rule::parse(&after, self.direction)?;
        if before.str("Description")? != rule.description {
            let found = self.describe([input.physical_id.as_str()], &doing).await?;
            let group_id = found
                .get(&input.physical_id)
                .and_then(|r| r.group_id().map(str::to_owned))
                .ok_or_else(|| ProviderError {
                    class: crate::provider::FailureClass::NotFound,
                    message: format!("{doing}: rule {} no longer exists", input.physical_id),
                })?;
            self.direction
                .describe(&self.ec2, &group_id, vec![rule.permission()], &doing)
                .await?;
        }
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let id = input.physical_id.as_str();
        let found = self.describe([id], &doing).await?;
        let Some(group_id) = found.get(id).and_then(|r| r.group_id()) else {
            return Ok(());
        };
        let rule_ids = Some(vec![id.to_owned()]);
        self.direction
            .revoke(&self.ec2, group_id, None, rule_ids, &doing)
            .await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, self.type_name());
        let found = self
            .describe(items.iter().map(|i| i.physical_id.as_str()), &doing)
            .await?;
        Ok(observe_each(items, WRITE_ONLY, |item| {
            let sdk_rule = found.get(&item.physical_id).filter(|r| self.is_mine(r))?;
            let rule = Rule::from_sdk(sdk_rule)?;
            let last = Props::unchecked(self.type_name(), &item.properties);
            let mut properties = rule.to_template(self.direction);
            // The same rule as last applied: written the template's way (`6` stays `6`).
            if let Ok(last_rule) = Rule::parse(&last, self.direction)
                && last_rule.same(&rule)
                && !last_rule.description_differs(&rule)
            {
                for key in self.direction.rule_keys() {
                    properties.remove(*key);
                    if let Some(value) = last.get(key) {
                        properties.insert((*key).to_owned(), value.clone());
                    }
                }
            }
            if let Some(group) = sdk_rule.group_id() {
                properties.insert("GroupId".into(), Value::String(group.to_owned()));
            }
            Some((properties, output(&item.physical_id).attributes))
        }))
    }

    /// By its natural key: the rule of this direction in the group (`GroupId`, or `GroupName`
    /// in the default VPC) that is the same rule: protocol, ports and peer, descriptions aside
    /// (a source group given by name is compared by its id).
    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        let doing = super::find::finding(input, self.type_name());
        let props = Props::parse(self.spec, &input.properties)?;
        let mut rule = Rule::parse(&props, self.direction)?;
        let group_name = match self.direction {
            Direction::Ingress => props.str("GroupName")?,
            Direction::Egress => None,
        };
        let group_id = match (props.str("GroupId")?, group_name) {
            (Some(id), _) => id,
            (None, Some(name)) => match self.group_id_by_name(&name, &doing).await? {
                Some(id) => id,
                None => return Ok(None),
            },
            (None, None) => {
                return Err(ProviderError::fatal(format!(
                    "{doing}: the rule names no GroupId or GroupName"
                )));
            }
        };
        if let Peer::Group {
            id: id @ None,
            name: Some(name),
            owner: None,
        } = &mut rule.peer
        {
            match self.group_id_by_name(name, &doing).await? {
                Some(found) => *id = Some(found),
                None => return Ok(None),
            }
        }
        let found = self.same_rules(&group_id, &rule, &doing).await?;
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(output(one))),
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
        Ok(self
            .rules_where(filter("group-id", &[group_id.to_owned()]), doing)
            .await?
            .into_values()
            .filter(|r| self.is_mine(r) && Rule::from_sdk(r).is_some_and(|o| o.same(rule)))
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
        match self
            .ec2
            .client
            .describe_security_groups()
            .group_names(name)
            .send()
            .await
        {
            Ok(out) => Ok(out
                .security_groups()
                .iter()
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
        let mut out = BTreeMap::new();
        for chunk in id_chunks(ids) {
            out.extend(
                self.rules_where(filter("security-group-rule-id", &chunk), doing)
                    .await?,
            );
        }
        Ok(out)
    }

    /// Every rule `filter` selects, by id (one call per page).
    async fn rules_where(
        &self,
        filter: aws_sdk_ec2::types::Filter,
        doing: &str,
    ) -> Result<BTreeMap<String, SecurityGroupRule>, ProviderError> {
        let request = self
            .ec2
            .client
            .describe_security_group_rules()
            .filters(filter)
            .max_results(PAGE_SIZE);
        let rules = all_pages!(self.ec2, request, doing, security_group_rules);
        Ok(rules
            .into_iter()
            .filter_map(|r| Some((r.security_group_rule_id()?.to_owned(), r)))
            .collect())
    }
}
