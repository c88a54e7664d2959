//! `find` for `AWS::ECS::TaskDefinition`: the revision an interrupted create registered.
//!
//! RegisterTaskDefinition makes a new revision each time, so the name (the family) is not
//! enough: the family's `ACTIVE` revisions are listed newest first (ListTaskDefinitions), and
//! the newest one carrying this resource's `infra:*` tags decides. It is the one the create made
//! when it was registered with the same properties; otherwise (an older revision of this
//! resource, made before a replacement) nothing was made and the answer is `None`, as it is
//! when the newest is the revision a replacement replaces ([`FindInput::replacing`]). Revisions
//! with another resource's tags, or none, are passed over.
//!
//! "The same properties" compares the properties the create was given with what
//! DescribeTaskDefinition returns, in the template's spelling (the report generated from the
//! schema, `mappings/ecs.toml`), key by key, ignoring what the create left out (ECS fills in
//! defaults: a port mapping's protocol, a health check's interval, a container's `essential`,
//! the network mode); an empty list is the same as none, a number the same as its text, and
//! environment variables compare as a set.

use aws_sdk_ecs::types::{SortOrder, TaskDefinition, TaskDefinitionStatus};

use super::{R, TYPE, TaskDefinitionProvider, describe, output, parse};
use crate::generated::ecs::report_task_definition;
use crate::providers::ecs::props::covers;
use crate::providers::kit::prelude::*;

impl TaskDefinitionProvider {
    pub(super) async fn find_made(&self, input: &FindInput) -> R<Option<ResourceOutput>> {
        let ctx = Ctx::new(TYPE, &input.address);
        // Properties the create could not have sent are refused as it refuses them.
        parse(&input.properties, ctx, &self.ecs.client)?;
        let family = name_to_find(input, "Family", ctx)?;
        for arn in self.active_revisions(ctx, &family).await? {
            if input.replacing.as_deref() == Some(arn.as_str()) {
                // The revision being replaced is newer than anything else of ours: the create
                // registered nothing.
                return Ok(None);
            }
            let Some((td, tags)) = describe(&self.ecs, ctx, &arn).await? else {
                continue;
            };
            if td.status() != Some(&TaskDefinitionStatus::Active) || !owned_by(&tags, &input.tags) {
                continue;
            }
            return Ok(same_revision(&input.properties, &td)
                .then(|| output(td.task_definition_arn().unwrap_or(&arn))));
        }
        Ok(None)
    }

    /// The ARNs of the family's `ACTIVE` revisions, newest first (pages followed).
    async fn active_revisions(&self, ctx: Ctx<'_>, family: &str) -> R<Vec<String>> {
        let mut revisions: Vec<(i64, String)> = Vec::new();
        let request = self.ecs.client.list_task_definitions();
        let request = request.family_prefix(family);
        let request = request.status(TaskDefinitionStatus::Active);
        let request = request.sort(SortOrder::Desc);
        let mut pages = request.into_paginator().send();
        while let Some(page) = pages.next().await {
            let doing = || format!("listing the revisions of task definition family {family}");
            let page = page.map_err(|e| ctx.fail(doing(), self.ecs.api.err(e)))?;
            revisions.extend(page.task_definition_arns().iter().filter_map(|arn| {
                let (f, revision) = revision_of(arn)?;
                (f == family).then(|| (revision, arn.clone()))
            }));
        }
        revisions.sort_by_key(|r| std::cmp::Reverse(r.0));
        Ok(revisions.into_iter().map(|(_, arn)| arn).collect())
    }
}

/// `arn:...:task-definition/web:3` → (`web`, 3).
fn revision_of(arn: &str) -> Option<(&str, i64)> {
    let (_, tail) = arn.split_once(":task-definition/")?;
    let (family, revision) = tail.rsplit_once(':')?;
    Some((family, revision.parse().ok()?))
}

/// Whether the registered revision `td` is what the template's `properties` (those the create
/// was given) ask for (see the module comment): the generated report of `td` [`covers`] them,
/// `Tags` aside and environment variables in name order on both sides.
fn same_revision(properties: &Value, td: &TaskDefinition) -> bool {
    let sorted = |mut value: Value| {
        let containers = value
            .get_mut("ContainerDefinitions")
            .and_then(Value::as_array_mut);
        let environments = containers
            .into_iter()
            .flatten()
            .filter_map(|c| c.get_mut("Environment").and_then(Value::as_array_mut));
        for env in environments {
            let text = |v: &Value, key| v.get(key).and_then(scalar_text);
            env.sort_by_key(|v| (text(v, "Name"), text(v, "Value")));
        }
        value
    };
    let mut want = properties.clone();
    if let Some(want) = want.as_object_mut() {
        want.remove("Tags");
    }
    covers(&sorted(want), &sorted(report_task_definition(td)))
}

#[cfg(test)]
mod tests;
