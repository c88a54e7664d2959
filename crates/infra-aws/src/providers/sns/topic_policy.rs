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
//! - **Read**: GetTopicAttributes `Policy` per topic (no call reads several); a topic holding
//!   the default policy holds none of this resource.
//!
//! The flow (the id, refresh, find) is the kit's policy set on several objects
//! ([`held_policy`](crate::providers::kit::held_policy)); this module says how a topic's policy is read and written.

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

use super::{Sns, arn_parts, set_topic_attributes, topic_attributes};
use crate::providers::kit::held_policy::HeldPolicy;

pub(crate) const TYPE: &str = "AWS::SNS::TopicPolicy";

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

#[derive(Debug, Clone)]
pub(crate) struct TopicPolicyProvider {
    pub(crate) sns: Sns,
}

impl HeldPolicy for TopicPolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetTopicAttributes Policy per topic of Topics (SNS has no call reading several)",
        Find::NaturalKey,
        "every topic of Topics holds the template's document (GetTopicAttributes Policy)",
    );
    const KEYS: Keys<'static> = crate::generated::sns::TOPIC_POLICY;
    const TARGETS: &'static str = "Topics";

    /// The policy of the topic `arn`: `None` when it holds the default one or is gone.
    async fn policy_of(&self, ctx: Ctx<'_>, arn: &str) -> Result<Option<String>, ProviderError> {
        let attrs = topic_attributes(&self.sns, ctx, arn).await?;
        let policy = attrs.and_then(|mut a| a.remove("Policy"));
        let default = default_policy(arn);
        let is_default =
            |text: &String| same_document(&observed_document(text, false, None), &default);
        Ok(policy.filter(|p| !p.is_empty() && !is_default(p)))
    }

    /// Taking the policy off puts the default one back.
    async fn set(&self, ctx: Ctx<'_>, arn: &str, document: Option<&Value>) -> R<()> {
        let policy = document.map_or_else(|| compact(&default_policy(arn)), compact);
        set_topic_attributes(&self.sns, ctx, arn, &[("Policy".to_owned(), policy)]).await
    }
}
