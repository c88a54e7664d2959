//! `infra import ADDRESS PHYSICAL_ID`: an existing resource read through its provider, as the
//! record the state keeps for it, so the next plan manages it instead of creating another.

use std::collections::BTreeSet;

use infra_provider::{Observation, ProviderError, ReadInput};
use infra_state::{ResourceRecord, ResourceStatus};
use infra_template::{Resource, Value};

use crate::session::Session;

/// Why a resource could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No provider for the type.
    #[error("importing {type_name} is not supported yet")]
    Unsupported {
        /// The type.
        type_name: String,
    },
    /// The read failed.
    #[error("reading {type_name} {physical_id}")]
    Read {
        /// The type.
        type_name: String,
        /// The id asked for.
        physical_id: String,
        /// What the provider said.
        #[source]
        source: ProviderError,
    },
    /// Nothing of the type has that id.
    #[error("no {type_name} with id `{physical_id}` exists")]
    NotFound {
        /// The type.
        type_name: String,
        /// The id asked for.
        physical_id: String,
    },
}

/// The template's properties with unknown values as null: the shape of what infra manages.
pub fn template_keys(v: &Value) -> serde_json::Value {
    infra_plan::plan::json::known(v)
}

/// Reads the object `physical_id` of `resource`'s type through its provider, with the keys the
/// template sets (the ones infra manages), and returns the state record for `resource`'s
/// address, with the dependencies and the policies the template gives it.
pub fn read_one(
    session: &Session,
    resource: &Resource,
    physical_id: &str,
) -> Result<ResourceRecord, ImportError> {
    // A type infra deploys natively is imported natively; any other through Cloud Control.
    let path = infra_plan::plan::path_for_new(&resource.type_name, &[]);
    let Some(provider) = infra_engine::provider_on(session.providers(), &resource.type_name, path)
    else {
        return Err(ImportError::Unsupported {
            type_name: resource.type_name.clone(),
        });
    };
    let item = ReadInput {
        address: resource.address.clone(),
        type_name: resource.type_name.clone(),
        physical_id: physical_id.to_string(),
        properties: template_keys(&resource.properties),
        attributes: Default::default(),
    };
    let found = session
        .block_on(provider.read(std::slice::from_ref(&item)))
        .map_err(|source| ImportError::Read {
            type_name: resource.type_name.clone(),
            physical_id: physical_id.to_string(),
            source,
        })?;
    let (properties, attributes) = match found.get(&resource.address) {
        Some(Observation::Present {
            properties,
            attributes,
        }) => (properties.clone(), attributes.clone()),
        _ => {
            return Err(ImportError::NotFound {
                type_name: resource.type_name.clone(),
                physical_id: physical_id.to_string(),
            });
        }
    };
    let dependencies = resource
        .deps
        .iter()
        .map(|d| d.target.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let policies = infra_plan::plan::template_policies(resource);
    Ok(ResourceRecord {
        resource_type: resource.type_name.clone(),
        physical_id: physical_id.to_string(),
        properties,
        attributes,
        dependencies,
        status: ResourceStatus::Created,
        path,
        deletion_policy: policies.deletion_policy,
        update_replace_policy: policies.update_replace_policy,
    })
}
