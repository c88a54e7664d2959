//! The packages of local code paths uploaded before an apply's first operation (those already
//! in the bucket are skipped: their key names their bytes).

use infra_aws::artifacts::{ArtifactError, Upload};
use infra_template::{ArtifactBucket, Artifacts};

use crate::session::Session;

/// Why the packages could not be uploaded.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// Not connected (a bug: an apply is connected to AWS).
    #[error("internal: an apply is connected to AWS")]
    NotConnected,
    /// A package could not be checked or uploaded.
    #[error(transparent)]
    Artifact(Box<ArtifactError>),
}

/// Uploads every package the plan's template made to the artifact bucket, unless it is there
/// already, and says what became of each (nothing without a bucket or a package).
pub fn upload(session: &Session, artifacts: &Artifacts) -> Result<Vec<Upload>, UploadError> {
    let built = artifacts.built();
    let ArtifactBucket::Named(bucket) = artifacts.bucket() else {
        return Ok(Vec::new());
    };
    if built.is_empty() {
        return Ok(Vec::new());
    }
    let aws = session.aws().ok_or(UploadError::NotConnected)?;
    session
        .block_on(infra_aws::artifacts::upload(aws, bucket, &built))
        .map_err(|e| UploadError::Artifact(Box::new(e)))
}
