//! `AWS::SQS::Queue`: its properties ([`Spec`]) and the create / update / delete / read / find
//! flow.
//!
//! | property | create | update |
//! |---|---|---|
//! | `QueueName` (generated when absent; a FIFO queue's then ends in `.fifo`, within 80 characters) | CreateQueue | create-only (replacement) |
//! | `FifoQueue` | CreateQueue attribute (sent when true) | create-only (replacement) |
//! | `DelaySeconds`, `MaximumMessageSize`, `MessageRetentionPeriod`, `ReceiveMessageWaitTimeSeconds`, `VisibilityTimeout`, `KmsMasterKeyId`, `KmsDataKeyReusePeriodSeconds`, `SqsManagedSseEnabled` | CreateQueue attributes | SetQueueAttributes; removed: SQS's documented default (`0`, `1048576`, `345600`, `0`, `30`, none, `300`, `true` unless a KMS key is set) |
//! | `RedrivePolicy`, `RedriveAllowPolicy` (an object or a string of JSON, compared as a document: `5` and `"5"` alike) | CreateQueue attributes | SetQueueAttributes; removed: empty, which removes it |
//! | `ContentBasedDeduplication`, `DeduplicationScope`, `FifoThroughputLimit` (FIFO queues) | CreateQueue attributes | SetQueueAttributes; removed: `false`, `queue`, `perQueue` |
//! | `Tags` | CreateQueue `tags`, with infra's tags | TagQueue / UntagQueue |
//!
//! `Ref` is the queue URL; `Fn::GetAtt` `Arn`, `QueueName`, `QueueUrl` and the other names
//! cfn-lint accepts (the settings, `RedrivePolicy.deadLetterTargetArn`...), from
//! GetQueueAttributes.
//!
//! - **Create**: CreateQueue, then GetQueueAttributes until the settings sent show (a change
//!   takes up to 60 s to reach every SQS server, says SetQueueAttributes; at most 60 s). For a
//!   taken name CreateQueue answers the queue when the attributes and tags sent are its own (a
//!   create of this resource sent again), else `QueueAlreadyExists`: that queue is adopted only
//!   with this resource's `infra:*` tags (ListQueueTags), its settings then set.
//!   `QueueDeletedRecently` is retried.
//! - **Delete**: DeleteQueue, then GetQueueAttributes until the queue is gone ("the deletion
//!   process takes up to 60 seconds", DeleteQueue).
//! - **Read**: GetQueueAttributes per queue (SQS has no call describing several), ListQueueTags
//!   when `Tags` are managed.
//! - **Find**: GetQueueUrl of the name the create used (a FIFO queue's with `.fifo`), infra tags
//!   checked.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

use super::settings::{self, Kind, Setting, Settings, same, typed};
use super::{
    Sqs, answered, attributes_of, declared_attributes, gone, name_for, present, set_attributes,
};

type Tags = BTreeMap<String, String>;

pub(crate) const TYPE: &str = "AWS::SQS::Queue";

/// SQS's longest queue name.
const NAME_LIMIT: usize = 80;

/// How long create and update wait for their settings to show, and delete for the queue to go.
const SETTLE: Duration = Duration::from_secs(60);
const DELETE_TIMEOUT: Duration = Duration::from_secs(120);

/// The settings SQS holds as queue attributes of the same name: how each is read, the value
/// that restores SQS's default when a template drops it (SetQueueAttributes' documentation),
/// and whether it applies to FIFO queues only.
const SETTINGS: &[Setting] = &[
    ("DelaySeconds", Kind::Number, "0", false),
    ("MaximumMessageSize", Kind::Number, "1048576", false),
    ("MessageRetentionPeriod", Kind::Number, "345600", false),
    ("ReceiveMessageWaitTimeSeconds", Kind::Number, "0", false),
    ("VisibilityTimeout", Kind::Number, "30", false),
    ("RedrivePolicy", Kind::Document, "", false),
    ("RedriveAllowPolicy", Kind::Document, "", false),
    ("KmsMasterKeyId", Kind::Text, "", false),
    ("KmsDataKeyReusePeriodSeconds", Kind::Number, "300", false),
    ("SqsManagedSseEnabled", Kind::Flag, "true", false),
    ("ContentBasedDeduplication", Kind::Flag, "false", true),
    ("DeduplicationScope", Kind::Text, "queue", true),
    ("FifoThroughputLimit", Kind::Text, "perQueue", true),
];

/// The queue as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: Option<String>,
    pub(crate) fifo: bool,
    /// The settings the template gives, by attribute name, in their JSON type.
    pub(crate) settings: Settings,
    pub(crate) tags: Vec<(String, String)>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, crate::generated::sqs::QUEUE)?;
    Ok(Spec {
        name: p.str("QueueName")?,
        fifo: p.bool("FifoQueue")?.unwrap_or(false),
        settings: settings::parse(&p, SETTINGS)?,
        tags: p.tags("Tags")?,
    })
}

