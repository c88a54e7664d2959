//! `AWS::EC2::RouteTable`, an [`Object`] waited for only after its create (until visible) and
//! its delete (until gone): `CreateRouteTable` with its tags, tags in place,
//! `DescribeRouteTables` filtered by `route-table-id` (200 ids per filter, 100 per page),
//! `DeleteRouteTable` (`DependencyViolation` while subnets are still associated), found by its
//! infra tags.
//!
//! `Ref` and `Fn::GetAtt RouteTableId` are the route table id. Every documented property is
//! supported.

use crate::providers::ec2::find::tag_coverage;
use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, ResourceType, RouteTable};
use serde_json::{Map, Value};

use super::api::{Ec2, ROUTE_TABLE_PAGE_SIZE, all_pages, call, filter, id_chunks, returned};
use super::object::{New, Object, Waits, id_delete};
use super::props::{Spec, put, spec};
use crate::provider::{Coverage, ProviderError};

pub(crate) const TYPE: &str = "AWS::EC2::RouteTable";

pub(crate) const SPEC: Spec = spec!(TYPE, ROUTE_TABLE);

/// The route table type.
#[derive(Debug)]
pub(crate) struct RouteTableType {
    pub(crate) ec2: Ec2,
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
    filters: Vec<Filter>,
    doing: &str,
    out: &mut BTreeMap<String, RouteTable>,
) -> Result<(), ProviderError> {
    for table in tables(ec2, Some(filters), doing).await? {
        if let Some(id) = table.route_table_id() {
            out.insert(id.to_owned(), table);
        }
    }
    Ok(())
}

/// Every route table `filters` select.
async fn tables(
    ec2: &Ec2,
    filters: Option<Vec<Filter>>,
    doing: &str,
) -> Result<Vec<RouteTable>, ProviderError> {
    let request = ec2
        .client
        .describe_route_tables()
        .set_filters(filters)
        .max_results(ROUTE_TABLE_PAGE_SIZE);
    Ok(all_pages!(
        ec2,
        request,
        "DescribeRouteTables",
        doing,
        route_tables
    ))
}

impl Object for RouteTableType {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage =
        tag_coverage!("DescribeRouteTables", "(200 ids per filter, 100 per page)");
    const SPEC: Spec = SPEC;
    const WHAT: &'static str = "route table";
    const WAITS: Waits = Waits::CreateAndDelete;
    const ID_ATTRIBUTE: &'static str = "RouteTableId";
    const RESOURCE_TYPE: ResourceType = ResourceType::RouteTable;
    const ID_FILTER: Option<&'static str> = Some("route-table-id");
    type Seen = RouteTable;

    fn ec2(&self) -> &Ec2 {
        &self.ec2
    }

    async fn create(&self, new: New<'_>) -> Result<String, ProviderError> {
        let request = self
            .ec2
            .client
            .create_route_table()
            .vpc_id(new.props.required_str("VpcId")?)
            .set_tag_specifications(new.tags);
        let created = call!(self.ec2, request, "CreateRouteTable", new.doing)?;
        let id = created.route_table().and_then(RouteTable::route_table_id);
        returned(id, "CreateRouteTable", new.doing)
    }

    async fn describe(
        &self,
        _ids: Option<Vec<String>>,
        filters: Option<Vec<Filter>>,
        doing: &str,
    ) -> Result<Vec<RouteTable>, ProviderError> {
        tables(&self.ec2, filters, doing).await
    }

    id_delete!(delete_route_table, route_table_id, "DeleteRouteTable");

    fn observe(table: &RouteTable, _last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "VpcId", table.vpc_id());
        map
    }
}
