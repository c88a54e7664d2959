//! `AWS::EC2::Subnet`.
//!
//! - create: `CreateSubnet` (VPC, CIDR or IPAM pools, zone, IPv6, Outpost, tags), wait until
//!   `available`, then one `ModifySubnetAttribute` per attribute that differs from what EC2 gave
//!   the new subnet (the API takes one attribute per call): `MapPublicIpOnLaunch`,
//!   `AssignIpv6AddressOnCreation`, `EnableDns64`, `EnableLniAtDeviceIndex` and the three
//!   `PrivateDnsNameOptionsOnLaunch` settings.
//! - update: those attributes (a removed one goes back to EC2's default), `Ipv6CidrBlock`
//!   (`DisassociateSubnetCidrBlock` then `AssociateSubnetCidrBlock`, waiting for each), tags.
//! - read: one `DescribeSubnets` per page for all subnets. The recorded network ACL
//!   association id is kept (see `do_read`); only records without one cost a
//!   `DescribeNetworkAcls` per page.
//! - delete: `DeleteSubnet` (`DependencyViolation` while network interfaces remain), then wait
//!   until it is gone.
//! - find: by its infra tags (`DescribeSubnets`), in [`super::find`].
//!
//! `Ref` is the subnet id. Every documented property is supported.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, HostnameType, ResourceType, Subnet, SubnetCidrBlockStateCode,
};
use serde_json::{Map, Value, json};

use super::api::{
    Ec2, PAGE_SIZE, PROPAGATION_TIMEOUT, doing, filter, id_chunks, not_found, on_create,
    refreshing, retry_while_not_found,
};
use super::props::{Props, Spec, put, report};
use super::tags;
use super::wait::{self, Poll};
use crate::provider::{
    CreateInput, DeleteInput, Observation, ProviderError, ReadInput, ResourceOutput, UpdateInput,
};

pub(crate) const TYPE: &str = "AWS::EC2::Subnet";

pub(crate) const SPEC: Spec = Spec {
    type_name: TYPE,
    supported: &[
        "AssignIpv6AddressOnCreation",
        "AvailabilityZone",
        "AvailabilityZoneId",
        "CidrBlock",
        "EnableDns64",
        "EnableLniAtDeviceIndex",
        "Ipv4IpamPoolId",
        "Ipv4NetmaskLength",
        "Ipv6CidrBlock",
        "Ipv6IpamPoolId",
        "Ipv6Native",
        "Ipv6NetmaskLength",
        "MapPublicIpOnLaunch",
        "OutpostArn",
        "PrivateDnsNameOptionsOnLaunch",
        "Tags",
        "VpcId",
    ],
    unsupported: &[],
};

const DNS_OPTIONS: &[&str] = &[
    "EnableResourceNameDnsAAAARecord",
    "EnableResourceNameDnsARecord",
    "HostnameType",
];

/// Properties the API never reports.
const WRITE_ONLY: &[&str] = &[
    "Ipv4IpamPoolId",
    "Ipv4NetmaskLength",
    "Ipv6IpamPoolId",
    "Ipv6NetmaskLength",
];

/// The subnet provider.
#[derive(Debug)]
pub(crate) struct SubnetProvider {
    pub(crate) ec2: Ec2,
}

/// The attributes `ModifySubnetAttribute` sets. `None` is EC2's default (false, no LNI
/// index); a hostname type left out is left as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Attrs {
    map_public_ip: Option<bool>,
    assign_ipv6: Option<bool>,
    dns64: Option<bool>,
    lni_index: Option<i32>,
    hostname_type: Option<String>,
    a_record: Option<bool>,
    aaaa_record: Option<bool>,
}

