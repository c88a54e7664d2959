//! The trait a provider implements ([`Provider`], plain `async fn`s and two constants) and
//! [`Native`], the one place that turns it into the engine's object-safe
//! [`ResourceProvider`] and keeps out of `find` what it must never return.

use std::collections::BTreeMap;
use std::future::Future;

use super::Ctx;

use crate::provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FindInput, Observation, ProviderError,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};

/// What `create` and `update` answer: the object's physical id and attributes.
pub(crate) type Made = Result<ResourceOutput, ProviderError>;
/// What `read` answers: what refresh saw of each resource, by address.
pub(crate) type Reads = Result<BTreeMap<String, Observation>, ProviderError>;
/// What `find` answers: the object an interrupted create made, if any.
pub(crate) type Found = Result<Option<ResourceOutput>, ProviderError>;

/// One resource type, as a provider writes it: its type name, what `infra types` says about it
/// and five operations, each an `async fn` in the implementation. The contract's rules (what
/// each call may assume and must guarantee) are [`ResourceProvider`]'s; wrap the provider in
/// [`Native`] (or call [`native`]) to register it.
pub(crate) trait Provider: Send + Sync + 'static {
    /// The CloudFormation type (`AWS::EC2::VPC`).
    const TYPE: &'static str;
    /// How it deploys, refreshes and finds its type.
    const COVERAGE: Coverage;

    /// Creates and waits until usable. Every call is given the [`Ctx`] naming its resource.
    fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> impl Future<Output = Made> + Send;

    /// Updates in place, converging from `input.before`.
    fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> impl Future<Output = Made> + Send;

    /// Deletes (idempotent) and waits until gone.
    fn delete(
        &self,
        ctx: Ctx<'_>,
        input: &DeleteInput,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send;

    /// Refreshes many resources of this type at once.
    fn read(&self, items: &[ReadInput]) -> impl Future<Output = Reads> + Send;

    /// Finds what an interrupted create made. It need not check [`FindInput::replacing`]:
    /// [`Native`] drops that object.
    fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> impl Future<Output = Found> + Send;
}

/// A [`Provider`] as the engine sees it: the boxed futures of [`ResourceProvider`].
#[derive(Debug)]
pub(crate) struct Native<P>(pub(crate) P);

/// `provider`, ready for [`crate::provider::Providers::insert`].
pub(crate) fn native<P: Provider>(provider: P) -> Box<dyn ResourceProvider> {
    Box::new(Native(provider))
}

impl<P: Provider> ResourceProvider for Native<P> {
    fn type_name(&self) -> &'static str {
        P::TYPE
    }

    fn coverage(&self) -> Coverage {
        P::COVERAGE
    }

    fn create<'a>(&'a self, input: &'a CreateInput) -> BoxFuture<'a, Made> {
        Box::pin(self.0.create(Ctx::new(P::TYPE, &input.address), input))
    }

    fn update<'a>(&'a self, input: &'a UpdateInput) -> BoxFuture<'a, Made> {
        Box::pin(self.0.update(Ctx::new(P::TYPE, &input.address), input))
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(self.0.delete(Ctx::new(P::TYPE, &input.address), input))
    }

    fn read<'a>(&'a self, items: &'a [ReadInput]) -> BoxFuture<'a, Reads> {
        Box::pin(self.0.read(items))
    }

    /// What the provider found, unless it is the object a replacement replaces
    /// ([`FindInput::replacing`]): that one carries the same `infra:*` tags and may match the
    /// same natural key, and is never the answer.
    fn find<'a>(&'a self, input: &'a FindInput) -> BoxFuture<'a, Found> {
        Box::pin(async move {
            let found = self.0.find(Ctx::new(P::TYPE, &input.address), input);
            let found = found.await?;
            Ok(found.filter(|o| input.replacing.as_deref() != Some(o.physical_id.as_str())))
        })
    }
}
