//! `AWS::EC2::Subnet`, an [`Object`] whose settings, attributes and read are more than its
//! describe:
//!
//! - create: `CreateSubnet` (VPC, CIDR or IPAM pools, zone, IPv6, Outpost: the request is
//!   generated from `mappings/ec2.toml`; tags), wait until
//!   `available`, then one `ModifySubnetAttribute` per attribute that differs from what EC2 gave
//!   the new subnet (the API takes one attribute per call): `MapPublicIpOnLaunch`,
//!   `AssignIpv6AddressOnCreation`, `EnableDns64`, `EnableLniAtDeviceIndex` and the three
//!   `PrivateDnsNameOptionsOnLaunch` settings.
//! - update: those attributes (a removed one goes back to EC2's default), `Ipv6CidrBlock`
//!   (`DisassociateSubnetCidrBlock` then `AssociateSubnetCidrBlock`, waiting for each), tags.
//! - read: one `DescribeSubnets` and one `DescribeNetworkAcls` (their network ACL associations,
//!   which `AWS::EC2::SubnetNetworkAclAssociation` changes) per page for all subnets.
//! - delete: `DeleteSubnet` (`DependencyViolation` while network interfaces remain), then wait
//!   until it is gone.
//! - find: by its infra tags (`DescribeSubnets`), then until it is `available` and its network
//!   ACL association shows.
//!
//! `Ref` is the subnet id. Every documented property is supported.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::Subnet;

use super::api::{Ec2, PAGE_SIZE, call, returned};
use super::find::unavailable;
use super::object::{Change, New, Object, id_delete, object_header, paged_describe, ready};
use crate::generated::ec2::create_subnet;

use changes::Attrs;
pub(crate) use props::SPEC;

mod changes;
mod props;
mod read;

pub(crate) const TYPE: &str = "AWS::EC2::Subnet";

/// The subnet type, with the client its own reads and changes call.
#[derive(Debug)]
pub(crate) struct SubnetType {
    pub(crate) ec2: Ec2,
}

impl Object for SubnetType {
    object_header!(
        Subnet,
        Subnet,
        "subnet",
        "DescribeSubnets",
        "and DescribeNetworkAcls by association.subnet-id (200 ids per filter, pages followed)"
    );
    const WRITE_ONLY: &'static [&'static str] = props::WRITE_ONLY;
    const ID_FILTER: Option<&'static str> = Some("subnet-id");
    const TAGS_ON_PHYSICAL_ID: bool = true;

    async fn create(&self, ec2: &Ec2, new: New<'_>) -> Result<String, ProviderError> {
        Attrs::of(new.props)?; // checked before anything is made
        let request = create_subnet(new.props, ec2.client.create_subnet())?;
        let created = call!(ec2, request.set_tag_specifications(new.tags), new.doing)?;
        let id = created.subnet().and_then(Subnet::subnet_id);
        let subnet_id = returned(id, "CreateSubnet", new.doing)?;
        ready(self, ec2, &subnet_id, new.doing).await?;
        Ok(subnet_id)
    }

    async fn created(&self, ec2: &Ec2, id: &str, props: &Props<'_>, doing: &str) -> Made {
        let attrs = Attrs::of(props)?;
        self.apply_attrs(id, &Attrs::default(), &attrs, doing)
            .await?;
        self.usable(ec2, id, Some(props), doing).await
    }

    paged_describe!(
        Subnet,
        describe_subnets,
        set_subnet_ids,
        set_filters,
        subnets,
        PAGE_SIZE
    );

    id_delete!(delete_subnet, subnet_id);

    async fn update(&self, _ec2: &Ec2, change: &Change<'_>) -> Result<(), ProviderError> {
        let (before, after, doing) = (change.before, change.after, change.doing);
        let subnet_id = change.id;
        let (attrs_before, attrs_after) = (Attrs::of(before)?, Attrs::of(after)?);
        let (ipv6_before, ipv6_after) = (before.str("Ipv6CidrBlock")?, after.str("Ipv6CidrBlock")?);
        if ipv6_before == ipv6_after {
            return (self.apply_attrs(subnet_id, &attrs_before, &attrs_after, doing)).await;
        }
        // Stop assigning IPv6 addresses while the block changes; start again (if wanted) once
        // the new one is associated.
        let turning_off = Attrs {
            assign_ipv6: None,
            ..attrs_before.clone()
        };
        (self.apply_attrs(subnet_id, &attrs_before, &turning_off, doing)).await?;
        let (old, new) = (ipv6_before.as_deref(), ipv6_after.as_deref());
        self.change_ipv6_block(subnet_id, old, new, doing).await?;
        (self.apply_attrs(subnet_id, &turning_off, &attrs_after, doing)).await
    }

    async fn usable(&self, _ec2: &Ec2, id: &str, _props: Option<&Props<'_>>, doing: &str) -> Made {
        self.output(id, doing).await
    }

    async fn read(&self, _ec2: &Ec2, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    fn observe(subnet: &Subnet, last: &Value) -> Map<String, Value> {
        props::observed_properties(subnet, last)
    }

    fn pending(subnet: &Subnet) -> Result<Option<String>, String> {
        Ok(unavailable(subnet))
    }
}
