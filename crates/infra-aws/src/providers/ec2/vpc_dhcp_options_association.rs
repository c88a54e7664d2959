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

use serde_json::Map;

use super::api::{Ec2, doing, on_create, refreshing};
use super::props::{Props, Spec, observations, put, spec};
use super::vpc;
use super::wait::{self, Poll};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit;
use crate::providers::kit::{Found, Made, Reads};

pub(crate) const TYPE: &str = "AWS::EC2::VPCDHCPOptionsAssociation";

/// What `infra types` lists for this type.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeVpcs of the associations' VPCs (200 ids per filter, pages followed)",
    Find::NaturalKey,
    "the VPC, when it uses DhcpOptionsId",
);

pub(crate) const SPEC: Spec = spec!(TYPE, VPCDHCP_OPTIONS_ASSOCIATION);

/// The VPC DHCP options association provider.
#[derive(Debug)]
pub(crate) struct VpcDhcpOptionsAssociationProvider {
    pub(crate) ec2: Ec2,
}

/// `(DhcpOptionsId, VpcId)` of the properties.
fn key(props: &Props<'_>) -> Result<(String, String), ProviderError> {
    Ok((
        props.required_str("DhcpOptionsId")?,
        props.required_str("VpcId")?,
    ))
}

fn output((options, vpc): &(String, String)) -> ResourceOutput {
    ResourceOutput {
        physical_id: format!("{options}|{vpc}"),
        attributes: BTreeMap::new(),
    }
}

impl VpcDhcpOptionsAssociationProvider {
    /// The DHCP options set of each VPC of `vpcs` that exists, by VPC id.
    async fn options<'i>(
        &self,
        vpcs: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        Ok(vpc::describe(&self.ec2, vpcs, doing)
            .await?
            .into_iter()
            .filter_map(|v| {
                Some((
                    v.vpc_id?,
                    v.dhcp_options_id.unwrap_or_else(|| "default".into()),
                ))
            })
            .collect())
    }

    /// Whether the VPC uses the options set: `None` when the VPC does not exist.
    async fn uses(
        &self,
        (options, vpc): &(String, String),
        doing: &str,
    ) -> Result<Option<bool>, ProviderError> {
        Ok(self
            .options([vpc.as_str()], doing)
            .await?
            .get(vpc)
            .map(|o| o == options))
    }

    /// `AssociateDhcpOptions`, then wait until the VPC shows it.
    async fn associate(&self, key: &(String, String), doing: &str) -> Result<(), ProviderError> {
        let (options, vpc) = key;
        self.ec2
            .client
            .associate_dhcp_options()
            .dhcp_options_id(options)
            .vpc_id(vpc)
            .send()
            .await
            .map_err(|e| self.ec2.error("AssociateDhcpOptions", doing, e))?;
        let what = format!("VPC {vpc} to use DHCP options {options}");
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            Ok(match self.uses(key, doing).await? {
                Some(true) => Poll::Ready(()),
                _ => Poll::Pending("another set".into()),
            })
        })
        .await
    }
}

impl kit::Provider for VpcDhcpOptionsAssociationProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Made {
        let doing = doing("creating", &input.address, TYPE);
        let key = key(&Props::parse(&SPEC, &input.properties)?)?;
        self.associate(&key, &doing).await.map_err(on_create)?;
        Ok(output(&key))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let doing = doing("updating", &input.address, TYPE);
        let before = key(&Props::unchecked(TYPE, &input.before))?;
        let after = key(&Props::parse(&SPEC, &input.after)?)?;
        if before.1 != after.1 {
            return Err(ProviderError::fatal(format!(
                "{doing}: VpcId cannot change in place; the association must be replaced"
            )));
        }
        if before != after {
            self.associate(&after, &doing).await?;
        }
        Ok(output(&after))
    }

    /// Back to `default` (no DHCP options), as CloudFormation does, while the VPC still uses
    /// this set.
    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let key = key(&Props::unchecked(TYPE, &input.properties))?;
        if self.uses(&key, &doing).await? != Some(true) {
            return Ok(());
        }
        match self.associate(&("default".to_owned(), key.1), &doing).await {
            Err(e) if e.class == FailureClass::NotFound => Ok(()),
            other => other,
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let keys = items
            .iter()
            .map(|i| key(&Props::unchecked(TYPE, &i.properties)))
            .collect::<Result<Vec<_>, _>>()?;
        let options = self
            .options(keys.iter().map(|k| k.1.as_str()), &doing)
            .await?;
        Ok(observations(items.iter().zip(&keys), &[], |_, key| {
            let used = options.get(&key.1).filter(|used| **used == key.0)?;
            let mut properties = Map::new();
            put(&mut properties, "DhcpOptionsId", Some(used.as_str()));
            put(&mut properties, "VpcId", Some(key.1.as_str()));
            Some((properties, BTreeMap::new()))
        }))
    }

    /// By its natural key: the VPC, when it uses `DhcpOptionsId`.
    async fn find(&self, input: &FindInput) -> Found {
        let doing = super::find::finding(input, TYPE);
        let key = key(&Props::parse(&SPEC, &input.properties)?)?;
        Ok((self.uses(&key, &doing).await? == Some(true)).then(|| output(&key)))
    }
}
