//! `AWS::EC2::VPC`.
//!
//! - create: `CreateVpc` (CIDR block or IPAM pool, tenancy, tags), wait until `available`
//!   (unless CreateVpc says so already), then, at once, `ModifyVpcAttribute` for
//!   `EnableDnsSupport` / `EnableDnsHostnames` (one attribute per call as the API requires, in
//!   an order AWS accepts: hostnames need DNS support) and the reads of the VPC and its default
//!   security group and network ACL.
//! - update: DNS attributes, `InstanceTenancy` from `dedicated` to `default` (`ModifyVpcTenancy`;
//!   the other direction replaces, as CloudFormation documents), tags.
//! - read: one `DescribeVpcs` per page for all VPCs. The default security group and network
//!   ACL are made with the VPC and can be neither deleted nor swapped, so their recorded ids are
//!   kept; only a record without them costs one `DescribeSecurityGroups` and one
//!   `DescribeNetworkAcls` per page. `DescribeVpcAttribute` has no batched form: it is called
//!   per VPC and attribute, only for VPCs whose template sets that attribute.
//! - delete: `DeleteVpc` (`DependencyViolation` while subnets, gateways or groups remain), then
//!   wait until it is gone.
//! - find: by its infra tags (`DescribeVpcs`), then as after a create, with the DNS attributes
//!   read back.
//!
//! `Ref` is the VPC id. Not supported yet: `VpcEncryptionControl`.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, ResourceType, Tenancy, Vpc, VpcAttributeName,
    VpcEncryptionControl,
};
use serde_json::{Map, Value, json};

use super::api::{
    Ec2, PAGE_SIZE, doing, filter, id_chunks, not_found, on_create, refreshing,
    retry_while_not_found,
};
use super::find;
use super::props::{Props, Spec, put, report};
use super::tags;
use super::wait::{self, Poll};
use crate::provider::{
    CreateInput, DeleteInput, FindInput, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};

pub(crate) const TYPE: &str = "AWS::EC2::VPC";

pub(crate) const SPEC: Spec = Spec {
    type_name: TYPE,
    supported: &[
        "CidrBlock",
        "EnableDnsHostnames",
        "EnableDnsSupport",
        "InstanceTenancy",
        "Ipv4IpamPoolId",
        "Ipv4NetmaskLength",
        "Tags",
    ],
    unsupported: &["VpcEncryptionControl"],
};

/// Properties the API never reports.
const WRITE_ONLY: &[&str] = &["Ipv4IpamPoolId", "Ipv4NetmaskLength"];

/// The VPC provider.
#[derive(Debug)]
pub(crate) struct VpcProvider {
    pub(crate) ec2: Ec2,
}

/// The two DNS attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dns {
    support: bool,
    hostnames: bool,
}

impl Dns {
    /// What EC2 gives a new VPC.
    const DEFAULT: Dns = Dns {
        support: true,
        hostnames: false,
    };

    fn of(props: &Props<'_>) -> Result<Dns, ProviderError> {
        Ok(Dns {
            support: props
                .bool("EnableDnsSupport")?
                .unwrap_or(Dns::DEFAULT.support),
            hostnames: props
                .bool("EnableDnsHostnames")?
                .unwrap_or(Dns::DEFAULT.hostnames),
        })
    }
}

/// One VPC as read, with its default security group and network ACL.
#[derive(Debug, Clone)]
struct Seen {
    vpc: Vpc,
    default_security_group: Option<String>,
    default_network_acl: Option<String>,
}

