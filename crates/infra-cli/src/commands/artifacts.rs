//! Local code paths in the CLI: which bucket their packages go to (`--artifact-bucket`, else
//! the bucket of an S3 state), and a line for each package uploaded before an apply's first
//! operation (`infra_ops::artifacts`).

use infra_ops::Session;
use infra_template::{ArtifactBucket, Artifacts};

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
    for u in infra_ops::artifacts::upload(session, artifacts)? {
        if u.uploaded {
            out.line(&format!("Uploaded {} ({} bytes)", u.location, u.bytes));
        } else {
            out.line(&format!("{} is already uploaded", u.location));
        }
    }
    Ok(())
}
