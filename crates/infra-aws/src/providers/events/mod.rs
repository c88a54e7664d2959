//! Amazon EventBridge: `AWS::Events::Rule`, its targets included ([`rule`]: properties,
//! create, update, delete, find by name and infra tags, the targets' fields; `rule::read`:
//! refresh batched per event bus with ListRules).
//!
//! Errors: the kit's table (`ResourceNotFoundException` not found, success for a delete;
//! `ConcurrentModificationException`, `InternalException` and throttling retryable). A
//! PutTargets that refuses a target answers with per-target codes, classed by the same table.

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

pub(crate) mod rule;

/// An EventBridge client and how its errors are named.
pub(crate) type Events = Service<aws_sdk_eventbridge::Client>;

impl Classify for Events {}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let events = Events::new(
        aws_sdk_eventbridge::Client::new(config),
        "events",
        endpoint_for(config, "events", None),
    );
    providers.insert(kit::native(rule::RuleProvider { events }));
}