/// The attributes to set to go from `before` to `after` ([`settings::changes`]; SSE-SQS is
/// not turned back on beside a KMS key).
pub(crate) fn changes(before: &Spec, after: &Spec) -> Vec<(String, String)> {
    let kms = after.settings.contains_key("KmsMasterKeyId");
    let keep = |key: &str| key == "SqsManagedSseEnabled" && kms;
    let (was, now) = (&before.settings, &after.settings);
    settings::changes(SETTINGS, was, now, after.fifo, keep)
}

/// The queue as a template writes it, from its URL and attributes, with its read-only values
/// (`Arn`, `QueueUrl`): what refresh reports (the managed keys) and `Fn::GetAtt` reads.
fn model(url: &str, attrs: &HashMap<String, String>) -> Map<String, Value> {
    let mut out = settings::model(SETTINGS, attrs);
    let fifo = attrs.get("FifoQueue").is_some_and(|f| f == "true");
    out.insert("FifoQueue".into(), json!(fifo));
    out.insert("QueueName".into(), json!(url.rsplit('/').next()));
    out.insert("QueueUrl".into(), json!(url));
    out.insert("Arn".into(), json!(attrs.get("QueueArn")));
    out
}

fn output(url: &str, attrs: &HashMap<String, String>) -> ResourceOutput {
    ResourceOutput {
        physical_id: url.to_owned(),
        attributes: declared_attributes(TYPE, &model(url, attrs)),
    }
}

/// The queue's tags (ListQueueTags); `None` when the queue is gone.
async fn tags_of(sqs: &Sqs, ctx: Ctx<'_>, url: &str) -> Result<Option<Tags>, ProviderError> {
    let request = sqs.client.list_queue_tags().queue_url(url);
    let out = answered!(sqs, ctx, request, "reading the tags", gone)?;
    Ok(out.map(|out| out.tags.unwrap_or_default().into_iter().collect()))
}

/// Reads the queue at `url` until the settings `sent` show (values SQS leaves out of its
/// answer are not waited for), for at most [`SETTLE`]; the attributes last read.
async fn settle(
    sqs: &Sqs,
    ctx: Ctx<'_>,
    url: &str,
    sent: &[(String, String)],
) -> Result<HashMap<String, String>, ProviderError> {
    let shown = |attrs: &HashMap<String, String>| {
        let shows = |(key, value): &(String, String)| {
            let seen = attrs.get(key);
            seen.is_none_or(|seen| same(&typed(seen), &typed(value)))
        };
        sent.iter().all(shows)
    };
    let read = || attributes_of(sqs, ctx, url, &["All"]);
    let poll = || async { Ok(read().await?.filter(|attrs| shown(attrs))) };
    match kit::poll(SETTLE, poll).await? {
        Some(attrs) => Ok(attrs),
        None => read()
            .await?
            .ok_or_else(|| ctx.error(FailureClass::NotFound, format!("queue {url} is gone"))),
    }
}

/// TagQueue / UntagQueue on `url` to go from the tags `before` to `after`.
async fn retag(sqs: &Sqs, ctx: Ctx<'_>, url: &str, before: &Tags, after: &Tags) -> R<()> {
    let untag = |keys| async move {
        let request = sqs.client.untag_queue().queue_url(url);
        let request = request.set_tag_keys(Some(keys));
        send!(sqs, ctx, request, "untagging the queue")
    };
    let tag = |set: Tags| async move {
        let request = sqs.client.tag_queue().queue_url(url);
        let request = request.set_tags(Some(set.into_iter().collect()));
        send!(sqs, ctx, request, "tagging the queue")
    };
    kit::map_changes(before, after, untag, tag).await
}

#[derive(Debug)]
pub(crate) struct QueueProvider {
    pub(crate) sqs: Sqs,
}

impl QueueProvider {
    /// Whether the queue at `url` carries the `infra:*` tags `infra` (an unknown queue: no).
    async fn owned(&self, ctx: Ctx<'_>, url: &str, infra: &Tags) -> Result<bool, ProviderError> {
        let tags = tags_of(&self.sqs, ctx, url).await?.unwrap_or_default();
        Ok(owned_by(&tags, infra))
    }

    /// GetQueueUrl of `name`; `None` when there is no such queue.
    async fn url_of(&self, ctx: Ctx<'_>, name: &str) -> Result<Option<String>, ProviderError> {
        let request = self.sqs.client.get_queue_url().queue_name(name);
        let out = answered!(&self.sqs, ctx, request, "looking up the queue", gone)?;
        Ok(out.and_then(|out| out.queue_url))
    }
}

