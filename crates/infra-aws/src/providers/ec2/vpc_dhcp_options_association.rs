//! `AWS::EC2::VPCDHCPOptionsAssociation`: which DHCP options set a VPC uses. A VPC uses exactly
//! one (or `default`: none), so associating is replacing, and deleting is going back to
//! `default`, as CloudFormation does.
//!
//! - create: `AssociateDhcpOptions`, then wait until `DescribeVpcs` shows it.
//! - update: both properties are create-only, so the plan replaces it; should a new set reach
//!   an update anyway, `AssociateDhcpOptions` moves the VPC to it in one step.
//! - read: the VPCs, `DescribeVpcs` filtered by `vpc-id` (200 per filter, pages followed); a VPC
//!   that uses another set no longer has this association.
//! - delete: `AssociateDhcpOptions` with `default`, only while the VPC still uses this set (a
//!   replacement that moved it to another set has nothing left to undo); a missing VPC is
//!   success.
//! - find: not taggable, so by its natural key: the VPC, when it uses `DhcpOptionsId`.
//!
//! Not taggable. `Ref` is `dopt-...|vpc-...`, the schema's primary identifier (`DhcpOptionsId`,
//! `VpcId`); there is no `Fn::GetAtt` attribute. Every documented property is supported.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Vpc;

use super::api::{call, deleted};
use super::association::{Association, Observed, Undone, association, properties, two_ids};
use super::vpc;
use super::wait::{self, Poll};
use crate::providers::kit::prelude::*;

association!(
    VpcDhcpOptionsAssociationProvider,
    "AWS::EC2::VPCDHCPOptionsAssociation",
    VPCDHCP_OPTIONS_ASSOCIATION,
    refresh: "DescribeVpcs of the associations' VPCs (200 ids per filter, pages followed)",
    find: "the VPC, when it uses DhcpOptionsId"
);

fn output((options, vpc): &(String, String)) -> ResourceOutput {
    output_of(&format!("{options}|{vpc}"), [])
}

impl VpcDhcpOptionsAssociationProvider {
    /// The DHCP options set of each VPC of `vpcs` that exists, by VPC id.
    async fn options<'i>(
        &self,
        vpcs: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let vpcs = vpc::describe(&self.ec2, vpcs, doing).await?;
        let options = |v: Vpc| Some((v.vpc_id?, v.dhcp_options_id.unwrap_or("default".into())));
        Ok(vpcs.into_iter().filter_map(options).collect())
    }

    /// Whether the VPC uses the options set: `None` when the VPC does not exist.
    async fn uses(
        &self,
        (options, vpc): &(String, String),
        doing: &str,
    ) -> Result<Option<bool>, ProviderError> {
        let used = self.options([vpc.as_str()], doing).await?;
        Ok(used.get(vpc).map(|o| o == options))
    }

    /// `AssociateDhcpOptions`, then wait until the VPC shows it.
    async fn associate(&self, key: &(String, String), doing: &str) -> Made {
        let (options, vpc) = key;
        let request = self.ec2.client.associate_dhcp_options();
        let request = request.dhcp_options_id(options).vpc_id(vpc);
        call!(self.ec2, request, doing)?;
        let what = format!("VPC {vpc} to use DHCP options {options}");
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            Ok(match self.uses(key, doing).await? {
                Some(true) => Poll::Ready(()),
                _ => Poll::Pending("another set".into()),
            })
        })
        .await?;
        Ok(output(key))
    }
}

impl Association for VpcDhcpOptionsAssociationProvider {
    const OF: Option<&'static str> = Some("VpcId");
    /// `(DhcpOptionsId, VpcId)`.
    type Key = (String, String);

    fn key(props: &Props<'_>) -> Result<Self::Key, ProviderError> {
        two_ids(props, ["DhcpOptionsId", "VpcId"])
    }

    async fn make(&self, key: &Self::Key, _: &CreateInput, doing: &str) -> Made {
        self.associate(key, doing).await
    }

    /// `AssociateDhcpOptions` moves the VPC to the new set in one step.
    async fn change(&self, _: &UpdateInput, _: &Self::Key, key: &Self::Key, doing: &str) -> Made {
        self.associate(key, doing).await
    }

    /// Back to `default` (no DHCP options), as CloudFormation does, while the VPC still uses
    /// this set.
    async fn undo(&self, _: &DeleteInput, key: &Self::Key, doing: &str) -> Undone {
        if self.uses(key, doing).await? != Some(true) {
            return Ok(());
        }
        let default = ("default".to_owned(), key.1.clone());
        deleted(self.associate(&default, doing).await).map(drop)
    }

    async fn observe(&self, _: &[ReadInput], keys: &[Self::Key], doing: &str) -> Observed {
        let vpcs = keys.iter().map(|k| k.1.as_str());
        let options = self.options(vpcs, doing).await?;
        Ok(keys
            .iter()
            .map(|(wanted, vpc)| {
                let used = options.get(vpc).filter(|used| *used == wanted)?;
                let properties =
                    properties([("DhcpOptionsId", used.as_str()), ("VpcId", vpc.as_str())]);
                Some((properties, BTreeMap::new()))
            })
            .collect())
    }

    /// By its natural key: the VPC, when it uses `DhcpOptionsId`.
    async fn existing(&self, key: &Self::Key, _: &FindInput, doing: &str) -> Found {
        Ok((self.uses(key, doing).await? == Some(true)).then(|| output(key)))
    }
}
