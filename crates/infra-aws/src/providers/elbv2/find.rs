//! Finding an ELBv2 resource again by its natural key: a load balancer or target group by name,
//! a listener by load balancer and port, a rule by listener and priority, each with its tags.
//!
//! A retried create uses these when its creating call says the key is taken (it adopts what
//! carries this resource's `infra:*` tags), and `find` uses them after an interrupted create
//! (see the module comment of [`super`]). Only reads: DescribeLoadBalancers,
//! DescribeTargetGroups, DescribeListeners, DescribeRules and DescribeTags.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{Listener, Rule};
use serde_json::Value;

use super::Elb;
use super::listener::{self, ListenerProvider};
use super::listener_rule::{self, ListenerRuleProvider};
use super::shared::{Described, Listed, Reported};
use crate::provider::{FindInput, ProviderError};
use crate::providers::kit::{Ctx, Found, is_not_found, owned_by};

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

    /// The load balancer or target group named `name`, with its tags; `None` when there is
    /// none.
    pub(super) async fn named<T: Described>(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<(T, Tags)>, ProviderError> {
        let found = match T::describe(self, vec![name.to_owned()], true).await {
            Ok(all) => all.into_iter().find(|item| item.name() == Some(name)),
            Err(err) if is_not_found(&err) => None,
            Err(err) => return Err(ctx.fail(format!("looking up {} {name}", T::NOUN), err)),
        };
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

/// The load balancer or target group of the name, in whatever state (a deleted one is not
/// listed).
pub(super) async fn find_named<T: Described>(elb: &Elb, input: &FindInput) -> Found {
    let ctx = Ctx::new(T::TYPE, &input.address);
    let name = name_of(input, ctx)?;
    let found = elb.named::<T>(ctx, &name).await?;
    Ok(ours(found, input).map(|item| item.output()))
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
