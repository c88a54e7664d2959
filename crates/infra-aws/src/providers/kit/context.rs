//! Who is calling what: the [`Ctx`] naming the resource a provider call is about (and the
//! [`ProviderError`]s it builds), the [`Api`] that turns a failed SDK call into an
//! [`AwsError`], and [`Service`], a client with its [`Api`].

use std::borrow::Borrow;
use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::errors::class_of;
use crate::error::{AwsError, Call, classify};
use crate::provider::{FailureClass, ProviderError};

/// One AWS service as the providers call it: its name in messages and the endpoint label used
/// when it cannot be reached.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    service: &'static str,
    endpoint: String,
}

impl Api {
    /// `service` as IAM spells it (`iam`, `logs`); `endpoint` names where requests go.
    pub(crate) fn new(service: &'static str, endpoint: impl Into<String>) -> Self {
        Api {
            service,
            endpoint: endpoint.into(),
        }
    }

    /// Classifies a failed call, named by its error type ([`operation_of`]).
    pub(crate) fn err<E>(&self, err: SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let call = Call::new(self.service, operation_of::<E>(), self.endpoint.clone());
        classify(err, &call)
    }
}

/// The operation whose error type is `E`, as AWS names it: `PutImageTagMutability` for ECR's
/// `PutImageTagMutabilityError` (the SDK names every operation's error so; a unit test pins
/// it), so no call site spells the name its request builder already says.
pub(crate) fn operation_of<E>() -> &'static str {
    type_tail::<E>("Error")
}

/// The operation a request builder sends: `PutBucketVersioning` for S3's
/// `PutBucketVersioningFluentBuilder`, for a message that names the call before it is made.
pub(crate) fn requested<B>(_: &B) -> &'static str {
    type_tail::<B>("FluentBuilder")
}

/// The last segment of `T`'s path without `suffix`.
fn type_tail<T>(suffix: &str) -> &'static str {
    let path = std::any::type_name::<T>();
    let name = path.rsplit("::").next().unwrap_or(path);
    name.strip_suffix(suffix).unwrap_or(name)
}

/// The endpoint label of a client whose configured URL the provider cannot see (clients do not
/// expose it): the region, so an "unreachable" message still says where.
pub(crate) fn endpoint_label(service: &str, region: Option<&str>) -> String {
    match region {
        Some(region) => format!("for {service} in {region}"),
        None => format!("for {service}"),
    }
}

/// Which resource a provider call is about, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// `AWS::IAM::Role`.
    pub(crate) type_name: &'static str,
    /// `ServiceStack.TaskRole`.
    pub(crate) address: &'a str,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(type_name: &'static str, address: &'a str) -> Self {
        Ctx { type_name, address }
    }

    /// `creating VpcStack.VPC (AWS::EC2::VPC)`: what a call does to this resource, for
    /// messages.
    pub(crate) fn doing(&self, verb: &str) -> String {
        format!("{verb} {} ({})", self.address, self.type_name)
    }

    /// A fatal error about this resource.
    pub(crate) fn fatal(&self, message: impl std::fmt::Display) -> ProviderError {
        ProviderError::fatal(format!("{} {}: {message}", self.type_name, self.address))
    }

    /// An error of `class` about this resource.
    pub(crate) fn error(
        &self,
        class: FailureClass,
        message: impl std::fmt::Display,
    ) -> ProviderError {
        ProviderError {
            class,
            message: format!("{} {}: {message}", self.type_name, self.address),
        }
    }

    /// A failed AWS call while `doing` something, classed by [`class_of`].
    pub(crate) fn fail(
        &self,
        doing: impl std::fmt::Display,
        err: impl Borrow<AwsError>,
    ) -> ProviderError {
        let err = err.borrow();
        self.error(class_of(err), format!("{doing}: {err}"))
    }

    /// A failed AWS call that names another resource (a role, a policy, a principal, a
    /// cluster, a target group) which may have been created a moment ago: "does not exist" is
    /// then eventual consistency, for the engine to retry for a bounded time, not a missing
    /// resource of our own.
    pub(crate) fn fail_referencing(
        &self,
        doing: impl std::fmt::Display,
        err: impl Borrow<AwsError>,
    ) -> ProviderError {
        self.fail_referencing_except(None, doing, err)
    }

    /// [`Ctx::fail_referencing`], except for the code `itself`, which says the resource being
    /// changed is gone (`ListenerNotFound` for ModifyListener): that one stays
    /// [`FailureClass::NotFound`].
    pub(crate) fn fail_referencing_except(
        &self,
        itself: Option<&str>,
        doing: impl std::fmt::Display,
        err: impl Borrow<AwsError>,
    ) -> ProviderError {
        let err = err.borrow();
        let class = match class_of(err) {
            FailureClass::NotFound if err.code() != itself => FailureClass::EventuallyConsistent,
            other => other,
        };
        self.error(class, format!("{doing}: {err}"))
    }
}

/// A service client as the providers call it, with its [`Api`].
#[derive(Debug, Clone)]
pub(crate) struct Service<C> {
    /// The SDK client.
    pub(crate) client: C,
    /// How its errors are named.
    pub(crate) api: Api,
}

impl<C> Service<C> {
    /// `client` of `service` (as IAM spells it: `ecs`, `lambda`), calling `endpoint`.
    pub(crate) fn new(client: C, service: &'static str, endpoint: impl Into<String>) -> Self {
        Service {
            client,
            api: Api::new(service, endpoint),
        }
    }

    /// Classifies a failed call.
    pub(crate) fn err<E>(&self, err: SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        self.api.err(err)
    }

    /// A failed call while `doing` something, which names the resource.
    pub(crate) fn error<E>(&self, doing: &str, err: SdkError<E, HttpResponse>) -> ProviderError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        super::errors::fail(doing, self.err(err))
    }

    /// A failed call while `doing` something about the resource of `ctx`.
    pub(crate) fn fail<E>(
        &self,
        ctx: Ctx<'_>,
        doing: impl std::fmt::Display,
        err: SdkError<E, HttpResponse>,
    ) -> ProviderError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        ctx.fail(doing, self.err(err))
    }
}

/// A call sent (`request.send()`), answered in a provider's terms: `.answer(&svc, ctx,
/// "reserving concurrency ...").await` is the SDK's answer, or the
/// failure classified by the kit's table and naming the resource of `ctx` and what was being
/// done.
pub(crate) trait Answer<T, E>:
    std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>> + Sized
{
    /// The answer, or the classified failure.
    fn answer<C>(
        self,
        svc: &Service<C>,
        ctx: Ctx<'_>,
        doing: impl std::fmt::Display,
    ) -> impl std::future::Future<Output = Result<T, ProviderError>>
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        async move { self.await.map_err(|e| svc.fail(ctx, doing, e)) }
    }
}

impl<F, T, E> Answer<T, E> for F
where
    F: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
}
