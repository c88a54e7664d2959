//! `AWS::EC2::RouteTable`.
//!
//! - create: `CreateRouteTable` with its tags, then wait until it is visible.
//! - update: tags.
//! - read: one `DescribeRouteTables` per page for all route tables.
//! - delete: `DeleteRouteTable` (`DependencyViolation` while subnets are still associated),
//!   then wait until it is gone.
//! - find: by its infra tags (`DescribeRouteTables`).
//!
//! `Ref` is the route table id. Every documented property is supported.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{ResourceType, RouteTable};
use serde_json::{Map, json};

use super::api::{
    Ec2, ROUTE_TABLE_PAGE_SIZE, doing, filter, id_chunks, is_not_found, on_create, refreshing,
};
use super::find;
use super::props::{Props, Spec, put, report};
use super::tags;
use super::wait::{self, Poll};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit;

pub(crate) const TYPE: &str = "AWS::EC2::RouteTable";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeRouteTables (200 ids per filter, 100 per page)",
    Find::Tags,
    "DescribeRouteTables filtered by the infra tags",
);

pub(crate) const SPEC: Spec = Spec {
    type_name: TYPE,
    supported: &["Tags", "VpcId"],
    unsupported: &[],
};

/// The route table provider.
#[derive(Debug)]
pub(crate) struct RouteTableProvider {
    pub(crate) ec2: Ec2,
}

fn output(id: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: id.to_owned(),
        attributes: BTreeMap::from([("RouteTableId".to_owned(), json!(id))]),
    }
}

/// The route tables of `ids` that exist, by id (also used by routes).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<BTreeMap<String, RouteTable>, ProviderError> {
    let mut out = BTreeMap::new();
    for chunk in id_chunks(ids) {
        describe_where(ec2, vec![filter("route-table-id", &chunk)], doing, &mut out).await?;
    }
    Ok(out)
}

/// Every route table `filters` select, by id, added to `out` (one call per page).
pub(crate) async fn describe_where(
    ec2: &Ec2,
    filters: Vec<aws_sdk_ec2::types::Filter>,
    doing: &str,
    out: &mut BTreeMap<String, RouteTable>,
) -> Result<(), ProviderError> {
    let mut pages = ec2
        .client
        .describe_route_tables()
        .set_filters(Some(filters))
        .max_results(ROUTE_TABLE_PAGE_SIZE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ec2.error("DescribeRouteTables", doing, e))?;
        for table in page.route_tables.unwrap_or_default() {
            if let Some(id) = table.route_table_id() {
                out.insert(id.to_owned(), table);
            }
        }
    }
    Ok(())
}

impl kit::Provider for RouteTableProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let tags = tags::desired(&props, &input.tags)?;
        let created = self
            .ec2
            .client
            .create_route_table()
            .vpc_id(props.required_str("VpcId")?)
            .set_tag_specifications(tags::spec(ResourceType::RouteTable, &tags).map(|s| vec![s]))
            .send()
            .await
            .map_err(|e| on_create(self.ec2.error("CreateRouteTable", &doing, e)))?;
        let id = created
            .route_table()
            .and_then(RouteTable::route_table_id)
            .ok_or_else(|| {
                ProviderError::fatal(format!("{doing}: CreateRouteTable returned no id"))
            })?
            .to_owned();
        let what = format!("route table {id} to be visible");
        let (ec2, id_ref, doing_ref) = (&self.ec2, id.as_str(), doing.as_str());
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            Ok(
                if describe(ec2, [id_ref], doing_ref)
                    .await?
                    .contains_key(id_ref)
                {
                    Poll::Ready(())
                } else {
                    Poll::Pending("not visible yet".into())
                },
            )
        })
        .await?;
        Ok(output(&id))
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
        let id = input.physical_id.as_str();
        match self
            .ec2
            .client
            .delete_route_table()
            .route_table_id(id)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => return Ok(()),
            Err(e) => return Err(self.ec2.error("DeleteRouteTable", &doing, e)),
        }
        let what = format!("route table {id} to be deleted");
        let (ec2, doing) = (&self.ec2, doing.as_str());
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            Ok(if describe(ec2, [id], doing).await?.contains_key(id) {
                Poll::Pending("still there".into())
            } else {
                Poll::Ready(())
            })
        })
        .await
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
                    Some(table) => {
                        let mut properties = Map::new();
                        put(&mut properties, "VpcId", table.vpc_id());
                        tags::put_observed(&mut properties, table.tags(), &item.properties);
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

    /// By its infra tags (`DescribeRouteTables`).
    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        let doing = find::finding(input, TYPE);
        let mut found = BTreeMap::new();
        describe_where(
            &self.ec2,
            find::tag_filters(input, &doing)?,
            &doing,
            &mut found,
        )
        .await?;
        let found = found.into_values().collect();
        Ok(find::pick(found, input, "route table", &doing)?.map(|(id, _)| output(&id)))
    }
}
