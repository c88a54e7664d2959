//! `AWS::EC2::EgressOnlyInternetGateway`, an [`Object`]: `CreateEgressOnlyInternetGateway`
//! (attached to its VPC as it is made) with its tags, tags in place,
//! `DescribeEgressOnlyInternetGateways` by `EgressOnlyInternetGatewayIds` (chunks of 200, pages
//! followed; the API has no id filter), `DeleteEgressOnlyInternetGateway`, found by its infra
//! tags. A gateway whose attachment is `detached` (or has none) is deleted.
//!
//! `Ref` and `Fn::GetAtt Id` are the gateway id. Every documented property is supported.

use crate::providers::ec2::find::tag_coverage;
use aws_sdk_ec2::types::{EgressOnlyInternetGateway, ResourceType, Tag};
use serde_json::{Map, Value};

use super::api::{Ec2, call, returned};
use super::find::Tagged;
use super::object::{New, Object, id_delete, paged_describe};
use super::props::{Spec, put, spec};
use crate::provider::{Coverage, ProviderError};

pub(crate) const TYPE: &str = "AWS::EC2::EgressOnlyInternetGateway";

pub(crate) const SPEC: Spec = spec!(TYPE, EGRESS_ONLY_INTERNET_GATEWAY);

/// The egress-only internet gateway type.
#[derive(Debug)]
pub(crate) struct EgressOnlyInternetGatewayType {
    pub(crate) ec2: Ec2,
}

impl Tagged for EgressOnlyInternetGateway {
    fn id(&self) -> Option<&str> {
        self.egress_only_internet_gateway_id()
    }
    fn tags(&self) -> &[Tag] {
        self.tags()
    }
    /// The state of its attachment; `detached` without one (a deleted gateway).
    fn state(&self) -> Option<&str> {
        Some(
            self.attachments()
                .first()
                .and_then(|a| a.state())
                .map_or("detached", |s| s.as_str()),
        )
    }
}

impl Object for EgressOnlyInternetGatewayType {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = tag_coverage!(
        "DescribeEgressOnlyInternetGateways",
        "by id (200 per call, pages followed)"
    );
    const SPEC: Spec = SPEC;
    const WHAT: &'static str = "egress-only internet gateway";
    const RESOURCE_TYPE: ResourceType = ResourceType::EgressOnlyInternetGateway;
    type Seen = EgressOnlyInternetGateway;

    fn ec2(&self) -> &Ec2 {
        &self.ec2
    }

    async fn create(&self, new: New<'_>) -> Result<String, ProviderError> {
        let request = self
            .ec2
            .client
            .create_egress_only_internet_gateway()
            .vpc_id(new.props.required_str("VpcId")?)
            .set_tag_specifications(new.tags);
        let created = call!(
            self.ec2,
            request,
            "CreateEgressOnlyInternetGateway",
            new.doing
        )?;
        let id = created
            .egress_only_internet_gateway()
            .and_then(EgressOnlyInternetGateway::egress_only_internet_gateway_id);
        returned(id, "CreateEgressOnlyInternetGateway", new.doing)
    }

    paged_describe!(
        EgressOnlyInternetGateway,
        describe_egress_only_internet_gateways,
        set_egress_only_internet_gateway_ids,
        set_filters,
        "DescribeEgressOnlyInternetGateways",
        egress_only_internet_gateways
    );

    id_delete!(
        delete_egress_only_internet_gateway,
        egress_only_internet_gateway_id,
        "DeleteEgressOnlyInternetGateway"
    );

    fn observe(gateway: &EgressOnlyInternetGateway, _last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        put(
            &mut map,
            "VpcId",
            gateway.attachments().first().and_then(|a| a.vpc_id()),
        );
        map
    }

    /// Usable once `attached` (it is attached as it is made).
    fn pending(gateway: &EgressOnlyInternetGateway) -> Result<Option<String>, String> {
        Ok(match gateway.state() {
            Some("attached") | None => None,
            Some(other) => Some(other.to_owned()),
        })
    }
}
