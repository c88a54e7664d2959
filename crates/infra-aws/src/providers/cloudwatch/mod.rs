//! CloudWatch: `AWS::CloudWatch::Alarm` ([`alarm`]) and `AWS::CloudWatch::Dashboard`
//! ([`dashboard`]), both written and rewritten whole by one upsert call (PutMetricAlarm,
//! PutDashboard), so a create first looks whether the name is taken: an alarm is adopted only
//! when it carries this resource's `infra:*` tags, a dashboard only when it already holds the
//! body the create would write (dashboards carry no tags infra can set, see [`dashboard`]).
//!
//! | type | `Ref` | `Fn::GetAtt` | refresh | find |
//! |---|---|---|---|---|
//! | `AWS::CloudWatch::Alarm` | alarm name | `Arn` | DescribeAlarms, 100 names a call | name, infra tags checked |
//! | `AWS::CloudWatch::Dashboard` | dashboard name | | GetDashboard per dashboard | name |
//!
//! Errors: throttling, 5xx and `ConcurrentModificationException` are retryable;
//! `ResourceNotFound` / `ResourceNotFoundException` not found (success for a delete); anything
//! else (`InvalidParameterInput`, `LimitExceeded`, ...) fatal.

pub mod alarm;
pub mod dashboard;
#[cfg(test)]
mod tests;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

/// A CloudWatch client and how its errors are named.
pub(crate) type Cw = Service<aws_sdk_cloudwatch::Client>;

impl Classify for Cw {}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let cw = Cw::new(
        aws_sdk_cloudwatch::Client::new(config),
        "cloudwatch",
        endpoint_for(config, "monitoring", None),
    );
    providers.insert(kit::native(alarm::AlarmProvider { cw: cw.clone() }));
    providers.insert(kit::native(dashboard::DashboardProvider { cw }));
}
