//! The apply and destroy scheduler.
//!
//! The engine takes a [`Plan`](infra_plan::Plan) and the [`State`](infra_state::State) it was
//! made from, and makes it so: every create, update and delete through the
//! [`ResourceProvider`](infra_provider::ResourceProvider) of its type, as many at once as
//! the dependencies and `--parallelism` allow, the state saved as it goes. It owns the order
//! of operations (including both replacement orders), the parallel walk, retries by error
//! class, generated names and `infra:*` tags, intents in `pending`, and the events the CLI
//! renders. It does not render, parse templates, diff, or name an AWS SDK type; stack outputs
//! are the caller's to save afterwards.
//!
//! # Entry points
//!
//! - [`apply`] with an [`ApplyContext`] returns an [`ApplyOutcome`]; a destroy is `apply` of a
//!   destroy plan (deletes only; the [`Resolver`] is never called, so no template is needed).
//! - [`action_graph`] orders a plan's operations ([`ActionGraph`]) or reports every cycle;
//!   `apply` calls it, and the CLI may call it first to refuse a plan before prompting.
//! - [`walk()`] is the generic walker underneath, knowing nothing about resources;
//!   [`schedule`] builds the graph it walks for the [`Schedule`] asked for, and computes the
//!   critical-path bound of a plan under a latency model ([`schedule::bound`]).
//! - [`LatencyModel`] holds the seconds each operation takes on AWS; [`typical_seconds`] reads
//!   the built-in one so long chains start first, and [`estimate`] gives a plan's expected apply
//!   time and critical path.
//!
//! # Invariants
//!
//! - Every provider call that creates or deletes something is preceded by a saved intent in
//!   `pending`; the write that records its result settles it. An intent left in `pending`
//!   means the outcome is not recorded (the call failed, or the process died); the next run
//!   resolves it (`recover.rs`: by tags, name or natural key) before it plans; see `action.rs`
//!   for what each operation writes.
//! - The state is written by one writer (`writer.rs`) that owns the `State` and the
//!   `StateStore` for the whole apply; operations send it messages and wait until their change
//!   is on disk before their dependents may start.
//! - At most `parallelism` operations run at once: a semaphore permit is held for exactly the
//!   length of each operation (`walk.rs`); the stack markers of [`Schedule::StackSerial`] take
//!   none.
//! - An operation starts only when everything it depends on has finished successfully; the
//!   dependents of a failed operation are skipped, never attempted.
//! - After cancellation nothing new starts and no new retry attempt is made; operations
//!   already running finish and are recorded.
//! - [`apply`] always returns the state, even when operations fail or a state write fails.
//! - Nothing is spawned: the operations and the writer all run inside the future `apply`
//!   returns (the writer beside the walk, with `tokio::join!`), so they may borrow from the
//!   caller, and dropping that future (a second Ctrl-C) stops everything at once.

mod action;
mod apply;
mod estimate;
mod events;
pub mod latency;
mod naming;
mod order;
mod progress;
mod recover;
pub mod remaining;
mod retry;
pub mod schedule;
pub mod walk;
mod writer;

pub use crate::apply::{ActionFailure, ApplyContext, ApplyOutcome, Resolver, apply};
pub use crate::estimate::{estimate, typical_seconds};
pub use crate::events::{Event, Operation};
pub use crate::latency::{LatencyModel, LatencyModelError};
pub use crate::naming::{ADDRESS_TAG, STACK_TAG, infra_tags};
pub use crate::order::{ActionGraph, ActionNode, OrderError, action_graph};
pub use crate::progress::STILL_RUNNING_EVERY;
pub use crate::recover::{RecoverError, deploy_path, provider_on, recover};
pub use crate::remaining::Remaining;
pub use crate::retry::{RetryPolicy, retry_reads};
pub use crate::schedule::Schedule;
pub use crate::walk::{
    NodeOutcome, NotADag, Step, WalkOptions, WalkReport, critical_path, longest_path, walk,
};
