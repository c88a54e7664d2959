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
//! multi-tenant functions: not supported by infra yet), `Code/S3ObjectStorageMode` and
//! `FileSystemConfigs/*/S3FilesConfig` (the Lambda SDK infra is built with has no such field),
//! and any key CloudFormation does not document.
//!
//! `Ref` is the function name; `Fn::GetAtt` gives `Arn` (and `SnapStartResponse.ApplyOn` /
//! `SnapStartResponse.OptimizationStatus` when SnapStart is configured).
//!
//! # Inline code (`Code/ZipFile`)
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
//! propagated in IAM) is [`FailureClass::EventuallyConsistent`], which the engine retries;
//! nothing was created then. A create that finds the name taken adopts the function when it
//! carries this resource's `infra:*` tags (an earlier attempt made it), else fails.
//!
//! # Reading
//!
//! Lambda has no batch describe: GetFunction per function, at most eight at a time. A function
//! not found is `Gone`. `Code` (write-only) and the properties without a plain read-back
//! (`ImageConfig`, `LoggingConfig`, `SnapStart`, `FileSystemConfigs`, `RuntimeManagementConfig`,
//! `RecursiveLoop`, `CodeSigningConfigArn`) are reported as last applied; the rest as Lambda
//! reports them.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_lambda::types::{
    ApplicationLogLevel, Architecture, DeadLetterConfig, Environment, EphemeralStorage,
    FileSystemConfig, FunctionCode, FunctionConfiguration, ImageConfig, LastUpdateStatus,
    LogFormat, LoggingConfig, PackageType, RecursiveLoop, Runtime, SnapStart, SnapStartApplyOn,
    State, SystemLogLevel, TracingConfig, TracingMode, UpdateRuntimeOn, VpcConfig,
};
use aws_smithy_types::Blob;
use serde_json::{Map, Value, json};

use super::{
    LastSeen, Node, Svc, changed, child_path, fail, is_not_found, on_create, provider_impl,
};
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::iam::common::{
    self, Ctx, managed_keys, merge_tags, observed_scalar, observed_set, owned_by, poll, tag_changes,
};

/// The type.
pub const TYPE: &str = "AWS::Lambda::Function";

const SUPPORTED: &[&str] = &[
    "Architectures",
    "Code",
    "CodeSigningConfigArn",
    "DeadLetterConfig",
    "Description",
    "Environment",
    "EphemeralStorage",
    "FileSystemConfigs",
    "FunctionName",
    "Handler",
    "ImageConfig",
    "KmsKeyArn",
    "Layers",
    "LoggingConfig",
    "MemorySize",
    "PackageType",
    "RecursiveLoop",
    "ReservedConcurrentExecutions",
    "Role",
    "Runtime",
    "RuntimeManagementConfig",
    "SnapStart",
    "Tags",
    "Timeout",
    "TracingConfig",
    "VpcConfig",
];

const NOT_YET: &str = "Lambda Managed Instances, durable and multi-tenant functions are not \
                       supported by infra yet";

pub(crate) const UNSUPPORTED: &[(&str, &str)] = &[
    ("CapacityProviderConfig", NOT_YET),
    ("FunctionScalingConfig", NOT_YET),
    ("DurableConfig", NOT_YET),
    ("TenancyConfig", NOT_YET),
    ("PublishToLatestPublished", NOT_YET),
];

/// The properties UpdateFunctionConfiguration sets.
const CONFIGURATION: &[&str] = &[
    "DeadLetterConfig",
    "Description",
    "Environment",
    "EphemeralStorage",
    "FileSystemConfigs",
    "Handler",
    "ImageConfig",
    "KmsKeyArn",
    "Layers",
    "LoggingConfig",
    "MemorySize",
    "Role",
    "Runtime",
    "SnapStart",
    "Timeout",
    "TracingConfig",
    "VpcConfig",
];

/// How long a create or update waits for the function (Terraform's provider allows 10 minutes).
const READY_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Lambda's defaults, restored when a property is removed.
const DEFAULT_TIMEOUT: i32 = 3;
const DEFAULT_MEMORY: i32 = 128;
const DEFAULT_EPHEMERAL: i32 = 512;

/// Where the code comes from.
#[derive(Debug, Clone, PartialEq)]
enum Code {
    /// Inline source, zipped as `file`.
    Inline { file: String, source: String },
    /// A package in S3.
    S3 {
        bucket: String,
        key: String,
        version: Option<String>,
    },
    /// A container image.
    Image(String),
}

