//! CloudWatch Logs: `AWS::Logs::LogGroup`.
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
//! name without them is someone else's and is not found. See [`find`].
//!
//! Errors: throttling, 5xx and `OperationAbortedException` (a concurrent change) are
//! retryable; `ResourceNotFoundException` is not-found (success for a delete); anything else
//! is fatal.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudwatchlogs::types::{LogGroup, LogGroupClass};
use serde_json::{Map, Value, json};

mod find;

use super::iam::common::{
    self, Api, Ctx, Props, compact, has_code, is_not_found, managed_keys, merge_tags,
    observed_document, observed_scalar, observed_tags, owned_by, same_document, tag_changes,
};
use crate::provider::{
    BoxFuture, CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError,
    Providers, ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};

pub(crate) const TYPE: &str = "AWS::Logs::LogGroup";

const SUPPORTED: &[&str] = &[
    "BearerTokenAuthenticationEnabled",
    "DataProtectionPolicy",
    "DeletionProtectionEnabled",
    "FieldIndexPolicies",
    "KmsKeyId",
    "LogGroupClass",
    "LogGroupName",
    "RetentionInDays",
    "Tags",
];

const UNSUPPORTED: &[(&str, &str)] = &[(
    "ResourcePolicyDocument",
    "infra does not yet create log-group-scoped resource policies (PutResourcePolicy with a \
     resourceArn); use an account-level AWS::Logs::ResourcePolicy or leave it out",
)];

/// The top-level properties refused whatever their value (the names of [`UNSUPPORTED`]).
static REFUSED: [&str; UNSUPPORTED.len()] = super::names(UNSUPPORTED);

/// The top-level properties `type_name` refuses whatever their value, `None` for a type this
/// module does not provide.
pub(crate) fn refused_properties(type_name: &str) -> Option<&'static [&'static str]> {
    (type_name == TYPE).then_some(&REFUSED[..])
}

/// CloudWatch Logs accepts at most 50 log group identifiers per DescribeLogGroups call.
const IDENTIFIERS_PER_CALL: usize = 50;

/// CloudWatch Logs allows 50 tags per log group.
const MAX_TAGS: usize = 50;

/// Registers the CloudWatch Logs providers.
pub fn register(providers: &mut Providers, client: &aws_sdk_cloudwatchlogs::Client) {
    let region = client.config().region().map(|r| r.as_ref().to_owned());
    providers.insert(Box::new(LogGroupProvider {
        logs: Logs {
            client: client.clone(),
            api: Api::new(
                "logs",
                common::endpoint_label("CloudWatch Logs", region.as_deref()),
            ),
        },
    }));
}

#[derive(Debug, Clone)]
struct Logs {
    client: aws_sdk_cloudwatchlogs::Client,
    api: Api,
}

#[derive(Debug, Clone, PartialEq)]
struct Spec {
    name: Option<String>,
    retention: Option<i32>,
    kms: Option<String>,
    class: Option<String>,
    deletion_protection: Option<bool>,
    data_protection: Option<Value>,
    index_policy: Option<Value>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, UNSUPPORTED)?;
    if props.bool("BearerTokenAuthenticationEnabled")? == Some(true) {
        return Err(ctx.fatal(
            "property BearerTokenAuthenticationEnabled: true is not supported yet (the AWS SDK \
             infra is built with has no call to enable it); leave it out or set it to false",
        ));
    }
    let index_policy = match props.get("FieldIndexPolicies") {
        None => None,
        Some(Value::Array(items)) if items.len() <= 1 => items
            .first()
            .map(|doc| {
                common::parse_document(doc)
                    .map_err(|why| ctx.fatal(format!("property FieldIndexPolicies: {why}")))
            })
            .transpose()?,
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
        name: props.str("LogGroupName")?,
        retention: props.i32("RetentionInDays")?,
        kms: props.str("KmsKeyId")?,
        class: props.str("LogGroupClass")?,
        deletion_protection: props.bool("DeletionProtectionEnabled")?,
        data_protection: props.document("DataProtectionPolicy")?,
        index_policy,
        tags: props.tags("Tags")?,
    })
}

/// The log group ARN the tagging calls take: DescribeLogGroups' `logGroupArn`, or its `arn`
/// without the trailing `:*`.
fn tagging_arn(group: &LogGroup) -> Option<String> {
    group
        .log_group_arn()
        .map(str::to_owned)
        .or_else(|| group.arn().map(|a| a.trim_end_matches(":*").to_owned()))
}

