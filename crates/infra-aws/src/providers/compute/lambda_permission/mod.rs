//! `AWS::Lambda::Permission`: one statement of a function's resource-based policy.
//!
//! | property | AddPermission | the statement GetPolicy shows |
//! |---|---|---|
//! | `FunctionName` (a name or an ARN, with a qualifier or not) | `FunctionName` | `Resource` (the function's ARN) |
//! | `Action` | `Action` | `Action` |
//! | `Principal` (a service, an account id, an ARN or `*`) | `Principal` | `Principal` (`{"Service": …}` or `{"AWS": …}`; an account id as `arn:aws:iam::<id>:root`) |
//! | `SourceArn` | `SourceArn` | `Condition.ArnLike."AWS:SourceArn"` |
//! | `SourceAccount` | `SourceAccount` | `Condition.StringEquals."AWS:SourceAccount"` |
//! | `PrincipalOrgID` | `PrincipalOrgID` | `Condition.StringEquals."aws:PrincipalOrgID"` |
//! | `EventSourceToken` | `EventSourceToken` | `Condition.StringEquals."lambda:EventSourceToken"` |
//! | `FunctionUrlAuthType` | `FunctionUrlAuthType` | `Condition.StringEquals."lambda:FunctionUrlAuthType"` |
//! | `InvokedViaFunctionUrl` | `InvokedViaFunctionUrl` | `Condition.Bool."lambda:InvokedViaFunctionUrl"` |
//!
//! Every property is create-only (the schema's `createOnlyProperties`): a change replaces the
//! permission, so `update` has nothing to send. Delete is RemovePermission (not found:
//! success). Nothing is refused; `Id` written as a property is refused as an attribute. The
//! keys and the AddPermission request are generated from the schema
//! (`crates/infra-aws/mappings/lambda.toml`).
//!
//! The statement id is made up from the address and the create's checkpoint key (`Logical-`
//! and 13 characters, [`statement_id`]): the same for a create sent again and for `find`, and
//! unique to the create's intent, so a replacement's new statement never collides with the old
//! one. A create whose AddPermission answers `ResourceConflictException` (the id is taken)
//! looks the statement up: it is the one an earlier attempt of this create made. `Ref` and
//! `Fn::GetAtt Id` are `<function ARN>|<statement id>`, the function's ARN as the statement's
//! `Resource` names it, as CloudFormation's handler returns them.
//!
//! # Reading and finding
//!
//! Lambda has no call that lists statements of many functions: `read` sends one GetPolicy per
//! distinct function (a few at once) and looks each statement up by its `Sid`; a function or
//! policy gone (`ResourceNotFoundException`) means its statements are gone. `find` is
//! GetPolicy of the template's function and the statement id of the create's key (the natural
//! key: a policy statement has no tags).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;

use crate::generated::lambda::{PERMISSION, add_permission};
use crate::providers::kit::as_written;

pub(crate) const TYPE: &str = "AWS::Lambda::Permission";

/// The condition keys Lambda writes for each property (lower case: IAM's keys are not case
/// sensitive, and Lambda writes `AWS:SourceArn` where the docs write `aws:SourceArn`).
const CONDITIONS: &[(&str, &str)] = &[
    ("aws:sourcearn", "SourceArn"),
    ("aws:sourceaccount", "SourceAccount"),
    ("aws:principalorgid", "PrincipalOrgID"),
    ("lambda:eventsourcetoken", "EventSourceToken"),
    ("lambda:functionurlauthtype", "FunctionUrlAuthType"),
    ("lambda:invokedviafunctionurl", "InvokedViaFunctionUrl"),
];

type Lambda = kit::Service<aws_sdk_lambda::Client>;

/// The statement id of a create: the logical id (at most 80 characters) and a suffix derived
/// from the address and the checkpoint key; within Lambda's 100 characters and its
/// `[a-zA-Z0-9-_.]` alphabet.
pub(crate) fn statement_id(address: &str, checkpoint_key: &str) -> String {
    let logical = address.rsplit('.').next().unwrap_or(address);
    let logical = logical.chars().filter(char::is_ascii_alphanumeric);
    let logical: String = logical.take(80).collect();
    let suffix = kit::stable_suffix(&format!("{address}\n{checkpoint_key}"));
    format!("{logical}-{suffix}")
}

/// The function part and the statement id of a physical id (`<function ARN>|<statement id>`).
pub(crate) fn split_id(id: &str) -> (&str, &str) {
    id.rsplit_once('|').unwrap_or((id, ""))
}

fn output(function: &str, sid: &str) -> ResourceOutput {
    let id = format!("{function}|{sid}");
    output_of(&id, [("Id", json!(id))])
}

/// The function a statement names (its `Resource`), else `fallback`.
fn function_of<'a>(statement: &'a Value, fallback: &'a str) -> &'a str {
    statement
        .get("Resource")
        .and_then(Value::as_str)
        .unwrap_or(fallback)
}

