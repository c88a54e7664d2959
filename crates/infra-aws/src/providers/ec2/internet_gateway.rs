//! `AWS::EC2::InternetGateway`, an [`Object`] that nothing waits for: `CreateInternetGateway`
//! with its tags (attaching it is the job of `AWS::EC2::VPCGatewayAttachment`), tags in place,
//! `DescribeInternetGateways` filtered by `internet-gateway-id` (200 ids per filter, pages
//! followed), `DeleteInternetGateway` (`DependencyViolation` while still attached), found by its
//! infra tags.
//!
//! `Ref` and `Fn::GetAtt InternetGatewayId` are the gateway id. Every documented property is
//! supported.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::InternetGateway;

use super::api::{Ec2, PAGE_SIZE};
use super::object::{
    Object, Waits, by_id, described, id_delete, object_header, one_create, paged_describe,
};

pub(crate) const TYPE: &str = "AWS::EC2::InternetGateway";

pub(crate) const SPEC: Keys = crate::generated::ec2::INTERNET_GATEWAY;

/// The internet gateway type.
#[derive(Debug)]
pub(crate) struct InternetGatewayType;

/// The internet gateways of `ids` that exist, by id (also used by the gateway attachment).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<BTreeMap<String, InternetGateway>, ProviderError> {
    Ok(by_id(
        described(&InternetGatewayType, ec2, ids, doing).await?,
    ))
}

impl Object for InternetGatewayType {
    object_header!(
        InternetGateway,
        InternetGateway,
        "internet gateway",
        "DescribeInternetGateways",
        "(200 ids per filter, pages followed)"
    );
    const WAITS: Waits = Waits::Never;
    const ID_ATTRIBUTE: &'static str = "InternetGatewayId";
    const ID_FILTER: Option<&'static str> = Some("internet-gateway-id");

    // Nothing of the template goes into the request but the tags.
    one_create!(
        create_internet_gateway,
        "CreateInternetGateway",
        |created| created
            .internet_gateway()
            .and_then(InternetGateway::internet_gateway_id),
        |_, b| Ok::<_, ProviderError>(b)
    );

    paged_describe!(
        InternetGateway,
        describe_internet_gateways,
        set_internet_gateway_ids,
        set_filters,
        internet_gateways,
        PAGE_SIZE
    );

    id_delete!(delete_internet_gateway, internet_gateway_id);

    fn observe(_gateway: &InternetGateway, _last: &Value) -> Map<String, Value> {
        Map::new()
    }
}