/// A function as the template describes it.
#[derive(Debug, Clone)]
struct Spec {
    name: Option<String>,
    package_type: Option<String>,
    code: Code,
    source_kms: Option<String>,
    architectures: Option<Vec<String>>,
    handler: Option<String>,
    runtime: Option<String>,
    role: String,
    timeout: Option<i32>,
    memory: Option<i32>,
    description: Option<String>,
    environment: Option<HashMap<String, String>>,
    layers: Option<Vec<String>>,
    vpc: Option<VpcConfig>,
    tracing: Option<String>,
    ephemeral: Option<i32>,
    dead_letter: Option<String>,
    kms: Option<String>,
    file_systems: Option<Vec<FileSystemConfig>>,
    image_config: Option<ImageConfig>,
    logging: Option<LoggingConfig>,
    snap_start: Option<String>,
    reserved: Option<i32>,
    code_signing: Option<String>,
    runtime_management: Option<(String, Option<String>)>,
    recursive_loop: Option<String>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Node::new(value, ctx, "", SUPPORTED, UNSUPPORTED)?;
    let role = p.required_str("Role")?;
    let handler = p.str("Handler")?;
    let runtime = p.str("Runtime")?;
    let code_value = p
        .get("Code")
        .ok_or_else(|| ctx.fatal("property Code is required"))?;
    let code_path = p.at("Code");
    let c = p.nested(
        code_value,
        &code_path,
        &[
            "ImageUri",
            "S3Bucket",
            "S3Key",
            "S3ObjectVersion",
            "SourceKMSKeyArn",
            "ZipFile",
        ],
        &[(
            "S3ObjectStorageMode",
            "the Lambda SDK infra is built with has no such field yet",
        )],
    )?;
    let zip = c.str("ZipFile")?;
    let bucket = c.str("S3Bucket")?;
    let key = c.str("S3Key")?;
    let image = c.str("ImageUri")?;
    let sources = [
        zip.is_some(),
        bucket.is_some() || key.is_some(),
        image.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() != 1 {
        return Err(ctx.fatal(
            "property Code must give exactly one of ZipFile, S3Bucket with S3Key, or ImageUri",
        ));
    }
    let code = if let Some(source) = zip {
        Code::Inline {
            file: inline_file_name(ctx, runtime.as_deref(), handler.as_deref())?,
            source,
        }
    } else if let Some(uri) = image {
        Code::Image(uri)
    } else {
        Code::S3 {
            bucket: bucket
                .ok_or_else(|| ctx.fatal("property Code/S3Bucket is required with S3Key"))?,
            key: key.ok_or_else(|| ctx.fatal("property Code/S3Key is required with S3Bucket"))?,
            version: c.str("S3ObjectVersion")?,
        }
    };
    let environment = match p.get("Environment") {
        None => None,
        Some(v) => {
            let path = p.at("Environment");
            let env = p.nested(v, &path, &["Variables"], &[])?;
            let mut vars = HashMap::new();
            match env.get("Variables") {
                None => {}
                Some(Value::Object(map)) => {
                    for (k, v) in map {
                        let text = common::scalar_text(v).ok_or_else(|| {
                            env.bad("Variables", format!("variable {k} must be a string"))
                        })?;
                        vars.insert(k.clone(), text);
                    }
                }
                Some(_) => return Err(env.bad("Variables", "must be an object of strings")),
            }
            Some(vars)
        }
    };
    let vpc = nested(
        &p,
        "VpcConfig",
        &["Ipv6AllowedForDualStack", "SecurityGroupIds", "SubnetIds"],
        &[],
        |n| {
            Ok(VpcConfig::builder()
                .set_subnet_ids(Some(n.str_list("SubnetIds")?))
                .set_security_group_ids(Some(n.str_list("SecurityGroupIds")?))
                .set_ipv6_allowed_for_dual_stack(n.bool("Ipv6AllowedForDualStack")?)
                .build())
        },
    )?;
    let file_systems = if p.get("FileSystemConfigs").is_some() {
        let mut out = Vec::new();
        for (i, item) in p.list("FileSystemConfigs")?.iter().enumerate() {
            let path = child_path(&p.at("FileSystemConfigs"), &i.to_string());
            let f = p.nested(
                item,
                &path,
                &["Arn", "LocalMountPath"],
                &[(
                    "S3FilesConfig",
                    "the Lambda SDK infra is built with has no such field yet",
                )],
            )?;
            out.push(
                FileSystemConfig::builder()
                    .arn(f.required_str("Arn")?)
                    .local_mount_path(f.required_str("LocalMountPath")?)
                    .build()
                    .map_err(|e| ctx.fatal(format!("property {path}: {e}")))?,
            );
        }
        Some(out)
    } else {
        None
    };
    Ok(Spec {
        name: p.str("FunctionName")?,
        package_type: p.str("PackageType")?,
        code,
        source_kms: c.str("SourceKMSKeyArn")?,
        architectures: p.opt_str_list("Architectures")?,
        handler,
        runtime,
        role,
        timeout: p.i32("Timeout")?,
        memory: p.i32("MemorySize")?,
        description: p.str("Description")?,
        environment,
        layers: p.opt_str_list("Layers")?,
        vpc,
        tracing: nested(&p, "TracingConfig", &["Mode"], &[], |n| n.str("Mode"))?.flatten(),
        ephemeral: nested(&p, "EphemeralStorage", &["Size"], &[], |n| {
            n.i32("Size")?.ok_or_else(|| n.bad("Size", "is required"))
        })?,
        dead_letter: nested(&p, "DeadLetterConfig", &["TargetArn"], &[], |n| {
            n.str("TargetArn")
        })?
        .flatten(),
        kms: p.str("KmsKeyArn")?,
        file_systems,
        image_config: nested(
            &p,
            "ImageConfig",
            &["Command", "EntryPoint", "WorkingDirectory"],
            &[],
            |n| {
                Ok(ImageConfig::builder()
                    .set_command(n.opt_str_list("Command")?)
                    .set_entry_point(n.opt_str_list("EntryPoint")?)
                    .set_working_directory(n.str("WorkingDirectory")?)
                    .build())
            },
        )?,
        logging: nested(
            &p,
            "LoggingConfig",
            &[
                "ApplicationLogLevel",
                "LogFormat",
                "LogGroup",
                "SystemLogLevel",
            ],
            &[],
            |n| {
                Ok(LoggingConfig::builder()
                    .set_application_log_level(
                        n.str("ApplicationLogLevel")?
                            .map(|s| ApplicationLogLevel::from(s.as_str())),
                    )
                    .set_log_format(n.str("LogFormat")?.map(|s| LogFormat::from(s.as_str())))
                    .set_log_group(n.str("LogGroup")?)
                    .set_system_log_level(
                        n.str("SystemLogLevel")?
                            .map(|s| SystemLogLevel::from(s.as_str())),
                    )
                    .build())
            },
        )?,
        snap_start: nested(&p, "SnapStart", &["ApplyOn"], &[], |n| {
            n.required_str("ApplyOn")
        })?,
        reserved: p.i32("ReservedConcurrentExecutions")?,
        code_signing: p.str("CodeSigningConfigArn")?,
        runtime_management: nested(
            &p,
            "RuntimeManagementConfig",
            &["RuntimeVersionArn", "UpdateRuntimeOn"],
            &[],
            |n| {
                Ok((
                    n.required_str("UpdateRuntimeOn")?,
                    n.str("RuntimeVersionArn")?,
                ))
            },
        )?,
        recursive_loop: p.str("RecursiveLoop")?,
        tags: tags(&p)?,
    })
}

/// The object at `key`, as a nested node, handed to `each`.
fn nested<T>(
    node: &Node<'_>,
    key: &str,
    supported: &[&str],
    unsupported: &[(&str, &str)],
    each: impl FnOnce(&Node<'_>) -> Result<T, ProviderError>,
) -> Result<Option<T>, ProviderError> {
    let Some(value) = node.get(key) else {
        return Ok(None);
    };
    let path = node.at(key);
    let child = node.nested(value, &path, supported, unsupported)?;
    each(&child).map(Some)
}

/// `Tags`: `[{Key, Value}]` (`Value` may be left out).
fn tags(p: &Node<'_>) -> Result<Vec<(String, String)>, ProviderError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, item) in p.list("Tags")?.iter().enumerate() {
        let path = child_path(&p.at("Tags"), &i.to_string());
        let t = p.nested(item, &path, &["Key", "Value"], &[])?;
        let key = t.required_str("Key")?;
        out.retain(|(k, _)| *k != key);
        out.push((key, t.str("Value")?.unwrap_or_default()));
    }
    Ok(out)
}

/// The file CloudFormation puts inline code in (see the module comment).
fn inline_file_name(
    ctx: Ctx<'_>,
    runtime: Option<&str>,
    handler: Option<&str>,
) -> Result<String, ProviderError> {
    let runtime = runtime
        .ok_or_else(|| ctx.fatal("property Runtime is required with Code/ZipFile (inline code)"))?;
    let file = if runtime.starts_with("nodejs") {
        "index.js"
    } else if runtime.starts_with("python") {
        "index.py"
    } else {
        return Err(ctx.fatal(format!(
            "property Code/ZipFile: inline code is for Node.js and Python runtimes only, not \
             {runtime} (as in CloudFormation); use Code/S3Bucket and Code/S3Key"
        )));
    };
    let handler = handler
        .ok_or_else(|| ctx.fatal("property Handler is required with Code/ZipFile (inline code)"))?;
    if !handler.starts_with("index.") {
        return Err(ctx.fatal(format!(
            "property Handler: inline code (Code/ZipFile) is saved as {file}, so the handler \
             must be in module index (such as index.handler), not {handler}"
        )));
    }
    Ok(file.to_owned())
}

/// The deployment package or location, as the API takes it.
fn function_code(spec: &Spec) -> Result<FunctionCode, String> {
    let builder = FunctionCode::builder().set_source_kms_key_arn(spec.source_kms.clone());
    Ok(match &spec.code {
        Code::Inline { file, source } => builder
            .zip_file(Blob::new(zip::single_file(file, source.as_bytes())?))
            .build(),
        Code::S3 {
            bucket,
            key,
            version,
        } => builder
            .s3_bucket(bucket)
            .s3_key(key)
            .set_s3_object_version(version.clone())
            .build(),
        Code::Image(uri) => builder.image_uri(uri).build(),
    })
}

fn architectures(spec: &Spec) -> Option<Vec<Architecture>> {
    spec.architectures
        .as_ref()
        .map(|a| a.iter().map(|s| Architecture::from(s.as_str())).collect())
}

fn ephemeral(size: i32) -> Option<EphemeralStorage> {
    EphemeralStorage::builder().size(size).build().ok()
}

/// The provider.
#[derive(Debug)]
pub(crate) struct LambdaFunctionProvider {
    pub(crate) svc: Svc<aws_sdk_lambda::Client>,
}

impl LambdaFunctionProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("FunctionName is not set and no name was generated"))?;
        let code =
            function_code(&spec).map_err(|why| ctx.fatal(format!("property Code: {why}")))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = self
            .svc
            .client
            .create_function()
            .function_name(&name)
            .set_package_type(spec.package_type.as_deref().map(PackageType::from))
            .code(code)
            .set_architectures(architectures(&spec))
            .set_handler(spec.handler.clone())
            .set_runtime(spec.runtime.as_deref().map(Runtime::from))
            .role(&spec.role)
            .set_timeout(spec.timeout)
            .set_memory_size(spec.memory)
            .set_description(spec.description.clone())
            .set_environment(
                spec.environment
                    .clone()
                    .map(|vars| Environment::builder().set_variables(Some(vars)).build()),
            )
            .set_layers(spec.layers.clone())
            .set_vpc_config(spec.vpc.clone())
            .set_tracing_config(
                spec.tracing
                    .as_deref()
                    .map(|m| TracingConfig::builder().mode(TracingMode::from(m)).build()),
            )
            .set_ephemeral_storage(spec.ephemeral.and_then(ephemeral))
            .set_dead_letter_config(
                spec.dead_letter
                    .clone()
                    .map(|arn| DeadLetterConfig::builder().target_arn(arn).build()),
            )
            .set_kms_key_arn(spec.kms.clone())
            .set_file_system_configs(spec.file_systems.clone())
            .set_image_config(spec.image_config.clone())
            .set_logging_config(spec.logging.clone())
            .set_snap_start(spec.snap_start.as_deref().map(|a| {
                SnapStart::builder()
                    .apply_on(SnapStartApplyOn::from(a))
                    .build()
            }))
            .set_code_signing_config_arn(spec.code_signing.clone())
            .set_tags((!tags.is_empty()).then(|| tags.clone().into_iter().collect()))
            .send()
            .await;
        if let Err(e) = created {
            let err = self.svc.err("CreateFunction", e);
            if err.code() != Some("ResourceConflictException") {
                return Err(on_create(fail(
                    ctx,
                    format!("creating function {name}"),
                    &err,
                )));
            }
            self.adopt(ctx, &name, input, &err).await?;
        }
        let config = self.wait_active(ctx, &name).await?;
        if let Some(n) = spec.reserved {
            self.put_concurrency(ctx, &name, Some(n)).await?;
        }
        if let Some((on, arn)) = &spec.runtime_management {
            self.put_runtime_management(ctx, &name, on, arn.clone())
                .await?;
        }
        if let Some(mode) = &spec.recursive_loop {
            self.put_recursion(ctx, &name, mode).await?;
        }
        output(ctx, &config)
    }

    /// The name is taken: an earlier attempt at this resource made the function (in one call,
    /// with its tags) when it carries this resource's infra tags.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        input: &CreateInput,
        conflict: &crate::AwsError,
    ) -> Result<(), ProviderError> {
        let Some(found) = self.get(ctx, name).await? else {
            // Conflict without a function: another change was in progress; try again.
            return Err(ctx.error(
                FailureClass::Retryable,
                format!("creating function {name}: {conflict}"),
            ));
        };
        let tags: BTreeMap<String, String> = found.tags.unwrap_or_default().into_iter().collect();
        if !owned_by(&tags, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating function {name}: a function of that name already exists and was not \
                 made for this resource (it lacks its infra:* tags); choose another FunctionName \
                 or import it"
            )));
        }
        Ok(())
    }

    /// GetFunction; `None` when it does not exist.
    async fn get(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<Option<aws_sdk_lambda::operation::get_function::GetFunctionOutput>, ProviderError>
    {
        get_function(&self.svc, ctx, name).await
    }

    /// GetFunctionConfiguration.
    async fn configuration(
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
            .await
            .map_err(|e| {
                self.svc.fail(
                    ctx,
                    "GetFunctionConfiguration",
                    format!("reading function {name}"),
                    e,
                )
            })?;
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

    /// Waits for `State` `Active` (Lambda's `FunctionActive` waiter).
    async fn wait_active(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let last = LastSeen::default();
        let ready = poll(READY_TIMEOUT, || {
            let last = &last;
            async move {
                let config = self.configuration(ctx, name).await?;
                match config.state() {
                    None | Some(State::Active) => Ok(Some(config)),
                    Some(State::Failed) => Err(ctx.fatal(format!(
                        "function {name} failed to become active: {}",
                        config.state_reason().unwrap_or("(no reason given)")
                    ))),
                    Some(other) => {
                        last.set(other.as_str());
                        Ok(None)
                    }
                }
            }
        })
        .await?;
        ready.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for function {name} to become active (state {})",
                READY_TIMEOUT.as_secs() / 60,
                last.get()
            ))
        })
    }

    /// Waits for `LastUpdateStatus` `Successful` (Lambda's `FunctionUpdatedV2` waiter).
    async fn wait_updated(
        &self,
        ctx: Ctx<'_>,
        name: &str,
    ) -> Result<FunctionConfiguration, ProviderError> {
        let ready = poll(READY_TIMEOUT, || async {
            let config = self.configuration(ctx, name).await?;
            match config.last_update_status() {
                None | Some(LastUpdateStatus::Successful) => Ok(Some(config)),
                Some(LastUpdateStatus::Failed) => Err(ctx.fatal(format!(
                    "the update of function {name} failed: {}",
                    config
                        .last_update_status_reason()
                        .unwrap_or("(no reason given)")
                ))),
                Some(_) => Ok(None),
            }
        })
        .await?;
        ready.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {}m waiting for the update of function {name}",
                READY_TIMEOUT.as_secs() / 60
            ))
        })
    }

    async fn put_concurrency(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        reserved: Option<i32>,
    ) -> Result<(), ProviderError> {
        let client = &self.svc.client;
        match reserved {
            Some(n) => client
                .put_function_concurrency()
                .function_name(name)
                .reserved_concurrent_executions(n)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "PutFunctionConcurrency",
                        format!("reserving concurrency for function {name}"),
                        e,
                    )
                }),
            None => client
                .delete_function_concurrency()
                .function_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "DeleteFunctionConcurrency",
                        format!("removing the reserved concurrency of function {name}"),
                        e,
                    )
                }),
        }
    }

    async fn put_runtime_management(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        update_on: &str,
        version_arn: Option<String>,
    ) -> Result<(), ProviderError> {
        self.svc
            .client
            .put_runtime_management_config()
            .function_name(name)
            .update_runtime_on(UpdateRuntimeOn::from(update_on))
            .set_runtime_version_arn(version_arn)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                self.svc.fail(
                    ctx,
                    "PutRuntimeManagementConfig",
                    format!("setting the runtime management of function {name}"),
                    e,
                )
            })
    }

    async fn put_recursion(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        mode: &str,
    ) -> Result<(), ProviderError> {
        self.svc
            .client
            .put_function_recursion_config()
            .function_name(name)
            .recursive_loop(RecursiveLoop::from(mode))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                self.svc.fail(
                    ctx,
                    "PutFunctionRecursionConfig",
                    format!("setting the recursive loop detection of function {name}"),
                    e,
                )
            })
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        if after.name.as_ref().is_some_and(|n| n != name) {
            return Err(
                ctx.fatal("FunctionName cannot change in place; the function must be replaced")
            );
        }
        if before.package_type != after.package_type {
            return Err(
                ctx.fatal("PackageType cannot change in place; the function must be replaced")
            );
        }
        let diff = |key: &str| changed(&input.before, &input.after, key);
        let client = &self.svc.client;

        if before.code != after.code
            || diff("Architectures")
            || before.source_kms != after.source_kms
        {
            let code =
                function_code(&after).map_err(|why| ctx.fatal(format!("property Code: {why}")))?;
            client
                .update_function_code()
                .function_name(name)
                .set_zip_file(code.zip_file().cloned())
                .set_s3_bucket(code.s3_bucket().map(str::to_owned))
                .set_s3_key(code.s3_key().map(str::to_owned))
                .set_s3_object_version(code.s3_object_version().map(str::to_owned))
                .set_image_uri(code.image_uri().map(str::to_owned))
                .set_source_kms_key_arn(code.source_kms_key_arn().map(str::to_owned))
                .set_architectures(architectures(&after))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "UpdateFunctionCode",
                        format!("updating the code of function {name}"),
                        e,
                    )
                })?;
            self.wait_updated(ctx, name).await?;
        }

        if CONFIGURATION.iter().any(|key| diff(key)) {
            let zip = matches!(after.code, Code::Inline { .. } | Code::S3 { .. });
            client
                .update_function_configuration()
                .function_name(name)
                .role(&after.role)
                .set_handler(after.handler.clone())
                .set_runtime(after.runtime.as_deref().map(Runtime::from))
                .timeout(after.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .memory_size(after.memory.unwrap_or(DEFAULT_MEMORY))
                .description(after.description.clone().unwrap_or_default())
                .environment(
                    Environment::builder()
                        .set_variables(Some(after.environment.clone().unwrap_or_default()))
                        .build(),
                )
                .set_layers(Some(after.layers.clone().unwrap_or_default()))
                .vpc_config(after.vpc.clone().unwrap_or_else(|| {
                    VpcConfig::builder()
                        .set_subnet_ids(Some(Vec::new()))
                        .set_security_group_ids(Some(Vec::new()))
                        .build()
                }))
                .tracing_config(
                    TracingConfig::builder()
                        .mode(TracingMode::from(
                            after.tracing.as_deref().unwrap_or("PassThrough"),
                        ))
                        .build(),
                )
                .set_ephemeral_storage(ephemeral(after.ephemeral.unwrap_or(DEFAULT_EPHEMERAL)))
                .dead_letter_config(
                    DeadLetterConfig::builder()
                        .target_arn(after.dead_letter.clone().unwrap_or_default())
                        .build(),
                )
                .kms_key_arn(after.kms.clone().unwrap_or_default())
                .set_file_system_configs(Some(after.file_systems.clone().unwrap_or_default()))
                .set_image_config(if zip {
                    None
                } else {
                    Some(
                        after
                            .image_config
                            .clone()
                            .unwrap_or_else(|| ImageConfig::builder().build()),
                    )
                })
                .set_logging_config(after.logging.clone().or_else(|| {
                    diff("LoggingConfig")
                        .then(|| LoggingConfig::builder().log_format(LogFormat::Text).build())
                }))
                // Only when set or removed: not every runtime supports SnapStart.
                .set_snap_start((after.snap_start.is_some() || diff("SnapStart")).then(|| {
                    SnapStart::builder()
                        .apply_on(SnapStartApplyOn::from(
                            after.snap_start.as_deref().unwrap_or("None"),
                        ))
                        .build()
                }))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "UpdateFunctionConfiguration",
                        format!("updating the configuration of function {name}"),
                        e,
                    )
                })?;
            self.wait_updated(ctx, name).await?;
        }

        if diff("ReservedConcurrentExecutions") {
            self.put_concurrency(ctx, name, after.reserved).await?;
        }
        if diff("CodeSigningConfigArn") {
            let result = match &after.code_signing {
                Some(arn) => client
                    .put_function_code_signing_config()
                    .function_name(name)
                    .code_signing_config_arn(arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        self.svc.fail(
                            ctx,
                            "PutFunctionCodeSigningConfig",
                            format!("setting the code signing configuration of function {name}"),
                            e,
                        )
                    }),
                None => client
                    .delete_function_code_signing_config()
                    .function_name(name)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        self.svc.fail(
                            ctx,
                            "DeleteFunctionCodeSigningConfig",
                            format!("removing the code signing configuration of function {name}"),
                            e,
                        )
                    }),
            };
            result?;
        }
        if diff("RuntimeManagementConfig") {
            let (on, arn) = after
                .runtime_management
                .clone()
                .unwrap_or_else(|| ("Auto".to_owned(), None));
            self.put_runtime_management(ctx, name, &on, arn).await?;
        }
        if diff("RecursiveLoop") {
            self.put_recursion(
                ctx,
                name,
                after.recursive_loop.as_deref().unwrap_or("Terminate"),
            )
            .await?;
        }

        let config = self.configuration(ctx, name).await?;
        let (set, remove) = tag_changes(
            &merge_tags(&before.tags, &input.tags),
            &merge_tags(&after.tags, &input.tags),
        );
        let arn = config.function_arn().unwrap_or_default().to_owned();
        if !remove.is_empty() {
            client
                .untag_resource()
                .resource(&arn)
                .set_tag_keys(Some(remove))
                .send()
                .await
                .map_err(|e| {
                    self.svc.fail(
                        ctx,
                        "UntagResource",
                        format!("untagging function {name}"),
                        e,
                    )
                })?;
        }
        if !set.is_empty() {
            client
                .tag_resource()
                .resource(&arn)
                .set_tags(Some(set.into_iter().collect()))
                .send()
                .await
                .map_err(|e| {
                    self.svc
                        .fail(ctx, "TagResource", format!("tagging function {name}"), e)
                })?;
        }
        output(ctx, &config)
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = input.physical_id.as_str();
        match self
            .svc
            .client
            .delete_function()
            .function_name(name)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.svc.err("DeleteFunction", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(fail(ctx, format!("deleting function {name}"), &err))
                }
            }
        }
    }

    async fn do_read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let tasks = items
            .iter()
            .map(|item| read_one(self.svc.clone(), item.clone()))
            .collect();
        Ok(common::run_bounded(tasks, common::READ_CONCURRENCY)
            .await?
            .into_iter()
            .collect())
    }
}

