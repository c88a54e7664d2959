//! `AWS::EC2::NatGateway` (zonal NAT gateways, public or private).
//!
//! - create: `CreateNatGateway` (subnet, allocation, connectivity, private and secondary
//!   addresses, tags; the SDK fills in the idempotency token), then wait until `available`
//!   (a `failed` gateway is an error naming AWS's failure code and message).
//! - update: tags. Secondary addresses cannot change in place yet: such a change is refused
//!   by name.
//! - read: one `DescribeNatGateways` per page for all gateways; `deleting`, `deleted` and
//!   `failed` ones are gone.
//! - delete: `DeleteNatGateway` (a missing gateway is success), then wait until `deleted`.
//! - find: by its infra tags (`DescribeNatGateways`), leaving out `deleting`, `deleted` and
//!   `failed` gateways; a `pending` one is waited for.
//!
//! `Ref` is the NAT gateway id. Not supported yet: the regional NAT gateway properties
//! (`AvailabilityMode`, `AvailabilityZoneAddresses`, `VpcId`), which the SDK in use cannot send.
//! `MaxDrainDurationSeconds` is accepted: it only applies to disassociating secondary
//! addresses, which no supported change does.

use crate::providers::ec2::find::tag_coverage;
use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    ConnectivityType, Filter, NatGateway, NatGatewayAddress, NatGatewayState, ResourceType,
};
use serde_json::{Map, Value, json};

use super::api::{
    Ec2, PAGE_SIZE, all_pages, call, deleted, doing, filter, id_chunks, on_create, refreshing,
};
use super::find;
use super::props::{Props, Spec, observe_each, put, spec};
use super::tags;
use super::wait::{self, Poll};
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FindInput, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::kit;
use crate::providers::kit::{Found, Made, Reads};

pub(crate) const TYPE: &str = "AWS::EC2::NatGateway";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = tag_coverage!(
    "DescribeNatGateways",
    "(200 ids per filter, pages followed)"
);

pub(crate) const SPEC: Spec = spec!(TYPE, NAT_GATEWAY);

/// Properties the API never reports.
const WRITE_ONLY: &[&str] = &["MaxDrainDurationSeconds"];

/// Properties whose in-place change is not supported yet.
const SECONDARY: &[&str] = &[
    "SecondaryAllocationIds",
    "SecondaryPrivateIpAddressCount",
    "SecondaryPrivateIpAddresses",
];

/// The NAT gateway provider.
#[derive(Debug)]
pub(crate) struct NatGatewayProvider {
    pub(crate) ec2: Ec2,
}

fn state(gateway: &NatGateway) -> String {
    gateway
        .state()
        .map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned())
}

fn output(gateway: &NatGateway) -> ResourceOutput {
    let id = gateway.nat_gateway_id().unwrap_or_default();
    let mut attributes = BTreeMap::from([("NatGatewayId".to_owned(), json!(id))]);
    if let Some(eni) = primary(gateway).and_then(|a| a.network_interface_id()) {
        attributes.insert("EniId".into(), json!(eni));
    }
    ResourceOutput {
        physical_id: id.to_owned(),
        attributes,
    }
}

/// The index of the primary address (the first when EC2 does not say which is primary).
fn primary_index(addresses: &[NatGatewayAddress]) -> Option<usize> {
    addresses
        .iter()
        .position(|a| a.is_primary() == Some(true))
        .or_else(|| (!addresses.is_empty()).then_some(0))
}

/// The primary address.
fn primary(gateway: &NatGateway) -> Option<&NatGatewayAddress> {
    let addresses = gateway.nat_gateway_addresses();
    primary_index(addresses).map(|i| &addresses[i])
}

impl NatGatewayProvider {
    /// Waits until the new gateway is `available`; `failed` (or a gateway that goes away) is
    /// an error with AWS's reason.
    async fn wait_available(&self, id: &str, doing: &str) -> Result<NatGateway, ProviderError> {
        let what = format!("NAT gateway {id} to become available");
        wait::until(&what, wait::NAT_CREATE_TIMEOUT, || async move {
            let mut found = self.describe([id], doing).await?;
            let Some(gateway) = found.remove(id) else {
                return Ok(Poll::Pending("not visible yet".into()));
            };
            match gateway.state() {
                Some(NatGatewayState::Available) => Ok(Poll::Ready(gateway)),
                Some(
                    NatGatewayState::Failed | NatGatewayState::Deleting | NatGatewayState::Deleted,
                ) => Err(ProviderError::fatal(format!(
                    "{doing}: NAT gateway {id} is {}: {}: {}",
                    state(&gateway),
                    gateway.failure_code().unwrap_or("no failure code"),
                    gateway.failure_message().unwrap_or("no failure message"),
                ))),
                _ => Ok(Poll::Pending(state(&gateway))),
            }
        })
        .await
    }

    /// The NAT gateways of `ids` that exist (in any state), by id.
    async fn describe<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, NatGateway>, ProviderError> {
        let mut out = BTreeMap::new();
        for chunk in id_chunks(ids) {
            let found = self
                .describe_where(vec![filter("nat-gateway-id", &chunk)], doing)
                .await?;
            out.extend(
                found
                    .into_iter()
                    .filter_map(|g| Some((g.nat_gateway_id()?.to_owned(), g))),
            );
        }
        Ok(out)
    }

    /// Every NAT gateway `filters` select, in any state (one call per page).
    async fn describe_where(
        &self,
        filters: Vec<Filter>,
        doing: &str,
    ) -> Result<Vec<NatGateway>, ProviderError> {
        let request = self
            .ec2
            .client
            .describe_nat_gateways()
            .set_filter(Some(filters))
            .max_results(PAGE_SIZE);
        Ok(all_pages!(
            self.ec2,
            request,
            "DescribeNatGateways",
            doing,
            nat_gateways
        ))
    }
}