fn attributes(group: &LogGroup) -> BTreeMap<String, Value> {
    let arn = group
        .arn()
        .map(str::to_owned)
        .or_else(|| group.log_group_arn().map(|a| format!("{a}:*")));
    arn.map(|a| ("Arn".to_owned(), Value::String(a)))
        .into_iter()
        .collect()
}

fn check_tags(ctx: Ctx<'_>, tags: &BTreeMap<String, String>) -> Result<(), ProviderError> {
    if tags.len() > MAX_TAGS {
        return Err(ctx.fatal(format!(
            "{} tags (the template's and infra's own) are more than the {MAX_TAGS} CloudWatch Logs allows",
            tags.len()
        )));
    }
    Ok(())
}

/// The provider.
#[derive(Debug)]
struct LogGroupProvider {
    logs: Logs,
}

impl LogGroupProvider {
    async fn create_group(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("LogGroupName is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        check_tags(ctx, &tags)?;
        let client = &self.logs.client;
        let api = &self.logs.api;
        let created = client
            .create_log_group()
            .log_group_name(&name)
            .set_kms_key_id(spec.kms.clone())
            .set_tags(
                (!tags.is_empty()).then(|| tags.clone().into_iter().collect::<HashMap<_, _>>()),
            )
            .set_log_group_class(spec.class.as_deref().map(LogGroupClass::from))
            .set_deletion_protection_enabled(spec.deletion_protection)
            .send()
            .await;
        let mut adopted = None;
        if let Err(e) = created {
            let err = api.err("CreateLogGroup", e);
            if !has_code(&err, "ResourceAlreadyExistsException") {
                return Err(ctx.fail(format!("creating log group {name}"), err));
            }
            // An earlier attempt at this resource made it when it carries our tags.
            let group = describe_one(&self.logs, ctx, &name)
                .await?
                .ok_or_else(|| ctx.fail_referencing(format!("creating log group {name}"), err))?;
            let found = self.tags_of(ctx, &group).await?;
            if !owned_by(&found, &input.tags) {
                return Err(ctx.fatal(format!(
                    "creating log group {name}: a log group of that name already exists and was \
                     not made for this resource (it lacks its infra:* tags); choose another \
                     LogGroupName or import it"
                )));
            }
            adopted = Some((group, found));
        }

        let group = match adopted {
            Some((group, found)) => {
                // Bring the earlier attempt's group to the spec.
                let before = Spec {
                    retention: group.retention_in_days(),
                    kms: group.kms_key_id().map(str::to_owned),
                    deletion_protection: group.deletion_protection_enabled(),
                    data_protection: None,
                    index_policy: None,
                    tags: found.into_iter().collect(),
                    ..spec.clone()
                };
                self.apply_changes(
                    ctx,
                    &name,
                    &group,
                    &before,
                    &spec,
                    &BTreeMap::new(),
                    &input.tags,
                )
                .await?;
                group
            }
            None => {
                let group = self.wait_visible(ctx, &name).await?;
                let before = Spec {
                    retention: None,
                    data_protection: None,
                    index_policy: None,
                    ..spec.clone()
                };
                self.apply_changes(ctx, &name, &group, &before, &spec, &input.tags, &input.tags)
                    .await?;
                group
            }
        };
        Ok(ResourceOutput {
            physical_id: name,
            attributes: attributes(&group),
        })
    }

    /// DescribeLogGroups until the new group shows (it normally does at once).
    async fn wait_visible(&self, ctx: Ctx<'_>, name: &str) -> Result<LogGroup, ProviderError> {
        common::poll(common::PROPAGATION_TIMEOUT, || {
            describe_one(&self.logs, ctx, name)
        })
        .await?
        .ok_or_else(|| {
            ctx.error(
                FailureClass::EventuallyConsistent,
                format!("log group {name} was created but DescribeLogGroups does not show it"),
            )
        })
    }

    async fn tags_of(
        &self,
        ctx: Ctx<'_>,
        group: &LogGroup,
    ) -> Result<BTreeMap<String, String>, ProviderError> {
        tags_of(&self.logs, ctx, group).await
    }

    /// Brings log group `name` from `before` to `after` (all but its name and class).
    #[allow(clippy::too_many_arguments)]
    async fn apply_changes(
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

    async fn update_group(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = input.physical_id.as_str();
        if after.name.as_ref().is_some_and(|n| n != name) {
            return Err(
                ctx.fatal("LogGroupName cannot change in place; the log group must be replaced")
            );
        }
        if before.class.as_deref().unwrap_or("STANDARD")
            != after.class.as_deref().unwrap_or("STANDARD")
        {
            return Err(ctx.fatal(
                "LogGroupClass cannot change: CloudWatch Logs sets a log group's class only when \
                 it is created; replace the log group (for example by giving it a new name)",
            ));
        }
        let group = describe_one(&self.logs, ctx, name).await?.ok_or_else(|| {
            ctx.error(
                FailureClass::NotFound,
                format!("log group {name} does not exist"),
            )
        })?;
        self.apply_changes(ctx, name, &group, &before, &after, &input.tags, &input.tags)
            .await?;
        Ok(ResourceOutput {
            physical_id: name.to_owned(),
            attributes: attributes(&group),
        })
    }

    async fn delete_group(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = input.physical_id.as_str();
        match self
            .logs
            .client
            .delete_log_group()
            .log_group_name(name)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.logs.api.err("DeleteLogGroup", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting log group {name}"), err))
                }
            }
        }
    }

