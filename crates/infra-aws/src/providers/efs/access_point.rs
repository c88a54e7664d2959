//! `AWS::EFS::AccessPoint`: CreateAccessPoint with a `ClientToken` (the template's, else one
//! derived from the create's checkpoint key, so a create sent again is idempotent), its tags
//! (`AccessPointTags` with infra's), `PosixUser` and `RootDirectory` (create-only, as every
//! property but the tags), then a wait for LifeCycleState `available`. Tags change in place
//! (TagResource / UntagResource). DeleteAccessPoint, then a wait until it is gone.
//!
//! `Ref` and `Fn::GetAtt AccessPointId` are the access point id; `Fn::GetAtt Arn` its ARN.
//!
//! Refresh is per file system: DescribeAccessPoints takes a file system id or one access point
//! id, so access points are read with one call per file system and page (100 per page), matched
//! by id. `find` lists the access points of the create's file system and takes the one with the
//! create's `ClientToken` and `infra:*` tags.
//!
//! The keys, CreateAccessPoint's request (`PosixUser`, `RootDirectory`) and what
//! DescribeAccessPoints returns reported back are conversions generated from the schema
//! (`scripts/generate-mappings`, `crates/infra-aws/mappings/efs.toml`); `SecondaryGids` (group
//! ids as numbers or text), the token and the tags by hand.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_efs::operation::create_access_point::CreateAccessPointInput;
use aws_sdk_efs::operation::create_access_point::builders::CreateAccessPointInputBuilder;
use aws_sdk_efs::types::{AccessPointDescription, Tag};

use super::shared::{
    Efs, classed, create_token, pages, read_per_file_system, retag, tag_map, wait_for,
};
use crate::generated::efs::{
    ACCESS_POINT, POSIX_USER, create_access_point, report_access_point_description,
};

pub(crate) const TYPE: &str = "AWS::EFS::AccessPoint";

#[derive(Debug, Clone)]
pub(super) struct Spec {
    /// CreateAccessPoint's request, without its token and tags.
    pub(super) create: CreateAccessPointInputBuilder,
    pub(super) token: Option<String>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, ACCESS_POINT)?;
    let mut create = create_access_point(&p, CreateAccessPointInput::builder())?;
    if let Some(u) = p.obj("PosixUser", POSIX_USER)? {
        let gids = u.opt_list("SecondaryGids")?.unwrap_or_default();
        let gid = |(i, g): (usize, &Value)| {
            let not_gid = || u.fatal(&format!("SecondaryGids[{i}]"), "not a group id");
            let text = kit::scalar_text(g);
            text.and_then(|t| t.parse().ok()).ok_or_else(not_gid)
        };
        let gids: Vec<i64> = gids.iter().enumerate().map(gid).collect::<Result<_, _>>()?;
        let mut user = create.get_posix_user().clone();
        if let Some(user) = user.as_mut() {
            user.secondary_gids = Some(gids);
        }
        create = create.set_posix_user(user);
    }
    Ok(Spec {
        create,
        token: p.str("ClientToken")?,
        tags: p.tags("AccessPointTags")?,
    })
}

/// The file system of an access point (required, so read).
fn fs(spec: &Spec) -> &str {
    let id = spec.create.get_file_system_id();
    id.as_deref().unwrap_or_default()
}

fn output(ap: &AccessPointDescription) -> ResourceOutput {
    let id = ap.access_point_id().unwrap_or_default();
    let arn = json!(ap.access_point_arn());
    output_of(id, [("AccessPointId", json!(id)), ("Arn", arn)])
}

/// DescribeAccessPoints of a file system (`by_fs`) or one access point, pages followed; empty
/// when it does not exist.
async fn describe(
    efs: &Efs,
    ctx: Ctx<'_>,
    by_fs: bool,
    id: &str,
) -> Result<Vec<AccessPointDescription>, ProviderError> {
    let doing = "describing access points";
    pages(efs, ctx, doing, |token| async move {
        let request = efs.client.describe_access_points().set_next_token(token);
        let request = request.set_file_system_id(by_fs.then(|| id.to_owned()));
        let request = request.set_access_point_id((!by_fs).then(|| id.to_owned()));
        let page = request.max_results(100).send().await?;
        let next = page.next_token().map(str::to_owned);
        Ok((page.access_points().to_vec(), next))
    })
    .await
}

#[derive(Debug)]
pub(crate) struct AccessPointProvider {
    pub(crate) efs: Efs,
}

