//! `AWS::Lambda::Function` reading: GetFunction / GetFunctionConfiguration, the function's
//! `Fn::GetAtt` attributes and the properties refresh reports (the function's configuration
//! through the conversion generated from `crates/infra-aws/mappings/lambda.toml`; the layers,
//! the VPC configuration's lists, the environment and the tags here, all kept in the last
//! applied spelling by the kit's `observed`).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_lambda::operation::get_function::GetFunctionOutput;
use aws_sdk_lambda::types::FunctionConfiguration;

use super::{LambdaFunctionProvider, TYPE};
use crate::generated::lambda::{report_function_configuration, report_snap_start_response};
use crate::providers::kit::convert::put;
use crate::providers::kit::found;

impl LambdaFunctionProvider {
    /// GetFunctionConfiguration.
    pub(super) async fn configuration(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let request = self.svc.client.get_function_configuration();
        let doing = format!("reading function {name}");
        let out = send!(&self.svc, ctx, request.function_name(name), doing)?;
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

/// GetFunction; `None` when it does not exist.
pub(super) async fn get_function(
    svc: &Service<aws_sdk_lambda::Client>,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<GetFunctionOutput>, ProviderError> {
    let call = svc.client.get_function().function_name(name).send();
    found(svc, ctx, format!("reading function {name}"), call).await
}

/// A function's tags as a map.
pub(super) fn function_tags(found: &GetFunctionOutput) -> BTreeMap<String, String> {
    let tags = found.tags().into_iter().flatten();
    tags.map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// `Arn`, and `SnapStartResponse.*` when SnapStart is configured.
pub(super) fn attributes(config: &FunctionConfiguration) -> BTreeMap<String, Value> {
    let snap = config.snap_start().map(report_snap_start_response);
    let snap = snap
        .into_iter()
        .filter_map(|s| s.as_object().cloned())
        .flatten();
    let snap = snap.map(|(key, value)| (format!("SnapStartResponse.{key}"), value));
    let arn = json!(config.function_arn().unwrap_or_default());
    snap.chain([("Arn".to_owned(), arn)]).collect()
}

pub(super) fn output(ctx: Ctx<'_>, config: &FunctionConfiguration) -> Made {
    let name = config.function_name();
    let name = name.ok_or_else(|| ctx.fatal("the function has no name"))?;
    Ok(ResourceOutput {
        physical_id: name.to_owned(),
        attributes: attributes(config),
    })
}

/// Refreshes one function (see the module comment for what is reported).
pub(super) async fn read_one(
    svc: Service<aws_sdk_lambda::Client>,
    item: ReadInput,
) -> Result<Option<Observation>, ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let Some(got) = get_function(&svc, ctx, &item.physical_id).await? else {
        return Ok(None);
    };
    let Some(config) = got.configuration() else {
        return Ok(None);
    };
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    // What GetFunction's configuration holds, as the template writes it (generated).
    let Value::Object(mut found) = report_function_configuration(config) else {
        return Err(ctx.fatal("the function's configuration is not an object"));
    };
    // A tracing, storage or dead-letter configuration holding nothing is none.
    let empty = ["TracingConfig", "EphemeralStorage", "DeadLetterConfig"];
    found.retain(|k, v| {
        !empty.contains(&k.as_str()) || v.as_object().is_some_and(|v| !v.is_empty())
    });
    found.entry("Architectures").or_insert_with(|| json!([]));
    let variables = found
        .get("Environment")
        .and_then(|e| e.get("Variables").cloned());
    let environment = json!({ "Variables": variables.unwrap_or_else(|| json!({})) });
    found.insert("Environment".into(), environment);
    if let Some(vpc) = found.get_mut("VpcConfig") {
        for key in ["SubnetIds", "SecurityGroupIds"] {
            let ids = vpc.get(key).and_then(Value::as_array).into_iter().flatten();
            let ids = ids.filter_map(|id| id.as_str().map(str::to_owned));
            let previous = prev("VpcConfig").and_then(|p| p.get(key));
            vpc[key] = observed_set(ids.collect(), previous);
        }
    }
    let layers = config.layers().iter().filter_map(|l| l.arn());
    let layers = layers.map(str::to_owned).collect();
    found.insert("Layers".into(), observed_set(layers, prev("Layers")));
    let concurrency = got
        .concurrency()
        .map(|c| c.reserved_concurrent_executions());
    let concurrency = concurrency.flatten().map(Value::from);
    put(&mut found, "ReservedConcurrentExecutions", concurrency);
    let tags = kit::observed_tags(&function_tags(&got), prev("Tags"));
    found.insert("Tags".into(), tags);
    // The managed keys, each in the last applied spelling when it says the same.
    let mut props = observed(Value::Object(found), &item.properties);
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
        if let Some(value) = prev(key) {
            props[key] = value.clone();
        }
    }
    Ok(Some(Observation::Present {
        properties: props,
        attributes: attributes(config),
    }))
}
