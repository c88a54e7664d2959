//! `AWS::EC2::Subnet` reading: `DescribeSubnets` by id, the network ACL associations
//! (`DescribeNetworkAcls`), what a create, update or find returns, and the batched read of
//! refresh.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Subnet;

use super::props::{WRITE_ONLY, attributes, observed_properties};
use super::{SubnetType, TYPE};
use crate::providers::ec2::api::{
    PAGE_SIZE, PROPAGATION_TIMEOUT, all_pages, filter, id_chunks, refreshing,
};
use crate::providers::ec2::find::unavailable;
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
            let Some(s) = seen.remove(subnet_id) else {
                return Ok(Poll::Pending("subnet not visible".into()));
            };
            Ok(
                match (unavailable(&s.subnet), s.acl_association.is_some()) {
                    (Some(state), _) => Poll::Pending(state),
                    (None, true) => Poll::Ready(s),
                    (None, false) => Poll::Pending("not visible yet".into()),
                },
            )
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
            let properties = observed_properties(&seen.subnet, &item.properties);
            Some((properties, attributes(seen, &item.properties)))
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
        let (subnets, mut associations) = tokio::try_join!(
            described(self, &self.ec2, ids.iter().map(String::as_str), doing),
            self.acl_associations(&ids, doing)
        )?;
        let seen = subnets.into_iter().filter_map(|subnet| {
            let id = subnet.subnet_id()?.to_owned();
            let acl_association = associations.remove(&id);
            let seen = Seen {
                subnet,
                acl_association,
            };
            Some((id, seen))
        });
        Ok(seen.collect())
    }

    /// The network ACL association ids of the subnets `ids`, by subnet id:
    /// one `DescribeNetworkAcls` per page; no call for no ids.
    async fn acl_associations(
        &self,
        ids: &[String],
        doing: &str,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        let mut out = BTreeMap::new();
        for chunk in id_chunks(ids.iter().map(String::as_str)) {
            let request = self.ec2.client.describe_network_acls();
            let request = request.filters(filter("association.subnet-id", &chunk));
            let acls = all_pages!(
                self.ec2,
                request.max_results(PAGE_SIZE),
                doing,
                network_acls
            );
            for association in acls
                .into_iter()
                .flat_map(|a| a.associations.unwrap_or_default())
            {
                let id = association.network_acl_association_id;
                if let (Some(subnet), Some(id)) = (association.subnet_id, id)
                    && chunk.contains(&subnet)
                {
                    out.insert(subnet, id);
                }
            }
        }
        Ok(out)
    }
}