impl AccessPointProvider {
    /// The access point of the file system with client token `token` and infra's `tags`.
    async fn by_token(
        &self,
        ctx: Ctx<'_>,
        fs: &str,
        token: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<Option<AccessPointDescription>, ProviderError> {
        let all = describe(&self.efs, ctx, true, fs).await?;
        let ours = |ap: &AccessPointDescription| {
            ap.client_token() == Some(token) && owned_by(&tag_map(ap.tags()), tags)
        };
        Ok(all.into_iter().find(ours))
    }

    async fn wait(&self, ctx: Ctx<'_>, id: &str, gone: bool) -> Result<(), ProviderError> {
        wait_for(ctx, &format!("access point {id}"), gone, || async {
            let found = describe(&self.efs, ctx, false, id).await?;
            Ok(found.first().and_then(|ap| ap.life_cycle_state().cloned()))
        })
        .await
    }
}

/// The template's `ClientToken`, else one derived from the create's checkpoint key.
fn token_of(spec: &Spec, key: &str, address: &str, tags: &Tags, properties: &Value) -> String {
    let token = spec.token.clone();
    token.unwrap_or_else(|| create_token(key, address, tags, properties))
}

type Tags = BTreeMap<String, String>;

impl kit::Provider for AccessPointProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "DescribeAccessPoints per file system (100 per page, pages followed)",
        Find::Tags,
        "DescribeAccessPoints of the file system, by the create's ClientToken and infra tags",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let key = input.checkpoint.key();
        let token = token_of(&spec, key, &input.address, &input.tags, &input.properties);
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.create.clone().client_token(&token);
        let request = request.set_tags(Some(kit::sdk_tags!(Tag, ctx, tags)?));
        let sent = request.send_with(&self.efs.client).await;
        let doing = format!("creating an access point of {}", fs(&spec));
        let made = match sent {
            Ok(made) => made.access_point_id().map(str::to_owned),
            Err(e) => {
                let err = self.efs.err(e);
                if !has_code(&err, "AccessPointAlreadyExists") {
                    return Err(on_create(classed(ctx, &doing, &err)));
                }
                // Made by an earlier attempt of this create when it carries its infra tags;
                // else the template's ClientToken names another access point.
                let earlier = self.by_token(ctx, fs(&spec), &token, &input.tags).await?;
                let Some(ap) = earlier else {
                    return Err(ctx.fatal(format!(
                        "{doing}: ClientToken {token} already made another access point; give \
                         this one a ClientToken of its own"
                    )));
                };
                ap.access_point_id().map(str::to_owned)
            }
        };
        let no_id = || ctx.fatal(format!("{doing}: EFS returned no access point id"));
        let id = made.ok_or_else(no_id)?;
        self.wait(ctx, &id, false).await?;
        let found = describe(&self.efs, ctx, false, &id).await?;
        let gone = format!("access point {id} disappeared");
        let gone = || ctx.error(FailureClass::NotFound, gone);
        found.first().map(output).ok_or_else(gone)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = merge_tags(&parse(&input.before, ctx)?.tags, &input.tags);
        let after = merge_tags(&parse(&input.after, ctx)?.tags, &input.tags);
        retag(&self.efs, ctx, &input.physical_id, &before, &after).await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = &input.physical_id;
        let sent = self.efs.client.delete_access_point().access_point_id(id);
        let doing = format!("deleting access point {id}");
        unless_gone(&self.efs, ctx, doing, sent.send()).await?;
        self.wait(ctx, id, true).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let list = |efs: Efs, fs: String| async move {
            describe(&efs, Ctx::new(TYPE, &fs), true, &fs).await
        };
        let seen = |_: Efs, item: ReadInput, ap: AccessPointDescription| async move {
            Ok(observe(&item.properties, &ap))
        };
        let id_of = AccessPointDescription::access_point_id;
        read_per_file_system(&self.efs, items, list, id_of, seen).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let key = input.checkpoint.key();
        let token = token_of(&spec, key, &input.address, &input.tags, &input.properties);
        let found = self.by_token(ctx, fs(&spec), &token, &input.tags).await?;
        Ok(found.as_ref().map(output))
    }
}

/// One access point as the template writes it (the managed properties only).
pub(super) fn observe(last: &Value, ap: &AccessPointDescription) -> Observation {
    let mut found = report_access_point_description(ap);
    if let Some(u) = ap.posix_user() {
        let gids: Vec<String> = u.secondary_gids().iter().map(i64::to_string).collect();
        found["PosixUser"]["SecondaryGids"] = json!((!gids.is_empty()).then_some(gids));
    }
    // EFS answers `/` for a root directory given without a path.
    let root = last.get("RootDirectory");
    let given = root.is_some_and(|p| p.get("Path").is_some());
    if let Some(root) = found
        .get_mut("RootDirectory")
        .and_then(Value::as_object_mut)
        && !given
        && root.get("Path").and_then(Value::as_str) == Some("/")
    {
        root.remove("Path");
    }
    found["AccessPointTags"] = observed_tags(&tag_map(ap.tags()), last.get("AccessPointTags"));
    Observation::Present {
        properties: observed(found, last),
        attributes: output(ap).attributes,
    }
}
