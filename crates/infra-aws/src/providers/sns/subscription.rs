//! `AWS::SNS::Subscription`: Subscribe, GetSubscriptionAttributes, SetSubscriptionAttributes,
//! Unsubscribe.
//!
//! | property | create | update |
//! |---|---|---|
//! | `TopicArn`, `Protocol`, `Endpoint` | Subscribe (`ReturnSubscriptionArn`, so a subscription awaiting confirmation has its ARN too) | create-only (replacement) |
//! | `FilterPolicyScope`, `FilterPolicy`, `RawMessageDelivery`, `RedrivePolicy`, `DeliveryPolicy`, `SubscriptionRoleArn`, `ReplayPolicy` (policies an object or a string of JSON, compared as documents) | Subscribe attributes | SetSubscriptionAttributes, one a call, the scope before the filter policy; removed: `MessageAttributes`, `false`, empty for the others (as CloudFormation) |
//! | `Region` (write-only) | the region whose SNS is called: the topic's (CloudFormation: "for cross-region subscriptions, the region in which the topic resides"); by default the topic ARN's | |
//!
//! `Ref` and `Fn::GetAtt Arn` are the subscription ARN; every call about an existing
//! subscription goes to the region of its ARN.
//!
//! - **Delete**: Unsubscribe (a subscription already gone is fine).
//! - **Read**: GetSubscriptionAttributes per subscription (no call describes several).
//! - **Find**: subscriptions carry no tags: by natural key, ListSubscriptionsByTopic pages for
//!   the protocol and endpoint (SNS keeps one subscription per topic, protocol and endpoint;
//!   Subscribe answers the existing one).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_config::SdkConfig;

use super::{Sns, arn_parts, client_in, subscribe, subscriptions_of};

use crate::providers::sqs::settings::{self, Kind, Setting, Settings, in_template_spelling};

pub(crate) const TYPE: &str = "AWS::SNS::Subscription";

/// The settings SNS holds as subscription attributes of the same name (see [`settings`]), the
/// scope before the filter policy it applies to.
const SETTINGS: &[Setting] = &[
    ("FilterPolicyScope", Kind::Text, "MessageAttributes", false),
    ("FilterPolicy", Kind::Document, "", false),
    ("RawMessageDelivery", Kind::Flag, "false", false),
    ("RedrivePolicy", Kind::Document, "", false),
    ("DeliveryPolicy", Kind::Document, "", false),
    ("SubscriptionRoleArn", Kind::Text, "", false),
    ("ReplayPolicy", Kind::Document, "", false),
];

/// The subscription as the template describes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub(crate) topic: String,
    pub(crate) protocol: String,
    pub(crate) endpoint: String,
    pub(crate) region: Option<String>,
    pub(crate) settings: Settings,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, crate::generated::sns::SUBSCRIPTION)?;
    Ok(Spec {
        topic: p.required_str("TopicArn")?,
        protocol: p.required_str("Protocol")?,
        endpoint: p.required_str("Endpoint")?,
        region: p.str("Region")?,
        settings: settings::parse(&p, SETTINGS)?,
    })
}

/// The attributes to set to go from `before` to `after`, in [`SETTINGS`]' order.
pub(crate) fn changes(before: &Settings, after: &Settings) -> Vec<(String, String)> {
    settings::changes(SETTINGS, before, after, false, |_| false)
}

fn output(arn: &str) -> ResourceOutput {
    output_of(arn, [("Arn", json!(arn))])
}

#[derive(Debug, Clone)]
pub(crate) struct SubscriptionProvider {
    pub(crate) sns: Sns,
    /// What builds the client of another region.
    pub(crate) config: SdkConfig,
    /// The configured region.
    pub(crate) region: Option<String>,
}

impl SubscriptionProvider {
    /// The client of `region` (`None` or the configured region: the shared one).
    fn sns_in(&self, region: Option<&str>) -> Sns {
        match region {
            Some(region) if Some(region) != self.region.as_deref() => {
                client_in(&self.config, Some(region))
            }
            _ => self.sns.clone(),
        }
    }
}

impl kit::Provider for SubscriptionProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetSubscriptionAttributes per subscription (SNS has no call describing several)",
        Find::NaturalKey,
        "ListSubscriptionsByTopic pages for the protocol and endpoint (subscriptions have no tags)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let sns = self.sns_in(spec.region.as_deref().or(arn_parts(&spec.topic).0));
        let attributes = changes(&BTreeMap::new(), &spec.settings).into_iter();
        let target = (spec.protocol.as_str(), spec.endpoint.as_str());
        let arn = subscribe(&sns, ctx, &spec.topic, target, attributes.collect()).await?;
        Ok(output(&arn))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let arn = input.physical_id.as_str();
        let sns = self.sns_in(arn_parts(arn).0);
        for (name, value) in changes(&before.settings, &after.settings) {
            let request = sns.client.set_subscription_attributes();
            let doing = format!("setting {name} of subscription {arn}");
            let request = request.subscription_arn(arn).attribute_name(name);
            send!(&sns, ctx, request.attribute_value(value), doing)?;
        }
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let sns = self.sns_in(arn_parts(arn).0);
        let sent = sns.client.unsubscribe().subscription_arn(arn).send();
        let doing = format!("unsubscribing {arn}");
        unless_gone(&sns, ctx, doing, sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(self, items, |this, item| async move {
            let (ctx, arn) = (Ctx::new(TYPE, &item.address), &item.physical_id);
            let sns = this.sns_in(arn_parts(arn).0);
            let request = sns.client.get_subscription_attributes();
            let request = request.subscription_arn(arn);
            let out = answered!(&sns, ctx, request, "reading the subscription", is_not_found)?;
            let Some(attrs) = out.map(|out| out.attributes.unwrap_or_default()) else {
                return Ok(None);
            };
            let last = &item.properties;
            let mut found = settings::model(SETTINGS, &attrs);
            for key in ["TopicArn", "Protocol", "Endpoint"] {
                found.extend(attrs.get(key).map(|v| (key.to_owned(), json!(v))));
            }
            // Write-only: as last applied.
            found.extend(last.get("Region").map(|r| ("Region".to_owned(), r.clone())));
            in_template_spelling(&mut found, last);
            Ok(Some(Observation::Present {
                properties: observed(Value::Object(found), last),
                attributes: output(arn).attributes,
            }))
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let sns = self.sns_in(spec.region.as_deref().or(arn_parts(&spec.topic).0));
        let listed = subscriptions_of(&sns, ctx, &spec.topic).await?;
        let found = listed.into_iter().find(|(arn, protocol, endpoint)| {
            *protocol == spec.protocol && *endpoint == spec.endpoint && arn.starts_with("arn:")
        });
        Ok(found.map(|(arn, ..)| output(&arn)))
    }
}
