//! `AWS::IAM::Role` reading: GetRole, the `Fn::GetAtt` attributes and the properties refresh
//! reports (its policies as every principal's, [`Principal::observe_policies`]).

use crate::providers::iam::present;
use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::Role;

use super::TYPE;
use crate::providers::iam::principal::{Kind, Principal, found};
use crate::providers::iam::{Iam, observed_map, tag_map};

/// GetRole; `None` when it does not exist.
pub(in crate::providers::iam) async fn get_role(
    iam: &Iam,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Role>, ProviderError> {
    let sent = iam.client.get_role().role_name(name).send().await;
    let sent = sent.map(|out| out.role).map_err(|e| iam.err(e));
    Ok(found(ctx, format!("reading role {name}"), sent)?.flatten())
}

pub(in crate::providers::iam) fn output(role: &Role) -> ResourceOutput {
    let attributes = [
        ("Arn", json!(role.arn())),
        ("RoleId", json!(role.role_id())),
    ];
    output_of(role.role_name(), attributes)
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
    let last = &item.properties;
    let boundary = role.permissions_boundary();
    let found = json!({
        "RoleName": role.role_name(),
        "Path": role.path(),
        "Description": role.description().filter(|d| !d.is_empty()),
        "MaxSessionDuration": role.max_session_duration(),
        "PermissionsBoundary": boundary.and_then(|b| b.permissions_boundary_arn()),
    });
    let mut props = observed_map(found, last);
    if let Some(doc) = role.assume_role_policy_document() {
        let previous = last.get("AssumeRolePolicyDocument");
        let doc = observed_document(doc, true, previous.filter(|v| !v.is_null()));
        props.insert("AssumeRolePolicyDocument".into(), doc);
    }
    let principal = Principal::new(Kind::Role, name);
    principal
        .observe_policies(&iam, ctx, last, &mut props)
        .await?;
    if let Some(previous) = last.get("Tags").filter(|v| !v.is_null()) {
        let tags = observed_tags(&tag_map(role.tags()), Some(previous));
        props.insert("Tags".into(), tags);
    }
    present(&item, props, output(&role).attributes)
}
