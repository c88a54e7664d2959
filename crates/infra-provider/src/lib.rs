//! The contract between the engine and the resource providers, without any AWS SDK.
//!
//! - [`contract`]: the [`ResourceProvider`] trait the engine calls, its plain-data inputs and
//!   outputs, how a failure is classed ([`FailureClass`], [`ProviderError`]) and [`Providers`],
//!   the providers by type name;
//! - [`coverage`]: what each provider says about its type ([`Coverage`]: deploy path, how it is
//!   refreshed, how an interrupted create is found), which `infra types` lists;
//! - [`slot`]: the parallelism slot a provider call lends while it only waits.
//!
//! `infra-aws` implements the contract (and re-exports it as `infra_aws::provider`);
//! `infra-engine` depends on this crate alone, so the engine and its tests build without the
//! SDK.

pub mod checkpoint;
pub mod contract;
pub mod coverage;
pub mod slot;

pub use checkpoint::{Checkpoint, CheckpointSink};
pub use contract::{
    BoxFuture, CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError,
    Providers, ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
pub use coverage::{Coverage, DeployPath, Find, Refresh};
