//! `AWS::EC2::VPCGatewayAttachment`: an internet gateway or a virtual private gateway attached
//! to a VPC.
//!
//! - create: `AttachInternetGateway` or `AttachVpnGateway`, then wait until the attachment is
//!   `available` / `attached`.
//! - update: another gateway (`InternetGatewayId` / `VpnGatewayId` update in place, as
//!   CloudFormation documents): detach the old one, attach the new one.
//! - read: one `DescribeInternetGateways` per page and one `DescribeVpnGateways` (not paginated)
//!   for all attachments.
//! - delete: `DetachInternetGateway` / `DetachVpnGateway` (`Gateway.NotAttached` and not-found
//!   are success; `DependencyViolation` while addresses in the VPC are still mapped to public
//!   ones), then wait until detached.
//! - find: not taggable, so by its natural key: the gateway's attachment to the VPC
//!   (`DescribeInternetGateways` / `DescribeVpnGateways`).
//!
//! Not taggable. `Ref` (CloudFormation: "the ID of the VPC gateway attachment") is
//! `IGW|vpc-...` or `VGW|vpc-...`, the schema's primary identifier (`AttachmentType`, `VpcId`);
//! `Fn::GetAtt AttachmentType` is `IGW` or `VGW`. Every documented property is supported.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::AttachmentStatus;

use super::api::{call, deleted, filter, has_code, id_chunks};
use super::association::{Association, Observed, association, properties};
use super::internet_gateway;
use super::wait::{self, Poll};

association!(
    GatewayAttachmentProvider,
    "AWS::EC2::VPCGatewayAttachment",
    VPC_GATEWAY_ATTACHMENT,
    refresh: "DescribeInternetGateways / DescribeVpnGateways of the gateways (200 ids per filter)",
    find: "the gateway attached (or attaching) to VpcId"
);

/// Which gateway, and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gateway {
    Internet(String),
    Vpn(String),
}

impl Gateway {
    fn of(props: &Props<'_>) -> Result<Gateway, ProviderError> {
        match (props.str("InternetGatewayId")?, props.str("VpnGatewayId")?) {
            (Some(igw), None) => Ok(Gateway::Internet(igw)),
            (None, Some(vgw)) => Ok(Gateway::Vpn(vgw)),
            _ => Err(ProviderError::fatal(format!(
                "{TYPE}: specify exactly one of InternetGatewayId and VpnGatewayId"
            ))),
        }
    }

    /// `IGW` or `VGW`, the property naming it and the noun of messages.
    fn kind(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Gateway::Internet(_) => ("IGW", "InternetGatewayId", "internet gateway"),
            Gateway::Vpn(_) => ("VGW", "VpnGatewayId", "virtual private gateway"),
        }
    }

    fn id(&self) -> &str {
        match self {
            Gateway::Internet(id) | Gateway::Vpn(id) => id,
        }
    }
}

fn output((vpc_id, gateway): &(String, Gateway)) -> ResourceOutput {
    let (kind, ..) = gateway.kind();
    ResourceOutput {
        physical_id: format!("{kind}|{vpc_id}"),
        attributes: BTreeMap::from([("AttachmentType".to_owned(), json!(kind))]),
    }
}

/// The state of each attachment of some gateways, by `(gateway id, VPC id)`.
type States = BTreeMap<(String, String), Option<AttachmentStatus>>;

impl GatewayAttachmentProvider {
    async fn attach(&self, key: &(String, Gateway), doing: &str) -> Result<(), ProviderError> {
        let (vpc_id, gateway) = key;
        let client = &self.ec2.client;
        let sent = match gateway {
            Gateway::Internet(igw) => {
                let request = client.attach_internet_gateway().internet_gateway_id(igw);
                call!(self.ec2, request.vpc_id(vpc_id), doing).map(drop)
            }
            Gateway::Vpn(vgw) => {
                let request = client.attach_vpn_gateway().vpn_gateway_id(vgw);
                call!(self.ec2, request.vpc_id(vpc_id), doing).map(drop)
            }
        };
        // Already attached to this VPC (`Resource.AlreadyAssociated`, e.g. after an interrupted
        // apply): that is what this create makes, so it is adopted.
        if let Err(err) = sent
            && !self.attached(key, doing).await?
        {
            return Err(err);
        }
        self.wait(key, true, doing).await
    }

    /// Whether the gateway is attached (or attaching) to the VPC now.
    async fn attached(&self, key: &(String, Gateway), doing: &str) -> Result<bool, ProviderError> {
        let (vpc_id, gateway) = key;
        let states = self.states([gateway], doing).await?;
        let state = states.get(&(gateway.id().to_owned(), vpc_id.clone()));
        Ok(state.is_some_and(|s| is_attached(s.as_ref())))
    }

    async fn detach(&self, key: &(String, Gateway), doing: &str) -> Result<(), ProviderError> {
        let (vpc_id, gateway) = key;
        let client = &self.ec2.client;
        let sent = match gateway {
            Gateway::Internet(igw) => {
                let request = client.detach_internet_gateway().internet_gateway_id(igw);
                match request.vpc_id(vpc_id).send().await {
                    Err(e) if has_code(&e, "Gateway.NotAttached") => return Ok(()),
                    sent => sent.map_err(|e| self.ec2.error(doing, e)),
                }
                .map(drop)
            }
            Gateway::Vpn(vgw) => {
                let request = client.detach_vpn_gateway().vpn_gateway_id(vgw);
                call!(self.ec2, request.vpc_id(vpc_id), doing).map(drop)
            }
        };
        if !deleted(sent)? {
            return Ok(());
        }
        self.wait(key, false, doing).await
    }

