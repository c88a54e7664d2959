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

/// The template's properties `value` of a `type_name` resource, as the generated conversions
/// read them (checked against `spec` first, as a create does).
pub(crate) fn kit_props<'a>(
    type_name: &'static str,
    spec: &Spec,
    value: &'a Value,
) -> Result<kit::Props<'a>, ProviderError> {
    Props::parse(spec, value)?;
    kit::Props::root(
        value,
        kit::Ctx::new(type_name, "Net.Resource"),
        kit::Keys::new(spec.supported),
    )
}
