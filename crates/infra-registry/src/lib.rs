//! Resource type registry.