    async fn read_groups(
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
        Ok(common::run_bounded(tasks, common::READ_CONCURRENCY)
            .await?
            .into_iter()
            .collect())
    }
}

fn same_option_document(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_document(a, b),
        _ => false,
    }
}

/// DescribeLogGroups for one name; `None` when it does not exist.
async fn describe_one(
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

async fn tags_of(
    logs: &Logs,
    ctx: Ctx<'_>,
    group: &LogGroup,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let name = group.log_group_name().unwrap_or_default();
    let arn = tagging_arn(group).ok_or_else(|| {
        ctx.fatal(format!(
            "DescribeLogGroups gave no ARN for log group {name}"
        ))
    })?;
    let out = logs
        .client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .map_err(|e| {
            ctx.fail(
                format!("reading the tags of log group {name}"),
                logs.api.err("ListTagsForResource", e),
            )
        })?;
    Ok(out
        .tags()
        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default())
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

impl ResourceProvider for LogGroupProvider {
    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(self.create_group(input))
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(self.update_group(input))
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(find::log_group(&self.logs, input))
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(self.delete_group(input))
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(self.read_groups(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx<'static> {
        Ctx::new(TYPE, "Logs")
    }

    #[test]
    fn parses_every_mapped_property() {
        let spec = parse(
            &json!({
                "LogGroupName": "/ecs/demo",
                "RetentionInDays": "14",
                "KmsKeyId": "arn:aws:kms:us-east-1:1:key/k",
                "LogGroupClass": "STANDARD",
                "DeletionProtectionEnabled": "false",
                "BearerTokenAuthenticationEnabled": false,
                "DataProtectionPolicy": "{\"Name\":\"p\"}",
                "FieldIndexPolicies": [{"Fields": ["a"]}],
                "Tags": [{"Key": "team", "Value": "x"}]
            }),
            ctx(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.retention, Some(14));
        assert_eq!(spec.deletion_protection, Some(false));
        assert_eq!(spec.data_protection, Some(json!({"Name": "p"})));
        assert_eq!(spec.index_policy, Some(json!({"Fields": ["a"]})));
        assert_eq!(spec.tags, vec![("team".to_owned(), "x".to_owned())]);
    }

    #[test]
    fn refuses_what_it_cannot_do_naming_the_property() {
        for (props, named) in [
            (
                json!({"ResourcePolicyDocument": {"Version": "2012-10-17"}}),
                "ResourcePolicyDocument",
            ),
            (
                json!({"BearerTokenAuthenticationEnabled": true}),
                "BearerTokenAuthenticationEnabled",
            ),
            (
                json!({"FieldIndexPolicies": [{}, {}]}),
                "FieldIndexPolicies",
            ),
            (json!({"Retention": 3}), "Retention"),
        ] {
            let err = parse(&props, ctx()).expect_err("refused");
            assert_eq!(err.class, FailureClass::Fatal);
            assert!(err.message.contains(named), "{}", err.message);
            assert!(
                err.message.contains("AWS::Logs::LogGroup Logs"),
                "{}",
                err.message
            );
        }
    }
}
