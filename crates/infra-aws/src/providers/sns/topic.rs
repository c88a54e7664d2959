//! `AWS::SNS::Topic`: its properties ([`Spec`]) and the create / update / delete / read / find
//! flow.
//!
//! | property | create | update |
//! |---|---|---|
//! | `TopicName` (generated when absent; a FIFO topic's then ends in `.fifo`, within 256 characters) | CreateTopic | create-only (replacement) |
//! | `FifoTopic` | CreateTopic attribute (sent when true) | create-only (replacement) |
//! | `DisplayName`, `KmsMasterKeyId`, `SignatureVersion`, `TracingConfig` | CreateTopic attributes | SetTopicAttributes; removed: SNS's default (none, none, `1`, `PassThrough`) |
//! | `ContentBasedDeduplication`, `FifoThroughputScope`, `ArchivePolicy` (FIFO topics; the policy an object or a string of JSON) | CreateTopic attributes | SetTopicAttributes; removed: `false`, `Topic`, `{}` (as CloudFormation) |
//! | `DeliveryStatusLogging` (per protocol: `<Protocol>SuccessFeedbackRoleArn`, `...SuccessFeedbackSampleRate`, `...FailureFeedbackRoleArn`) | CreateTopic attributes | SetTopicAttributes; removed: empty |
//! | `DataProtectionPolicy` (an object or a string of JSON) | CreateTopic | PutDataProtectionPolicy (removed: empty) |
//! | `Subscription` (`Endpoint`, `Protocol`) | Subscribe each | Subscribe the new ones, Unsubscribe the dropped ones (ListSubscriptionsByTopic for their ARNs) |
//! | `Tags` | CreateTopic, with infra's tags | TagResource / UntagResource |
//!
//! Refused: `MaximumMessageSize` (refused in `mappings/sns.toml`). `Ref` is the topic ARN. `Fn::GetAtt`:
//! `TopicArn`, `TopicName` and the other names cfn-lint accepts that GetTopicAttributes tells
//! (the settings above, `DeliveryStatusLogging`); the create and an update that changed a
//! setting read them back.
//!
//! - **Create**: CreateTopic answers the topic of a taken name only when the tags sent are its
//!   own (a create of this resource sent again); another owner's topic fails it ("Topic already
//!   exists with different tags"), with infra's advice added.
//! - **Delete**: DeleteTopic (SNS deletes its subscriptions with it; a topic already gone is
//!   fine).
//! - **Read**: GetTopicAttributes per topic (SNS has no call describing several);
//!   ListTagsForResource, GetDataProtectionPolicy and ListSubscriptionsByTopic only for the
//!   properties managed. Of `Subscription`, refresh reports the listed ones that still exist:
//!   other subscriptions of the topic (`AWS::SNS::Subscription` resources) are not drift.
//! - **Find**: ListTopics pages for the name the create used, infra tags checked.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::prelude::*;
use crate::providers::kit::sdk_tags;
use aws_sdk_sns::types::Tag;

use super::{Sns, set_topic_attributes, subscribe, subscriptions_of, tags_of, topic_attributes};
use crate::providers::sqs::settings::{self, Kind, Setting, Settings};
use crate::providers::sqs::{declared_attributes, name_for, present};

pub(crate) const TYPE: &str = "AWS::SNS::Topic";

/// SNS's longest topic name.
const NAME_LIMIT: usize = 256;

/// The settings SNS holds as topic attributes of the same name (see [`settings`]).
const SETTINGS: &[Setting] = &[
    ("DisplayName", Kind::Text, "", false),
    ("KmsMasterKeyId", Kind::Text, "", false),
    ("SignatureVersion", Kind::Text, "1", false),
    ("TracingConfig", Kind::Text, "PassThrough", false),
    ("ContentBasedDeduplication", Kind::Flag, "false", true),
    ("FifoThroughputScope", Kind::Text, "Topic", true),
    ("ArchivePolicy", Kind::Document, "{}", true),
];

/// `DeliveryStatusLogging` protocols and the prefix of their topic attributes.
const LOGGING: [(&str, &str); 5] = [
    ("http/s", "HTTP"),
    ("sqs", "SQS"),
    ("lambda", "Lambda"),
    ("firehose", "Firehose"),
    ("application", "Application"),
];

/// The keys of a `DeliveryStatusLogging` item besides `Protocol`: each the suffix of a topic
/// attribute.
const LOGGING_KEYS: &[&str] = &[
    "SuccessFeedbackRoleArn",
    "SuccessFeedbackSampleRate",
    "FailureFeedbackRoleArn",
];

/// The keys of the template (generated from the schema, `crates/infra-aws/mappings/sns.toml`).
const KEYS: Keys = crate::generated::sns::TOPIC;

