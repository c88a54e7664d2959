//! The provider contract: what the engine asks of a resource type, in plain data — the
//! [`ResourceProvider`] trait, its inputs and outputs, [`FailureClass`] and [`ProviderError`],
//! and [`Providers`], the registry by type name.
//!
//! Every supported type implements [`ResourceProvider`] once (in `infra-aws`). The engine calls
//! it and never names an SDK type; tests drive the engine with fake providers.
//!
//! Contract (what each call may assume and must guarantee):
//! - `create` gets fully known properties (every `Ref`/`GetAtt` resolved) plus the tags every
//!   taggable resource carries (`infra:stack`, `infra:address`, applied in the create call where
//!   the API allows, so no untagged window) and, for types with a name property the template
//!   left out, the generated name to use. It returns only once the resource is usable (waiters
//!   included), with the physical id (= what `Ref` returns) and every `Fn::GetAtt` attribute.
//!   On error nothing may be left half-made that the next run cannot find by tag or name.
//! - `update` changes in place what `create` would have made from `after`; it never replaces.
//! - `delete` is idempotent: a resource already gone is success.
//! - `read` is batched: one call per type and page where the API allows; it reports each
//!   requested address as present (with the properties infra manages, as the template would
//!   write them) or gone.
//! - `find` locates what an interrupted `create` may have made, from what the create was asked
//!   (see [`FindInput`]), and returns what `create` would have returned. It only reads. It
//!   never returns an object that carries `infra:*` tags of another stack or address: a name
//!   that is taken by someone else is not ours to adopt. Types that cannot be tagged are found
//!   by their natural key (a route by table and destination, an association by subnet, ...).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use crate::checkpoint::Checkpoint;
use crate::coverage::{Coverage, DeployPath};

/// A boxed future, so the trait stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A resource to create.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateInput {
    /// `VpcStack.VPC`.
    pub address: String,
    /// `AWS::EC2::VPC`.
    pub type_name: String,
    /// Fully known properties.
    pub properties: serde_json::Value,
    /// Tags to add besides the template's own (`infra:stack`, `infra:address`).
    pub tags: BTreeMap<String, String>,
    /// The name to give it when the template sets none and the type has a name property.
    pub generated_name: Option<String>,
    /// Where the create saves what finds it again after a crash (see [`Checkpoint`]), and the
    /// key unique to its intent.
    pub checkpoint: Checkpoint,
}

/// What exists after a create or update.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceOutput {
    /// What `Ref` returns (a VPC id, a role name, an ARN, ...).
    pub physical_id: String,
    /// Every `Fn::GetAtt` attribute known for it.
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// An in-place change.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateInput {
    /// The address.
    pub address: String,
    /// The type.
    pub type_name: String,
    /// The physical id.
    pub physical_id: String,
    /// Properties as last applied.
    pub before: serde_json::Value,
    /// Desired properties, fully known.
    pub after: serde_json::Value,
    /// Attributes recorded at create.
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// The infra tags (as at create).
    pub tags: BTreeMap<String, String>,
}

/// A deletion.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteInput {
    /// The address.
    pub address: String,
    /// The type.
    pub type_name: String,
    /// The physical id.
    pub physical_id: String,
    /// Properties as last applied.
    pub properties: serde_json::Value,
    /// Attributes recorded at create.
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// What an interrupted create was asked to make: enough to find it again.
#[derive(Debug, Clone, PartialEq)]
pub struct FindInput {
    /// The address.
    pub address: String,
    /// The type.
    pub type_name: String,
    /// The properties the create was called with (fully known; a generated name included).
    pub properties: serde_json::Value,
    /// The `infra:stack` and `infra:address` tags it was created with (empty for types that
    /// cannot be tagged).
    pub tags: BTreeMap<String, String>,
    /// The name it was created with (given or generated), for types that have one.
    pub name: Option<String>,
    /// For a replacement, the physical id of the object it replaces. That object carries the
    /// same `infra:*` tags (and, for natural keys, may match too): it is never the answer.
    pub replacing: Option<String>,
    /// What the create saved while it ran ([`Checkpoint::last`]), and its key.
    pub checkpoint: Checkpoint,
}

