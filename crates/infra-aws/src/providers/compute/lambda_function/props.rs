//! `AWS::Lambda::Function` properties: the template's properties parsed into the API's types
//! (the keys, refusals (`UNSUPPORTED`) and configuration objects are generated from the schema
//! by `scripts/generate-mappings`, `crates/infra-aws/mappings/lambda.toml`), and the
//! deployment package.

use std::collections::HashMap;

use aws_sdk_lambda::types::{
    Architecture, DeadLetterConfig, EphemeralStorage, FileSystemConfig, FunctionCode, ImageConfig,
    LoggingConfig, SnapStart, TracingConfig, VpcConfig,
};
use aws_smithy_types::Blob;
use serde_json::Value;

use super::zip;
use crate::generated::lambda::{
    CODE, DEAD_LETTER_CONFIG, ENVIRONMENT, EPHEMERAL_STORAGE, FILE_SYSTEM_CONFIG, FUNCTION,
    IMAGE_CONFIG, LOGGING_CONFIG, RUNTIME_MANAGEMENT_CONFIG, SNAP_START, TAG, TRACING_CONFIG,
    VPC_CONFIG, dead_letter_config, ephemeral_storage, file_system_config, image_config,
    logging_config, snap_start, tracing_config, vpc_config,
};
use crate::provider::ProviderError;
use crate::providers::kit::convert::{each, one};
use crate::providers::kit::{self, Ctx, Props};

/// The top-level properties refused, and why (the generated keys' table).
pub(crate) const UNSUPPORTED: &[(&str, &str)] = FUNCTION.unsupported;

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
    pub(super) tracing: Option<TracingConfig>,
    pub(super) ephemeral: Option<EphemeralStorage>,
    pub(super) dead_letter: Option<DeadLetterConfig>,
    pub(super) kms: Option<String>,
    pub(super) file_systems: Option<Vec<FileSystemConfig>>,
    pub(super) image_config: Option<ImageConfig>,
    pub(super) logging: Option<LoggingConfig>,
    pub(super) snap_start: Option<SnapStart>,
    pub(super) reserved: Option<i32>,
    pub(super) code_signing: Option<String>,
    pub(super) runtime_management: Option<(String, Option<String>)>,
    pub(super) recursive_loop: Option<String>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, FUNCTION)?;
    let role = p.required_str("Role")?;
    let handler = p.str("Handler")?;
    let runtime = p.str("Runtime")?;
    let c = p
        .obj("Code", CODE)?
        .ok_or_else(|| ctx.fatal("property Code is required"))?;
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
    let environment = match p.obj("Environment", ENVIRONMENT)? {
        None => None,
        Some(env) => {
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
    let runtime_management = match p.obj("RuntimeManagementConfig", RUNTIME_MANAGEMENT_CONFIG)? {
        None => None,
        Some(n) => Some((
            n.required_str("UpdateRuntimeOn")?,
            n.str("RuntimeVersionArn")?,
        )),
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
        vpc: one(&p, "VpcConfig", VPC_CONFIG, vpc_config)?,
        // An object without its one value is the same as none.
        tracing: one(&p, "TracingConfig", TRACING_CONFIG, tracing_config)?
            .filter(|t| t.mode.is_some()),
        ephemeral: one(&p, "EphemeralStorage", EPHEMERAL_STORAGE, ephemeral_storage)?,
        dead_letter: one(
            &p,
            "DeadLetterConfig",
            DEAD_LETTER_CONFIG,
            dead_letter_config,
        )?
        .filter(|d| d.target_arn.is_some()),
        kms: p.str("KmsKeyArn")?,
        file_systems: each(
            &p,
            "FileSystemConfigs",
            FILE_SYSTEM_CONFIG,
            file_system_config,
        )?,
        image_config: one(&p, "ImageConfig", IMAGE_CONFIG, image_config)?,
        logging: one(&p, "LoggingConfig", LOGGING_CONFIG, logging_config)?,
        snap_start: one(&p, "SnapStart", SNAP_START, snap_start)?,
        reserved: p.i32("ReservedConcurrentExecutions")?,
        code_signing: p.str("CodeSigningConfigArn")?,
        runtime_management,
        recursive_loop: p.str("RecursiveLoop")?,
        tags: tags(&p)?,
    })
}

/// `Tags`: `[{Key, Value}]` (`Value` may be left out).
pub(super) fn tags(p: &Props<'_>) -> Result<Vec<(String, String)>, ProviderError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in p.objs("Tags", TAG)? {
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