/// The topic as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: Option<String>,
    pub(crate) fifo: bool,
    /// The settings, `DeliveryStatusLogging` as its topic attributes among them.
    pub(crate) settings: Settings,
    pub(crate) data_protection: Option<Value>,
    /// `(Protocol, Endpoint)` of each inline subscription.
    pub(crate) subscriptions: Vec<(String, String)>,
    pub(crate) tags: Vec<(String, String)>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, KEYS)?;
    let mut settings = settings::parse(&p, SETTINGS)?;
    let item_keys = [&["Protocol"][..], LOGGING_KEYS].concat();
    for item in p.objs("DeliveryStatusLogging", Keys::new(&item_keys).listed())? {
        let protocol = item.required_str("Protocol")?;
        let Some((_, prefix)) = LOGGING.iter().find(|(name, _)| *name == protocol) else {
            let names = LOGGING.map(|(name, _)| name).join(", ");
            return Err(item.fatal("Protocol", format!("{protocol:?} is not one of {names}")));
        };
        for key in LOGGING_KEYS {
            let value = item.str(key)?.map(Value::String);
            settings.extend(value.map(|v| (format!("{prefix}{key}"), v)));
        }
    }
    let subscription = Keys::new(&["Endpoint", "Protocol"]).listed();
    let subscriptions = p
        .objs("Subscription", subscription)?
        .iter()
        .map(|s| Ok((s.required_str("Protocol")?, s.required_str("Endpoint")?)))
        .collect::<Result<_, ProviderError>>()?;
    Ok(Spec {
        name: p.str("TopicName")?,
        fifo: p.bool("FifoTopic")?.unwrap_or(false),
        settings,
        data_protection: p.document("DataProtectionPolicy")?,
        subscriptions,
        tags: p.tags("Tags")?,
    })
}

/// The topic attributes to set to go from `before` to `after`.
pub(crate) fn changes(before: &Spec, after: &Spec) -> Vec<(String, String)> {
    let (was, now) = (&before.settings, &after.settings);
    settings::changes(SETTINGS, was, now, after.fifo, |_| false)
}

/// The topic as a template writes it, from its attributes, with `TopicArn`: what refresh
/// reports (the managed keys) and `Fn::GetAtt` reads.
fn model(arn: &str, attrs: &HashMap<String, String>) -> Map<String, Value> {
    let mut out = settings::model(SETTINGS, attrs);
    let fifo = attrs.get("FifoTopic").is_some_and(|f| f == "true");
    out.insert("FifoTopic".into(), json!(fifo));
    let logging: Vec<Value> = LOGGING
        .iter()
        .filter_map(|(protocol, prefix)| {
            let mut item = Map::from_iter([("Protocol".into(), json!(protocol))]);
            for key in LOGGING_KEYS {
                let value = attrs.get(&format!("{prefix}{key}"));
                let value = value.filter(|v| !v.is_empty());
                item.extend(value.map(|v| ((*key).to_owned(), json!(v))));
            }
            (item.len() > 1).then_some(Value::Object(item))
        })
        .collect();
    out.insert("DeliveryStatusLogging".into(), json!(logging));
    out.insert("TopicArn".into(), json!(arn));
    out.insert("TopicName".into(), json!(arn.rsplit(':').next()));
    out
}

#[derive(Debug)]
pub(crate) struct TopicProvider {
    pub(crate) sns: Sns,
}

impl TopicProvider {
    /// What create and update answer: the topic's attributes read back.
    async fn output(&self, ctx: Ctx<'_>, arn: &str) -> Made {
        let attrs = topic_attributes(&self.sns, ctx, arn).await?;
        let attrs = attrs.ok_or_else(|| ctx.fatal(format!("topic {arn} disappeared")))?;
        Ok(ResourceOutput {
            physical_id: arn.to_owned(),
            attributes: declared_attributes(TYPE, &model(arn, &attrs)),
        })
    }

    /// Subscribes what `after` adds to `before` (`(Protocol, Endpoint)` pairs) to `arn`, and
    /// unsubscribes what it drops.
    async fn resubscribe(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        before: &[(String, String)],
        after: &[(String, String)],
    ) -> Result<(), ProviderError> {
        let dropped: Vec<_> = before.iter().filter(|s| !after.contains(s)).collect();
        if !dropped.is_empty() {
            for (sub, protocol, endpoint) in subscriptions_of(&self.sns, ctx, arn).await? {
                if !dropped.contains(&&(protocol, endpoint)) {
                    continue;
                }
                let sent = self.sns.client.unsubscribe().subscription_arn(&sub).send();
                let doing = format!("unsubscribing {sub}");
                unless_gone(&self.sns, ctx, doing, sent).await?;
            }
        }
        for (protocol, endpoint) in after.iter().filter(|s| !before.contains(s)) {
            subscribe(&self.sns, ctx, arn, (protocol, endpoint), HashMap::new()).await?;
        }
        Ok(())
    }
}

