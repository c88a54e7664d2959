//! A rule's `Targets`: each target of the template checked and built for PutTargets
//! ([`sdk_target`]), and each target ListTargetsByRule answers in the template's spelling
//! (`report_target`). Both conversions are generated from the schema
//! (`mappings/eventbridge.toml`, `generated/eventbridge.rs`); what AWS does not hold, and the
//! optional lists it answers empty (what it answers for a list never set), are not reported.
//!
//! Mapped: `Id`, `Arn`, `RoleArn`, `Input`, `InputPath`, `InputTransformer`, `DeadLetterConfig`,
//! `RetryPolicy`, `SqsParameters`, `KinesisParameters`, `HttpParameters`, `AppSyncParameters`
//! and `EcsParameters` (every field: `TaskDefinitionArn`, `TaskCount`, `LaunchType`,
//! `PlatformVersion`, `Group`, `NetworkConfiguration.AwsVpcConfiguration`,
//! `CapacityProviderStrategy`, `PlacementConstraints`, `PlacementStrategies`, `PropagateTags`,
//! `EnableECSManagedTags`, `EnableExecuteCommand`, `ReferenceId`, `TagList`). Refused by path
//! (`Targets[0].BatchParameters`): the parameters of AWS Batch, Redshift Data, SageMaker
//! pipeline and EC2 Run Command targets (the mappings' `refuse` table).

use crate::providers::kit::prelude::*;
use aws_sdk_eventbridge::types::Target;

use crate::generated::eventbridge::TARGET;

/// The target at `path` (`Targets[0]`), checked, as PutTargets takes it.
pub(super) fn sdk_target(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<Target, ProviderError> {
    crate::generated::eventbridge::target(&Props::object(value, path, ctx, TARGET)?)
}

/// `found` cut to the keys `previous` has, recursively (objects by key, lists item by item): a
/// value AWS fills in by default (`TaskCount` 1, `EnableExecuteCommand` false) is not drift of
/// a target the template wrote without it. With no previous value, `found` as it is.
pub(super) fn shaped(found: Value, previous: Option<&Value>) -> Value {
    match (found, previous) {
        (Value::Object(map), Some(Value::Object(prev))) => Value::Object(
            map.into_iter()
                .filter(|(k, v)| prev.contains_key(k) && !v.is_null())
                .map(|(k, v)| {
                    let v = shaped(v, prev.get(&k));
                    (k, v)
                })
                .collect(),
        ),
        (Value::Array(items), Some(Value::Array(prev))) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| shaped(v, prev.get(i)))
                .collect(),
        ),
        (found, _) => found,
    }
}