impl VpcProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("creating", &input.address, TYPE);
        let props = Props::parse(&SPEC, &input.properties)?;
        let tags = tags::desired(&props, &input.tags)?;
        let dns = Dns::of(&props)?;
        let created = self
            .ec2
            .client
            .create_vpc()
            .set_cidr_block(props.str("CidrBlock")?)
            .set_ipv4_ipam_pool_id(props.str("Ipv4IpamPoolId")?)
            .set_ipv4_netmask_length(props.int("Ipv4NetmaskLength")?)
            .set_instance_tenancy(
                props
                    .str("InstanceTenancy")?
                    .map(|t| Tenancy::from(t.as_str())),
            )
            .set_tag_specifications(tags::spec(ResourceType::Vpc, &tags).map(|s| vec![s]))
            .send()
            .await
            .map_err(|e| on_create(self.ec2.error("CreateVpc", &doing, e)))?;
        let vpc_id = created
            .vpc()
            .and_then(Vpc::vpc_id)
            .ok_or_else(|| ProviderError::fatal(format!("{doing}: CreateVpc returned no VPC id")))?
            .to_owned();
        if created.vpc().map(state).as_deref() != Some("available") {
            self.wait_available(&vpc_id, &doing).await?;
        }
        // The DNS attributes and the read of the defaults do not depend on each other.
        let ((), output) = tokio::try_join!(
            self.apply_dns(&vpc_id, Dns::DEFAULT, dns, &doing),
            self.output(&vpc_id, &doing, dns)
        )?;
        Ok(output)
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let doing = doing("updating", &input.address, TYPE);
        let before = Props::unchecked(TYPE, &input.before);
        let after = Props::parse(&SPEC, &input.after)?;
        let vpc_id = input.physical_id.as_str();

        let tenancy_before = before.str("InstanceTenancy")?.unwrap_or("default".into());
        let tenancy_after = after.str("InstanceTenancy")?.unwrap_or("default".into());
        if tenancy_before != tenancy_after {
            if tenancy_after != "default" {
                return Err(ProviderError::fatal(format!(
                    "{doing}: InstanceTenancy can only change in place from dedicated to \
                     default; changing it to {tenancy_after} replaces the VPC"
                )));
            }
            self.ec2
                .client
                .modify_vpc_tenancy()
                .vpc_id(vpc_id)
                .instance_tenancy("default".into())
                .send()
                .await
                .map_err(|e| self.ec2.error("ModifyVpcTenancy", &doing, e))?;
        }

        let dns = Dns::of(&after)?;
        self.apply_dns(vpc_id, Dns::of(&before)?, dns, &doing)
            .await?;
        tags::update(
            &self.ec2,
            vpc_id,
            &doing,
            &tags::desired(&before, &input.tags)?,
            &tags::desired(&after, &input.tags)?,
        )
        .await?;
        self.output(vpc_id, &doing, dns).await
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = doing("deleting", &input.address, TYPE);
        let vpc_id = input.physical_id.as_str();
        match self.ec2.client.delete_vpc().vpc_id(vpc_id).send().await {
            Ok(_) => {}
            Err(e) if not_found(&e) => return Ok(()),
            Err(e) => return Err(self.ec2.error("DeleteVpc", &doing, e)),
        }
        let what = format!("VPC {vpc_id} to be deleted");
        let doing = &doing;
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.vpcs(id_chunks([vpc_id]), doing).await?;
            Ok(match found.first() {
                None => Poll::Ready(()),
                Some(vpc) => Poll::Pending(state(vpc)),
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
            .describe_vpcs(items.iter().map(|i| i.physical_id.as_str()), &doing)
            .await?;
        // A VPC's default security group and network ACL are made with it and cannot be
        // deleted or replaced, so what was recorded stays true; only records without them
        // (imported, or written by an older version) are looked up.
        for item in items {
            if let Some(s) = seen.get_mut(&item.physical_id) {
                s.default_security_group = recorded(item, "DefaultSecurityGroup");
                s.default_network_acl = recorded(item, "DefaultNetworkAcl");
            }
        }
        let missing: Vec<String> = seen
            .iter()
            .filter(|(_, s)| s.default_security_group.is_none() || s.default_network_acl.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        self.defaults(&missing, &doing).await?.add_to(&mut seen);
        let mut out = BTreeMap::new();
        for item in items {
            let Some(seen) = seen.get(&item.physical_id) else {
                out.insert(item.address.clone(), Observation::Gone);
                continue;
            };
            let last = Props::unchecked(TYPE, &item.properties);
            let mut dns = BTreeMap::new();
            for (key, attribute) in [
                ("EnableDnsSupport", VpcAttributeName::EnableDnsSupport),
                ("EnableDnsHostnames", VpcAttributeName::EnableDnsHostnames),
            ] {
                if last.has(key) {
                    dns.insert(
                        key,
                        self.dns_attribute(&item.physical_id, attribute, &doing)
                            .await?,
                    );
                }
            }
            let mut properties = observed_properties(seen, &item.properties);
            for (key, value) in &dns {
                properties.insert((*key).to_owned(), Value::Bool(*value));
            }
            let mut attributes = attributes(seen, &item.properties);
            for (key, value) in &dns {
                attributes.insert((*key).to_owned(), Value::Bool(*value));
            }
            for key in ["EnableDnsSupport", "EnableDnsHostnames"] {
                if !attributes.contains_key(key)
                    && let Some(recorded) = item.attributes.get(key)
                {
                    attributes.insert(key.to_owned(), recorded.clone());
                }
            }
            out.insert(
                item.address.clone(),
                Observation::Present {
                    properties: report(properties, &item.properties, WRITE_ONLY),
                    attributes,
                },
            );
        }
        Ok(out)
    }

    /// By its infra tags (`DescribeVpcs`); then, as the create does, until it is `available`
    /// and its defaults show. The DNS attributes are read, not assumed: an interrupted create
    /// may not have set them yet.
    async fn do_find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        let doing = find::finding(input, TYPE);
        let found = self
            .vpcs_where(find::tag_filters(input, &doing)?, &doing)
            .await?;
        let Some((vpc_id, _)) = find::pick(found, input, "VPC", &doing)? else {
            return Ok(None);
        };
        self.wait_available(&vpc_id, &doing).await?;
        let dns = Dns {
            support: (self.dns_attribute(&vpc_id, VpcAttributeName::EnableDnsSupport, &doing))
                .await?,
            hostnames: (self.dns_attribute(&vpc_id, VpcAttributeName::EnableDnsHostnames, &doing))
                .await?,
        };
        self.output(&vpc_id, &doing, dns).await.map(Some)
    }

    /// Waits until the new VPC is `available`.
    async fn wait_available(&self, vpc_id: &str, doing: &str) -> Result<(), ProviderError> {
        let what = format!("VPC {vpc_id} to become available");
        wait::until(&what, wait::SHORT_TIMEOUT, || async move {
            let found = self.vpcs(id_chunks([vpc_id]), doing).await?;
            Ok(match found.first() {
                None => Poll::Pending("not visible yet".into()),
                Some(vpc) if state(vpc) == "available" => Poll::Ready(()),
                Some(vpc) => Poll::Pending(state(vpc)),
            })
        })
        .await
    }

    /// Sets the DNS attributes from `current` to `desired`: hostnames off before support off,
    /// support on before hostnames on (EC2 refuses DNS hostnames without DNS support).
    async fn apply_dns(
        &self,
        vpc_id: &str,
        current: Dns,
        desired: Dns,
        doing: &str,
    ) -> Result<(), ProviderError> {
        if current.hostnames && !desired.hostnames {
            self.set_dns(vpc_id, VpcAttributeName::EnableDnsHostnames, false, doing)
                .await?;
        }
        if current.support != desired.support {
            self.set_dns(
                vpc_id,
                VpcAttributeName::EnableDnsSupport,
                desired.support,
                doing,
            )
            .await?;
        }
        if !current.hostnames && desired.hostnames {
            self.set_dns(vpc_id, VpcAttributeName::EnableDnsHostnames, true, doing)
                .await?;
        }
        Ok(())
    }

    async fn set_dns(
        &self,
        vpc_id: &str,
        attribute: VpcAttributeName,
        value: bool,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let flag = &AttributeBooleanValue::builder().value(value).build();
        let attribute = &attribute;
        retry_while_not_found(|| async move {
            let request = self.ec2.client.modify_vpc_attribute().vpc_id(vpc_id);
            let request = match attribute {
                VpcAttributeName::EnableDnsHostnames => request.enable_dns_hostnames(flag.clone()),
                _ => request.enable_dns_support(flag.clone()),
            };
            request
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.ec2.error("ModifyVpcAttribute", doing, e))
        })
        .await
    }

    async fn dns_attribute(
        &self,
        vpc_id: &str,
        attribute: VpcAttributeName,
        doing: &str,
    ) -> Result<bool, ProviderError> {
        let out = self
            .ec2
            .client
            .describe_vpc_attribute()
            .vpc_id(vpc_id)
            .attribute(attribute.clone())
            .send()
            .await
            .map_err(|e| self.ec2.error("DescribeVpcAttribute", doing, e))?;
        let value = match attribute {
            VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
            _ => out.enable_dns_support(),
        };
        Ok(value
            .and_then(AttributeBooleanValue::value)
            .unwrap_or(false))
    }

    /// The output of a create or update: what `Ref` and `Fn::GetAtt` return. The default
    /// security group and network ACL of a new VPC may take a moment to be visible.
    async fn output(
        &self,
        vpc_id: &str,
        doing: &str,
        dns: Dns,
    ) -> Result<ResourceOutput, ProviderError> {
        let what = format!("the default security group and network ACL of VPC {vpc_id}");
        let seen = wait::until(&what, super::api::PROPAGATION_TIMEOUT, || async move {
            let mut seen = self.describe([vpc_id], doing).await?;
            Ok(match seen.remove(vpc_id) {
                Some(s)
                    if s.default_security_group.is_some() && s.default_network_acl.is_some() =>
                {
                    Poll::Ready(s)
                }
                Some(_) => Poll::Pending("not visible yet".into()),
                None => Poll::Pending("VPC not visible".into()),
            })
        })
        .await?;
        let mut attributes = attributes(&seen, &Value::Null);
        attributes.insert("EnableDnsSupport".into(), Value::Bool(dns.support));
        attributes.insert("EnableDnsHostnames".into(), Value::Bool(dns.hostnames));
        Ok(ResourceOutput {
            physical_id: vpc_id.to_owned(),
            attributes,
        })
    }

    async fn vpcs(&self, chunks: Vec<Vec<String>>, doing: &str) -> Result<Vec<Vpc>, ProviderError> {
        let mut out = Vec::new();
        for chunk in chunks {
            out.extend(
                self.vpcs_where(vec![filter("vpc-id", &chunk)], doing)
                    .await?,
            );
        }
        Ok(out)
    }

    /// Every VPC `filters` select (one call per page).
    async fn vpcs_where(
        &self,
        filters: Vec<Filter>,
        doing: &str,
    ) -> Result<Vec<Vpc>, ProviderError> {
        let mut out = Vec::new();
        let mut pages = self
            .ec2
            .client
            .describe_vpcs()
            .set_filters(Some(filters))
            .max_results(PAGE_SIZE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.ec2.error("DescribeVpcs", doing, e))?;
            out.extend(page.vpcs.unwrap_or_default());
        }
        Ok(out)
    }

    /// The VPCs of `ids` that exist, with their defaults, by id: the three lookups at once,
    /// since a create waits for all of them.
    async fn describe<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, Seen>, ProviderError> {
        let ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
        let (mut seen, defaults) = tokio::try_join!(
            self.describe_vpcs(ids.iter().map(String::as_str), doing),
            self.defaults(&ids, doing)
        )?;
        defaults.add_to(&mut seen);
        Ok(seen)
    }

    /// The VPCs of `ids` that exist, by id, without their defaults.
    async fn describe_vpcs<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, Seen>, ProviderError> {
        let vpcs = self.vpcs(id_chunks(ids), doing).await?;
        Ok(vpcs
            .into_iter()
            .filter_map(|vpc| {
                let id = vpc.vpc_id()?.to_owned();
                Some((
                    id,
                    Seen {
                        vpc,
                        default_security_group: None,
                        default_network_acl: None,
                    },
                ))
            })
            .collect())
    }

    /// The default security group and network ACL of the VPCs `ids`: one
    /// `DescribeSecurityGroups` and one `DescribeNetworkAcls` per page, made at once; no call
    /// for no ids.
    async fn defaults(&self, ids: &[String], doing: &str) -> Result<Defaults, ProviderError> {
        let mut out = Defaults::default();
        for chunk in id_chunks(ids.iter().map(String::as_str)) {
            let (groups, acls) = tokio::try_join!(
                self.default_groups(&chunk, doing),
                self.default_acls(&chunk, doing)
            )?;
            out.groups.extend(groups);
            out.acls.extend(acls);
        }
        Ok(out)
    }

    /// `(VPC id, group id)` of the default security groups of `vpcs`.
    async fn default_groups(
        &self,
        vpcs: &[String],
        doing: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let mut out = Vec::new();
        let mut pages = self
            .ec2
            .client
            .describe_security_groups()
            .filters(filter("vpc-id", vpcs))
            .filters(filter("group-name", &["default".to_owned()]))
            .max_results(PAGE_SIZE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.ec2.error("DescribeSecurityGroups", doing, e))?;
            for group in page.security_groups.unwrap_or_default() {
                if group.group_name() != Some("default") {
                    continue;
                }
                if let (Some(vpc), Some(id)) = (group.vpc_id, group.group_id) {
                    out.push((vpc, id));
                }
            }
        }
        Ok(out)
    }

    /// `(VPC id, network ACL id)` of the default network ACLs of `vpcs`.
    async fn default_acls(
        &self,
        vpcs: &[String],
        doing: &str,
    ) -> Result<Vec<(String, String)>, ProviderError> {
        let mut out = Vec::new();
        let mut pages = self
            .ec2
            .client
            .describe_network_acls()
            .filters(filter("vpc-id", vpcs))
            .filters(filter("default", &["true".to_owned()]))
            .max_results(PAGE_SIZE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.ec2.error("DescribeNetworkAcls", doing, e))?;
            for acl in page.network_acls.unwrap_or_default() {
                if acl.is_default != Some(true) {
                    continue;
                }
                if let (Some(vpc), Some(id)) = (acl.vpc_id, acl.network_acl_id) {
                    out.push((vpc, id));
                }
            }
        }
        Ok(out)
    }
}

