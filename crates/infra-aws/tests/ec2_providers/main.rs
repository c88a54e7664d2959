//! The EC2 network providers against the AWS API emulator (moto server;
//! `scripts/setup-emulator`): create → read → update → delete → read for every type, the
//! fixture's network built and torn down in dependency order, and batched reads.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference.

#[path = "../../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

mod batched_reads;
mod fixture;
mod gateways;
mod harness;
mod network;
mod recovery;
mod routes;
mod security_groups;
mod vpc_subnet;
