//! Resource graph, diff and plan model.
//!
//! Today: the resource graph ([`graph`]) built from a flattened deployment, with inferred
//! dependencies and cycle reports. The diff, plan model and renderer build on it.
//!
//! **Architecture invariant:** this crate does no I/O and never calls AWS.

pub mod graph;
pub mod plan;
pub mod render;

pub use crate::graph::{GraphOptions, ResourceGraph, build};
pub use crate::plan::{Action, Estimate, Plan, ResourceChange};
