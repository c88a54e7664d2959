//! The compute providers (`AWS::EC2::LaunchTemplate`, `AWS::AutoScaling::AutoScalingGroup`,
//! `AWS::Lambda::Function`) against the AWS API emulator (moto server;
//! `scripts/setup-emulator`): create → read → update → delete → read for each, every check
//! made through the AWS API itself.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "../../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

mod auto_scaling_group;
mod cross_type;
mod harness;
mod lambda;
mod launch_template;
