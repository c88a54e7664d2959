//! The only crate that calls AWS.
//!
//! Today it holds the foundation every AWS call stands on:
//!
//! - [`config`]: loading region, credentials, endpoint, timeouts and retries through the
//!   standard AWS chain, with `--region`, `--profile` and `--endpoint-url` on top;
//! - [`lookups`]: the values a template reads from AWS at plan time (account id, `Fn::GetAZs`,
//!   SSM parameters), fetched in one concurrent, batched pass, and the [`Recorder`] that finds
//!   out what a template wants;
//! - [`error`]: error classes that tell a user what went wrong and what to do about it;
//! - [`slot`]: the parallelism slot a provider call lends while it only waits;
//! - [`artifacts`]: uploading the packages of local Lambda code paths before an apply;
//! - [`remote_state`]: state kept in S3 (`--state s3://BUCKET/KEY`), the S3 implementation of
//!   `infra-state`'s storage abstraction, with its lock object and conditional writes.
//!
//! The resource providers (one module per resource type: create, batched read, update, delete,
//! `Ref` / `Fn::GetAtt` values, waiters, tagging) arrive with the apply engine.

pub mod artifacts;
pub mod cloudformation;
pub mod config;
pub mod error;
pub mod exports;
pub mod lookups;
pub mod provider;
pub mod providers;
pub mod remote_state;
pub mod slot;

pub use crate::config::{AwsSettings, load_config};
pub use crate::error::{AccessDenied, AwsError, Call, ErrorClass, classify};
pub use crate::lookups::{Prefetched, Recorder, Wanted, prefetch};