provider_impl!(LambdaFunctionProvider, TYPE);

/// GetFunction; `None` when it does not exist.
async fn get_function(
    svc: &Svc<aws_sdk_lambda::Client>,
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
                Err(fail(ctx, format!("reading function {name}"), &err))
            }
        }
    }
}

fn attributes(config: &FunctionConfiguration) -> BTreeMap<String, Value> {
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

fn output(ctx: Ctx<'_>, config: &FunctionConfiguration) -> Result<ResourceOutput, ProviderError> {
    let name = config
        .function_name()
        .ok_or_else(|| ctx.fatal("the function has no name"))?;
    Ok(ResourceOutput {
        physical_id: name.to_owned(),
        attributes: attributes(config),
    })
}

/// Refreshes one function (see the module comment for what is reported).
async fn read_one(
    svc: Svc<aws_sdk_lambda::Client>,
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
        Some(p) if super::same_value(Some(p), Some(&observed)) => p.clone(),
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
            .and_then(|t| t.mode())
            .map(|m| same_or("TracingConfig", json!({"Mode": m.as_str()}))),
    );
    put(
        "EphemeralStorage",
        config
            .ephemeral_storage()
            .map(|e| same_or("EphemeralStorage", json!({"Size": e.size()}))),
    );
    put(
        "DeadLetterConfig",
        config
            .dead_letter_config()
            .and_then(|d| d.target_arn())
            .map(|arn| same_or("DeadLetterConfig", json!({"TargetArn": arn}))),
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
        Some(common::observed_tags(
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

/// A zip archive of one stored (uncompressed) file, as Lambda takes a deployment package.
mod zip {
    /// The archive of `name` holding `data`: local header, data, central directory, end
    /// record (PKWARE APPNOTE 4.3). Version made by Unix (so the external attributes carry
    /// the file mode, 0644: Lambda needs the file readable), DOS date 1980-01-01.
    pub(super) fn single_file(name: &str, data: &[u8]) -> Result<Vec<u8>, String> {
        const VERSION_NEEDED: u16 = 20;
        const MADE_BY_UNIX: u16 = (3 << 8) | 20;
        const DOS_TIME: u16 = 0;
        const DOS_DATE: u16 = (1 << 5) | 1;
        const MODE: u32 = 0o100_644;
        let size = u32::try_from(data.len())
            .map_err(|_| "the inline code is too large for a zip archive".to_owned())?;
        let name_len =
            u16::try_from(name.len()).map_err(|_| "the file name is too long".to_owned())?;
        // Bit 11: the file name is UTF-8.
        let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
        let crc = crc32(data);

        let mut out = Vec::with_capacity(data.len() + 2 * name.len() + 128);
        let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
        let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());

        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, VERSION_NEEDED);
        u16le(&mut out, flags);
        u16le(&mut out, 0); // stored
        u16le(&mut out, DOS_TIME);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        // Central directory.
        let directory_offset = u32::try_from(out.len())
            .map_err(|_| "the inline code is too large for a zip archive".to_owned())?;
        u32le(&mut out, 0x0201_4b50);
        u16le(&mut out, MADE_BY_UNIX);
        u16le(&mut out, VERSION_NEEDED);
        u16le(&mut out, flags);
        u16le(&mut out, 0); // stored
        u16le(&mut out, DOS_TIME);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0); // extra field length
        u16le(&mut out, 0); // comment length
        u16le(&mut out, 0); // disk number
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, MODE << 16); // external attributes: Unix mode
        u32le(&mut out, 0); // offset of the local header
        out.extend_from_slice(name.as_bytes());
        let directory_size = u32::try_from(out.len())
            .map_err(|_| "the inline code is too large for a zip archive".to_owned())?
            - directory_offset;

        // End of central directory.
        u32le(&mut out, 0x0605_4b50);
        u16le(&mut out, 0); // this disk
        u16le(&mut out, 0); // disk of the directory
        u16le(&mut out, 1); // entries on this disk
        u16le(&mut out, 1); // entries
        u32le(&mut out, directory_size);
        u32le(&mut out, directory_offset);
        u16le(&mut out, 0); // comment length
        Ok(out)
    }

    /// CRC-32 (IEEE 802.3, reflected, as zip uses it).
    pub(super) fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                let mask = (crc & 1).wrapping_neg();
                crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
        !crc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx<'static> {
        Ctx::new(TYPE, "Stack.Fn")
    }

    fn inline(runtime: &str, handler: &str) -> Value {
        json!({
            "Code": {"ZipFile": "exports.handler = async () => 1;"},
            "Handler": handler,
            "Runtime": runtime,
            "Role": "arn:aws:iam::123456789012:role/r",
        })
    }

    #[test]
    fn inline_code_goes_in_index() {
        let spec = parse(&inline("nodejs20.x", "index.handler"), ctx()).expect("parses");
        assert!(matches!(&spec.code, Code::Inline { file, .. } if file == "index.js"));
        let spec = parse(&inline("python3.12", "index.lambda_handler"), ctx()).expect("parses");
        assert!(matches!(&spec.code, Code::Inline { file, .. } if file == "index.py"));
        let err = parse(&inline("java21", "index.handler"), ctx()).expect_err("not inline");
        assert!(
            err.message.contains("Node.js and Python"),
            "{}",
            err.message
        );
        let err = parse(&inline("nodejs20.x", "app.handler"), ctx()).expect_err("not index");
        assert!(err.message.contains("module index"), "{}", err.message);
    }

    #[test]
    fn code_needs_exactly_one_source() {
        let mut props = inline("nodejs20.x", "index.handler");
        props["Code"]["S3Bucket"] = json!("b");
        assert!(parse(&props, ctx()).is_err());
        let props = json!({"Code": {"S3Bucket": "b", "S3Key": "k.zip"}, "Role": "r",
                           "Handler": "app.handler", "Runtime": "java21"});
        let spec = parse(&props, ctx()).expect("S3 code");
        assert!(matches!(spec.code, Code::S3 { .. }));
    }

    #[test]
    fn refuses_unmapped_properties() {
        let mut props = inline("nodejs20.x", "index.handler");
        props["TenancyConfig"] = json!({"TenantIsolationMode": "PER_TENANT"});
        let err = parse(&props, ctx()).expect_err("refused");
        assert!(err.message.contains("TenancyConfig"), "{}", err.message);
        let mut props = inline("nodejs20.x", "index.handler");
        props["Code"]["S3ObjectStorageMode"] = json!("x");
        let err = parse(&props, ctx()).expect_err("refused");
        assert!(
            err.message.contains("Code/S3ObjectStorageMode"),
            "{}",
            err.message
        );
    }

    #[test]
    fn crc32_matches_the_check_value() {
        assert_eq!(zip::crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(zip::crc32(b""), 0);
    }

    #[test]
    fn zip_has_one_stored_readable_entry() {
        let data = b"print('hi')\n";
        let archive = zip::single_file("index.py", data).expect("zips");
        // Local header, name, data.
        assert_eq!(&archive[0..4], &[0x50, 0x4b, 0x03, 0x04]);
        assert_eq!(&archive[30..38], b"index.py");
        assert_eq!(&archive[38..38 + data.len()], data);
        let crc = u32::from_le_bytes(archive[14..18].try_into().expect("4 bytes"));
        assert_eq!(crc, zip::crc32(data));
        // End record: one entry, the directory right after the data.
        let end = &archive[archive.len() - 22..];
        assert_eq!(&end[0..4], &[0x50, 0x4b, 0x05, 0x06]);
        assert_eq!(u16::from_le_bytes([end[10], end[11]]), 1);
        let dir_offset = u32::from_le_bytes(end[16..20].try_into().expect("4 bytes")) as usize;
        assert_eq!(dir_offset, 38 + data.len());
        assert_eq!(
            &archive[dir_offset..dir_offset + 4],
            &[0x50, 0x4b, 0x01, 0x02]
        );
        // External attributes: regular file, mode 0644.
        let attrs = u32::from_le_bytes(
            archive[dir_offset + 38..dir_offset + 42]
                .try_into()
                .expect("4 bytes"),
        );
        assert_eq!(attrs >> 16, 0o100_644);
        // The same code makes the same package.
        assert_eq!(archive, zip::single_file("index.py", data).expect("zips"));
    }
}
