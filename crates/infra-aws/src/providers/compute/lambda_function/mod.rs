//! `AWS::Lambda::Function`, for templates that use Lambda for their own purposes (the
//! function behind `Custom::AsgDestroyer` is dropped from the graph, see
//! [`super::auto_scaling_group`]).
//!
//! | property | create | update |
//! |---|---|---|
//! | `FunctionName` | CreateFunction (else the generated name, at most 64 characters) | create-only (replacement) |
//! | `PackageType` | CreateFunction | create-only (replacement) |
//! | `Code` {`ZipFile` \| `S3Bucket`, `S3Key`, `S3ObjectVersion` \| `ImageUri`; `SourceKMSKeyArn`} | CreateFunction | UpdateFunctionCode |
//! | `Architectures` | CreateFunction | UpdateFunctionCode (with the code) |
//! | `Handler`, `Runtime`, `Role`, `Timeout`, `MemorySize`, `Description`, `Environment` {`Variables`}, `Layers`, `VpcConfig`, `TracingConfig`, `EphemeralStorage`, `DeadLetterConfig`, `KmsKeyArn`, `FileSystemConfigs`, `ImageConfig`, `LoggingConfig`, `SnapStart` | CreateFunction | UpdateFunctionConfiguration (the whole configuration; a removed property gets Lambda's default) |
//! | `ReservedConcurrentExecutions` | PutFunctionConcurrency | PutFunctionConcurrency / DeleteFunctionConcurrency |
//! | `CodeSigningConfigArn` | CreateFunction | PutFunctionCodeSigningConfig / DeleteFunctionCodeSigningConfig |
//! | `RuntimeManagementConfig` | PutRuntimeManagementConfig | PutRuntimeManagementConfig (removed: `Auto`) |
//! | `RecursiveLoop` | PutFunctionRecursionConfig | PutFunctionRecursionConfig (removed: `Terminate`) |
//! | `Tags` | CreateFunction, with infra's tags | TagResource / UntagResource |
//!
//! Refused, by name: `CapacityProviderConfig`, `FunctionScalingConfig`, `DurableConfig`,
//! `TenancyConfig`, `PublishToLatestPublished` (Lambda Managed Instances, durable and
//! multi-tenant functions: not supported by infra yet), `Code.S3ObjectStorageMode` and
//! `FileSystemConfigs[*].S3FilesConfig` (the Lambda SDK infra is built with has no such field),
//! and any key CloudFormation does not document. The keys, these refusals and the
//! CreateFunction and UpdateFunctionConfiguration requests (with Lambda's defaults for what an
//! update removes) are generated from the schema (`scripts/generate-mappings`,
//! `crates/infra-aws/mappings/lambda.toml`); `props.rs` reads the name, the code, the runtime
//! management and the tags.
//!
//! `Ref` is the function name; `Fn::GetAtt` gives `Arn` (and `SnapStartResponse.ApplyOn` /
//! `SnapStartResponse.OptimizationStatus` when SnapStart is configured).
//!
//! # Inline code (`Code.ZipFile`)
//!
//! As CloudFormation documents, inline source is for Node.js and Python runtimes only: it goes
//! into a file named `index` (`index.js` for `nodejs*` runtimes, a CommonJS module, as
//! CloudFormation creates it; `index.py` for `python*`), zipped into the deployment package,
//! and the handler's file part must be `index` (`index.handler`). Both rules are checked before
//! anything is created, so a template that would deploy a function that can never load is
//! refused with the reason. The zip is written here by hand, a single stored (uncompressed)
//! entry with Unix mode 0644: inline code is a few kilobytes, so compression gains nothing, and
//! a ~60-line writer avoids a dependency (and its build time) for one file. Timestamps are
//! fixed, so the same code makes the same package (and the same `CodeSha256`). CloudFormation's
//! `cfn-response` helper module is not added: it serves only custom resources, which `infra`
//! does not run.
//!
//! # Waiting and eventual consistency
//!
//! A create returns once GetFunctionConfiguration reports `State` `Active` (`Failed` fails it
//! with Lambda's reason), at most 10 minutes; an update waits for `LastUpdateStatus`
//! `Successful` after the code and again after the configuration (Lambda refuses a second
//! update while one is in progress). CreateFunction's `InvalidParameterValueException` "The role
//! defined for the function cannot be assumed by Lambda" (a role created a moment ago, not yet
//! propagated in IAM) is [`FailureClass::EventuallyConsistent`](crate::provider::FailureClass),
//! which the engine retries; nothing was created then. A create that finds the name taken adopts the function when it
//! carries this resource's `infra:*` tags (an earlier attempt made it), else fails.
//!
//! # Reading
//!
//! Lambda has no batch describe: GetFunction per function, at most eight at a time. A function
//! not found is `Gone`. `Code` (write-only) and the properties without a plain read-back
//! (`ImageConfig`, `LoggingConfig`, `SnapStart`, `FileSystemConfigs`, `RuntimeManagementConfig`,
//! `RecursiveLoop`, `CodeSigningConfigArn`) are reported as last applied; the rest as Lambda
//! reports them.

