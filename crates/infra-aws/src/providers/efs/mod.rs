//! Amazon EFS: `AWS::EFS::FileSystem` ([`file_system`]), `AWS::EFS::MountTarget`
//! ([`mount_target`]) and `AWS::EFS::AccessPoint` ([`access_point`]), on one EFS client and
//! the family's [`shared`] pieces (error classes, idempotency tokens, tags, waits).
//!
//! How each is refreshed and found:
//! - file systems: DescribeFileSystems, every file system per page (batched), found by the
//!   `CreationToken` derived from the create's checkpoint key;
//! - mount targets: DescribeMountTargets per file system (the API takes one file system or one
//!   mount target, never a list), found by their natural key, file system and subnet (one mount
//!   target per Availability Zone; mount targets have no tags);
//! - access points: DescribeAccessPoints per file system, found by `ClientToken` and infra tags.

use aws_config::SdkConfig;

use crate::config::endpoint_for;
use crate::provider::Providers;
use crate::providers::kit::prelude::*;

pub(crate) mod access_point;
pub(crate) mod file_system;
pub(crate) mod mount_target;
pub(crate) mod shared;

#[cfg(test)]
mod tests;

/// Registers this family's providers, with clients built from `config`.
pub(crate) fn register(providers: &mut Providers, config: &SdkConfig) {
    let endpoint = endpoint_for(config, "elasticfilesystem", None);
    let client = aws_sdk_efs::Client::new(config);
    let efs = shared::Efs::new(client, "elasticfilesystem", endpoint);
    let file_systems = file_system::FileSystemProvider { efs: efs.clone() };
    providers.insert(kit::native(file_systems));
    let mount_targets = mount_target::MountTargetProvider { efs: efs.clone() };
    providers.insert(kit::native(mount_targets));
    providers.insert(kit::native(access_point::AccessPointProvider { efs }));
}
