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
use super::association::{Association, Observed, Undone, association, properties};
use super::internet_gateway;
use super::wait::{self, Poll};

association!(
    GatewayAttachmentProvider,
    "AWS::EC2::VPCGatewayAttachment",
    VPC_GATEWAY_ATTACHMENT,
    refresh: "DescribeInternetGateways / DescribeVpnGateways of the gateways (200 ids per filter)",
    find: "the gateway attached (or attaching) to VpcId"
);

/// Which gateway (a virtual private one when `vpn`, else an internet gateway), and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gateway {
    vpn: bool,
    id: String,
}

impl Gateway {
    fn of(props: &Props<'_>) -> Result<Gateway, ProviderError> {
        match (props.str("InternetGatewayId")?, props.str("VpnGatewayId")?) {
            (Some(id), None) => Ok(Gateway { vpn: false, id }),
            (None, Some(id)) => Ok(Gateway { vpn: true, id }),
            _ => Err(ProviderError::fatal(format!(
                "{TYPE}: specify exactly one of InternetGatewayId and VpnGatewayId"
            ))),
        }
    }

    /// `IGW` or `VGW`, the property naming it and the noun of messages.
    fn kind(&self) -> (&'static str, &'static str, &'static str) {
        match self.vpn {
            false => ("IGW", "InternetGatewayId", "internet gateway"),
            true => ("VGW", "VpnGatewayId", "virtual private gateway"),
        }
    }
}

/// The VPC and the gateway.
type Key = (String, Gateway);

fn output((vpc_id, gateway): &Key) -> ResourceOutput {
    let (kind, ..) = gateway.kind();
    let id = format!("{kind}|{vpc_id}");
    output_of(&id, [("AttachmentType", json!(kind))])
}

/// The state of each attachment of some gateways, by `(gateway id, VPC id)`.
type States = BTreeMap<(String, String), Option<AttachmentStatus>>;

impl GatewayAttachmentProvider {
    async fn attach(&self, key: &Key, doing: &str) -> Result<(), ProviderError> {
        let ((vpc, gateway), client) = (key, &self.ec2.client);
        let id = &gateway.id;
        let sent = match gateway.vpn {
            false => {
                let request = client.attach_internet_gateway().internet_gateway_id(id);
                call!(self.ec2, request.vpc_id(vpc), doing).map(drop)
            }
            true => {
                let request = client.attach_vpn_gateway().vpn_gateway_id(id);
                call!(self.ec2, request.vpc_id(vpc), doing).map(drop)
            }
        };
        // Already attached to this VPC (`Resource.AlreadyAssociated`, e.g. after an interrupted
        // apply): that is what this create makes, so it is adopted.
        if let Err(err) = sent
            && !is_attached(self.state(key, doing).await?.as_ref())
        {
            return Err(err);
        }
        self.wait(key, true, doing).await
    }

    async fn detach(&self, key: &Key, doing: &str) -> Result<(), ProviderError> {
        let ((vpc, gateway), client) = (key, &self.ec2.client);
        let id = &gateway.id;
        let sent = match gateway.vpn {
            false => {
                let request = client.detach_internet_gateway().internet_gateway_id(id);
                match request.vpc_id(vpc).send().await {
                    Err(e) if has_code(&e, "Gateway.NotAttached") => return Ok(()),
                    sent => sent.map(drop).map_err(|e| self.ec2.error(doing, e)),
                }
            }
            true => {
                let request = client.detach_vpn_gateway().vpn_gateway_id(id);
                call!(self.ec2, request.vpc_id(vpc), doing).map(drop)
            }
        };
        if !deleted(sent)? {
            return Ok(());
        }
        self.wait(key, false, doing).await
    }

