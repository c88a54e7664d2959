//! `AWS::EC2::EIP`: an Elastic IP address.
//!
//! - create: `AllocateAddress` (domain, pools, a specific address, tags), then
//!   `AssociateAddress` when `InstanceId` is set (retried while the new allocation is not
//!   visible yet).
//! - update: `InstanceId` (disassociate, then associate), tags. `Domain`, `PublicIpv4Pool`
//!   cannot change in place (AWS has no call for it).
//! - read: `DescribeAddresses` (not paginated) filtered by allocation id for all addresses.
//! - delete: disassociate when associated, then `ReleaseAddress` by allocation id (a missing
//!   allocation is success; `InvalidIPAddress.InUse` while a NAT gateway still holds it is a
//!   dependency violation).
//! - find: by its infra tags (`DescribeAddresses`). An association with `InstanceId` that the
//!   interrupted create did not make yet shows as drift at the next plan.
//!
//! `Ref` is the public IP address (CloudFormation's documented value); the allocation id is
//! `Fn::GetAtt AllocationId`. Not supported yet: `TransferAddress` (accepting a transfer from
//! another account).

use crate::providers::ec2::find::tag_coverage;
use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Address, DomainType, Filter, ResourceType};
use serde_json::{Map, Value, json};

use super::api::{
    Ec2, doing, filter, id_chunks, is_not_found, on_create, refreshing, retry_while_not_found,
};
use super::find;
use super::props::{Props, Spec, observe_each, put, spec};
use super::tags;
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FindInput, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::kit;
use crate::providers::kit::{Found, Made, Reads};

pub(crate) const TYPE: &str = "AWS::EC2::EIP";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = tag_coverage!(
    "DescribeAddresses",
    "(200 allocation ids per call; by public IP for records without one)"
);

pub(crate) const SPEC: Spec = spec!(TYPE, EIP);

/// Properties the API never reports.
const WRITE_ONLY: &[&str] = &["Address", "IpamPoolId"];

/// Properties with no in-place change in the EC2 API.
const FIXED: &[&str] = &[
    "Domain",
    "PublicIpv4Pool",
    "NetworkBorderGroup",
    "Address",
    "IpamPoolId",
];

/// The Elastic IP provider.
#[derive(Debug)]
pub(crate) struct EipProvider {
    pub(crate) ec2: Ec2,
}

fn output(address: &Address) -> ResourceOutput {
    let public_ip = address.public_ip().unwrap_or_default();
    let mut attributes = BTreeMap::from([("PublicIp".to_owned(), json!(public_ip))]);
    if let Some(id) = address.allocation_id() {
        attributes.insert("AllocationId".into(), json!(id));
    }
    ResourceOutput {
        physical_id: public_ip.to_owned(),
        attributes,
    }
}

/// The allocation id recorded for an address, falling back to `None` for an EC2-Classic one.
fn allocation_id(attributes: &BTreeMap<String, Value>) -> Option<&str> {
    attributes.get("AllocationId").and_then(Value::as_str)
}

impl EipProvider {
    async fn associate(
        &self,
        allocation: &str,
        instance: &str,
        doing: &str,
    ) -> Result<(), ProviderError> {
        retry_while_not_found(|| async move {
            self.ec2
                .client
                .associate_address()
                .allocation_id(allocation)
                .instance_id(instance)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.ec2.error("AssociateAddress", doing, e))
        })
        .await
    }

    async fn disassociate(&self, address: &Address, doing: &str) -> Result<(), ProviderError> {
        let Some(association) = address.association_id().filter(|a| !a.is_empty()) else {
            return Ok(());
        };
        match self
            .ec2
            .client
            .disassociate_address()
            .association_id(association)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(self.ec2.error("DisassociateAddress", doing, e)),
        }
    }

    /// The addresses of `allocation_ids` that exist, by allocation id. `DescribeAddresses` is
    /// not paginated: one call per chunk of ids.
    async fn describe<'i>(
        &self,
        allocation_ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, Address>, ProviderError> {
        Ok(self
            .addresses("allocation-id", allocation_ids, doing)
            .await?
            .into_iter()
            .filter_map(|a| Some((a.allocation_id()?.to_owned(), a)))
            .collect())
    }

    /// The addresses whose `filter_name` is one of `values` (one call per chunk of values).
    async fn addresses<'i>(
        &self,
        filter_name: &str,
        values: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<Vec<Address>, ProviderError> {
        let mut out = Vec::new();
        for chunk in id_chunks(values) {
            out.extend(
                self.addresses_where(vec![filter(filter_name, &chunk)], doing)
                    .await?,
            );
        }
        Ok(out)
    }

    /// Every address `filters` select (`DescribeAddresses` is not paginated: one call).
    async fn addresses_where(
        &self,
        filters: Vec<Filter>,
        doing: &str,
    ) -> Result<Vec<Address>, ProviderError> {
        let page = self
            .ec2
            .client
            .describe_addresses()
            .set_filters(Some(filters))
            .send()
            .await
            .map_err(|e| self.ec2.error("DescribeAddresses", doing, e))?;
        Ok(page.addresses.unwrap_or_default())
    }
}

