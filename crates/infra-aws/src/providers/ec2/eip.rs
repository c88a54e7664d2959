//! `AWS::EC2::EIP`: an Elastic IP address, an [`Object`] whose physical id is its public IP.
//!
//! - create: `AllocateAddress` (domain, pools, a specific address, tags; the request is filled
//!   by code generated from the schema, `generated/ec2.rs`, mapped in `mappings/ec2.toml`),
//!   then `AssociateAddress` when `InstanceId` is set (retried while the new allocation is not
//!   visible yet), then until a describe shows it.
//! - update: `InstanceId` (disassociate, then associate), tags (on the allocation). `Domain`,
//!   `PublicIpv4Pool` cannot change in place (AWS has no call for it).
//! - read: `DescribeAddresses` (not paginated) filtered by public IP (200 per call).
//! - delete: disassociate when associated, then `ReleaseAddress` by allocation id (a missing
//!   address is success; `InvalidIPAddress.InUse` while a NAT gateway still holds it is a
//!   dependency violation).
//! - find: by its infra tags (`DescribeAddresses`). An association with `InstanceId` that the
//!   interrupted create did not make yet shows as drift at the next plan.
//!
//! `Ref` is the public IP address (CloudFormation's documented value); the allocation id is
//! `Fn::GetAtt AllocationId`. Not supported yet: `TransferAddress` (accepting a transfer from
//! another account).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Address, Filter};

use super::api::{Ec2, call, deleted, retry_while_not_found};
use super::object::{Change, New, Object, object_header, reported, seen};
use crate::generated::ec2::{allocate_address, report_address};

pub(crate) const TYPE: &str = "AWS::EC2::EIP";

pub(crate) const SPEC: Keys = crate::generated::ec2::EIP;

/// Properties with no in-place change in the EC2 API.
const FIXED: &[&str] = &[
    "Domain",
    "PublicIpv4Pool",
    "NetworkBorderGroup",
    "Address",
    "IpamPoolId",
];

/// The Elastic IP type.
#[derive(Debug)]
pub(crate) struct EipType;

/// `AssociateAddress` of `allocation` with `instance`, retried while the allocation is new.
async fn associate(
    ec2: &Ec2,
    allocation: &str,
    instance: &str,
    doing: &str,
) -> Result<(), ProviderError> {
    retry_while_not_found(|| async move {
        let request = ec2.client.associate_address().allocation_id(allocation);
        call!(ec2, request.instance_id(instance), doing).map(drop)
    })
    .await
}

/// `DisassociateAddress` of `address`, when it is associated.
async fn disassociate(ec2: &Ec2, address: &Address, doing: &str) -> Result<(), ProviderError> {
    let Some(association) = address.association_id().filter(|a| !a.is_empty()) else {
        return Ok(());
    };
    let request = ec2.client.disassociate_address();
    deleted(call!(ec2, request.association_id(association), doing)).map(drop)
}

impl Object for EipType {
    object_header!(
        Address,
        ElasticIp,
        "address",
        "DescribeAddresses",
        "filtered by public IP (200 per call)"
    );
    const WRITE_ONLY: &'static [&'static str] = &["Address", "IpamPoolId"];
    const ID_FILTER: Option<&'static str> = Some("public-ip");

    async fn create(&self, ec2: &Ec2, new: New<'_>) -> Result<String, ProviderError> {
        let request = allocate_address(new.props, ec2.client.allocate_address())?;
        let request = request.set_tag_specifications(new.tags);
        let allocated = call!(ec2, request, new.doing)?;
        let (Some(allocation), Some(ip)) = (allocated.allocation_id(), allocated.public_ip())
        else {
            return Err(ProviderError::fatal(format!(
                "{}: AllocateAddress returned no allocation id (EC2-Classic addresses are \
                 retired; use Domain: vpc)",
                new.doing
            )));
        };
        if let Some(instance) = new.props.str("InstanceId")? {
            associate(ec2, allocation, &instance, new.doing).await?;
        }
        Ok(ip.to_owned())
    }

    /// `DescribeAddresses` is not paginated: one call.
    async fn describe(
        &self,
        ec2: &Ec2,
        _ids: Option<Vec<String>>,
        filters: Option<Vec<Filter>>,
        doing: &str,
    ) -> Result<Vec<Address>, ProviderError> {
        let request = ec2.client.describe_addresses().set_filters(filters);
        let page = call!(ec2, request, doing)?;
        Ok(page.addresses.unwrap_or_default())
    }

    async fn delete(&self, ec2: &Ec2, ip: &str, doing: &str) -> Result<(), ProviderError> {
        let Some(address) = seen(self, ec2, ip, doing).await? else {
            return Ok(());
        };
        // An address a NAT gateway holds is released when the NAT gateway is deleted; only
        // an association made through AssociateAddress is undone here.
        if address.instance_id().is_some_and(|i| !i.is_empty()) {
            disassociate(ec2, &address, doing).await?;
        }
        let request = ec2
            .client
            .release_address()
            .set_allocation_id(address.allocation_id.clone())
            .set_network_border_group(address.network_border_group.clone());
        call!(ec2, request, doing).map(drop)
    }

    async fn update(&self, ec2: &Ec2, change: &Change<'_>) -> Result<(), ProviderError> {
        let (before, after, doing) = (change.before, change.after, change.doing);
        for key in FIXED {
            if before.str(key)? != after.str(key)? {
                return Err(ProviderError::fatal(format!(
                    "{doing}: {key} cannot change in place; the address must be replaced"
                )));
            }
        }
        let (old, new) = (before.str("InstanceId")?, after.str("InstanceId")?);
        if old == new {
            return Ok(());
        }
        let Some(address) = seen(self, ec2, change.id, doing).await? else {
            return Err(ProviderError {
                class: crate::provider::FailureClass::NotFound,
                message: format!("{doing}: address {} no longer exists", change.id),
            });
        };
        disassociate(ec2, &address, doing).await?;
        match (&new, address.allocation_id()) {
            (Some(instance), Some(allocation)) => associate(ec2, allocation, instance, doing).await,
            _ => Ok(()),
        }
    }

    fn observe(address: &Address, last: &Value) -> Map<String, Value> {
        reported(report_address(address), last)
    }

    fn attributes(address: &Address) -> BTreeMap<String, Value> {
        let mut attributes = BTreeMap::from([("PublicIp".to_owned(), json!(address.public_ip()))]);
        if let Some(id) = address.allocation_id() {
            attributes.insert("AllocationId".into(), json!(id));
        }
        attributes
    }
}
