//! The AWS flags of a command (`--region`, `--profile`, `--endpoint-url`) as the settings
//! `infra-ops` and `infra-aws` connect with; the standard AWS chain fills in the rest.

use infra_aws::AwsSettings;

use crate::cli::AwsArgs;

pub fn settings(region: Option<&str>, a: &AwsArgs) -> AwsSettings {
    AwsSettings {
        region: region.map(str::to_string),
        profile: a.profile.clone(),
        endpoint_url: a.endpoint_url.clone(),
    }
}
