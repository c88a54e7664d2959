//! A rule's `Targets`: each target of the template checked and built for PutTargets
//! ([`sdk_target`]), and each target ListTargetsByRule answers in the template's spelling
//! ([`target_json`]).
//!
//! Mapped: `Id`, `Arn`, `RoleArn`, `Input`, `InputPath`, `InputTransformer`, `DeadLetterConfig`,
//! `RetryPolicy`, `SqsParameters`, `KinesisParameters`, `HttpParameters`, `AppSyncParameters`
//! and `EcsParameters` (every field: `TaskDefinitionArn`, `TaskCount`, `LaunchType`,
//! `PlatformVersion`, `Group`, `NetworkConfiguration.AwsVpcConfiguration`,
//! `CapacityProviderStrategy`, `PlacementConstraints`, `PlacementStrategies`, `PropagateTags`,
//! `EnableECSManagedTags`, `EnableExecuteCommand`, `ReferenceId`, `TagList`). Refused by path
//! (`Targets[0].BatchParameters`): the parameters of AWS Batch, Redshift Data, SageMaker
//! pipeline and EC2 Run Command targets ([`REFUSED`]).

use aws_sdk_eventbridge::types::{
    AppSyncParameters, AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem,
    DeadLetterConfig, EcsParameters, HttpParameters, InputTransformer, KinesisParameters,
    LaunchType, NetworkConfiguration, PlacementConstraint, PlacementConstraintType,
    PlacementStrategy, PlacementStrategyType, PropagateTags, RetryPolicy, SqsParameters, Tag,
    Target,
};
use aws_smithy_types::error::operation::BuildError;
use serde_json::{Value, json};

use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Keys, Props};

const TARGET: &[&str] = &[
    "Id",
    "Arn",
    "RoleArn",
    "Input",
    "InputPath",
    "InputTransformer",
    "DeadLetterConfig",
    "RetryPolicy",
    "SqsParameters",
    "KinesisParameters",
    "HttpParameters",
    "AppSyncParameters",
    "EcsParameters",
];

const WHY: &str = "infra's native provider does not map this target kind yet; deploy the rule \
                   through AWS Cloud Control (--cloud-control AWS::Events::Rule) or leave it out";

/// Target parameters CloudFormation documents that infra does not map yet.
pub(super) const REFUSED: &[(&str, &str)] = &[
    ("BatchParameters", WHY),
    ("RedshiftDataParameters", WHY),
    ("RunCommandParameters", WHY),
    ("SageMakerPipelineParameters", WHY),
];

const ECS: &[&str] = &[
    "TaskDefinitionArn",
    "TaskCount",
    "LaunchType",
    "PlatformVersion",
    "Group",
    "NetworkConfiguration",
    "CapacityProviderStrategy",
    "PlacementConstraints",
    "PlacementStrategies",
    "PropagateTags",
    "EnableECSManagedTags",
    "EnableExecuteCommand",
    "ReferenceId",
    "TagList",
];

/// The keys of a target, refusing [`REFUSED`].
pub(super) const KEYS: Keys = Keys::with(TARGET, REFUSED);

/// A built SDK value, or the error naming the object `p`.
fn built<T>(p: &Props<'_>, made: Result<T, BuildError>) -> Result<T, ProviderError> {
    made.map_err(|e| p.ctx().fatal(format!("property {}: {e}", p.path())))
}

/// The nested object `key` of `p` (its keys `keys`) made by `make`, when set.
fn nested<T>(
    p: &Props<'_>,
    key: &str,
    keys: &'static [&'static str],
    make: impl FnOnce(&Props<'_>) -> Result<T, ProviderError>,
) -> Result<Option<T>, ProviderError> {
    p.obj(key, Keys::new(keys).listed())?
        .map(|o| make(&o))
        .transpose()
}

/// Each object of the list `key` of `p` made by `make`; `None` when the list is not set.
fn each<T>(
    p: &Props<'_>,
    key: &str,
    keys: &'static [&'static str],
    make: impl Fn(&Props<'_>) -> Result<T, ProviderError>,
) -> Result<Option<Vec<T>>, ProviderError> {
    let items = p.opt_objs(key, Keys::new(keys).listed())?;
    items
        .map(|items| items.iter().map(make).collect())
        .transpose()
}