impl kit::Provider for QueueProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetQueueAttributes per queue (SQS has no call describing several); ListQueueTags when Tags are managed",
        Find::Name,
        "GetQueueUrl of the name (a FIFO queue's with .fifo), infra tags checked (ListQueueTags)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = name_for(&spec.name, &input.generated_name, spec.fifo, NAME_LIMIT)
            .ok_or_else(|| ctx.fatal("QueueName is not set and none was generated"))?;
        let sent = changes(&Spec::default(), &spec);
        let tags = merge_tags(&spec.tags, &input.tags);
        let fifo = ("FifoQueue".to_owned(), "true".to_owned());
        let attributes = sent.iter().cloned().chain(spec.fifo.then_some(fifo));
        let attributes = attributes.map(|(k, v)| (k.as_str().into(), v));
        let request = self.sqs.client.create_queue().queue_name(&name);
        let request = request.set_attributes(Some(attributes.collect()));
        let request = request.set_tags(Some(tags.clone().into_iter().collect()));
        let doing = format!("creating queue {name}");
        // A taken name answers the queue when the attributes and tags sent are its own (a create
        // of this resource sent again), else QueueAlreadyExists.
        let url = match request.send().await {
            Ok(out) => out.queue_url().unwrap_or_default().to_owned(),
            Err(e) => {
                let err = self.sqs.err(e);
                if !kit::has_code(&err, "QueueAlreadyExists") {
                    return Err(on_create(self.sqs.classify(ctx, &doing, &err)));
                }
                let url = self.url_of(ctx, &name).await?;
                let url = url.ok_or_else(|| ctx.fail_referencing(&doing, &err))?;
                if !self.owned(ctx, &url, &input.tags).await? {
                    return Err(ctx.fatal(format!(
                        "a queue {url} already exists and was not made for this resource (it \
                         lacks its infra:* tags); choose another QueueName or import it"
                    )));
                }
                let doing = "setting the queue's attributes";
                set_attributes(&self.sqs, ctx, &url, &sent, doing).await?;
                retag(&self.sqs, ctx, &url, &BTreeMap::new(), &tags).await?;
                url
            }
        };
        let attrs = settle(&self.sqs, ctx, &url, &sent).await?;
        Ok(output(&url, &attrs))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let url = &input.physical_id;
        let sent = changes(&before, &after);
        set_attributes(&self.sqs, ctx, url, &sent, "setting the queue's attributes").await?;
        let tags = |spec: &Spec| merge_tags(&spec.tags, &input.tags);
        retag(&self.sqs, ctx, url, &tags(&before), &tags(&after)).await?;
        if sent.is_empty() {
            return Ok(unchanged(input));
        }
        Ok(output(url, &settle(&self.sqs, ctx, url, &sent).await?))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let url = input.physical_id.as_str();
        let request = self.sqs.client.delete_queue().queue_url(url);
        if answered!(&self.sqs, ctx, request, "deleting the queue", gone)?.is_none() {
            return Ok(());
        }
        let gone = kit::poll(DELETE_TIMEOUT, || async {
            let seen = attributes_of(&self.sqs, ctx, url, &["QueueArn"]).await?;
            Ok(seen.is_none().then_some(()))
        });
        let waited = DELETE_TIMEOUT.as_secs();
        gone.await?.ok_or_else(|| {
            let why = format!("queue {url} still exists {waited} s after DeleteQueue");
            ctx.error(FailureClass::Retryable, why)
        })
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(&self.sqs, items, |sqs, item| async move {
            let ctx = Ctx::new(TYPE, &item.address);
            let (url, last) = (&item.physical_id, &item.properties);
            let Some(attrs) = attributes_of(&sqs, ctx, url, &["All"]).await? else {
                return Ok(None);
            };
            let mut extra = Map::new();
            if last.get("Tags").is_some_and(|t| !t.is_null()) {
                let Some(tags) = tags_of(&sqs, ctx, url).await? else {
                    return Ok(None);
                };
                extra.insert("Tags".into(), observed_tags(&tags, last.get("Tags")));
            }
            let name = ("QueueName", NAME_LIMIT);
            Ok(Some(present(TYPE, model(url, &attrs), extra, last, name)))
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let name = Some(name_to_find(input, "QueueName", ctx)?);
        let name = name_for(&None, &name, spec.fifo, NAME_LIMIT).unwrap_or_default();
        let Some(url) = self.url_of(ctx, &name).await? else {
            return Ok(None);
        };
        if !self.owned(ctx, &url, &input.tags).await? {
            return Ok(None);
        }
        let attrs = attributes_of(&self.sqs, ctx, &url, &["All"]).await?;
        Ok(attrs.map(|attrs| output(&url, &attrs)))
    }
}
