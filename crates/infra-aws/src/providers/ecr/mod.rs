//! Amazon ECR: `AWS::ECR::Repository` ([`repository`]: properties, create, update, delete,
//! find by name and infra tags, refresh batched by name, 100 per call).

use std::fmt::Display;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::error::AwsError;
use crate::provider::Providers;
use crate::providers::kit::errors::Coded;
use crate::providers::kit::prelude::*;

pub(crate) mod repository;

#[cfg(test)]
mod tests;

/// An ECR client and how its errors are named.
pub(crate) type Ecr = Service<aws_sdk_ecr::Client>;

impl Classify for Ecr {
    fn classify(&self, ctx: Ctx<'_>, doing: &dyn Display, err: &AwsError) -> ProviderError {
        let mut out = ctx.fail(doing, err);
        // ECR checks a repository policy's principals; a role made a moment ago is not
        // visible yet ("Invalid repository policy provided"; Terraform retries this too).
        let (code, message) = err.code_and_message().unwrap_or_default();
        if code == "InvalidParameterException" && message.contains("Invalid repository policy") {
            out.class = FailureClass::EventuallyConsistent;
        }
        out
    }
}

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let endpoint = endpoint_for(config, "api.ecr", None);
    let ecr = Ecr::new(aws_sdk_ecr::Client::new(config), "ecr", endpoint);
    providers.insert(kit::native(repository::RepositoryProvider { ecr }));
}
