//! Local code paths in the CLI: which bucket their packages go to (`--artifact-bucket`, else
//! the bucket of an S3 state), and their upload before an apply's first operation.

use anyhow::Context as _;
use infra_template::{ArtifactBucket, Artifacts};

use super::planning::Session;
use crate::output::Output;
use crate::stores::StateLocation;

/// The bucket for packages: `--artifact-bucket`, else the state's bucket when the state is in
/// S3, else none (a local code path is then an error saying how to give one).
pub fn bucket(flag: Option<&str>, state: &StateLocation) -> ArtifactBucket {
    match (flag, state) {
        (Some(bucket), _) => ArtifactBucket::Named(bucket.to_owned()),
        (None, StateLocation::S3(url)) => ArtifactBucket::Named(url.bucket().to_owned()),
        (None, StateLocation::Local(_)) => ArtifactBucket::Missing,
    }
}

/// Uploads every package the plan's template made (those already in the bucket are skipped),
/// printing one line for each.
pub fn upload(session: &Session, artifacts: &Artifacts, out: &Output) -> anyhow::Result<()> {
    let built = artifacts.built();
    let ArtifactBucket::Named(bucket) = artifacts.bucket() else {
        return Ok(());
    };
    if built.is_empty() {
        return Ok(());
    }
    let config = session
        .config
        .as_ref()
        .context("internal: an apply is connected to AWS")?;
    let uploads = session
        .rt
        .block_on(infra_aws::artifacts::upload(config, bucket, &built))?;
    for u in uploads {
        if u.uploaded {
            out.line(&format!("Uploaded {} ({} bytes)", u.location, u.bytes));
        } else {
            out.line(&format!("{} is already uploaded", u.location));
        }
    }
    Ok(())
}
