//! `AWS::EC2::VPC`.
//!
//! - create: `CreateVpc` (CIDR block or IPAM pool, tenancy: the request is generated from
//!   `mappings/ec2.toml`; tags), wait until `available`
//!   (unless CreateVpc says so already), then, at once, `ModifyVpcAttribute` for
//!   `EnableDnsSupport` / `EnableDnsHostnames` (one attribute per call as the API requires, in
//!   an order AWS accepts: hostnames need DNS support) and the reads of the VPC and its default
//!   security group and network ACL.
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
//! - find: by its infra tags (`DescribeVpcs`), then as after a create, with the DNS attributes
//!   read back.
//!
//! `Ref` is the VPC id. Not supported yet: `VpcEncryptionControl`.

use crate::providers::ec2::find::tag_coverage;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{ResourceType, Vpc, VpcAttributeName};

use super::api::{Ec2, call, deleted, on_create};
use super::find;
use super::props::unchecked;
use super::tags;
use super::wait::{self, Poll};
use crate::generated::ec2::create_vpc;

use dns::Dns;
pub(crate) use props::SPEC;
use props::attributes;
pub(crate) use read::describe;

mod dns;
mod props;
mod read;

pub(crate) const TYPE: &str = "AWS::EC2::VPC";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = tag_coverage!(
    "DescribeVpcs",
    "(200 ids per filter, pages followed); DescribeVpcAttribute per VPC for each DNS flag the template sets; its default security group and network ACL only for records without them"
);

/// The VPC provider.
#[derive(Debug)]
pub(crate) struct VpcProvider {
    pub(crate) ec2: Ec2,
}

impl VpcProvider {
    /// Waits until the new VPC is `available`.
    async fn wait_available(&self, vpc_id: &str, doing: &str) -> Result<(), ProviderError> {
        let what = format!("VPC {vpc_id} to become available");
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = describe(&self.ec2, [vpc_id], doing).await?;
            Ok(match found.first() {
                None => Poll::Pending("not visible yet".into()),
                Some(vpc) if state(vpc) == "available" => Poll::Ready(()),
                Some(vpc) => Poll::Pending(state(vpc)),
            })
        })
        .await
    }

    /// The output of a create or update: what `Ref` and `Fn::GetAtt` return. The default
    /// security group and network ACL of a new VPC may take a moment to be visible.
    async fn output(&self, vpc_id: &str, doing: &str, dns: Dns) -> Made {
        let what = format!("the default security group and network ACL of VPC {vpc_id}");
        let seen = wait::until(&what, super::api::PROPAGATION_TIMEOUT, || async move {
            let mut seen = self.describe([vpc_id], doing).await?;
            Ok(match seen.remove(vpc_id) {
                Some(s)
                    if s.default_security_group.is_some() && s.default_network_acl.is_some() =>
                {
                    Poll::Ready(s)
                }
                Some(_) => Poll::Pending("not visible yet".into()),
                None => Poll::Pending("VPC not visible".into()),
            })
        })
        .await?;
        let mut attributes = attributes(&seen, &Value::Null);
        attributes.insert("EnableDnsSupport".into(), Value::Bool(dns.support));
        attributes.insert("EnableDnsHostnames".into(), Value::Bool(dns.hostnames));
        Ok(ResourceOutput {
            physical_id: vpc_id.to_owned(),
            attributes,
        })
    }
}

fn state(vpc: &Vpc) -> String {
    vpc.state()
        .map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned())
}

impl kit::Provider for VpcProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let props = Props::root(&input.properties, ctx, SPEC)?;
        let tags = tags::desired(&props, &input.tags)?;
        let dns = Dns::of(&props)?;
        let request = create_vpc(&props, self.ec2.client.create_vpc())?;
        let request = request.set_tag_specifications(tags::spec(ResourceType::Vpc, &tags));
        let created = call!(self.ec2, request, &doing).map_err(on_create)?;
        let vpc_id = created
            .vpc()
            .and_then(Vpc::vpc_id)
            .ok_or_else(|| ProviderError::fatal(format!("{doing}: CreateVpc returned no VPC id")))?
            .to_owned();
        if created.vpc().map(state).as_deref() != Some("available") {
            self.wait_available(&vpc_id, &doing).await?;
        }
        // The DNS attributes and the read of the defaults do not depend on each other.
        let ((), output) = tokio::try_join!(
            self.apply_dns(&vpc_id, Dns::DEFAULT, dns, &doing),
            self.output(&vpc_id, &doing, dns)
        )?;
        Ok(output)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = unchecked(&input.before, ctx)?;
        let after = Props::root(&input.after, ctx, SPEC)?;
        let vpc_id = input.physical_id.as_str();

        let tenancy_before = before.str("InstanceTenancy")?.unwrap_or("default".into());
        let tenancy_after = after.str("InstanceTenancy")?.unwrap_or("default".into());
        if tenancy_before != tenancy_after {
            if tenancy_after != "default" {
                return Err(ProviderError::fatal(format!(
                    "{doing}: InstanceTenancy can only change in place from dedicated to \
                     default; changing it to {tenancy_after} replaces the VPC"
                )));
            }
            let request = self.ec2.client.modify_vpc_tenancy().vpc_id(vpc_id);
            let request = request.instance_tenancy("default".into());
            call!(self.ec2, request, &doing)?;
        }

        let dns = Dns::of(&after)?;
        self.apply_dns(vpc_id, Dns::of(&before)?, dns, &doing)
            .await?;
        let props = (&before, &after);
        tags::change(&self.ec2, vpc_id, &doing, props, &input.tags).await?;
        self.output(vpc_id, &doing, dns).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let vpc_id = input.physical_id.as_str();
        let request = self.ec2.client.delete_vpc().vpc_id(vpc_id);
        if !deleted(call!(self.ec2, request, &doing))? {
            return Ok(());
        }
        let what = format!("VPC {vpc_id} to be deleted");
        let doing = &doing;
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = describe(&self.ec2, [vpc_id], doing).await?;
            Ok(match found.first() {
                None => Poll::Ready(()),
                Some(vpc) => Poll::Pending(state(vpc)),
            })
        })
        .await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    /// By its infra tags (`DescribeVpcs`); then, as the create does, until it is `available`
    /// and its defaults show. The DNS attributes are read, not assumed: an interrupted create
    /// may not have set them yet.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let doing = ctx.doing("finding");
        let filters = find::tag_filters(input, &doing)?;
        let found = read::vpcs_where(&self.ec2, filters, &doing).await?;
        let Some((vpc_id, _)) = find::pick(found, input, "VPC", &doing)? else {
            return Ok(None);
        };
        self.wait_available(&vpc_id, &doing).await?;
        let dns = Dns {
            support: (self.dns_attribute(&vpc_id, VpcAttributeName::EnableDnsSupport, &doing))
                .await?,
            hostnames: (self.dns_attribute(&vpc_id, VpcAttributeName::EnableDnsHostnames, &doing))
                .await?,
        };
        self.output(&vpc_id, &doing, dns).await.map(Some)
    }
}
