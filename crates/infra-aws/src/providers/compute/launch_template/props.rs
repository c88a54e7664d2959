//! `AWS::EC2::LaunchTemplate` properties: the template's top-level properties parsed (their
//! keys generated from the schema, `mappings/ec2.toml`), and the tag helpers.
//! `LaunchTemplateData` is the EC2 API's `RequestLaunchTemplateData`: every key but
//! `TagSpecifications` is read by the conversion generated from the schema (`generated/ec2.rs`;
//! refusals in `mappings/ec2.toml`); the tags for what the template launches (instances,
//! volumes, network interfaces) are set here.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{
    LaunchTemplateTagSpecificationRequest, RequestLaunchTemplateData, ResourceType, Tag,
};

use crate::generated::ec2::LAUNCH_TEMPLATE as KEYS;
use crate::generated::ec2::{LAUNCH_TEMPLATE_DATA, request_launch_template_data};

/// The EC2 resource type of a launch template's own tags.
pub(super) const LAUNCH_TEMPLATE: &str = "launch-template";

/// A launch template as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) data: RequestLaunchTemplateData,
    pub(super) description: Option<String>,
    pub(super) tags: TagList,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, KEYS.supported, KEYS.unsupported)?;
    let data = parse_data(&props)?;
    let mut tags: TagList = Vec::new();
    for (resource_type, list) in tag_specifications(&props, "TagSpecifications")? {
        if resource_type != LAUNCH_TEMPLATE {
            return Err(props.fatal(
                "TagSpecifications",
                format!(
                    "resource type {resource_type}: a launch template's own tag specification \
                     must have resource type {LAUNCH_TEMPLATE} (tags for instances and volumes \
                     go in LaunchTemplateData.TagSpecifications)"
                ),
            ));
        }
        for (k, v) in list {
            tags.retain(|(existing, _)| *existing != k);
            tags.push((k, v));
        }
    }
    Ok(Spec {
        name: props.str("LaunchTemplateName")?,
        data,
        description: props.str("VersionDescription")?,
        tags,
    })
}

/// Tags in template order, keys unique.
pub(super) type TagList = Vec<(String, String)>;

/// `TagSpecifications`: `[{ResourceType, Tags: [{Key, Value}]}]`, as (resource type, tags).
pub(super) fn tag_specifications(
    node: &Props<'_>,
    key: &str,
) -> Result<Vec<(String, TagList)>, ProviderError> {
    const TAG: Keys = Keys::new(&["Key", "Value"]);
    let tag = |t: &Props<'_>| Ok((t.required_str("Key")?, t.str("Value")?.unwrap_or_default()));
    let specification = |(i, item)| {
        let path = node.at_index(key, i);
        let spec = node.nested(item, &path, &["ResourceType", "Tags"], &[])?;
        let resource_type = spec.required_str("ResourceType")?;
        let tags = spec.objs("Tags", TAG)?;
        let tags = tags.iter().map(tag).collect::<Result<_, _>>()?;
        Ok((resource_type, tags))
    };
    node.list(key)?
        .iter()
        .enumerate()
        .map(specification)
        .collect()
}

pub(super) fn ec2_tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

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
