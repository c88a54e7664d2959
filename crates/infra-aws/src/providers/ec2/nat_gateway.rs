//! `AWS::EC2::NatGateway` (zonal NAT gateways, public or private), an [`Object`]:
//!
//! - create: `CreateNatGateway` (subnet, allocation, connectivity, private and secondary
//!   addresses, tags; the SDK fills in the idempotency token), then wait until `available`
//!   (a `failed` gateway is an error naming AWS's failure code and message).
//! - update: tags. Secondary addresses cannot change in place yet: such a change is refused
//!   by name.
//! - read: `DescribeNatGateways` filtered by `nat-gateway-id` (200 ids per filter, pages
//!   followed); `deleting`, `deleted` and `failed` ones are gone.
//! - delete: `DeleteNatGateway` (a missing gateway is success), then wait until `deleted`.
//! - find: by its infra tags (`DescribeNatGateways`), leaving out `deleting`, `deleted` and
//!   `failed` gateways; a `pending` one is waited for.
//!
//! The create request is filled by code generated from the schema (`generated/ec2.rs`, mapped
//! in `mappings/ec2.toml`).
//!
//! `Ref` is the NAT gateway id; `Fn::GetAtt` gives `NatGatewayId` and `EniId`. Not supported yet: the regional NAT gateway properties
//! (`AvailabilityMode`, `AvailabilityZoneAddresses`, `VpcId`), which the SDK in use cannot send.
//! `MaxDrainDurationSeconds` is accepted: it only applies to disassociating secondary
//! addresses, which no supported change does.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{ConnectivityType, NatGateway, NatGatewayAddress, NatGatewayState};

use super::api::{Ec2, PAGE_SIZE};
use super::object::{Change, Object, id_delete, object_header, one_create, paged_describe};
use super::props::put;
use super::wait;

pub(crate) const TYPE: &str = "AWS::EC2::NatGateway";

pub(crate) const SPEC: Keys = crate::generated::ec2::NAT_GATEWAY;

/// Properties whose in-place change is not supported yet.
const SECONDARY: &[&str] = &[
    "SecondaryAllocationIds",
    "SecondaryPrivateIpAddressCount",
    "SecondaryPrivateIpAddresses",
];

/// The NAT gateway type.
#[derive(Debug)]
pub(crate) struct NatGatewayType;

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

impl Object for NatGatewayType {
    object_header!(
        NatGateway,
        Natgateway,
        "NAT gateway",
        "DescribeNatGateways",
        "(200 ids per filter, pages followed)"
    );
    const WRITE_ONLY: &'static [&'static str] = &["MaxDrainDurationSeconds"];
    const TIMEOUT: Duration = wait::NAT_CREATE_TIMEOUT;
    const DELETE_TIMEOUT: Duration = wait::NAT_DELETE_TIMEOUT;
    const ID_ATTRIBUTE: &'static str = "NatGatewayId";
    const ID_FILTER: Option<&'static str> = Some("nat-gateway-id");

    // The SDK fills in the idempotency token.
    one_create!(create_nat_gateway, "CreateNatGateway", |created| created
        .nat_gateway()
        .and_then(NatGateway::nat_gateway_id));

    paged_describe!(
        NatGateway,
        describe_nat_gateways,
        set_nat_gateway_ids,
        set_filter,
        nat_gateways,
        PAGE_SIZE
    );

    id_delete!(delete_nat_gateway, nat_gateway_id);

    /// Secondary addresses cannot change in place yet: such a change is refused by name.
    async fn update(&self, _ec2: &Ec2, change: &Change<'_>) -> Result<(), ProviderError> {
        let (before, after) = (change.before, change.after);
        for key in SECONDARY {
            let changed = if *key == "SecondaryPrivateIpAddressCount" {
                before.i32(key)? != after.i32(key)?
            } else {
                before.strs(key)? != after.strs(key)?
            };
            if changed {
                return Err(ProviderError::fatal(format!(
                    "{}: changing {TYPE} property {key} in place is not supported yet",
                    change.doing
                )));
            }
        }
        Ok(())
    }

    fn observe(gateway: &NatGateway, _last: &Value) -> Map<String, Value> {
        let addresses = gateway.nat_gateway_addresses();
        let primary_at = primary_index(addresses);
        let secondary = (addresses.iter().enumerate()).filter(|(i, _)| Some(*i) != primary_at);
        let secondary: Vec<&NatGatewayAddress> = secondary.map(|(_, a)| a).collect();
        let allocations: Vec<&str> = secondary.iter().filter_map(|a| a.allocation_id()).collect();
        let ips: Vec<&str> = secondary.iter().filter_map(|a| a.private_ip()).collect();
        let count = json!(ips.len());
        let mut map = Map::from_iter([
            ("SecondaryAllocationIds".to_owned(), json!(allocations)),
            ("SecondaryPrivateIpAddresses".to_owned(), json!(ips)),
            ("SecondaryPrivateIpAddressCount".to_owned(), count),
        ]);
        put(&mut map, "SubnetId", gateway.subnet_id());
        let connectivity = gateway.connectivity_type().map(ConnectivityType::as_str);
        put(&mut map, "ConnectivityType", connectivity);
        let primary = primary(gateway);
        let (allocation, ip) = primary.map(|a| (a.allocation_id(), a.private_ip())).unzip();
        put(&mut map, "AllocationId", allocation.flatten());
        put(&mut map, "PrivateIpAddress", ip.flatten());
        map
    }

    fn attributes(gateway: &NatGateway) -> BTreeMap<String, Value> {
        let id = gateway.nat_gateway_id().unwrap_or_default();
        let mut attributes = BTreeMap::from([("NatGatewayId".to_owned(), json!(id))]);
        if let Some(eni) = primary(gateway).and_then(|a| a.network_interface_id()) {
            attributes.insert("EniId".into(), json!(eni));
        }
        attributes
    }

    /// Usable once `available`; `failed` (or a gateway that goes away) is an error with AWS's
    /// reason.
    fn pending(gateway: &NatGateway) -> Result<Option<String>, String> {
        let state = gateway.state().map_or("unknown", NatGatewayState::as_str);
        match gateway.state() {
            Some(NatGatewayState::Available) => Ok(None),
            Some(
                NatGatewayState::Failed | NatGatewayState::Deleting | NatGatewayState::Deleted,
            ) => Err(format!(
                "it is {state}: {}: {}",
                gateway.failure_code().unwrap_or("no failure code"),
                gateway.failure_message().unwrap_or("no failure message"),
            )),
            _ => Ok(Some(state.to_owned())),
        }
    }

    /// A delete waits until it is `deleted` (the addresses it held are free only then).
    fn gone(gateway: &NatGateway) -> bool {
        gateway.state() == Some(&NatGatewayState::Deleted)
    }
}
