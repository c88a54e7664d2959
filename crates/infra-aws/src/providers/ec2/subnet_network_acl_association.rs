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

use super::api::{call, deleted, filter, id_chunks, id_output};
use super::association::{Association, Observed, Undone, association, properties, two_ids};
use super::network_acl::{self, NetworkAclType};
use super::object::Object;
use crate::providers::kit::prelude::*;

association!(
    SubnetNetworkAclAssociationProvider,
    "AWS::EC2::SubnetNetworkAclAssociation",
    SUBNET_NETWORK_ACL_ASSOCIATION,
    refresh: "DescribeNetworkAcls filtered by association id (200 per filter, pages followed)",
    find: "the association of SubnetId, when it is with NetworkAclId"
);

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

impl SubnetNetworkAclAssociationProvider {
    /// The associations whose id (or, `by_subnet`, whose subnet's) is one of `values`.
    async fn associations(
        &self,
        by_subnet: bool,
        values: &[&str],
        doing: &str,
    ) -> Result<Vec<Seen>, ProviderError> {
        let key = ["association-id", "subnet-id"][usize::from(by_subnet)];
        let mut out = Vec::new();
        for chunk in id_chunks(values.iter().copied()) {
            let filters = vec![filter(&format!("association.{key}"), &chunk)];
            for acl in NetworkAclType
                .describe(&self.ec2, None, Some(filters), doing)
                .await?
            {
                let (acl_id, vpc) = (acl.network_acl_id(), acl.vpc_id());
                for a in acl.associations() {
                    let ids = (a.network_acl_association_id(), a.subnet_id(), acl_id, vpc);
                    let (Some(id), Some(subnet), Some(acl), Some(vpc)) = ids else {
                        continue;
                    };
                    let wanted = [id, subnet][usize::from(by_subnet)];
                    if chunk.iter().any(|v| v == wanted) {
                        let [id, subnet, acl, vpc] = [id, subnet, acl, vpc].map(str::to_owned);
                        out.push(Seen {
                            id,
                            subnet,
                            acl,
                            vpc,
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// The current association of `subnet`.
    async fn of_subnet(&self, subnet: &str, doing: &str) -> Result<Option<Seen>, ProviderError> {
        Ok(self.associations(true, &[subnet], doing).await?.pop())
    }

    /// `ReplaceNetworkAclAssociation`: `association` now puts its subnet in `acl`; the new id.
    async fn replace(
        &self,
        association: &str,
        acl: &str,
        doing: &str,
    ) -> Result<String, ProviderError> {
        let request = self.ec2.client.replace_network_acl_association();
        let request = request.association_id(association).network_acl_id(acl);
        let replaced = call!(self.ec2, request, doing)?;
        let id = replaced.new_association_id().map(str::to_owned);
        id.ok_or_else(|| {
            let op = "ReplaceNetworkAclAssociation";
            ProviderError::fatal(format!("{doing}: {op} returned no association id"))
        })
    }
}

impl Association for SubnetNetworkAclAssociationProvider {
    const OF: Option<&'static str> = Some("SubnetId");
    const KEYED_READ: bool = false;
    /// `(NetworkAclId, SubnetId)`.
    type Key = (String, String);

    fn key(props: &Props<'_>) -> Result<Self::Key, ProviderError> {
        two_ids(props, ["NetworkAclId", "SubnetId"])
    }

    async fn make(&self, (acl, subnet): &Self::Key, _: &CreateInput, doing: &str) -> Made {
        let current = self.of_subnet(subnet, doing).await?.ok_or_else(|| {
            // A new subnet's association with its VPC's default ACL may not show yet.
            ProviderError {
                class: FailureClass::NotFound,
                message: format!("{doing}: subnet {subnet} has no network ACL association yet"),
            }
        })?;
        if current.acl == *acl {
            return Ok(output(&current.id));
        }
        self.replace(&current.id, acl, doing)
            .await
            .map(|id| output(&id))
    }

    /// `ReplaceNetworkAclAssociation` moves the subnet in one step (a new association id).
    async fn change(
        &self,
        input: &UpdateInput,
        _: &Self::Key,
        (acl, _): &Self::Key,
        doing: &str,
    ) -> Made {
        self.replace(&input.physical_id, acl, doing)
            .await
            .map(|id| output(&id))
    }

    /// Back to the VPC's default network ACL, as CloudFormation does.
    async fn undo(&self, input: &DeleteInput, _: &Self::Key, doing: &str) -> Undone {
        let id = input.physical_id.as_str();
        let Some(seen) = self.associations(false, &[id], doing).await?.pop() else {
            return Ok(());
        };
        let default = network_acl::default_of(&self.ec2, &seen.vpc, doing)
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
        deleted(self.replace(&seen.id, &default, doing).await).map(drop)
    }

    async fn observe(&self, items: &[ReadInput], _: &[Self::Key], doing: &str) -> Observed {
        let ids: Vec<&str> = items.iter().map(|i| i.physical_id.as_str()).collect();
        let found = self.associations(false, &ids, doing).await?;
        Ok(items
            .iter()
            .map(|item| {
                let seen = found.iter().find(|a| a.id == item.physical_id)?;
                let properties = properties([
                    ("NetworkAclId", seen.acl.as_str()),
                    ("SubnetId", seen.subnet.as_str()),
                ]);
                Some((properties, output(&item.physical_id).attributes))
            })
            .collect())
    }

    /// By its natural key: the subnet's association, when it is with `NetworkAclId`.
    async fn existing(&self, (acl, subnet): &Self::Key, _: &FindInput, doing: &str) -> Found {
        Ok(self
            .of_subnet(subnet, doing)
            .await?
            .filter(|a| a.acl == *acl)
            .map(|a| output(&a.id)))
    }
}