    /// Waits until the gateway is attached to the VPC (or no longer is).
    async fn wait(
        &self,
        key: &(String, Gateway),
        attached: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let (vpc_id, gateway) = key;
        let (.., noun) = gateway.kind();
        let what = format!(
            "{noun} {} to {} VPC {vpc_id}",
            gateway.id(),
            if attached { "attach to" } else { "detach from" }
        );
        let wanted = (gateway.id().to_owned(), vpc_id.clone());
        let wanted = &wanted;
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let state = self
                .states([gateway], doing)
                .await?
                .remove(wanted)
                .flatten();
            let done = if attached {
                is_attached(state.as_ref()) && state != Some(AttachmentStatus::Attaching)
            } else {
                !is_attached(state.as_ref())
            };
            Ok(if done {
                Poll::Ready(())
            } else {
                Poll::Pending(state.map_or("no attachment".into(), |s| s.as_str().to_owned()))
            })
        })
        .await
    }

    /// The attachments of `gateways` (those that exist): one `DescribeInternetGateways` per
    /// page and one `DescribeVpnGateways` (not paginated) per chunk of ids, for all of them. Of
    /// two attachments of a gateway to one VPC, the attached (or attaching) one.
    async fn states<'g>(
        &self,
        gateways: impl IntoIterator<Item = &'g Gateway>,
        doing: &str,
    ) -> Result<States, ProviderError> {
        let (mut igws, mut vgws) = (Vec::new(), Vec::new());
        for gateway in gateways {
            match gateway {
                Gateway::Internet(id) => igws.push(id.as_str()),
                Gateway::Vpn(id) => vgws.push(id.as_str()),
            }
        }
        let mut out = States::new();
        let mut add = |gateway: &str, vpc: Option<&str>, state: Option<&AttachmentStatus>| {
            let Some(vpc) = vpc else { return };
            let slot = out
                .entry((gateway.to_owned(), vpc.to_owned()))
                .or_insert(None);
            if !is_attached(slot.as_ref()) {
                *slot = state.cloned();
            }
        };
        for (id, g) in internet_gateway::describe(&self.ec2, igws, doing).await? {
            for a in g.attachments() {
                add(&id, a.vpc_id(), a.state());
            }
        }
        for chunk in id_chunks(vgws) {
            let request = self.ec2.client.describe_vpn_gateways();
            let page = call!(
                self.ec2,
                request.filters(filter("vpn-gateway-id", &chunk)),
                doing
            )?;
            for g in page.vpn_gateways() {
                for a in g.vpc_attachments() {
                    add(
                        g.vpn_gateway_id().unwrap_or_default(),
                        a.vpc_id(),
                        a.state(),
                    );
                }
            }
        }
        Ok(out)
    }
}

/// Whether an attachment state means attached (or attaching). EC2 reports an internet
/// gateway's attachment as `available`, a virtual private gateway's as `attached`.
fn is_attached(state: Option<&AttachmentStatus>) -> bool {
    matches!(
        state,
        Some(AttachmentStatus::Attached | AttachmentStatus::Attaching)
    ) || state.is_some_and(|s| s.as_str() == "available")
}

impl Association for GatewayAttachmentProvider {
    const OF: Option<&'static str> = Some("VpcId");
    /// The VPC and the gateway.
    type Key = (String, Gateway);

    fn key(props: &Props<'_>) -> Result<Self::Key, ProviderError> {
        Ok((props.required_str("VpcId")?, Gateway::of(props)?))
    }

    async fn make(&self, key: &Self::Key, _: &CreateInput, doing: &str) -> Made {
        self.attach(key, doing).await?;
        Ok(output(key))
    }

    /// Another gateway (`InternetGatewayId` / `VpnGatewayId` update in place, as
    /// CloudFormation documents): the old one detached, the new one attached.
    async fn change(&self, _: &str, old: &Self::Key, new: &Self::Key, doing: &str) -> Made {
        self.detach(old, doing).await?;
        self.attach(new, doing).await?;
        Ok(output(new))
    }

    async fn undo(&self, _: &str, key: &Self::Key, doing: &str) -> Result<(), ProviderError> {
        self.detach(key, doing).await
    }

    async fn observe(&self, _: &[ReadInput], keys: &[Self::Key], doing: &str) -> Observed {
        let states = self.states(keys.iter().map(|(_, g)| g), doing).await?;
        Ok(keys
            .iter()
            .map(|key| {
                let (vpc_id, gateway) = key;
                let state = states.get(&(gateway.id().to_owned(), vpc_id.clone()))?;
                if !is_attached(state.as_ref()) {
                    return None;
                }
                let (_, property, _) = gateway.kind();
                let properties = properties([("VpcId", vpc_id.as_str()), (property, gateway.id())]);
                Some((properties, output(key).attributes))
            })
            .collect())
    }

    /// By its natural key: the gateway attached (or attaching) to the VPC; then until it is
    /// attached, as the create waits.
    async fn existing(&self, key: &Self::Key, _: &FindInput, doing: &str) -> Found {
        if !self.attached(key, doing).await? {
            return Ok(None);
        }
        self.wait(key, true, doing).await?;
        Ok(Some(output(key)))
    }
}
