//! CloudWatch Logs: `AWS::Logs::LogGroup` (this module) and `AWS::Logs::ResourcePolicy`
//! ([`resource_policy`]).
//!
//! | property | create | update |
//! |---|---|---|
//! | `LogGroupName` | CreateLogGroup (else the generated name) | create-only (replacement) |
//! | `RetentionInDays` | PutRetentionPolicy | PutRetentionPolicy / DeleteRetentionPolicy (removed: never expire) |
//! | `KmsKeyId` | CreateLogGroup | AssociateKmsKey / DisassociateKmsKey |
//! | `LogGroupClass` | CreateLogGroup | refused: the Logs API cannot change a log group's class |
//! | `DeletionProtectionEnabled` | CreateLogGroup | PutLogGroupDeletionProtection |
//! | `DataProtectionPolicy` | PutDataProtectionPolicy | PutDataProtectionPolicy / DeleteDataProtectionPolicy |
//! | `FieldIndexPolicies` | PutIndexPolicy (one policy per log group) | PutIndexPolicy / DeleteIndexPolicy |
//! | `Tags` | CreateLogGroup, with infra's tags | TagResource / UntagResource |
//! | `ResourcePolicyDocument` | refused: needs the resource-scoped form of PutResourcePolicy, not supported yet | |
//! | `BearerTokenAuthenticationEnabled` | `false` accepted (the default); `true` refused: the SDK in use has no call for it | |
//!
//! The keys, and the name, retention, KMS key, class and deletion protection (read into the
//! SDK's `LogGroup` and reported back from DescribeLogGroups), are generated from the schema
//! (`scripts/generate-mappings`, `crates/infra-aws/mappings/logs.toml`); [`parse`] reads the
//! policy documents and tags.
//!
//! `Ref` is the log group name; `Fn::GetAtt Arn` is the ARN DescribeLogGroups returns as `arn`
//! (ending in `:*`, as CloudFormation returns it). Tag calls use the ARN without `:*`.
//!
//! # Reading
//!
//! DescribeLogGroups with `logGroupIdentifiers` asks for up to 50 log groups by name in one
//! call (pages followed), which beats listing by prefix: a stack's log groups rarely share a
//! useful prefix (`/ecs/x`, `demo-LogGroup-...`), and a short prefix lists every group of the
//! account. Groups not in the answer are `Gone`; the answer is filtered by exact name, so an
//! endpoint that ignores the filter still reads right. Tags, the data protection policy and
//! the index policy have no batch call: they are read per group, and only when infra manages
//! that property.
//!
//! # Finding what an interrupted create made
//!
//! By name (the one the create used, given or generated) with DescribeLogGroups, then its tags
//! (ListTagsForResource): the group is this resource's only when it carries the create's
//! `infra:stack` and `infra:address` tags, which CreateLogGroup itself sets; a group of that
//! name without them is someone else's and is not found.
//!
//! Errors: throttling, 5xx and `OperationAbortedException` (a concurrent change) are
//! retryable; `ResourceNotFoundException` is not-found (success for a delete); anything else
//! is fatal.

use std::collections::BTreeMap;

use aws_sdk_cloudwatchlogs::types::{LogGroup, LogGroupClass};

use crate::generated::logs::{LOG_GROUP, log_group};
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

use changes::check_tags;
use read::{describe_one, output, tags_of};

mod changes;
mod read;
pub(crate) mod resource_policy;
#[cfg(test)]
mod tests;

pub(crate) const TYPE: &str = "AWS::Logs::LogGroup";

#[derive(Debug, Clone, PartialEq)]
/// A log group as the template describes it (see [`parse`]).
pub(super) struct Spec {
    /// Name, retention, KMS key, class and deletion protection.
    pub(super) group: LogGroup,
    pub(super) data_protection: Option<Value>,
    pub(super) index_policy: Option<Value>,
    pub(super) tags: Vec<(String, String)>,
}

/// The log group's own fields (generated), and the rest read here: the policy documents, the
/// tags, `BearerTokenAuthenticationEnabled`.
pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::root(value, ctx, LOG_GROUP)?;
    if props.bool("BearerTokenAuthenticationEnabled")? == Some(true) {
        return Err(ctx.fatal(
            "property BearerTokenAuthenticationEnabled: true is not supported yet (the AWS SDK \
             infra is built with has no call to enable it); leave it out or set it to false",
        ));
    }
    let index_policy = match props.get("FieldIndexPolicies") {
        None => None,
        Some(Value::Array(items)) if items.len() <= 1 => {
            let parsed = items.first().map(kit::parse_document).transpose();
            parsed.map_err(|why| ctx.fatal(format!("property FieldIndexPolicies: {why}")))?
        }
        Some(Value::Array(items)) => {
            return Err(ctx.fatal(format!(
                "property FieldIndexPolicies holds {} policies; a log group has at most one",
                items.len()
            )));
        }
        Some(_) => {
            return Err(ctx.fatal("property FieldIndexPolicies must be a list of policy documents"));
        }
    };
    Ok(Spec {
        group: log_group(&props)?,
        data_protection: props.document("DataProtectionPolicy")?,
        index_policy,
        tags: props.tags("Tags")?,
    })
}