impl kit::Provider for TopicProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetTopicAttributes per topic (SNS has no call describing several); tags, data protection policy and subscriptions per topic when managed",
        Find::Name,
        "ListTopics pages for the name (a FIFO topic's with .fifo), infra tags checked (ListTagsForResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = name_for(&spec.name, &input.generated_name, spec.fifo, NAME_LIMIT)
            .ok_or_else(|| ctx.fatal("TopicName is not set and none was generated"))?;
        let fifo = ("FifoTopic".to_owned(), "true".to_owned());
        let attributes = changes(&Spec::default(), &spec).into_iter();
        let attributes = attributes.chain(spec.fifo.then_some(fifo));
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = self.sns.client.create_topic().name(&name);
        let request = request
            .set_attributes(Some(attributes.collect()))
            .set_tags(Some(sdk_tags!(Tag, ctx, tags)?))
            .set_data_protection_policy(spec.data_protection.as_ref().map(compact));
        let doing = format!("creating topic {name}");
        let created = send!(&self.sns, ctx, request, &doing).map_err(kit::on_create)?;
        let arn = created.topic_arn().unwrap_or_default().to_owned();
        self.resubscribe(ctx, &arn, &[], &spec.subscriptions)
            .await?;
        self.output(ctx, &arn).await
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let arn = input.physical_id.as_str();
        let set = changes(&before, &after);
        let (sns, tags) = (&self.sns, |s: &Spec| merge_tags(&s.tags, &input.tags));
        set_topic_attributes(sns, ctx, arn, &set).await?;
        let policy = |s: &Spec| s.data_protection.clone().unwrap_or_default();
        if !settings::same(&policy(&before), &policy(&after)) {
            let policy = after.data_protection.as_ref().map(compact);
            let request = sns.client.put_data_protection_policy().resource_arn(arn);
            let request = request.data_protection_policy(policy.unwrap_or_default());
            send!(sns, ctx, request, "setting the data protection policy")?;
        }
        let (was, now) = (&before.subscriptions, &after.subscriptions);
        self.resubscribe(ctx, arn, was, now).await?;
        let untag = |keys| async move {
            let request = sns.client.untag_resource().resource_arn(arn);
            let request = request.set_tag_keys(Some(keys));
            send!(sns, ctx, request, "untagging the topic")
        };
        let tag = |set: BTreeMap<_, _>| async move {
            let request = sns.client.tag_resource().resource_arn(arn);
            let request = request.set_tags(Some(sdk_tags!(Tag, ctx, set)?));
            send!(sns, ctx, request, "tagging the topic")
        };
        kit::map_changes(&tags(&before), &tags(&after), untag, tag).await?;
        if set.is_empty() {
            return Ok(unchanged(input));
        }
        self.output(ctx, arn).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let sent = self.sns.client.delete_topic().topic_arn(arn).send();
        let doing = format!("deleting topic {arn}");
        unless_gone(&self.sns, ctx, doing, sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(&self.sns, items, |sns, item| async move {
            let ctx = Ctx::new(TYPE, &item.address);
            let (arn, last) = (item.physical_id.as_str(), &item.properties);
            let Some(attrs) = topic_attributes(&sns, ctx, arn).await? else {
                return Ok(None);
            };
            let managed = |key: &str| last.get(key).is_some_and(|v| !v.is_null());
            let mut extra = Map::new();
            if managed("Tags") {
                let Some(tags) = tags_of(&sns, ctx, arn).await? else {
                    return Ok(None);
                };
                extra.insert("Tags".into(), observed_tags(&tags, last.get("Tags")));
            }
            if managed("DataProtectionPolicy") {
                let request = sns.client.get_data_protection_policy().resource_arn(arn);
                let out = send!(&sns, ctx, request, "reading the data protection policy")?;
                let text = out.data_protection_policy().filter(|t| !t.is_empty());
                extra.extend(text.map(|t| ("DataProtectionPolicy".into(), settings::typed(t))));
            }
            if managed("Subscription") {
                let listed = subscriptions_of(&sns, ctx, arn).await?;
                let item =
                    |(_, protocol, endpoint)| json!({"Endpoint": endpoint, "Protocol": protocol});
                let listed: Vec<Value> = listed.into_iter().map(item).collect();
                // Of the topic's subscriptions, those listed here: others are not drift.
                let prev = last.get("Subscription").and_then(Value::as_array);
                let exists = |s: &&Value| listed.iter().any(|l| settings::same(l, s));
                let kept = prev.into_iter().flatten().filter(exists).cloned();
                extra.insert("Subscription".into(), Value::Array(kept.collect()));
            }
            let name = ("TopicName", NAME_LIMIT);
            Ok(Some(present(TYPE, model(arn, &attrs), extra, last, name)))
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let name = Some(name_to_find(input, "TopicName", ctx)?);
        let name = name_for(&None, &name, spec.fifo, NAME_LIMIT).unwrap_or_default();
        let mut token = None;
        loop {
            let request = self.sns.client.list_topics().set_next_token(token.take());
            let page = send!(&self.sns, ctx, request, "listing topics")?;
            let arns = page.topics().iter().filter_map(|t| t.topic_arn());
            for arn in arns.filter(|arn| arn.rsplit(':').next() == Some(name.as_str())) {
                let tags = tags_of(&self.sns, ctx, arn).await?.unwrap_or_default();
                if owned_by(&tags, &input.tags) {
                    return self.output(ctx, arn).await.map(Some);
                }
            }
            match page.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return Ok(None),
            }
        }
    }
}
