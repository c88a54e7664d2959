//! The AWS steps of an adoption: batched reads through the providers, `find` by natural key,
//! and infra's tags on what was adopted.

use std::collections::{BTreeMap, BTreeSet};

use infra_provider::{FindInput, Observation, ReadInput};
use infra_state::{ResourcePath, ResourceRecord, ResourceStatus};
use infra_template::Deployment;

use super::{AdoptError, Adoptable};
use crate::import::template_keys;
use crate::session::Session;

/// Adds infra's tags (`infra:stack`, `infra:address`) to every adopted resource whose type
/// takes tags, as `create` would have; returns how many were tagged. Adding a tag twice is
/// harmless, so a re-run tags again.
pub(super) fn add_infra_tags(
    session: &Session,
    stack: &str,
    adopted: &BTreeMap<String, ResourceRecord>,
) -> Result<usize, AdoptError> {
    let aws = session.connected()?;
    let mut tagged = 0;
    for (address, record) in adopted {
        let tags = infra_engine::infra_tags(
            infra_registry::resource_type(&record.resource_type),
            stack,
            address,
        );
        let added = session
            .block_on(infra_aws::adopt_tags::add(
                aws,
                &record.resource_type,
                &record.physical_id,
                &record.attributes,
                &tags,
            ))
            .map_err(|source| AdoptError::Tag {
                address: address.clone(),
                resource_type: record.resource_type.clone(),
                physical_id: record.physical_id.clone(),
                source: Box::new(source),
            })?;
        if added == infra_aws::adopt_tags::Tagged::Added {
            tagged += 1;
        }
    }
    Ok(tagged)
}

/// One resource to read: what to adopt, at which id, with which attributes.
pub(super) type ReadItem<'a> = (&'a Adoptable, String, BTreeMap<String, serde_json::Value>);

/// Reads each `(resource, physical id, attributes)` through its type's provider (one batch per
/// type) with the keys `deployment` sets; returns the records and the resources not found.
pub(super) fn read_all<'a>(
    session: &Session,
    deployment: &Deployment,
    items: &[ReadItem<'a>],
) -> Result<(BTreeMap<String, ResourceRecord>, Vec<&'a Adoptable>), AdoptError> {
    let mut by_type: BTreeMap<&str, Vec<(ReadInput, &'a Adoptable)>> = BTreeMap::new();
    for (adoptable, physical_id, attributes) in items {
        let properties = deployment
            .resource(&adoptable.address)
            .map(|r| template_keys(&r.properties))
            .unwrap_or_default();
        by_type
            .entry(adoptable.resource_type.as_str())
            .or_default()
            .push((
                ReadInput {
                    address: adoptable.address.clone(),
                    type_name: adoptable.resource_type.clone(),
                    physical_id: physical_id.clone(),
                    properties,
                    attributes: attributes.clone(),
                },
                *adoptable,
            ));
    }
    let mut records = BTreeMap::new();
    let mut unread = Vec::new();
    for (type_name, batch) in by_type {
        let provider =
            session
                .providers()
                .get(type_name)
                .ok_or_else(|| AdoptError::NoProvider {
                    type_name: type_name.to_owned(),
                })?;
        let inputs = batch.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>();
        let found =
            session
                .block_on(provider.read(&inputs))
                .map_err(|source| AdoptError::Read {
                    type_name: type_name.to_owned(),
                    source,
                })?;
        for (item, adoptable) in &batch {
            match found.get(&item.address) {
                Some(Observation::Present {
                    properties,
                    attributes,
                }) => {
                    let record = record(deployment, item, type_name, properties, attributes);
                    records.insert(item.address.clone(), record);
                }
                _ => unread.push(*adoptable),
            }
        }
    }
    Ok((records, unread))
}

/// Finds a natural-key resource through its provider; `Ok(Err(why))` when it cannot be adopted.
pub(super) fn find(
    session: &Session,
    deployment: &Deployment,
    adoptable: &Adoptable,
) -> Result<Result<ResourceRecord, String>, AdoptError> {
    let type_name = adoptable.resource_type.as_str();
    let provider = session
        .providers()
        .get(type_name)
        .ok_or_else(|| AdoptError::NoProvider {
            type_name: type_name.to_owned(),
        })?;
    let Some(resource) = deployment.resource(&adoptable.address) else {
        return Ok(Err("not in the template".to_string()));
    };
    let Some(properties) = resource.properties.to_json() else {
        return Ok(Err(
            "its properties are not all known before a plan".to_string()
        ));
    };
    let input = FindInput {
        address: adoptable.address.clone(),
        type_name: type_name.to_string(),
        properties,
        tags: BTreeMap::new(),
        name: None,
        replacing: None,
        checkpoint: Default::default(),
    };
    let found = match session.block_on(provider.find(&input)) {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(Err("not found by its natural key".to_string())),
        Err(e) => return Ok(Err(format!("finding it failed: {e}"))),
    };
    let item = ReadInput {
        address: adoptable.address.clone(),
        type_name: type_name.to_owned(),
        physical_id: found.physical_id.clone(),
        properties: template_keys(&resource.properties),
        attributes: found.attributes.clone(),
    };
    let observed = session
        .block_on(provider.read(std::slice::from_ref(&item)))
        .map_err(|source| AdoptError::ReadFound {
            type_name: type_name.to_owned(),
            physical_id: found.physical_id.clone(),
            source,
        })?;
    match observed.get(&item.address) {
        Some(Observation::Present {
            properties,
            attributes,
        }) => Ok(Ok(record(
            deployment, &item, type_name, properties, attributes,
        ))),
        _ => Ok(Err(format!("{} vanished while read", found.physical_id))),
    }
}

/// The state record of an adopted resource, with the dependencies the template gives it.
fn record(
    deployment: &Deployment,
    item: &ReadInput,
    type_name: &str,
    properties: &serde_json::Value,
    attributes: &BTreeMap<String, serde_json::Value>,
) -> ResourceRecord {
    let resource = deployment.resource(&item.address);
    let policies = resource
        .map(infra_plan::plan::template_policies)
        .unwrap_or_default();
    let dependencies = resource
        .map(|r| {
            r.deps
                .iter()
                .map(|d| d.target.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        })
        .unwrap_or_default();
    ResourceRecord {
        resource_type: type_name.to_string(),
        physical_id: item.physical_id.clone(),
        properties: properties.clone(),
        attributes: attributes.clone(),
        dependencies,
        status: ResourceStatus::Created,
        path: ResourcePath::Native,
        deletion_policy: policies.deletion_policy,
        update_replace_policy: policies.update_replace_policy,
    }
}
