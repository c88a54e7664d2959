//! Finding an ELBv2 resource again by its natural key: a load balancer or target group by name,
//! a listener by load balancer and port, a rule by listener and priority, each with its tags.
//!
//! A retried create uses these when its creating call says the key is taken (it adopts what
//! carries this resource's `infra:*` tags), and `find` uses them after an interrupted create
//! (see the module comment of [`super`]). Only reads: DescribeLoadBalancers,
//! DescribeTargetGroups, DescribeListeners, DescribeRules and DescribeTags.

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

use super::shared::{Described, Listed, Reported};
use super::{Elb, Pairs as Tags};

impl Elb {
    /// `found` with its tags (none when it is gone).
    async fn with_tags<T: Reported>(&self, ctx: Ctx<'_>, found: Option<T>) -> R<Option<(T, Tags)>> {
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

    /// The child of `parent` (a listener of a load balancer, a rule of a listener) of `key`
    /// (see [`Listed::key`]), with its tags; `None` when there is none (or the parent is gone).
    pub(super) async fn child<T: Listed>(
        &self,
        ctx: Ctx<'_>,
        parent: &str,
        key: Option<&str>,
    ) -> Result<Option<(T, Tags)>, ProviderError> {
        let [children, of] = T::NOUNS;
        let found = T::list(self, parent)
            .await
            .map_err(|err| ctx.fail(format!("looking up the {children} of the {of}"), err))?
            .unwrap_or_default()
            .into_values()
            .find(|child| child.key().as_deref() == key);
        self.with_tags(ctx, found).await
    }
}

/// What `found` finds (the lookup of an object and its tags), when it carries the tags the
/// create was given, as create reports it.
async fn ours<T: Reported>(
    found: impl Future<Output = Result<Option<(T, Tags)>, ProviderError>>,
    input: &FindInput,
) -> Found {
    let found = found.await?.filter(|(_, tags)| owned_by(tags, &input.tags));
    Ok(found.map(|(item, _)| item.output()))
}

/// The load balancer or target group of the name, in whatever state (a deleted one is not
/// listed).
pub(super) async fn find_named<T: Described>(elb: &Elb, input: &FindInput) -> Found {
    let ctx = Ctx::new(T::TYPE, &input.address);
    let name = name_to_find(input, "Name", ctx)?;
    ours(elb.named::<T>(ctx, &name), input).await
}

/// The listener of the load balancer on the port, the rule of the listener with the priority.
pub(super) async fn find_child<T: Listed>(elb: &Elb, input: &FindInput) -> Found {
    let ctx = Ctx::new(T::TYPE, &input.address);
    let (parent, key) = T::natural_key(&input.properties, ctx)?;
    ours(elb.child::<T>(ctx, &parent, key.as_deref()), input).await
}
