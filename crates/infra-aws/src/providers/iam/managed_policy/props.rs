//! `AWS::IAM::ManagedPolicy` properties: the keys infra supports, the kinds of principal a
//! policy is attached to (`Roles`, `Users`, `Groups`), the `Spec` a template describes and the
//! template's properties parsed into it.

use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Props};

const SUPPORTED: &[&str] = &[
    "Description",
    "Groups",
    "ManagedPolicyName",
    "Path",
    "PolicyDocument",
    "Roles",
    "Users",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Role,
    User,
    Group,
}

impl Kind {
    pub(super) const ALL: [Kind; 3] = [Kind::Role, Kind::User, Kind::Group];

    pub(super) fn property(self) -> &'static str {
        match self {
            Kind::Role => "Roles",
            Kind::User => "Users",
            Kind::Group => "Groups",
        }
    }

    pub(super) fn noun(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::User => "user",
            Kind::Group => "group",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) path: Option<String>,
    pub(super) description: Option<String>,
    pub(super) document: Value,
    pub(super) principals: Vec<(Kind, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let document = props
        .document("PolicyDocument")?
        .ok_or_else(|| ctx.fatal("property PolicyDocument is required"))?;
    let mut principals = Vec::new();
    for kind in Kind::ALL {
        for p in props.str_list(kind.property())? {
            if !principals.contains(&(kind, p.clone())) {
                principals.push((kind, p));
            }
        }
    }
    Ok(Spec {
        name: props.str("ManagedPolicyName")?,
        path: props.str("Path")?,
        description: props.str("Description")?,
        document,
        principals,
    })
}