use crate::providers::kit::prelude::*;
use aws_sdk_lambda::types::{RecursiveLoop, UpdateRuntimeOn};

use super::{adopted, changed};
use crate::generated::lambda::{create_function, update_function_configuration};
use crate::providers::kit::same_name;

use props::{Spec, parse, props};
use read::{function_tags, output};

mod props;
mod read;
#[cfg(test)]
mod tests;
mod wait;
mod zip;

pub const TYPE: &str = "AWS::Lambda::Function";

#[derive(Debug)]
pub(crate) struct LambdaFunctionProvider {
    pub(crate) svc: Service<aws_sdk_lambda::Client>,
}

impl LambdaFunctionProvider {
    /// The calls besides the function's own, for each property `changed` says changed: the
    /// reserved concurrency, the code signing configuration, the runtime management (removed:
    /// `Auto`) and the recursive loop detection (removed: `Terminate`).
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        after: &Spec,
        changed: impl Fn(&str) -> bool,
    ) -> Result<(), ProviderError> {
        let (svc, client) = (&self.svc, &self.svc.client);
        if changed("ReservedConcurrentExecutions") {
            if let Some(n) = after.reserved {
                let request = client.put_function_concurrency().function_name(name);
                let doing = format!("reserving concurrency for function {name}");
                send!(svc, ctx, request.reserved_concurrent_executions(n), doing)?;
            } else {
                let request = client.delete_function_concurrency().function_name(name);
                let doing = format!("removing the reserved concurrency of function {name}");
                send!(svc, ctx, request, doing)?;
            }
        }
        if changed("CodeSigningConfigArn") {
            let what = format!("the code signing configuration of function {name}");
            if let Some(arn) = &after.code_signing {
                let request = client.put_function_code_signing_config();
                let request = request.function_name(name).code_signing_config_arn(arn);
                send!(svc, ctx, request, format!("setting {what}"))?;
            } else {
                let request = client.delete_function_code_signing_config();
                let request = request.function_name(name);
                send!(svc, ctx, request, format!("removing {what}"))?;
            }
        }
        if changed("RuntimeManagementConfig") {
            let management = after.runtime_management.clone();
            let (on, arn) = management.unwrap_or_else(|| ("Auto".to_owned(), None));
            let request = client.put_runtime_management_config().function_name(name);
            let request = request.update_runtime_on(UpdateRuntimeOn::from(on.as_str()));
            let doing = format!("setting the runtime management of function {name}");
            send!(svc, ctx, request.set_runtime_version_arn(arn), doing)?;
        }
        if changed("RecursiveLoop") {
            let mode = after.recursive_loop.as_deref().unwrap_or("Terminate");
            let request = client.put_function_recursion_config().function_name(name);
            let request = request.recursive_loop(RecursiveLoop::from(mode));
            let doing = format!("setting the recursive loop detection of function {name}");
            send!(svc, ctx, request, doing)?;
        }
        Ok(())
    }
}

