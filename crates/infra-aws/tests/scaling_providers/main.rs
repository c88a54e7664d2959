//! The scaling providers (Application Auto Scaling's scalable targets and policies; EC2 Auto
//! Scaling's launch configurations, lifecycle hooks, policies and scheduled actions) against
//! the AWS API emulator (moto server; `scripts/setup-emulator`): create → find → read → update
//! → delete → read for each, every check made through the AWS API itself.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "../../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

mod app;
mod asg;
mod harness;
