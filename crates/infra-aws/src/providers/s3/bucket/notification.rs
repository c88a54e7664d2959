//! `NotificationConfiguration`: EventBridge, and Lambda, SQS and SNS destinations (one event
//! each, with an optional key filter) to PutBucketNotificationConfiguration, and
//! GetBucketNotificationConfiguration back in the template's spelling (one item per event;
//! filter rule names in lower case, as the template writes them).

use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput as Got;
use aws_sdk_s3::types::{
    Event, EventBridgeConfiguration, FilterRule, FilterRuleName, LambdaFunctionConfiguration,
    NotificationConfiguration, NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter,
    TopicConfiguration,
};
use serde_json::{Value, json};

use super::configs::built;
use crate::provider::ProviderError;
use crate::providers::kit::{Keys, Props};

pub(super) const KEYS: Keys = Keys::new(&[
    "EventBridgeConfiguration",
    "LambdaConfigurations",
    "QueueConfigurations",
    "TopicConfigurations",
])
.listed();

/// The three kinds of destination: the list's key and the key of its ARN.
const KINDS: [(&str, &str); 3] = [
    ("LambdaConfigurations", "Function"),
    ("QueueConfigurations", "Queue"),
    ("TopicConfigurations", "Topic"),
];

/// One destination as the template writes it: its ARN, event and filter.
struct Destination {
    arn: String,
    event: Event,
    filter: Option<NotificationConfigurationFilter>,
}

fn destinations(p: &Props, (list, arn): (&str, &str)) -> Result<Vec<Destination>, ProviderError> {
    let keys = [arn, "Event", "Filter"];
    let items = p.objs(list, Keys::new(&keys).listed())?;
    items
        .iter()
        .map(|d| {
            let filter = d.obj("Filter", Keys::new(&["S3Key"]).listed())?;
            let key = filter
                .map(|f| f.obj("S3Key", Keys::new(&["Rules"]).listed()))
                .transpose()?
                .flatten();
            let filter = match key {
                None => None,
                Some(key) => {
                    let rules = key.objs("Rules", Keys::new(&["Name", "Value"]).listed())?;
                    let rules = rules.iter().map(|r| {
                        let name = r.required_str("Name")?.to_ascii_lowercase();
                        Ok(FilterRule::builder()
                            .name(FilterRuleName::from(name.as_str()))
                            .value(r.required_str("Value")?)
                            .build())
                    });
                    let rules = rules.collect::<Result<Vec<_>, ProviderError>>()?;
                    let key = S3KeyFilter::builder().set_filter_rules(Some(rules)).build();
                    Some(NotificationConfigurationFilter::builder().key(key).build())
                }
            };
            Ok(Destination {
                arn: d.required_str(arn)?,
                event: Event::from(d.required_str("Event")?.as_str()),
                filter,
            })
        })
        .collect()
}

pub(super) fn build(p: &Props) -> Result<NotificationConfiguration, ProviderError> {
    let bridge = p.obj(
        "EventBridgeConfiguration",
        Keys::new(&["EventBridgeEnabled"]).listed(),
    )?;
    let bridge = match bridge {
        Some(b) if b.bool("EventBridgeEnabled")?.unwrap_or(false) => {
            Some(EventBridgeConfiguration::builder().build())
        }
        _ => None,
    };
    let [lambdas, queues, topics] = KINDS.map(|kind| destinations(p, kind));
    let lambdas = lambdas?.into_iter().map(|d| {
        let c = LambdaFunctionConfiguration::builder().lambda_function_arn(d.arn);
        built(p, c.events(d.event).set_filter(d.filter).build())
    });
    let queues = queues?.into_iter().map(|d| {
        let c = QueueConfiguration::builder().queue_arn(d.arn);
        built(p, c.events(d.event).set_filter(d.filter).build())
    });
    let topics = topics?.into_iter().map(|d| {
        let c = TopicConfiguration::builder().topic_arn(d.arn);
        built(p, c.events(d.event).set_filter(d.filter).build())
    });
    Ok(NotificationConfiguration::builder()
        .set_event_bridge_configuration(bridge)
        .set_lambda_function_configurations(Some(lambdas.collect::<Result<_, _>>()?))
        .set_queue_configurations(Some(queues.collect::<Result<_, _>>()?))
        .set_topic_configurations(Some(topics.collect::<Result<_, _>>()?))
        .build())
}

/// One template item per event of a destination.
fn items(
    arn_key: &str,
    arn: &str,
    events: &[Event],
    filter: Option<&NotificationConfigurationFilter>,
) -> Vec<Value> {
    let rules: Option<Vec<Value>> = filter.and_then(|f| f.key()).map(|k| {
        k.filter_rules()
            .iter()
            .map(|r| json!({"Name": r.name().map(|n| n.as_str().to_ascii_lowercase()), "Value": r.value()}))
            .collect()
    });
    events
        .iter()
        .map(|e| {
            let filter = rules.as_ref().map(|r| json!({"S3Key": {"Rules": r}}));
            json!({arn_key: arn, "Event": e.as_str(), "Filter": filter})
        })
        .collect()
}

/// A bucket without notifications, as [`observe`] reports it.
pub(super) fn none() -> Value {
    json!({"EventBridgeConfiguration": {"EventBridgeEnabled": false},
        "LambdaConfigurations": [], "QueueConfigurations": [], "TopicConfigurations": []})
}

/// What GetBucketNotificationConfiguration answered, in the template's spelling.
pub(super) fn observe(got: &Got) -> Value {
    let lambdas: Vec<Value> = got
        .lambda_function_configurations()
        .iter()
        .flat_map(|c| items("Function", c.lambda_function_arn(), c.events(), c.filter()))
        .collect();
    let queues: Vec<Value> = got
        .queue_configurations()
        .iter()
        .flat_map(|c| items("Queue", c.queue_arn(), c.events(), c.filter()))
        .collect();
    let topics: Vec<Value> = got
        .topic_configurations()
        .iter()
        .flat_map(|c| items("Topic", c.topic_arn(), c.events(), c.filter()))
        .collect();
    let bridge = got.event_bridge_configuration().is_some();
    json!({
        "EventBridgeConfiguration": {"EventBridgeEnabled": bridge},
        "LambdaConfigurations": lambdas,
        "QueueConfigurations": queues,
        "TopicConfigurations": topics,
    })
}