    /// Waits until the gateway is attached to the VPC (or no longer is).
    async fn wait(&self, key: &Key, attached: bool, doing: &str) -> Result<(), ProviderError> {
        let (vpc_id, gateway) = key;
        let (.., noun) = gateway.kind();
        let to = if attached { "attach to" } else { "detach from" };
        let what = format!("{noun} {} to {to} VPC {vpc_id}", gateway.id);
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let state = self.state(key, doing).await?;
            let done = match attached {
                true => is_attached(state.as_ref()) && state != Some(AttachmentStatus::Attaching),
                false => !is_attached(state.as_ref()),
            };
            let seen = state.map_or("no attachment".into(), |s| s.as_str().to_owned());
            Ok(if done {
                Poll::Ready(())
            } else {
                Poll::Pending(seen)
            })
        })
        .await
    }

    /// The state of the gateway's attachment to the VPC now, if there is one.
    async fn state(
        &self,
        (vpc, gateway): &Key,
        doing: &str,
    ) -> Result<Option<AttachmentStatus>, ProviderError> {
        let mut states = self.states([gateway], doing).await?;
        Ok(states.remove(&(gateway.id.clone(), vpc.clone())).flatten())
    }

    /// The attachments of `gateways` (those that exist): one `DescribeInternetGateways` per
    /// page and one `DescribeVpnGateways` (not paginated) per chunk of ids, for all of them. Of
    /// two attachments of a gateway to one VPC, the attached (or attaching) one.
    async fn states<'g>(
        &self,
        gateways: impl IntoIterator<Item = &'g Gateway>,
        doing: &str,
    ) -> Result<States, ProviderError> {
        let (vgws, igws): (Vec<&Gateway>, _) = gateways.into_iter().partition(|g| g.vpn);
        let mut out = States::new();
        let mut add = |gateway: &str, vpc: Option<&str>, state: Option<&AttachmentStatus>| {
            let Some(vpc) = vpc else { return };
            let slot = out.entry((gateway.to_owned(), vpc.to_owned()));
            let slot = slot.or_insert(None);
            if !is_attached(slot.as_ref()) {
                *slot = state.cloned();
            }
        };
        let igws = igws.iter().map(|g| g.id.as_str());
        for (id, g) in internet_gateway::describe(&self.ec2, igws, doing).await? {
            for a in g.attachments() {
                add(&id, a.vpc_id(), a.state());
            }
        }
        for chunk in id_chunks(vgws.iter().map(|g| g.id.as_str())) {
            let request = self.ec2.client.describe_vpn_gateways();
            let request = request.filters(filter("vpn-gateway-id", &chunk));
            for g in call!(self.ec2, request, doing)?.vpn_gateways() {
                for a in g.vpc_attachments() {
                    let id = g.vpn_gateway_id().unwrap_or_default();
                    add(id, a.vpc_id(), a.state());
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
    type Key = Key;

    fn key(props: &Props<'_>) -> Result<Key, ProviderError> {
        Ok((props.required_str("VpcId")?, Gateway::of(props)?))
    }

    async fn make(&self, key: &Key, _: &CreateInput, doing: &str) -> Made {
        self.attach(key, doing).await?;
        Ok(output(key))
    }

    /// Another gateway (`InternetGatewayId` / `VpnGatewayId` update in place, as
    /// CloudFormation documents): the old one detached, the new one attached.
    async fn change(&self, _: &UpdateInput, old: &Key, new: &Key, doing: &str) -> Made {
        self.detach(old, doing).await?;
        self.attach(new, doing).await?;
        Ok(output(new))
    }

    async fn undo(&self, _: &DeleteInput, key: &Key, doing: &str) -> Undone {
        self.detach(key, doing).await
    }

    async fn observe(&self, _: &[ReadInput], keys: &[Key], doing: &str) -> Observed {
        let states = self.states(keys.iter().map(|(_, g)| g), doing).await?;
        Ok(keys
            .iter()
            .map(|key| {
                let (vpc_id, gateway) = key;
                let state = states.get(&(gateway.id.clone(), vpc_id.clone()))?;
                if !is_attached(state.as_ref()) {
                    return None;
                }
                let (_, property, _) = gateway.kind();
                let properties =
                    properties([("VpcId", vpc_id.as_str()), (property, gateway.id.as_str())]);
                Some((properties, output(key).attributes))
            })
            .collect())
    }

    /// By its natural key: the gateway attached (or attaching) to the VPC; then until it is
    /// attached, as the create waits.
    async fn existing(&self, key: &Key, _: &FindInput, doing: &str) -> Found {
        if !is_attached(self.state(key, doing).await?.as_ref()) {
            return Ok(None);
        }
        self.wait(key, true, doing).await?;
        Ok(Some(output(key)))
    }
}
