//! State model and file backend.
