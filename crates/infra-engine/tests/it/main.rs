//! Tests of the engine: the walker with plain integers, the order of a plan's operations, and
//! applies against a fake provider, all in paused (virtual) time so they are exact and fast.

mod apply;
mod cancel;
mod destroy;
mod failures;
mod latency_model;
mod order;
mod paths;
mod recovery;
mod replace;
mod retain;
mod retries;
mod state_writes;
mod support;
mod walk;
mod workload;
