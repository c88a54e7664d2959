//! `AWS::DynamoDB::Table`: the create / update / delete / find flow; the template's
//! properties are read in [`spec`] (CreateTable's request is generated from the schema,
//! `mappings/dynamodb.toml`), the UpdateTable calls of an update are planned in [`update`],
//! refresh is in [`read`].
//!
//! | property | create | update |
//! |---|---|---|
//! | `TableName` (generated when absent) | CreateTable | create-only (replacement) |
//! | `KeySchema`, `LocalSecondaryIndexes` | CreateTable | replacement (CloudFormation's "Update requires: Replacement"); refused in place |
//! | `AttributeDefinitions` | CreateTable | sent with each new global secondary index |
//! | `BillingMode`, `ProvisionedThroughput`, `OnDemandThroughput` | CreateTable | UpdateTable (switching to `PROVISIONED` sends the kept indexes' throughput too) |
//! | `WarmThroughput` | CreateTable | UpdateTable |
//! | `GlobalSecondaryIndexes` | CreateTable | one UpdateTable per index deleted, changed (capacity only; another key schema or projection needs a new `IndexName`) or created, in that order |
//! | `StreamSpecification` | CreateTable | UpdateTable: the old stream disabled, then the new one enabled |
//! | `SSESpecification`, `TableClass`, `DeletionProtectionEnabled` | CreateTable | UpdateTable, one each |
//! | `TimeToLiveSpecification` | UpdateTimeToLive | UpdateTimeToLive (a new attribute: the old one disabled first) |
//! | `PointInTimeRecoverySpecification` | UpdateContinuousBackups | UpdateContinuousBackups |
//! | `ResourcePolicy` (compared as a document) | PutResourcePolicy | PutResourcePolicy / DeleteResourcePolicy |
//! | `ContributorInsightsSpecification` | UpdateContributorInsights | UpdateContributorInsights |
//! | `Tags` | CreateTable, with infra's tags | TagResource / UntagResource |
//! | the properties `mappings/dynamodb.toml` refuses | refused, by name | |
//!
//! `Ref` is the table name; `Fn::GetAtt Arn` and `StreamArn` (while a stream is enabled).
//! UpdateTable is asynchronous and takes one change at a time: after CreateTable and after each
//! UpdateTable the provider polls DescribeTable until the table and every index are `ACTIVE`,
//! lending the parallelism slot. A create that finds the name taken (`ResourceInUseException`)
//! adopts the table only when it carries this resource's `infra:*` tags. Delete: DeleteTable,
//! then DescribeTable until the table is gone; a table with deletion protection is not deleted
//! (the error says to turn it off first). `find`: DescribeTable of the name, infra tags checked.

mod read;
pub(crate) mod spec;
mod update;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_dynamodb::types::{
    ContributorInsightsAction, PointInTimeRecoverySpecification, TableDescription, TableStatus,
    Tag, TimeToLiveSpecification,
};

use self::spec::{Spec, parse};
use super::Ddb;
use crate::providers::kit::convert::R;
use crate::providers::kit::errors::Coded;
use crate::providers::kit::{FIRST_PAUSE, retry_while, sdk_tags, tag_pairs};

pub(crate) const TYPE: &str = "AWS::DynamoDB::Table";

/// How long a table or an index may take to become `ACTIVE` or to go: minutes for a new table,
/// longer for an index that backfills a large table.
const ACTIVE_TIMEOUT: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub(crate) struct TableProvider {
    pub(crate) ddb: Ddb,
}

/// What `Ref` and `Fn::GetAtt` give for a table.
pub(crate) fn output(table: &TableDescription) -> ResourceOutput {
    let stream = table.stream_specification().filter(|s| s.stream_enabled());
    let stream = stream.and(table.latest_stream_arn());
    let name = table.table_name().unwrap_or_default();
    let mut out = output_of(name, [("Arn", json!(table.table_arn()))]);
    if let Some(arn) = stream {
        out.attributes.insert("StreamArn".into(), json!(arn));
    }
    out
}

impl TableProvider {
    /// DescribeTable of `name`; `None` when there is no such table.
    pub(crate) async fn describe(&self, ctx: Ctx<'_>, name: &str) -> R<Option<TableDescription>> {
        let sent = self.ddb.client.describe_table().table_name(name).send();
        let doing = format!("describing table {name}");
        let out = kit::found(&self.ddb, ctx, doing, sent).await?;
        Ok(out.and_then(|o| o.table))
    }

