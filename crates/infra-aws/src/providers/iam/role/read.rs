//! `AWS::IAM::Role` reading: GetRole, the `Fn::GetAtt` attributes and the properties refresh
//! reports (its policies as every principal's, [`Principal::observe_policies`]).

use std::collections::BTreeMap;

use aws_sdk_iam::types::Role;
use serde_json::{Map, Value, json};

use super::TYPE;
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::iam::principal::{Kind, Principal};
use crate::providers::iam::{Iam, tag_map};
use crate::providers::kit::{
    Ctx, is_not_found, managed_keys, observed_document, observed_scalar, observed_tags,
};

/// GetRole; `None` when it does not exist.
pub(in crate::providers::iam) async fn get_role(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Role>, ProviderError> {
    match iam.client.get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role),
        Err(e) => {
            let err = iam.api.err("GetRole", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(ctx.fail(format!("reading role {name}"), err))
            }
        }
    }
}

pub(in crate::providers::iam) fn output(role: &Role) -> ResourceOutput {
    ResourceOutput {
        physical_id: role.role_name().to_owned(),
        attributes: attributes(role),
    }
}

fn attributes(role: &Role) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("Arn".to_owned(), Value::String(role.arn().to_owned())),
        (
            "RoleId".to_owned(),
            Value::String(role.role_id().to_owned()),
        ),
    ])
}

/// Refreshes one role (see the module comment of `providers::iam` for what is reported).
pub(super) async fn read_one(
    iam: Iam,
    item: ReadInput,
) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let name = item.physical_id.as_str();
    let Some(role) = get_role(&iam, ctx, name).await? else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    if managed.contains("RoleName") {
        props.insert(
            "RoleName".into(),
            observed_scalar(Value::String(role.role_name().to_owned()), prev("RoleName")),
        );
    }
    if managed.contains("Path") {
        props.insert(
            "Path".into(),
            observed_scalar(Value::String(role.path().to_owned()), prev("Path")),
        );
    }
    if let Some(doc) = role.assume_role_policy_document() {
        props.insert(
            "AssumeRolePolicyDocument".into(),
            observed_document(doc, true, prev("AssumeRolePolicyDocument")),
        );
    }
    let description = role
        .description()
        .filter(|d| managed.contains("Description") && !d.is_empty());
    if let Some(d) = description {
        props.insert(
            "Description".into(),
            observed_scalar(Value::String(d.to_owned()), prev("Description")),
        );
    }
    let max_session = role
        .max_session_duration()
        .filter(|_| managed.contains("MaxSessionDuration"));
    if let Some(n) = max_session {
        props.insert(
            "MaxSessionDuration".into(),
            observed_scalar(json!(n), prev("MaxSessionDuration")),
        );
    }
    let boundary = role
        .permissions_boundary()
        .and_then(|b| b.permissions_boundary_arn())
        .filter(|_| managed.contains("PermissionsBoundary"));
    if let Some(arn) = boundary {
        props.insert(
            "PermissionsBoundary".into(),
            observed_scalar(Value::String(arn.to_owned()), prev("PermissionsBoundary")),
        );
    }
    Principal::new(Kind::Role, name)
        .observe_policies(&iam, ctx, &item.properties, &mut props)
        .await?;
    if managed.contains("Tags") {
        props.insert(
            "Tags".into(),
            observed_tags(&tag_map(role.tags()), prev("Tags")),
        );
    }
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: attributes(&role),
        },
    ))
}
