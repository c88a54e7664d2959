//! The apply and destroy scheduler: walks the resource graph with tokio, at most
//! `--parallelism` actions in flight, saving state after every action.
//!
//! The engine arrives with the apply issue; until then the crate is empty on purpose so that
//! the dependency direction (`infra-cli` → `infra-engine` → `infra-aws`) is fixed from the start.
