//! Bringing an existing log group from one spec to another: retention, KMS key, deletion
//! protection, the data protection and field index policies, and tags (all but its name and
//! class), for an update and for a create's own or adopted group.

use std::collections::BTreeMap;

use aws_sdk_cloudwatchlogs::types::LogGroup;
use serde_json::Value;

use super::LogGroupProvider;
use super::props::Spec;
use super::tags::{check_tags, tagging_arn};
use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, compact, is_not_found, merge_tags, same_document, tag_changes};

impl LogGroupProvider {
    /// Brings log group `name` from `before` to `after` (all but its name and class).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn apply_changes(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        group: &LogGroup,
        before: &Spec,
        after: &Spec,
        before_infra: &BTreeMap<String, String>,
        after_infra: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let client = &self.logs.client;
        let api = &self.logs.api;
        if before.retention != after.retention {
            let result = match after.retention {
                Some(days) => client
                    .put_retention_policy()
                    .log_group_name(name)
                    .retention_in_days(days)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("PutRetentionPolicy", e)),
                None => client
                    .delete_retention_policy()
                    .log_group_name(name)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("DeleteRetentionPolicy", e)),
            };
            result.map_err(|err| {
                ctx.fail(format!("setting the retention of log group {name}"), err)
            })?;
        }
        if before.kms != after.kms {
            let result = match &after.kms {
                Some(key) => client
                    .associate_kms_key()
                    .log_group_name(name)
                    .kms_key_id(key)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("AssociateKmsKey", e)),
                None => client
                    .disassociate_kms_key()
                    .log_group_name(name)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("DisassociateKmsKey", e)),
            };
            result
                .map_err(|err| ctx.fail(format!("setting the KMS key of log group {name}"), err))?;
        }
        if before.deletion_protection.unwrap_or(false) != after.deletion_protection.unwrap_or(false)
        {
            client
                .put_log_group_deletion_protection()
                .log_group_identifier(name)
                .deletion_protection_enabled(after.deletion_protection.unwrap_or(false))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail(
                        format!("setting the deletion protection of log group {name}"),
                        api.err("PutLogGroupDeletionProtection", e),
                    )
                })?;
        }
        if !same_option_document(&before.data_protection, &after.data_protection) {
            let result = match &after.data_protection {
                Some(doc) => client
                    .put_data_protection_policy()
                    .log_group_identifier(name)
                    .policy_document(compact(doc))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("PutDataProtectionPolicy", e)),
                None => client
                    .delete_data_protection_policy()
                    .log_group_identifier(name)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("DeleteDataProtectionPolicy", e)),
            };
            match result {
                Err(err) if !(after.data_protection.is_none() && is_not_found(&err)) => {
                    return Err(ctx.fail(
                        format!("setting the data protection policy of log group {name}"),
                        err,
                    ));
                }
                _ => {}
            }
        }
        if !same_option_document(&before.index_policy, &after.index_policy) {
            let result = match &after.index_policy {
                Some(doc) => client
                    .put_index_policy()
                    .log_group_identifier(name)
                    .policy_document(compact(doc))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("PutIndexPolicy", e)),
                None => client
                    .delete_index_policy()
                    .log_group_identifier(name)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| api.err("DeleteIndexPolicy", e)),
            };
            match result {
                Err(err) if !(after.index_policy.is_none() && is_not_found(&err)) => {
                    return Err(ctx.fail(
                        format!("setting the field index policy of log group {name}"),
                        err,
                    ));
                }
                _ => {}
            }
        }
        let desired = merge_tags(&after.tags, after_infra);
        check_tags(ctx, &desired)?;
        let (set, remove) = tag_changes(&merge_tags(&before.tags, before_infra), &desired);
        if !set.is_empty() || !remove.is_empty() {
            let arn = tagging_arn(group).ok_or_else(|| {
                ctx.fatal(format!(
                    "DescribeLogGroups gave no ARN for log group {name}"
                ))
            })?;
            if !set.is_empty() {
                client
                    .tag_resource()
                    .resource_arn(&arn)
                    .set_tags(Some(set.into_iter().collect()))
                    .send()
                    .await
                    .map_err(|e| {
                        ctx.fail(
                            format!("tagging log group {name}"),
                            api.err("TagResource", e),
                        )
                    })?;
            }
            if !remove.is_empty() {
                client
                    .untag_resource()
                    .resource_arn(&arn)
                    .set_tag_keys(Some(remove))
                    .send()
                    .await
                    .map_err(|e| {
                        ctx.fail(
                            format!("untagging log group {name}"),
                            api.err("UntagResource", e),
                        )
                    })?;
            }
        }
        Ok(())
    }
}

fn same_option_document(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_document(a, b),
        _ => false,
    }
}