/// A string attribute as recorded.
fn recorded(item: &ReadInput, key: &str) -> Option<String> {
    item.attributes
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Default security groups and network ACLs, as `(VPC id, id)`.
#[derive(Default)]
struct Defaults {
    groups: Vec<(String, String)>,
    acls: Vec<(String, String)>,
}

impl Defaults {
    fn add_to(self, seen: &mut BTreeMap<String, Seen>) {
        for (vpc, group) in self.groups {
            if let Some(s) = seen.get_mut(&vpc) {
                s.default_security_group = Some(group);
            }
        }
        for (vpc, acl) in self.acls {
            if let Some(s) = seen.get_mut(&vpc) {
                s.default_network_acl = Some(acl);
            }
        }
    }
}

fn state(vpc: &Vpc) -> String {
    vpc.state()
        .map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned())
}

/// Properties as a template writes them (DNS attributes are added by the caller).
fn observed_properties(seen: &Seen, last: &Value) -> Map<String, Value> {
    let vpc = &seen.vpc;
    let mut map = Map::new();
    put(&mut map, "CidrBlock", vpc.cidr_block());
    put(
        &mut map,
        "InstanceTenancy",
        vpc.instance_tenancy().map(Tenancy::as_str),
    );
    tags::put_observed(&mut map, vpc.tags(), last);
    map
}

