//! `AWS::EC2::Subnet` reading: `DescribeSubnets` by id, the network ACL associations
//! (`DescribeNetworkAcls`), what a create, update or find returns, and the batched read of
//! refresh.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Subnet;

use super::props::{WRITE_ONLY, attributes, observed_properties};
use super::{SubnetType, TYPE, state};
use crate::providers::ec2::api::{
    PAGE_SIZE, PROPAGATION_TIMEOUT, all_pages, filter, id_chunks, refreshing,
};
use crate::providers::ec2::object::described;
use crate::providers::ec2::props::observe_each;
use crate::providers::ec2::wait::{self, Poll};
use crate::providers::kit::prelude::*;

/// One subnet as read, with its network ACL association.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    pub(super) subnet: Subnet,
    pub(super) acl_association: Option<String>,
}

impl SubnetType {
    /// The output of a create, update or find, once the subnet is `available` and its
    /// association with its VPC's default network ACL (which may take a moment) shows.
    pub(super) async fn output(&self, subnet_id: &str, doing: &str) -> Made {
        let what = format!("the network ACL association of subnet {subnet_id}");
        let seen = wait::until(&what, PROPAGATION_TIMEOUT, || async move {
            let mut seen = self.with_associations([subnet_id], doing).await?;
            Ok(match seen.remove(subnet_id) {
                Some(s) if state(&s.subnet) != "available" => Poll::Pending(state(&s.subnet)),
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

    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, TYPE);
        // The network ACL association is read every time: an
        // `AWS::EC2::SubnetNetworkAclAssociation` replaces it (a new id), and so does its delete.
        let seen = self
            .with_associations(items.iter().map(|i| i.physical_id.as_str()), &doing)
            .await?;
        Ok(observe_each(items, WRITE_ONLY, |item| {
            let seen = seen.get(&item.physical_id)?;
            Some((
                observed_properties(&seen.subnet, &item.properties),
                attributes(seen, &item.properties),
            ))
        }))
    }

    /// The subnets of `ids` that exist, with their network ACL associations, by id: both
    /// lookups at once, since a create waits for both.
    async fn with_associations<'i>(
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
        let subnets = described(self, &self.ec2, ids, doing).await?;
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
            let request = self
                .ec2
                .client
                .describe_network_acls()
                .filters(filter("association.subnet-id", &chunk))
                .max_results(PAGE_SIZE);
            let acls = all_pages!(self.ec2, request, doing, network_acls);
            for association in acls
                .into_iter()
                .flat_map(|a| a.associations.unwrap_or_default())
            {
                if let (Some(subnet), Some(id)) = (
                    association.subnet_id,
                    association.network_acl_association_id,
                ) && chunk.contains(&subnet)
                {
                    out.push((subnet, id));
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
