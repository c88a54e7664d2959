//! `AWS::EC2::Subnet`.
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
//! - find: by its infra tags (`DescribeSubnets`).
//!
//! `Ref` is the subnet id. Every documented property is supported.

use crate::providers::ec2::find::tag_coverage;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{ResourceType, Subnet};

use super::api::{Ec2, PROPAGATION_TIMEOUT, call, deleted, on_create};
use super::find;
use super::props::unchecked;
use super::tags;
use super::wait::{self, Poll};
use crate::generated::ec2::create_subnet;

use changes::Attrs;
pub(crate) use props::SPEC;
use props::attributes;

mod changes;
mod props;
mod read;

pub(crate) const TYPE: &str = "AWS::EC2::Subnet";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = tag_coverage!(
    "DescribeSubnets",
    "and DescribeNetworkAcls by association.subnet-id (200 ids per filter, pages followed)"
);

/// The subnet provider.
#[derive(Debug)]
pub(crate) struct SubnetProvider {
    pub(crate) ec2: Ec2,
}

impl SubnetProvider {
    pub(super) async fn wait_available(
        &self,
        subnet_id: &str,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let what = format!("subnet {subnet_id} to become available");
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.subnets([subnet_id], doing).await?;
            Ok(match found.first() {
                None => Poll::Pending("not visible yet".into()),
                Some(subnet) if state(subnet) == "available" => Poll::Ready(()),
                Some(subnet) => Poll::Pending(state(subnet)),
            })
        })
        .await
    }

    /// The output of a create or update. A new subnet's association with its VPC's default
    /// network ACL may take a moment to be visible.
    pub(super) async fn output(&self, subnet_id: &str, doing: &str) -> Made {
        let what = format!("the network ACL association of subnet {subnet_id}");
        let seen = wait::until(&what, PROPAGATION_TIMEOUT, || async move {
            let mut seen = self.describe([subnet_id], doing).await?;
            Ok(match seen.remove(subnet_id) {
                Some(s) if s.acl_association.is_some() => Poll::Ready(s),
                Some(_) => Poll::Pending("not visible yet".into()),
                None => Poll::Pending("subnet not visible".into()),
            })
        })
        .await?;
        Ok(ResourceOutput {
            physical_id: subnet_id.to_owned(),
            attributes: attributes(&seen, &Value::Null),
        })
    }
}

fn state(subnet: &Subnet) -> String {
    subnet
        .state()
        .map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned())
}

impl kit::Provider for SubnetProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let props = Props::root(&input.properties, ctx, SPEC)?;
        let tags = tags::desired(&props, &input.tags)?;
        let attrs = Attrs::of(&props)?;
        let request = create_subnet(&props, self.ec2.client.create_subnet())?;
        let request = request.set_tag_specifications(tags::spec(ResourceType::Subnet, &tags));
        let created = call!(self.ec2, request, &doing).map_err(on_create)?;
        let subnet_id = created
            .subnet()
            .and_then(Subnet::subnet_id)
            .ok_or_else(|| {
                ProviderError::fatal(format!("{doing}: CreateSubnet returned no subnet id"))
            })?
            .to_owned();
        self.wait_available(&subnet_id, &doing).await?;
        self.apply_attrs(&subnet_id, &Attrs::default(), &attrs, &doing)
            .await?;
        self.output(&subnet_id, &doing).await
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = unchecked(&input.before, ctx)?;
        let after = Props::root(&input.after, ctx, SPEC)?;
        let subnet_id = input.physical_id.as_str();
        let (attrs_before, attrs_after) = (Attrs::of(&before)?, Attrs::of(&after)?);
        let (ipv6_before, ipv6_after) = (before.str("Ipv6CidrBlock")?, after.str("Ipv6CidrBlock")?);
        if ipv6_before != ipv6_after {
            // Stop assigning IPv6 addresses while the block changes; start again (if wanted)
            // once the new one is associated.
            let turning_off = Attrs {
                assign_ipv6: None,
                ..attrs_before.clone()
            };
            self.apply_attrs(subnet_id, &attrs_before, &turning_off, &doing)
                .await?;
            self.change_ipv6_block(
                subnet_id,
                ipv6_before.as_deref(),
                ipv6_after.as_deref(),
                &doing,
            )
            .await?;
            self.apply_attrs(subnet_id, &turning_off, &attrs_after, &doing)
                .await?;
        } else {
            self.apply_attrs(subnet_id, &attrs_before, &attrs_after, &doing)
                .await?;
        }
        let props = (&before, &after);
        tags::change(&self.ec2, subnet_id, &doing, props, &input.tags).await?;
        self.output(subnet_id, &doing).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let subnet_id = input.physical_id.as_str();
        let request = self.ec2.client.delete_subnet().subnet_id(subnet_id);
        if !deleted(call!(self.ec2, request, &doing))? {
            return Ok(());
        }
        let what = format!("subnet {subnet_id} to be deleted");
        let doing = &doing;
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.subnets([subnet_id], doing).await?;
            Ok(match found.first() {
                None => Poll::Ready(()),
                Some(subnet) => Poll::Pending(state(subnet)),
            })
        })
        .await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    /// By its infra tags (`DescribeSubnets`); then, as the create does, until it is
    /// `available` and its network ACL association shows.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let doing = ctx.doing("finding");
        let found = (self.subnets_where(find::tag_filters(input, &doing)?, &doing)).await?;
        let Some((subnet_id, _)) = find::pick(found, input, "subnet", &doing)? else {
            return Ok(None);
        };
        self.wait_available(&subnet_id, &doing).await?;
        self.output(&subnet_id, &doing).await.map(Some)
    }
}
