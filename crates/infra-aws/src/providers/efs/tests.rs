//! Unit tests of the EFS providers: property parsing and refusals, tokens, observed values.

use std::collections::BTreeMap;

use aws_sdk_efs::types::{AccessPointDescription, CreationInfo};
use serde_json::json;

use super::shared::create_token;
use super::{access_point, file_system, mount_target};
use crate::provider::{Observation, ProviderError};
use crate::providers::kit::Ctx;
use crate::providers::kit::{as_written, observed};

#[test]
fn tokens_are_stable_per_key_and_fit_efs() {
    let tags = BTreeMap::new();
    let a = create_token("lineage/App.Fs/1", "App.Fs", &tags, &json!({}));
    assert_eq!(a, create_token("lineage/App.Fs/1", "x", &tags, &json!(1)));
    assert_ne!(
        a,
        create_token("lineage/App.Fs/2", "App.Fs", &tags, &json!({}))
    );
    assert!(a.len() <= 64 && a.starts_with("infra-"), "{a}");
    let b = create_token("", "App.Fs", &tags, &json!({"A": 1}));
    assert_ne!(b, create_token("", "App.Fs", &tags, &json!({"A": 2})));
}

#[test]
fn values_written_as_text_or_numbers_say_the_same() {
    let prev = json!({"Uid": "1000", "Gids": [1, "2"], "On": "true"});
    let found = json!({"Uid": 1000, "Gids": ["1", 2], "On": true});
    assert_eq!(as_written(found, Some(&prev)), prev);
    let other = json!({"Uid": 1001, "Gids": ["1", 2], "On": true});
    assert_eq!(as_written(other.clone(), Some(&prev)), other);
    // Only the managed keys are reported, without nulls.
    let last = json!({"A": 64, "B": {"C": "x"}});
    let seen = observed(
        json!({"A": 64.0, "B": {"C": "y", "D": null}, "E": 1}),
        &last,
    );
    assert_eq!(seen, json!({"A": 64.0, "B": {"C": "y"}}));
}

#[test]
fn file_system_properties_are_read_and_replication_is_refused() -> Result<(), ProviderError> {
    let ctx = Ctx::new(file_system::TYPE, "App.Fs");
    let spec = file_system::parse(
        &json!({"ThroughputMode": "provisioned", "ProvisionedThroughputInMibps": "64",
            "BackupPolicy": {"Status": "ENABLED"},
            "LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"},
                {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}],
            "FileSystemPolicy": "{\"Version\": \"2012-10-17\", \"Statement\": []}",
            "FileSystemTags": [{"Key": "Name", "Value": "shared"}]}),
        ctx,
    )?;
    assert_eq!(
        spec.create.get_provisioned_throughput_in_mibps(),
        &Some(64.0)
    );
    assert_eq!(spec.backup.as_deref(), Some("ENABLED"));
    let lifecycle = spec.lifecycle.unwrap_or_default();
    let ia = lifecycle[0].transition_to_ia().map(|t| t.as_str());
    assert_eq!(ia, Some("AFTER_30_DAYS"));
    let back = lifecycle[1].transition_to_primary_storage_class();
    assert_eq!(back.map(|t| t.as_str()), Some("AFTER_1_ACCESS"));
    let version = spec.policy.and_then(|p| p.get("Version").cloned());
    assert_eq!(version, Some(json!("2012-10-17")));
    assert_eq!(spec.tags, [("Name".to_owned(), "shared".to_owned())]);
    let refused = json!({"ReplicationConfiguration": {"Destinations": []}});
    let err = file_system::parse(&refused, ctx).expect_err("refused");
    assert!(
        err.message
            .contains("ReplicationConfiguration is not supported"),
        "{err}"
    );
    let err = file_system::parse(&json!({"FileSystemId": "fs-1"}), ctx).expect_err("attribute");
    assert!(
        err.message
            .contains("FileSystemId is not supported: it is an attribute"),
        "{err}"
    );
    let misspelt = json!({"LifecyclePolicies": [{"TransitionToIa": "AFTER_30_DAYS"}]});
    let err = file_system::parse(&misspelt, ctx).expect_err("misspelt");
    assert!(
        err.message
            .contains("LifecyclePolicies[0] has no key TransitionToIa"),
        "{err}"
    );
    assert_eq!(
        crate::providers::refused_properties(file_system::TYPE),
        ["ReplicationConfiguration"]
    );
    Ok(())
}

