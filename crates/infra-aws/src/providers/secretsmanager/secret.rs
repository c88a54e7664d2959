//! `AWS::SecretsManager::Secret`: its properties ([`Spec`]) and the create / update / delete /
//! read / find flow. The value itself is [`super::value`]'s business: it never leaves the
//! provider. The keys of the secret and of `GenerateSecretString` are generated from the
//! schema (`scripts/generate-mappings`, `crates/infra-aws/mappings/secretsmanager.toml`).
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` (generated when absent) | CreateSecret | create-only (replacement) |
//! | `Description` | CreateSecret | UpdateSecret (removed: empty) |
//! | `KmsKeyId` | CreateSecret | UpdateSecret (removed: `alias/aws/secretsmanager`, the default key) |
//! | `SecretString` (write-only) | CreateSecret | PutSecretValue, when it changed |
//! | `GenerateSecretString` (write-only; every field) | GetRandomPassword, then CreateSecret with the value | a change stores a newly generated value (GetRandomPassword, PutSecretValue): CloudFormation documents that a change to it creates a new secret version |
//! | `Tags` | CreateSecret, with infra's tags | TagResource / UntagResource |
//! | `ReplicaRegions`, `Type` | refused (`mappings/secretsmanager.toml`) | |
//!
//! `Ref` and `Fn::GetAtt Id` are the secret's ARN. The create sends a `ClientRequestToken`
//! derived from the create's checkpoint key ([`version_token`]): a create sent again with the
//! same value is ignored by Secrets Manager, and one whose value was generated anew is answered
//! `ResourceExistsException`; then the secret of that name is adopted only when it carries
//! this resource's `infra:*` tags (it gets the value only if it lacks the token's version).
//! `find` looks the name up with DescribeSecret, infra tags checked.
//!
//! Delete is CloudFormation's: DeleteSecret with `ForceDeleteWithoutRecovery` (CloudFormation
//! deletes a secret without a recovery window, as its DeletionPolicy documentation says and
//! cloudformation-coverage-roadmap#1999 discusses; Terraform's `recovery_window_in_days = 0` is
//! the same call). Secrets Manager deletes in the background, so the delete waits until
//! DescribeSecret no longer finds the secret.
//!
//! Refresh never reads a value (no GetSecretValue, no BatchGetSecretValue): ListSecrets with a
//! `name` filter, 10 names per call (pages followed), has the description, key and tags; a
//! secret not listed, or scheduled for deletion, is gone. `SecretString` and
//! `GenerateSecretString` are reported as last applied; `KmsKeyId` too while the secret is
//! encrypted with some customer key (Secrets Manager answers the key's ARN for an id or alias).

use std::collections::{BTreeMap, BTreeSet};

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType, SecretListEntry, Tag};

use super::SecretsManager;
use super::value::{Generate, Secret, changed, generate, parse_generate, version_token};
use crate::generated::secretsmanager::SECRET;
use crate::providers::kit::{found, in_batches, pages};

pub(crate) const TYPE: &str = "AWS::SecretsManager::Secret";

/// The key Secrets Manager encrypts with when none is given.
const DEFAULT_KEY: &str = "alias/aws/secretsmanager";

/// The secret as the template describes it (its `Debug` never shows the value).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) kms_key_id: Option<String>,
    pub(crate) secret_string: Option<Secret>,
    pub(crate) generate: Option<Generate>,
    pub(crate) tags: Vec<(String, String)>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, SECRET)?;
    let spec = Spec {
        name: p.str("Name")?,
        description: p.str("Description")?,
        kms_key_id: p.str("KmsKeyId")?,
        secret_string: p.str("SecretString")?.map(Secret::given),
        generate: parse_generate(&p)?,
        tags: p.tags("Tags")?,
    };
    if spec.secret_string.is_some() && spec.generate.is_some() {
        return Err(ctx.fatal(
            "set SecretString (the value) or GenerateSecretString (how to generate one), not both",
        ));
    }
    Ok(spec)
}

/// What create, find and read report: `Ref` and `Fn::GetAtt Id` are the ARN.
fn output(arn: &str) -> ResourceOutput {
    output_of(arn, [("Id", json!(arn))])
}

fn sdk_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    let tag = |(k, v): (&String, &String)| Tag::builder().key(k).value(v).build();
    tags.iter().map(tag).collect()
}

fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    kit::tag_pairs(tags, |t| (t.key(), t.value()))
}

/// DescribeSecret of `id` (a name or ARN); `None` when there is none.
async fn describe(sm: &SecretsManager, ctx: Ctx<'_>, id: &str) -> R<Option<DescribeSecretOutput>> {
    let sent = sm.client.describe_secret().secret_id(id).send();
    let doing = format!("describing secret {id}");
    found(sm, ctx, doing, sent).await
}

/// The secret's name: the recorded `Name` (given or generated), else the ARN's
/// (`…:secret:NAME-AbCdEf`).
fn name_of(item: &ReadInput) -> String {
    let recorded = item.properties.get("Name").and_then(scalar_text);
    recorded.unwrap_or_else(|| {
        let tail = item.physical_id.rsplit_once(":secret:");
        let tail = tail.map_or("", |(_, t)| t);
        let name = tail.get(..tail.len().saturating_sub(7));
        name.unwrap_or_default().to_owned()
    })
}

#[derive(Debug)]
pub(crate) struct SecretProvider {
    pub(crate) sm: SecretsManager,
}

impl SecretProvider {
    /// PutSecretValue of `value` (a new version, labelled current), its errors scrubbed.
    async fn put_value(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        value: &Secret,
        token: Option<&str>,
    ) -> Result<(), ProviderError> {
        let request = self.sm.client.put_secret_value().secret_id(arn);
        let request = request.secret_string(value.text());
        let request = request.set_client_request_token(token.map(str::to_owned));
        let sent = send!(&self.sm, ctx, request, "storing the value");
        sent.map(|_| ()).map_err(|e| value.scrub(e))
    }

    /// Brings the description, key and tags of the secret `arn` from `before` to `after`.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        (before, old_tags): (&Spec, &BTreeMap<String, String>),
        (after, new_tags): (&Spec, &BTreeMap<String, String>),
    ) -> Result<(), ProviderError> {
        let (sm, client) = (&self.sm, &self.sm.client);
        let description = (before.description != after.description)
            .then(|| after.description.clone().unwrap_or_default());
        let key = after.kms_key_id.as_deref().unwrap_or(DEFAULT_KEY);
        let key = (before.kms_key_id != after.kms_key_id).then(|| key.to_owned());
        if description.is_some() || key.is_some() {
            let request = client.update_secret().secret_id(arn);
            let request = request.set_description(description).set_kms_key_id(key);
            send!(sm, ctx, request, "updating the secret")?;
        }
        let untag = |keys| async move {
            let request = client.untag_resource().secret_id(arn);
            let request = request.set_tag_keys(Some(keys));
            send!(sm, ctx, request, "untagging").map(|_| ())
        };
        let tag = |set| async move {
            let request = client.tag_resource().secret_id(arn);
            send!(sm, ctx, request.set_tags(Some(sdk_tags(&set))), "tagging").map(|_| ())
        };
        kit::retag(old_tags, new_tags, untag, tag).await
    }

    /// A create answered `ResourceExistsException`: the secret `name`, when it carries this
    /// resource's infra tags (an earlier attempt of this create made it), brought to `spec`.
    async fn adopt(
        &self,
        ctx: Ctx<'_>,
        (name, token): (&str, &str),
        (spec, value): (&Spec, Option<&Secret>),
        (tags, infra): (&BTreeMap<String, String>, &BTreeMap<String, String>),
    ) -> Result<String, ProviderError> {
        let doing = format!("creating secret {name}");
        let found = describe(&self.sm, ctx, name).await?;
        let found = found.filter(|d| d.deleted_date().is_none());
        let owned = found.filter(|d| owned_by(&tag_map(d.tags()), infra));
        let Some(found) = owned else {
            return Err(kit::not_ours(ctx, &doing, "a secret", "Name"));
        };
        let arn = found.arn().unwrap_or_default().to_owned();
        let versions = found.version_ids_to_stages();
        if let Some(value) = value.filter(|_| !versions.is_some_and(|v| v.contains_key(token))) {
            self.put_value(ctx, &arn, value, Some(token)).await?;
        }
        let key = |k: &str| spec.kms_key_id.clone().unwrap_or_else(|| k.to_owned());
        let seen = Spec {
            description: found.description().map(str::to_owned),
            kms_key_id: found.kms_key_id().map(key),
            ..Spec::default()
        };
        let found_tags = tag_map(found.tags());
        self.converge(ctx, &arn, (&seen, &found_tags), (spec, tags))
            .await?;
        Ok(arn)
    }
}

impl kit::Provider for SecretProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "ListSecrets filtered by name (10 names per call, pages followed), never a value",
        Find::Name,
        "DescribeSecret of the name, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "Name")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        // The given value, a generated one, or none (an empty secret).
        let value = match (&spec.secret_string, &spec.generate) {
            (Some(given), _) => Some(given.clone()),
            (None, Some(g)) => Some(generate(&self.sm, ctx, g).await?),
            (None, None) => None,
        };
        let scrub = |e: ProviderError| match &value {
            Some(v) => v.scrub(e),
            None => e,
        };
        let token = version_token(input.checkpoint.key(), &input.address);
        let request = self.sm.client.create_secret().name(&name);
        let sent = request
            .set_description(spec.description.clone())
            .set_kms_key_id(spec.kms_key_id.clone())
            .set_secret_string(value.as_ref().map(|v| v.text().to_owned()))
            .set_tags(Some(sdk_tags(&tags)))
            .client_request_token(&token)
            .send()
            .await;
        let doing = format!("creating secret {name}");
        let arn = match sent {
            Ok(out) => out.arn().map(str::to_owned),
            Err(e) => {
                let err = self.sm.err(e);
                if err.to_string().contains("scheduled for deletion") {
                    // Secrets Manager deletes in the background (or a recovery window runs).
                    let why = format!(
                        "{doing}: a secret of that name is scheduled for deletion; infra \
                         retries while it goes (restore or force-delete it if it was deleted \
                         with a recovery window)"
                    );
                    return Err(scrub(ctx.error(FailureClass::Retryable, why)));
                }
                if !has_code(&err, "ResourceExistsException") {
                    return Err(scrub(on_create(ctx.fail(&doing, err))));
                }
                let (wanted, tagged) = ((&spec, value.as_ref()), (&tags, &input.tags));
                let found = self.adopt(ctx, (&name, &token), wanted, tagged);
                Some(found.await.map_err(scrub)?)
            }
        };
        let arn = arn.ok_or_else(|| ctx.fatal(format!("{doing}: AWS returned no ARN")))?;
        Ok(output(&arn))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        // The last value is compared as the engine holds it (see `changed`), never parsed.
        let mut last = input.before.clone();
        let last_value = last.as_object_mut().and_then(|m| m.remove("SecretString"));
        let before = parse(&last, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = &input.physical_id;
        let old_tags = merge_tags(&before.tags, &input.tags);
        let new_tags = merge_tags(&after.tags, &input.tags);
        self.converge(ctx, arn, (&before, &old_tags), (&after, &new_tags))
            .await?;
        let value = match (&after.secret_string, &after.generate) {
            (Some(given), _) if changed(last_value.as_ref(), given) => Some(given.clone()),
            (None, Some(g)) if before.generate.as_ref() != Some(g) => {
                Some(generate(&self.sm, ctx, g).await?)
            }
            _ => None,
        };
        if let Some(value) = value {
            self.put_value(ctx, arn, &value, None).await?;
        }
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = &input.physical_id;
        let request = self.sm.client.delete_secret().secret_id(arn);
        let sent = request.force_delete_without_recovery(true).send();
        unless_gone(&self.sm, ctx, "deleting the secret", sent).await?;
        let gone = kit::poll(kit::PROPAGATION_TIMEOUT, || async {
            Ok(describe(&self.sm, ctx, arn).await?.is_none().then_some(()))
        });
        gone.await?.ok_or_else(|| {
            let secs = kit::PROPAGATION_TIMEOUT.as_secs();
            let why = format!("secret {arn} was still being deleted after {secs} s");
            ctx.error(FailureClass::Retryable, why)
        })
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let names: BTreeSet<String> = items.iter().map(name_of).collect();
        let names: Vec<String> = names.into_iter().collect();
        let list = |batch: Vec<String>| {
            let filter = Filter::builder().key(FilterNameStringType::Name);
            let filter = filter.set_values(Some(batch)).build();
            let sm = &self.sm;
            pages(move |token| {
                let request = sm.client.list_secrets().filters(filter.clone());
                let request = request.max_results(100).set_next_token(token);
                async move {
                    let page = send!(sm, ctx, request, "listing")?;
                    let next = page.next_token().map(str::to_owned);
                    Ok((page.secret_list().to_vec(), next))
                }
            })
        };
        let found = in_batches(&names, 10, list, SecretListEntry::arn).await?;
        Ok(kit::present_or_gone(items, |item| {
            let entry = found.get(&item.physical_id);
            let live = entry.filter(|e| e.deleted_date().is_none());
            live.map(|entry| observe(item, entry))
        }))
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "Name", ctx)?;
        let found = describe(&self.sm, ctx, &name).await?;
        let live = found.filter(|d| d.deleted_date().is_none());
        let ours = live.filter(|d| owned_by(&tag_map(d.tags()), &input.tags));
        Ok(ours.and_then(|d| d.arn().map(output)))
    }
}

/// One secret as the template writes it (the managed properties only; the value as last
/// applied).
fn observe(item: &ReadInput, entry: &SecretListEntry) -> Observation {
    let last = &item.properties;
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let key = entry.kms_key_id().map(|k| json!(k));
    let key = key.map(|k| prev("KmsKeyId").cloned().unwrap_or(k));
    let found = json!({
        "Name": entry.name(),
        "Description": entry.description(),
        "KmsKeyId": key,
        "Tags": observed_tags(&tag_map(entry.tags()), prev("Tags")),
        "SecretString": prev("SecretString"),
        "GenerateSecretString": prev("GenerateSecretString"),
    });
    Observation::Present {
        properties: observed(found, last),
        attributes: output(&item.physical_id).attributes,
    }
}
