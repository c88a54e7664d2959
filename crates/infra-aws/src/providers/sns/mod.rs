//! Amazon SNS: `AWS::SNS::Topic` ([`topic`]), `AWS::SNS::Subscription` ([`subscription`]) and
//! `AWS::SNS::TopicPolicy` ([`topic_policy`]), on one SNS client (a subscription in another
//! region gets a client of its own), with the calls they share: topic attributes read and
//! written ([`topic_attributes`], [`set_topic_attributes`]), a topic's subscriptions
//! ([`subscriptions_of`]) and subscribing ([`subscribe`]). The keys each type's template may
//! hold are generated from its schema (`crates/infra-aws/mappings/sns.toml`).
//!
//! | SNS error | class |
//! |---|---|
//! | `NotFound` (topic, subscription), `ResourceNotFound` (tags of a topic) | not found (success for a delete) |
//! | `InvalidParameter` "Policy Error: PrincipalNotFound": a principal made a moment ago (CloudFormation's topic policy handler retries it) | eventually consistent |
//! | `InvalidParameter` "Topic already exists with different tags" (a name another owner took) | fatal, with advice |
//! | anything else | the kit's table |

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use aws_config::SdkConfig;
use aws_sdk_sns::types::Tag;

use crate::config::endpoint_for;
use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::convert::R;
use crate::providers::kit::errors::Coded;
use crate::providers::kit::prelude::*;

pub(crate) mod subscription;
pub(crate) mod topic;
pub(crate) mod topic_policy;

#[cfg(test)]
mod tests;

pub(crate) type Tags = BTreeMap<String, String>;

/// An SNS client and how its errors are named.
pub(crate) type Sns = Service<aws_sdk_sns::Client>;

impl Classify for Sns {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        let (code, message) = err.code_and_message().unwrap_or_default();
        if code == "InvalidParameter" && message.contains("PrincipalNotFound") {
            out.class = FailureClass::EventuallyConsistent;
        } else if message.contains("already exists with different") {
            out.message += "; it was not made for this resource: choose another name or import it";
        }
        out
    }
}

/// The SNS client of `region` (`None`: the configured one), for what lives in another region.
pub(crate) fn client_in(config: &SdkConfig, region: Option<&str>) -> Sns {
    let client = match region {
        None => aws_sdk_sns::Client::new(config),
        Some(region) => {
            let conf = aws_sdk_sns::config::Builder::from(config)
                .region(aws_sdk_sns::config::Region::new(region.to_owned()));
            aws_sdk_sns::Client::from_conf(conf.build())
        }
    };
    Sns::new(client, "sns", endpoint_for(config, "sns", region))
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let sns = client_in(config, None);
    providers.insert(kit::native(topic::TopicProvider { sns: sns.clone() }));
    let policy = topic_policy::TopicPolicyProvider { sns: sns.clone() };
    providers.insert(kit::native(kit::held_policy::Held(policy)));
    let region = config.region().map(|r| r.as_ref().to_owned());
    providers.insert(kit::native(subscription::SubscriptionProvider {
        sns,
        config: config.clone(),
        region,
    }));
}

/// GetTopicAttributes of the topic `arn`; `None` when it does not exist.
pub(crate) async fn topic_attributes(
    sns: &Sns,
    ctx: Ctx<'_>,
    arn: &str,
) -> Result<Option<HashMap<String, String>>, ProviderError> {
    let request = sns.client.get_topic_attributes().topic_arn(arn);
    let out = answered!(sns, ctx, request, "reading the topic", is_not_found)?;
    Ok(out.map(|out| out.attributes.unwrap_or_default()))
}

/// SetTopicAttributes of each `(name, value)` on the topic `arn` (one attribute a call).
pub(crate) async fn set_topic_attributes(
    sns: &Sns,
    ctx: Ctx<'_>,
    arn: &str,
    attributes: &[(String, String)],
) -> Result<(), ProviderError> {
    for (name, value) in attributes {
        let request = sns.client.set_topic_attributes().topic_arn(arn);
        let request = request.attribute_name(name).attribute_value(value);
        send!(sns, ctx, request, format!("setting {name} of topic {arn}"))?;
    }
    Ok(())
}

/// One subscription of a topic: its ARN, protocol and endpoint.
pub(crate) type Subscribed = (String, String, String);

/// Every subscription of the topic `arn` (ListSubscriptionsByTopic, pages followed); none when
/// the topic is gone.
pub(crate) async fn subscriptions_of(sns: &Sns, ctx: Ctx<'_>, arn: &str) -> R<Vec<Subscribed>> {
    kit::pages(|token| async move {
        let request = sns.client.list_subscriptions_by_topic().topic_arn(arn);
        let request = request.set_next_token(token);
        let doing = "listing the subscriptions";
        let Some(page) = answered!(sns, ctx, request, doing, is_not_found)? else {
            return Ok((Vec::new(), None));
        };
        let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
        let subscribed = page.subscriptions().iter().map(|s| {
            let arn = text(s.subscription_arn());
            (arn, text(s.protocol()), text(s.endpoint()))
        });
        Ok((subscribed.collect(), page.next_token().map(str::to_owned)))
    })
    .await
}

/// Subscribe `endpoint` by `protocol` to the topic `topic` with `attributes`, answering the
/// subscription's ARN even while it awaits confirmation (`ReturnSubscriptionArn`). SNS answers
/// the existing subscription for the same topic, protocol and endpoint.
pub(crate) async fn subscribe(
    sns: &Sns,
    ctx: Ctx<'_>,
    topic: &str,
    (protocol, endpoint): (&str, &str),
    attributes: HashMap<String, String>,
) -> Result<String, ProviderError> {
    let attributes = (!attributes.is_empty()).then_some(attributes);
    let request = sns.client.subscribe().topic_arn(topic).protocol(protocol);
    let request = request.endpoint(endpoint).set_attributes(attributes);
    let request = request.return_subscription_arn(true);
    let doing = format!("subscribing {endpoint} ({protocol}) to topic {topic}");
    let out = send!(sns, ctx, request, &doing).map_err(kit::on_create)?;
    let arn = out.subscription_arn().map(str::to_owned);
    arn.ok_or_else(|| ctx.fatal(format!("{doing}: SNS answered no subscription ARN")))
}

/// The tags of the topic `arn` (ListTagsForResource); `None` when the topic is gone.
pub(crate) async fn tags_of(sns: &Sns, ctx: Ctx<'_>, arn: &str) -> R<Option<Tags>> {
    let request = sns.client.list_tags_for_resource().resource_arn(arn);
    let out = answered!(sns, ctx, request, "reading the tags", is_not_found)?;
    let pair = |t: &Tag| (t.key().to_owned(), t.value().to_owned());
    Ok(out.map(|out| out.tags().iter().map(pair).collect()))
}

/// The region of an SNS ARN (`arn:aws:sns:REGION:ACCOUNT:...`), and its account.
pub(crate) fn arn_parts(arn: &str) -> (Option<&str>, Option<&str>) {
    let mut parts = arn.split(':').skip(3);
    let region = parts.next().filter(|r| !r.is_empty());
    (region, parts.next().filter(|a| !a.is_empty()))
}
