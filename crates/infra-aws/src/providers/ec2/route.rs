//! `AWS::EC2::Route`: one route of a route table, to one destination (IPv4 CIDR, IPv6 CIDR or
//! prefix list) through one target.
//!
//! - create: `CreateRoute`, then wait until the route shows in its table.
//! - update: the target (every target property updates in place): `ReplaceRoute`.
//! - read: one `DescribeRouteTables` per page for the tables of all routes.
//! - delete: `DeleteRoute` (a missing route or table is success), then wait until it is gone.
//! - find: not taggable, so by its natural key: the table's route to the destination, through
//!   the template's target.
//!
//! Not taggable. `Ref` is `rtb-...|destination`, the schema's primary identifier
//! (`RouteTableId`, `CidrBlock`); `Fn::GetAtt CidrBlock` is the destination. Every documented
//! property is supported.
//!
//! The `CreateRoute`, `ReplaceRoute` and `DeleteRoute` requests and the route read back are
//! generated from the schema (`mappings/ec2.toml`); this module checks that exactly one
//! destination and one target are given, and names a Gateway Load Balancer endpoint target.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Route, RouteTable};

use super::api::{call, deleted, has_code};
use super::association::{Association, Observed, Undone, association};
use super::props::{fields, put, unchecked};
use super::route_table;
use super::wait::{self, Poll};
use crate::generated::ec2::{create_route, delete_route, replace_route, report_route};

association!(
    RouteProvider,
    "AWS::EC2::Route",
    ROUTE,
    refresh: "DescribeRouteTables of the routes' tables (200 ids per filter, 100 per page)",
    find: "the route of RouteTableId to its destination, through the template's target"
);

