//! `AWS::EFS::FileSystem`.
//!
//! | property | create | update |
//! |---|---|---|
//! | `PerformanceMode`, `Encrypted`, `KmsKeyId`, `AvailabilityZoneName` | CreateFileSystem | create-only (replacement) |
//! | `ThroughputMode`, `ProvisionedThroughputInMibps` | CreateFileSystem | UpdateFileSystem, then wait for `available` |
//! | `BackupPolicy` | CreateFileSystem `Backup` | PutBackupPolicy (removed: `DISABLED`) |
//! | `LifecyclePolicies` | PutLifecycleConfiguration | PutLifecycleConfiguration (removed: none) |
//! | `FileSystemPolicy` (compared as a document), `BypassPolicyLockoutSafetyCheck` | PutFileSystemPolicy | PutFileSystemPolicy / DeleteFileSystemPolicy |
//! | `FileSystemProtection` | UpdateFileSystemProtection | UpdateFileSystemProtection (removed: `ENABLED`, the default) |
//! | `FileSystemTags` (a `Name` tag is the name EFS shows) | CreateFileSystem, with infra's tags | TagResource / UntagResource |
//! | `ReplicationConfiguration` | refused (`mappings/efs.toml`) | |
//!
//! `Ref` is the file system id; `Fn::GetAtt Arn` and `FileSystemId`.
//!
//! The create sends a `CreationToken` derived from the create's checkpoint key
//! ([`create_token`]): a create sent again is answered `FileSystemAlreadyExists`, and the file
//! system the first one made is used; `find` looks it up with DescribeFileSystems by that
//! token. The create waits for LifeCycleState `available` (polling, the slot lent).
//! DeleteFileSystem fails with `FileSystemInUse` while mount targets exist, a dependency
//! violation the engine retries; then the delete waits until the file system is gone.
//!
//! Refresh: DescribeFileSystems without a filter, pages of 100 followed (one call per page for
//! every file system of the type), matched by id; the lifecycle configuration, backup policy and
//! file system policy have no batch call and are read per file system, only when managed.
//! `KmsKeyId` is reported as last applied while the file system is encrypted with some key:
//! EFS answers the key's ARN for an id or alias.
//!
//! The keys (refusals included), CreateFileSystem's request, the lifecycle policies and what
//! DescribeFileSystems returns, read and reported, are conversions generated from the schema
//! (`scripts/generate-mappings`, `crates/infra-aws/mappings/efs.toml`); the backup policy, the
//! file system policy, the protection and the tags are read by hand.

use std::collections::{BTreeMap, HashMap};

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_efs::operation::create_file_system::CreateFileSystemInput;
use aws_sdk_efs::operation::create_file_system::builders::CreateFileSystemInputBuilder;
use aws_sdk_efs::types::{
    BackupPolicy, FileSystemDescription, LifeCycleState, LifecyclePolicy, Status, Tag,
    ThroughputMode,
};

use super::shared::{Efs, classed, create_token, pages, retag, tag_map, wait_for};
use crate::generated::efs::{
    BACKUP_POLICY, FILE_SYSTEM, FILE_SYSTEM_PROTECTION, LIFECYCLE_POLICY, create_file_system,
    lifecycle_policy, report_file_system_description, report_lifecycle_policy,
};
use crate::providers::kit::convert::each;

pub(crate) const TYPE: &str = "AWS::EFS::FileSystem";

/// The file system as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateFileSystem's request, without its token, backup flag and tags.
    pub(super) create: CreateFileSystemInputBuilder,
    pub(super) backup: Option<String>,
    /// `None`: not managed.
    pub(super) lifecycle: Option<Vec<LifecyclePolicy>>,
    pub(super) policy: Option<Value>,
    pub(super) bypass: bool,
    pub(super) protection: Option<String>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, FILE_SYSTEM)?;
    let status = |key: &str, keys: Keys, field: &str| -> Result<Option<String>, ProviderError> {
        let field = p.obj(key, keys)?.map(|o| o.str(field)).transpose()?;
        Ok(field.flatten())
    };
    let lifecycle = each(&p, "LifecyclePolicies", LIFECYCLE_POLICY, lifecycle_policy)?;
    let overwrite = "ReplicationOverwriteProtection";
    Ok(Spec {
        create: create_file_system(&p, CreateFileSystemInput::builder())?,
        backup: status("BackupPolicy", BACKUP_POLICY, "Status")?,
        lifecycle,
        policy: p.document("FileSystemPolicy")?,
        bypass: p.bool("BypassPolicyLockoutSafetyCheck")?.unwrap_or(false),
        protection: status("FileSystemProtection", FILE_SYSTEM_PROTECTION, overwrite)?,
        tags: p.tags("FileSystemTags")?,
    })
}

#[derive(Debug)]
pub(crate) struct FileSystemProvider {
    pub(crate) efs: Efs,
}

