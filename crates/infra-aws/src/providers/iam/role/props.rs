//! `AWS::IAM::Role` properties: the `RoleSpec` a template describes (its `Policies` and
//! `ManagedPolicyArns` read as every principal's, [`Policies`]) and the template's properties
//! parsed into it, checked against the keys generated from the schema (`ROLE`,
//! `mappings/iam.toml`).

use crate::providers::kit::prelude::*;

#[cfg(test)]
use super::TYPE;
use crate::generated::iam::ROLE;
use crate::providers::iam::principal::{Kind, Policies};
#[cfg(test)]
use crate::providers::kit::compact;

/// A role as the template describes it.
#[derive(Debug, Clone)]
pub(super) struct RoleSpec {
    pub(super) name: Option<String>,
    pub(super) path: Option<String>,
    pub(super) assume: Value,
    pub(super) description: Option<String>,
    pub(super) max_session: Option<i32>,
    pub(super) boundary: Option<String>,
    pub(super) policies: Policies,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<RoleSpec, ProviderError> {
    let props = Props::root(value, ctx, ROLE)?;
    let assume = props
        .document("AssumeRolePolicyDocument")?
        .ok_or_else(|| ctx.fatal("property AssumeRolePolicyDocument is required"))?;
    Ok(RoleSpec {
        name: props.str("RoleName")?,
        path: props.str("Path")?,
        assume,
        description: props.str("Description")?,
        max_session: props.i32("MaxSessionDuration")?,
        boundary: props.str("PermissionsBoundary")?,
        policies: Policies::parse(&props, Kind::Role)?,
        tags: props.tags("Tags")?,
    })
}

#[cfg(test)]
pub(in crate::providers::iam) fn parse_for_tests(
    value: &Value,
) -> Result<(Vec<String>, Vec<String>, String), ProviderError> {
    let spec = parse(value, Ctx::new(TYPE, "Test"))?;
    let names = spec.policies.inline.iter().map(|p| p.name.clone());
    let assume = compact(&spec.assume);
    Ok((names.collect(), spec.policies.managed, assume))
}
