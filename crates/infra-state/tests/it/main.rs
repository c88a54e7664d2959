//! Integration tests of `infra-state`: state files, locks, the format's schema and golden files.

mod file;
mod fuzz;
mod lock;
mod roundtrip;
mod schema;
mod support;