/// Properties as a template writes them.
fn observed_properties(gateway: &NatGateway, last: &Value) -> Map<String, Value> {
    let mut map = Map::new();
    put(&mut map, "SubnetId", gateway.subnet_id());
    put(
        &mut map,
        "ConnectivityType",
        gateway.connectivity_type().map(ConnectivityType::as_str),
    );
    let primary_address = primary(gateway);
    put(
        &mut map,
        "AllocationId",
        primary_address.and_then(|a| a.allocation_id()),
    );
    put(
        &mut map,
        "PrivateIpAddress",
        primary_address.and_then(|a| a.private_ip()),
    );
    let addresses = gateway.nat_gateway_addresses();
    let primary_at = primary_index(addresses);
    let secondary: Vec<&NatGatewayAddress> = addresses
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != primary_at)
        .map(|(_, a)| a)
        .collect();
    let secondary_allocations: Vec<&str> =
        secondary.iter().filter_map(|a| a.allocation_id()).collect();
    let secondary_ips: Vec<&str> = secondary.iter().filter_map(|a| a.private_ip()).collect();
    map.insert(
        "SecondaryAllocationIds".into(),
        json!(secondary_allocations),
    );
    map.insert("SecondaryPrivateIpAddresses".into(), json!(secondary_ips));
    map.insert(
        "SecondaryPrivateIpAddressCount".into(),
        json!(secondary_ips.len()),
    );
    tags::put_observed(&mut map, gateway.tags(), last);
    map
}

impl kit::Provider for NatGatewayProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Made {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let tags = tags::desired(&props, &input.tags)?;
        let created = self
            .ec2
            .client
            .create_nat_gateway()
            .subnet_id(props.required_str("SubnetId")?)
            .set_allocation_id(props.str("AllocationId")?)
            .set_connectivity_type(
                props
                    .str("ConnectivityType")?
                    .map(|c| ConnectivityType::from(c.as_str())),
            )
            .set_private_ip_address(props.str("PrivateIpAddress")?)
            .set_secondary_allocation_ids(props.strs("SecondaryAllocationIds")?)
            .set_secondary_private_ip_address_count(props.int("SecondaryPrivateIpAddressCount")?)
            .set_secondary_private_ip_addresses(props.strs("SecondaryPrivateIpAddresses")?)
            .set_tag_specifications(tags::spec(ResourceType::Natgateway, &tags).map(|s| vec![s]))
            .send()
            .await
            .map_err(|e| on_create(self.ec2.error("CreateNatGateway", &doing, e)))?;
        let id = created
            .nat_gateway()
            .and_then(NatGateway::nat_gateway_id)
            .ok_or_else(|| {
                ProviderError::fatal(format!("{doing}: CreateNatGateway returned no id"))
            })?;
        let gateway = self.wait_available(id, &doing).await?;
        Ok(output(&gateway))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        let count = "SecondaryPrivateIpAddressCount";
        for key in SECONDARY {
            let changed = if *key == count {
                before.int(key)? != after.int(key)?
            } else {
                before.strs(key)? != after.strs(key)?
            };
            if changed {
                return Err(ProviderError::fatal(format!(
                    "{doing}: changing {TYPE} property {key} in place is not supported yet"
                )));
            }
        }
        let props = (&before, &after);
        tags::change(&self.ec2, &input.physical_id, &doing, props, &input.tags).await?;
        let found = self.describe([input.physical_id.as_str()], &doing).await?;
        match found.get(&input.physical_id) {
            Some(gateway) => Ok(output(gateway)),
            None => Err(ProviderError {
                class: crate::provider::FailureClass::NotFound,
                message: format!(
                    "{doing}: NAT gateway {} no longer exists",
                    input.physical_id
                ),
            }),
        }
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let id = input.physical_id.as_str();
        let request = self.ec2.client.delete_nat_gateway().nat_gateway_id(id);
        if !deleted(call!(self.ec2, request, "DeleteNatGateway", &doing))? {
            return Ok(());
        }
        let what = format!("NAT gateway {id} to be deleted");
        let doing = &doing;
        wait::until(&what, wait::NAT_DELETE_TIMEOUT, || async move {
            let found = self.describe([id], doing).await?;
            Ok(match found.get(id) {
                None => Poll::Ready(()),
                Some(g) if g.state() == Some(&NatGatewayState::Deleted) => Poll::Ready(()),
                Some(g) => Poll::Pending(state(g)),
            })
        })
        .await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let found = self
            .describe(items.iter().map(|i| i.physical_id.as_str()), &doing)
            .await?;
        Ok(observe_each(items, WRITE_ONLY, |item| {
            let gateway = found.get(&item.physical_id).filter(|g| {
                matches!(
                    g.state(),
                    Some(NatGatewayState::Available | NatGatewayState::Pending)
                )
            })?;
            Some((
                observed_properties(gateway, &item.properties),
                output(gateway).attributes,
            ))
        }))
    }

    /// By its infra tags (`DescribeNatGateways`), leaving out `deleting`, `deleted` and
    /// `failed` gateways; a `pending` one is waited for, as the create waits.
    async fn find(&self, input: &FindInput) -> Found {
        let doing = find::finding(input, TYPE);
        let found = self
            .describe_where(find::tag_filters(input, &doing)?, &doing)
            .await?;
        let Some((id, _)) = find::pick(found, input, "NAT gateway", &doing)? else {
            return Ok(None);
        };
        let gateway = self.wait_available(&id, &doing).await?;
        Ok(Some(output(&gateway)))
    }
}
