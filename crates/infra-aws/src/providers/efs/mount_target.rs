//! `AWS::EFS::MountTarget`: CreateMountTarget (file system, subnet, security groups, addresses),
//! then a wait for LifeCycleState `available`; `SecurityGroups` change in place with
//! ModifyMountTargetSecurityGroups; every other property is create-only. DeleteMountTarget,
//! then a wait until it is gone (the file system's delete waits for that). Mount targets
//! cannot be tagged.
//!
//! `Ref` and `Fn::GetAtt Id` are the mount target id; `Fn::GetAtt IpAddress` its IPv4 address.
//! `IpAddressType` is write-only (DescribeMountTargets does not return it): reported as last
//! applied.
//!
//! Refresh is per file system: DescribeMountTargets takes a file system id (or one mount target
//! id), never a list, so the mount targets are read with one call per file system and page
//! (100 per page), matched by id; their security groups have no batch call
//! (DescribeMountTargetSecurityGroups per mount target).
//!
//! `find` looks a mount target up by its natural key: a file system has at most one mount
//! target per Availability Zone, so the one of the file system in the create's subnet is the
//! one an interrupted create made. A create sent again is answered `MountTargetConflict`, and
//! that mount target is used when it is in the same subnet.
//!
//! The keys (the attribute refused), CreateMountTarget's request and what DescribeMountTargets
//! returns reported back are conversions generated from the schema (`scripts/generate-mappings`,
//! `crates/infra-aws/mappings/efs.toml`); the security groups and `IpAddressType` are reported
//! by hand.

use std::collections::BTreeSet;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_efs::operation::create_mount_target::CreateMountTargetInput;
use aws_sdk_efs::operation::create_mount_target::builders::CreateMountTargetInputBuilder;
use aws_sdk_efs::types::{LifeCycleState, MountTargetDescription};

use super::shared::{Efs, classed, pages, read_per_file_system, wait_for};
use crate::generated::efs::{MOUNT_TARGET, create_mount_target, report_mount_target_description};

pub(crate) const TYPE: &str = "AWS::EFS::MountTarget";

/// CreateMountTarget's request, read from the template's properties.
pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> R<CreateMountTargetInputBuilder> {
    let p = Props::root(value, ctx, MOUNT_TARGET)?;
    create_mount_target(&p, CreateMountTargetInput::builder())
}

/// The file system and subnet of a request (both required, so read).
pub(super) fn natural_key(spec: &CreateMountTargetInputBuilder) -> (&str, &str) {
    let fs = spec.get_file_system_id().as_deref().unwrap_or_default();
    (fs, spec.get_subnet_id().as_deref().unwrap_or_default())
}

fn output(mt: &MountTargetDescription) -> ResourceOutput {
    let (id, ip) = (mt.mount_target_id(), json!(mt.ip_address()));
    output_of(id, [("Id", json!(id)), ("IpAddress", ip)])
}

/// DescribeMountTargets of a file system (`by_fs`) or of one mount target, pages followed;
/// empty when the file system or mount target does not exist.
async fn describe(
    efs: &Efs,
    ctx: Ctx<'_>,
    by_fs: bool,
    id: &str,
) -> Result<Vec<MountTargetDescription>, ProviderError> {
    let doing = "describing mount targets";
    let all = pages(efs, ctx, doing, |marker| async move {
        let request = efs.client.describe_mount_targets().set_marker(marker);
        let request = request.set_file_system_id(by_fs.then(|| id.to_owned()));
        let request = request.set_mount_target_id((!by_fs).then(|| id.to_owned()));
        let page = request.max_items(100).send().await?;
        let next = page.next_marker().map(str::to_owned);
        Ok((page.mount_targets().to_vec(), next))
    })
    .await?;
    let live = |m: &MountTargetDescription| m.life_cycle_state() != &LifeCycleState::Deleted;
    Ok(all.into_iter().filter(live).collect())
}

#[derive(Debug)]
pub(crate) struct MountTargetProvider {
    pub(crate) efs: Efs,
}

impl MountTargetProvider {
    async fn one(&self, ctx: Ctx<'_>, id: &str) -> R<Option<MountTargetDescription>> {
        let found = describe(&self.efs, ctx, false, id).await?;
        Ok(found.into_iter().next())
    }

