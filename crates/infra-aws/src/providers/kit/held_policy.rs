//! A policy document set on each of several objects (`AWS::SQS::QueuePolicy` on `Queues`,
//! `AWS::SNS::TopicPolicy` on `Topics`): the whole flow, written once. A service says how one
//! object's policy is read and written ([`HeldPolicy`]); [`Held`] is the provider.
//!
//! - **Create**: the document on each object (one gone: an error, retried when the object was
//!   made a moment ago). **Update**: the document on each object of `after` (only the new ones
//!   when the document is the same), the service's "no policy" on the dropped ones.
//!   **Delete**: "no policy" on each object (one already gone is fine).
//! - **Id** (`Ref`): CloudFormation generates one of no use to other resources; infra makes
//!   `<logical id>-<13 characters>` from the create's checkpoint key (unique to the create and
//!   the same across its retries and runs), so `find` after an interrupted create answers the
//!   id the create would have. Without a key (a provider called outside the engine) the
//!   address is the seed.
//! - **Read**: the policy of each listed object, one call each. Present while one object at
//!   least holds a policy: the list names those that do, and `PolicyDocument` is a document
//!   that differs from the template's when one does.
//! - **Find**: by natural key: every object holds the template's document.

use std::future::Future;

use serde_json::{Value, json};

use super::{
    Ctx, Found, Keys, Made, Props, Provider, Reads, observed_document, observed_set, on_create,
    output_of, read_each, same_document, stable_suffix, unchanged,
};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError,
    ReadInput, ResourceOutput, UpdateInput,
};

/// One service's policy on its objects: what [`Held`] needs besides the flow.
pub(crate) trait HeldPolicy: Clone + Send + Sync + 'static {
    /// `AWS::SQS::QueuePolicy`.
    const TYPE: &'static str;
    /// What `infra types` says about it.
    const COVERAGE: Coverage;
    /// The template's keys (generated from the schema).
    const KEYS: Keys<'static>;
    /// The property listing the objects (`Queues`, `Topics`).
    const TARGETS: &'static str;

    /// The policy `target` holds: `None` when it holds none of this resource's (no policy, the
    /// service's default) or is gone.
    fn policy_of(
        &self,
        ctx: Ctx<'_>,
        target: &str,
    ) -> impl Future<Output = Result<Option<String>, ProviderError>> + Send;

    /// Sets `document` on `target`, or, with `None`, takes this resource's policy off it.
    fn set(
        &self,
        ctx: Ctx<'_>,
        target: &str,
        document: Option<&Value>,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send;
}

/// The provider of a [`HeldPolicy`].
#[derive(Debug)]
pub(crate) struct Held<P>(pub(crate) P);

/// The policy document and the objects it is set on (one at least).
pub(crate) fn parse(
    value: &Value,
    ctx: Ctx<'_>,
    keys: Keys,
    targets: &str,
) -> Result<(Value, Vec<String>), ProviderError> {
    let p = Props::root(value, ctx, keys)?;
    let document = p.document("PolicyDocument")?;
    let document = document.ok_or_else(|| p.missing("PolicyDocument"))?;
    let listed = p.str_list(targets)?;
    if listed.is_empty() {
        return Err(p.fatal(targets, "must name one at least"));
    }
    Ok((document, listed))
}

/// What an update writes: the objects of `after` that get the document (all when it changed,
/// else the new ones), and the objects of `before` that `after` drops.
pub(crate) fn plan_update<'a>(
    before: &'a (Value, Vec<String>),
    after: &'a (Value, Vec<String>),
) -> (Vec<&'a String>, Vec<&'a String>) {
    let changed = !same_document(&before.0, &after.0);
    let set = after.1.iter();
    let set = set.filter(|t| changed || !before.1.contains(t)).collect();
    let dropped = before.1.iter().filter(|t| !after.1.contains(t)).collect();
    (set, dropped)
}