/// The statements of a function's policy (GetPolicy); none when the function or its policy
/// does not exist.
async fn statements(
    lambda: &Lambda,
    ctx: Ctx<'_>,
    function: &str,
) -> Result<Vec<Value>, ProviderError> {
    let call = lambda.client.get_policy().function_name(function).send();
    let doing = format!("reading the policy of function {function}");
    let Some(out) = kit::found(lambda, ctx, doing, call).await? else {
        return Ok(Vec::new());
    };
    let policy = serde_json::from_str::<Value>(out.policy().unwrap_or_default());
    let policy = policy.map_err(|e| {
        ctx.fatal(format!(
            "the policy of function {function} is not JSON: {e}"
        ))
    })?;
    Ok(match policy.get("Statement") {
        Some(Value::Array(all)) => all.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    })
}

fn by_sid(statements: &[Value], sid: &str) -> Option<Value> {
    let named = |s: &&Value| s.get("Sid").and_then(Value::as_str) == Some(sid);
    statements.iter().find(named).cloned()
}

/// The statement as the template writes the permission (the managed keys of `last` only).
fn observe(statement: &Value, last: &Value) -> Value {
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let principal = match statement.get("Principal") {
        Some(Value::Object(p)) => p.values().next().cloned(),
        other => other.cloned(),
    };
    // Lambda writes an account id as its root ARN.
    let principal = match (principal, prev("Principal").and_then(kit::scalar_text)) {
        (Some(Value::String(arn)), Some(id)) if arn.ends_with(&format!(":{id}:root")) => {
            Some(json!(id))
        }
        (found, _) => found,
    };
    let mut found = json!({
        "FunctionName": prev("FunctionName"),
        "Action": statement.get("Action"),
        "Principal": principal,
    });
    let conditions = statement.get("Condition").and_then(Value::as_object);
    for keys in conditions
        .into_iter()
        .flat_map(|c| c.values())
        .filter_map(Value::as_object)
    {
        for (key, value) in keys {
            let property = CONDITIONS.iter().find(|(k, _)| key.eq_ignore_ascii_case(k));
            if let (Some((_, property)), Some(value)) = (property, kit::scalar_text(value)) {
                found[*property] = Value::String(value);
            }
        }
    }
    observed(found, last)
}

#[derive(Debug)]
pub(crate) struct PermissionProvider {
    pub(crate) svc: Lambda,
}

impl kit::Provider for PermissionProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "GetPolicy per function (a few at once), each statement looked up by its Sid",
        Find::NaturalKey,
        "GetPolicy of FunctionName, the statement id derived from the create's checkpoint key",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let p = Props::root(&input.properties, ctx, PERMISSION)?;
        let function = p.required_str("FunctionName")?;
        let sid = statement_id(&input.address, input.checkpoint.key());
        let request = add_permission(&p, self.svc.client.add_permission())?.statement_id(&sid);
        let doing = format!("adding permission {sid} to function {function}");
        let sent = request.send().await;
        let statement = match sent.map_err(|e| self.svc.err(e)) {
            Ok(out) => serde_json::from_str(out.statement().unwrap_or("{}")).unwrap_or(Value::Null),
            // The id is taken: by an earlier attempt of this create, or an update of the
            // function is in progress (retryable, the kit's class).
            Err(err) if has_code(&err, "ResourceConflictException") => {
                let found = statements(&self.svc, ctx, &function).await?;
                by_sid(&found, &sid).ok_or_else(|| ctx.fail(&doing, err))?
            }
            // The function, made a moment ago, is not visible yet.
            Err(err) => return Err(on_create(ctx.fail_referencing(&doing, err))),
        };
        Ok(output(function_of(&statement, &function), &sid))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        if as_written(input.after.clone(), Some(&input.before)) != input.before {
            return Err(ctx.fatal("a permission cannot change in place (every property is create-only); it must be replaced"));
        }
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let (function, sid) = split_id(&input.physical_id);
        let request = self.svc.client.remove_permission().function_name(function);
        let doing = format!("removing permission {sid} from function {function}");
        let sent = request.statement_id(sid).send();
        sent.deleted(&self.svc, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let mut functions: BTreeMap<String, Vec<ReadInput>> = BTreeMap::new();
        for item in items {
            let function = split_id(&item.physical_id).0.to_owned();
            functions.entry(function).or_default().push(item.clone());
        }
        let tasks = functions.into_iter().map(|(function, group)| {
            let svc = self.svc.clone();
            async move {
                // Every group holds at least one item.
                let ctx = Ctx::new(TYPE, &group[0].address);
                let found = statements(&svc, ctx, &function).await?;
                Ok(kit::present_or_gone(&group, |item| {
                    let sid = split_id(&item.physical_id).1;
                    Some(Observation::Present {
                        properties: observe(&by_sid(&found, sid)?, &item.properties),
                        attributes: output(&function, sid).attributes,
                    })
                }))
            }
        });
        let seen = kit::run_bounded(tasks.collect(), kit::READ_CONCURRENCY).await?;
        Ok(seen.into_iter().flatten().collect())
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let function = input
            .properties
            .get("FunctionName")
            .and_then(kit::scalar_text);
        let why = "no FunctionName to find the permission by";
        let function = function.ok_or_else(|| ctx.fatal(why))?;
        let sid = statement_id(&input.address, input.checkpoint.key());
        let found = statements(&self.svc, ctx, &function).await?;
        Ok(by_sid(&found, &sid).map(|s| output(function_of(&s, &function), &sid)))
    }
}

#[cfg(test)]
mod tests;
