//! `AWS::EC2::NetworkAcl`, an [`Object`]: `CreateNetworkAcl` with its tags, tags in place,
//! `DescribeNetworkAcls` by `NetworkAclIds` (chunks of 200; see [`each_or_all`]),
//! `DeleteNetworkAcl` (`DependencyViolation` while a subnet is still associated), found by its
//! infra tags. Its entries and subnet associations are resources of their own
//! ([`super::network_acl_entry`], [`super::subnet_network_acl_association`]).
//!
//! `Ref` and `Fn::GetAtt Id` are the network ACL id. Every documented property is supported.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::NetworkAcl;

use super::api::{Ec2, filter};
use super::object::{
    Object, described, id_delete, object_header, one_create, paged_describe, reported,
};
use crate::generated::ec2::report_network_acl;

pub(crate) const TYPE: &str = "AWS::EC2::NetworkAcl";

pub(crate) const SPEC: Keys = crate::generated::ec2::NETWORK_ACL;

/// The network ACL type.
#[derive(Debug)]
pub(crate) struct NetworkAclType;

/// The network ACLs of `ids` that exist (also used by the entries and associations).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<Vec<NetworkAcl>, ProviderError> {
    described(&NetworkAclType, ec2, ids, doing).await
}

impl Object for NetworkAclType {
    object_header!(
        NetworkAcl,
        NetworkAcl,
        "network ACL",
        "DescribeNetworkAcls",
        "by NetworkAclIds (200 per call, pages followed)"
    );

    one_create!(create_network_acl, "CreateNetworkAcl", |created| created
        .network_acl()
        .and_then(NetworkAcl::network_acl_id));

    paged_describe!(
        NetworkAcl,
        describe_network_acls,
        set_network_acl_ids,
        set_filters,
        network_acls
    );

    id_delete!(delete_network_acl, network_acl_id);

    fn observe(acl: &NetworkAcl, last: &Value) -> Map<String, Value> {
        reported(report_network_acl(acl), last)
    }
}

/// The id of the default network ACL of the VPC `vpc_id` (what a subnet goes back to when its
/// association is deleted).
pub(crate) async fn default_of(
    ec2: &Ec2,
    vpc_id: &str,
    doing: &str,
) -> Result<Option<String>, ProviderError> {
    let filters = vec![
        filter("vpc-id", &[vpc_id.to_owned()]),
        filter("default", &["true".to_owned()]),
    ];
    let found = NetworkAclType
        .describe(ec2, None, Some(filters), doing)
        .await?;
    Ok(found
        .into_iter()
        .find(|acl| acl.is_default() == Some(true) && acl.vpc_id() == Some(vpc_id))
        .and_then(|acl| acl.network_acl_id))
}