    /// The table's tags (ListTagsOfResource, pages followed).
    pub(crate) async fn tags_of(&self, ctx: Ctx<'_>, arn: &str) -> R<BTreeMap<String, String>> {
        let tags = kit::pages(|token| async move {
            let request = self.ddb.client.list_tags_of_resource().resource_arn(arn);
            let request = request.set_next_token(token);
            let page = send!(&self.ddb, ctx, request, "reading the tags")?;
            Ok((page.tags().to_vec(), page.next_token().map(str::to_owned)))
        });
        let tags = tags.await?;
        Ok(tag_pairs(&tags, |t| (Some(t.key()), Some(t.value()))))
    }

    /// Polls DescribeTable until the table and all its indexes are `ACTIVE` (an index being
    /// deleted is waited out), lending the slot. A table not visible yet is not ready when it
    /// was just `created`, and gone otherwise.
    async fn wait_active(&self, ctx: Ctx<'_>, name: &str, created: bool) -> R<TableDescription> {
        let ready = kit::poll(ACTIVE_TIMEOUT, || async {
            let table = self.describe(ctx, name).await?;
            if table.is_none() && !created {
                return Err(ctx.error(FailureClass::NotFound, format!("table {name} is gone")));
            }
            Ok(table.filter(|t| {
                t.table_status() == Some(&TableStatus::Active)
                    && t.global_secondary_indexes()
                        .iter()
                        .all(|i| i.index_status().is_some_and(|s| s.as_str() == "ACTIVE"))
            }))
        });
        ready.await?.ok_or_else(|| {
            ctx.fatal(format!(
                "table {name} was not ACTIVE after {} s; the next run looks again",
                ACTIVE_TIMEOUT.as_secs()
            ))
        })
    }

    /// What the table calls besides CreateTable and UpdateTable: TTL, backups, resource policy,
    /// contributor insights and tags, from `before` to `after`.
    async fn converge_extras(
        &self,
        ctx: Ctx<'_>,
        table: &TableDescription,
        before: &Spec,
        after: &Spec,
        infra: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let (ddb, c) = (&self.ddb, &self.ddb.client);
        let name = table.table_name().unwrap_or_default();
        let arn = table.table_arn().unwrap_or_default();
        if before.ttl != after.ttl {
            let changes = [(before.ttl.as_ref(), false), (after.ttl.as_ref(), true)];
            for (attribute, enabled) in changes.into_iter().filter_map(|(a, e)| Some((a?, e))) {
                let spec = TimeToLiveSpecification::builder().attribute_name(attribute);
                let spec = spec.enabled(enabled).build();
                let spec = spec.map_err(|_| ctx.fatal("TimeToLiveSpecification"))?;
                let request = c.update_time_to_live().table_name(name);
                let request = request.time_to_live_specification(spec);
                send!(ddb, ctx, request, "setting time to live")?;
            }
        }
        if before.pitr != after.pitr {
            let spec = match after.pitr.clone() {
                Some(spec) => spec,
                None => (PointInTimeRecoverySpecification::builder())
                    .point_in_time_recovery_enabled(false)
                    .build()
                    .map_err(|e| ctx.fatal(e))?,
            };
            let backups = || {
                let request = c.update_continuous_backups().table_name(name);
                let request = request.point_in_time_recovery_specification(spec.clone());
                async move { send!(ddb, ctx, request, "setting point-in-time recovery") }
            };
            let retryable = [FailureClass::Retryable];
            retry_while(&retryable, ACTIVE_TIMEOUT, FIRST_PAUSE, backups).await?;
        }
        if before.policy != after.policy {
            if let Some(doc) = &after.policy {
                let request = c.put_resource_policy().resource_arn(arn);
                let request = request.policy(compact(doc));
                send!(ddb, ctx, request, "setting the resource policy")?;
            } else {
                let request = c.delete_resource_policy().resource_arn(arn);
                send!(ddb, ctx, request, "removing the resource policy")?;
            }
        }
        let enabled = |s: &Spec| s.insights.clone().filter(|(on, _)| *on);
        if enabled(before) != enabled(after) {
            let (action, mode) = match enabled(after) {
                Some((_, mode)) => (ContributorInsightsAction::Enable, mode),
                None => (ContributorInsightsAction::Disable, None),
            };
            let request = c.update_contributor_insights().table_name(name);
            let request = request.contributor_insights_action(action);
            let request = request.set_contributor_insights_mode(mode);
            send!(ddb, ctx, request, "setting contributor insights")?;
        }
        let untag = |remove| async move {
            let request = c.untag_resource().resource_arn(arn);
            let request = request.set_tag_keys(Some(remove));
            send!(ddb, ctx, request, "untagging the table").map(drop)
        };
        let tag = |set: BTreeMap<String, String>| async move {
            let request = c.tag_resource().resource_arn(arn);
            let request = request.set_tags(Some(sdk_tags!(Tag, ctx, set)?));
            send!(ddb, ctx, request, "tagging the table").map(drop)
        };
        let infra = |s: &Spec| merge_tags(&s.tags, infra);
        kit::retag(&infra(before), &infra(after), untag, tag).await
    }
}