/// The id of the policy made by the create of `address` whose checkpoint key is `key`.
pub(crate) fn policy_id(address: &str, key: &str) -> String {
    let logical = address.rsplit('.').next().unwrap_or(address);
    let seed = if key.is_empty() { address } else { key };
    format!("{logical}-{}", stable_suffix(seed))
}

fn output(id: &str) -> ResourceOutput {
    output_of(id, [("Id", json!(id))])
}

impl<P: HeldPolicy> Held<P> {
    fn parse(&self, value: &Value, ctx: Ctx<'_>) -> Result<(Value, Vec<String>), ProviderError> {
        parse(value, ctx, P::KEYS, P::TARGETS)
    }

    /// Sets `document` (`None`: takes the policy off) on each of `targets`; an object that is
    /// gone is skipped when taking it off, an error otherwise (of one made a moment ago:
    /// retried).
    async fn put(
        &self,
        ctx: Ctx<'_>,
        targets: impl IntoIterator<Item = &String>,
        document: Option<&Value>,
    ) -> Result<(), ProviderError> {
        for target in targets {
            match self.0.set(ctx, target, document).await {
                Err(e) if document.is_none() && e.class == FailureClass::NotFound => {}
                Err(e) => return Err(on_create(e)),
                Ok(()) => {}
            }
        }
        Ok(())
    }

    /// Whether every one of `targets` holds `document`.
    async fn held_by_all(
        &self,
        ctx: Ctx<'_>,
        document: &Value,
        targets: &[String],
    ) -> Result<bool, ProviderError> {
        for target in targets {
            let text = self.0.policy_of(ctx, target).await?.unwrap_or_default();
            if !same_document(&observed_document(&text, false, None), document) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The refresh of one resource: the policy of each object its last properties list.
async fn observe<P: HeldPolicy>(policy: P, item: ReadInput) -> Result<Observation, ProviderError> {
    let ctx = Ctx::new(P::TYPE, &item.address);
    let last = |k: &str| item.properties.get(k).filter(|v| !v.is_null());
    let targets = last(P::TARGETS).and_then(Value::as_array).cloned();
    let mut holders = Vec::new();
    let mut document: Option<Value> = None;
    for target in targets.iter().flatten().filter_map(Value::as_str) {
        let Some(text) = policy.policy_of(ctx, target).await? else {
            continue;
        };
        holders.push(target.to_owned());
        let seen = observed_document(&text, false, last("PolicyDocument"));
        if document.is_none() || Some(&seen) != last("PolicyDocument") {
            document = Some(seen);
        }
    }
    let Some(document) = document else {
        return Ok(Observation::Gone);
    };
    let holders = observed_set(holders, last(P::TARGETS));
    Ok(Observation::Present {
        properties: json!({"PolicyDocument": document, P::TARGETS: holders}),
        attributes: output(&item.physical_id).attributes,
    })
}

impl<P: HeldPolicy> Provider for Held<P> {
    const TYPE: &'static str = P::TYPE;
    const COVERAGE: Coverage = P::COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let (document, targets) = self.parse(&input.properties, ctx)?;
        self.put(ctx, &targets, Some(&document)).await?;
        Ok(output(&policy_id(&input.address, input.checkpoint.key())))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (
            self.parse(&input.before, ctx)?,
            self.parse(&input.after, ctx)?,
        );
        let (set, dropped) = plan_update(&before, &after);
        self.put(ctx, set, Some(&after.0)).await?;
        self.put(ctx, dropped, None).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let (_, targets) = self.parse(&input.properties, ctx)?;
        self.put(ctx, &targets, None).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_each(items, |item| {
            let (policy, item) = (self.0.clone(), item.clone());
            async move {
                let address = item.address.clone();
                Ok((address, observe(policy, item).await?))
            }
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let (document, targets) = self.parse(&input.properties, ctx)?;
        let held = self.held_by_all(ctx, &document, &targets).await?;
        Ok(held.then(|| output(&policy_id(&input.address, input.checkpoint.key()))))
    }
}
