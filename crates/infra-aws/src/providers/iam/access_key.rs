//! `AWS::IAM::AccessKey`: an access key of an IAM user.
//!
//! | property | create | update |
//! |---|---|---|
//! | `UserName` | CreateAccessKey | create-only (replacement) |
//! | `Serial` | not sent: a number to change when the key must be rotated | create-only (replacement: a new key, then the old one deleted) |
//! | `Status` (`Active`, `Inactive`; default `Active`) | UpdateAccessKey after CreateAccessKey when `Inactive` | UpdateAccessKey |
//!
//! `Ref` and `Fn::GetAtt Id` are the access key id; `Fn::GetAtt SecretAccessKey` is the secret,
//! which IAM returns once, in CreateAccessKey's answer. The create returns it in its
//! attributes and nowhere else: no message, no `Debug` print (the SDK redacts it too), and
//! refresh and `find` cannot report it (IAM never returns it again). `Id` and
//! `SecretAccessKey` written as properties are refused. Delete is DeleteAccessKey; the key or
//! its user already gone is done.
//!
//! # Reading
//!
//! ListAccessKeys once per user for all the keys of that user (pages followed): a key listed
//! reports its `Status` (when managed, or when it is not the default `Active`), `UserName` and
//! `Serial` as last applied; a key not listed, or whose user is gone, is gone. The attributes
//! read reports are `Id` only: `SecretAccessKey` is not something IAM can say.
//!
//! # Finding what an interrupted create made
//!
//! A key has no name and no tags. Before CreateAccessKey the create saves in its checkpoint
//! the ids of the keys the user already has (ListAccessKeys); the key it made is the user's
//! key that is not among them (and not the key a replacement replaces). `find` returns that
//! key, so it is recorded and never left behind, but without its secret, which no API can
//! give again: a template that reads `Fn::GetAtt SecretAccessKey` then sees it unknown, and
//! the key must be replaced to get a secret (change `Serial`). A create sent again (the engine
//! retrying it) deletes such a key before it makes a new one, since nobody received its secret.

use crate::providers::kit::prelude::*;
use aws_sdk_iam::types::{AccessKeyMetadata, StatusType};

use super::principal::list;
use super::{Iam, read_per_parent};
use crate::generated::iam::ACCESS_KEY;
use crate::providers::kit::one_of;

#[cfg(test)]
mod tests;

pub(super) const TYPE: &str = "AWS::IAM::AccessKey";

const STATUSES: &[&str] = &["Active", "Inactive"];

