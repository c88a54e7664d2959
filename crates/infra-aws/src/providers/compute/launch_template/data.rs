//! `AWS::EC2::LaunchTemplate` `LaunchTemplateData` as the EC2 API's `RequestLaunchTemplateData`:
//! every key but `TagSpecifications` is read by the conversion generated from the schema
//! (`generated/ec2.rs`; refusals in `mappings/ec2.toml`); the tags for what the template
//! launches (instances, volumes, network interfaces) are set here.

use aws_sdk_ec2::types::{
    LaunchTemplateTagSpecificationRequest, RequestLaunchTemplateData, ResourceType,
};

use super::props::{ec2_tag, tag_specifications};
use crate::generated::ec2::{LAUNCH_TEMPLATE_DATA, request_launch_template_data};
use crate::providers::kit::prelude::*;

/// `LaunchTemplateData` (required) as the EC2 API takes it.
pub(super) fn parse_data(props: &Props<'_>) -> Result<RequestLaunchTemplateData, ProviderError> {
    let d = props
        .obj("LaunchTemplateData", LAUNCH_TEMPLATE_DATA)?
        .ok_or_else(|| props.missing("LaunchTemplateData"))?;
    let mut data = request_launch_template_data(&d)?;
    data.tag_specifications = data_tag_specifications(&d)?;
    Ok(data)
}

/// `LaunchTemplateData.TagSpecifications`: tags for the instances, volumes, network
/// interfaces, ... launched from the template.
fn data_tag_specifications(
    d: &Props<'_>,
) -> Result<Option<Vec<LaunchTemplateTagSpecificationRequest>>, ProviderError> {
    if d.get("TagSpecifications").is_none() {
        return Ok(None);
    }
    Ok(Some(
        tag_specifications(d, "TagSpecifications")?
            .into_iter()
            .map(|(resource_type, tags)| {
                LaunchTemplateTagSpecificationRequest::builder()
                    .resource_type(ResourceType::from(resource_type.as_str()))
                    .set_tags(Some(tags.iter().map(|(k, v)| ec2_tag(k, v)).collect()))
                    .build()
            })
            .collect(),
    ))
}
