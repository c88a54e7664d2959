//! `AWS::SQS::QueuePolicy`: the queue attribute `Policy` of each queue of `Queues`, written by
//! SetQueueAttributes.
//!
//! | property | create | update |
//! |---|---|---|
//! | `PolicyDocument` (an object or a string of JSON, compared as a document) | SetQueueAttributes `Policy` on each queue | SetQueueAttributes on each queue when it changed |
//! | `Queues` (queue URLs) | the queues written | queues added get the policy; queues dropped get an empty `Policy`, which removes it |
//!
//! - **Delete**: an empty `Policy` on each queue (a queue already gone is fine).
//! - **Id** (`Ref`): CloudFormation generates one of no use to other resources; infra makes
//!   `<logical id>-<13 characters>` from the create's checkpoint key (unique to the create and
//!   the same across its retries and runs), so `find` after an interrupted create answers the
//!   id the create would have. Without a key (a provider called outside the engine) the
//!   address is the seed.
//! - **Read**: GetQueueAttributes `Policy` per queue (no call reads several). The policy is
//!   present while at least one queue holds one; `Queues` lists the queues that do, and
//!   `PolicyDocument` is a document that differs from the template's when one does.
//! - **Find**: by natural key: every queue holds the template's document.

use std::future::Future;

use serde_json::{Value, json};

use super::{Sqs, attributes_of, set_attributes};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::{
    self, Ctx, Found, Keys, Made, Props, Reads, compact, observed_document, observed_set,
    on_create, same_document, stable_suffix,
};
use crate::providers::kit::{output_of, unchanged};

pub(crate) const TYPE: &str = "AWS::SQS::QueuePolicy";

/// The policy document and the queue URLs it is set on.
pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<(Value, Vec<String>), ProviderError> {
    parse_policy(value, ctx, crate::generated::sqs::QUEUE_POLICY, "Queues")
}

/// `PolicyDocument` and the list `targets` (`Queues`, `Topics`) of a policy set on several
/// objects (its template's `keys`), which must name one at least.
pub(crate) fn parse_policy(
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

/// What an update of a policy set on several objects writes: the targets of `after` that get
/// the document (all when it changed, else the new ones), and the targets of `before` that
/// `after` drops.
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

/// The refresh of a policy set on the objects listed under `key` (`Queues`, `Topics`):
/// `policy_of(target)` answers the policy one holds (`None`: none, or it is gone). Present
/// while one holds a policy at least: `key` lists those that do, and `PolicyDocument` is one
/// that differs from the template's when one does.
pub(crate) async fn observe_policy<F, Fut>(
    item: &ReadInput,
    key: &str,
    policy_of: F,
) -> Result<Observation, ProviderError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Option<String>, ProviderError>>,
{
    let last = |k: &str| item.properties.get(k).filter(|v| !v.is_null());
    let targets = last(key).and_then(Value::as_array).cloned();
    let mut holders = Vec::new();
    let mut document: Option<Value> = None;
    for target in targets.iter().flatten().filter_map(Value::as_str) {
        let Some(text) = policy_of(target.to_owned()).await? else {
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
    Ok(Observation::Present {
        properties: json!({"PolicyDocument": document, key: observed_set(holders, last(key))}),
        attributes: output(&item.physical_id).attributes,
    })
}

/// Whether every one of `targets` holds `document` (`policy_of` as for [`observe_policy`]):
/// how `find` knows an interrupted create of a policy set them all.
pub(crate) async fn held_by_all<F, Fut>(
    document: &Value,
    targets: &[String],
    policy_of: F,
) -> Result<bool, ProviderError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Option<String>, ProviderError>>,
{
    for target in targets {
        let text = policy_of(target.clone()).await?.unwrap_or_default();
        if !same_document(&observed_document(&text, false, None), document) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The id of the policy made by the create of `address` whose checkpoint key is `key`.
pub(crate) fn policy_id(address: &str, key: &str) -> String {
    let logical = address.rsplit('.').next().unwrap_or(address);
    let seed = if key.is_empty() { address } else { key };
    format!("{logical}-{}", stable_suffix(seed))
}

pub(crate) fn output(id: &str) -> ResourceOutput {
    output_of(id, [("Id", json!(id))])
}

/// The policy of the queue at `url`: `None` when it has none or the queue is gone.
async fn policy_of(sqs: Sqs, ctx: Ctx<'_>, url: String) -> Result<Option<String>, ProviderError> {
    let attrs = attributes_of(&sqs, ctx, &url, &["Policy"]).await?;
    Ok(attrs
        .and_then(|mut a| a.remove("Policy"))
        .filter(|p| !p.is_empty()))
}

/// The queue policy provider.
#[derive(Debug)]
pub(crate) struct QueuePolicyProvider {
    pub(crate) sqs: Sqs,
}

impl QueuePolicyProvider {
    /// Sets `policy` (empty: none) on each of `queues`; a queue that is gone is skipped when
    /// `removing`, an error otherwise (of a queue made a moment ago: retried).
    async fn put(
        &self,
        ctx: Ctx<'_>,
        queues: impl IntoIterator<Item = &String>,
        policy: &str,
        removing: bool,
    ) -> Result<(), ProviderError> {
        let attributes = [("Policy".to_owned(), policy.to_owned())];
        for url in queues {
            let doing = format!("setting the policy of queue {url}");
            match set_attributes(&self.sqs, ctx, url, &attributes, &doing).await {
                Err(e) if removing && e.class == crate::provider::FailureClass::NotFound => {}
                Err(e) => return Err(on_create(e)),
                Ok(()) => {}
            }
        }
        Ok(())
    }
}

impl kit::Provider for QueuePolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetQueueAttributes Policy per queue of Queues (SQS has no call reading several)",
        Find::NaturalKey,
        "every queue of Queues holds the template's document (GetQueueAttributes Policy)",
    );

    async fn create(&self, input: &CreateInput) -> Made {
        let ctx = Ctx::new(TYPE, &input.address);
        let (document, queues) = parse(&input.properties, ctx)?;
        self.put(ctx, &queues, &compact(&document), false).await?;
        Ok(output(&policy_id(&input.address, input.checkpoint.key())))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let ctx = Ctx::new(TYPE, &input.address);
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let (set, dropped) = plan_update(&before, &after);
        self.put(ctx, set, &compact(&after.0), false).await?;
        self.put(ctx, dropped, "", true).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let (_, queues) = parse(&input.properties, ctx)?;
        self.put(ctx, &queues, "", true).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| {
            let (sqs, item) = (self.sqs.clone(), item.clone());
            async move {
                let ctx = Ctx::new(TYPE, &item.address);
                let policy = |url| policy_of(sqs.clone(), ctx, url);
                let seen = observe_policy(&item, "Queues", policy).await?;
                Ok((item.address.clone(), seen))
            }
        })
        .await
    }

    async fn find(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(TYPE, &input.address);
        let (document, queues) = parse(&input.properties, ctx)?;
        let policy = |url| policy_of(self.sqs.clone(), ctx, url);
        let held = held_by_all(&document, &queues, policy).await?;
        Ok(held.then(|| output(&policy_id(&input.address, input.checkpoint.key()))))
    }
}
