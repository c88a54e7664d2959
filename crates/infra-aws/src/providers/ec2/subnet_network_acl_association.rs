//! `AWS::EC2::SubnetNetworkAclAssociation`: which network ACL a subnet uses. Every subnet is
//! associated with exactly one network ACL (its VPC's default one until told otherwise), so
//! associating is replacing, and deleting is going back to the default, as CloudFormation does.
//!
//! - create: the subnet's current association (`DescribeNetworkAcls` filtered by
//!   `association.subnet-id`), then `ReplaceNetworkAclAssociation` with the template's ACL; the
//!   new association id is the physical id. A subnet already associated with that ACL (an apply
//!   interrupted after the call) keeps that association, which is adopted.
//! - update: both properties are create-only, so the plan replaces it; should a new ACL reach
//!   an update anyway, `ReplaceNetworkAclAssociation` moves the subnet in one step (the
//!   association id, and so `Ref`, changes).
//! - read: one `DescribeNetworkAcls` per page, filtered by association id, for all
//!   associations. An association replaced since (by another association, or by this one's
//!   delete) no longer exists: `ReplaceNetworkAclAssociation` always makes a new id.
//! - delete: the VPC's default network ACL (`DescribeNetworkAcls` filtered by `vpc-id` and
//!   `default`), then `ReplaceNetworkAclAssociation` back to it; an association that no longer
//!   exists is success.
//! - find: not taggable, so by its natural key: the subnet's association, when it is with
//!   `NetworkAclId`.
//!
//! Not taggable. `Ref` and `Fn::GetAtt AssociationId` are the association id
//! (`aclassoc-...`). Every documented property is supported.

use aws_sdk_ec2::types::NetworkAcl;
use serde_json::Map;

use super::api::{Ec2, doing, filter, id_chunks, id_output, on_create, refreshing};
use super::network_acl::{self, filtered};
use super::props::{Props, Spec, observe_each, put, spec};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit;
use crate::providers::kit::{Found, Made, Reads};

pub(crate) const TYPE: &str = "AWS::EC2::SubnetNetworkAclAssociation";

/// What `infra types` lists for this type.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeNetworkAcls filtered by association id (200 per filter, pages followed)",
    Find::NaturalKey,
    "the association of SubnetId, when it is with NetworkAclId",
);

pub(crate) const SPEC: Spec = spec!(TYPE, SUBNET_NETWORK_ACL_ASSOCIATION);

/// The subnet network ACL association provider.
#[derive(Debug)]
pub(crate) struct SubnetNetworkAclAssociationProvider {
    pub(crate) ec2: Ec2,
}

/// What `Ref` and `Fn::GetAtt` return.
fn output(id: &str) -> ResourceOutput {
    id_output("AssociationId", id)
}

/// One association as read: its id, subnet, ACL and the ACL's VPC.
#[derive(Debug, Clone)]
struct Seen {
    id: String,
    subnet: String,
    acl: String,
    vpc: String,
}

/// Associations looked up by id.
const BY_ID: (&str, fn(&Seen) -> &str) = ("association-id", |a| &a.id);
/// Associations looked up by subnet.
const BY_SUBNET: (&str, fn(&Seen) -> &str) = ("subnet-id", |a| &a.subnet);

/// Every association of `acls`.
fn associations(acls: Vec<NetworkAcl>) -> Vec<Seen> {
    let mut out = Vec::new();
    for acl in acls {
        let (Some(acl_id), Some(vpc)) = (acl.network_acl_id(), acl.vpc_id()) else {
            continue;
        };
        for a in acl.associations() {
            if let (Some(id), Some(subnet)) = (a.network_acl_association_id(), a.subnet_id()) {
                out.push(Seen {
                    id: id.to_owned(),
                    subnet: subnet.to_owned(),
                    acl: acl_id.to_owned(),
                    vpc: vpc.to_owned(),
                });
            }
        }
    }
    out
}

impl SubnetNetworkAclAssociationProvider {
    /// The associations whose `key` (their id or their subnet's, which the filter
    /// `association.{filter_key}` selects by) is one of `values`.
    async fn associations(
        &self,
        (filter_key, key): (&str, fn(&Seen) -> &str),
        values: &[String],
        doing: &str,
    ) -> Result<Vec<Seen>, ProviderError> {
        let mut out = Vec::new();
        for chunk in id_chunks(values.iter().map(String::as_str)) {
            let acls = network_acl::describe_where(
                &self.ec2,
                filtered(vec![filter(&format!("association.{filter_key}"), &chunk)]),
                doing,
            )
            .await?;
            out.extend(
                associations(acls)
                    .into_iter()
                    .filter(|a| chunk.iter().any(|v| v == key(a))),
            );
        }
        Ok(out)
    }

