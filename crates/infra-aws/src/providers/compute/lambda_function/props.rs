//! `AWS::Lambda::Function` properties: what the provider reads itself (the name, the code and
//! the deployment package, the runtime management, the tags: [`Spec`]). The keys, refusals
//! (refused in `mappings/lambda.toml`) and the CreateFunction and UpdateFunctionConfiguration requests are
//! generated from the schema by `scripts/generate-mappings`
//! (`crates/infra-aws/mappings/lambda.toml`).

use crate::providers::kit::prelude::*;
use aws_sdk_lambda::types::{Architecture, FunctionCode};
use aws_smithy_types::Blob;

use super::zip;
use crate::generated::lambda::{CODE, FUNCTION, RUNTIME_MANAGEMENT_CONFIG};
use crate::providers::ec2::tags::template_tags;
use crate::providers::kit::convert::enums;

/// What the provider reads itself of a function as the template describes it; the
/// configuration is read into the requests ([`props`] and the generated conversions).
#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) package_type: Option<String>,
    /// The deployment package (inline code zipped, see the module comment) or its location.
    pub(super) code: FunctionCode,
    pub(super) architectures: Option<Vec<Architecture>>,
    pub(super) reserved: Option<i32>,
    pub(super) code_signing: Option<String>,
    pub(super) runtime_management: Option<(String, Option<String>)>,
    pub(super) recursive_loop: Option<String>,
    /// `Tags`: `[{Key, Value}]` (`Value` may be left out).
    pub(super) tags: Vec<(String, String)>,
}

/// The template's properties, their keys checked (the generated requests read them).
pub(super) fn props<'a>(value: &'a Value, ctx: Ctx<'a>) -> Result<Props<'a>, ProviderError> {
    Props::root(value, ctx, FUNCTION)
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = props(value, ctx)?;
    p.required_str("Role")?; // checked first; the requests read it
    let handler = p.str("Handler")?;
    let runtime = p.str("Runtime")?;
    let c = p.obj("Code", CODE)?;
    let c = c.ok_or_else(|| ctx.fatal("property Code is required"))?;
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
    let code = FunctionCode::builder();
    let code = if let Some(source) = zip {
        let file = inline_file_name(ctx, runtime.as_deref(), handler.as_deref())?;
        let zipped = zip::single_file(&file, source.as_bytes());
        let zipped = zipped.map_err(|why| ctx.fatal(format!("property Code: {why}")))?;
        code.zip_file(Blob::new(zipped))
    } else if let Some(uri) = image {
        code.image_uri(uri)
    } else {
        let bucket =
            bucket.ok_or_else(|| ctx.fatal("property Code.S3Bucket is required with S3Key"))?;
        let key = key.ok_or_else(|| ctx.fatal("property Code.S3Key is required with S3Bucket"))?;
        let version = c.str("S3ObjectVersion")?;
        code.s3_bucket(bucket)
            .s3_key(key)
            .set_s3_object_version(version)
    };
    let management = p.obj("RuntimeManagementConfig", RUNTIME_MANAGEMENT_CONFIG)?;
    let management = management.map(|n| {
        Ok((
            n.required_str("UpdateRuntimeOn")?,
            n.str("RuntimeVersionArn")?,
        ))
    });
    Ok(Spec {
        name: p.str("FunctionName")?,
        package_type: p.str("PackageType")?,
        code: code
            .set_source_kms_key_arn(c.str("SourceKMSKeyArn")?)
            .build(),
        architectures: enums(p.strs("Architectures")?),
        reserved: p.i32("ReservedConcurrentExecutions")?,
        code_signing: p.str("CodeSigningConfigArn")?,
        runtime_management: management.transpose()?,
        recursive_loop: p.str("RecursiveLoop")?,
        tags: template_tags(&p)?,
    })
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