    async fn wait(&self, ctx: Ctx<'_>, id: &str, gone: bool) -> Result<(), ProviderError> {
        wait_for(ctx, &format!("mount target {id}"), gone, || async {
            let found = self.one(ctx, id).await?;
            Ok(found.map(|m| m.life_cycle_state().clone()))
        })
        .await
    }

    /// The file system's mount target in the create's subnet (the natural key), if any.
    async fn in_subnet(
        &self,
        ctx: Ctx<'_>,
        spec: &CreateMountTargetInputBuilder,
    ) -> Result<Option<MountTargetDescription>, ProviderError> {
        let (fs, subnet) = natural_key(spec);
        let all = describe(&self.efs, ctx, true, fs).await?;
        Ok(all.into_iter().find(|m| m.subnet_id() == subnet))
    }
}

impl kit::Provider for MountTargetProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "DescribeMountTargets per file system (100 per page, pages followed); DescribeMountTargetSecurityGroups per mount target",
        Find::NaturalKey,
        "DescribeMountTargets of the file system, the one in the create's subnet (one per Availability Zone)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let sent = spec.clone().send_with(&self.efs.client).await;
        let id = match sent {
            Ok(made) => made.mount_target_id().to_owned(),
            Err(e) => {
                let err = self.efs.err(e);
                // One mount target per Availability Zone: an earlier attempt's, in this subnet,
                // is this one; another subnet's is not ours to take.
                let earlier = match has_code(&err, "MountTargetConflict") {
                    true => self.in_subnet(ctx, &spec).await?,
                    false => None,
                };
                let (fs, subnet) = natural_key(&spec);
                let doing = format!("creating a mount target of {fs} in {subnet}");
                let earlier = earlier.ok_or_else(|| on_create(classed(ctx, doing, &err)))?;
                earlier.mount_target_id().to_owned()
            }
        };
        self.wait(ctx, &id, false).await?;
        let gone = || ctx.error(FailureClass::NotFound, format!("mount target {id} is gone"));
        let found = self.one(ctx, &id).await?;
        found.as_ref().map(output).ok_or_else(gone)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let groups = |v: &Value| -> Result<_, ProviderError> {
            let groups = parse(v, ctx)?.get_security_groups().clone();
            Ok(groups.unwrap_or_default())
        };
        let (before, after) = (groups(&input.before)?, groups(&input.after)?);
        if before.iter().collect::<BTreeSet<_>>() != after.iter().collect::<BTreeSet<_>>() {
            let request = self.efs.client.modify_mount_target_security_groups();
            let request = request.mount_target_id(&input.physical_id);
            let request = request.set_security_groups(Some(after));
            send!(&self.efs, ctx, request, "changing groups")?;
        }
        Ok(unchanged(input))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = &input.physical_id;
        let sent = self.efs.client.delete_mount_target().mount_target_id(id);
        let doing = "deleting the mount target";
        unless_gone(&self.efs, ctx, doing, sent.send()).await?;
        self.wait(ctx, id, true).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let list = |efs: Efs, fs: String| async move {
            describe(&efs, Ctx::new(TYPE, &fs), true, &fs).await
        };
        let seen = |efs: Efs, item: ReadInput, m: MountTargetDescription| async move {
            observe(&efs, &item, &m).await
        };
        read_per_file_system(&self.efs, items, list, |m| Some(m.mount_target_id()), seen).await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse(&input.properties, ctx)?;
        Ok(self.in_subnet(ctx, &spec).await?.as_ref().map(output))
    }
}

/// One mount target as the template writes it (the managed properties only); its security
/// groups are read with DescribeMountTargetSecurityGroups (no batch call).
async fn observe(efs: &Efs, item: &ReadInput, mt: &MountTargetDescription) -> R<Observation> {
    let ctx = Ctx::new(TYPE, &item.address);
    let id = mt.mount_target_id();
    let request = efs.client.describe_mount_target_security_groups();
    let groups = send!(efs, ctx, request.mount_target_id(id), "reading groups")?;
    let last = &item.properties;
    let mut found = report_mount_target_description(mt);
    let groups = groups.security_groups().to_vec();
    found["SecurityGroups"] = observed_set(groups, last.get("SecurityGroups"));
    // Write-only: DescribeMountTargets does not return it.
    found["IpAddressType"] = last.get("IpAddressType").cloned().unwrap_or_default();
    Ok(Observation::Present {
        properties: observed(found, last),
        attributes: output(mt).attributes,
    })
}
