//! The ELBv2 providers against the AWS API emulator (moto server; `scripts/setup-emulator`):
//! create → read → update → delete → read for the load balancer, target group, listener and
//! listener rule, in the reference pattern's shape (an internet-facing ALB, an `ip` target
//! group, an HTTP:80 listener forwarding through `ForwardConfig`), batched reads, refusals and
//! error classes. The VPC, subnets and security group they need are made directly with the EC2
//! API as fixtures.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names and address
//! ranges of their own.

#[path = "../../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

mod fixture;
mod harness;
mod network_load_balancer;
mod reads;
mod recovery;
mod refusals;