fn output(fs: &FileSystemDescription) -> ResourceOutput {
    let (id, arn) = (fs.file_system_id(), fs.file_system_arn());
    output_of(id, [("Arn", json!(arn)), ("FileSystemId", json!(id))])
}

/// DescribeFileSystems, pages followed: one file system by id (none when it does not exist),
/// those of a creation token, or every one.
async fn describe(
    efs: &Efs,
    ctx: Ctx<'_>,
    id: Option<&str>,
    token: Option<&str>,
) -> Result<Vec<FileSystemDescription>, ProviderError> {
    let doing = "describing file systems";
    pages(efs, ctx, doing, |marker| async move {
        let request = efs.client.describe_file_systems().max_items(100);
        let page = request
            .set_marker(marker)
            .set_file_system_id(id.map(str::to_owned))
            .set_creation_token(token.map(str::to_owned))
            .send()
            .await?;
        let next = page.next_marker().map(str::to_owned);
        Ok((page.file_systems().to_vec(), next))
    })
    .await
}

impl FileSystemProvider {
    async fn wait(&self, ctx: Ctx<'_>, id: &str, gone: bool) -> Result<(), ProviderError> {
        wait_for(ctx, &format!("file system {id}"), gone, || async {
            let found = describe(&self.efs, ctx, Some(id), None).await?;
            Ok(found.first().map(|fs| fs.life_cycle_state().clone()))
        })
        .await
    }

    /// Brings the file system `id` from `before` to `after`, tags from `tags` to `new_tags`.
    async fn converge(
        &self,
        ctx: Ctx<'_>,
        id: &str,
        (before, tags): (&Spec, &BTreeMap<String, String>),
        (after, new_tags): (&Spec, &BTreeMap<String, String>),
    ) -> Result<(), ProviderError> {
        let (efs, client) = (&self.efs, &self.efs.client);
        let throughput = |s: &Spec| {
            let mibps = *s.create.get_provisioned_throughput_in_mibps();
            (s.create.get_throughput_mode().clone(), mibps)
        };
        if throughput(before) != throughput(after) {
            let (mode, provisioned) = throughput(after);
            let mode = mode.unwrap_or(ThroughputMode::Bursting);
            let provisioned = provisioned.filter(|_| mode == ThroughputMode::Provisioned);
            let request = client.update_file_system().file_system_id(id);
            let request = request.throughput_mode(mode);
            let request = request.set_provisioned_throughput_in_mibps(provisioned);
            send!(efs, ctx, request, "changing the throughput")?;
            self.wait(ctx, id, false).await?;
        }
        if before.lifecycle != after.lifecycle {
            let policies = after.lifecycle.clone().unwrap_or_default();
            let request = client.put_lifecycle_configuration().file_system_id(id);
            let request = request.set_lifecycle_policies(Some(policies));
            send!(efs, ctx, request, "setting lifecycle")?;
        }
        if before.backup != after.backup {
            let status = Status::from(after.backup.as_deref().unwrap_or("DISABLED"));
            let policy = BackupPolicy::builder().status(status).build();
            let policy = policy.map_err(|e| ctx.fatal(format!("BackupPolicy: {e}")))?;
            let request = client.put_backup_policy().file_system_id(id);
            let request = request.backup_policy(policy);
            send!(efs, ctx, request, "setting the backup policy")?;
        }
        let same_policy = match (&before.policy, &after.policy) {
            (Some(a), Some(b)) => same_document(a, b) && before.bypass == after.bypass,
            (a, b) => a.is_none() && b.is_none(),
        };
        match &after.policy {
            _ if same_policy => {}
            Some(doc) => {
                let request = client.put_file_system_policy().file_system_id(id);
                let request = request.policy(compact(doc));
                let request = request.bypass_policy_lockout_safety_check(after.bypass);
                send!(efs, ctx, request, "setting the policy")?;
            }
            None => {
                let sent = client.delete_file_system_policy().file_system_id(id).send();
                let doing = "removing the policy";
                unless_gone(efs, ctx, doing, sent).await?;
            }
        }
        if before.protection != after.protection {
            let value = after.protection.as_deref().unwrap_or("ENABLED");
            let request = client.update_file_system_protection().file_system_id(id);
            let request = request.replication_overwrite_protection(value.into());
            send!(efs, ctx, request, "setting protection")?;
        }
        retag(efs, ctx, id, tags, new_tags).await
    }
}