/// The target at `path` (`Targets[0]`), checked, as PutTargets takes it.
pub(super) fn sdk_target(value: &Value, path: &str, ctx: Ctx<'_>) -> Result<Target, ProviderError> {
    let t = Props::object(value, path, ctx, KEYS)?;
    let transformer = nested(
        &t,
        "InputTransformer",
        &["InputPathsMap", "InputTemplate"],
        |x| {
            let made = InputTransformer::builder().set_input_paths_map(x.str_map("InputPathsMap")?);
            built(
                x,
                made.input_template(x.required_str("InputTemplate")?)
                    .build(),
            )
        },
    )?;
    let retry = nested(
        &t,
        "RetryPolicy",
        &["MaximumRetryAttempts", "MaximumEventAgeInSeconds"],
        |r| {
            let made =
                RetryPolicy::builder().set_maximum_retry_attempts(r.i32("MaximumRetryAttempts")?);
            Ok(made
                .set_maximum_event_age_in_seconds(r.i32("MaximumEventAgeInSeconds")?)
                .build())
        },
    )?;
    let http = &[
        "HeaderParameters",
        "PathParameterValues",
        "QueryStringParameters",
    ];
    let http = nested(&t, "HttpParameters", http, |h| {
        let made = HttpParameters::builder().set_header_parameters(h.str_map("HeaderParameters")?);
        let made = made.set_path_parameter_values(h.strs("PathParameterValues")?);
        Ok(made
            .set_query_string_parameters(h.str_map("QueryStringParameters")?)
            .build())
    })?;
    let made = Target::builder()
        .id(t.required_str("Id")?)
        .arn(t.required_str("Arn")?)
        .set_role_arn(t.str("RoleArn")?)
        .set_input(t.str("Input")?)
        .set_input_path(t.str("InputPath")?)
        .set_input_transformer(transformer)
        .set_retry_policy(retry)
        .set_http_parameters(http)
        .set_dead_letter_config(nested(&t, "DeadLetterConfig", &["Arn"], |d| {
            Ok(DeadLetterConfig::builder().set_arn(d.str("Arn")?).build())
        })?)
        .set_sqs_parameters(nested(&t, "SqsParameters", &["MessageGroupId"], |q| {
            Ok(SqsParameters::builder()
                .set_message_group_id(q.str("MessageGroupId")?)
                .build())
        })?)
        .set_kinesis_parameters(nested(
            &t,
            "KinesisParameters",
            &["PartitionKeyPath"],
            |k| {
                let path = k.required_str("PartitionKeyPath")?;
                built(
                    k,
                    KinesisParameters::builder()
                        .partition_key_path(path)
                        .build(),
                )
            },
        )?)
        .set_app_sync_parameters(nested(
            &t,
            "AppSyncParameters",
            &["GraphQLOperation"],
            |a| {
                let operation = a.str("GraphQLOperation")?;
                Ok(AppSyncParameters::builder()
                    .set_graph_ql_operation(operation)
                    .build())
            },
        )?)
        .set_ecs_parameters(
            t.obj("EcsParameters", Keys::new(ECS))?
                .map(|e| ecs(&e))
                .transpose()?,
        );
    built(&t, made.build())
}

/// `EcsParameters`.
fn ecs(e: &Props<'_>) -> Result<EcsParameters, ProviderError> {
    let vpc = &["AssignPublicIp", "SecurityGroups", "Subnets"];
    let network = nested(e, "NetworkConfiguration", &["AwsVpcConfiguration"], |n| {
        let vpc = nested(n, "AwsVpcConfiguration", vpc, |v| {
            let made = AwsVpcConfiguration::builder().set_subnets(Some(v.str_list("Subnets")?));
            let public = v
                .str("AssignPublicIp")?
                .as_deref()
                .map(AssignPublicIp::from);
            let made = made
                .set_security_groups(v.strs("SecurityGroups")?)
                .set_assign_public_ip(public);
            built(v, made.build())
        })?;
        Ok(NetworkConfiguration::builder()
            .set_awsvpc_configuration(vpc)
            .build())
    })?;
    let strategy = each(
        e,
        "CapacityProviderStrategy",
        &["Base", "CapacityProvider", "Weight"],
        |i| {
            let made = CapacityProviderStrategyItem::builder()
                .capacity_provider(i.required_str("CapacityProvider")?);
            built(
                i,
                made.set_weight(i.i32("Weight")?)
                    .set_base(i.i32("Base")?)
                    .build(),
            )
        },
    )?;
    let constraints = each(e, "PlacementConstraints", &["Type", "Expression"], |c| {
        let kind = c.str("Type")?.as_deref().map(PlacementConstraintType::from);
        Ok(PlacementConstraint::builder()
            .set_type(kind)
            .set_expression(c.str("Expression")?)
            .build())
    })?;
    let strategies = each(e, "PlacementStrategies", &["Type", "Field"], |s| {
        let kind = s.str("Type")?.as_deref().map(PlacementStrategyType::from);
        Ok(PlacementStrategy::builder()
            .set_type(kind)
            .set_field(s.str("Field")?)
            .build())
    })?;
    let tags = each(e, "TagList", &["Key", "Value"], |t| {
        built(
            t,
            Tag::builder()
                .key(t.required_str("Key")?)
                .value(t.required_str("Value")?)
                .build(),
        )
    })?;
    let made = EcsParameters::builder()
        .task_definition_arn(e.required_str("TaskDefinitionArn")?)
        .set_task_count(e.i32("TaskCount")?)
        .set_launch_type(e.str("LaunchType")?.as_deref().map(LaunchType::from))
        .set_platform_version(e.str("PlatformVersion")?)
        .set_group(e.str("Group")?)
        .set_network_configuration(network)
        .set_capacity_provider_strategy(strategy)
        .set_placement_constraints(constraints)
        .set_placement_strategy(strategies)
        .set_propagate_tags(e.str("PropagateTags")?.as_deref().map(PropagateTags::from))
        .set_enable_ecs_managed_tags(e.bool("EnableECSManagedTags")?)
        .set_enable_execute_command(e.bool("EnableExecuteCommand")?)
        .set_reference_id(e.str("ReferenceId")?)
        .set_tags(tags);
    built(e, made.build())
}

