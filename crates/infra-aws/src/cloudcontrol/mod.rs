//! The AWS Cloud Control provider: one [`ResourceProvider`] for every type the catalog says
//! Cloud Control can provision, reading the type from each input.
//!
//! Cloud Control (`CreateResource`, `GetResource`, `UpdateResource`, `DeleteResource`,
//! `ListResources`, `GetResourceRequestStatus`) creates, reads, updates and deletes any
//! resource type from its registry schema. The facts the provider needs about a type (primary
//! identifier, read-only, write-only and create-only paths, tagging, handlers,
//! `propertyTransform`) come from [`infra_registry::catalog::lookup`].
//!
//! How each operation works, module by module:
//! - `create`: the desired state (`desired`: the template's properties, infra's tags, the
//!   generated name in the `naming` property) sent with an idempotency token derived from
//!   the create's checkpoint key and attempt (`token`), the checkpoint saved before the call
//!   and as soon as it answers (`saved`), the request polled (`wait`), transient handler
//!   failures resubmitted with the next attempt's token (`errors`);
//! - `change`: update (an RFC 6902 patch, `patch`) and delete;
//! - `read`: `GetResource` per resource, a few at once, reported as the template would
//!   write it (`observe`, `transform`), with the attributes (`attributes`);
//! - `find`: the create's request found again from its checkpoint, else the resource by its
//!   identifier or its `infra:*` tags;
//! - `api`: the calls as plain data over the SDK client, so the flows are tested with a fake
//!   (`fake`, tests only).
//!
//! Use [`provider`] to build it, and register it with
//! [`Providers::set_generic`](crate::provider::Providers::set_generic).

mod api;
mod attributes;
mod change;
mod create;
mod desired;
mod errors;
mod find;
mod map_tags;
pub mod naming;
mod observe;
mod patch;
mod read;
mod saved;
mod token;
mod transform;
mod typed;
mod wait;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use infra_registry::catalog::{self, CatalogEntry};
use serde_json::Value;

use self::api::{Api, Described, Sdk};
use self::errors::call_error;
use self::wait::Timing;
use crate::config::endpoint_for;
use crate::provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FindInput, Observation, ProviderError,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use crate::providers::kit::{Ctx, Service};

pub use self::naming::name_property;

/// The Cloud Control provider, with a client built from `config`.
pub fn provider(config: &SdkConfig) -> Box<dyn ResourceProvider> {
    let client = aws_sdk_cloudcontrol::Client::new(config);
    let endpoint = endpoint_for(config, "cloudcontrolapi", None);
    Box::new(CloudControl::new(Sdk(Service::new(
        client,
        "cloudcontrolapi",
        endpoint,
    ))))
}

/// The provider over an [`Api`].
#[derive(Debug, Clone)]
pub(crate) struct CloudControl<A> {
    api: A,
    timing: Timing,
}

impl<A: Api> CloudControl<A> {
    pub(crate) fn new(api: A) -> Self {
        CloudControl {
            api,
            timing: Timing::default(),
        }
    }
}

/// A Cloud Control handler an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    Create,
    Read,
    Update,
    Delete,
}

/// The catalog entry of `type_name` and the context naming the resource at `address`, when the
/// type has the handler `need`.
pub(crate) fn resolve<'a>(
    type_name: &str,
    address: &'a str,
    need: Handler,
) -> Result<(&'static CatalogEntry, Ctx<'a>), ProviderError> {
    let entry = catalog::lookup(type_name).ok_or_else(|| {
        ProviderError::fatal(format!(
            "{type_name} {address}: the type is not in AWS's resource registry as infra knows it, \
             so Cloud Control cannot deploy it"
        ))
    })?;
    let ctx = Ctx::new(entry.name, address);
    let handlers = &entry.handlers;
    let (has, what) = match need {
        // A create is read back (its output, and `find`), so it needs both.
        Handler::Create if !handlers.create => (false, "create"),
        Handler::Create => (handlers.read, "read"),
        Handler::Read => (handlers.read, "read"),
        Handler::Update => (handlers.update, "update"),
        Handler::Delete => (handlers.delete, "delete"),
    };
    if !has {
        let more = match need {
            Handler::Update => "; every change of it replaces the resource",
            _ => "; only CloudFormation itself can manage it",
        };
        return Err(ctx.fatal(format!(
            "Cloud Control cannot {what} this type: its schema has no {what} handler{more}"
        )));
    }
    Ok((entry, ctx))
}

/// A model's JSON text as a document.
pub(crate) fn parse_model(ctx: Ctx<'_>, text: &str) -> Result<Value, ProviderError> {
    serde_json::from_str(text).map_err(|e| {
        ctx.fatal(format!(
            "Cloud Control returned properties that are not JSON: {e}"
        ))
    })
}

/// What `create` returns for a resource described by `described`.
pub(crate) fn output_of(
    entry: &CatalogEntry,
    ctx: Ctx<'_>,
    described: &Described,
) -> Result<ResourceOutput, ProviderError> {
    let model = parse_model(ctx, &described.properties)?;
    Ok(ResourceOutput {
        physical_id: described.identifier.clone(),
        attributes: attributes::attributes(entry, &model),
    })
}

/// The output of the resource `identifier`, from `model` (a successful request's
/// `ResourceModel`) or, without one, `GetResource`.
pub(crate) async fn output<A: Api>(
    api: &A,
    entry: &CatalogEntry,
    ctx: Ctx<'_>,
    identifier: &str,
    model: Option<&str>,
) -> Result<ResourceOutput, ProviderError> {
    let described = match model {
        Some(text) => Described {
            identifier: identifier.to_owned(),
            properties: text.to_owned(),
        },
        None => api
            .get(entry.name, identifier)
            .await
            .map_err(|e| call_error(ctx, "GetResource", &e))?,
    };
    output_of(
        entry,
        ctx,
        &Described {
            identifier: identifier.to_owned(),
            ..described
        },
    )
}

impl<A: Api> ResourceProvider for CloudControl<A> {
    fn type_name(&self) -> &'static str {
        "*"
    }

    fn coverage(&self) -> Coverage {
        Coverage::CLOUD_CONTROL
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(create::create(&self.api, &self.timing, input))
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(change::update(&self.api, &self.timing, input))
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(change::delete(&self.api, &self.timing, input))
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(read::read(&self.api, items))
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(async move {
            let found = find::find(&self.api, &self.timing, input).await?;
            Ok(found.filter(|o| input.replacing.as_deref() != Some(o.physical_id.as_str())))
        })
    }
}