#[test]
fn mount_targets_need_their_natural_key_and_groups() -> Result<(), ProviderError> {
    let ctx = Ctx::new(mount_target::TYPE, "App.Mt");
    let spec = mount_target::parse(
        &json!({"FileSystemId": "fs-1", "SubnetId": "subnet-1", "SecurityGroups": ["sg-1"]}),
        ctx,
    )?;
    assert_eq!(mount_target::natural_key(&spec), ("fs-1", "subnet-1"));
    let groups = spec.get_security_groups().as_deref();
    assert_eq!(groups, Some(&["sg-1".to_owned()][..]));
    let err = mount_target::parse(&json!({"FileSystemId": "fs-1", "SubnetId": "s"}), ctx)
        .expect_err("groups");
    assert!(
        err.message.contains("property SecurityGroups is required"),
        "{err}"
    );
    let with_id = json!({"FileSystemId": "f", "SubnetId": "s", "SecurityGroups": [], "Id": "x"});
    let err = mount_target::parse(&with_id, ctx).expect_err("attribute");
    assert!(
        err.message
            .contains("Id is not supported: it is an attribute"),
        "{err}"
    );
    Ok(())
}

#[test]
fn access_point_posix_user_and_root_directory_are_read() -> Result<(), ProviderError> {
    let ctx = Ctx::new(access_point::TYPE, "App.Ap");
    let spec = access_point::parse(
        &json!({"FileSystemId": "fs-1",
            "PosixUser": {"Uid": "1000", "Gid": 1000, "SecondaryGids": ["5"]},
            "RootDirectory": {"Path": "/data", "CreationInfo":
                {"OwnerUid": 1000, "OwnerGid": "1000", "Permissions": "755"}}}),
        ctx,
    )?;
    let posix = spec
        .create
        .get_posix_user()
        .clone()
        .ok_or_else(|| ProviderError::fatal("no PosixUser"))?;
    assert_eq!(
        (posix.uid(), posix.gid(), posix.secondary_gids()),
        (1000, 1000, &[5][..])
    );
    let root = spec
        .create
        .get_root_directory()
        .clone()
        .ok_or_else(|| ProviderError::fatal("no RootDirectory"))?;
    assert_eq!(root.path(), Some("/data"));
    assert_eq!(
        root.creation_info().map(CreationInfo::permissions),
        Some("755")
    );
    let no_gid = json!({"FileSystemId": "fs-1", "PosixUser": {"Uid": 1}});
    let err = access_point::parse(&no_gid, ctx).expect_err("gid");
    assert!(err.message.contains("PosixUser.Gid is required"), "{err}");
    // Refresh reports the user as the template wrote it, numbers or strings alike.
    let last = json!({"PosixUser": {"Uid": 1000, "Gid": "1000", "SecondaryGids": ["5"]}});
    let seen = access_point::observe(
        &last,
        &AccessPointDescription::builder().posix_user(posix).build(),
    );
    let Observation::Present { properties, .. } = seen else {
        return Err(ProviderError::fatal("not present"));
    };
    assert_eq!(properties, last);
    Ok(())
}

#[test]
fn efs_codes_are_classed_for_the_engine() {
    let error = |code: &str, message: &str| crate::error::AwsError::Service {
        service: "elasticfilesystem".into(),
        operation: "Op".into(),
        code: code.into(),
        message: message.into(),
        request_id: None,
    };
    let ctx = Ctx::new(file_system::TYPE, "App.Fs");
    let class = |code, message| super::shared::classed(ctx, "x", &error(code, message)).class;
    use crate::provider::FailureClass::*;
    assert_eq!(
        class("FileSystemInUse", "has mount targets"),
        DependencyViolation
    );
    assert_eq!(class("IncorrectFileSystemLifeCycleState", ""), Retryable);
    let principal = "Policy contains invalid Principal block";
    assert_eq!(
        class("InvalidPolicyException", principal),
        EventuallyConsistent
    );
    assert_eq!(class("InvalidPolicyException", "Syntax"), Fatal);
    assert_eq!(class("FileSystemNotFound", ""), NotFound);
}

#[test]
fn outputs_carry_the_id_and_attributes() {
    let out =
        crate::providers::kit::output_of("fs-1", [("Arn", json!("arn:fs")), ("Id", json!("fs-1"))]);
    assert_eq!(out.physical_id, "fs-1");
    assert_eq!(
        out.attributes,
        BTreeMap::from([
            ("Arn".to_owned(), json!("arn:fs")),
            ("Id".to_owned(), json!("fs-1"))
        ])
    );
}
