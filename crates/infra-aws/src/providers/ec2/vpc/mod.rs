//! `AWS::EC2::VPC`, an [`Object`] whose settings, attributes and read are more than its
//! describe:
//!
//! - create: `CreateVpc` (CIDR block or IPAM pool, tenancy: the request is generated from
//!   `mappings/ec2.toml`; tags), wait until `available` (unless CreateVpc says so already),
//!   then `ModifyVpcAttribute` for `EnableDnsSupport` / `EnableDnsHostnames` (one attribute per
//!   call as the API requires, in an order AWS accepts: hostnames need DNS support) beside the
//!   reads of the VPC and its default security group and network ACL.
//! - update: DNS attributes, `InstanceTenancy` from `dedicated` to `default` (`ModifyVpcTenancy`;
//!   the other direction replaces, as CloudFormation documents), tags.
//! - read: one `DescribeVpcs` per page for all VPCs (its CIDR blocks, IPv6 ones included, are
//!   read every time: `AWS::EC2::VPCCidrBlock` changes them). The default security group and network
//!   ACL are made with the VPC and can be neither deleted nor swapped, so their recorded ids are
//!   kept; only a record without them costs one `DescribeSecurityGroups` and one
//!   `DescribeNetworkAcls` per page. `DescribeVpcAttribute` has no batched form: it is called
//!   per VPC and attribute, only for VPCs whose template sets that attribute.
//! - delete: `DeleteVpc` (`DependencyViolation` while subnets, gateways or groups remain), then
//!   wait until it is gone.
//! - find: by its infra tags (`DescribeVpcs`), then until it is `available` and its defaults
//!   show, with the DNS attributes read back (an interrupted create may not have set them).
//!
//! `Ref` is the VPC id. Not supported yet: `VpcEncryptionControl`.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Vpc, VpcAttributeName};

use super::api::{Ec2, PAGE_SIZE, call, returned};
use super::find::unavailable;
use super::object::{Change, New, Object, id_delete, object_header, paged_describe, ready};
use crate::generated::ec2::create_vpc;

use dns::Dns;
pub(crate) use props::SPEC;
pub(crate) use read::describe;

mod dns;
mod props;
mod read;

pub(crate) const TYPE: &str = "AWS::EC2::VPC";

/// The VPC type, with the client its own reads call.
#[derive(Debug)]
pub(crate) struct VpcType {
    pub(crate) ec2: Ec2,
}

impl Object for VpcType {
    object_header!(
        Vpc,
        Vpc,
        "VPC",
        "DescribeVpcs",
        "(200 ids per filter, pages followed); DescribeVpcAttribute per VPC for each DNS flag the template sets; its default security group and network ACL only for records without them"
    );
    const WRITE_ONLY: &'static [&'static str] = props::WRITE_ONLY;
    const ID_FILTER: Option<&'static str> = Some("vpc-id");
    const TAGS_ON_PHYSICAL_ID: bool = true;

    async fn create(&self, ec2: &Ec2, new: New<'_>) -> Result<String, ProviderError> {
        Dns::of(new.props)?; // checked before anything is made
        let request = create_vpc(new.props, ec2.client.create_vpc())?;
        let created = call!(ec2, request.set_tag_specifications(new.tags), new.doing)?;
        let vpc_id = returned(created.vpc().and_then(Vpc::vpc_id), "CreateVpc", new.doing)?;
        if created.vpc().is_none_or(|vpc| unavailable(vpc).is_some()) {
            ready(self, ec2, &vpc_id, new.doing).await?;
        }
        Ok(vpc_id)
    }

    async fn created(&self, _ec2: &Ec2, id: &str, props: &Props<'_>, doing: &str) -> Made {
        // The DNS attributes and the read of the defaults do not depend on each other.
        let dns = Dns::of(props)?;
        let ((), output) = tokio::try_join!(
            self.apply_dns(id, Dns::DEFAULT, dns, doing),
            self.output(id, doing, dns)
        )?;
        Ok(output)
    }

    paged_describe!(
        Vpc,
        describe_vpcs,
        set_vpc_ids,
        set_filters,
        vpcs,
        PAGE_SIZE
    );

    id_delete!(delete_vpc, vpc_id);

    async fn update(&self, ec2: &Ec2, change: &Change<'_>) -> Result<(), ProviderError> {
        let (before, after, doing) = (change.before, change.after, change.doing);
        let tenancy_before = before.str("InstanceTenancy")?.unwrap_or("default".into());
        let tenancy_after = after.str("InstanceTenancy")?.unwrap_or("default".into());
        if tenancy_before != tenancy_after {
            if tenancy_after != "default" {
                return Err(ProviderError::fatal(format!(
                    "{doing}: InstanceTenancy can only change in place from dedicated to \
                     default; changing it to {tenancy_after} replaces the VPC"
                )));
            }
            let request = ec2.client.modify_vpc_tenancy().vpc_id(change.id);
            call!(ec2, request.instance_tenancy("default".into()), doing)?;
        }
        self.apply_dns(change.id, Dns::of(before)?, Dns::of(after)?, doing)
            .await
    }

    /// Until its default security group and network ACL show; after a find, once it is
    /// `available`, with the DNS attributes read (a create or update knows them).
    async fn usable(&self, ec2: &Ec2, id: &str, props: Option<&Props<'_>>, doing: &str) -> Made {
        let dns = match props {
            Some(props) => Dns::of(props)?,
            None => {
                ready(self, ec2, id, doing).await?;
                let read = |attribute| self.dns_attribute(id, attribute, doing);
                Dns {
                    support: read(VpcAttributeName::EnableDnsSupport).await?,
                    hostnames: read(VpcAttributeName::EnableDnsHostnames).await?,
                }
            }
        };
        self.output(id, doing, dns).await
    }

    async fn read(&self, _ec2: &Ec2, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    fn observe(vpc: &Vpc, last: &Value) -> Map<String, Value> {
        props::observed_properties(vpc, last)
    }

    fn pending(vpc: &Vpc) -> Result<Option<String>, String> {
        Ok(unavailable(vpc))
    }
}
