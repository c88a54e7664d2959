//! The ECS providers against the AWS API emulator (moto server; `scripts/setup-emulator`):
//! create → read → update → delete → read for every type, the reference fixture's cluster and
//! service built end to end (cluster with Container Insights, an Auto Scaling group made
//! directly as a test fixture, capacity provider with managed scaling and termination
//! protection, association, awsvpc task definition for nginx with awslogs, service with a
//! capacity provider strategy, awsvpc networking and a load balancer) and torn down in reverse
//! order (the native teardown), and batched reads.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "../../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

mod cluster;
mod find;
mod fixture;
mod harness;
mod task_definition;
