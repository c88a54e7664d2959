//! `AWS::EC2::InternetGateway`, an [`Object`] that nothing waits for: `CreateInternetGateway`
//! with its tags (attaching it is the job of `AWS::EC2::VPCGatewayAttachment`), tags in place,
//! `DescribeInternetGateways` filtered by `internet-gateway-id` (200 ids per filter, pages
//! followed), `DeleteInternetGateway` (`DependencyViolation` while still attached), found by its
//! infra tags.
//!
//! `Ref` and `Fn::GetAtt InternetGatewayId` are the gateway id. Every documented property is
//! supported.

use crate::providers::ec2::find::tag_coverage;
use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, InternetGateway, ResourceType};
use serde_json::{Map, Value};

use super::api::{Ec2, PAGE_SIZE, all_pages, call, filter, id_chunks, returned};
use super::object::{New, Object, Waits, id_delete};
use super::props::{Spec, spec};
use crate::provider::{Coverage, ProviderError};

pub(crate) const TYPE: &str = "AWS::EC2::InternetGateway";

pub(crate) const SPEC: Spec = spec!(TYPE, INTERNET_GATEWAY);

/// The internet gateway type.
#[derive(Debug)]
pub(crate) struct InternetGatewayType {
    pub(crate) ec2: Ec2,
}

/// The internet gateways of `ids` that exist, by id (also used by the gateway attachment).
pub(crate) async fn describe<'i>(
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<BTreeMap<String, InternetGateway>, ProviderError> {
    let mut out = BTreeMap::new();
    for chunk in id_chunks(ids) {
        let found = describe_where(
            ec2,
            Some(vec![filter("internet-gateway-id", &chunk)]),
            doing,
        );
        out.extend(
            found
                .await?
                .into_iter()
                .filter_map(|g| Some((g.internet_gateway_id()?.to_owned(), g))),
        );
    }
    Ok(out)
}

/// Every internet gateway `filters` select (one call per page).
async fn describe_where(
    ec2: &Ec2,
    filters: Option<Vec<Filter>>,
    doing: &str,
) -> Result<Vec<InternetGateway>, ProviderError> {
    let request = ec2
        .client
        .describe_internet_gateways()
        .set_filters(filters)
        .max_results(PAGE_SIZE);
    Ok(all_pages!(
        ec2,
        request,
        "DescribeInternetGateways",
        doing,
        internet_gateways
    ))
}

impl Object for InternetGatewayType {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = tag_coverage!(
        "DescribeInternetGateways",
        "(200 ids per filter, pages followed)"
    );
    const SPEC: Spec = SPEC;
    const WHAT: &'static str = "internet gateway";
    const WAITS: Waits = Waits::Never;
    const ID_ATTRIBUTE: &'static str = "InternetGatewayId";
    const RESOURCE_TYPE: ResourceType = ResourceType::InternetGateway;
    const ID_FILTER: Option<&'static str> = Some("internet-gateway-id");
    type Seen = InternetGateway;

    fn ec2(&self) -> &Ec2 {
        &self.ec2
    }

    async fn create(&self, new: New<'_>) -> Result<String, ProviderError> {
        let request = self
            .ec2
            .client
            .create_internet_gateway()
            .set_tag_specifications(new.tags);
        let created = call!(self.ec2, request, "CreateInternetGateway", new.doing)?;
        let id = created
            .internet_gateway()
            .and_then(InternetGateway::internet_gateway_id);
        returned(id, "CreateInternetGateway", new.doing)
    }

    async fn describe(
        &self,
        _ids: Option<Vec<String>>,
        filters: Option<Vec<Filter>>,
        doing: &str,
    ) -> Result<Vec<InternetGateway>, ProviderError> {
        describe_where(&self.ec2, filters, doing).await
    }

    id_delete!(
        delete_internet_gateway,
        internet_gateway_id,
        "DeleteInternetGateway"
    );

    fn observe(_gateway: &InternetGateway, _last: &Value) -> Map<String, Value> {
        Map::new()
    }
}