/// A property name and its value.
type Pair = (&'static str, String);

/// The one property naming the route's destination (`Destination...`), or its target (any
/// other but `RouteTableId`), that is set.
fn exactly_one(props: &Props<'_>, destination: bool) -> Result<Pair, ProviderError> {
    let what = if destination { "destination" } else { "target" };
    let keys: Vec<&'static str> = (SPEC.supported.iter().copied())
        .filter(|k| *k != "RouteTableId" && k.starts_with("Destination") == destination)
        .collect();
    let mut set = Vec::new();
    for key in &keys {
        if let Some(value) = props.str(key)? {
            set.push((*key, value));
        }
    }
    match set.len() {
        1 => Ok(set.remove(0)),
        0 => Err(ProviderError::fatal(format!(
            "{TYPE}: specify one {what} ({})",
            keys.join(", ")
        ))),
        _ => Err(ProviderError::fatal(format!(
            "{TYPE}: specify only one {what}, not {}",
            set.iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

/// The route of `table` to `destination`.
fn find<'t>(table: &'t RouteTable, destination: &Pair) -> Option<&'t Route> {
    let value = Some(destination.1.as_str());
    table.routes().iter().find(|route| match destination.0 {
        "DestinationIpv6CidrBlock" => route.destination_ipv6_cidr_block() == value,
        "DestinationPrefixListId" => route.destination_prefix_list_id() == value,
        _ => route.destination_cidr_block() == value,
    })
}

fn output(table_id: &str, (_, destination): &Pair) -> ResourceOutput {
    let id = format!("{table_id}|{destination}");
    output_of(&id, [("CidrBlock", json!(destination))])
}

impl RouteProvider {
    /// Whether the table has a route to `destination` through `target`.
    async fn has_route(
        &self,
        table_id: &str,
        destination: &Pair,
        target: &Pair,
        doing: &str,
    ) -> Result<bool, ProviderError> {
        let tables = route_table::describe(&self.ec2, [table_id], doing).await?;
        let wanted = json!({ target.0: target.1 });
        let route = tables.get(table_id).and_then(|t| find(t, destination));
        Ok(route.is_some_and(|route| {
            observed_properties(route, table_id, &wanted).get(target.0) == Some(&json!(target.1))
        }))
    }

    /// Waits until the route to `destination` is in the table (or no longer is).
    async fn wait(
        &self,
        table_id: &str,
        destination: &Pair,
        present: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let what = format!(
            "the route to {} in route table {table_id} to {}",
            destination.1,
            if present { "appear" } else { "disappear" }
        );
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let tables = route_table::describe(&self.ec2, [table_id], doing).await?;
            let found = tables.get(table_id).and_then(|t| find(t, destination));
            Ok(match (found.is_some() == present, present) {
                (true, _) => Poll::Ready(()),
                (false, true) => Poll::Pending("not visible yet".into()),
                (false, false) => Poll::Pending("still there".into()),
            })
        })
        .await
    }
}

/// Properties as a template writes them (the report generated from the schema, with the
/// table). EC2 reports a Gateway Load Balancer endpoint target as a gateway id (`vpce-...`); a
/// template names it `VpcEndpointId`.
fn observed_properties(route: &Route, table_id: &str, last: &Value) -> Map<String, Value> {
    let mut map = fields(report_route(route));
    put(&mut map, "RouteTableId", Some(table_id));
    let endpoint = route.gateway_id().is_some_and(|id| id.starts_with("vpce-"));
    if endpoint
        && last.get("VpcEndpointId").is_some()
        && let Some(id) = map.remove("GatewayId")
    {
        map.insert("VpcEndpointId".into(), id);
    }
    map
}

/// The table, the destination and the target.
type Key = (String, Pair, Pair);

impl Association for RouteProvider {
    const OF: Option<&'static str> = None;
    type Key = Key;

    fn key(props: &Props<'_>) -> Result<Key, ProviderError> {
        let table_id = props.required_str("RouteTableId")?;
        let (destination, target) = (exactly_one(props, true)?, exactly_one(props, false)?);
        Ok((table_id, destination, target))
    }

    async fn make(&self, key: &Key, input: &CreateInput, doing: &str) -> Made {
        let (table_id, destination, target) = key;
        let props = Props::root(&input.properties, Ctx::new(TYPE, &input.address), SPEC)?;
        let request = create_route(&props, self.ec2.client.create_route())?;
        if let Err(e) = request.send().await {
            // The same route already there (an apply interrupted after CreateRoute): it is
            // exactly what this create makes, so it is adopted. Any other route to the same
            // destination is an error, as in CloudFormation.
            let adopt = has_code(&e, "RouteAlreadyExists")
                && (self.has_route(table_id, destination, target, doing)).await?;
            if !adopt {
                return Err(self.ec2.error(doing, e));
            }
        }
        self.wait(table_id, destination, true, doing).await?;
        Ok(output(table_id, destination))
    }

    /// The target (every target property updates in place): `ReplaceRoute`.
    async fn change(&self, input: &UpdateInput, before: &Key, after: &Key, doing: &str) -> Made {
        let (table_id, destination, target) = after;
        if before.2 != *target {
            let after = Props::root(&input.after, Ctx::new(TYPE, &input.address), SPEC)?;
            let request = replace_route(&after, self.ec2.client.replace_route())?;
            call!(self.ec2, request, doing)?;
        }
        Ok(output(table_id, destination))
    }

    async fn undo(&self, input: &DeleteInput, key: &Key, doing: &str) -> Undone {
        let (table_id, destination, _) = key;
        let props = unchecked(&input.properties, Ctx::new(TYPE, &input.address))?;
        let request = delete_route(&props, self.ec2.client.delete_route())?;
        if !deleted(call!(self.ec2, request, doing))? {
            return Ok(());
        }
        self.wait(table_id, destination, false, doing).await
    }

    async fn observe(&self, items: &[ReadInput], keys: &[Key], doing: &str) -> Observed {
        let tables = keys.iter().map(|(table, ..)| table.as_str());
        let tables = route_table::describe(&self.ec2, tables, doing).await?;
        Ok((items.iter().zip(keys))
            .map(|(item, (table_id, destination, _))| {
                let route = tables.get(table_id).and_then(|t| find(t, destination))?;
                let properties = observed_properties(route, table_id, &item.properties);
                Some((properties, output(table_id, destination).attributes))
            })
            .collect())
    }

    /// By its natural key: the table's route to the destination, through the target the
    /// create was given (a route to the same destination through another target is not what
    /// the create made).
    async fn existing(&self, key: &Key, _: &FindInput, doing: &str) -> Found {
        let (table_id, destination, target) = key;
        let found = self.has_route(table_id, destination, target, doing);
        Ok(found.await?.then(|| output(table_id, destination)))
    }
}
