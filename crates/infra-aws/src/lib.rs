//! The only crate that calls AWS.
//!
//! Today it holds the foundation every AWS call stands on:
//!
//! - [`AwsSession`] ([`session`]): the loaded configuration every call is made with, opaque so
//!   that no SDK type crosses this crate's boundary; every public function that calls AWS
//!   takes one;
//! - [`config`]: loading region, credentials, endpoint, timeouts and retries through the
//!   standard AWS chain, with `--region`, `--profile` and `--endpoint-url` on top;
//! - [`lookups`]: the values a template reads from AWS at plan time (account id, `Fn::GetAZs`,
//!   SSM parameters), fetched in one concurrent, batched pass, and the [`Recorder`] that finds
//!   out what a template wants;
//! - [`error`]: error classes that tell a user what went wrong and what to do about it;
//! - [`provider`] and [`slot`]: the provider contract and the parallelism slot a provider call
//!   lends while it only waits, both defined in `infra-provider` and re-exported here;
//! - [`providers`]: the resource providers, one module per service and resource type;
//! - [`cloudcontrol`]: the generic provider, AWS Cloud Control, for every other type the
//!   registry can provision;
//! - [`artifacts`]: uploading the packages of local Lambda code paths before an apply;
//! - [`remote_state`]: state kept in S3 (`--state s3://BUCKET/KEY`), the S3 implementation of
//!   `infra-state`'s storage abstraction, with its lock object and conditional writes, and the
//!   listing of the states beside it (whose exports `Fn::ImportValue` reads);
//! - [`exports`]: CloudFormation's exports and imports in the account and region;
//! - [`cloudformation`]: a CloudFormation stack's resources, for adopting them, and releasing
//!   the stack once adopted; [`adopt_tags`]: infra's tags on what was adopted.

pub mod adopt_tags;
pub mod artifacts;
pub mod cloudcontrol;
pub mod cloudformation;
pub mod config;
pub mod dynamic_refs;
pub mod error;
pub mod exports;
#[path = "../generated/mod.rs"]
pub(crate) mod generated;
pub mod lookups;
pub mod provider;
pub mod providers;
pub mod remote_state;
pub mod session;

pub use infra_provider::slot;

pub use crate::config::{AwsSettings, load_config};
pub use crate::error::{AccessDenied, AwsError, Call, ErrorClass, classify};
pub use crate::lookups::{Prefetched, Recorder, Wanted, prefetch};
pub use crate::session::AwsSession;
