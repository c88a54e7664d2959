//! `read`: `GetResource` for each resource, at most
//! [`READ_CONCURRENCY`](crate::providers::kit::READ_CONCURRENCY) at once (Cloud Control has no
//! batch read; `ListResources` answers partial models for many types).
//!
//! A resource Cloud Control does not find (`ResourceNotFoundException`) is gone. A resource it
//! finds is reported with the properties infra manages, as the template would write them
//! ([`observed_properties`]), and its attributes ([`attributes`]).

use std::collections::BTreeMap;

use super::api::Api;
use super::attributes::attributes;
use super::errors::{call_class, call_error};
use super::observe::observed_properties;
use super::{Handler, parse_model, resolve};
use crate::provider::{FailureClass, Observation, ProviderError, ReadInput};
use crate::providers::kit::read_each;

/// Refreshes `items`.
pub(crate) async fn read<A: Api>(
    api: &A,
    items: &[ReadInput],
) -> Result<BTreeMap<String, Observation>, ProviderError> {
    for item in items {
        resolve(&item.type_name, &item.address, Handler::Read)?;
    }
    read_each(items, |item| {
        let api = api.clone();
        let item = item.clone();
        async move {
            let (entry, ctx) = resolve(&item.type_name, &item.address, Handler::Read)?;
            let observation = match api.get(entry.name, &item.physical_id).await {
                Ok(described) => {
                    let model = parse_model(ctx, &described.properties)?;
                    Observation::Present {
                        properties: observed_properties(entry, &item.properties, &model),
                        attributes: attributes(entry, &model),
                    }
                }
                Err(e) if call_class(&e) == FailureClass::NotFound => Observation::Gone,
                Err(e) => return Err(call_error(ctx, "GetResource", &e)),
            };
            Ok((item.address.clone(), observation))
        }
    })
    .await
}
