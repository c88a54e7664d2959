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
use super::shared::{Listed, Reported};
use super::target_group::{self, TargetGroupProvider};
use crate::provider::{FindInput, ProviderError};
use crate::providers::kit;
use crate::providers::kit::{Ctx, Found, owned_by};

type Tags = BTreeMap<String, String>;

impl Elb {
    /// `found` with its tags (none when it is gone).
    async fn with_tags<T: Reported>(
        &self,
        ctx: Ctx<'_>,
        found: Option<T>,
    ) -> Result<Option<(T, Tags)>, ProviderError> {
        let Some(item) = found else {
            return Ok(None);
        };
        let arn = item.arn().unwrap_or_default().to_owned();
        let mut tags = self.describe_tags(ctx, std::slice::from_ref(&arn)).await?;
        Ok(Some((item, tags.remove(&arn).unwrap_or_default())))
    }

    /// The load balancer named `name`, with its tags; `None` when there is none.
    pub(super) async fn load_balancer_named(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<(LoadBalancer, Tags)>, ProviderError> {
        let call = self.client.describe_load_balancers().names(name).send();
        let doing = format!("looking up load balancer {name}");
        let found = kit::found(self, ctx, "DescribeLoadBalancers", doing, call).await?;
        let found = found.and_then(|out| {
            let mut all = out.load_balancers.unwrap_or_default().into_iter();
            all.find(|lb| lb.load_balancer_name() == Some(name))
        });
        self.with_tags(ctx, found).await
    }

    /// The target group named `name`, with its tags; `None` when there is none.
    pub(super) async fn target_group_named(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<(TargetGroup, Tags)>, ProviderError> {
        let call = self.client.describe_target_groups().names(name).send();
        let doing = format!("looking up target group {name}");
        let found = kit::found(self, ctx, "DescribeTargetGroups", doing, call).await?;
        let found = found.and_then(|out| {
            let mut all = out.target_groups.unwrap_or_default().into_iter();
            all.find(|tg| tg.target_group_name() == Some(name))
        });
        self.with_tags(ctx, found).await
    }

    /// The child of `parent` (a listener of a load balancer, a rule of a listener) `matching`,
    /// with its tags; `None` when there is none (or the parent is gone).
    async fn child<T: Listed>(
        &self,
        ctx: Ctx<'_>,
        parent: &str,
        matching: impl Fn(&T) -> bool,
    ) -> Result<Option<(T, Tags)>, ProviderError> {
        let [children, of] = T::NOUNS;
        let found = T::list(self, parent)
            .await
            .map_err(|err| ctx.fail(format!("looking up the {children} of the {of}"), err))?
            .unwrap_or_default()
            .into_values()
            .find(matching);
        self.with_tags(ctx, found).await
    }

    /// The listener of `load_balancer` on `port`, with its tags; `None` when there is none (or
    /// the load balancer is gone).
    pub(super) async fn listener_on_port(
        &self,
        ctx: Ctx<'_>,
        load_balancer: &str,
        port: Option<i32>,
    ) -> Result<Option<(Listener, Tags)>, ProviderError> {
        self.child(ctx, load_balancer, |l: &Listener| l.port() == port)
            .await
    }

    /// The rule of `listener` with `priority`, with its tags; `None` when there is none (or the
    /// listener is gone).
    pub(super) async fn rule_of_priority(
        &self,
        ctx: Ctx<'_>,
        listener: &str,
        priority: i32,
    ) -> Result<Option<(Rule, Tags)>, ProviderError> {
        let priority = priority.to_string();
        self.child(ctx, listener, |r: &Rule| {
            r.priority() == Some(priority.as_str())
        })
        .await
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
        let found =
            ours(found, input).map(|l| listener::output(l.listener_arn().unwrap_or_default()));
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
