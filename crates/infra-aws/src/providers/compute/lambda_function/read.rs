//! `AWS::Lambda::Function` reading: GetFunction / GetFunctionConfiguration, the function's
//! `Fn::GetAtt` attributes and the properties refresh reports (the tracing, ephemeral storage
//! and dead-letter configurations through the conversions generated from
//! `crates/infra-aws/mappings/lambda.toml`).

use std::collections::BTreeMap;

use aws_sdk_lambda::types::FunctionConfiguration;
use serde_json::{Map, Value, json};

use super::{LambdaFunctionProvider, TYPE};
use crate::generated::lambda::{
    report_dead_letter_config, report_ephemeral_storage, report_tracing_config_response,
};
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::compute::same_value;
use crate::providers::kit::{self, Answer, Ctx, managed_keys, observed_scalar, observed_set};
use crate::providers::kit::{Service, is_not_found};

impl LambdaFunctionProvider {
    /// GetFunction; `None` when it does not exist.
    pub(super) async fn get(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<aws_sdk_lambda::operation::get_function::GetFunctionOutput>, ProviderError>
    {
        get_function(&self.svc, ctx, name).await
    }

    /// GetFunctionConfiguration.
    pub(super) async fn configuration(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let out = self
            .svc
            .client
            .get_function_configuration()
            .function_name(name)
            .send()
            .answer(
                &self.svc,
                ctx,
                "GetFunctionConfiguration",
                format!("reading function {name}"),
            )
            .await?;
        Ok(FunctionConfiguration::builder()
            .set_function_name(out.function_name)
            .set_function_arn(out.function_arn)
            .set_state(out.state)
            .set_state_reason(out.state_reason)
            .set_last_update_status(out.last_update_status)
            .set_last_update_status_reason(out.last_update_status_reason)
            .set_snap_start(out.snap_start)
            .build())
    }
}

impl LambdaFunctionProvider {
    pub(super) async fn read_batch(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let tasks = items
            .iter()
            .map(|item| read_one(self.svc.clone(), item.clone()))
            .collect();
        Ok(kit::run_bounded(tasks, kit::READ_CONCURRENCY)
            .await?
            .into_iter()
            .collect())
    }
}

/// GetFunction; `None` when it does not exist.
pub(super) async fn get_function(
    svc: &Service<aws_sdk_lambda::Client>,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<aws_sdk_lambda::operation::get_function::GetFunctionOutput>, ProviderError> {
    match svc.client.get_function().function_name(name).send().await {
        Ok(out) => Ok(Some(out)),
        Err(e) => {
            let err = svc.err("GetFunction", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(ctx.fail(format!("reading function {name}"), &err))
            }
        }
    }
}

pub(super) fn attributes(config: &FunctionConfiguration) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::from([(
        "Arn".to_owned(),
        Value::String(config.function_arn().unwrap_or_default().to_owned()),
    )]);
    if let Some(snap) = config.snap_start() {
        if let Some(apply_on) = snap.apply_on() {
            out.insert(
                "SnapStartResponse.ApplyOn".to_owned(),
                Value::String(apply_on.as_str().to_owned()),
            );
        }
        if let Some(status) = snap.optimization_status() {
            out.insert(
                "SnapStartResponse.OptimizationStatus".to_owned(),
                Value::String(status.as_str().to_owned()),
            );
        }
    }
    out
}

pub(super) fn output(
    ctx: Ctx<'_>,
    config: &FunctionConfiguration,
) -> Result<ResourceOutput, ProviderError> {
    let name = config
        .function_name()
        .ok_or_else(|| ctx.fatal("the function has no name"))?;
    Ok(ResourceOutput {
        physical_id: name.to_owned(),
        attributes: attributes(config),
    })
}

/// Refreshes one function (see the module comment for what is reported).
pub(super) async fn read_one(
    svc: Service<aws_sdk_lambda::Client>,
    item: ReadInput,
) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let Some(found) = get_function(&svc, ctx, &item.physical_id).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let Some(config) = found.configuration() else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if managed.contains(key)
            && let Some(value) = value
        {
            props.insert(key.to_owned(), value);
        }
    };
    let scalar = |key: &str, v: Option<Value>| v.map(|v| observed_scalar(v, prev(key)));
    let same_or = |key: &str, observed: Value| match prev(key) {
        Some(p) if same_value(Some(p), Some(&observed)) => p.clone(),
        _ => observed,
    };

    put(
        "FunctionName",
        scalar("FunctionName", config.function_name().map(Value::from)),
    );
    put(
        "Handler",
        scalar("Handler", config.handler().map(Value::from)),
    );
    put(
        "Runtime",
        scalar("Runtime", config.runtime().map(|r| Value::from(r.as_str()))),
    );
    put("Role", scalar("Role", config.role().map(Value::from)));
    put(
        "Timeout",
        scalar("Timeout", config.timeout().map(Value::from)),
    );
    put(
        "MemorySize",
        scalar("MemorySize", config.memory_size().map(Value::from)),
    );
    put(
        "Description",
        scalar("Description", config.description().map(Value::from)),
    );
    put(
        "PackageType",
        scalar(
            "PackageType",
            config.package_type().map(|p| Value::from(p.as_str())),
        ),
    );
    put(
        "KmsKeyArn",
        scalar("KmsKeyArn", config.kms_key_arn().map(Value::from)),
    );
    put(
        "Architectures",
        Some(same_or(
            "Architectures",
            Value::Array(
                config
                    .architectures()
                    .iter()
                    .map(|a| Value::from(a.as_str()))
                    .collect(),
            ),
        )),
    );
    put(
        "Layers",
        Some(observed_set(
            config
                .layers()
                .iter()
                .filter_map(|l| l.arn().map(str::to_owned))
                .collect(),
            prev("Layers"),
        )),
    );
    put(
        "Environment",
        Some({
            let vars: Map<String, Value> = config
                .environment()
                .and_then(|e| e.variables())
                .map(|vars| {
                    vars.iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect()
                })
                .unwrap_or_default();
            same_or("Environment", json!({ "Variables": vars }))
        }),
    );
    put(
        "VpcConfig",
        config.vpc_config().map(|vpc| {
            let mut observed = Map::new();
            observed.insert(
                "SubnetIds".into(),
                observed_set(
                    vpc.subnet_ids().to_vec(),
                    prev("VpcConfig").and_then(|p| p.get("SubnetIds")),
                ),
            );
            observed.insert(
                "SecurityGroupIds".into(),
                observed_set(
                    vpc.security_group_ids().to_vec(),
                    prev("VpcConfig").and_then(|p| p.get("SecurityGroupIds")),
                ),
            );
            if let Some(ipv6) = vpc.ipv6_allowed_for_dual_stack() {
                observed.insert("Ipv6AllowedForDualStack".into(), Value::from(ipv6));
            }
            same_or("VpcConfig", Value::Object(observed))
        }),
    );
    put(
        "TracingConfig",
        config
            .tracing_config()
            .filter(|t| t.mode().is_some())
            .map(|t| same_or("TracingConfig", report_tracing_config_response(t))),
    );
    put(
        "EphemeralStorage",
        config
            .ephemeral_storage()
            .map(|e| same_or("EphemeralStorage", report_ephemeral_storage(e))),
    );
    put(
        "DeadLetterConfig",
        config
            .dead_letter_config()
            .filter(|d| d.target_arn().is_some())
            .map(|d| same_or("DeadLetterConfig", report_dead_letter_config(d))),
    );
    put(
        "ReservedConcurrentExecutions",
        scalar(
            "ReservedConcurrentExecutions",
            found
                .concurrency()
                .and_then(|c| c.reserved_concurrent_executions())
                .map(Value::from),
        ),
    );
    put(
        "Tags",
        Some(kit::observed_tags(
            &found
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            prev("Tags"),
        )),
    );
    for key in [
        "Code",
        "ImageConfig",
        "LoggingConfig",
        "SnapStart",
        "FileSystemConfigs",
        "RuntimeManagementConfig",
        "RecursiveLoop",
        "CodeSigningConfigArn",
    ] {
        put(key, prev(key).cloned());
    }
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: attributes(config),
        },
    ))
}
