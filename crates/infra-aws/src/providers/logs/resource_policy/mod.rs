//! `AWS::Logs::ResourcePolicy`: an account-level resource policy of CloudWatch Logs (what lets
//! EventBridge, Route 53 or another service write to the account's log groups). Its keys are
//! generated from the schema (`crates/infra-aws/mappings/logs.toml`).
//!
//! | property | create | update |
//! |---|---|---|
//! | `PolicyName` | PutResourcePolicy | create-only (replacement) |
//! | `PolicyDocument` (a string of JSON or an object, compared as a document) | PutResourcePolicy | PutResourcePolicy |
//!
//! `Ref` is the policy name; the type has no `Fn::GetAtt` attribute. Delete is
//! DeleteResourcePolicy (not found: success).
//!
//! # Adoption, reading and finding
//!
//! A resource policy has no tags, and PutResourcePolicy of a name that exists replaces that
//! policy's document: a create first lists the policies (DescribeResourcePolicies). A policy of
//! the same name is adopted only when its document says the same as the template's (what an
//! interrupted create of this resource would have put, so adopting changes nothing); a policy
//! of that name with another document belongs to someone else, and the create fails naming it
//! rather than overwrite it. `find` applies the same rule to the name and document the create
//! was asked for. `read` lists every policy of the account and region in one go
//! (DescribeResourcePolicies, pages followed: CloudWatch Logs allows at most 10 per region);
//! one not listed is `Gone`.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_cloudwatchlogs::types::ResourcePolicy;

use super::Logs;
use crate::generated::logs::RESOURCE_POLICY;
use crate::providers::kit::pages;

pub(crate) const TYPE: &str = "AWS::Logs::ResourcePolicy";

/// The name and document of the template, both required.
fn parse(value: &Value, ctx: Ctx<'_>) -> Result<(String, Value), ProviderError> {
    let p = Props::root(value, ctx, RESOURCE_POLICY)?;
    let document = p
        .document("PolicyDocument")?
        .ok_or_else(|| p.missing("PolicyDocument"))?;
    Ok((p.required_str("PolicyName")?, document))
}

/// Every resource policy of the account and region (DescribeResourcePolicies, pages followed).
async fn describe_all(logs: &Logs, ctx: Ctx<'_>) -> Result<Vec<ResourcePolicy>, ProviderError> {
    pages(|token| async move {
        let request = logs.client.describe_resource_policies();
        let request = request.set_next_token(token);
        let page = send!(logs, ctx, request, "listing resource policies")?;
        let next = page.next_token().map(str::to_owned);
        Ok((page.resource_policies().to_vec(), next))
    })
    .await
}

/// The policy named `name` whose document says the same as `document`, if any; a policy of
/// that name with another document is `Err(its document)`.
async fn ours(
    logs: &Logs,
    ctx: Ctx<'_>,
    name: &str,
    document: &Value,
) -> Result<Option<Result<(), String>>, ProviderError> {
    let all = describe_all(logs, ctx).await?;
    let found = all.iter().find(|p| p.policy_name() == Some(name));
    Ok(found.map(|p| {
        let text = p.policy_document().unwrap_or_default();
        if same_document(&Value::String(text.to_owned()), document) {
            Ok(())
        } else {
            Err(text.to_owned())
        }
    }))
}

/// The provider.
#[derive(Debug)]
pub(crate) struct ResourcePolicyProvider {
    pub(crate) logs: Logs,
}

impl ResourcePolicyProvider {
    async fn put(&self, ctx: Ctx<'_>, name: &str, document: &Value) -> Made {
        let request = self.logs.client.put_resource_policy().policy_name(name);
        let request = request.policy_document(compact(document));
        let doing = format!("putting resource policy {name}");
        send!(&self.logs, ctx, request, doing)?;
        Ok(output_of(name, []))
    }
}

impl kit::Provider for ResourcePolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeResourcePolicies, every policy of the region at once (pages followed)",
        Find::Name,
        "DescribeResourcePolicies of PolicyName, adopted only with the create's document",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let (name, document) = parse(&input.properties, ctx)?;
        if let Some(Err(theirs)) = ours(&self.logs, ctx, &name, &document).await? {
            return Err(ctx.fatal(format!(
                "creating resource policy {name}: CloudWatch Logs already has a resource policy of \
                 that name with another document ({theirs}), which infra will not overwrite; choose \
                 another PolicyName, or delete that policy first"
            )));
        }
        self.put(ctx, &name, &document).await
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (_, before) = parse(&input.before, ctx)?;
        let (_, after) = parse(&input.after, ctx)?;
        if !same_document(&before, &after) {
            self.put(ctx, &input.physical_id, &after).await?;
        }
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = &input.physical_id;
        let sent = self.logs.client.delete_resource_policy().policy_name(name);
        let doing = format!("deleting resource policy {name}");
        unless_gone(&self.logs, ctx, doing, sent.send()).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let all = describe_all(&self.logs, ctx).await?;
        Ok(kit::present_or_gone(items, |item| {
            let name = Some(item.physical_id.as_str());
            let p = all.iter().find(|p| p.policy_name() == name)?;
            let last = &item.properties;
            let document = (p.policy_document())
                .map(|d| observed_document(d, false, last.get("PolicyDocument")));
            let found = json!({"PolicyName": p.policy_name(), "PolicyDocument": document});
            Some(Observation::Present {
                properties: observed(found, last),
                attributes: BTreeMap::new(),
            })
        }))
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let (name, document) = parse(&input.properties, ctx)?;
        let found = ours(&self.logs, ctx, &name, &document).await?;
        Ok(matches!(found, Some(Ok(()))).then(|| output_of(&name, [])))
    }
}

#[cfg(test)]
mod tests;
