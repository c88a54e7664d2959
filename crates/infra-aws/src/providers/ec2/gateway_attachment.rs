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

use aws_sdk_ec2::types::{AttachmentStatus, VpnGateway};
use serde_json::{Map, json};

use super::api::{Ec2, doing, filter, has_code, id_chunks, is_not_found, on_create, refreshing};
use super::props::{Props, Spec, observations, put, spec};
use super::wait::{self, Poll};
use super::{find, internet_gateway};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, ProviderError, ReadInput, Refresh,
    ResourceOutput, UpdateInput,
};
use crate::providers::kit;
use crate::providers::kit::{Found, Made, Reads};

pub(crate) const TYPE: &str = "AWS::EC2::VPCGatewayAttachment";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeInternetGateways / DescribeVpnGateways of the gateways (200 ids per filter)",
    Find::NaturalKey,
    "the gateway attached (or attaching) to VpcId",
);

pub(crate) const SPEC: Spec = spec!(TYPE, VPC_GATEWAY_ATTACHMENT);

/// The gateway attachment provider.
#[derive(Debug)]
pub(crate) struct GatewayAttachmentProvider {
    pub(crate) ec2: Ec2,
}

/// Which gateway, and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gateway {
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

    /// `IGW` or `VGW`.
    fn kind(&self) -> &'static str {
        match self {
            Gateway::Internet(_) => "IGW",
            Gateway::Vpn(_) => "VGW",
        }
    }
}

fn output(gateway: &Gateway, vpc_id: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: format!("{}|{vpc_id}", gateway.kind()),
        attributes: BTreeMap::from([("AttachmentType".to_owned(), json!(gateway.kind()))]),
    }
}

