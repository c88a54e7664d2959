//! Compute providers: `AWS::EC2::LaunchTemplate`, `AWS::AutoScaling::AutoScalingGroup` and
//! `AWS::Lambda::Function`, one module each, all of the same shape (the template's properties
//! parsed and checked, then create / update / delete / batched read).
//!
//! | type | module | `Ref` | `Fn::GetAtt` | waits for |
//! |---|---|---|---|---|
//! | `AWS::EC2::LaunchTemplate` | [`launch_template`] | launch template id | `LaunchTemplateId`, `LatestVersionNumber`, `DefaultVersionNumber` | |
//! | `AWS::AutoScaling::AutoScalingGroup` | [`auto_scaling_group`] | group name | `AutoScalingGroupARN`, and the group's own values (`MinSize`, `LaunchTemplate.Version`, ...) | instances in service; gone after a force delete |
//! | `AWS::Lambda::Function` | [`lambda_function`] | function name | `Arn`, `SnapStartResponse.*` | `State` `Active`; `LastUpdateStatus` `Successful` |
//! | `AWS::Lambda::Permission` | [`lambda_permission`] | `<function ARN>\|<statement id>` | `Id` | |
//!
//! The Auto Scaling group's delete is step 3 of the native teardown that replaces
//! `Custom::AsgDestroyer` (DESIGN.md): DeleteAutoScalingGroup with `ForceDelete`, then wait until
//! the group is gone.
//!
//! # Finding what an interrupted create made
//!
//! `find` only reads and returns what `create` returns, or `None`. Every type here is found by
//! its name (the name property, else the generated name) and counts only when it carries the
//! `infra:*` tags the create was given and is not the object a replacement replaces: the launch
//! template with DescribeLaunchTemplates `LaunchTemplateNames`, the Auto Scaling group with
//! DescribeAutoScalingGroups (a group whose `Status` is `Delete in progress` does not count),
//! the function with GetFunction. A retried create adopts with the same lookups.
//!
//! # Properties
//!
//! Every property CloudFormation documents for these types is either mapped to the API or
//! refused with a fatal error that names it (with its path, such as
//! `LaunchTemplateData.InstanceRequirements`) and says why; nothing is silently dropped. Each
//! module's comment lists what it maps and what it refuses.
//!
//! # Error classes
//!
//! | AWS error | class |
//! |---|---|
//! | throttled after the SDK's retries, endpoint unreachable, HTTP 5xx, `InternalError`, `InternalFailure`, `ServiceUnavailable`, `Unavailable`, `ServiceException` (Lambda), `EC2UnexpectedException`, `ResourceNotReadyException`, `ResourceContention` (Auto Scaling: another update pending), `ResourceConflictException` (Lambda: an update in progress) | [`FailureClass::Retryable`] |
//! | any `*NotFound` / `*NotFoundException` code, Lambda's `ResourceNotFoundException`, Auto Scaling's `ValidationError` "AutoScalingGroup name not found" | [`FailureClass::NotFound`] (success for a delete) |
//! | Auto Scaling's `ScalingActivityInProgress` and `ResourceInUse` | [`FailureClass::DependencyViolation`] (the engine retries while they drain) |
//! | Lambda's `InvalidParameterValueException` "The role defined for the function cannot be assumed by Lambda" / "The provided execution role does not have permissions", EC2 / Auto Scaling "Invalid IAM Instance Profile" | [`FailureClass::EventuallyConsistent`]: IAM propagation (Terraform's AWS provider retries exactly these) |
//! | anything else (access denied, invalid parameters, limits, ...) | [`FailureClass::Fatal`] |
//!
//! In a create, a not-found error names something the new resource refers to (a launch
//! template, a subnet) that the service does not show yet; it is reported
//! [`FailureClass::EventuallyConsistent`] so the engine retries for a bounded time.
//!
//! Messages name the type, the address, what was being done, the operation and AWS's code and
//! message, never a credential ([`crate::error`] redacts). The classes come from the kit's one
//! table for every service (`providers::kit::errors`).
//!
//! [`FailureClass::Retryable`]: crate::provider::FailureClass::Retryable
//! [`FailureClass::NotFound`]: crate::provider::FailureClass::NotFound
//! [`FailureClass::DependencyViolation`]: crate::provider::FailureClass::DependencyViolation
//! [`FailureClass::EventuallyConsistent`]: crate::provider::FailureClass::EventuallyConsistent
//! [`FailureClass::Fatal`]: crate::provider::FailureClass::Fatal

pub mod auto_scaling_group;
pub mod lambda_function;
pub mod lambda_permission;
pub mod launch_template;

use std::collections::BTreeMap;

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

