//! `NotificationConfiguration`: EventBridge, and Lambda, SQS and SNS destinations (one event
//! each, with an optional key filter) to PutBucketNotificationConfiguration, and
//! GetBucketNotificationConfiguration back in the template's spelling (one item per event;
//! filter rule names in lower case, as the template writes them). The destinations are read by
//! code generated from the schema (`crates/infra-aws/mappings/s3.toml`).

use crate::providers::kit::prelude::*;
use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput as Got;
use aws_sdk_s3::types::{
    Event, EventBridgeConfiguration, FilterRuleName, NotificationConfiguration,
    NotificationConfigurationFilter,
};

use crate::generated::s3 as schema;
use crate::providers::kit::convert::R;

/// The generated conversion, then EventBridge (on only when enabled) and the filters: without
/// `S3Key` none, rule names in lower case.
pub(super) fn build(p: &Props) -> R<NotificationConfiguration> {
    let mut n = schema::notification_configuration(p)?;
    let bridge = p.obj(
        "EventBridgeConfiguration",
        schema::EVENT_BRIDGE_CONFIGURATION,
    )?;
    let bridge = bridge.map(|b| b.bool("EventBridgeEnabled")).transpose()?;
    if bridge.flatten() == Some(true) {
        n.event_bridge_configuration = Some(EventBridgeConfiguration::builder().build());
    }
    let lambdas = n.lambda_function_configurations.iter_mut().flatten();
    let queues = n.queue_configurations.iter_mut().flatten();
    let topics = n.topic_configurations.iter_mut().flatten();
    let filters = (lambdas.map(|c| &mut c.filter))
        .chain(queues.map(|c| &mut c.filter))
        .chain(topics.map(|c| &mut c.filter));
    for filter in filters {
        *filter = filter.take().filter(|f| f.key.is_some());
        let key = filter.as_mut().and_then(|f| f.key.as_mut());
        for rule in key
            .into_iter()
            .flat_map(|k| k.filter_rules.iter_mut().flatten())
        {
            let lower = rule.name.as_ref().map(|n| n.as_str().to_ascii_lowercase());
            rule.name = lower.map(|n| FilterRuleName::from(n.as_str()));
        }
    }
    Ok(n)
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
    // The items of one kind of destination (its list, ARN key and ARN).
    macro_rules! kind {
        ($list:ident, $key:literal, $arn:ident) => {
            (got.$list().iter())
                .flat_map(|c| items($key, c.$arn(), c.events(), c.filter()))
                .collect::<Vec<_>>()
        };
    }
    let bridge = got.event_bridge_configuration().is_some();
    json!({
        "EventBridgeConfiguration": {"EventBridgeEnabled": bridge},
        "LambdaConfigurations": kind!(lambda_function_configurations, "Function", lambda_function_arn),
        "QueueConfigurations": kind!(queue_configurations, "Queue", queue_arn),
        "TopicConfigurations": kind!(topic_configurations, "Topic", topic_arn),
    })
}