/// The `Fn::GetAtt` attributes the API reports.
fn attributes(seen: &Seen, last: &Value) -> BTreeMap<String, Value> {
    let vpc = &seen.vpc;
    let mut map = BTreeMap::new();
    if let Some(id) = vpc.vpc_id() {
        map.insert("VpcId".into(), json!(id));
    }
    if let Some(cidr) = vpc.cidr_block() {
        map.insert("CidrBlock".into(), json!(cidr));
    }
    let associations: Vec<&str> = vpc
        .cidr_block_association_set()
        .iter()
        .filter_map(|a| a.association_id())
        .collect();
    map.insert("CidrBlockAssociations".into(), json!(associations));
    let ipv6: Vec<&str> = vpc
        .ipv6_cidr_block_association_set()
        .iter()
        .filter_map(|a| a.ipv6_cidr_block())
        .collect();
    map.insert("Ipv6CidrBlocks".into(), json!(ipv6));
    if let Some(id) = &seen.default_security_group {
        map.insert("DefaultSecurityGroup".into(), json!(id));
    }
    if let Some(id) = &seen.default_network_acl {
        map.insert("DefaultNetworkAcl".into(), json!(id));
    }
    if let Some(tenancy) = vpc.instance_tenancy() {
        map.insert("InstanceTenancy".into(), json!(tenancy.as_str()));
    }
    map.insert("Tags".into(), tags::observed(vpc.tags(), last));
    if let Some(control) = vpc.encryption_control() {
        encryption_control_attributes(control, &mut map);
    }
    map
}

