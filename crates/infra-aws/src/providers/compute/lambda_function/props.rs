//! `AWS::Lambda::Function` properties: the supported and refused (`UNSUPPORTED`) tables, the
//! template's properties parsed into the API's types, and the deployment package.

use std::collections::HashMap;

use aws_sdk_lambda::types::{
    ApplicationLogLevel, Architecture, EphemeralStorage, FileSystemConfig, FunctionCode,
    ImageConfig, LogFormat, LoggingConfig, SystemLogLevel, VpcConfig,
};
use aws_smithy_types::Blob;
use serde_json::Value;

use super::zip;
use crate::provider::ProviderError;
use crate::providers::kit::Props;
use crate::providers::kit::{self, Ctx};

pub(super) const SUPPORTED: &[&str] = &[
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

pub(super) const NOT_YET: &str = "Lambda Managed Instances, durable and multi-tenant functions are not \
                       supported by infra yet";

pub(crate) const UNSUPPORTED: &[(&str, &str)] = &[
    ("CapacityProviderConfig", NOT_YET),
    ("FunctionScalingConfig", NOT_YET),
    ("DurableConfig", NOT_YET),
    ("TenancyConfig", NOT_YET),
    ("PublishToLatestPublished", NOT_YET),
];

/// The properties UpdateFunctionConfiguration sets.
pub(super) const CONFIGURATION: &[&str] = &[
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

/// Lambda's defaults, restored when a property is removed.
pub(super) const DEFAULT_TIMEOUT: i32 = 3;
pub(super) const DEFAULT_MEMORY: i32 = 128;
pub(super) const DEFAULT_EPHEMERAL: i32 = 512;

/// Where the code comes from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Code {
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
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) package_type: Option<String>,
    pub(super) code: Code,
    pub(super) source_kms: Option<String>,
    pub(super) architectures: Option<Vec<String>>,
    pub(super) handler: Option<String>,
    pub(super) runtime: Option<String>,
    pub(super) role: String,
    pub(super) timeout: Option<i32>,
    pub(super) memory: Option<i32>,
    pub(super) description: Option<String>,
    pub(super) environment: Option<HashMap<String, String>>,
    pub(super) layers: Option<Vec<String>>,
    pub(super) vpc: Option<VpcConfig>,
    pub(super) tracing: Option<String>,
    pub(super) ephemeral: Option<i32>,
    pub(super) dead_letter: Option<String>,
    pub(super) kms: Option<String>,
    pub(super) file_systems: Option<Vec<FileSystemConfig>>,
    pub(super) image_config: Option<ImageConfig>,
    pub(super) logging: Option<LoggingConfig>,
    pub(super) snap_start: Option<String>,
    pub(super) reserved: Option<i32>,
    pub(super) code_signing: Option<String>,
    pub(super) runtime_management: Option<(String, Option<String>)>,
    pub(super) recursive_loop: Option<String>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::new(value, ctx, SUPPORTED, UNSUPPORTED)?;
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
                .ok_or_else(|| ctx.fatal("property Code.S3Bucket is required with S3Key"))?,
            key: key.ok_or_else(|| ctx.fatal("property Code.S3Key is required with S3Bucket"))?,
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
                        let text = kit::scalar_text(v).ok_or_else(|| {
                            env.fatal("Variables", format!("variable {k} must be a string"))
                        })?;
                        vars.insert(k.clone(), text);
                    }
                }
                Some(_) => return Err(env.fatal("Variables", "must be an object of strings")),
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
            let path = p.at_index("FileSystemConfigs", i);
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
        architectures: p.strs("Architectures")?,
        handler,
        runtime,
        role,
        timeout: p.i32("Timeout")?,
        memory: p.i32("MemorySize")?,
        description: p.str("Description")?,
        environment,
        layers: p.strs("Layers")?,
        vpc,
        tracing: nested(&p, "TracingConfig", &["Mode"], &[], |n| n.str("Mode"))?.flatten(),
        ephemeral: nested(&p, "EphemeralStorage", &["Size"], &[], |n| {
            n.i32("Size")?.ok_or_else(|| n.fatal("Size", "is required"))
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
                    .set_command(n.strs("Command")?)
                    .set_entry_point(n.strs("EntryPoint")?)
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
pub(super) fn nested<T>(
    node: &Props<'_>,
    key: &str,
    supported: &[&str],
    unsupported: &[(&str, &str)],
    each: impl FnOnce(&Props<'_>) -> Result<T, ProviderError>,
) -> Result<Option<T>, ProviderError> {
    let Some(value) = node.get(key) else {
        return Ok(None);
    };
    let path = node.at(key);
    let child = node.nested(value, &path, supported, unsupported)?;
    each(&child).map(Some)
}

/// `Tags`: `[{Key, Value}]` (`Value` may be left out).
pub(super) fn tags(p: &Props<'_>) -> Result<Vec<(String, String)>, ProviderError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, item) in p.list("Tags")?.iter().enumerate() {
        let path = p.at_index("Tags", i);
        let t = p.nested(item, &path, &["Key", "Value"], &[])?;
        let key = t.required_str("Key")?;
        out.retain(|(k, _)| *k != key);
        out.push((key, t.str("Value")?.unwrap_or_default()));
    }
    Ok(out)
}

/// The file CloudFormation puts inline code in (see the module comment).
pub(super) fn inline_file_name(
    ctx: Ctx<'_>,
    runtime: Option<&str>,
    handler: Option<&str>,
) -> Result<String, ProviderError> {
    let runtime = runtime
        .ok_or_else(|| ctx.fatal("property Runtime is required with Code.ZipFile (inline code)"))?;
    let file = if runtime.starts_with("nodejs") {
        "index.js"
    } else if runtime.starts_with("python") {
        "index.py"
    } else {
        return Err(ctx.fatal(format!(
            "property Code.ZipFile: inline code is for Node.js and Python runtimes only, not \
             {runtime} (as in CloudFormation); use Code.S3Bucket and Code.S3Key"
        )));
    };
    let handler = handler
        .ok_or_else(|| ctx.fatal("property Handler is required with Code.ZipFile (inline code)"))?;
    if !handler.starts_with("index.") {
        return Err(ctx.fatal(format!(
            "property Handler: inline code (Code.ZipFile) is saved as {file}, so the handler \
             must be in module index (such as index.handler), not {handler}"
        )));
    }
    Ok(file.to_owned())
}

/// The deployment package or location, as the API takes it.
pub(super) fn function_code(spec: &Spec) -> Result<FunctionCode, String> {
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

pub(super) fn architectures(spec: &Spec) -> Option<Vec<Architecture>> {
    spec.architectures
        .as_ref()
        .map(|a| a.iter().map(|s| Architecture::from(s.as_str())).collect())
}

pub(super) fn ephemeral(size: i32) -> Option<EphemeralStorage> {
    EphemeralStorage::builder().size(size).build().ok()
}