/// A list as JSON, `null` when empty (what AWS answers for a list never set).
fn listed<T>(items: &[T], each: impl Fn(&T) -> Value) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items.iter().map(each).collect())
    }
}

/// A target as ListTargetsByRule answers it, in the template's spelling (`null` where unset).
pub(super) fn target_json(t: &Target) -> Value {
    json!({
        "Id": t.id(),
        "Arn": t.arn(),
        "RoleArn": t.role_arn(),
        "Input": t.input(),
        "InputPath": t.input_path(),
        "InputTransformer": t.input_transformer().map(|x| json!({
            "InputPathsMap": x.input_paths_map(), "InputTemplate": x.input_template()})),
        "DeadLetterConfig": t.dead_letter_config().map(|d| json!({"Arn": d.arn()})),
        "RetryPolicy": t.retry_policy().map(|r| json!({
            "MaximumRetryAttempts": r.maximum_retry_attempts(),
            "MaximumEventAgeInSeconds": r.maximum_event_age_in_seconds()})),
        "SqsParameters": t.sqs_parameters().map(|s| json!({"MessageGroupId": s.message_group_id()})),
        "KinesisParameters": t.kinesis_parameters().map(|k| json!({"PartitionKeyPath": k.partition_key_path()})),
        "HttpParameters": t.http_parameters().map(|h| json!({
            "HeaderParameters": h.header_parameters(),
            "PathParameterValues": listed(h.path_parameter_values(), |v| json!(v)),
            "QueryStringParameters": h.query_string_parameters()})),
        "AppSyncParameters": t.app_sync_parameters().map(|a| json!({"GraphQLOperation": a.graph_ql_operation()})),
        "EcsParameters": t.ecs_parameters().map(ecs_json),
    })
}

fn ecs_json(e: &EcsParameters) -> Value {
    let vpc = e
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration());
    json!({
        "TaskDefinitionArn": e.task_definition_arn(),
        "TaskCount": e.task_count(),
        "LaunchType": e.launch_type().map(|l| l.as_str()),
        "PlatformVersion": e.platform_version(),
        "Group": e.group(),
        "NetworkConfiguration": vpc.map(|v| json!({"AwsVpcConfiguration": {
            "Subnets": v.subnets(),
            "SecurityGroups": listed(v.security_groups(), |g| json!(g)),
            "AssignPublicIp": v.assign_public_ip().map(|a| a.as_str())}})),
        "CapacityProviderStrategy": listed(e.capacity_provider_strategy(), |i| json!({
            "CapacityProvider": i.capacity_provider(), "Weight": i.weight(), "Base": i.base()})),
        "PlacementConstraints": listed(e.placement_constraints(), |c| json!({
            "Type": c.r#type().map(|t| t.as_str()), "Expression": c.expression()})),
        "PlacementStrategies": listed(e.placement_strategy(), |s| json!({
            "Type": s.r#type().map(|t| t.as_str()), "Field": s.field()})),
        "PropagateTags": e.propagate_tags().map(|p| p.as_str()),
        "EnableECSManagedTags": e.enable_ecs_managed_tags(),
        "EnableExecuteCommand": e.enable_execute_command(),
        "ReferenceId": e.reference_id(),
        "TagList": listed(e.tags(), |t| json!({"Key": t.key(), "Value": t.value()})),
    })
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
