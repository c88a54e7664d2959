//! [`AwsSession`]: what every AWS call of a command is made with (region, credentials chain,
//! endpoint, timeouts and retries, as [`crate::config`] loads them), handed out opaquely so
//! that no SDK type crosses this crate's boundary. Every public function of this crate that
//! calls AWS takes one.

use aws_config::SdkConfig;

use crate::config::{AwsSettings, load_config};
use crate::error::AwsError;
use crate::provider::Providers;

/// A loaded AWS configuration. Cheap to clone; credentials are resolved lazily, on the first
/// call that needs them.
#[derive(Debug, Clone)]
pub struct AwsSession {
    config: SdkConfig,
}

impl AwsSession {
    /// Loads the configuration through the standard chain with the command line's `settings`
    /// on top ([`load_config`]). Fails when no region is configured anywhere or the endpoint
    /// URL is not an http(s) URL.
    pub async fn load(settings: &AwsSettings) -> Result<AwsSession, AwsError> {
        Ok(AwsSession {
            config: load_config(settings).await?,
        })
    }

    /// A session over a configuration the caller built: for tests that also make SDK clients
    /// of their own (fixtures, checks). `infra-ops` and `infra-cli` use [`AwsSession::load`].
    pub fn from_sdk_config(config: SdkConfig) -> AwsSession {
        AwsSession { config }
    }

    /// The configured region.
    pub fn region(&self) -> Option<&str> {
        self.config.region().map(|r| r.as_ref())
    }

    /// Every provider, with clients built from this session once per service
    /// ([`crate::providers::all`]), and the Cloud Control provider for every other type
    /// ([`crate::cloudcontrol::provider`]).
    pub fn providers(&self) -> Providers {
        let mut p = crate::providers::all(&self.config);
        p.set_generic(crate::cloudcontrol::provider(&self.config));
        p
    }

    /// The SDK configuration, for this crate's calls.
    pub(crate) fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }
}
