//! `AWS::EC2::VPC` reading: `DescribeVpcs` by id, the default security groups and network
//! ACLs (`DescribeSecurityGroups`, `DescribeNetworkAcls`), what a create, update or find
//! returns, and the batched read of refresh.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Vpc, VpcAttributeName};

use super::dns::Dns;
use super::props::{WRITE_ONLY, attributes, observed_properties};
use super::{TYPE, VpcType};
use crate::providers::ec2::api::{
    Ec2, PAGE_SIZE, PROPAGATION_TIMEOUT, all_pages, filter, id_chunks, refreshing,
};
use crate::providers::ec2::object::described;
use crate::providers::ec2::props::report;
use crate::providers::ec2::wait::{self, Poll};

/// One VPC as read, with its default security group and network ACL.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    pub(super) vpc: Vpc,
    pub(super) default_security_group: Option<String>,
    pub(super) default_network_acl: Option<String>,
}

impl VpcType {
    /// The output of a create, update or find: what `Ref` and `Fn::GetAtt` return. The default
    /// security group and network ACL of a new VPC may take a moment to be visible.
    pub(super) async fn output(&self, vpc_id: &str, doing: &str, dns: Dns) -> Made {
        let what = format!("the default security group and network ACL of VPC {vpc_id}");
        let seen = wait::until(&what, PROPAGATION_TIMEOUT, || async move {
            let mut seen = self.seen([vpc_id], doing).await?;
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

    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        let ids = items.iter().map(|i| i.physical_id.as_str());
        let vpcs = describe(&self.ec2, ids, &doing).await?;
        // A VPC's default security group and network ACL are made with it and cannot be
        // deleted or replaced, so what was recorded stays true; only records without them
        // (imported, or written by an older version) are looked up.
        let recorded = |key: &str| -> Ids {
            let id = |i: &ReadInput| {
                let recorded = i.attributes.get(key)?.as_str()?.to_owned();
                Some((i.physical_id.clone(), recorded))
            };
            items.iter().filter_map(id).collect()
        };
        let mut groups = recorded("DefaultSecurityGroup");
        let mut acls = recorded("DefaultNetworkAcl");
        let missing: Vec<String> = (vpcs.iter().filter_map(Vpc::vpc_id))
            .filter(|id| !groups.contains_key(*id) || !acls.contains_key(*id))
            .map(str::to_owned)
            .collect();
        let (found_groups, found_acls) = self.defaults(&missing, &doing).await?;
        groups.extend(found_groups);
        acls.extend(found_acls);
        let seen = with_defaults(vpcs, groups, acls);
        let mut out = BTreeMap::new();
        for item in items {
            let Some(seen) = seen.get(&item.physical_id) else {
                out.insert(item.address.clone(), Observation::Gone);
                continue;
            };
            let mut properties = observed_properties(&seen.vpc, &item.properties);
            let mut attributes = attributes(seen, &item.properties);
            // Read only when the template sets them; else as recorded.
            for (key, attribute) in [
                ("EnableDnsSupport", VpcAttributeName::EnableDnsSupport),
                ("EnableDnsHostnames", VpcAttributeName::EnableDnsHostnames),
            ] {
                if item.properties.get(key).is_some_and(|v| !v.is_null()) {
                    let on = self.dns_attribute(&item.physical_id, attribute, &doing);
                    let value = Value::Bool(on.await?);
                    properties.insert(key.to_owned(), value.clone());
                    attributes.insert(key.to_owned(), value);
                } else if let Some(recorded) = item.attributes.get(key) {
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

    /// The VPCs of `ids` that exist, with their defaults, by id: the three lookups at once,
    /// since a create waits for all of them.
    async fn seen<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        doing: &str,
    ) -> Result<BTreeMap<String, Seen>, ProviderError> {
        let ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
        let (vpcs, (groups, acls)) = tokio::try_join!(
            describe(&self.ec2, ids.iter().map(String::as_str), doing),
            self.defaults(&ids, doing)
        )?;
        Ok(with_defaults(vpcs, groups, acls))
    }

    /// The default security group and network ACL of the VPCs `ids`: one
    /// `DescribeSecurityGroups` and one `DescribeNetworkAcls` per page, made at once; no call
    /// for no ids.
    async fn defaults(&self, ids: &[String], doing: &str) -> Result<(Ids, Ids), ProviderError> {
        let (ec2, mut out) = (&self.ec2, (Ids::new(), Ids::new()));
        for chunk in id_chunks(ids.iter().map(String::as_str)) {
            let vpcs = filter("vpc-id", &chunk);
            let groups = (ec2.client.describe_security_groups().filters(vpcs.clone()))
                .filters(filter("group-name", &["default".to_owned()]))
                .max_results(PAGE_SIZE);
            let acls = (ec2.client.describe_network_acls().filters(vpcs))
                .filters(filter("default", &["true".to_owned()]))
                .max_results(PAGE_SIZE);
            let (sgs, acls) = tokio::try_join!(
                async { Ok::<_, ProviderError>(all_pages!(ec2, groups, doing, security_groups)) },
                async { Ok(all_pages!(ec2, acls, doing, network_acls)) }
            )?;
            let default = Some("default");
            for g in sgs.into_iter().filter(|g| g.group_name() == default) {
                out.0.extend(g.vpc_id.zip(g.group_id));
            }
            for a in acls.into_iter().filter(|a| a.is_default == Some(true)) {
                out.1.extend(a.vpc_id.zip(a.network_acl_id));
            }
        }
        Ok(out)
    }
}

/// The VPCs of `ids` that exist (200 ids per filter, pages followed); also read by the
/// resources that change a VPC: its CIDR blocks and its DHCP options association.
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<Vec<Vpc>, ProviderError> {
    described(&VpcType { ec2: ec2.clone() }, ec2, ids, doing).await
}

/// Ids by VPC id.
type Ids = BTreeMap<String, String>;

/// `vpcs` by id, each with its default security group of `groups` and network ACL of `acls`.
fn with_defaults(vpcs: Vec<Vpc>, mut groups: Ids, mut acls: Ids) -> BTreeMap<String, Seen> {
    let seen = |vpc: Vpc| {
        let id = vpc.vpc_id()?.to_owned();
        let default_security_group = groups.remove(&id);
        let default_network_acl = acls.remove(&id);
        let seen = Seen {
            vpc,
            default_security_group,
            default_network_acl,
        };
        Some((id.clone(), seen))
    };
    vpcs.into_iter().filter_map(seen).collect()
}
