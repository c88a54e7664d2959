//! `AWS::SQS::QueuePolicy`: the queue attribute `Policy` of each queue of `Queues`, written by
//! SetQueueAttributes.
//!
//! | property | create | update |
//! |---|---|---|
//! | `PolicyDocument` (an object or a string of JSON, compared as a document) | SetQueueAttributes `Policy` on each queue | SetQueueAttributes on each queue when it changed |
//! | `Queues` (queue URLs) | the queues written | queues added get the policy; queues dropped get an empty `Policy`, which removes it |
//!
//! - **Delete**: an empty `Policy` on each queue (a queue already gone is fine).
//! - **Read**: GetQueueAttributes `Policy` per queue (no call reads several).
//!
//! The flow (the id, refresh, find) is the kit's policy set on several objects
//! ([`held_policy`](crate::providers::kit::held_policy)); this module says how a queue's policy is read and written.

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

use super::{Sqs, attributes_of, set_attributes};
use crate::providers::kit::held_policy::HeldPolicy;

pub(crate) const TYPE: &str = "AWS::SQS::QueuePolicy";

#[derive(Debug, Clone)]
pub(crate) struct QueuePolicyProvider {
    pub(crate) sqs: Sqs,
}

impl HeldPolicy for QueuePolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetQueueAttributes Policy per queue of Queues (SQS has no call reading several)",
        Find::NaturalKey,
        "every queue of Queues holds the template's document (GetQueueAttributes Policy)",
    );
    const KEYS: Keys<'static> = crate::generated::sqs::QUEUE_POLICY;
    const TARGETS: &'static str = "Queues";

    /// The policy of the queue at `url`: `None` when it has none or the queue is gone.
    async fn policy_of(&self, ctx: Ctx<'_>, url: &str) -> Result<Option<String>, ProviderError> {
        let attrs = attributes_of(&self.sqs, ctx, url, &["Policy"]).await?;
        let policy = attrs.and_then(|mut a| a.remove("Policy"));
        Ok(policy.filter(|p| !p.is_empty()))
    }

    /// An empty `Policy` removes the queue's.
    async fn set(&self, ctx: Ctx<'_>, url: &str, document: Option<&Value>) -> R<()> {
        let policy = document.map(compact).unwrap_or_default();
        let attributes = [("Policy".to_owned(), policy)];
        let doing = format!("setting the policy of queue {url}");
        set_attributes(&self.sqs, ctx, url, &attributes, &doing).await
    }
}