/// Properties as a template writes them.
fn observed_properties(address: &Address, last: &Value) -> Map<String, Value> {
    let mut map = Map::new();
    put(&mut map, "Domain", address.domain().map(DomainType::as_str));
    put(&mut map, "InstanceId", address.instance_id());
    put(
        &mut map,
        "NetworkBorderGroup",
        address.network_border_group(),
    );
    put(&mut map, "PublicIpv4Pool", address.public_ipv4_pool());
    tags::put_observed(&mut map, address.tags(), last);
    map
}

impl kit::Provider for EipProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Made {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let tags = tags::desired(&props, &input.tags)?;
        let allocated = self
            .ec2
            .client
            .allocate_address()
            .set_domain(props.str("Domain")?.map(|d| DomainType::from(d.as_str())))
            .set_address(props.str("Address")?)
            .set_public_ipv4_pool(props.str("PublicIpv4Pool")?)
            .set_network_border_group(props.str("NetworkBorderGroup")?)
            .set_ipam_pool_id(props.str("IpamPoolId")?)
            .set_tag_specifications(tags::spec(ResourceType::ElasticIp, &tags).map(|s| vec![s]))
            .send()
            .await
            .map_err(|e| on_create(self.ec2.error("AllocateAddress", &doing, e)))?;
        let address = Address::builder()
            .set_allocation_id(allocated.allocation_id().map(str::to_owned))
            .set_public_ip(allocated.public_ip().map(str::to_owned))
            .build();
        let Some(allocation) = address.allocation_id() else {
            return Err(ProviderError::fatal(format!(
                "{doing}: AllocateAddress returned no allocation id (EC2-Classic addresses are \
                 retired; use Domain: vpc)"
            )));
        };
        if let Some(instance) = props.str("InstanceId")? {
            self.associate(allocation, &instance, &doing)
                .await
                .map_err(on_create)?;
        }
        Ok(output(&address))
    }

    async fn update(&self, input: &UpdateInput) -> Made {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        for key in FIXED {
            if before.str(key)? != after.str(key)? {
                return Err(ProviderError::fatal(format!(
                    "{doing}: {key} cannot change in place; the address must be replaced"
                )));
            }
        }
        let allocation = allocation_id(&input.attributes).ok_or_else(|| {
            ProviderError::fatal(format!(
                "{doing}: no AllocationId recorded for this address"
            ))
        })?;
        let (old, new) = (before.str("InstanceId")?, after.str("InstanceId")?);
        if old != new {
            if let Some(address) = self.describe([allocation], &doing).await?.get(allocation) {
                self.disassociate(address, &doing).await?;
            }
            if let Some(instance) = &new {
                self.associate(allocation, instance, &doing).await?;
            }
        }
        let props = (&before, &after);
        tags::change(&self.ec2, allocation, &doing, props, &input.tags).await?;
        let found = self.describe([allocation], &doing).await?;
        let address = found.get(allocation).ok_or_else(|| ProviderError {
            class: crate::provider::FailureClass::NotFound,
            message: format!("{doing}: address {allocation} no longer exists"),
        })?;
        Ok(output(address))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let Some(allocation) = allocation_id(&input.attributes) else {
            return Err(ProviderError::fatal(format!(
                "{doing}: no AllocationId recorded for address {}",
                input.physical_id
            )));
        };
        let Some(address) = self
            .describe([allocation], &doing)
            .await?
            .remove(allocation)
        else {
            return Ok(());
        };
        // An address a NAT gateway holds is released when the NAT gateway is deleted; only
        // an association made through AssociateAddress is undone here.
        if address.instance_id().is_some_and(|i| !i.is_empty()) {
            self.disassociate(&address, &doing).await?;
        }
        let mut request = self.ec2.client.release_address().allocation_id(allocation);
        if let Some(group) = address.network_border_group() {
            request = request.network_border_group(group);
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(self.ec2.error("ReleaseAddress", &doing, e)),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let found = self
            .describe(
                items.iter().filter_map(|i| allocation_id(&i.attributes)),
                &doing,
            )
            .await?;
        // An address recorded without its allocation id (imported by its IP): by public IP.
        let by_ip = self
            .addresses(
                "public-ip",
                items
                    .iter()
                    .filter(|i| allocation_id(&i.attributes).is_none())
                    .map(|i| i.physical_id.as_str()),
                &doing,
            )
            .await?;
        Ok(observe_each(items, WRITE_ONLY, |item| {
            let address = match allocation_id(&item.attributes) {
                Some(id) => found.get(id),
                None => by_ip
                    .iter()
                    .find(|a| a.public_ip() == Some(item.physical_id.as_str())),
            }?;
            Some((
                observed_properties(address, &item.properties),
                output(address).attributes,
            ))
        }))
    }

    /// By its infra tags (`DescribeAddresses`; the tags are on the allocation).
    async fn find(&self, input: &FindInput) -> Found {
        let doing = find::finding(input, TYPE);
        let found = self
            .addresses_where(find::tag_filters(input, &doing)?, &doing)
            .await?;
        Ok(find::pick(found, input, "address", &doing)?.map(|(_, address)| output(&address)))
    }
}
