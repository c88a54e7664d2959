//! `AWS::IAM::Role` properties: the keys infra supports, the `RoleSpec` a template describes
//! (its `Policies` entries included) and the template's properties parsed into it.

use std::collections::BTreeSet;

use serde_json::Value;

#[cfg(test)]
use super::TYPE;
use crate::provider::ProviderError;
#[cfg(test)]
use crate::providers::kit::compact;
use crate::providers::kit::{self, Ctx, Props};

const SUPPORTED: &[&str] = &[
    "AssumeRolePolicyDocument",
    "Description",
    "ManagedPolicyArns",
    "MaxSessionDuration",
    "Path",
    "PermissionsBoundary",
    "Policies",
    "RoleName",
    "Tags",
];

/// One entry of `Policies`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct InlinePolicy {
    pub(super) name: String,
    pub(super) document: Value,
}

/// A role as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct RoleSpec {
    pub(super) name: Option<String>,
    pub(super) path: Option<String>,
    pub(super) assume: Value,
    pub(super) description: Option<String>,
    pub(super) max_session: Option<i32>,
    pub(super) boundary: Option<String>,
    pub(super) policies: Vec<InlinePolicy>,
    pub(super) managed: Vec<String>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<RoleSpec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let assume = props
        .document("AssumeRolePolicyDocument")?
        .ok_or_else(|| ctx.fatal("property AssumeRolePolicyDocument is required"))?;
    let mut policies: Vec<InlinePolicy> = Vec::new();
    match props.get("Policies") {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                let policy = parse_inline(item, ctx)?;
                if policies.iter().any(|p| p.name == policy.name) {
                    return Err(ctx.fatal(format!(
                        "property Policies: two policies are named {}; inline policy names must \
                         be unique within a role",
                        policy.name
                    )));
                }
                policies.push(policy);
            }
        }
        Some(_) => {
            return Err(
                ctx.fatal("property Policies must be a list of {PolicyName, PolicyDocument}")
            );
        }
    }
    let mut managed = props.str_list("ManagedPolicyArns")?;
    let mut seen = BTreeSet::new();
    managed.retain(|arn| seen.insert(arn.clone()));
    Ok(RoleSpec {
        name: props.str("RoleName")?,
        path: props.str("Path")?,
        assume,
        description: props.str("Description")?,
        max_session: props.i32("MaxSessionDuration")?,
        boundary: props.str("PermissionsBoundary")?,
        policies,
        managed,
        tags: props.tags("Tags")?,
    })
}

fn parse_inline(item: &Value, ctx: Ctx<'_>) -> Result<InlinePolicy, ProviderError> {
    let Value::Object(map) = item else {
        return Err(ctx.fatal(
            "property Policies: every entry must be a {PolicyName, PolicyDocument} object",
        ));
    };
    if let Some(extra) = map
        .keys()
        .find(|k| *k != "PolicyName" && *k != "PolicyDocument")
    {
        return Err(ctx.fatal(format!(
            "property Policies: a policy has no property {extra}"
        )));
    }
    let name = map
        .get("PolicyName")
        .and_then(Value::as_str)
        .ok_or_else(|| ctx.fatal("property Policies: every policy needs a PolicyName string"))?;
    let document = map
        .get("PolicyDocument")
        .ok_or_else(|| {
            ctx.fatal(format!(
                "property Policies: policy {name} has no PolicyDocument"
            ))
        })
        .and_then(|doc| {
            kit::parse_document(doc)
                .map_err(|why| ctx.fatal(format!("property Policies: policy {name}: {why}")))
        })?;
    Ok(InlinePolicy {
        name: name.to_owned(),
        document,
    })
}

#[cfg(test)]
pub(in crate::providers::iam) fn parse_for_tests(
    value: &Value,
) -> Result<(Vec<String>, Vec<String>, String), ProviderError> {
    let spec = parse(value, Ctx::new(TYPE, "Test"))?;
    Ok((
        spec.policies.iter().map(|p| p.name.clone()).collect(),
        spec.managed,
        compact(&spec.assume),
    ))
}
