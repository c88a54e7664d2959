//! `AWS::EC2::RouteTable`, an [`Object`] waited for only after its create (until visible) and
//! its delete (until gone): `CreateRouteTable` with its tags, tags in place,
//! `DescribeRouteTables` filtered by `route-table-id` (200 ids per filter, 100 per page),
//! `DeleteRouteTable` (`DependencyViolation` while subnets are still associated), found by its
//! infra tags.
//!
//! `Ref` and `Fn::GetAtt RouteTableId` are the route table id. Every documented property is
//! supported.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Filter, RouteTable};

use super::api::{Ec2, ROUTE_TABLE_PAGE_SIZE};
use super::object::{
    Object, Waits, by_id, described, id_delete, object_header, one_create, paged_describe,
};
use super::props::{Spec, put, spec};

pub(crate) const TYPE: &str = "AWS::EC2::RouteTable";

pub(crate) const SPEC: Spec = spec!(TYPE, ROUTE_TABLE);

/// The route table type.
#[derive(Debug)]
pub(crate) struct RouteTableType;

/// The route tables of `ids` that exist, by id (also used by routes).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<BTreeMap<String, RouteTable>, ProviderError> {
    Ok(by_id(described(&RouteTableType, ec2, ids, doing).await?))
}

/// Every route table `filters` select, by id, added to `out` (one call per page).
pub(crate) async fn describe_where(
    ec2: &Ec2,
    filters: Vec<Filter>,
    doing: &str,
    out: &mut BTreeMap<String, RouteTable>,
) -> Result<(), ProviderError> {
    let found = RouteTableType
        .describe(ec2, None, Some(filters), doing)
        .await?;
    out.extend(by_id(found));
    Ok(())
}

impl Object for RouteTableType {
    object_header!(
        RouteTable,
        RouteTable,
        "route table",
        "DescribeRouteTables",
        "(200 ids per filter, 100 per page)"
    );
    const WAITS: Waits = Waits::CreateAndDelete;
    const ID_ATTRIBUTE: &'static str = "RouteTableId";
    const ID_FILTER: Option<&'static str> = Some("route-table-id");

    one_create!(create_route_table, "CreateRouteTable", |created| created
        .route_table()
        .and_then(RouteTable::route_table_id));

    paged_describe!(
        RouteTable,
        describe_route_tables,
        set_route_table_ids,
        set_filters,
        "DescribeRouteTables",
        route_tables,
        ROUTE_TABLE_PAGE_SIZE
    );

    id_delete!(delete_route_table, route_table_id, "DeleteRouteTable");

    fn observe(table: &RouteTable, _last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "VpcId", table.vpc_id());
        map
    }
}
