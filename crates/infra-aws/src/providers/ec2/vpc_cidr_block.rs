//! `AWS::EC2::VPCCidrBlock`: a further CIDR block of a VPC, IPv4 or IPv6 (Amazon-provided, from
//! an IPv6 pool, or from an IPAM pool).
//!
//! - create: `AssociateVpcCidrBlock` (its request generated from `mappings/ec2.toml`), then wait until the association is `associated`.
//! - update: every property is create-only; the plan replaces it.
//! - read: the VPCs, `DescribeVpcs` filtered by `vpc-id` (200 per filter, pages followed), and
//!   in each its association of that id; one `disassociating`, `disassociated` or `failed` is
//!   gone.
//! - delete: `DisassociateVpcCidrBlock` (a missing association is success), then wait until it
//!   is gone.
//! - find: not taggable, so by its natural key: the VPC's live association of the same family
//!   (IPv4 or IPv6) with the template's block (`CidrBlock`, `Ipv6CidrBlock`) or pool
//!   (`Ipv6Pool`; Amazon's for `AmazonProvidedIpv6CidrBlock`), never the VPC's primary block;
//!   two candidates are an error naming both.
//!
//! Not taggable. `Ref` and `Fn::GetAtt Id` are the association id (`vpc-cidr-assoc-...`);
//! `Fn::GetAtt IpSource` and `Ipv6AddressAttribute` are those of an IPv6 block. The IPAM and
//! Amazon-provided properties are not reported by the API and are kept as last applied. Every
//! documented property is supported.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Vpc, VpcCidrBlockState};

use super::api::{call, deleted, id_output, returned};
use super::association::{Association, Observed, Undone, association, until_associated};
use super::props::{put, unchecked};
use super::vpc;
use crate::generated::ec2::associate_vpc_cidr_block;

association!(
    VpcCidrBlockProvider,
    "AWS::EC2::VPCCidrBlock",
    VPC_CIDR_BLOCK,
    refresh: "DescribeVpcs of the blocks' VPCs (200 ids per filter, pages followed)",
    find: "the VPC's live association with the template's block or pool"
);

/// Properties the API never reports.
const WRITE_ONLY: &[&str] = &[
    "AmazonProvidedIpv6CidrBlock",
    "Ipv4IpamPoolId",
    "Ipv4NetmaskLength",
    "Ipv6IpamPoolId",
    "Ipv6NetmaskLength",
];

/// The pool AWS reports for an Amazon-provided IPv6 block.
const AMAZON_POOL: &str = "Amazon";

/// One association of a VPC, either family.
#[derive(Debug, Clone, PartialEq, Default)]
struct Block {
    id: String,
    ipv6: bool,
    cidr: Option<String>,
    state: String,
    pool: Option<String>,
    border_group: Option<String>,
    ip_source: Option<String>,
    address_attribute: Option<String>,
}

impl Block {
    fn live(&self) -> bool {
        matches!(self.state.as_str(), "associating" | "associated")
    }

    fn output(&self) -> ResourceOutput {
        let mut out = id_output("Id", &self.id);
        let (source, attribute) = (&self.ip_source, &self.address_attribute);
        let extra = [("IpSource", source), ("Ipv6AddressAttribute", attribute)];
        let extra = extra
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), json!(v.as_ref()?))));
        out.attributes.extend(extra);
        out
    }

    fn observed(&self, vpc: &str) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "VpcId", Some(vpc));
        let block = ["CidrBlock", "Ipv6CidrBlock"][usize::from(self.ipv6)];
        put(&mut map, block, self.cidr.as_deref());
        put(&mut map, "Ipv6Pool", self.pool.as_deref());
        let group = self.border_group.as_deref();
        put(&mut map, "Ipv6CidrBlockNetworkBorderGroup", group);
        map
    }
}

/// Every CIDR block association of `vpc` but its primary block's.
fn blocks(vpc: &Vpc) -> Vec<Block> {
    let state = |s: Option<&VpcCidrBlockState>| {
        let code = s.and_then(|s| s.state());
        code.map_or("associated", |s| s.as_str()).to_owned()
    };
    let ipv4 = vpc
        .cidr_block_association_set()
        .iter()
        .filter(|a| a.cidr_block() != vpc.cidr_block())
        .map(|a| Block {
            id: a.association_id().unwrap_or_default().to_owned(),
            cidr: a.cidr_block().map(str::to_owned),
            state: state(a.cidr_block_state()),
            ..Block::default()
        });
    let ipv6 = vpc.ipv6_cidr_block_association_set().iter().map(|a| Block {
        id: a.association_id().unwrap_or_default().to_owned(),
        ipv6: true,
        cidr: a.ipv6_cidr_block().map(str::to_owned),
        state: state(a.ipv6_cidr_block_state()),
        pool: a.ipv6_pool().map(str::to_owned),
        border_group: a.network_border_group().map(str::to_owned),
        ip_source: a.ip_source().map(|s| s.as_str().to_owned()),
        address_attribute: a.ipv6_address_attribute().map(|s| s.as_str().to_owned()),
    });
    ipv4.chain(ipv6).collect()
}

/// Whether the properties ask for an IPv6 block.
fn wants_ipv6(props: &Props<'_>) -> Result<bool, ProviderError> {
    let keys = [
        "Ipv6CidrBlock",
        "Ipv6IpamPoolId",
        "Ipv6Pool",
        "Ipv6NetmaskLength",
    ];
    Ok(props.bool("AmazonProvidedIpv6CidrBlock")? == Some(true)
        || keys.iter().any(|k| props.get(k).is_some()))
}

