//! Scaling providers: Application Auto Scaling's scalable targets and scaling policies (an ECS
//! service's `DesiredCount`, ...), and what EC2 Auto Scaling hangs on a group besides the group
//! itself (`providers::compute::auto_scaling_group`): launch configurations, lifecycle hooks,
//! scaling policies and scheduled actions. One module per type, plus what they share.
//!
//! | type | module | `Ref` | `Fn::GetAtt` | refresh | find |
//! |---|---|---|---|---|---|
//! | `AWS::ApplicationAutoScaling::ScalableTarget` | [`scalable_target`] (+ [`target_actions`]) | `ResourceId\|ScalableDimension\|ServiceNamespace` | `Id` | batched per namespace | natural key |
//! | `AWS::ApplicationAutoScaling::ScalingPolicy` | [`app_policy`] | policy ARN | `Arn` | batched per namespace | natural key |
//! | `AWS::AutoScaling::LaunchConfiguration` | [`launch_configuration`] | name | | batched | name |
//! | `AWS::AutoScaling::LifecycleHook` | [`lifecycle_hook`] | name | | per group | natural key |
//! | `AWS::AutoScaling::ScalingPolicy` | [`asg_policy`] | policy ARN | `Arn`, `PolicyName` | batched | natural key |
//! | `AWS::AutoScaling::ScheduledAction` | [`scheduled_action`] | name | `ScheduledActionName` | batched | natural key |
//!
//! Shared: [`common`] (clients, every page of a describe call, the batched read, names infra
//! makes up for the two types whose name is read-only, what "already gone" looks like to a
//! delete, what refresh keeps of what AWS reports) and
//! [`group_object`] (the provider of a hook, an Auto Scaling policy or a scheduled action,
//! written once: each type says how through the `GroupObject` trait).
//! Reading the template into SDK requests, and the SDK's answers back into the template's
//! spelling for refresh, is generated from the schemas: `crates/infra-aws/mappings/autoscaling.toml`
//! and `applicationautoscaling.toml` (`generated/autoscaling.rs`, `applicationautoscaling.rs`).
//!
//! None of these types can be tagged in CloudFormation but the scalable target (tagged at
//! register with the template's and infra's tags); the others are found again by name or by
//! their natural key. Errors are classed by the kit's one table; besides it, Auto Scaling's
//! `ValidationError` "... not found" is "already gone" for a delete, as Terraform's AWS provider
//! reads it, and a create or update whose call names a group, target or role made a moment ago
//! is retried as eventually consistent.

mod app_policy;
mod asg_policy;
mod common;
mod group_object;
mod launch_configuration;
mod lifecycle_hook;
mod scalable_target;
mod scheduled_action;
mod target_actions;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let endpoint = |service| endpoint_for(config, service, None);
    let autoscaling = aws_sdk_autoscaling::Client::new(config);
    let svc = Service::new(autoscaling, "autoscaling", endpoint("autoscaling"));
    let name = "application-autoscaling";
    let app = aws_sdk_applicationautoscaling::Client::new(config);
    let app = Service::new(app, name, endpoint(name));
    let target = scalable_target::ScalableTargetProvider { svc: app.clone() };
    providers.insert(kit::native(target));
    providers.insert(kit::native(app_policy::AppPolicyProvider { svc: app }));
    let configuration = launch_configuration::LaunchConfigurationProvider { svc: svc.clone() };
    providers.insert(kit::native(configuration));
    let hook = lifecycle_hook::LifecycleHookProvider { svc: svc.clone() };
    providers.insert(kit::native(hook));
    let policy = asg_policy::AsgPolicyProvider { svc: svc.clone() };
    providers.insert(kit::native(policy));
    let action = scheduled_action::ScheduledActionProvider { svc };
    providers.insert(kit::native(action));
}