/// A key as the template describes it.
#[derive(Debug, Clone, PartialEq)]
struct KeySpec {
    user: String,
    status: StatusType,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<KeySpec, ProviderError> {
    let p = Props::root(value, ctx, ACCESS_KEY)?;
    p.i64("Serial")?;
    let status = match p.str("Status")? {
        None => StatusType::Active,
        Some(s) => one_of(&s, STATUSES, "Status", ctx)?,
    };
    Ok(KeySpec {
        user: p.required_str("UserName")?,
        status,
    })
}

/// What create, update and read report: the id; the secret only from the create.
fn output(id: &str, secret: Option<&str>) -> ResourceOutput {
    let mut out = output_of(id, [("Id", json!(id))]);
    let secret = secret.map(|s| ("SecretAccessKey".to_owned(), json!(s)));
    out.attributes.extend(secret);
    out
}

/// The keys of `user` (ListAccessKeys, pages followed); `None` when the user does not exist.
async fn keys_of(
    iam: &Iam,
    ctx: Ctx<'_>,
    user: &str,
) -> Result<Option<Vec<AccessKeyMetadata>>, ProviderError> {
    let request = iam.client.list_access_keys().user_name(user);
    let doing = format!("listing the access keys of user {user}");
    list!(iam, ctx, doing, request, |o| {
        (o.access_key_metadata, o.is_truncated, o.marker)
    })
}

fn id_of(key: &AccessKeyMetadata) -> &str {
    key.access_key_id().unwrap_or_default()
}

/// What the create saves before CreateAccessKey: the user's keys then.
fn before_create(user: &str, keys: &[AccessKeyMetadata]) -> Value {
    json!({"UserName": user, "existing": keys.iter().map(id_of).collect::<Vec<_>>()})
}

/// The key ids a create of `user` saved, when its checkpoint holds them.
fn saved_existing(saved: Option<Value>, user: &str) -> Option<Vec<String>> {
    let saved = saved.filter(|s| s.get("UserName").and_then(Value::as_str) == Some(user))?;
    let ids = saved.get("existing")?.as_array()?;
    Some(ids.iter().filter_map(scalar_text).collect())
}

/// The provider.
#[derive(Debug)]
pub(crate) struct AccessKeyProvider {
    pub(crate) iam: Iam,
}

impl AccessKeyProvider {
    async fn set_status(
        &self,
        ctx: Ctx<'_>,
        user: &str,
        id: &str,
        status: StatusType,
    ) -> Result<(), ProviderError> {
        let doing = format!("setting access key {id} of user {user} {}", status.as_str());
        let request = self.iam.client.update_access_key().user_name(user);
        let request = request.access_key_id(id).status(status);
        send!(&self.iam, ctx, request, doing).map(|_| ())
    }
}

impl kit::Provider for AccessKeyProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "ListAccessKeys per user (pages followed) for every key of that user",
        Find::NaturalKey,
        "ListAccessKeys of UserName: the key not among those the create saved before CreateAccessKey (its secret is lost)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let (iam, user) = (&self.iam, spec.user.as_str());
        // The user may be a moment old: "no such entity" is eventual consistency.
        let keys = keys_of(iam, ctx, user).await?.ok_or_else(|| {
            let err = FailureClass::EventuallyConsistent;
            ctx.error(err, format!("user {user} does not exist (yet)"))
        })?;
        match saved_existing(input.checkpoint.last(), user) {
            // A key an earlier attempt made: its secret never left that attempt.
            Some(existing) => {
                let ids = keys.iter().map(id_of);
                for id in ids.filter(|id| !existing.iter().any(|e| e == *id)) {
                    let request = iam.client.delete_access_key().user_name(user);
                    let sent = request.access_key_id(id).send();
                    let doing = format!("deleting access key {id}, made by an earlier attempt");
                    unless_gone(iam, ctx, doing, sent).await?;
                }
            }
            None => input.checkpoint.save(before_create(user, &keys)).await?,
        }
        let sent = iam.client.create_access_key().user_name(user).send().await;
        let sent = sent.map_err(|e| iam.err(e));
        let doing = format!("creating an access key for user {user}");
        let made = sent.map_err(|err| ctx.fail_referencing(&doing, err))?;
        let key = made
            .access_key()
            .ok_or_else(|| ctx.fatal(format!("{doing}: no key returned")))?;
        if spec.status != StatusType::Active {
            let (classes, pause) = (&[FailureClass::Retryable], kit::FIRST_PAUSE);
            let set = || self.set_status(ctx, user, key.access_key_id(), spec.status.clone());
            kit::retry_while(classes, kit::PROPAGATION_TIMEOUT, pause, set).await?;
        }
        Ok(output(key.access_key_id(), Some(key.secret_access_key())))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        if before.user != after.user {
            return Err(ctx.fatal("UserName cannot change in place; the key must be replaced"));
        }
        if before.status != after.status {
            let id = &input.physical_id;
            self.set_status(ctx, &after.user, id, after.status).await?;
        }
        Ok(output(&input.physical_id, None))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let spec = parse(&input.properties, ctx)?;
        let id = input.physical_id.as_str();
        let request = self.iam.client.delete_access_key().user_name(&spec.user);
        let sent = request.access_key_id(id).send();
        let doing = format!("deleting access key {id}");
        unless_gone(&self.iam, ctx, doing, sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_per_parent(items, "UserName", |user, items| {
            let iam = self.iam.clone();
            async move {
                let ctx = Ctx::new(TYPE, &items[0].address);
                let keys = keys_of(&iam, ctx, &user).await?.unwrap_or_default();
                let seen = items.into_iter().map(|item| {
                    let key = keys.iter().find(|k| id_of(k) == item.physical_id);
                    let seen = key.map_or(Observation::Gone, |k| observe(&item, k));
                    (item.address.clone(), seen)
                });
                Ok(seen.collect())
            }
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        let Some(existing) = saved_existing(input.checkpoint.last(), &spec.user) else {
            return Ok(None);
        };
        let keys = keys_of(&self.iam, ctx, &spec.user).await?;
        let keys = keys.unwrap_or_default();
        let made = keys
            .iter()
            .filter(|k| !existing.iter().any(|e| e == id_of(k)));
        // The oldest, should an earlier attempt have made more than one.
        let made = made.min_by_key(|k| k.create_date().map(|d| (d.secs(), d.subsec_nanos())));
        Ok(made.map(|k| output(id_of(k), None)))
    }
}

/// One key as the template writes it.
fn observe(item: &ReadInput, key: &AccessKeyMetadata) -> Observation {
    let prev = |k: &str| item.properties.get(k).filter(|v| !v.is_null());
    let mut props = Map::new();
    for k in ["UserName", "Serial"] {
        if let Some(v) = prev(k) {
            props.insert(k.into(), v.clone());
        }
    }
    let status = key.status().map_or("Active", StatusType::as_str);
    if prev("Status").is_some() || status != "Active" {
        props.insert(
            "Status".into(),
            observed_scalar(json!(status), prev("Status")),
        );
    }
    Observation::Present {
        properties: Value::Object(props),
        attributes: output(&item.physical_id, None).attributes,
    }
}
