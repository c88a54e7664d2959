//! Compute providers: `AWS::EC2::LaunchTemplate`, `AWS::AutoScaling::AutoScalingGroup` and
//! `AWS::Lambda::Function`, one module each, all of the same shape (the template's properties
//! parsed and checked, then create / update / delete / batched read).
//!
//! | type | module | `Ref` | `Fn::GetAtt` | waits for |
//! |---|---|---|---|---|
//! | `AWS::EC2::LaunchTemplate` | [`launch_template`] | launch template id | `LaunchTemplateId`, `LatestVersionNumber`, `DefaultVersionNumber` | |
//! | `AWS::AutoScaling::AutoScalingGroup` | [`auto_scaling_group`] | group name | `AutoScalingGroupARN`, and the group's own values (`MinSize`, `LaunchTemplate.Version`, ...) | instances in service; gone after a force delete |
//! | `AWS::Lambda::Function` | [`lambda_function`] | function name | `Arn`, `SnapStartResponse.*` | `State` `Active`; `LastUpdateStatus` `Successful` |
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
//! `LaunchTemplateData/InstanceRequirements`) and says why; nothing is silently dropped. Each
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
//! message, never a credential ([`crate::error`] redacts).

pub mod auto_scaling_group;
pub mod lambda_function;
pub mod launch_template;
mod props;

use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::iam::common::{Api, Ctx};
use crate::config::endpoint_for;
use crate::error::AwsError;
use crate::provider::{FailureClass, ProviderError, Providers};

pub(crate) use props::{Node, changed, child_path, same_value};

/// The top-level properties of each type refused whatever their value (the names of its
/// `UNSUPPORTED` table; the launch template refuses only nested ones).
static ASG_REFUSED: [&str; auto_scaling_group::UNSUPPORTED.len()] =
    super::names(auto_scaling_group::UNSUPPORTED);
static LAMBDA_REFUSED: [&str; lambda_function::UNSUPPORTED.len()] =
    super::names(lambda_function::UNSUPPORTED);

/// The top-level properties `type_name` refuses whatever their value, `None` for a type this
/// module does not provide.
pub(crate) fn refused_properties(type_name: &str) -> Option<&'static [&'static str]> {
    let refused: &'static [&'static str] = match type_name {
        auto_scaling_group::TYPE => &ASG_REFUSED,
        lambda_function::TYPE => &LAMBDA_REFUSED,
        launch_template::TYPE => &[],
        _ => return None,
    };
    Some(refused)
}

/// The types this module provides.
pub const TYPES: &[&str] = &[
    launch_template::TYPE,
    auto_scaling_group::TYPE,
    lambda_function::TYPE,
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
    providers.insert(Box::new(launch_template::LaunchTemplateProvider {
        svc: Svc::new(clients.ec2.clone(), "ec2", endpoint("ec2")),
    }));
    providers.insert(Box::new(auto_scaling_group::AutoScalingGroupProvider {
        svc: Svc::new(
            clients.autoscaling.clone(),
            "autoscaling",
            endpoint("autoscaling"),
        ),
    }));
    providers.insert(Box::new(lambda_function::LambdaFunctionProvider {
        svc: Svc::new(clients.lambda.clone(), "lambda", endpoint("lambda")),
    }));
}

/// A service client and how its errors are named and classed.
#[derive(Debug, Clone)]
pub(crate) struct Svc<C> {
    pub(crate) client: C,
    api: Api,
}

impl<C> Svc<C> {
    fn new(client: C, service: &'static str, endpoint: String) -> Self {
        Svc {
            client,
            api: Api::new(service, endpoint),
        }
    }

    /// Classifies a failed call of `operation`.
    pub(crate) fn err<E>(&self, operation: &str, err: SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        self.api.err(operation, err)
    }

    /// A failed call while `doing` something about the resource of `ctx`, classed by
    /// [`class_of`].
    pub(crate) fn fail<E>(
        &self,
        ctx: Ctx<'_>,
        operation: &str,
        doing: impl std::fmt::Display,
        err: SdkError<E, HttpResponse>,
    ) -> ProviderError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        fail(ctx, doing, &self.err(operation, err))
    }
}

