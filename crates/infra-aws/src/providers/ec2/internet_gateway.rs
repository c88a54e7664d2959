//! `AWS::EC2::InternetGateway`.
//!
//! - create: `CreateInternetGateway` with its tags; attaching it is the job of
//!   `AWS::EC2::VPCGatewayAttachment`.
//! - update: tags.
//! - read: one `DescribeInternetGateways` per page for all gateways.
//! - delete: `DeleteInternetGateway` (`DependencyViolation` while still attached).
//! - find: by its infra tags (`DescribeInternetGateways`).
//!
//! `Ref` is the gateway id. Every documented property is supported.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, InternetGateway, ResourceType};
use serde_json::{Map, json};

use super::api::{Ec2, PAGE_SIZE, doing, filter, id_chunks, is_not_found, on_create, refreshing};
use super::find;
use super::props::{Props, Spec, report};
use super::tags;
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit;

pub(crate) const TYPE: &str = "AWS::EC2::InternetGateway";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeInternetGateways (200 ids per filter, pages followed)",
    Find::Tags,
    "DescribeInternetGateways filtered by the infra tags",
);

pub(crate) const SPEC: Spec = Spec {
    type_name: TYPE,
    supported: &["Tags"],
    unsupported: &[],
};

/// The internet gateway provider.
#[derive(Debug)]
pub(crate) struct InternetGatewayProvider {
    pub(crate) ec2: Ec2,
}

fn output(id: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: id.to_owned(),
        attributes: BTreeMap::from([("InternetGatewayId".to_owned(), json!(id))]),
    }
}

/// The internet gateways of `ids` that exist, by id (also used by the gateway attachment).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<BTreeMap<String, InternetGateway>, ProviderError> {
    let mut out = BTreeMap::new();
    for chunk in id_chunks(ids) {
        let found = describe_where(ec2, vec![filter("internet-gateway-id", &chunk)], doing).await?;
        out.extend(
            found
                .into_iter()
                .filter_map(|g| Some((g.internet_gateway_id()?.to_owned(), g))),
        );
    }
    Ok(out)
}

/// Every internet gateway `filters` select (one call per page).
async fn describe_where(
    ec2: &Ec2,
    filters: Vec<Filter>,
    doing: &str,
) -> Result<Vec<InternetGateway>, ProviderError> {
    let mut out = Vec::new();
    let mut pages = ec2
        .client
        .describe_internet_gateways()
        .set_filters(Some(filters))
        .max_results(PAGE_SIZE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ec2.error("DescribeInternetGateways", doing, e))?;
        out.extend(page.internet_gateways.unwrap_or_default());
    }
    Ok(out)
}

impl kit::Provider for InternetGatewayProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let tags = tags::desired(&props, &input.tags)?;
        let created = self
            .ec2
            .client
            .create_internet_gateway()
            .set_tag_specifications(
                tags::spec(ResourceType::InternetGateway, &tags).map(|s| vec![s]),
            )
            .send()
            .await
            .map_err(|e| on_create(self.ec2.error("CreateInternetGateway", &doing, e)))?;
        let id = created
            .internet_gateway()
            .and_then(InternetGateway::internet_gateway_id)
            .ok_or_else(|| {
                ProviderError::fatal(format!(
                    "{doing}: CreateInternetGateway returned no gateway id"
                ))
            })?;
        Ok(output(id))
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        tags::update(
            &self.ec2,
            &input.physical_id,
            &doing,
            &tags::desired(&before, &input.tags)?,
            &tags::desired(&after, &input.tags)?,
        )
        .await?;
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        match self
            .ec2
            .client
            .delete_internet_gateway()
            .internet_gateway_id(&input.physical_id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(self.ec2.error("DeleteInternetGateway", &doing, e)),
        }
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let doing = refreshing(items, TYPE);
        let seen = describe(
            &self.ec2,
            items.iter().map(|i| i.physical_id.as_str()),
            &doing,
        )
        .await?;
        Ok(items
            .iter()
            .map(|item| {
                let observation = match seen.get(&item.physical_id) {
                    None => Observation::Gone,
                    Some(gateway) => {
                        let mut properties = Map::new();
                        tags::put_observed(&mut properties, gateway.tags(), &item.properties);
                        Observation::Present {
                            properties: report(properties, &item.properties, &[]),
                            attributes: output(&item.physical_id).attributes,
                        }
                    }
                };
                (item.address.clone(), observation)
            })
            .collect())
    }

    /// By its infra tags (`DescribeInternetGateways`).
    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        let doing = find::finding(input, TYPE);
        let found = describe_where(&self.ec2, find::tag_filters(input, &doing)?, &doing).await?;
        Ok(find::pick(found, input, "internet gateway", &doing)?.map(|(id, _)| output(&id)))
    }
}