impl Attrs {
    fn of(props: &Props<'_>) -> Result<Attrs, ProviderError> {
        let mut attrs = Attrs {
            map_public_ip: props.bool("MapPublicIpOnLaunch")?,
            assign_ipv6: props.bool("AssignIpv6AddressOnCreation")?,
            dns64: props.bool("EnableDns64")?,
            lni_index: props.int("EnableLniAtDeviceIndex")?,
            ..Attrs::default()
        };
        if let Some(value) = props.get("PrivateDnsNameOptionsOnLaunch") {
            let options =
                props.nested("PrivateDnsNameOptionsOnLaunch/", value, DNS_OPTIONS, &[])?;
            attrs.hostname_type = options.str("HostnameType")?;
            attrs.a_record = options.bool("EnableResourceNameDnsARecord")?;
            attrs.aaaa_record = options.bool("EnableResourceNameDnsAAAARecord")?;
        }
        Ok(attrs)
    }
}

/// One subnet as read, with its network ACL association.
#[derive(Debug, Clone)]
struct Seen {
    subnet: Subnet,
    acl_association: Option<String>,
}

impl SubnetProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let tags = tags::desired(&props, &input.tags)?;
        let attrs = Attrs::of(&props)?;
        let created = self
            .ec2
            .client
            .create_subnet()
            .set_vpc_id(Some(props.required_str("VpcId")?))
            .set_cidr_block(props.str("CidrBlock")?)
            .set_availability_zone(props.str("AvailabilityZone")?)
            .set_availability_zone_id(props.str("AvailabilityZoneId")?)
            .set_ipv6_cidr_block(props.str("Ipv6CidrBlock")?)
            .set_ipv6_native(props.bool("Ipv6Native")?)
            .set_outpost_arn(props.str("OutpostArn")?)
            .set_ipv4_ipam_pool_id(props.str("Ipv4IpamPoolId")?)
            .set_ipv4_netmask_length(props.int("Ipv4NetmaskLength")?)
            .set_ipv6_ipam_pool_id(props.str("Ipv6IpamPoolId")?)
            .set_ipv6_netmask_length(props.int("Ipv6NetmaskLength")?)
            .set_tag_specifications(tags::spec(ResourceType::Subnet, &tags).map(|s| vec![s]))
            .send()
            .await
            .map_err(|e| on_create(self.ec2.error("CreateSubnet", &doing, e)))?;
        let subnet_id = created
            .subnet()
            .and_then(Subnet::subnet_id)
            .ok_or_else(|| {
                ProviderError::fatal(format!("{doing}: CreateSubnet returned no subnet id"))
            })?
            .to_owned();
        self.wait_available(&subnet_id, &doing).await?;
        self.apply_attrs(&subnet_id, &Attrs::default(), &attrs, &doing)
            .await?;
        self.output(&subnet_id, &doing).await
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        let subnet_id = input.physical_id.as_str();
        let (attrs_before, attrs_after) = (Attrs::of(&before)?, Attrs::of(&after)?);
        let (ipv6_before, ipv6_after) = (before.str("Ipv6CidrBlock")?, after.str("Ipv6CidrBlock")?);
        if ipv6_before != ipv6_after {
            // Stop assigning IPv6 addresses while the block changes; start again (if wanted)
            // once the new one is associated.
            let turning_off = Attrs {
                assign_ipv6: None,
                ..attrs_before.clone()
            };
            self.apply_attrs(subnet_id, &attrs_before, &turning_off, &doing)
                .await?;
            self.change_ipv6_block(
                subnet_id,
                ipv6_before.as_deref(),
                ipv6_after.as_deref(),
                &doing,
            )
            .await?;
            self.apply_attrs(subnet_id, &turning_off, &attrs_after, &doing)
                .await?;
        } else {
            self.apply_attrs(subnet_id, &attrs_before, &attrs_after, &doing)
                .await?;
        }
        tags::update(
            &self.ec2,
            subnet_id,
            &doing,
            &tags::desired(&before, &input.tags)?,
            &tags::desired(&after, &input.tags)?,
        )
        .await?;
        self.output(subnet_id, &doing).await
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let subnet_id = input.physical_id.as_str();
        match self
            .ec2
            .client
            .delete_subnet()
            .subnet_id(subnet_id)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if not_found(&e) => return Ok(()),
            Err(e) => return Err(self.ec2.error("DeleteSubnet", &doing, e)),
        }
        let what = format!("subnet {subnet_id} to be deleted");
        let doing = &doing;
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.subnets(id_chunks([subnet_id]), doing).await?;
            Ok(match found.first() {
                None => Poll::Ready(()),
                Some(subnet) => Poll::Pending(state(subnet)),
            })
        })
        .await
    }

    async fn do_read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let doing = refreshing(items, TYPE);
        let mut seen = self
            .describe_subnets(items.iter().map(|i| i.physical_id.as_str()), &doing)
            .await?;
        // The association with a network ACL changes only when it is replaced, which no
        // resource type infra supports does: the recorded one is kept, as CloudFormation keeps
        // the attribute it read at create. Records without one are looked up.
        let mut missing = Vec::new();
        for item in items {
            if let Some(s) = seen.get_mut(&item.physical_id) {
                s.acl_association = item
                    .attributes
                    .get("NetworkAclAssociationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if s.acl_association.is_none() {
                    missing.push(item.physical_id.clone());
                }
            }
        }
        add_associations(&mut seen, self.acl_associations(&missing, &doing).await?);
        Ok(items
            .iter()
            .map(|item| {
                let observation = match seen.get(&item.physical_id) {
                    None => Observation::Gone,
                    Some(seen) => Observation::Present {
                        properties: report(
                            observed_properties(&seen.subnet, &item.properties),
                            &item.properties,
                            WRITE_ONLY,
                        ),
                        attributes: attributes(seen, &item.properties),
                    },
                };
                (item.address.clone(), observation)
            })
            .collect())
    }

    pub(super) async fn wait_available(
        &self,
        subnet_id: &str,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let what = format!("subnet {subnet_id} to become available");
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.subnets(id_chunks([subnet_id]), doing).await?;
            Ok(match found.first() {
                None => Poll::Pending("not visible yet".into()),
                Some(subnet) if state(subnet) == "available" => Poll::Ready(()),
                Some(subnet) => Poll::Pending(state(subnet)),
            })
        })
        .await
    }

    /// One `ModifySubnetAttribute` per attribute that differs between `current` and `desired`.
    async fn apply_attrs(
        &self,
        subnet_id: &str,
        current: &Attrs,
        desired: &Attrs,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let flag = |v: Option<bool>| {
            AttributeBooleanValue::builder()
                .value(v.unwrap_or(false))
                .build()
        };
        let changed = |a: Option<bool>, b: Option<bool>| a.unwrap_or(false) != b.unwrap_or(false);
        let client = &self.ec2.client;
        let mut calls = Vec::new();
        if changed(current.map_public_ip, desired.map_public_ip) {
            calls.push(
                client
                    .modify_subnet_attribute()
                    .map_public_ip_on_launch(flag(desired.map_public_ip)),
            );
        }
        if changed(current.assign_ipv6, desired.assign_ipv6) {
            calls.push(
                client
                    .modify_subnet_attribute()
                    .assign_ipv6_address_on_creation(flag(desired.assign_ipv6)),
            );
        }
        if changed(current.dns64, desired.dns64) {
            calls.push(
                client
                    .modify_subnet_attribute()
                    .enable_dns64(flag(desired.dns64)),
            );
        }
        if current.lni_index != desired.lni_index {
            calls.push(match desired.lni_index {
                Some(index) => client
                    .modify_subnet_attribute()
                    .enable_lni_at_device_index(index),
                None => client
                    .modify_subnet_attribute()
                    .disable_lni_at_device_index(flag(Some(true))),
            });
        }
        if let Some(hostname_type) = &desired.hostname_type
            && current.hostname_type.as_ref() != Some(hostname_type)
        {
            calls.push(
                client
                    .modify_subnet_attribute()
                    .private_dns_hostname_type_on_launch(HostnameType::from(
                        hostname_type.as_str(),
                    )),
            );
        }
        if changed(current.a_record, desired.a_record) {
            calls.push(
                client
                    .modify_subnet_attribute()
                    .enable_resource_name_dns_a_record_on_launch(flag(desired.a_record)),
            );
        }
        if changed(current.aaaa_record, desired.aaaa_record) {
            calls.push(
                client
                    .modify_subnet_attribute()
                    .enable_resource_name_dns_aaaa_record_on_launch(flag(desired.aaaa_record)),
            );
        }
        for call in calls {
            let call = &call;
            retry_while_not_found(|| async move {
                call.clone()
                    .subnet_id(subnet_id)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| self.ec2.error("ModifySubnetAttribute", doing, e))
            })
            .await?;
        }
        Ok(())
    }

    /// Replaces the subnet's IPv6 block: disassociate the old one and wait until it is gone,
    /// then associate the new one and wait until it is associated.
    async fn change_ipv6_block(
        &self,
        subnet_id: &str,
        old: Option<&str>,
        new: Option<&str>,
        doing: &str,
    ) -> Result<(), ProviderError> {
        if let Some(old) = old {
            let found = self.subnets(id_chunks([subnet_id]), doing).await?;
            let association = found.first().and_then(|s| {
                s.ipv6_cidr_block_association_set()
                    .iter()
                    .find(|a| a.ipv6_cidr_block() == Some(old))
                    .and_then(|a| a.association_id())
                    .map(str::to_owned)
            });
            if let Some(association) = association {
                match self
                    .ec2
                    .client
                    .disassociate_subnet_cidr_block()
                    .association_id(&association)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    Err(e) if not_found(&e) => {}
                    Err(e) => return Err(self.ec2.error("DisassociateSubnetCidrBlock", doing, e)),
                }
                self.wait_ipv6(subnet_id, old, false, doing).await?;
            }
        }
        if let Some(new) = new {
            self.ec2
                .client
                .associate_subnet_cidr_block()
                .subnet_id(subnet_id)
                .ipv6_cidr_block(new)
                .send()
                .await
                .map_err(|e| self.ec2.error("AssociateSubnetCidrBlock", doing, e))?;
            self.wait_ipv6(subnet_id, new, true, doing).await?;
        }
        Ok(())
    }

    async fn wait_ipv6(
        &self,
        subnet_id: &str,
        block: &str,
        associated: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let what = format!(
            "IPv6 CIDR block {block} of subnet {subnet_id} to be {}",
            if associated {
                "associated"
            } else {
                "disassociated"
            }
        );
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.subnets(id_chunks([subnet_id]), doing).await?;
            let state = found.first().and_then(|s| {
                s.ipv6_cidr_block_association_set()
                    .iter()
                    .filter(|a| a.ipv6_cidr_block() == Some(block))
                    .filter_map(|a| a.ipv6_cidr_block_state()?.state().cloned())
                    .find(|s| *s != SubnetCidrBlockStateCode::Disassociated)
            });
            Ok(match (associated, state) {
                (true, Some(SubnetCidrBlockStateCode::Associated)) => Poll::Ready(()),
                (false, None) => Poll::Ready(()),
                (_, Some(SubnetCidrBlockStateCode::Failed)) => {
                    return Err(ProviderError::fatal(format!(
                        "{doing}: the IPv6 CIDR block {block} of subnet {subnet_id} failed"
                    )));
                }
                (_, Some(state)) => Poll::Pending(state.as_str().to_owned()),
                (true, None) => Poll::Pending("not associated yet".into()),
            })
        })
        .await
    }

    /// The output of a create or update. A new subnet's association with its VPC's default
    /// network ACL may take a moment to be visible.
    pub(super) async fn output(
        &self,
        subnet_id: &str,
        doing: &str,
    ) -> Result<ResourceOutput, ProviderError> {
        let what = format!("the network ACL association of subnet {subnet_id}");
        let seen = wait::until(&what, PROPAGATION_TIMEOUT, || async move {
            let mut seen = self.describe([subnet_id], doing).await?;
            Ok(match seen.remove(subnet_id) {
                Some(s) if s.acl_association.is_some() => Poll::Ready(s),
                Some(_) => Poll::Pending("not visible yet".into()),
                None => Poll::Pending("subnet not visible".into()),
            })
        })
        .await?;
        Ok(ResourceOutput {
            physical_id: subnet_id.to_owned(),
            attributes: attributes(&seen, &Value::Null),
        })
    }

    async fn subnets(
        &self,
        chunks: Vec<Vec<String>>,
        doing: &str,
    ) -> Result<Vec<Subnet>, ProviderError> {
        let mut out = Vec::new();
        for chunk in chunks {
            out.extend(
                self.subnets_where(vec![filter("subnet-id", &chunk)], doing)
                    .await?,
            );
        }
        Ok(out)
    }

    /// Every subnet `filters` select (one call per page).
    pub(super) async fn subnets_where(
        &self,
        filters: Vec<Filter>,
        doing: &str,
    ) -> Result<Vec<Subnet>, ProviderError> {
        let mut out = Vec::new();
        let mut pages = self
            .ec2
            .client
            .describe_subnets()
            .set_filters(Some(filters))
            .max_results(PAGE_SIZE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.ec2.error("DescribeSubnets", doing, e))?;
            out.extend(page.subnets.unwrap_or_default());
        }
        Ok(out)
    }

    /// The subnets of `ids` that exist, with their network ACL associations, by id: both
    /// lookups at once, since a create waits for both.
    async fn describe<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, Seen>, ProviderError> {
        let ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
        let (mut seen, associations) = tokio::try_join!(
            self.describe_subnets(ids.iter().map(String::as_str), doing),
            self.acl_associations(&ids, doing)
        )?;
        add_associations(&mut seen, associations);
        Ok(seen)
    }

    /// The subnets of `ids` that exist, by id, without their network ACL associations.
    async fn describe_subnets<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, Seen>, ProviderError> {
        let subnets = self.subnets(id_chunks(ids), doing).await?;
        Ok(subnets
            .into_iter()
            .filter_map(|subnet| {
                Some((
                    subnet.subnet_id()?.to_owned(),
                    Seen {
                        subnet,
                        acl_association: None,
                    },
                ))
            })
            .collect())
    }

    /// `(subnet id, association id)` of the network ACL associations of the subnets `ids`:
    /// one `DescribeNetworkAcls` per page; no call for no ids.
    async fn acl_associations(
        &self,
        ids: &[String],
        doing: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let mut out = Vec::new();
        for chunk in id_chunks(ids.iter().map(String::as_str)) {
            let mut pages = self
                .ec2
                .client
                .describe_network_acls()
                .filters(filter("association.subnet-id", &chunk))
                .max_results(PAGE_SIZE)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| self.ec2.error("DescribeNetworkAcls", doing, e))?;
                for acl in page.network_acls.unwrap_or_default() {
                    for association in acl.associations.unwrap_or_default() {
                        if let (Some(subnet), Some(id)) = (
                            association.subnet_id,
                            association.network_acl_association_id,
                        ) && chunk.contains(&subnet)
                        {
                            out.push((subnet, id));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

fn add_associations(seen: &mut BTreeMap<String, Seen>, associations: Vec<(String, String)>) {
    for (subnet, id) in associations {
        if let Some(s) = seen.get_mut(&subnet) {
            s.acl_association = Some(id);
        }
    }
}

fn state(subnet: &Subnet) -> String {
    subnet
        .state()
        .map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned())
}

/// The subnet's IPv6 blocks, but those being (or failed to be) associated or disassociated.
fn ipv6_blocks(subnet: &Subnet) -> Vec<&str> {
    subnet
        .ipv6_cidr_block_association_set()
        .iter()
        .filter(|a| {
            !matches!(
                a.ipv6_cidr_block_state().and_then(|s| s.state()),
                Some(
                    SubnetCidrBlockStateCode::Disassociating
                        | SubnetCidrBlockStateCode::Disassociated
                        | SubnetCidrBlockStateCode::Failing
                        | SubnetCidrBlockStateCode::Failed
                )
            )
        })
        .filter_map(|a| a.ipv6_cidr_block())
        .collect()
}

/// `PrivateDnsNameOptionsOnLaunch` as a template writes it.
fn dns_options(subnet: &Subnet) -> Map<String, Value> {
    let mut map = Map::new();
    if let Some(options) = subnet.private_dns_name_options_on_launch() {
        put(
            &mut map,
            "HostnameType",
            options.hostname_type().map(HostnameType::as_str),
        );
        put(
            &mut map,
            "EnableResourceNameDnsARecord",
            options.enable_resource_name_dns_a_record(),
        );
        put(
            &mut map,
            "EnableResourceNameDnsAAAARecord",
            options.enable_resource_name_dns_aaaa_record(),
        );
    }
    map
}

/// Properties as a template writes them.
fn observed_properties(subnet: &Subnet, last: &Value) -> Map<String, Value> {
    let mut map = Map::new();
    put(&mut map, "VpcId", subnet.vpc_id());
    put(&mut map, "CidrBlock", subnet.cidr_block());
    put(&mut map, "AvailabilityZone", subnet.availability_zone());
    put(
        &mut map,
        "AvailabilityZoneId",
        subnet.availability_zone_id(),
    );
    put(
        &mut map,
        "MapPublicIpOnLaunch",
        subnet.map_public_ip_on_launch(),
    );
    put(
        &mut map,
        "AssignIpv6AddressOnCreation",
        subnet.assign_ipv6_address_on_creation(),
    );
    put(&mut map, "EnableDns64", subnet.enable_dns64());
    put(
        &mut map,
        "EnableLniAtDeviceIndex",
        subnet.enable_lni_at_device_index(),
    );
    put(&mut map, "Ipv6Native", subnet.ipv6_native());
    put(&mut map, "OutpostArn", subnet.outpost_arn());
    put(
        &mut map,
        "Ipv6CidrBlock",
        ipv6_blocks(subnet).first().copied(),
    );
    // Only the options the template sets: the others are EC2's and not managed.
    let managed: Vec<&str> = last
        .get("PrivateDnsNameOptionsOnLaunch")
        .and_then(Value::as_object)
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let options: Map<String, Value> = dns_options(subnet)
        .into_iter()
        .filter(|(k, _)| managed.contains(&k.as_str()))
        .collect();
    map.insert(
        "PrivateDnsNameOptionsOnLaunch".into(),
        Value::Object(options),
    );
    tags::put_observed(&mut map, subnet.tags(), last);
    map
}

/// The `Fn::GetAtt` attributes the API reports.
fn attributes(seen: &Seen, last: &Value) -> BTreeMap<String, Value> {
    let subnet = &seen.subnet;
    let mut map = Map::new();
    put(&mut map, "SubnetId", subnet.subnet_id());
    put(&mut map, "VpcId", subnet.vpc_id());
    put(&mut map, "CidrBlock", subnet.cidr_block());
    put(&mut map, "AvailabilityZone", subnet.availability_zone());
    put(
        &mut map,
        "AvailabilityZoneId",
        subnet.availability_zone_id(),
    );
    put(
        &mut map,
        "NetworkAclAssociationId",
        seen.acl_association.clone(),
    );
    put(
        &mut map,
        "MapPublicIpOnLaunch",
        subnet.map_public_ip_on_launch(),
    );
    put(
        &mut map,
        "AssignIpv6AddressOnCreation",
        subnet.assign_ipv6_address_on_creation(),
    );
    put(&mut map, "EnableDns64", subnet.enable_dns64());
    put(
        &mut map,
        "EnableLniAtDeviceIndex",
        subnet.enable_lni_at_device_index(),
    );
    put(&mut map, "Ipv6Native", subnet.ipv6_native());
    put(&mut map, "OutpostArn", subnet.outpost_arn());
    let blocks = ipv6_blocks(subnet);
    put(&mut map, "Ipv6CidrBlock", blocks.first().copied());
    map.insert("Ipv6CidrBlocks".into(), json!(blocks));
    put(
        &mut map,
        "BlockPublicAccessStates.InternetGatewayBlockMode",
        subnet
            .block_public_access_states()
            .and_then(|s| s.internet_gateway_block_mode())
            .map(|m| m.as_str()),
    );
    for (key, value) in dns_options(subnet) {
        map.insert(format!("PrivateDnsNameOptionsOnLaunch.{key}"), value);
    }
    map.insert("Tags".into(), tags::observed(subnet.tags(), last));
    map.into_iter().collect()
}

super::provider_impl!(SubnetProvider, TYPE);