/// `VpcEncryptionControl.*`, as far as the SDK in use reports them (the control itself is
/// made by another resource or outside infra; the property is not supported yet).
fn encryption_control_attributes(
    control: &VpcEncryptionControl,
    map: &mut BTreeMap<String, Value>,
) {
    let mut put_attr = |name: &str, value: Option<&str>| {
        if let Some(value) = value {
            map.insert(format!("VpcEncryptionControl.{name}"), json!(value));
        }
    };
    put_attr("VpcId", control.vpc_id());
    put_attr(
        "VpcEncryptionControlId",
        control.vpc_encryption_control_id(),
    );
    put_attr("Mode", control.mode().map(|m| m.as_str()));
    put_attr("State", control.state().map(|s| s.as_str()));
    put_attr("StateMessage", control.state_message());
    if let Some(exclusions) = control.resource_exclusions() {
        for (name, exclusion) in [
            ("InternetGateway", exclusions.internet_gateway()),
            (
                "EgressOnlyInternetGateway",
                exclusions.egress_only_internet_gateway(),
            ),
            ("NatGateway", exclusions.nat_gateway()),
            (
                "VirtualPrivateGateway",
                exclusions.virtual_private_gateway(),
            ),
            ("VpcPeering", exclusions.vpc_peering()),
        ] {
            if let Some(exclusion) = exclusion {
                put_attr(
                    &format!("ResourceExclusions.{name}.State"),
                    exclusion.state().map(|s| s.as_str()),
                );
                put_attr(
                    &format!("ResourceExclusions.{name}.StateMessage"),
                    exclusion.state_message(),
                );
            }
        }
    }
}

super::provider_impl!(VpcProvider, TYPE);