// Lambda's and Auto Scaling's failed calls are classed by the kit's table alone.
impl Classify for Service<aws_sdk_lambda::Client> {}
impl Classify for Service<aws_sdk_autoscaling::Client> {}

/// The types this module provides.
pub const TYPES: &[&str] = &[
    launch_template::TYPE,
    auto_scaling_group::TYPE,
    lambda_function::TYPE,
    lambda_permission::TYPE,
];

/// Registers the compute providers with clients built from `config`.
pub fn register(providers: &mut Providers, config: &SdkConfig) {
    let clients = Clients {
        ec2: aws_sdk_ec2::Client::new(config),
        autoscaling: aws_sdk_autoscaling::Client::new(config),
        lambda: aws_sdk_lambda::Client::new(config),
    };
    register_clients(providers, &clients, &|service| {
        endpoint_for(config, service, None)
    });
}

/// The clients the compute providers call.
#[derive(Debug, Clone)]
pub struct Clients {
    /// Launch templates.
    pub ec2: aws_sdk_ec2::Client,
    /// Auto Scaling groups.
    pub autoscaling: aws_sdk_autoscaling::Client,
    /// Lambda functions.
    pub lambda: aws_sdk_lambda::Client,
}

/// Registers the compute providers with clients of the caller's making (tests add
/// interceptors); `endpoint` names where a service's requests go (its endpoint prefix:
/// `ec2`, `autoscaling`, `lambda`), for "cannot reach" messages.
pub fn register_clients(
    providers: &mut Providers,
    clients: &Clients,
    endpoint: &dyn Fn(&str) -> String,
) {
    let svc = Service::new(clients.ec2.clone(), "ec2", endpoint("ec2"));
    providers.insert(kit::native(launch_template::LaunchTemplateProvider { svc }));
    let (client, name) = (clients.autoscaling.clone(), "autoscaling");
    let svc = Service::new(client, name, endpoint(name));
    let group = auto_scaling_group::AutoScalingGroupProvider { svc };
    providers.insert(kit::native(group));
    let svc = Service::new(clients.lambda.clone(), "lambda", endpoint("lambda"));
    let function = lambda_function::LambdaFunctionProvider { svc: svc.clone() };
    providers.insert(kit::native(function));
    providers.insert(kit::native(lambda_permission::PermissionProvider { svc }));
}

/// A create found its name taken (by `what`, `group g`): it goes on when the object there (`found`:
/// its tags, `None` when it is not visible) carries this resource's infra tags, for an earlier
/// attempt at this resource made it in one call with them. Not visible is retried (`hidden` says
/// why); another's object fails ([`kit::not_ours`] of `named`: the noun and the name property).
pub(crate) fn adopted(
    ctx: Ctx<'_>,
    input: &CreateInput,
    found: Option<BTreeMap<String, String>>,
    hidden: String,
    what: &str,
    (noun, property): (&str, &str),
) -> Result<(), ProviderError> {
    let tags = found.ok_or_else(|| ctx.error(FailureClass::Retryable, hidden))?;
    if kit::owned_by(&tags, &input.tags) {
        return Ok(());
    }
    let doing = format!("creating {what}");
    Err(kit::not_ours(ctx, &doing, noun, property))
}

/// A batched read's context (its first item's) and the distinct physical ids of `items`, in
/// order; `None` when there is nothing to read.
pub(crate) fn batch<'a>(
    type_name: &'static str,
    items: &'a [ReadInput],
) -> Option<(Ctx<'a>, Vec<String>)> {
    let first = items.first()?;
    let mut ids: Vec<String> = Vec::new();
    for item in items {
        if !item.physical_id.is_empty() && !ids.contains(&item.physical_id) {
            ids.push(item.physical_id.clone());
        }
    }
    Some((Ctx::new(type_name, &first.address), ids))
}

/// The last state a waiter saw, for its timeout message (shared by the polls of one wait).
#[derive(Debug, Default)]
pub(crate) struct LastSeen(std::sync::Mutex<String>);

impl LastSeen {
    /// Records what a poll saw.
    pub(crate) fn set(&self, text: impl Into<String>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = text.into();
    }

    /// What the last poll saw.
    pub(crate) fn get(&self) -> String {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Whether two property values say the same: scalars by their text (`"1"` and `1`), lists
/// and objects item by item; absent and null are the same (the kit's [`kit::as_written`]).
pub(crate) fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (a.unwrap_or(&Value::Null), b.unwrap_or(&Value::Null));
    kit::as_written(b.clone(), Some(a)) == *a
}

/// Whether property `key` differs between two property objects.
pub(crate) fn changed(before: &Value, after: &Value, key: &str) -> bool {
    !same_value(before.get(key), after.get(key))
}

#[cfg(test)]
mod tests;
