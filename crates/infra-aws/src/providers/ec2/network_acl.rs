//! `AWS::EC2::NetworkAcl`, an [`Object`]: `CreateNetworkAcl` with its tags, tags in place,
//! `DescribeNetworkAcls` by `NetworkAclIds` (chunks of 200; see [`each_or_all`]),
//! `DeleteNetworkAcl` (`DependencyViolation` while a subnet is still associated), found by its
//! infra tags. Its entries and subnet associations are resources of their own
//! ([`super::network_acl_entry`], [`super::subnet_network_acl_association`]).
//!
//! `Ref` and `Fn::GetAtt Id` are the network ACL id. Every documented property is supported.

use crate::providers::ec2::find::tag_coverage;
use aws_sdk_ec2::operation::describe_network_acls::builders::DescribeNetworkAclsFluentBuilder;
use aws_sdk_ec2::types::{Filter, NetworkAcl, ResourceType};
use serde_json::{Map, Value};

use super::api::{Ec2, all_pages, call, each_or_all, filter, returned};
use super::object::{New, Object, id_delete, paged_describe};
use super::props::{Spec, put, spec};
use crate::provider::{Coverage, ProviderError};

pub(crate) const TYPE: &str = "AWS::EC2::NetworkAcl";

pub(crate) const SPEC: Spec = spec!(TYPE, NETWORK_ACL);

/// The network ACL type.
#[derive(Debug)]
pub(crate) struct NetworkAclType {
    pub(crate) ec2: Ec2,
}

/// A `DescribeNetworkAcls` request.
type Request = DescribeNetworkAclsFluentBuilder;

/// The network ACLs of `ids` that exist (also used by the entries and associations).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<Vec<NetworkAcl>, ProviderError> {
    each_or_all(ids, |chunk| {
        describe_where(ec2, |r| r.set_network_acl_ids(Some(chunk)), doing)
    })
    .await
}

/// Every network ACL of a `DescribeNetworkAcls` request that `with` completes (pages
/// followed).
pub(crate) async fn describe_where(
    ec2: &Ec2,
    with: impl FnOnce(Request) -> Request,
    doing: &str,
) -> Result<Vec<NetworkAcl>, ProviderError> {
    let request = with(ec2.client.describe_network_acls());
    Ok(all_pages!(
        ec2,
        request,
        "DescribeNetworkAcls",
        doing,
        network_acls
    ))
}

/// A filter of `DescribeNetworkAcls`.
pub(crate) fn filtered(filters: Vec<Filter>) -> impl FnOnce(Request) -> Request {
    move |r| r.set_filters(Some(filters))
}

impl Object for NetworkAclType {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = tag_coverage!(
        "DescribeNetworkAcls",
        "by NetworkAclIds (200 per call, pages followed)"
    );
    const SPEC: Spec = SPEC;
    const WHAT: &'static str = "network ACL";
    const RESOURCE_TYPE: ResourceType = ResourceType::NetworkAcl;
    type Seen = NetworkAcl;

    fn ec2(&self) -> &Ec2 {
        &self.ec2
    }

    async fn create(&self, new: New<'_>) -> Result<String, ProviderError> {
        let request = self
            .ec2
            .client
            .create_network_acl()
            .vpc_id(new.props.required_str("VpcId")?)
            .set_tag_specifications(new.tags);
        let created = call!(self.ec2, request, "CreateNetworkAcl", new.doing)?;
        let id = created.network_acl().and_then(NetworkAcl::network_acl_id);
        returned(id, "CreateNetworkAcl", new.doing)
    }

    paged_describe!(
        NetworkAcl,
        describe_network_acls,
        set_network_acl_ids,
        set_filters,
        "DescribeNetworkAcls",
        network_acls
    );

    id_delete!(delete_network_acl, network_acl_id, "DeleteNetworkAcl");

    fn observe(acl: &NetworkAcl, _last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "VpcId", acl.vpc_id());
        map
    }
}

/// The id of the default network ACL of the VPC `vpc_id` (what a subnet goes back to when its
/// association is deleted).
pub(crate) async fn default_of(
    ec2: &Ec2,
    vpc_id: &str,
    doing: &str,
) -> Result<Option<String>, ProviderError> {
    let found = describe_where(
        ec2,
        filtered(vec![
            filter("vpc-id", &[vpc_id.to_owned()]),
            filter("default", &["true".to_owned()]),
        ]),
        doing,
    )
    .await?;
    Ok(found
        .into_iter()
        .find(|acl| acl.is_default() == Some(true) && acl.vpc_id() == Some(vpc_id))
        .and_then(|acl| acl.network_acl_id))
}
