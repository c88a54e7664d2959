//! What the unit tests of the [`Object`] types share: a client that never sends, and the
//! properties the generated conversions read.

use super::*;

/// An EC2 client whose requests are only built, never sent.
pub(crate) fn client() -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::Config::builder()
            .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
            .region(aws_sdk_ec2::config::Region::new("us-east-1"))
            .build(),
    )
}

/// The template's properties `value` of a `type_name` resource, checked against `spec` as a
/// create does, as the generated conversions read them.
pub(crate) fn kit_props<'a>(
    type_name: &'static str,
    spec: Keys,
    value: &'a Value,
) -> Result<Props<'a>, ProviderError> {
    Props::root(value, Ctx::new(type_name, "Net.Resource"), spec)
}
