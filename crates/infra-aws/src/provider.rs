//! The provider contract, re-exported: it lives in `infra-provider` (which the engine depends
//! on without any AWS SDK crate), and the providers here name it as `crate::provider::...`.

pub use infra_provider::contract::*;
pub use infra_provider::coverage::{Coverage, DeployPath, Find, Refresh};
