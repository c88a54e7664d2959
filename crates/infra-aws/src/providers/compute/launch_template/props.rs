//! `AWS::EC2::LaunchTemplate` properties: the template's top-level properties parsed (their
//! keys generated from the schema, `mappings/ec2.toml`), and the tag helpers.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{RequestLaunchTemplateData, Tag};

use crate::generated::ec2::LAUNCH_TEMPLATE as KEYS;

use super::data::parse_data;

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
    let mut out = Vec::new();
    for (i, item) in node.list(key)?.iter().enumerate() {
        let path = node.at_index(key, i);
        let spec = node.nested(item, &path, &["ResourceType", "Tags"], &[])?;
        let resource_type = spec.required_str("ResourceType")?;
        let mut tags = Vec::new();
        for (j, tag) in spec.list("Tags")?.iter().enumerate() {
            let tag_path = spec.at_index("Tags", j);
            let tag = spec.nested(tag, &tag_path, &["Key", "Value"], &[])?;
            tags.push((
                tag.required_str("Key")?,
                tag.str("Value")?.unwrap_or_default(),
            ));
        }
        out.push((resource_type, tags));
    }
    Ok(out)
}

pub(super) fn ec2_tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}
