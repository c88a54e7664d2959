//! Reading log groups: DescribeLogGroups (batched for refresh, up to 50 names a call; one
//! name for create, update and find), the per-group details refresh reads only when infra
//! manages them (data protection policy, index policy, tags, and the ARN the tagging calls
//! take), the properties it reports (the log group's own through the generated
//! `report_log_group`, `mappings/logs.toml`), and the `Fn::GetAtt` attributes.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_cloudwatchlogs::types::LogGroup;

use super::{LogGroupProvider, Logs, TYPE};
use crate::generated::logs::report_log_group;
use crate::providers::kit::found;

/// CloudWatch Logs accepts at most 50 log group identifiers per DescribeLogGroups call.
const IDENTIFIERS_PER_CALL: usize = 50;

impl LogGroupProvider {
    pub(super) async fn read_groups(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let names: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let mut found: HashMap<String, LogGroup> = HashMap::new();
        for chunk in names.chunks(IDENTIFIERS_PER_CALL) {
            let doing = format!("reading {} log group(s)", chunk.len());
            found.extend(describe(&self.logs, ctx, chunk, &doing).await?);
        }
        kit::read_found(&self.logs, items, |logs, item| {
            let group = found.get(&item.physical_id).cloned();
            read_details(logs, item, group)
        })
        .await
    }
}

/// DescribeLogGroups of `names` (at most 50), pages followed until each is found: those that
/// exist, by name (the answer filtered by exact name, so an endpoint that ignores the filter
/// still reads right).
async fn describe(
    logs: &Logs,
    ctx: Ctx<'_>,
    names: &[String],
    doing: &str,
) -> R<HashMap<String, LogGroup>> {
    let request = logs.client.describe_log_groups();
    let mut pages = (request.set_log_group_identifiers(Some(names.to_vec())))
        .into_paginator()
        .send();
    let mut found = HashMap::new();
    while found.len() < names.len() {
        let Some(page) = pages.next().await else {
            break;
        };
        let page = page.map_err(|e| logs.fail(ctx, doing, e))?;
        for group in page.log_groups() {
            if let Some(n) = group
                .log_group_name()
                .filter(|n| names.iter().any(|w| w == n))
            {
                found.insert(n.to_owned(), group.clone());
            }
        }
    }
    Ok(found)
}

/// DescribeLogGroups for one name; `None` when it does not exist.
pub(super) async fn describe_one(logs: &Logs, ctx: Ctx<'_>, name: &str) -> R<Option<LogGroup>> {
    let doing = format!("reading log group {name}");
    let mut found = describe(logs, ctx, &[name.to_owned()], &doing).await?;
    Ok(found.remove(name))
}

/// One log group's observation, with the per-group details infra manages.
async fn read_details(
    logs: Logs,
    item: ReadInput,
    group: Option<LogGroup>,
) -> R<Option<Observation>> {
    let Some(group) = group else {
        return Ok(None);
    };
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut seen = report_log_group(&group);
    if let Value::Object(m) = &mut seen {
        m.insert("LogGroupName".into(), json!(name));
        let on = group.deletion_protection_enabled().unwrap_or(false);
        m.insert("DeletionProtectionEnabled".into(), json!(on));
    }
    let mut props = match observed(seen, &item.properties) {
        Value::Object(props) => props,
        _ => Map::new(),
    };
    if let Some(v) = prev("BearerTokenAuthenticationEnabled") {
        // Only `false` is ever applied, and nothing here can change it.
        props.insert("BearerTokenAuthenticationEnabled".into(), v.clone());
    }
    if managed.contains("DataProtectionPolicy") {
        let sent = logs.client.get_data_protection_policy();
        let sent = sent.log_group_identifier(name);
        let doing = format!("reading the data protection policy of {name}");
        let out = found(&logs, ctx, doing, sent.send()).await?;
        let doc = out.as_ref().and_then(|o| o.policy_document());
        if let Some(doc) = doc.filter(|d| !d.is_empty()) {
            let doc = observed_document(doc, false, prev("DataProtectionPolicy"));
            props.insert("DataProtectionPolicy".into(), doc);
        }
    }
    if managed.contains("FieldIndexPolicies") {
        let sent = logs.client.describe_index_policies();
        let sent = sent.log_group_identifiers(name);
        let doing = format!("reading the field index policy of {name}");
        if let Some(out) = found(&logs, ctx, doing, sent.send()).await? {
            let previous = prev("FieldIndexPolicies").and_then(|p| p.get(0));
            let docs: Vec<Value> = out
                .index_policies()
                .iter()
                .filter(|p| p.source().is_none_or(|s| s.as_str() == "LOG_GROUP"))
                .filter_map(|p| p.policy_document())
                .map(|doc| observed_document(doc, false, previous))
                .collect();
            props.insert("FieldIndexPolicies".into(), Value::Array(docs));
        }
    }
    if managed.contains("Tags") {
        let tags = tags_of(&logs, ctx, &group).await?;
        props.insert("Tags".into(), observed_tags(&tags, prev("Tags")));
    }
    Ok(Some(Observation::Present {
        properties: Value::Object(props),
        attributes: output(name, &group).attributes,
    }))
}

/// What `Ref` and `Fn::GetAtt` give for the log group `name` (no `Arn` when AWS answers none).
pub(super) fn output(name: &str, group: &LogGroup) -> ResourceOutput {
    let arn = group.arn().map(str::to_owned);
    let arn = arn.or_else(|| group.log_group_arn().map(|a| format!("{a}:*")));
    let mut out = output_of(name, []);
    out.attributes
        .extend(arn.map(|a| ("Arn".to_owned(), json!(a))));
    out
}

/// The log group ARN the tagging calls take: DescribeLogGroups' `logGroupArn`, or its `arn`
/// without the trailing `:*`.
pub(super) fn tagging_arn(ctx: Ctx<'_>, group: &LogGroup) -> R<String> {
    let arn = group.log_group_arn().map(str::to_owned);
    let arn = arn.or_else(|| group.arn().map(|a| a.trim_end_matches(":*").to_owned()));
    let name = group.log_group_name().unwrap_or_default();
    let why = || format!("DescribeLogGroups gave no ARN for log group {name}");
    arn.ok_or_else(|| ctx.fatal(why()))
}

/// The tags of the log group (ListTagsForResource).
pub(super) async fn tags_of(
    logs: &Logs,
    ctx: Ctx<'_>,
    group: &LogGroup,
) -> R<BTreeMap<String, String>> {
    let name = group.log_group_name().unwrap_or_default();
    let arn = tagging_arn(ctx, group)?;
    let request = logs.client.list_tags_for_resource().resource_arn(&arn);
    let doing = format!("reading the tags of log group {name}");
    let out = send!(logs, ctx, request, doing)?;
    Ok(out.tags.unwrap_or_default().into_iter().collect())
}
