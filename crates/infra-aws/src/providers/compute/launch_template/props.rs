//! `AWS::EC2::LaunchTemplate` properties: the template's top-level properties parsed (their
//! keys generated from the schema, `mappings/ec2.toml`) and its own tags (read as every EC2
//! resource's, `ec2::tags::template_tags`).
//! `LaunchTemplateData` is the EC2 API's `RequestLaunchTemplateData`, read by the conversion
//! generated from the schema (`generated/ec2/`; refusals in `mappings/ec2.toml`).

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::RequestLaunchTemplateData;

use crate::generated::ec2::LAUNCH_TEMPLATE as KEYS;
use crate::generated::ec2::{
    LAUNCH_TEMPLATE_DATA, TAG_SPECIFICATION, request_launch_template_data,
};
use crate::providers::ec2::tags::{TagList, template_tags};

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

/// The template's properties; the last tag of a key wins (when merged with infra's).
pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, KEYS.supported, KEYS.unsupported)?;
    // `LaunchTemplateData` (required) as the EC2 API takes it.
    let data = props.obj("LaunchTemplateData", LAUNCH_TEMPLATE_DATA)?;
    let data = data.ok_or_else(|| props.missing("LaunchTemplateData"))?;
    let data = request_launch_template_data(&data)?;
    let mut tags: TagList = Vec::new();
    for (i, item) in props.list("TagSpecifications")?.iter().enumerate() {
        let at = props.at_index("TagSpecifications", i);
        let spec = props.nested(item, &at, TAG_SPECIFICATION.supported, &[])?;
        let resource_type = spec.required_str("ResourceType")?;
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
        tags.extend(template_tags(&spec)?);
    }
    Ok(Spec {
        name: props.str("LaunchTemplateName")?,
        data,
        description: props.str("VersionDescription")?,
        tags,
    })
}