impl kit::Provider for FileSystemProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeFileSystems (100 per page, pages followed); lifecycle, backup and file system policies per file system when managed",
        Find::NaturalKey,
        "DescribeFileSystems by the CreationToken derived from the create's checkpoint key",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let key = input.checkpoint.key();
        let token = create_token(key, &input.address, &input.tags, &input.properties);
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.create.clone().creation_token(&token);
        let sent = request
            .set_backup(spec.backup.as_deref().map(|s| s == "ENABLED"))
            .set_tags(Some(kit::sdk_tags!(Tag, ctx, tags)?))
            .send_with(&self.efs.client)
            .await;
        let id = match sent {
            Ok(made) => made.file_system_id().to_owned(),
            Err(e) => {
                let err = self.efs.err(e);
                let doing = "creating the file system";
                if !has_code(&err, "FileSystemAlreadyExists") {
                    return Err(on_create(classed(ctx, doing, &err)));
                }
                // The token is this create's own: an earlier attempt made this file system.
                let found = describe(&self.efs, ctx, None, Some(&token)).await?;
                let fs = found.first().ok_or_else(|| classed(ctx, doing, &err))?;
                fs.file_system_id().to_owned()
            }
        };
        self.wait(ctx, &id, false).await?;
        let before = Spec {
            lifecycle: None,
            policy: None,
            protection: None,
            ..spec.clone()
        };
        self.converge(ctx, &id, (&before, &tags), (&spec, &tags))
            .await?;
        let found = describe(&self.efs, ctx, Some(&id), None).await?;
        let gone = || ctx.error(FailureClass::NotFound, format!("file system {id} is gone"));
        Ok(output(found.first().ok_or_else(gone)?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let tags = |spec: &Spec| merge_tags(&spec.tags, &input.tags);
        let (id, old_tags, new_tags) = (&input.physical_id, tags(&before), tags(&after));
        self.converge(ctx, id, (&before, &old_tags), (&after, &new_tags))
            .await?;
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = &input.physical_id;
        let sent = self.efs.client.delete_file_system().file_system_id(id);
        let doing = "deleting the file system";
        unless_gone(&self.efs, ctx, doing, sent.send()).await?;
        self.wait(ctx, id, true).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let all = describe(&self.efs, ctx, None, None).await?;
        let live = all.into_iter().filter(|fs| !deleted(fs));
        let by_id = |fs: FileSystemDescription| (fs.file_system_id().to_owned(), fs);
        let all: HashMap<_, _> = live.map(by_id).collect();
        kit::read_found(&self.efs, items, |efs, item| {
            let fs = all.get(&item.physical_id).cloned();
            async move {
                let Some(fs) = fs else { return Ok(None) };
                observe(&efs, &item, &fs).await.map(Some)
            }
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let key = input.checkpoint.key();
        let token = create_token(key, &input.address, &input.tags, &input.properties);
        let found = describe(&self.efs, ctx, None, Some(&token)).await?;
        Ok(found.iter().find(|fs| !deleted(fs)).map(output))
    }
}

/// Whether the file system is deleted (DescribeFileSystems lists it a while longer).
fn deleted(fs: &FileSystemDescription) -> bool {
    fs.life_cycle_state() == &LifeCycleState::Deleted
}

/// What refresh sees of one file system: the managed properties as the template writes them.
/// The lifecycle configuration, backup policy and file system policy are read only when
/// managed (no batch call has them).
async fn observe(efs: &Efs, item: &ReadInput, fs: &FileSystemDescription) -> R<Observation> {
    let ctx = Ctx::new(TYPE, &item.address);
    let last = &item.properties;
    let managed = |k: &str| last.get(k).is_some_and(|v| !v.is_null());
    let id = fs.file_system_id();
    let client = &efs.client;
    let mut found = report_file_system_description(fs);
    if managed("LifecyclePolicies") {
        let request = client.describe_lifecycle_configuration().file_system_id(id);
        let out = send!(efs, ctx, request, "reading lifecycle")?;
        let policies = out.lifecycle_policies().iter().map(report_lifecycle_policy);
        found["LifecyclePolicies"] = Value::Array(policies.collect());
    }
    if managed("BackupPolicy") {
        // No backup policy (`PolicyNotFound`) is automatic backups off.
        let request = client.describe_backup_policy().file_system_id(id);
        let out = answered!(efs, ctx, request, "reading the backup policy", is_not_found)?;
        let policy = out.as_ref().and_then(|out| out.backup_policy());
        let status = policy.map_or("DISABLED", |b| b.status().as_str());
        found["BackupPolicy"] = json!({"Status": status});
    }
    if managed("FileSystemPolicy") {
        let request = client.describe_file_system_policy().file_system_id(id);
        let out = answered!(efs, ctx, request, "reading the policy", is_not_found)?;
        let text = out.as_ref().and_then(|out| out.policy());
        let policy = text.map(|t| observed_document(t, false, last.get("FileSystemPolicy")));
        found["FileSystemPolicy"] = json!(policy);
    }
    // EFS answers a key's ARN for the id or alias a template gives: the key as last applied.
    let kms = |k: &str| last.get("KmsKeyId").cloned().unwrap_or_else(|| json!(k));
    let kms = fs.kms_key_id().map(kms);
    found["KmsKeyId"] = json!(kms);
    found["FileSystemTags"] = observed_tags(&tag_map(fs.tags()), last.get("FileSystemTags"));
    found["BypassPolicyLockoutSafetyCheck"] = json!(last.get("BypassPolicyLockoutSafetyCheck"));
    Ok(Observation::Present {
        properties: observed(found, last),
        attributes: output(fs).attributes,
    })
}