impl kit::Provider for LambdaFunctionProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetFunction per function, 8 at a time",
        Find::Name,
        "GetFunction of FunctionName, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = create_name(ctx, spec.name.as_ref(), input, "FunctionName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = self.svc.client.create_function();
        let request = create_function(&props(&input.properties, ctx)?, request)?;
        let tags = (!tags.is_empty()).then(|| tags.into_iter().collect());
        let created = request
            .function_name(&name)
            .code(spec.code.clone())
            .set_tags(tags);
        if let Err(e) = created.send().await {
            let err = self.svc.err(e);
            if err.code() != Some("ResourceConflictException") {
                let doing = format!("creating function {name}");
                return Err(on_create(ctx.fail(doing, &err)));
            }
            let found = read::get_function(&self.svc, ctx, &name).await?;
            // Conflict without a function: another change was in progress; try again.
            let hidden = format!("creating function {name}: {err}");
            let tags = found.as_ref().map(function_tags);
            let named = ("a function", "FunctionName");
            adopted(ctx, input, tags, hidden, &format!("function {name}"), named)?;
        }
        let config = self.wait_active(ctx, &name).await?;
        // The calls of what the template sets, but the code signing (CreateFunction's).
        let set = |key: &str| {
            key != "CodeSigningConfigArn" && changed(&Value::Null, &input.properties, key)
        };
        self.converge(ctx, &name, &spec, set).await?;
        output(ctx, &config)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        same_name(ctx, after.name.as_deref(), name, "FunctionName", "function")?;
        if before.package_type != after.package_type {
            return Err(
                ctx.fatal("PackageType cannot change in place; the function must be replaced")
            );
        }
        let diff = |key: &str| changed(&input.before, &input.after, key);
        let (svc, client) = (&self.svc, &self.svc.client);
        // The whole configuration, sent when any of it changed; a logging or SnapStart
        // configuration removed goes back to Lambda's default (only then: not every runtime
        // supports SnapStart).
        let mut any = false;
        let (config, p) = (
            client.update_function_configuration(),
            props(&input.after, ctx)?,
        );
        let mut every = |key: &str| {
            any |= diff(key);
            !matches!(key, "LoggingConfig" | "SnapStart") || p.get(key).is_some() || diff(key)
        };
        let config = update_function_configuration(&p, config, &mut every)?;

        if before.code != after.code || diff("Architectures") {
            let code = after.code.clone();
            let request = client.update_function_code().function_name(name);
            let request = request
                .set_zip_file(code.zip_file)
                .set_s3_bucket(code.s3_bucket)
                .set_s3_key(code.s3_key)
                .set_s3_object_version(code.s3_object_version)
                .set_image_uri(code.image_uri)
                .set_source_kms_key_arn(code.source_kms_key_arn)
                .set_architectures(after.architectures.clone());
            let doing = format!("updating the code of function {name}");
            send!(svc, ctx, request, doing)?;
            self.wait_updated(ctx, name).await?;
        }

        if any {
            let mut config = config.function_name(name);
            if after.code.image_uri().is_none() {
                config = config.set_image_config(None); // a .zip package has none
            }
            let doing = format!("updating the configuration of function {name}");
            send!(svc, ctx, config, doing)?;
            self.wait_updated(ctx, name).await?;
        }

        self.converge(ctx, name, &after, diff).await?;

        let config = self.configuration(ctx, name).await?;
        let arn = config.function_arn().unwrap_or_default();
        let tags = |spec: &Spec| merge_tags(&spec.tags, &input.tags);
        kit::retag(
            &tags(&before),
            &tags(&after),
            |keys| async move {
                let request = client.untag_resource().resource(arn);
                let request = request.set_tag_keys(Some(keys));
                send!(svc, ctx, request, format!("untagging function {name}")).map(drop)
            },
            |set| async move {
                let request = client.tag_resource().resource(arn);
                let request = request.set_tags(Some(set.into_iter().collect()));
                send!(svc, ctx, request, format!("tagging function {name}")).map(drop)
            },
        )
        .await?;
        output(ctx, &config)
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let sent = self.svc.client.delete_function().function_name(name).send();
        let doing = format!("deleting function {name}");
        sent.deleted(&self.svc, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(&self.svc, items, read::read_one).await
    }

    /// The function an interrupted create made, by name (`FunctionName`, else the generated
    /// one), when it carries this resource's `infra:*` tags. Only reads (GetFunction).
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = kit::name_to_find(input, "FunctionName", ctx)?;
        let found = read::get_function(&self.svc, ctx, &name).await?;
        let Some(found) = found.filter(|f| owned_by(&function_tags(f), &input.tags)) else {
            return Ok(None);
        };
        let config = found
            .configuration()
            .ok_or_else(|| ctx.fatal(format!("GetFunction {name} returned no configuration")))?;
        Ok(Some(output(ctx, config)?))
    }
}
