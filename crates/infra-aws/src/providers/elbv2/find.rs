//! Finding an ELBv2 resource again by its natural key: a load balancer or target group by name,
//! a listener by load balancer and port, a rule by listener and priority, each with its tags.
//!
//! A retried create uses these when its creating call says the key is taken (it adopts what
//! carries this resource's `infra:*` tags), and `find` uses them after an interrupted create
//! (see the module comment of [`super`]). Only reads: DescribeLoadBalancers,
//! DescribeTargetGroups, DescribeListeners, DescribeRules and DescribeTags.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{Listener, LoadBalancer, Rule, TargetGroup};
use serde_json::Value;

use super::Elb;
use super::listener::{self, ListenerProvider};
use super::listener_rule::{self, ListenerRuleProvider};
use super::load_balancer::{self, LoadBalancerProvider};
use super::shared::Listed;
use super::target_group::{self, TargetGroupProvider};
use crate::provider::{FindInput, ProviderError, ResourceOutput};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{Ctx, owned_by};

type Tags = BTreeMap<String, String>;
type Found = Result<Option<ResourceOutput>, ProviderError>;

impl Elb {
    /// The tags of one resource (empty when it is gone).
    async fn tags_of(&self, ctx: Ctx<'_>, arn: &str) -> Result<Tags, ProviderError> {
        Ok(self
            .describe_tags(ctx, &[arn.to_owned()])
            .await?
            .remove(arn)
            .unwrap_or_default())
    }

    /// The load balancer named `name`, with its tags; `None` when there is none.
    pub(super) async fn load_balancer_named(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<(LoadBalancer, Tags)>, ProviderError> {
        let found = match self
            .client
            .describe_load_balancers()
            .names(name)
            .send()
            .await
        {
            Ok(out) => out
                .load_balancers()
                .iter()
                .find(|lb| lb.load_balancer_name() == Some(name))
                .cloned(),
            Err(e) => {
                let err = self.api.err("DescribeLoadBalancers", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(format!("looking up load balancer {name}"), err));
                }
                None
            }
        };
        let Some(lb) = found else {
            return Ok(None);
        };
        let tags = self
            .tags_of(ctx, lb.load_balancer_arn().unwrap_or_default())
            .await?;
        Ok(Some((lb, tags)))
    }

    /// The target group named `name`, with its tags; `None` when there is none.
    pub(super) async fn target_group_named(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<(TargetGroup, Tags)>, ProviderError> {
        let found = match self
            .client
            .describe_target_groups()
            .names(name)
            .send()
            .await
        {
            Ok(out) => out
                .target_groups()
                .iter()
                .find(|tg| tg.target_group_name() == Some(name))
                .cloned(),
            Err(e) => {
                let err = self.api.err("DescribeTargetGroups", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(format!("looking up target group {name}"), err));
                }
                None
            }
        };
        let Some(tg) = found else {
            return Ok(None);
        };
        let tags = self
            .tags_of(ctx, tg.target_group_arn().unwrap_or_default())
            .await?;
        Ok(Some((tg, tags)))
    }

    /// The ARN of the listener of `load_balancer` on `port`, with its tags; `None` when there is
    /// none (or the load balancer is gone).
    pub(super) async fn listener_on_port(
        &self,
        ctx: Ctx<'_>,
        load_balancer: &str,
        port: Option<i32>,
    ) -> Result<Option<(String, Tags)>, ProviderError> {
        let listeners = Listener::list(self, load_balancer)
            .await
            .map_err(|err| ctx.fail("looking up the listeners of the load balancer", err))?
            .unwrap_or_default();
        let Some(arn) = listeners
            .values()
            .find(|l| l.port() == port)
            .and_then(|l| l.listener_arn())
            .map(str::to_owned)
        else {
            return Ok(None);
        };
        let tags = self.tags_of(ctx, &arn).await?;
        Ok(Some((arn, tags)))
    }

    /// The rule of `listener` with `priority`, with its tags; `None` when there is none (or the
    /// listener is gone).
    pub(super) async fn rule_of_priority(
        &self,
        ctx: Ctx<'_>,
        listener: &str,
        priority: i32,
    ) -> Result<Option<(Rule, Tags)>, ProviderError> {
        let rules = Rule::list(self, listener)
            .await
            .map_err(|err| ctx.fail("looking up the rules of the listener", err))?
            .unwrap_or_default();
        let priority = priority.to_string();
        let Some(rule) = rules
            .values()
            .find(|r| r.priority() == Some(priority.as_str()))
            .cloned()
        else {
            return Ok(None);
        };
        let tags = self
            .tags_of(ctx, rule.rule_arn().unwrap_or_default())
            .await?;
        Ok(Some((rule, tags)))
    }
}

/// The name the create used: the `Name` property, else [`FindInput::name`] (the generated one).
fn name_of(input: &FindInput, ctx: Ctx<'_>) -> Result<String, ProviderError> {
    input
        .properties
        .get("Name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| input.name.clone())
        .ok_or_else(|| ctx.fatal("Name is not set and no name was given to find"))
}

/// What was found, when it carries the tags the create was given.
fn ours<T>(found: Option<(T, Tags)>, input: &FindInput) -> Option<T> {
    found
        .filter(|(_, tags)| owned_by(tags, &input.tags))
        .map(|(item, _)| item)
}

impl LoadBalancerProvider {
    /// The load balancer of the name, in whatever state (a deleted one is not listed).
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(load_balancer::TYPE, &input.address);
        let name = name_of(input, ctx)?;
        let found = self.elb.load_balancer_named(ctx, &name).await?;
        let found = ours(found, input).map(|lb| load_balancer::output(&lb));
        Ok(found)
    }
}

impl TargetGroupProvider {
    /// The target group of the name.
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(target_group::TYPE, &input.address);
        let name = name_of(input, ctx)?;
        let found = self.elb.target_group_named(ctx, &name).await?;
        let found = ours(found, input).map(|tg| target_group::output(&tg));
        Ok(found)
    }
}

impl ListenerProvider {
    /// The listener of the load balancer on the port.
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(listener::TYPE, &input.address);
        let (load_balancer, port) = listener::natural_key(&input.properties, ctx)?;
        let found = self.elb.listener_on_port(ctx, &load_balancer, port).await?;
        let found = ours(found, input).map(|arn| listener::output(&arn));
        Ok(found)
    }
}

impl ListenerRuleProvider {
    /// The rule of the listener with the priority.
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(listener_rule::TYPE, &input.address);
        let (listener, priority) = listener_rule::natural_key(&input.properties, ctx)?;
        let found = self.elb.rule_of_priority(ctx, &listener, priority).await?;
        let found = ours(found, input).map(|rule| listener_rule::output(&rule));
        Ok(found)
    }
}
