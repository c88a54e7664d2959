//! The AWS side of a command: configuration from flags and the standard chain, and the
//! plan-time lookups (account, availability zones, SSM parameters), fetched in one batch.

use infra_aws::{AwsSettings, Prefetched, Wanted};

use crate::cli::{AwsArgs, TemplateArgs};

/// A single-threaded runtime: the CLI's AWS work is I/O-bound.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

pub fn settings(t: &TemplateArgs, a: &AwsArgs) -> AwsSettings {
    AwsSettings {
        region: t.region.clone(),
        profile: a.profile.clone(),
        endpoint_url: a.endpoint_url.clone(),
    }
}

/// Resolves what the template needs from AWS.
pub fn prefetch(
    t: &TemplateArgs,
    a: &AwsArgs,
    mut wanted: Wanted,
) -> anyhow::Result<(Prefetched, Option<String>)> {
    wanted.account_id = true;
    let rt = runtime()?;
    rt.block_on(async {
        let config = infra_aws::load_config(&settings(t, a)).await?;
        let region = config.region().map(ToString::to_string);
        let prefetched = infra_aws::prefetch(&config, &wanted).await?;
        Ok((prefetched, region))
    })
}
