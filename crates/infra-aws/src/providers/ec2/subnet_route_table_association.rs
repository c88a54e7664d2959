//! `AWS::EC2::SubnetRouteTableAssociation`.
//!
//! - create: `AssociateRouteTable`, then wait until the association is `associated`.
//! - update: both properties are create-only, so the plan replaces it; should the route table
//!   change reach an update anyway, `ReplaceRouteTableAssociation` moves the subnet to the new
//!   table in one step (the association id, and so `Ref`, changes).
//! - read: one `DescribeRouteTables` per page, filtered by association id, for all
//!   associations.
//! - delete: `DisassociateRouteTable` (a missing association is success), then wait until it
//!   is gone.
//! - find: not taggable, so by its natural key: the subnet's live association with the table
//!   (`DescribeRouteTables` filtered by `association.subnet-id`).
//!
//! Not taggable. `Ref` and `Fn::GetAtt Id` are the association id. Every documented property is
//! supported.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::RouteTableAssociation;
use aws_sdk_ec2::types::RouteTableAssociationStateCode as Code;

use super::api::{by_filter, call, deleted, filter, has_code, id_output, returned};
use super::association::{Association, Observed, Undone, association, two_ids, until_associated};
use super::object::Object;
use super::props::fields;
use super::route_table::RouteTableType;
use crate::generated::ec2::report_route_table_association;

association!(
    SubnetRouteTableAssociationProvider,
    "AWS::EC2::SubnetRouteTableAssociation",
    SUBNET_ROUTE_TABLE_ASSOCIATION,
    refresh: "DescribeRouteTables filtered by association id (200 per filter, 100 per page)",
    find: "the live association of SubnetId with RouteTableId"
);

/// What `Ref` and `Fn::GetAtt` return.
fn output(id: &str) -> ResourceOutput {
    id_output("Id", id)
}

/// Whether an association is gone or going (disassociated, disassociating, failed).
fn is_dead(association: &RouteTableAssociation) -> bool {
    let state = association.association_state().and_then(|s| s.state());
    matches!(
        state,
        Some(Code::Disassociated | Code::Disassociating | Code::Failed)
    )
}

impl SubnetRouteTableAssociationProvider {
    /// The id of the live association of `subnet_id` with `table_id`, if there is one.
    async fn existing_id(
        &self,
        table_id: &str,
        subnet_id: &str,
        doing: &str,
    ) -> Result<Option<String>, ProviderError> {
        let filters = vec![filter("association.subnet-id", &[subnet_id.to_owned()])];
        let tables = RouteTableType.describe(&self.ec2, None, Some(filters), doing);
        Ok((tables.await?.iter())
            .filter(|t| t.route_table_id() == Some(table_id))
            .flat_map(|t| t.associations())
            .find(|a| a.subnet_id() == Some(subnet_id) && !is_dead(a))
            .and_then(|a| a.route_table_association_id())
            .map(str::to_owned))
    }

    /// The associations of `ids` that exist, by id.
    async fn describe<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, RouteTableAssociation>, ProviderError> {
        let name = "association.route-table-association-id";
        let describe = |f| RouteTableType.describe(&self.ec2, None, Some(f), doing);
        let mut out = BTreeMap::new();
        for table in by_filter(name, ids, describe).await? {
            for association in table.associations.unwrap_or_default() {
                if let Some(id) = association.route_table_association_id() {
                    out.insert(id.to_owned(), association);
                }
            }
        }
        Ok(out)
    }

    /// Waits until the association is `associated` (or gone).
    async fn wait(&self, id: &str, associated: bool, doing: &str) -> Result<(), ProviderError> {
        let noun = &format!("route table association {id}");
        until_associated(noun, associated, doing, || async move {
            let Some(found) = self.describe([id], doing).await?.remove(id) else {
                return Ok(None);
            };
            let state = found.association_state();
            let code = state.and_then(|s| s.state());
            if let Some(Code::Failed) = code {
                let why = state.and_then(|s| s.status_message());
                return Err(ProviderError::fatal(format!(
                    "{doing}: {noun} failed: {}",
                    why.unwrap_or("no reason given")
                )));
            }
            // An association without a state is as good as associated.
            let state = code.map_or("associated", |s| s.as_str()).to_owned();
            Ok(Some((state, ())))
        })
        .await
        .map(drop)
    }
}

impl Association for SubnetRouteTableAssociationProvider {
    const OF: Option<&'static str> = Some("SubnetId");
    const KEYED_READ: bool = false;
    /// `(RouteTableId, SubnetId)`.
    type Key = (String, String);

    fn key(props: &Props<'_>) -> Result<Self::Key, ProviderError> {
        two_ids(props, ["RouteTableId", "SubnetId"])
    }

    async fn make(&self, (table_id, subnet_id): &Self::Key, _: &CreateInput, doing: &str) -> Made {
        let request = self.ec2.client.associate_route_table();
        let request = request.route_table_id(table_id);
        let id = match request.subnet_id(subnet_id).send().await {
            Ok(created) => created.association_id().map(str::to_owned),
            // The subnet already associated with this very table (an apply interrupted after
            // AssociateRouteTable): that is what this create makes, so it is adopted.
            Err(e) if has_code(&e, "Resource.AlreadyAssociated") => {
                let found = self.existing_id(table_id, subnet_id, doing).await?;
                Some(found.ok_or_else(|| self.ec2.error(doing, e))?)
            }
            Err(e) => return Err(self.ec2.error(doing, e)),
        };
        let id = returned(id.as_deref(), "AssociateRouteTable", doing)?;
        self.wait(&id, true, doing).await?;
        Ok(output(&id))
    }

    /// `ReplaceRouteTableAssociation` moves the subnet to the new table in one step (a new
    /// association id).
    async fn change(
        &self,
        input: &UpdateInput,
        _: &Self::Key,
        (table_id, _): &Self::Key,
        doing: &str,
    ) -> Made {
        let request = self.ec2.client.replace_route_table_association();
        let request = request.association_id(&input.physical_id);
        let request = request.route_table_id(table_id);
        let replaced = call!(self.ec2, request, doing)?;
        let op = "ReplaceRouteTableAssociation";
        let id = returned(replaced.new_association_id(), op, doing)?;
        self.wait(&id, true, doing).await?;
        Ok(output(&id))
    }

    async fn undo(&self, input: &DeleteInput, _: &Self::Key, doing: &str) -> Undone {
        let id = &input.physical_id;
        let request = self.ec2.client.disassociate_route_table();
        let request = request.association_id(id);
        if !deleted(call!(self.ec2, request, doing))? {
            return Ok(());
        }
        self.wait(id, false, doing).await
    }

    async fn observe(&self, items: &[ReadInput], _: &[Self::Key], doing: &str) -> Observed {
        let ids = items.iter().map(|i| i.physical_id.as_str());
        let found = self.describe(ids, doing).await?;
        Ok(items
            .iter()
            .map(|item| {
                let association = found.get(&item.physical_id).filter(|a| !is_dead(a))?;
                let properties = fields(report_route_table_association(association));
                Some((properties, output(&item.physical_id).attributes))
            })
            .collect())
    }

    /// By its natural key: the live association of `SubnetId` with `RouteTableId` (a subnet has
    /// at most one), then until it is `associated`, as the create waits.
    async fn existing(
        &self,
        (table_id, subnet_id): &Self::Key,
        _: &FindInput,
        doing: &str,
    ) -> Found {
        let Some(id) = self.existing_id(table_id, subnet_id, doing).await? else {
            return Ok(None);
        };
        self.wait(&id, true, doing).await?;
        Ok(Some(output(&id)))
    }
}