/// A classified AWS error about the resource of `ctx`.
pub(crate) fn fail(ctx: Ctx<'_>, doing: impl std::fmt::Display, err: &AwsError) -> ProviderError {
    ctx.error(class_of(err), format!("{doing}: {err}"))
}

/// In a create, "not found" names something the new resource refers to that the service does
/// not show yet (see the module comment).
pub(crate) fn on_create(err: ProviderError) -> ProviderError {
    if err.class == FailureClass::NotFound {
        ProviderError {
            class: FailureClass::EventuallyConsistent,
            ..err
        }
    } else {
        err
    }
}

/// Codes that mean "try again later" although they are not throttling.
const RETRYABLE_CODES: &[&str] = &[
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "Unavailable",
    "ServiceException",
    "EC2UnexpectedException",
    "ResourceNotReadyException",
    "ResourceContention",
    "ResourceConflictException",
];

/// Auto Scaling codes that say something is still going on with the group.
const IN_USE_CODES: &[&str] = &["ScalingActivityInProgress", "ResourceInUse"];

/// Messages of IAM propagation errors (a role or instance profile created a moment ago).
const PROPAGATION_MESSAGES: &[&str] = &[
    "cannot be assumed by Lambda",
    "The provided execution role does not have permissions",
    "Invalid IAM Instance Profile",
];

/// The class of a classified AWS error (see the module comment).
pub(crate) fn class_of(err: &AwsError) -> FailureClass {
    match err {
        AwsError::Throttled { .. } | AwsError::Unreachable { .. } => FailureClass::Retryable,
        AwsError::BadResponse { status, .. } if *status >= 500 => FailureClass::Retryable,
        AwsError::Service { code, message, .. } => code_class(code, message),
        _ => FailureClass::Fatal,
    }
}

/// The class of an error code and message.
pub(crate) fn code_class(code: &str, message: &str) -> FailureClass {
    if RETRYABLE_CODES.contains(&code) || code.starts_with("HTTP 5") {
        FailureClass::Retryable
    } else if IN_USE_CODES.contains(&code) {
        FailureClass::DependencyViolation
    } else if code.ends_with("NotFound")
        || code.ends_with("NotFoundException")
        || (code == "ValidationError" && group_not_found(message))
    {
        FailureClass::NotFound
    } else if PROPAGATION_MESSAGES.iter().any(|m| message.contains(m)) {
        FailureClass::EventuallyConsistent
    } else {
        FailureClass::Fatal
    }
}

/// Whether an Auto Scaling `ValidationError` says the group does not exist
/// ("AutoScalingGroup name not found - ...", "Group x not found"), as Terraform's provider
/// reads it.
pub(crate) fn group_not_found(message: &str) -> bool {
    message.contains("AutoScalingGroup name not found")
        || (message.starts_with("Group ") && message.contains(" not found"))
}

/// Whether a classified error says that what was asked for does not exist.
pub(crate) fn is_not_found(err: &AwsError) -> bool {
    class_of(err) == FailureClass::NotFound
}

/// The name an interrupted create used (for `find`): the name property, else
/// [`crate::provider::FindInput::name`] (the generated one).
pub(crate) fn name_to_find(
    input: &crate::provider::FindInput,
    ctx: Ctx<'_>,
    property: &str,
) -> Result<String, ProviderError> {
    input
        .properties
        .get(property)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .or_else(|| input.name.clone())
        .ok_or_else(|| {
            ctx.fatal(format!(
                "{property} is not set and no name was given to find"
            ))
        })
}

/// `found`, unless it is the object a replacement replaces
/// ([`crate::provider::FindInput::replacing`], which carries the same tags).
pub(crate) fn not_replaced(
    found: Option<crate::provider::ResourceOutput>,
    input: &crate::provider::FindInput,
) -> Option<crate::provider::ResourceOutput> {
    found.filter(|out| input.replacing.as_deref() != Some(out.physical_id.as_str()))
}