/// One resource to refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadInput {
    /// The address.
    pub address: String,
    /// The type (every item of one `read` call has the same).
    pub type_name: String,
    /// The physical id.
    pub physical_id: String,
    /// Properties as last applied (which keys infra manages).
    pub properties: serde_json::Value,
    /// Attributes recorded at create.
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// What refresh saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// It no longer exists.
    Gone,
    /// It exists with these properties and attributes.
    Present {
        /// Properties as the template would write them.
        properties: serde_json::Value,
        /// Attributes now.
        attributes: BTreeMap<String, serde_json::Value>,
    },
}

/// How an error should be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// Try again with backoff (throttling, 5xx, transient network).
    Retryable,
    /// The resource does not exist.
    NotFound,
    /// Something still uses it (delete before its dependents are gone); retry while they drain.
    DependencyViolation,
    /// A resource just created is not visible yet (IAM propagation); retry for a bounded time.
    EventuallyConsistent,
    /// Anything else: report and stop this branch.
    Fatal,
}

/// A failed provider call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    /// How to handle it.
    pub class: FailureClass,
    /// What went wrong, naming the operation and resource; never credentials.
    pub message: String,
}

impl ProviderError {
    /// A fatal error.
    pub fn fatal(message: impl Into<String>) -> Self {
        ProviderError {
            class: FailureClass::Fatal,
            message: message.into(),
        }
    }
}

/// One resource type's operations.
pub trait ResourceProvider: Send + Sync {
    /// The CloudFormation type it implements.
    fn type_name(&self) -> &'static str;
    /// How it deploys, refreshes and finds its type (what `infra types` prints).
    fn coverage(&self) -> Coverage;
    /// Creates and waits until usable.
    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>>;
    /// Updates in place.
    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>>;
    /// Deletes (idempotent) and waits until gone.
    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>>;
    /// Refreshes many resources of this type at once.
    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>>;
    /// Finds what an interrupted create made: `None` when nothing was made.
    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>>;
}

/// The providers, by type name and path: the native provider of each type it has one for, and
/// one generic provider (AWS Cloud Control) for any other type it can provision.
#[derive(Default)]
pub struct Providers {
    by_type: BTreeMap<&'static str, Box<dyn ResourceProvider>>,
    generic: Option<Box<dyn ResourceProvider>>,
}

impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Providers")
            .field("native", &self.by_type.keys().collect::<Vec<_>>())
            .field("generic", &self.generic.is_some())
            .finish()
    }
}

impl Providers {
    /// Adds (or replaces) the native provider of its type.
    pub fn insert(&mut self, p: Box<dyn ResourceProvider>) {
        self.by_type.insert(p.type_name(), p);
    }

    /// Sets the generic provider, which serves any type on its path (its
    /// [`ResourceProvider::coverage`] says which) and reads the type from each input.
    pub fn set_generic(&mut self, p: Box<dyn ResourceProvider>) {
        self.generic = Some(p);
    }

    /// The native provider of a type.
    pub fn get(&self, type_name: &str) -> Option<&dyn ResourceProvider> {
        self.by_type.get(type_name).map(AsRef::as_ref)
    }

    /// The provider of `type_name` on `path`: its native provider, or the generic one.
    pub fn on(&self, type_name: &str, path: DeployPath) -> Option<&dyn ResourceProvider> {
        match path {
            DeployPath::Native => self.get(type_name),
            DeployPath::CloudControl => self
                .generic
                .as_deref()
                .filter(|g| g.coverage().path == DeployPath::CloudControl),
            DeployPath::None => None,
        }
    }

    /// The generic provider, when there is one.
    pub fn generic(&self) -> Option<&dyn ResourceProvider> {
        self.generic.as_deref()
    }

    /// The types with a native provider.
    pub fn types(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.by_type.keys().copied()
    }

    /// Every provider (native and generic) passed through `wrap`: to decorate them all.
    pub fn map(
        self,
        wrap: impl Fn(Box<dyn ResourceProvider>) -> Box<dyn ResourceProvider>,
    ) -> Self {
        Providers {
            by_type: self
                .by_type
                .into_iter()
                .map(|(type_name, p)| (type_name, wrap(p)))
                .collect(),
            generic: self.generic.map(&wrap),
        }
    }
}
