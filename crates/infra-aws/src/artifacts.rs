//! Uploading the packages of local code paths (see `infra_template::package`) before an apply
//! changes anything: each package goes to its content-addressed key in the artifact bucket,
//! unless an object is already there (HeadObject), since the key names the bytes.

use std::sync::Arc;

use aws_sdk_s3::primitives::ByteStream;
use infra_template::Artifact;

use crate::config::endpoint_for;
use crate::error::{AwsError, Call, classify};
use crate::session::AwsSession;

/// What became of one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// `s3://BUCKET/KEY`.
    pub location: String,
    /// The package's size in bytes.
    pub bytes: usize,
    /// False when the object was already there.
    pub uploaded: bool,
}

/// A package that could not be checked or uploaded.
#[derive(Debug, thiserror::Error)]
#[error("uploading `{source_path}` to {location}: {error}")]
pub struct ArtifactError {
    /// The local path the package was made from.
    pub source_path: String,
    /// `s3://BUCKET/KEY`.
    pub location: String,
    /// What AWS said.
    #[source]
    pub error: AwsError,
}

/// Uploads every package of `artifacts` to `bucket` that is not there yet, one after the
/// other, and says what became of each.
pub async fn upload(
    session: &AwsSession,
    bucket: &str,
    artifacts: &[Arc<Artifact>],
) -> Result<Vec<Upload>, ArtifactError> {
    let config = session.sdk_config();
    let endpoint = endpoint_for(config, "s3", None);
    let client = crate::config::s3_client(config);
    let mut done = Vec::with_capacity(artifacts.len());
    for artifact in artifacts {
        let location = format!("s3://{bucket}/{}", artifact.key);
        let fail = |error: AwsError| ArtifactError {
            source_path: artifact.source.display().to_string(),
            location: location.clone(),
            error,
        };
        let head = client
            .head_object()
            .bucket(bucket)
            .key(&artifact.key)
            .send()
            .await;
        let exists = match head {
            Ok(_) => true,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => false,
            Err(e) => return Err(fail(classify(e, &Call::new("s3", "HeadObject", &endpoint)))),
        };
        if !exists {
            client
                .put_object()
                .bucket(bucket)
                .key(&artifact.key)
                .content_type("application/zip")
                .body(ByteStream::from(artifact.bytes.clone()))
                .send()
                .await
                .map_err(|e| fail(classify(e, &Call::new("s3", "PutObject", &endpoint))))?;
        }
        done.push(Upload {
            location,
            bytes: artifact.bytes.len(),
            uploaded: !exists,
        });
    }
    Ok(done)
}
