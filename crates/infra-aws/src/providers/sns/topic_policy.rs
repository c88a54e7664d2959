//! `AWS::SNS::TopicPolicy`: the topic attribute `Policy` of each topic of `Topics`, written by
//! SetTopicAttributes, as CloudFormation's handler does.
//!
//! | property | create | update |
//! |---|---|---|
//! | `PolicyDocument` (an object or a string of JSON, compared as a document) | SetTopicAttributes `Policy` on each topic | SetTopicAttributes on each topic when it changed |
//! | `Topics` (topic ARNs) | the topics written | topics added get the policy; topics dropped get SNS's default policy back |
//!
//! - **Delete**: SNS always holds a policy for a topic, so each topic gets the default policy
//!   SNS gives a new topic back, as CloudFormation's `AWS::SNS::TopicPolicy` delete handler
//!   does ([`default_policy`]); a topic already gone is fine.
//! - **Id** (`Ref`): as for `AWS::SQS::QueuePolicy` (from the create's checkpoint key).
//! - **Read**: GetTopicAttributes `Policy` per topic (no call reads several); a topic holding
//!   the default policy holds none of this resource. Present while one topic holds another.
//! - **Find**: by natural key: every topic holds the template's document.

use serde_json::{Value, json};

use super::{Sns, arn_parts, set_topic_attributes, topic_attributes};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, ProviderError, ReadInput,
    Refresh, UpdateInput,
};
use crate::providers::kit::unchanged;
use crate::providers::kit::{
    self, Ctx, Found, Made, Reads, compact, observed_document, same_document,
};
use crate::providers::sqs::queue_policy::{
    held_by_all, observe_policy, output, parse_policy, plan_update, policy_id,
};

pub(crate) const TYPE: &str = "AWS::SNS::TopicPolicy";

/// The policy document and the topic ARNs it is set on.
pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<(Value, Vec<String>), ProviderError> {
    parse_policy(value, ctx, crate::generated::sns::TOPIC_POLICY, "Topics")
}

/// The policy SNS gives a new topic, which CloudFormation's handler (aws-sns-topicpolicy
/// `BaseHandlerStd.getDefaultPolicy`) puts back on delete: the topic owner's account may do
/// everything with the topic. Spelled `SNS:` as SNS writes it.
pub(crate) fn default_policy(topic: &str) -> Value {
    let account = arn_parts(topic).1.unwrap_or_default();
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Effect": "Allow",
            "Sid": "__default_statement_ID",
            "Principal": {"AWS": "*"},
            "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            "Resource": topic,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
        }],
    })
}

/// The policy of the topic `arn`: `None` when it holds the default one or is gone.
async fn policy_of(sns: Sns, ctx: Ctx<'_>, arn: String) -> Result<Option<String>, ProviderError> {
    let attrs = topic_attributes(&sns, ctx, &arn).await?;
    let policy = attrs.and_then(|mut a| a.remove("Policy"));
    let default = default_policy(&arn);
    let is_default = |text: &String| same_document(&observed_document(text, false, None), &default);
    Ok(policy.filter(|p| !p.is_empty() && !is_default(p)))
}

/// The topic policy provider.
#[derive(Debug)]
pub(crate) struct TopicPolicyProvider {
    pub(crate) sns: Sns,
}

impl TopicPolicyProvider {
    /// Sets `document` (`None`: the default policy) on each of `topics`; a topic that is gone
    /// is skipped when resetting, an error otherwise (of a topic made a moment ago: retried).
    async fn put(
        &self,
        ctx: Ctx<'_>,
        topics: impl IntoIterator<Item = &String>,
        document: Option<&Value>,
    ) -> Result<(), ProviderError> {
        for topic in topics {
            let policy = document.map_or_else(|| compact(&default_policy(topic)), compact);
            let set = [("Policy".to_owned(), policy)];
            match set_topic_attributes(&self.sns, ctx, topic, &set).await {
                Err(e) if document.is_none() && e.class == FailureClass::NotFound => {}
                Err(e) => return Err(kit::on_create(e)),
                Ok(()) => {}
            }
        }
        Ok(())
    }
}

impl kit::Provider for TopicPolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetTopicAttributes Policy per topic of Topics (SNS has no call reading several)",
        Find::NaturalKey,
        "every topic of Topics holds the template's document (GetTopicAttributes Policy)",
    );

    async fn create(&self, input: &CreateInput) -> Made {
        let ctx = Ctx::new(TYPE, &input.address);
        let (document, topics) = parse(&input.properties, ctx)?;
        self.put(ctx, &topics, Some(&document)).await?;
        Ok(output(&policy_id(&input.address, input.checkpoint.key())))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let ctx = Ctx::new(TYPE, &input.address);
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let (set, dropped) = plan_update(&before, &after);
        self.put(ctx, set, Some(&after.0)).await?;
        self.put(ctx, dropped, None).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let (_, topics) = parse(&input.properties, ctx)?;
        self.put(ctx, &topics, None).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| {
            let (sns, item) = (self.sns.clone(), item.clone());
            async move {
                let ctx = Ctx::new(TYPE, &item.address);
                let policy = |arn| policy_of(sns.clone(), ctx, arn);
                let seen = observe_policy(&item, "Topics", policy).await?;
                Ok((item.address.clone(), seen))
            }
        })
        .await
    }

    async fn find(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(TYPE, &input.address);
        let (document, topics) = parse(&input.properties, ctx)?;
        let policy = |arn| policy_of(self.sns.clone(), ctx, arn);
        let held = held_by_all(&document, &topics, policy).await?;
        Ok(held.then(|| output(&policy_id(&input.address, input.checkpoint.key()))))
    }
}
