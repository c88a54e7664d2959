//! `AWS::IAM::Policy`: one inline policy embedded in roles, users and groups.
//!
//! | property | create | update |
//! |---|---|---|
//! | `PolicyName` | the name of every embedded copy | put under the new name, then delete the old one |
//! | `PolicyDocument` | Put{Role,User,Group}Policy | Put*Policy on every principal |
//! | `Roles`, `Users`, `Groups` | Put*Policy on each (at least one principal is required) | put on added principals, Delete*Policy on removed ones |
//!
//! An inline policy has no identity of its own, so `Ref` returns an identifier infra makes up,
//! `<PolicyName>-<13 characters derived from the address>` (CloudFormation documents it as of no
//! use to other resources); `Fn::GetAtt Id` returns the same. It is stable per address, so a
//! retried create (Put*Policy is an upsert) makes the same resource.
//!
//! Not taggable: after an interrupted create it is found by its natural key, the policy name in
//! its principals, holding the template's document.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Iam;
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::{
    self, Ctx, Props, compact, is_not_found, managed_keys, observed_document, observed_scalar,
    observed_set, same_document,
};

const TYPE: &str = "AWS::IAM::Policy";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::PerResource,
    "GetRolePolicy / GetUserPolicy / GetGroupPolicy per principal, 8 policies at a time",
    Find::NaturalKey,
    "inline PolicyName in one of its Roles / Users / Groups, holding the template's document",
);

const SUPPORTED: &[&str] = &["Groups", "PolicyDocument", "PolicyName", "Roles", "Users"];

/// The kind of principal an inline policy is embedded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Role,
    User,
    Group,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Role, Kind::User, Kind::Group];

    fn property(self) -> &'static str {
        match self {
            Kind::Role => "Roles",
            Kind::User => "Users",
            Kind::Group => "Groups",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::User => "user",
            Kind::Group => "group",
        }
    }
}

#[derive(Debug, Clone)]
struct PolicySpec {
    name: String,
    document: Value,
    principals: Vec<(Kind, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<PolicySpec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let name = props
        .str("PolicyName")?
        .ok_or_else(|| ctx.fatal("property PolicyName is required"))?;
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
    if principals.is_empty() {
        return Err(ctx.fatal("at least one of Roles, Users and Groups must name a principal"));
    }
    Ok(PolicySpec {
        name,
        document,
        principals,
    })
}

/// The identifier `Ref` returns.
fn policy_id(address: &str, name: &str) -> String {
    format!("{name}-{}", kit::stable_suffix(address))
}

/// The provider.
#[derive(Debug)]
pub(crate) struct PolicyProvider {
    iam: Iam,
}

impl PolicyProvider {
    pub(crate) fn new(iam: Iam) -> Self {
        PolicyProvider { iam }
    }

    /// Embeds the policy in one principal. `NoSuchEntity` names the principal, which another
    /// resource may have created a moment ago: eventually consistent.
    async fn put(
        &self,
        ctx: Ctx<'_>,
        kind: Kind,
        principal: &str,
        name: &str,
        document: &Value,
    ) -> Result<(), ProviderError> {
        let client = &self.iam.client;
        let doc = compact(document);
        let result = match kind {
            Kind::Role => client
                .put_role_policy()
                .role_name(principal)
                .policy_name(name)
                .policy_document(doc)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.iam.api.err("PutRolePolicy", e)),
            Kind::User => client
                .put_user_policy()
                .user_name(principal)
                .policy_name(name)
                .policy_document(doc)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.iam.api.err("PutUserPolicy", e)),
            Kind::Group => client
                .put_group_policy()
                .group_name(principal)
                .policy_name(name)
                .policy_document(doc)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.iam.api.err("PutGroupPolicy", e)),
        };
        result.map_err(|err| {
            ctx.fail_referencing(
                format!(
                    "putting inline policy {name} on {} {principal}",
                    kind.noun()
                ),
                err,
            )
        })
    }

    /// Removes the policy from one principal; already gone is fine.
    async fn remove(
        &self,
        ctx: Ctx<'_>,
        kind: Kind,
        principal: &str,
        name: &str,
    ) -> Result<(), ProviderError> {
        let client = &self.iam.client;
        let result = match kind {
            Kind::Role => client
                .delete_role_policy()
                .role_name(principal)
                .policy_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.iam.api.err("DeleteRolePolicy", e)),
            Kind::User => client
                .delete_user_policy()
                .user_name(principal)
                .policy_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.iam.api.err("DeleteUserPolicy", e)),
            Kind::Group => client
                .delete_group_policy()
                .group_name(principal)
                .policy_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.iam.api.err("DeleteGroupPolicy", e)),
        };
        match result {
            Ok(()) => Ok(()),
            Err(err) if is_not_found(&err) => Ok(()),
            Err(err) => Err(ctx.fail(
                format!(
                    "deleting inline policy {name} from {} {principal}",
                    kind.noun()
                ),
                err,
            )),
        }
    }
}

