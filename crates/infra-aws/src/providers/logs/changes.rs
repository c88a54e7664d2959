//! Bringing an existing log group from one spec to another: retention, KMS key, deletion
//! protection, the data protection and field index policies, and tags (all but its name and
//! class), for an update and for a create's own or adopted group; and the limit of tags a
//! group holds ([`check_tags`]).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_cloudwatchlogs::types::LogGroup;

use super::read::tagging_arn;
use super::{LogGroupProvider, Spec};

impl LogGroupProvider {
    /// Brings log group `name` (`group`) from `before` to `after` (all but its name and class),
    /// each with the infra tags it carries.
    pub(super) async fn apply_changes(
        &self,
        ctx: Ctx<'_>,
        (name, group): (&str, &LogGroup),
        (before, before_infra): (&Spec, &BTreeMap<String, String>),
        (after, after_infra): (&Spec, &BTreeMap<String, String>),
    ) -> Result<(), ProviderError> {
        let (logs, client) = (&self.logs, &self.logs.client);
        let (was, now) = (&before.group, &after.group);
        if was.retention_in_days != now.retention_in_days {
            let doing = format!("setting the retention of log group {name}");
            let request = client.put_retention_policy().log_group_name(name);
            match now.retention_in_days {
                Some(days) => send!(logs, ctx, request.retention_in_days(days), doing).map(drop),
                None => {
                    let request = client.delete_retention_policy().log_group_name(name);
                    send!(logs, ctx, request, doing).map(drop)
                }
            }?;
        }
        if was.kms_key_id != now.kms_key_id {
            let doing = format!("setting the KMS key of log group {name}");
            let request = client.associate_kms_key().log_group_name(name);
            match &now.kms_key_id {
                Some(key) => send!(logs, ctx, request.kms_key_id(key), doing).map(drop),
                None => {
                    let request = client.disassociate_kms_key().log_group_name(name);
                    send!(logs, ctx, request, doing).map(drop)
                }
            }?;
        }
        let protected = now.deletion_protection_enabled.unwrap_or(false);
        if was.deletion_protection_enabled.unwrap_or(false) != protected {
            let request = (client.put_log_group_deletion_protection())
                .log_group_identifier(name)
                .deletion_protection_enabled(protected);
            let doing = format!("setting the deletion protection of log group {name}");
            send!(logs, ctx, request, doing)?;
        }
        // A policy already gone is as good as deleted.
        macro_rules! policy {
            ($field:ident, $what:literal, $put:ident, $delete:ident) => {
                let (was, now) = (&before.$field, &after.$field);
                let same = was.iter().zip(now).all(|(a, b)| same_document(a, b));
                if was.is_some() != now.is_some() || !same {
                    let doing = format!("setting the {} of log group {name}", $what);
                    match now {
                        Some(doc) => {
                            let request = client.$put().log_group_identifier(name);
                            let request = request.policy_document(compact(doc));
                            send!(logs, ctx, request, doing).map(drop)
                        }
                        None => {
                            let sent = client.$delete().log_group_identifier(name).send();
                            unless_gone(logs, ctx, doing, sent).await
                        }
                    }?;
                }
            };
        }
        policy!(
            data_protection,
            "data protection policy",
            put_data_protection_policy,
            delete_data_protection_policy
        );
        policy!(
            index_policy,
            "field index policy",
            put_index_policy,
            delete_index_policy
        );
        let desired = merge_tags(&after.tags, after_infra);
        check_tags(ctx, &desired)?;
        let before_tags = merge_tags(&before.tags, before_infra);
        if before_tags == desired {
            return Ok(());
        }
        let arn = tagging_arn(ctx, group)?;
        let arn = arn.as_str();
        let untag = |remove| async move {
            let request = client.untag_resource().resource_arn(arn);
            let request = request.set_tag_keys(Some(remove));
            let doing = format!("untagging log group {name}");
            send!(logs, ctx, request, doing).map(drop)
        };
        let tag = |set: BTreeMap<String, String>| async move {
            let request = client.tag_resource().resource_arn(arn);
            let request = request.set_tags(Some(set.into_iter().collect()));
            let doing = format!("tagging log group {name}");
            send!(logs, ctx, request, doing).map(drop)
        };
        kit::retag(&before_tags, &desired, untag, tag).await
    }
}

/// CloudWatch Logs allows 50 tags per log group.
const MAX_TAGS: usize = 50;

/// Refuses more tags than CloudWatch Logs allows.
pub(super) fn check_tags(
    ctx: Ctx<'_>,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    if tags.len() > MAX_TAGS {
        return Err(ctx.fatal(format!(
            "{} tags (the template's and infra's own) are more than the {MAX_TAGS} CloudWatch Logs allows",
            tags.len()
        )));
    }
    Ok(())
}
