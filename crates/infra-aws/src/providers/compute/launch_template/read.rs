//! `AWS::EC2::LaunchTemplate` reading: DescribeLaunchTemplates (batched, with a fallback to
//! one id at a time), the template's `Fn::GetAtt` attributes and the properties refresh
//! reports.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{LaunchTemplate, Tag};

use super::{LaunchTemplateProvider, TYPE};
use crate::providers::compute::batch;
use crate::providers::kit::found;

use super::props::LAUNCH_TEMPLATE;

/// At most this many ids go into one DescribeLaunchTemplates call.
pub(super) const IDS_PER_CALL: usize = 200;

impl LaunchTemplateProvider {
    /// DescribeLaunchTemplates of one id (of one name when `by_name`); `None` when there is
    /// none.
    pub(super) async fn describe_one(
        &self,
        ctx: Ctx<'_>,
        id: &str,
        by_name: bool,
    ) -> Result<Option<LaunchTemplate>, ProviderError> {
        let call = self.svc.client.describe_launch_templates();
        let (call, doing, named): (_, _, fn(&LaunchTemplate) -> Option<&str>) = if by_name {
            let name = LaunchTemplate::launch_template_name;
            (call.launch_template_names(id), "looking up", name)
        } else {
            let id_of = LaunchTemplate::launch_template_id;
            (call.launch_template_ids(id), "reading", id_of)
        };
        let doing = format!("{doing} launch template {id}");
        let out = found(&self.svc, ctx, doing, call.send()).await?;
        let wanted = |t: &&LaunchTemplate| named(t) == Some(id);
        Ok(out.and_then(|out| out.launch_templates().iter().find(wanted).cloned()))
    }

    /// DescribeLaunchTemplates of many ids (at most [`IDS_PER_CALL`]), pages followed; `None`
    /// when AWS refused the call because one of them does not exist.
    async fn describe_many(
        &self,
        ctx: Ctx<'_>,
        ids: &[String],
    ) -> Result<Option<Vec<LaunchTemplate>>, ProviderError> {
        let request = self.svc.client.describe_launch_templates();
        let request = request.set_launch_template_ids(Some(ids.to_vec()));
        let doing = format!("reading {} launch templates", ids.len());
        let sent = request.into_paginator().items().send().try_collect();
        found(&self.svc, ctx, doing, sent).await
    }

    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> Reads {
        let Some((ctx, ids)) = batch(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let mut by_id: BTreeMap<String, LaunchTemplate> = BTreeMap::new();
        for chunk in ids.chunks(IDS_PER_CALL) {
            for template in self.describe_many(ctx, chunk).await?.unwrap_or_default() {
                if let Some(id) = template.launch_template_id() {
                    by_id.insert(id.to_owned(), template);
                }
            }
            // Missing from the answer (or the whole chunk refused): ask for each alone.
            for id in chunk
                .iter()
                .filter(|id| !by_id.contains_key(*id))
                .collect::<Vec<_>>()
            {
                if let Some(template) = self.describe_one(ctx, id, false).await? {
                    by_id.insert(id.clone(), template);
                }
            }
        }
        let seen = |item: &ReadInput| Some(observe(item, by_id.get(&item.physical_id)?));
        Ok(kit::present_or_gone(items, seen))
    }
}

pub(super) fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    kit::tag_pairs(tags, |t| (t.key(), t.value()))
}

/// `Ref`, the id, and `Fn::GetAtt`: the id and the version numbers as strings.
fn unchecked_output(template: &LaunchTemplate) -> ResourceOutput {
    let number = |n: Option<i64>| n.map_or(Value::Null, |n| Value::String(n.to_string()));
    let id = template.launch_template_id().unwrap_or_default();
    let latest = number(template.latest_version_number());
    let default = number(template.default_version_number());
    let attributes = [
        ("LaunchTemplateId", json!(id)),
        ("LatestVersionNumber", latest),
        ("DefaultVersionNumber", default),
    ];
    output_of(id, attributes)
}

pub(super) fn output(ctx: Ctx<'_>, template: &LaunchTemplate) -> Made {
    let id = template.launch_template_id();
    id.ok_or_else(|| ctx.fatal("the launch template has no id"))?;
    Ok(unchecked_output(template))
}

/// What refresh reports for one launch template (see the module comment).
pub(super) fn observe(item: &ReadInput, template: &LaunchTemplate) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    for key in ["LaunchTemplateData", "VersionDescription"] {
        if let Some(value) = prev(key) {
            props.insert(key.to_owned(), value.clone());
        }
    }
    if managed.contains("LaunchTemplateName") {
        let name = json!(template.launch_template_name().unwrap_or_default());
        let name = observed_scalar(name, prev("LaunchTemplateName"));
        props.insert("LaunchTemplateName".into(), name);
    }
    if managed.contains("TagSpecifications") {
        let tags = kit::observed_tags(&tag_map(template.tags()), None);
        let observed = json!([{ "ResourceType": LAUNCH_TEMPLATE, "Tags": tags }]);
        let value = match prev("TagSpecifications") {
            Some(previous) if same_tag_specifications(previous, &observed) => previous.clone(),
            _ => observed,
        };
        props.insert("TagSpecifications".into(), value);
    }
    Observation::Present {
        properties: Value::Object(props),
        attributes: unchecked_output(template).attributes,
    }
}

/// Whether two `TagSpecifications` of a launch template hold the same tags.
pub(super) fn same_tag_specifications(a: &Value, b: &Value) -> bool {
    fn tags(value: &Value) -> BTreeMap<String, String> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|spec| spec.get("Tags")?.as_array())
            .flatten()
            .filter_map(|t| {
                let value = t.get("Value").and_then(kit::scalar_text);
                Some((kit::scalar_text(t.get("Key")?)?, value.unwrap_or_default()))
            })
            .collect()
    }
    tags(a) == tags(b)
}