fn output(id: String) -> ResourceOutput {
    ResourceOutput {
        attributes: BTreeMap::from([("Id".to_owned(), Value::String(id.clone()))]),
        physical_id: id,
    }
}

/// The document of inline policy `name` in one principal; `None` when the principal or the
/// policy does not exist.
async fn get(
    iam: &Iam,
    ctx: Ctx<'_>,
    kind: Kind,
    principal: &str,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let client = &iam.client;
    let result = match kind {
        Kind::Role => client
            .get_role_policy()
            .role_name(principal)
            .policy_name(name)
            .send()
            .await
            .map(|o| o.policy_document().to_owned())
            .map_err(|e| iam.api.err("GetRolePolicy", e)),
        Kind::User => client
            .get_user_policy()
            .user_name(principal)
            .policy_name(name)
            .send()
            .await
            .map(|o| o.policy_document().to_owned())
            .map_err(|e| iam.api.err("GetUserPolicy", e)),
        Kind::Group => client
            .get_group_policy()
            .group_name(principal)
            .policy_name(name)
            .send()
            .await
            .map(|o| o.policy_document().to_owned())
            .map_err(|e| iam.api.err("GetGroupPolicy", e)),
    };
    match result {
        Ok(doc) => Ok(Some(doc)),
        Err(err) if is_not_found(&err) => Ok(None),
        Err(err) => Err(ctx.fail(
            format!(
                "reading inline policy {name} of {} {principal}",
                kind.noun()
            ),
            err,
        )),
    }
}

/// Refreshes one policy: present while at least one of its principals still holds it.
async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let spec = parse(&item.properties, ctx)?;
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut document: Option<Value> = None;
    let mut holders: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
    for (kind, principal) in &spec.principals {
        if let Some(doc) = get(&iam, ctx, *kind, principal, &spec.name).await? {
            let observed = observed_document(&doc, true, prev("PolicyDocument"));
            // Copies that differ from the template win, so drift in any one of them shows.
            if document
                .as_ref()
                .is_none_or(|d| prev("PolicyDocument") == Some(d))
            {
                document = Some(observed);
            }
            holders.entry(*kind).or_default().push(principal.clone());
        }
    }
    let Some(document) = document else {
        return Ok((item.address.clone(), Observation::Gone));
    };
    let managed = managed_keys(&item.properties);
    let mut props = Map::new();
    props.insert(
        "PolicyName".into(),
        observed_scalar(json!(spec.name), prev("PolicyName")),
    );
    props.insert("PolicyDocument".into(), document);
    for kind in Kind::ALL {
        let key = kind.property();
        let found = holders.remove(&kind).unwrap_or_default();
        if managed.contains(key) || !found.is_empty() {
            props.insert(key.into(), observed_set(found, prev(key)));
        }
    }
    Ok((
        item.address.clone(),
        Observation::Present {
            properties: Value::Object(props),
            attributes: BTreeMap::from([(
                "Id".to_owned(),
                Value::String(item.physical_id.clone()),
            )]),
        },
    ))
}

impl kit::Provider for PolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        for (kind, principal) in &spec.principals {
            self.put(ctx, *kind, principal, &spec.name, &spec.document)
                .await?;
        }
        Ok(output(policy_id(&input.address, &spec.name)))
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let renamed = before.name != after.name;
        let changed = renamed || !same_document(&before.document, &after.document);
        for (kind, principal) in &after.principals {
            if changed || !before.principals.contains(&(*kind, principal.clone())) {
                self.put(ctx, *kind, principal, &after.name, &after.document)
                    .await?;
            }
        }
        for (kind, principal) in &before.principals {
            if renamed || !after.principals.contains(&(*kind, principal.clone())) {
                self.remove(ctx, *kind, principal, &before.name).await?;
            }
        }
        // The identifier stays what it was at create.
        Ok(output(input.physical_id.clone()))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        for (kind, principal) in &spec.principals {
            self.remove(ctx, *kind, principal, &spec.name).await?;
        }
        Ok(())
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    /// By its natural key: inline policy `PolicyName` in its roles, users and groups. Found when
    /// one of them holds a policy of that name that says what the template's document says (a
    /// create puts it on each principal in turn, so an interrupted one may have reached only
    /// some: the others show as drift at the next plan). One of that name saying something
    /// else was not made by this create.
    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        for (kind, principal) in &spec.principals {
            let Some(doc) = get(&self.iam, ctx, *kind, principal, &spec.name).await? else {
                continue;
            };
            if same_document(&observed_document(&doc, true, None), &spec.document) {
                let found = Some(output(policy_id(&input.address, &spec.name)));
                return Ok(found);
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
pub(super) fn id_for_tests(address: &str, name: &str) -> String {
    policy_id(address, name)
}
