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

use crate::providers::iam::present;
use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;

use super::Iam;
use super::principal::{Change, InlinePolicy, Kind, Principal, change_each, principals};
use crate::generated::iam::POLICY;

const TYPE: &str = "AWS::IAM::Policy";

#[derive(Debug, Clone)]
struct PolicySpec {
    /// The policy as a principal embeds it.
    policy: InlinePolicy,
    principals: Vec<(Kind, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<PolicySpec, ProviderError> {
    let props = Props::root(value, ctx, POLICY)?;
    let name = props.str("PolicyName")?;
    let name = name.ok_or_else(|| ctx.fatal("property PolicyName is required"))?;
    let document = props
        .document("PolicyDocument")?
        .ok_or_else(|| ctx.fatal("property PolicyDocument is required"))?;
    let principals = principals(&props)?;
    if principals.is_empty() {
        return Err(ctx.fatal("at least one of Roles, Users and Groups must name a principal"));
    }
    let policy = InlinePolicy { name, document };
    Ok(PolicySpec { policy, principals })
}

/// The identifier `Ref` returns.
pub(super) fn policy_id(address: &str, name: &str) -> String {
    format!("{name}-{}", kit::stable_suffix(address))
}

/// The provider.
#[derive(Debug)]
pub(crate) struct PolicyProvider {
    pub(crate) iam: Iam,
}

fn output(id: String) -> ResourceOutput {
    output_of(&id, [("Id", json!(id))])
}

/// Refreshes one policy: present while at least one of its principals still holds it.
async fn read_one(iam: Iam, item: ReadInput) -> Result<(String, Observation), ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let spec = parse(&item.properties, ctx)?;
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut document: Option<Value> = None;
    let mut holders: BTreeMap<Kind, Vec<String>> = BTreeMap::new();
    for (kind, principal) in &spec.principals {
        let held = Principal::new(&iam, ctx, *kind, principal);
        if let Some(doc) = held.inline_document(&spec.policy.name).await? {
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
    let name = observed_scalar(json!(spec.policy.name), prev("PolicyName"));
    props.insert("PolicyName".into(), name);
    props.insert("PolicyDocument".into(), document);
    for kind in Kind::ALL {
        let key = kind.property();
        let found = holders.remove(&kind).unwrap_or_default();
        if managed.contains(key) || !found.is_empty() {
            props.insert(key.into(), observed_set(found, prev(key)));
        }
    }
    present(&item, props, output(item.physical_id.clone()).attributes)
}

impl kit::Provider for PolicyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetRolePolicy / GetUserPolicy / GetGroupPolicy per principal, 8 policies at a time",
        Find::NaturalKey,
        "inline PolicyName in one of its Roles / Users / Groups, holding the template's document",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let put = Change::Put(&spec.policy, true);
        change_each(&self.iam, ctx, &spec.principals, put).await?;
        Ok(output(policy_id(&input.address, &spec.policy.name)))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let renamed = before.policy.name != after.policy.name;
        let changed = renamed || !same_document(&before.policy.document, &after.policy.document);
        let (iam, was, now) = (&self.iam, &before.principals, &after.principals);
        let put: Vec<_> = now.iter().filter(|p| changed || !was.contains(p)).collect();
        change_each(iam, ctx, put, Change::Put(&after.policy, true)).await?;
        let gone: Vec<_> = was.iter().filter(|p| renamed || !now.contains(p)).collect();
        change_each(iam, ctx, gone, Change::DeleteInline(&before.policy.name)).await?;
        // The identifier stays what it was at create.
        Ok(output(input.physical_id.clone()))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let spec = parse(&input.properties, ctx)?;
        let delete = Change::DeleteInline(&spec.policy.name);
        change_each(&self.iam, ctx, &spec.principals, delete).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_each(items, |item| read_one(self.iam.clone(), item.clone())).await
    }

    /// By its natural key: inline policy `PolicyName` in its roles, users and groups. Found when
    /// one of them holds a policy of that name that says what the template's document says (a
    /// create puts it on each principal in turn, so an interrupted one may have reached only
    /// some: the others show as drift at the next plan). One of that name saying something
    /// else was not made by this create.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        for (kind, principal) in &spec.principals {
            let held = Principal::new(&self.iam, ctx, *kind, principal);
            let doc = held.inline_document(&spec.policy.name).await?;
            let doc = doc.map(|doc| observed_document(&doc, true, None));
            if doc.is_some_and(|doc| same_document(&doc, &spec.policy.document)) {
                return Ok(Some(output(policy_id(&input.address, &spec.policy.name))));
            }
        }
        Ok(None)
    }
}
