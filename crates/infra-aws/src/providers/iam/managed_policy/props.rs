//! `AWS::IAM::ManagedPolicy` properties: the `Spec` a template describes (with the principals
//! it is attached to, by `principal::Kind`) and the template's properties parsed into it,
//! checked against the keys generated from the schema (`MANAGED_POLICY`, `mappings/iam.toml`).

use crate::providers::kit::prelude::*;

use crate::generated::iam::MANAGED_POLICY;
use crate::providers::iam::principal::{Kind, principals};

#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) path: Option<String>,
    pub(super) description: Option<String>,
    pub(super) document: Value,
    pub(super) principals: Vec<(Kind, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::root(value, ctx, MANAGED_POLICY)?;
    let document = props
        .document("PolicyDocument")?
        .ok_or_else(|| ctx.fatal("property PolicyDocument is required"))?;
    Ok(Spec {
        name: props.str("ManagedPolicyName")?,
        path: props.str("Path")?,
        description: props.str("Description")?,
        document,
        principals: principals(&props)?,
    })
}