/// Registers the CloudWatch Logs providers.
pub fn register(providers: &mut Providers, client: &aws_sdk_cloudwatchlogs::Client) {
    let region = client.config().region().map(|r| r.as_ref().to_owned());
    let label = kit::endpoint_label("CloudWatch Logs", region.as_deref());
    let logs = Logs::new(client.clone(), "logs", label);
    providers.insert(kit::native(resource_policy::ResourcePolicyProvider {
        logs: logs.clone(),
    }));
    providers.insert(kit::native(LogGroupProvider { logs }));
}

/// A CloudWatch Logs client and how its errors are named.
type Logs = Service<aws_sdk_cloudwatchlogs::Client>;

impl Classify for Logs {}

/// The provider.
#[derive(Debug)]
struct LogGroupProvider {
    logs: Logs,
}

impl kit::Provider for LogGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeLogGroups (50 names per call, pages followed); tags, data protection and index policy per group when managed",
        Find::Name,
        "DescribeLogGroups of LogGroupName, infra tags checked (ListTagsForResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let given = spec.group.log_group_name.as_ref();
        let name = kit::create_name(ctx, given, input, "LogGroupName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        check_tags(ctx, &tags)?;
        let created = (self.logs.client.create_log_group())
            .log_group_name(&name)
            .set_kms_key_id(spec.group.kms_key_id.clone())
            .set_tags((!tags.is_empty()).then(|| tags.clone().into_iter().collect()))
            .set_log_group_class(spec.group.log_group_class.clone())
            .set_deletion_protection_enabled(spec.group.deletion_protection_enabled)
            .send()
            .await;
        let (group, before, before_infra) = match created {
            Ok(_) => {
                // DescribeLogGroups until the new group shows (it normally does at once).
                let describe = || describe_one(&self.logs, ctx, &name);
                let seen = kit::poll(kit::PROPAGATION_TIMEOUT, describe).await?;
                let why =
                    format!("log group {name} was created but DescribeLogGroups does not show it");
                let group =
                    seen.ok_or_else(|| ctx.error(FailureClass::EventuallyConsistent, why))?;
                // Created with all but its retention and policies.
                let mut before = spec.clone();
                (before.data_protection, before.index_policy) = (None, None);
                before.group.retention_in_days = None;
                (group, before, &input.tags)
            }
            Err(e) => {
                let doing = format!("creating log group {name}");
                let err = self.logs.api.err(e);
                if !has_code(&err, "ResourceAlreadyExistsException") {
                    return Err(ctx.fail(&doing, err));
                }
                // An earlier attempt at this resource made it when it carries our tags: it
                // is brought to the spec.
                let group = describe_one(&self.logs, ctx, &name).await?;
                let group = group.ok_or_else(|| ctx.fail_referencing(&doing, err))?;
                let found = tags_of(&self.logs, ctx, &group).await?;
                if !owned_by(&found, &input.tags) {
                    return Err(kit::not_ours(ctx, &doing, "a log group", "LogGroupName"));
                }
                let before = Spec {
                    group: group.clone(),
                    data_protection: None,
                    index_policy: None,
                    tags: found.into_iter().collect(),
                };
                (group, before, &BTreeMap::new())
            }
        };
        let (was, now) = ((&before, before_infra), (&spec, &input.tags));
        self.apply_changes(ctx, (&name, &group), was, now).await?;
        Ok(output(&name, &group))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        let given = after.group.log_group_name();
        kit::same_name(ctx, given, name, "LogGroupName", "log group")?;
        let (was, now) = (&before.group.log_group_class, &after.group.log_group_class);
        let standard = Some(LogGroupClass::Standard);
        if was.as_ref().or(standard.as_ref()) != now.as_ref().or(standard.as_ref()) {
            return Err(ctx.fatal(
                "LogGroupClass cannot change: CloudWatch Logs sets a log group's class only when \
                 it is created; replace the log group (for example by giving it a new name)",
            ));
        }
        let group = describe_one(&self.logs, ctx, name).await?;
        let group = group.ok_or_else(|| kit::does_not_exist(ctx, &format!("log group {name}")))?;
        let tags = &input.tags;
        self.apply_changes(ctx, (name, &group), (&before, tags), (&after, tags))
            .await?;
        Ok(output(name, &group))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let sent = self.logs.client.delete_log_group().log_group_name(name);
        let doing = format!("deleting log group {name}");
        unless_gone(&self.logs, ctx, doing, sent.send()).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_groups(items).await
    }

    /// The log group the create named, when it carries the create's infra tags, as the create
    /// returns it (the name, and `Arn` as DescribeLogGroups reports it).
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "LogGroupName", ctx)?;
        let Some(group) = describe_one(&self.logs, ctx, &name).await? else {
            return Ok(None);
        };
        let owned = owned_by(&tags_of(&self.logs, ctx, &group).await?, &input.tags);
        Ok(owned.then(|| output(&name, &group)))
    }
}
