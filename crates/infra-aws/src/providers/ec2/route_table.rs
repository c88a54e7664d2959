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
use aws_sdk_ec2::types::RouteTable;

use super::api::{Ec2, ROUTE_TABLE_PAGE_SIZE};
use super::object::{
    Object, Waits, by_id, described, id_delete, object_header, one_create, paged_describe, reported,
};
use crate::generated::ec2::report_route_table;

pub(crate) const TYPE: &str = "AWS::EC2::RouteTable";

pub(crate) const SPEC: Keys = crate::generated::ec2::ROUTE_TABLE;

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
        route_tables,
        ROUTE_TABLE_PAGE_SIZE
    );

    id_delete!(delete_route_table, route_table_id);

    fn observe(table: &RouteTable, last: &Value) -> Map<String, Value> {
        reported(report_route_table(table), last)
    }
}
