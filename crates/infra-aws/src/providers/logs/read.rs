//! Reading log groups: DescribeLogGroups (batched for refresh, up to 50 names a call; one
//! name for create, update and find), the per-group details refresh reads only when infra
//! manages them (data protection policy, index policy, tags), the properties it reports, and
//! the `Fn::GetAtt` attributes.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudwatchlogs::types::LogGroup;
use serde_json::{Map, Value, json};

use super::tags::tags_of;
use super::{LogGroupProvider, Logs, TYPE};
use crate::provider::{Observation, ProviderError, ReadInput};
use crate::providers::kit::{
    self, Ctx, is_not_found, managed_keys, observed_document, observed_scalar, observed_tags,
};

/// CloudWatch Logs accepts at most 50 log group identifiers per DescribeLogGroups call.
const IDENTIFIERS_PER_CALL: usize = 50;

impl LogGroupProvider {
    pub(super) async fn read_groups(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let names: Vec<&str> = items.iter().map(|i| i.physical_id.as_str()).collect();
        let mut found: HashMap<String, LogGroup> = HashMap::new();
        for chunk in names.chunks(IDENTIFIERS_PER_CALL) {
            let wanted: Vec<String> = chunk.iter().map(|s| (*s).to_owned()).collect();
            let mut pages = self
                .logs
                .client
                .describe_log_groups()
                .set_log_group_identifiers(Some(wanted.clone()))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| {
                    let first = items
                        .first()
                        .map(|i| i.address.as_str())
                        .unwrap_or_default();
                    Ctx::new(TYPE, first).fail(
                        format!("reading {} log group(s)", wanted.len()),
                        self.logs.api.err("DescribeLogGroups", e),
                    )
                })?;
                for group in page.log_groups() {
                    if let Some(n) = group
                        .log_group_name()
                        .filter(|n| wanted.iter().any(|w| w == n))
                    {
                        found.insert(n.to_owned(), group.clone());
                    }
                }
            }
        }
        let tasks = items
            .iter()
            .map(|item| {
                let group = found.get(&item.physical_id).cloned();
                read_details(self.logs.clone(), item.clone(), group)
            })
            .collect();
        Ok(kit::run_bounded(tasks, kit::READ_CONCURRENCY)
            .await?
            .into_iter()
            .collect())
    }
}

/// DescribeLogGroups for one name; `None` when it does not exist.
pub(super) async fn describe_one(
    logs: &Logs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<LogGroup>, ProviderError> {
    let mut pages = logs
        .client
        .describe_log_groups()
        .log_group_identifiers(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            ctx.fail(
                format!("reading log group {name}"),
                logs.api.err("DescribeLogGroups", e),
            )
        })?;
        if let Some(group) = page
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name))
        {
            return Ok(Some(group.clone()));
        }
    }
    Ok(None)
}

/// One log group's observation, with the per-group details infra manages.
async fn read_details(
    logs: Logs,
    item: ReadInput,
    group: Option<LogGroup>,
) -> Result<(String, Observation), ProviderError> {
    let Some(group) = group else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    if managed.contains("LogGroupName") {
        props.insert(
            "LogGroupName".into(),
            observed_scalar(json!(name), prev("LogGroupName")),
        );
    }
    let retention = group
        .retention_in_days()
        .filter(|_| managed.contains("RetentionInDays"));
    if let Some(days) = retention {
        props.insert(
            "RetentionInDays".into(),
            observed_scalar(json!(days), prev("RetentionInDays")),
        );
    }
    let kms = group.kms_key_id().filter(|_| managed.contains("KmsKeyId"));
    if let Some(key) = kms {
        props.insert(
            "KmsKeyId".into(),
            observed_scalar(json!(key), prev("KmsKeyId")),
        );
    }
    let class = group
        .log_group_class()
        .filter(|_| managed.contains("LogGroupClass"));
    if let Some(class) = class {
        props.insert(
            "LogGroupClass".into(),
            observed_scalar(json!(class.as_str()), prev("LogGroupClass")),
        );
    }
    if managed.contains("DeletionProtectionEnabled") {
        let on = group.deletion_protection_enabled().unwrap_or(false);
        props.insert(
            "DeletionProtectionEnabled".into(),
            observed_scalar(json!(on), prev("DeletionProtectionEnabled")),
        );
    }
    if let Some(v) = prev("BearerTokenAuthenticationEnabled") {
        // Only `false` is ever applied, and nothing here can change it.
        props.insert("BearerTokenAuthenticationEnabled".into(), v.clone());
    }
    if managed.contains("DataProtectionPolicy") {
        match logs
            .client
            .get_data_protection_policy()
            .log_group_identifier(name)
            .send()
            .await
        {
            Ok(out) => {
                if let Some(doc) = out.policy_document().filter(|d| !d.is_empty()) {
                    props.insert(
                        "DataProtectionPolicy".into(),
                        observed_document(doc, false, prev("DataProtectionPolicy")),
                    );
                }
            }
            Err(e) => {
                let err = logs.api.err("GetDataProtectionPolicy", e);
                if !is_not_found(&err) {
                    return Err(
                        ctx.fail(format!("reading the data protection policy of {name}"), err)
                    );
                }
            }
        }
    }
    if managed.contains("FieldIndexPolicies") {
        match logs
            .client
            .describe_index_policies()
            .log_group_identifiers(name)
            .send()
            .await
        {
            Ok(out) => {
                let previous = prev("FieldIndexPolicies")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first());
                let docs: Vec<Value> = out
                    .index_policies()
                    .iter()
                    .filter(|p| p.source().is_none_or(|s| s.as_str() == "LOG_GROUP"))
                    .filter_map(|p| p.policy_document())
                    .map(|doc| observed_document(doc, false, previous))
                    .collect();
                props.insert("FieldIndexPolicies".into(), Value::Array(docs));
            }
            Err(e) => {
                let err = logs.api.err("DescribeIndexPolicies", e);
                if !is_not_found(&err) {
                    return Err(ctx.fail(format!("reading the field index policy of {name}"), err));
                }
            }
        }
    }
    if managed.contains("Tags") {
        let tags = tags_of(&logs, ctx, &group).await?;
        props.insert("Tags".into(), observed_tags(&tags, prev("Tags")));
    }
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: attributes(&group),
        },
    ))
}

pub(super) fn attributes(group: &LogGroup) -> BTreeMap<String, Value> {
    let arn = group
        .arn()
        .map(str::to_owned)
        .or_else(|| group.log_group_arn().map(|a| format!("{a}:*")));
    arn.map(|a| ("Arn".to_owned(), Value::String(a)))
        .into_iter()
        .collect()
}
