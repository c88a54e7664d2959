//! The operations of `infra`: the pipeline above the engine, between the command line and the
//! libraries that load, plan, apply and call AWS.
//!
//! - [`session`]: [`Session`], AWS access for one command (its runtime, the opaque
//!   [`infra_aws::AwsSession`], the providers, the backend whose states hold exports);
//! - [`lookups`]: the plan-time lookups, retried while AWS throttles;
//! - [`refresh`]: one batched read per resource type, every type concurrently, and how
//!   `infra refresh` records what AWS reports;
//! - [`checks`]: `--target` addresses and refused properties, before any AWS call;
//! - [`exports`]: exports and imports across stacks, gathered and checked;
//! - [`planning`]: a plan with a template or from the state alone, and its expected time;
//! - [`binding`]: the template's hash and the checks that a saved plan still applies;
//! - [`resolver`]: the template re-evaluated once per published state during an apply;
//! - [`apply`]: the NoEcho values of an apply and what it records before its first operation;
//! - [`artifacts`]: the packages of local code paths uploaded before an apply;
//! - [`outputs`]: the root outputs and imports recorded after an apply;
//! - [`import`]: one existing resource read as a state record;
//! - [`adopt`]: a CloudFormation stack's resources adopted, the stack released.
//!
//! Nothing here prints or prompts: functions return plain data and typed errors, and take
//! callbacks where the caller shows progress. The engine never depends on this crate.

pub mod adopt;
pub mod apply;
pub mod artifacts;
pub mod binding;
pub mod checks;
pub mod dynamic;
pub mod exports;
pub mod import;
pub mod lookups;
pub mod outputs;
pub mod planning;
pub mod refresh;
pub mod resolver;
pub mod sensitive;
pub mod session;

pub use crate::binding::template_sha256;
pub use crate::planning::{
    PlanError, PlanFlags, Planned, TemplateInput, add_estimate, destroy_plan, plan_with_template,
};
pub use crate::resolver::{NoTemplate, TemplateResolver};
pub use crate::session::{Session, SessionError};