impl kit::Provider for TableProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "DescribeTable per table; ListTagsOfResource, DescribeTimeToLive, DescribeContinuousBackups, GetResourcePolicy and DescribeContributorInsights when managed",
        Find::Name,
        "DescribeTable of the name, infra tags checked (ListTagsOfResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let given = spec.request.get_table_name().as_ref();
        let name = create_name(ctx, given, input, "TableName")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.request.clone().table_name(&name);
        let stream = spec.stream.as_ref().map(|_| spec.stream_spec(ctx));
        let request = request.set_stream_specification(stream.transpose()?);
        let request = request.set_tags(Some(sdk_tags!(Tag, ctx, tags)?));
        let sent = request.send_with(&self.ddb.client).await;
        if let Err(e) = sent {
            let err = self.ddb.err(e);
            let doing = format!("creating table {name}");
            if !has_code(&err, "ResourceInUseException") {
                return Err(on_create(self.ddb.classify(ctx, &doing, &err)));
            }
            let table = self.describe(ctx, &name).await?;
            let table = table.ok_or_else(|| self.ddb.classify(ctx, &doing, &err))?;
            let arn = table.table_arn().unwrap_or_default();
            if !owned_by(&self.tags_of(ctx, arn).await?, &input.tags) {
                return Err(kit::not_ours(ctx, &doing, "a table", "TableName"));
            }
        }
        let table = self.wait_active(ctx, &name, true).await?;
        // Made with all but what the calls of `converge_extras` set.
        let mut before = spec.clone();
        (before.ttl, before.pitr, before.policy, before.insights) = (None, None, None, None);
        (self.converge_extras(ctx, &table, &before, &spec, &input.tags)).await?;
        Ok(output(&table))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let name = &input.physical_id;
        let fixed = |s: &Spec| {
            let r = &s.request;
            let (keys, local) = (r.get_key_schema(), r.get_local_secondary_indexes());
            (keys.clone(), local.clone())
        };
        if fixed(&before) != fixed(&after) {
            return Err(ctx.fatal(format!(
                "table {name}: KeySchema and LocalSecondaryIndexes cannot change in place \
                 (CloudFormation replaces the table); give the table a new TableName to replace it"
            )));
        }
        let mut table = self.wait_active(ctx, name, false).await?;
        // DescribeTable may still say ACTIVE a moment after an UpdateTable: the next one is
        // then refused with ResourceInUseException, and sent again once the table settles.
        let busy = [FailureClass::DependencyViolation, FailureClass::Retryable];
        for step in update::table_updates(self, ctx, name, &before, &after)? {
            retry_while(&busy, ACTIVE_TIMEOUT, FIRST_PAUSE, || {
                let (ddb, step) = (&self.ddb, step.clone());
                async move { send!(ddb, ctx, step, format!("updating table {name}")) }
            })
            .await?;
            table = self.wait_active(ctx, name, false).await?;
        }
        self.converge_extras(ctx, &table, &before, &after, &input.tags)
            .await?;
        Ok(output(&table))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = &input.physical_id;
        let sent = self.ddb.client.delete_table().table_name(name).send().await;
        let protected = |(_, m): (&str, &str)| m.contains("protected against deletion");
        match sent.map_err(|e| self.ddb.err(e)) {
            Ok(_) => {}
            Err(err) if is_not_found(&err) => return Ok(()),
            Err(err) if err.code_and_message().is_some_and(protected) => {
                return Err(ctx.fatal(format!(
                    "table {name} has deletion protection: set DeletionProtectionEnabled: false \
                     and apply, then destroy again (or set DeletionPolicy: Retain to keep it)"
                )));
            }
            Err(err) => {
                let doing = format!("deleting table {name}");
                return Err(self.ddb.classify(ctx, &doing, &err));
            }
        }
        let gone = kit::poll(ACTIVE_TIMEOUT, || async {
            Ok(self.describe(ctx, name).await?.is_none().then_some(()))
        });
        gone.await?
            .ok_or_else(|| ctx.fatal(format!("table {name} was still there after DeleteTable")))
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "TableName", ctx)?;
        let Some(table) = self.describe(ctx, &name).await? else {
            return Ok(None);
        };
        let arn = table.table_arn().unwrap_or_default();
        let tags = self.tags_of(ctx, arn).await?;
        Ok(owned_by(&tags, &input.tags).then(|| output(&table)))
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(self, items, read::observe).await
    }
}