impl GatewayAttachmentProvider {
    async fn attach(
        &self,
        gateway: &Gateway,
        vpc_id: &str,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let sent = match gateway {
            Gateway::Internet(igw) => self
                .ec2
                .client
                .attach_internet_gateway()
                .internet_gateway_id(igw)
                .vpc_id(vpc_id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.ec2.error("AttachInternetGateway", doing, e)),
            Gateway::Vpn(vgw) => self
                .ec2
                .client
                .attach_vpn_gateway()
                .vpn_gateway_id(vgw)
                .vpc_id(vpc_id)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.ec2.error("AttachVpnGateway", doing, e)),
        };
        // Already attached to this VPC (`Resource.AlreadyAssociated`, e.g. after an interrupted
        // apply): that is what this create makes, so it is adopted.
        if let Err(err) = sent
            && !self.attached(gateway, vpc_id, doing).await?
        {
            return Err(err);
        }
        self.wait(gateway, vpc_id, true, doing).await
    }

    /// Whether `gateway` is attached (or attaching) to `vpc_id` now.
    async fn attached(
        &self,
        gateway: &Gateway,
        vpc_id: &str,
        doing: &str,
    ) -> Result<bool, ProviderError> {
        Ok(match gateway {
            Gateway::Internet(id) => internet_gateway::describe(&self.ec2, [id.as_str()], doing)
                .await?
                .get(id)
                .is_some_and(|g| {
                    g.attachments()
                        .iter()
                        .any(|a| a.vpc_id() == Some(vpc_id) && is_attached(a.state()))
                }),
            Gateway::Vpn(id) => self
                .vpn_gateways(&[id.as_str()], doing)
                .await?
                .get(id)
                .is_some_and(|g| {
                    g.vpc_attachments()
                        .iter()
                        .any(|a| a.vpc_id() == Some(vpc_id) && is_attached(a.state()))
                }),
        })
    }

    async fn detach(
        &self,
        gateway: &Gateway,
        vpc_id: &str,
        doing: &str,
    ) -> Result<(), ProviderError> {
        match gateway {
            Gateway::Internet(igw) => {
                match self
                    .ec2
                    .client
                    .detach_internet_gateway()
                    .internet_gateway_id(igw)
                    .vpc_id(vpc_id)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    Err(e) if is_not_found(&e) || has_code(&e, "Gateway.NotAttached") => {
                        return Ok(());
                    }
                    Err(e) => return Err(self.ec2.error("DetachInternetGateway", doing, e)),
                }
            }
            Gateway::Vpn(vgw) => {
                match self
                    .ec2
                    .client
                    .detach_vpn_gateway()
                    .vpn_gateway_id(vgw)
                    .vpc_id(vpc_id)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    Err(e) if is_not_found(&e) => return Ok(()),
                    Err(e) => return Err(self.ec2.error("DetachVpnGateway", doing, e)),
                }
            }
        }
        self.wait(gateway, vpc_id, false, doing).await
    }

    /// Waits until `gateway` is attached to `vpc_id` (or no longer is).
    async fn wait(
        &self,
        gateway: &Gateway,
        vpc_id: &str,
        attached: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let (id, noun) = match gateway {
            Gateway::Internet(id) => (id.as_str(), "internet gateway"),
            Gateway::Vpn(id) => (id.as_str(), "virtual private gateway"),
        };
        let what = format!(
            "{noun} {id} to {} VPC {vpc_id}",
            if attached { "attach to" } else { "detach from" }
        );
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let state: Option<AttachmentStatus> = match gateway {
                Gateway::Internet(_) => internet_gateway::describe(&self.ec2, [id], doing)
                    .await?
                    .get(id)
                    .and_then(|g| {
                        g.attachments()
                            .iter()
                            .find(|a| a.vpc_id() == Some(vpc_id))
                            .and_then(|a| a.state().cloned())
                    }),
                Gateway::Vpn(_) => self
                    .vpn_gateways(&[id], doing)
                    .await?
                    .get(id)
                    .and_then(|g| {
                        g.vpc_attachments()
                            .iter()
                            .find(|a| a.vpc_id() == Some(vpc_id))
                            .and_then(|a| a.state().cloned())
                    }),
            };
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

    async fn vpn_gateways(
        &self,
        ids: &[&str],
        doing: &str,
    ) -> Result<BTreeMap<String, VpnGateway>, ProviderError> {
        let mut out = BTreeMap::new();
        // DescribeVpnGateways is not paginated: one call per chunk of ids.
        for chunk in id_chunks(ids.iter().copied()) {
            let page = self
                .ec2
                .client
                .describe_vpn_gateways()
                .filters(filter("vpn-gateway-id", &chunk))
                .send()
                .await
                .map_err(|e| self.ec2.error("DescribeVpnGateways", doing, e))?;
            for gateway in page.vpn_gateways.unwrap_or_default() {
                if let Some(id) = gateway.vpn_gateway_id() {
                    out.insert(id.to_owned(), gateway);
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

impl kit::Provider for GatewayAttachmentProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Made {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let vpc_id = props.required_str("VpcId")?;
        let gateway = Gateway::of(&props)?;
        self.attach(&gateway, &vpc_id, &doing)
            .await
            .map_err(on_create)?;
        Ok(output(&gateway, &vpc_id))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        let vpc_id = after.required_str("VpcId")?;
        let (old, new) = (Gateway::of(&before)?, Gateway::of(&after)?);
        if old != new {
            self.detach(&old, &vpc_id, &doing).await?;
            self.attach(&new, &vpc_id, &doing).await?;
        }
        Ok(output(&new, &vpc_id))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let props = Props::unchecked(TYPE, &input.properties);
        let vpc_id = props.required_str("VpcId")?;
        let gateway = Gateway::of(&props)?;
        self.detach(&gateway, &vpc_id, &doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let mut wanted = Vec::new();
        for item in items {
            let props = Props::unchecked(TYPE, &item.properties);
            wanted.push((item, (props.required_str("VpcId")?, Gateway::of(&props)?)));
        }
        let igw_ids = wanted.iter().filter_map(|(_, (_, g))| match g {
            Gateway::Internet(id) => Some(id.as_str()),
            Gateway::Vpn(_) => None,
        });
        let igws = internet_gateway::describe(&self.ec2, igw_ids, &doing).await?;
        let vgw_ids: Vec<&str> = wanted
            .iter()
            .filter_map(|(_, (_, g))| match g {
                Gateway::Vpn(id) => Some(id.as_str()),
                Gateway::Internet(_) => None,
            })
            .collect();
        let vgws = self.vpn_gateways(&vgw_ids, &doing).await?;

        Ok(observations(wanted, &[], |_, (vpc_id, gateway)| {
            let attached = match &gateway {
                Gateway::Internet(id) => igws.get(id).is_some_and(|g| {
                    g.attachments()
                        .iter()
                        .any(|a| a.vpc_id() == Some(&vpc_id) && is_attached(a.state()))
                }),
                Gateway::Vpn(id) => vgws.get(id).is_some_and(|g| {
                    g.vpc_attachments()
                        .iter()
                        .any(|a| a.vpc_id() == Some(&vpc_id) && is_attached(a.state()))
                }),
            };
            if !attached {
                return None;
            }
            let mut properties = Map::new();
            put(&mut properties, "VpcId", Some(vpc_id.as_str()));
            match &gateway {
                Gateway::Internet(id) => {
                    put(&mut properties, "InternetGatewayId", Some(id.as_str()))
                }
                Gateway::Vpn(id) => put(&mut properties, "VpnGatewayId", Some(id.as_str())),
            }
            Some((properties, output(&gateway, &vpc_id).attributes))
        }))
    }

    /// By its natural key: the gateway attached (or attaching) to the VPC; then until it is
    /// attached, as the create waits.
    async fn find(&self, input: &FindInput) -> Found {
        let doing = find::finding(input, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let vpc_id = props.required_str("VpcId")?;
        let gateway = Gateway::of(&props)?;
        if !self.attached(&gateway, &vpc_id, &doing).await? {
            return Ok(None);
        }
        self.wait(&gateway, &vpc_id, true, &doing).await?;
        Ok(Some(output(&gateway, &vpc_id)))
    }
}