/// Whether `block` is what the properties ask for (for `find`).
fn is_wanted(block: &Block, props: &Props<'_>) -> Result<bool, ProviderError> {
    let ipv6 = wants_ipv6(props)?;
    let cidr = props.str(if ipv6 { "Ipv6CidrBlock" } else { "CidrBlock" })?;
    let pool = match props.bool("AmazonProvidedIpv6CidrBlock")? {
        Some(true) => Some(AMAZON_POOL.to_owned()),
        _ => props.str("Ipv6Pool")?,
    };
    Ok(block.live()
        && block.ipv6 == ipv6
        && cidr.is_none_or(|c| block.cidr.as_deref() == Some(c.as_str()))
        && pool.is_none_or(|p| block.pool.as_deref() == Some(p.as_str())))
}

impl VpcCidrBlockProvider {
    /// The association `id` of the VPC `vpc`, if both exist.
    async fn block(
        &self,
        vpc: &str,
        id: &str,
        doing: &str,
    ) -> Result<Option<Block>, ProviderError> {
        let vpcs = vpc::describe(&self.ec2, [vpc], doing).await?;
        Ok(vpcs.iter().flat_map(blocks).find(|b| b.id == id))
    }

    /// Waits until the association is `associated` (or, with `associated` false, on its way
    /// out or gone).
    async fn wait(
        &self,
        vpc: &str,
        id: &str,
        associated: bool,
        doing: &str,
    ) -> Result<Option<Block>, ProviderError> {
        let noun = format!("CIDR block association {id} of VPC {vpc}");
        until_associated(&noun, associated, doing, || async move {
            let block = self.block(vpc, id, doing).await?;
            let failed = |b: &Block| b.state == "failing" || b.state == "failed";
            let block = block.filter(|b| associated || b.live() || failed(b));
            Ok(block.map(|b| (b.state.clone(), b)))
        })
        .await
    }
}

impl Association for VpcCidrBlockProvider {
    const OF: Option<&'static str> = None;
    const WRITE_ONLY: &'static [&'static str] = WRITE_ONLY;
    /// The VPC, and all the properties.
    type Key = (String, Value);

    fn key(props: &Props<'_>) -> Result<Self::Key, ProviderError> {
        let set = SPEC.supported.iter();
        let all = set.filter_map(|k| Some(((*k).to_owned(), props.get(k)?.clone())));
        let all = all.collect();
        Ok((props.required_str("VpcId")?, Value::Object(all)))
    }

    async fn make(&self, (vpc, props): &Self::Key, input: &CreateInput, doing: &str) -> Made {
        let props = unchecked(props, Ctx::new(TYPE, &input.address))?;
        let request = self.ec2.client.associate_vpc_cidr_block();
        let request = associate_vpc_cidr_block(&props, request)?;
        let associated = call!(self.ec2, request, doing)?;
        let ipv6 = associated.ipv6_cidr_block_association();
        let ipv4 = associated.cidr_block_association();
        let id = (ipv6.and_then(|a| a.association_id())).or(ipv4.and_then(|a| a.association_id()));
        let id = returned(id, "AssociateVpcCidrBlock", doing)?;
        let block = self.wait(vpc, &id, true, doing).await?;
        Ok(block.map_or_else(|| id_output("Id", &id), |b| b.output()))
    }

    async fn undo(&self, input: &DeleteInput, (vpc, _): &Self::Key, doing: &str) -> Undone {
        let id = &input.physical_id;
        let request = self.ec2.client.disassociate_vpc_cidr_block();
        let sent = call!(self.ec2, request.association_id(id), doing);
        if !deleted(sent)? {
            return Ok(());
        }
        self.wait(vpc, id, false, doing).await.map(drop)
    }

    async fn observe(&self, items: &[ReadInput], keys: &[Self::Key], doing: &str) -> Observed {
        let vpcs = vpc::describe(&self.ec2, keys.iter().map(|(v, _)| v.as_str()), doing).await?;
        let mut found = Vec::new();
        for v in &vpcs {
            let live = blocks(v).into_iter().filter(Block::live);
            found.extend(live.map(|b| (v.vpc_id().unwrap_or_default(), b)));
        }
        Ok(items
            .iter()
            .map(|item| {
                let (vpc, block) = found.iter().find(|(_, b)| b.id == item.physical_id)?;
                Some((block.observed(vpc), block.output().attributes))
            })
            .collect())
    }

    /// By its natural key: the VPC's live association of the same family with the template's
    /// block or pool (never the VPC's primary block).
    async fn existing(&self, (vpc, props): &Self::Key, input: &FindInput, doing: &str) -> Found {
        let props = unchecked(props, Ctx::new(TYPE, &input.address))?;
        let mut candidates = Vec::new();
        let vpcs = vpc::describe(&self.ec2, [vpc.as_str()], doing).await?;
        for block in vpcs.iter().flat_map(blocks) {
            if is_wanted(&block, &props)? && input.replacing.as_deref() != Some(block.id.as_str()) {
                candidates.push(block.id);
            }
        }
        match candidates.as_slice() {
            [] => Ok(None),
            [one] => Ok(self.wait(vpc, one, true, doing).await?.map(|b| b.output())),
            many => Err(ProviderError::fatal(format!(
                "{doing}: VPC {vpc} has {} CIDR blocks that match its properties ({}); \
                 disassociate the extra ones so that only one is adopted",
                many.len(),
                many.join(", ")
            ))),
        }
    }
}

#[cfg(test)]
#[path = "tests/vpc_cidr_block.rs"]
mod tests;
