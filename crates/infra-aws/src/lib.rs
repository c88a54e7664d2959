//! AWS resource providers: one module per resource type, each with create, batched read,
//! update and delete, what `Ref` and `Fn::GetAtt` return, waiters and error classes.
//!
//! Only this crate calls AWS. The providers arrive with the apply engine; until then the crate
//! is empty on purpose so that the dependency direction (`infra-engine` → `infra-aws`) is fixed
//! from the start.
