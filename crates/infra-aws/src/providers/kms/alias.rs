//! `AWS::KMS::Alias`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `AliasName` (`alias/…`, not `alias/aws/…`) | CreateAlias | create-only (replacement) |
//! | `TargetKeyId` (a key id or ARN) | CreateAlias | UpdateAlias |
//!
//! `Ref` is the alias name; there is no `Fn::GetAtt` attribute. An alias has no tags: a create
//! that finds the name taken adopts the alias only when it already points at the template's key
//! (an earlier attempt of this create made it), and `find` looks for that same natural key, the
//! name and its target. A key made a moment ago and not visible to KMS yet is retried.
//!
//! Refresh: ListAliases, every alias of the account and Region, 100 per page (pages followed),
//! matched by name; `TargetKeyId` reads as last applied while it names the same key (KMS
//! answers the key id for an ARN).

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_kms::types::AliasListEntry;

use super::{Kms, key_id_of};
use crate::generated::kms::ALIAS;
use crate::providers::kit::pages;

pub(crate) const TYPE: &str = "AWS::KMS::Alias";

/// The alias as the template describes it: its name and the key it points at.
pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<(String, String), ProviderError> {
    let p = Props::root(value, ctx, ALIAS)?;
    let name = p.required_str("AliasName")?;
    if !name.starts_with("alias/") || name.len() == "alias/".len() {
        let why = format!("{name:?} must start with alias/ and a name");
        return Err(p.fatal("AliasName", why));
    }
    if name.starts_with("alias/aws/") {
        let why = "alias/aws/ is reserved for AWS managed keys; choose another name";
        return Err(p.fatal("AliasName", why));
    }
    Ok((name, p.required_str("TargetKeyId")?))
}

/// Every alias of the account and Region, by name (ListAliases, pages followed).
async fn aliases(kms: &Kms, ctx: Ctx<'_>) -> R<HashMap<String, AliasListEntry>> {
    let all = pages(|marker| async move {
        let request = kms.client.list_aliases().limit(100).set_marker(marker);
        let page = send!(kms, ctx, request, "listing aliases")?;
        let next = page.next_marker().filter(|_| page.truncated());
        Ok((page.aliases().to_vec(), next.map(str::to_owned)))
    });
    let named = |a: AliasListEntry| (a.alias_name().unwrap_or_default().to_owned(), a);
    Ok(all.await?.into_iter().map(named).collect())
}

/// Whether `alias` points at the key `target` names.
fn targets(alias: &AliasListEntry, target: &str) -> bool {
    alias.target_key_id().map(key_id_of) == Some(key_id_of(target))
}

/// The alias provider.
#[derive(Debug)]
pub(crate) struct AliasProvider {
    pub(crate) kms: Kms,
}

impl kit::Provider for AliasProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "ListAliases (100 per page, pages followed), matched by name",
        Find::NaturalKey,
        "ListAliases: the alias of that name pointing at the template's key",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let (name, target) = parse(&input.properties, ctx)?;
        let request = self.kms.client.create_alias().alias_name(&name);
        let Err(e) = request.target_key_id(&target).send().await else {
            return Ok(output_of(&name, []));
        };
        let err = self.kms.err(e);
        let doing = format!("creating alias {name}");
        if !has_code(&err, "AlreadyExistsException") {
            // "Not found" names the target key, which may have been made a moment ago.
            return Err(ctx.fail_referencing(doing, err));
        }
        let found = aliases(&self.kms, ctx).await?;
        if found.get(&name).is_some_and(|a| targets(a, &target)) {
            return Ok(output_of(&name, []));
        }
        Err(ctx.fatal(format!(
            "{doing}: the alias already exists and points at another key; choose another \
             AliasName, or delete or import the alias"
        )))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (name, target) = parse(&input.after, ctx)?;
        let request = self.kms.client.update_alias().alias_name(&name);
        let sent = request.target_key_id(&target).send().await;
        let sent = sent.map_err(|e| self.kms.err(e));
        let doing = format!("pointing alias {name} at key {target}");
        sent.map_err(|err| ctx.fail_referencing(doing, err))?;
        Ok(output_of(&name, []))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let request = self.kms.client.delete_alias();
        let sent = request.alias_name(&input.physical_id).send();
        unless_gone(&self.kms, ctx, "deleting the alias", sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let found = aliases(&self.kms, ctx).await?;
        Ok(kit::present_or_gone(items, |item| {
            let alias = found.get(&item.physical_id)?;
            let last = item.properties.get("TargetKeyId");
            let written = last.and_then(Value::as_str).filter(|t| targets(alias, t));
            let target = written.map_or_else(|| json!(alias.target_key_id()), |t| json!(t));
            Some(Observation::Present {
                properties: json!({"AliasName": alias.alias_name(), "TargetKeyId": target}),
                attributes: BTreeMap::new(),
            })
        }))
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let (name, target) = parse(&input.properties, ctx)?;
        let found = aliases(&self.kms, ctx).await?;
        let ours = found.get(&name).is_some_and(|a| targets(a, &target));
        Ok(ours.then(|| output_of(&name, [])))
    }
}
