//! `AWS::EC2::EgressOnlyInternetGateway`, an [`Object`]: `CreateEgressOnlyInternetGateway`
//! (attached to its VPC as it is made) with its tags, tags in place,
//! `DescribeEgressOnlyInternetGateways` by `EgressOnlyInternetGatewayIds` (chunks of 200, pages
//! followed; the API has no id filter), `DeleteEgressOnlyInternetGateway`, found by its infra
//! tags. A gateway whose attachment is `detached` (or has none) is deleted.
//!
//! `Ref` and `Fn::GetAtt Id` are the gateway id. Every documented property is supported.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{EgressOnlyInternetGateway, Tag};

use super::find::Tagged;
use super::object::{Object, id_delete, object_header, one_create, paged_describe};

pub(crate) const TYPE: &str = "AWS::EC2::EgressOnlyInternetGateway";

pub(crate) const SPEC: Keys = crate::generated::ec2::EGRESS_ONLY_INTERNET_GATEWAY;

/// The egress-only internet gateway type.
#[derive(Debug)]
pub(crate) struct EgressOnlyInternetGatewayType;

impl Tagged for EgressOnlyInternetGateway {
    fn id(&self) -> Option<&str> {
        self.egress_only_internet_gateway_id()
    }
    fn tags(&self) -> &[Tag] {
        self.tags()
    }
    /// The state of its attachment; `detached` without one (a deleted gateway).
    fn state(&self) -> Option<&str> {
        let state = self.attachments().first().and_then(|a| a.state());
        Some(state.map_or("detached", |s| s.as_str()))
    }
}

impl Object for EgressOnlyInternetGatewayType {
    object_header!(
        EgressOnlyInternetGateway,
        EgressOnlyInternetGateway,
        "egress-only internet gateway",
        "DescribeEgressOnlyInternetGateways",
        "by id (200 per call, pages followed)"
    );

    one_create!(
        create_egress_only_internet_gateway,
        "CreateEgressOnlyInternetGateway",
        |created| created
            .egress_only_internet_gateway()
            .and_then(EgressOnlyInternetGateway::egress_only_internet_gateway_id)
    );

    paged_describe!(
        EgressOnlyInternetGateway,
        describe_egress_only_internet_gateways,
        set_egress_only_internet_gateway_ids,
        set_filters,
        egress_only_internet_gateways
    );

    id_delete!(
        delete_egress_only_internet_gateway,
        egress_only_internet_gateway_id
    );

    fn observe(gateway: &EgressOnlyInternetGateway, _last: &Value) -> Map<String, Value> {
        let vpc = gateway.attachments().first().and_then(|a| a.vpc_id());
        vpc.map(|id| ("VpcId".to_owned(), json!(id)))
            .into_iter()
            .collect()
    }

    /// Usable once `attached` (it is attached as it is made).
    fn pending(gateway: &EgressOnlyInternetGateway) -> Result<Option<String>, String> {
        Ok(match gateway.state() {
            Some("attached") | None => None,
            Some(other) => Some(other.to_owned()),
        })
    }
}
