//! Template parsing and evaluation.
pub mod diagnostic;
pub mod node;
pub mod source;
pub mod yaml;