    /// The current association of `subnet`.
    async fn of_subnet(&self, subnet: &str, doing: &str) -> Result<Option<Seen>, ProviderError> {
        let found = self
            .associations(BY_SUBNET, &[subnet.to_owned()], doing)
            .await?;
        Ok(found.into_iter().next())
    }

    /// `ReplaceNetworkAclAssociation`: `association` now puts its subnet in `acl`; the new id.
    async fn replace(
        &self,
        association: &str,
        acl: &str,
        doing: &str,
    ) -> Result<String, ProviderError> {
        let replaced = self
            .ec2
            .client
            .replace_network_acl_association()
            .association_id(association)
            .network_acl_id(acl)
            .send()
            .await
            .map_err(|e| self.ec2.error("ReplaceNetworkAclAssociation", doing, e))?;
        replaced
            .new_association_id()
            .map(str::to_owned)
            .ok_or_else(|| {
                ProviderError::fatal(format!(
                    "{doing}: ReplaceNetworkAclAssociation returned no association id"
                ))
            })
    }
}

impl kit::Provider for SubnetNetworkAclAssociationProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Made {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let acl = props.required_str("NetworkAclId")?;
        let subnet = props.required_str("SubnetId")?;
        let current = self.of_subnet(&subnet, &doing).await?.ok_or_else(|| {
            // A new subnet's association with its VPC's default ACL may not show yet.
            on_create(ProviderError {
                class: FailureClass::NotFound,
                message: format!("{doing}: subnet {subnet} has no network ACL association yet"),
            })
        })?;
        if current.acl == acl {
            return Ok(output(&current.id));
        }
        let id = self
            .replace(&current.id, &acl, &doing)
            .await
            .map_err(on_create)?;
        Ok(output(&id))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        if before.str("SubnetId")? != after.str("SubnetId")? {
            return Err(ProviderError::fatal(format!(
                "{doing}: SubnetId cannot change in place; the association must be replaced"
            )));
        }
        let acl = after.required_str("NetworkAclId")?;
        if before.str("NetworkAclId")?.as_deref() == Some(acl.as_str()) {
            return Ok(output(&input.physical_id));
        }
        let id = self.replace(&input.physical_id, &acl, &doing).await?;
        Ok(output(&id))
    }

    /// Back to the VPC's default network ACL, as CloudFormation does.
    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let found = self
            .associations(BY_ID, std::slice::from_ref(&input.physical_id), &doing)
            .await?;
        let Some(seen) = found.into_iter().next() else {
            return Ok(());
        };
        let default = network_acl::default_of(&self.ec2, &seen.vpc, &doing)
            .await?
            .ok_or_else(|| {
                ProviderError::fatal(format!(
                    "{doing}: VPC {} has no default network ACL to give subnet {} back to",
                    seen.vpc, seen.subnet
                ))
            })?;
        if seen.acl == default {
            return Ok(());
        }
        match self.replace(&seen.id, &default, &doing).await {
            Err(e) if e.class == FailureClass::NotFound => Ok(()),
            other => other.map(drop),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let ids: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let found = self.associations(BY_ID, &ids, &doing).await?;
        Ok(observe_each(items, &[], |item| {
            let seen = found.iter().find(|a| a.id == item.physical_id)?;
            let mut properties = Map::new();
            put(&mut properties, "NetworkAclId", Some(seen.acl.as_str()));
            put(&mut properties, "SubnetId", Some(seen.subnet.as_str()));
            Some((properties, output(&item.physical_id).attributes))
        }))
    }

    /// By its natural key: the subnet's association, when it is with `NetworkAclId`.
    async fn find(&self, input: &FindInput) -> Found {
        let doing = super::find::finding(input, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let acl = props.required_str("NetworkAclId")?;
        let subnet = props.required_str("SubnetId")?;
        Ok(self
            .of_subnet(&subnet, &doing)
            .await?
            .filter(|a| a.acl == acl)
            .map(|a| output(&a.id)))
    }
}
