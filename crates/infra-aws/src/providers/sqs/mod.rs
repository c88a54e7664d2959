//! Amazon SQS: `AWS::SQS::Queue` ([`queue`]) and `AWS::SQS::QueuePolicy` ([`queue_policy`]), on
//! one SQS client, and what the messaging providers (SQS and SNS) share: settings held as
//! attributes ([`settings`]), FIFO names ([`fifo_name`]), `Fn::GetAtt` attributes taken from a
//! resource's model ([`declared_attributes`]), and the read and find of a policy set on several
//! queues or topics ([`queue_policy`]). Queue attributes are read and written by
//! [`attributes_of`] and [`set_attributes`]. The keys each type's template may hold are
//! generated from its schema (`crates/infra-aws/mappings/sqs.toml`).
//!
//! | SQS error | class |
//! |---|---|
//! | `AWS.SimpleQueueService.NonExistentQueue` (`QueueDoesNotExist`) | not found (success for a delete) |
//! | `AWS.SimpleQueueService.QueueDeletedRecently`: a queue of that name was deleted less than 60 s ago ("you must wait at least 60 seconds after deleting a queue before you can create another queue with the same name", CreateQueue) | retryable: the engine tries the create again within its 2-minute budget |
//! | anything else | the kit's table |

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use crate::providers::kit::prelude::*;
use aws_config::SdkConfig;
use aws_sdk_sqs::types::QueueAttributeName;

use crate::config::endpoint_for;
use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::errors::Coded;

pub(crate) mod queue;
pub(crate) mod queue_policy;
pub(crate) mod settings;

#[cfg(test)]
mod tests;

/// An SQS client and how its errors are named.
pub(crate) type Sqs = Service<aws_sdk_sqs::Client>;

impl Classify for Sqs {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        let (code, _) = err.code_and_message().unwrap_or_default();
        if gone(err) {
            out.class = FailureClass::NotFound;
        } else if code.ends_with("QueueDeletedRecently") {
            out.class = FailureClass::Retryable;
        }
        out
    }
}

/// Whether `err` says the queue does not exist.
pub(crate) fn gone(err: &AwsError) -> bool {
    err.code_and_message()
        .is_some_and(|(code, _)| code.ends_with("NonExistentQueue") || code == "QueueDoesNotExist")
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let client = aws_sdk_sqs::Client::new(config);
    let sqs = Sqs::new(client, "sqs", endpoint_for(config, "sqs", None));
    providers.insert(kit::native(queue::QueueProvider { sqs: sqs.clone() }));
    let policy = queue_policy::QueuePolicyProvider { sqs };
    providers.insert(kit::native(kit::held_policy::Held(policy)));
}

/// GetQueueAttributes of `names` (`All` for every one) of the queue at `url`, by name; `None`
/// when the queue does not exist.
pub(crate) async fn attributes_of(
    sqs: &Sqs,
    ctx: Ctx<'_>,
    url: &str,
    names: &[&str],
) -> Result<Option<HashMap<String, String>>, ProviderError> {
    let names = names.iter().map(|n| QueueAttributeName::from(*n)).collect();
    let request = sqs.client.get_queue_attributes().queue_url(url);
    let request = request.set_attribute_names(Some(names));
    let out = answered!(sqs, ctx, request, "reading the queue", gone)?;
    let named = |(k, v): (QueueAttributeName, String)| (k.as_str().to_owned(), v);
    let attrs = out.map(|out| out.attributes.unwrap_or_default());
    Ok(attrs.map(|a| a.into_iter().map(named).collect()))
}

/// SetQueueAttributes of `attributes` on the queue at `url` (nothing to send: no call).
pub(crate) async fn set_attributes(
    sqs: &Sqs,
    ctx: Ctx<'_>,
    url: &str,
    attributes: &[(String, String)],
    doing: &str,
) -> Result<(), ProviderError> {
    if attributes.is_empty() {
        return Ok(());
    }
    let wire = attributes
        .iter()
        .map(|(k, v)| (QueueAttributeName::from(k.as_str()), v.clone()))
        .collect();
    let request = sqs.client.set_queue_attributes().queue_url(url);
    let request = request.set_attributes(Some(wire));
    send!(sqs, ctx, request, doing).map(drop)
}

/// The name of a FIFO queue or topic, which must end in `.fifo`: `name` when it does, else
/// `name` with the suffix added, within `limit` characters (what CloudFormation does with a
/// name it generates for a FIFO queue or topic). What has to go is cut from before the last
/// `-`, so a generated `<stack>-<logical>-<SUFFIX>` keeps its random part.
pub(crate) fn fifo_name(name: &str, limit: usize) -> String {
    const SUFFIX: &str = ".fifo";
    if name.ends_with(SUFFIX) {
        return name.to_owned();
    }
    let excess = (name.chars().count() + SUFFIX.len()).saturating_sub(limit);
    let kept = match name.rfind('-') {
        _ if excess == 0 => name.to_owned(),
        Some(dash) if name.is_ascii() && dash >= excess => {
            format!("{}{}", &name[..dash - excess], &name[dash..])
        }
        _ => name.chars().take(limit - SUFFIX.len()).collect(),
    };
    format!("{kept}{SUFFIX}")
}

/// The name a create gives a queue or topic: the template's (`given`), else the generated one,
/// a FIFO's with `.fifo` ([`fifo_name`]).
pub(crate) fn name_for(
    given: &Option<String>,
    generated: &Option<String>,
    fifo: bool,
    limit: usize,
) -> Option<String> {
    match (given, generated) {
        (Some(name), _) => Some(name.clone()),
        (None, Some(generated)) if fifo => Some(fifo_name(generated, limit)),
        (None, generated) => generated.clone(),
    }
}

/// What refresh reports of a queue or topic: its `Fn::GetAtt` attributes from `model` (what AWS
/// holds, as a template writes it), and as properties the managed keys of `model` and `extra`
/// (what was read besides) in the template's own spelling. `name` is the name property and its
/// limit: a generated FIFO name was recorded without the `.fifo` the create added, and that
/// recorded name stands for the one found when it makes it.
pub(crate) fn present(
    type_name: &str,
    mut found: Map<String, Value>,
    extra: Map<String, Value>,
    last: &Value,
    (key, limit): (&str, usize),
) -> Observation {
    let attributes = declared_attributes(type_name, &found);
    found.extend(extra);
    settings::in_template_spelling(&mut found, last);
    if let Some(prev) = last.get(key).and_then(Value::as_str)
        && found.get(key).and_then(Value::as_str) == Some(fifo_name(prev, limit).as_str())
    {
        found.insert(key.to_owned(), Value::from(prev));
    }
    Observation::Present {
        properties: observed(Value::Object(found), last),
        attributes,
    }
}

/// The `Fn::GetAtt` attributes the registry lists for `type_name` (what cfn-lint accepts) that
/// `model` (the resource as a template writes it, with its read-only values) holds; a dotted
/// name (`RedrivePolicy.maxReceiveCount`) is a path into it.
pub(crate) fn declared_attributes(
    type_name: &str,
    model: &Map<String, Value>,
) -> BTreeMap<String, Value> {
    let declared = infra_registry::lookup(type_name).map_or(&[][..], |t| t.attributes);
    declared
        .iter()
        .filter_map(|a| {
            let mut path = a.name.split('.');
            let first = model.get(path.next()?)?;
            let value = path.try_fold(first, |node, key| node.get(key))?;
            (!value.is_null()).then(|| (a.name.to_owned(), value.clone()))
        })
        .collect()
}