/// The last state a waiter saw, for its timeout message (shared by the polls of one wait).
#[derive(Debug, Default)]
pub(crate) struct LastSeen(std::sync::Mutex<String>);

impl LastSeen {
    /// Starts with `text`.
    pub(crate) fn new(text: impl Into<String>) -> Self {
        LastSeen(std::sync::Mutex::new(text.into()))
    }

    /// Records what a poll saw.
    pub(crate) fn set(&self, text: impl Into<String>) {
        let mut last = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *last = text.into();
    }

    /// What the last poll saw.
    pub(crate) fn get(&self) -> String {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Implements [`crate::provider::ResourceProvider`] for a provider with inherent `do_create`,
/// `do_update`, `do_delete`, `do_read` and `do_find` methods, and its
/// [`crate::provider::Coverage`].
macro_rules! provider_impl {
    ($provider:ty, $type_name:expr, $coverage:expr) => {
        impl $crate::provider::ResourceProvider for $provider {
            fn type_name(&self) -> &'static str {
                $type_name
            }

            fn coverage(&self) -> $crate::provider::Coverage {
                $coverage
            }

            fn create<'a>(
                &'a self,
                input: &'a $crate::provider::CreateInput,
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<$crate::provider::ResourceOutput, $crate::provider::ProviderError>,
            > {
                Box::pin(self.do_create(input))
            }

            fn update<'a>(
                &'a self,
                input: &'a $crate::provider::UpdateInput,
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<$crate::provider::ResourceOutput, $crate::provider::ProviderError>,
            > {
                Box::pin(self.do_update(input))
            }

            fn delete<'a>(
                &'a self,
                input: &'a $crate::provider::DeleteInput,
            ) -> $crate::provider::BoxFuture<'a, Result<(), $crate::provider::ProviderError>> {
                Box::pin(self.do_delete(input))
            }

            fn read<'a>(
                &'a self,
                items: &'a [$crate::provider::ReadInput],
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<
                    std::collections::BTreeMap<String, $crate::provider::Observation>,
                    $crate::provider::ProviderError,
                >,
            > {
                Box::pin(self.do_read(items))
            }

            fn find<'a>(
                &'a self,
                input: &'a $crate::provider::FindInput,
            ) -> $crate::provider::BoxFuture<
                'a,
                Result<Option<$crate::provider::ResourceOutput>, $crate::provider::ProviderError>,
            > {
                Box::pin(self.do_find(input))
            }
        }
    };
}
use provider_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_classes() {
        assert_eq!(
            code_class("InvalidLaunchTemplateId.NotFound", ""),
            FailureClass::NotFound
        );
        assert_eq!(
            code_class("InvalidLaunchTemplateName.NotFoundException", ""),
            FailureClass::NotFound
        );
        assert_eq!(
            code_class("ResourceNotFoundException", "Function not found"),
            FailureClass::NotFound
        );
        assert_eq!(
            code_class(
                "ValidationError",
                "AutoScalingGroup name not found - AutoScalingGroup 'x' not found"
            ),
            FailureClass::NotFound
        );
        assert_eq!(
            code_class("ValidationError", "Max bound, 1, must be greater than min"),
            FailureClass::Fatal
        );
        assert_eq!(
            code_class("ScalingActivityInProgress", "x"),
            FailureClass::DependencyViolation
        );
        assert_eq!(
            code_class("ResourceInUse", "x"),
            FailureClass::DependencyViolation
        );
        assert_eq!(
            code_class("ResourceConflictException", "update in progress"),
            FailureClass::Retryable
        );
        assert_eq!(
            code_class(
                "InvalidParameterValueException",
                "The role defined for the function cannot be assumed by Lambda."
            ),
            FailureClass::EventuallyConsistent
        );
        assert_eq!(
            code_class("InvalidParameterValueException", "Unzipped size too big"),
            FailureClass::Fatal
        );
    }
}
