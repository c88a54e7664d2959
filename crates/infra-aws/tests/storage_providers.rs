//! The EFS and ECR providers against the AWS API emulator (moto server with the fidelity fixes
//! of `emulator/fidelity.py`; `scripts/setup-emulator`): create → read → update → find →
//! delete → read for `AWS::EFS::FileSystem`, `AWS::EFS::MountTarget`, `AWS::EFS::AccessPoint`
//! and `AWS::ECR::Repository`, every check made through the service's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;

use infra_aws::provider::{FailureClass, Observation, ResourceOutput};
use provider_harness::{Harness, Made, emulator_config, generated};
use serde_json::{Value, json};

const FS: &str = "AWS::EFS::FileSystem";
const MT: &str = "AWS::EFS::MountTarget";
const AP: &str = "AWS::EFS::AccessPoint";
const REPO: &str = "AWS::ECR::Repository";

struct Env {
    harness: Harness,
    efs: aws_sdk_efs::Client,
    ecr: aws_sdk_ecr::Client,
    ec2: aws_sdk_ec2::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Env {
    /// Every create gets a generated name, lowercased; `find` is given a repository's name.
    async fn new(stack: &str) -> Env {
        let config = emulator_config().await;
        let harness = Harness::new(&config, stack)
            .naming(|stack, address, _| Some(generated(stack, address).to_lowercase()))
            .found_by(|made| Some(made.id().to_owned()).filter(|_| made.type_name == REPO));
        Env {
            harness,
            efs: aws_sdk_efs::Client::new(&config),
            ecr: aws_sdk_ecr::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
        }
    }

    /// A VPC with one subnet and two security groups, made directly as a fixture.
    async fn network(&self, cidr: &str) -> (String, String, String) {
        let vpc = self
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .send()
            .await
            .expect("vpc");
        let vpc = vpc
            .vpc()
            .and_then(|v| v.vpc_id())
            .expect("vpc id")
            .to_owned();
        let block = cidr.replace(".0.0/16", ".1.0/24");
        let subnet = self
            .ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(block)
            .send()
            .await
            .expect("subnet");
        let subnet = subnet
            .subnet()
            .and_then(|s| s.subnet_id())
            .expect("subnet id")
            .to_owned();
        let mut groups = Vec::new();
        for name in ["a", "b"] {
            let made = self
                .ec2
                .create_security_group()
                .group_name(format!("{}-{name}", self.stack))
                .description("nfs")
                .vpc_id(&vpc)
                .send()
                .await
                .expect("group");
            groups.push(made.group_id().expect("group id").to_owned());
        }
        (subnet, groups[0].clone(), groups[1].clone())
    }
}

fn policy(action: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "*"}, "Action": action, "Resource": "*"}]})
}

#[tokio::test(flavor = "multi_thread")]
async fn file_system_is_created_read_updated_found_and_deleted() {
    let env = Env::new("efs-fs").await;
    let props = json!({
        "PerformanceMode": "generalPurpose",
        "Encrypted": true,
        "ThroughputMode": "bursting",
        "BackupPolicy": {"Status": "ENABLED"},
        "LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"}],
        "FileSystemPolicy": policy("elasticfilesystem:ClientMount"),
        "FileSystemTags": [{"Key": "Name", "Value": "shared"}],
    });
    let fs = env.create("App.Fs", FS, props).await;
    assert!(fs.id().starts_with("fs-"), "{fs:?}");
    assert_eq!(fs.out.attributes["FileSystemId"], json!(fs.id()));
    assert!(
        fs.out.attributes["Arn"]
            .as_str()
            .is_some_and(|a| a.ends_with(fs.id()))
    );

    // Checked through EFS itself.
    let described = env
        .efs
        .describe_file_systems()
        .file_system_id(fs.id())
        .send()
        .await
        .expect("describe");
    let d = &described.file_systems()[0];
    assert_eq!(d.name(), Some("shared"));
    assert_eq!(d.encrypted(), Some(true));
    let tags: BTreeMap<_, _> = d.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(tags.get("infra:address"), Some(&"App.Fs"));
    let lifecycle = env
        .efs
        .describe_lifecycle_configuration()
        .file_system_id(fs.id())
        .send()
        .await
        .expect("lc");
    let ia = lifecycle.lifecycle_policies()[0]
        .transition_to_ia()
        .map(|t| t.as_str().to_owned());
    assert_eq!(ia.as_deref(), Some("AFTER_30_DAYS"));
    let backup = env
        .efs
        .describe_backup_policy()
        .file_system_id(fs.id())
        .send()
        .await
        .expect("backup");
    assert_eq!(
        backup.backup_policy().map(|b| b.status().as_str()),
        Some("ENABLED")
    );
    env.assert_present(&fs).await;

    // A create sent again (same checkpoint key, so the same CreationToken) is the same file
    // system, and find looks it up by that token.
    let again = env.create("App.Fs", FS, fs.properties.clone()).await;
    assert_eq!(again.id(), fs.id());
    assert_eq!(
        env.find_keyed(&fs, "1")
            .await
            .map(|o| o.physical_id)
            .as_deref(),
        Some(fs.id())
    );
    assert_eq!(env.find_keyed(&fs, "2").await, None);

    let fs = env
        .update(
            &fs,
            json!({
                "PerformanceMode": "generalPurpose",
                "Encrypted": true,
                "ThroughputMode": "provisioned",
                "ProvisionedThroughputInMibps": 64,
                "BackupPolicy": {"Status": "DISABLED"},
                "LifecyclePolicies": [{"TransitionToIA": "AFTER_7_DAYS"},
                    {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}],
                "FileSystemProtection": {"ReplicationOverwriteProtection": "DISABLED"},
                "FileSystemTags": [{"Key": "Name", "Value": "renamed"}, {"Key": "team", "Value": "a"}],
            }),
        )
        .await;
    let described = env
        .efs
        .describe_file_systems()
        .file_system_id(fs.id())
        .send()
        .await
        .expect("describe");
    let d = &described.file_systems()[0];
    assert_eq!(d.throughput_mode().map(|m| m.as_str()), Some("provisioned"));
    assert_eq!(d.provisioned_throughput_in_mibps(), Some(64.0));
    assert_eq!(d.name(), Some("renamed"));
    let policy = env
        .efs
        .describe_file_system_policy()
        .file_system_id(fs.id())
        .send()
        .await;
    assert!(policy.is_err(), "the policy was removed: {policy:?}");
    env.assert_present(&fs).await;

    env.delete(&fs).await;
    env.assert_gone(&fs).await;
    env.delete(&fs).await; // idempotent
}

#[tokio::test(flavor = "multi_thread")]
async fn mount_targets_and_access_points_live_on_a_file_system() {
    let env = Env::new("efs-mt").await;
    let (subnet, sg_a, sg_b) = env.network("10.71.0.0/16").await;
    let fs = env
        .create("App.Fs", FS, json!({"FileSystemTags": []}))
        .await;

    let mt_props = json!({"FileSystemId": fs.id(), "SubnetId": subnet, "SecurityGroups": [sg_a]});
    let mt = env.create("App.Mt", MT, mt_props).await;
    assert!(mt.id().starts_with("fsmt-"), "{mt:?}");
    let ip = mt.out.attributes["IpAddress"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(ip.starts_with("10.71.1."), "{ip}");
    let listed = env
        .efs
        .describe_mount_targets()
        .file_system_id(fs.id())
        .send()
        .await
        .expect("mts");
    assert_eq!(listed.mount_targets()[0].subnet_id(), subnet);
    env.assert_present(&mt).await;

    // A create sent again finds the file system's mount target in that subnet (one per
    // Availability Zone: EFS answers MountTargetConflict), and so does find.
    let again = env.create("App.Mt", MT, mt.properties.clone()).await;
    assert_eq!(again.id(), mt.id());
    assert_eq!(
        env.find_keyed(&mt, "x")
            .await
            .map(|o| o.physical_id)
            .as_deref(),
        Some(mt.id())
    );

    let mt = env
        .update(
            &mt,
            json!({"FileSystemId": fs.id(), "SubnetId": subnet, "SecurityGroups": [sg_a, sg_b]}),
        )
        .await;
    let groups = env
        .efs
        .describe_mount_target_security_groups()
        .mount_target_id(mt.id())
        .send()
        .await;
    let mut groups = groups.expect("groups").security_groups().to_vec();
    groups.sort();
    let mut want = vec![sg_a.clone(), sg_b.clone()];
    want.sort();
    assert_eq!(groups, want);
    env.assert_present(&mt).await;

    let ap_props = json!({
        "FileSystemId": fs.id(),
        "PosixUser": {"Uid": "1000", "Gid": "1000"},
        "RootDirectory": {"Path": "/data", "CreationInfo": {"OwnerUid": "1000", "OwnerGid": "1000", "Permissions": "755"}},
        "AccessPointTags": [{"Key": "Name", "Value": "data"}],
    });
    let ap = env.create("App.Ap", AP, ap_props).await;
    assert!(ap.id().starts_with("fsap-"), "{ap:?}");
    assert_eq!(ap.out.attributes["AccessPointId"], json!(ap.id()));
    let described = env
        .efs
        .describe_access_points()
        .access_point_id(ap.id())
        .send()
        .await
        .expect("aps");
    let d = &described.access_points()[0];
    assert_eq!(d.root_directory().and_then(|r| r.path()), Some("/data"));
    assert_eq!(d.posix_user().map(|u| u.uid()), Some(1000));
    env.assert_present(&ap).await;
    assert_eq!(
        env.find_keyed(&ap, "1")
            .await
            .map(|o| o.physical_id)
            .as_deref(),
        Some(ap.id())
    );
    assert_eq!(env.find_keyed(&ap, "2").await, None);
    let mut tagged = ap.properties.clone();
    tagged["AccessPointTags"] = json!([{"Key": "Name", "Value": "renamed"}]);
    let ap = env.update(&ap, tagged).await;
    env.assert_present(&ap).await;

    // The file system cannot go while a mount target exists: a dependency violation, which
    // the engine retries while the mount target goes.
    let err = env.try_delete(&fs).await.expect_err("in use");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");

    env.delete(&ap).await;
    env.assert_gone(&ap).await;
    env.delete(&mt).await;
    env.assert_gone(&mt).await;
    env.delete(&mt).await;
    env.delete(&fs).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn repository_is_created_read_updated_found_and_deleted() {
    let env = Env::new("ecr-repo").await;
    let rules = json!({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged",
        "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
        "action": {"type": "expire"}}]});
    let props = json!({
        "ImageScanningConfiguration": {"ScanOnPush": true},
        "ImageTagMutability": "IMMUTABLE",
        "LifecyclePolicy": {"LifecyclePolicyText": rules.to_string()},
        "RepositoryPolicyText": policy("ecr:BatchGetImage"),
        "Tags": [{"Key": "team", "Value": "a"}],
    });
    let repo = env.create("App.Repo", REPO, props).await;
    assert_eq!(repo.id(), "ecr-repo-app-repo");
    let uri = repo.out.attributes["RepositoryUri"]
        .as_str()
        .unwrap_or_default();
    assert!(uri.ends_with("/ecr-repo-app-repo"), "{uri}");

    let described = env
        .ecr
        .describe_repositories()
        .repository_names(repo.id())
        .send()
        .await
        .expect("describe");
    let d = &described.repositories()[0];
    assert_eq!(
        d.image_tag_mutability().map(|m| m.as_str()),
        Some("IMMUTABLE")
    );
    assert_eq!(
        d.image_scanning_configuration().map(|s| s.scan_on_push()),
        Some(true)
    );
    let lifecycle = env
        .ecr
        .get_lifecycle_policy()
        .repository_name(repo.id())
        .send()
        .await
        .expect("lc");
    let text: Value =
        serde_json::from_str(lifecycle.lifecycle_policy_text().unwrap_or("{}")).expect("json");
    assert_eq!(text, rules);
    let policy_text = env
        .ecr
        .get_repository_policy()
        .repository_name(repo.id())
        .send()
        .await
        .expect("policy");
    let doc: Value = serde_json::from_str(policy_text.policy_text().unwrap_or("{}")).expect("json");
    assert_eq!(doc["Statement"][0]["Action"], json!("ecr:BatchGetImage"));
    env.assert_present(&repo).await;
    assert_eq!(
        env.find_keyed(&repo, "1")
            .await
            .map(|o| o.physical_id)
            .as_deref(),
        Some(repo.id())
    );

    // A read of several, one of them gone: ECR fails the whole DescribeRepositories call, the
    // provider reads that chunk name by name.
    let missing = Made {
        address: "App.Missing".into(),
        out: ResourceOutput {
            physical_id: "nope".into(),
            ..Default::default()
        },
        ..repo.clone()
    };
    let seen = env.read_all(&[&repo, &missing]).await;
    assert_eq!(seen.get("App.Missing"), Some(&Observation::Gone));
    assert!(
        matches!(seen.get("App.Repo"), Some(Observation::Present { .. })),
        "{seen:?}"
    );

    let repo = env
        .update(
            &repo,
            json!({
                "ImageScanningConfiguration": {"ScanOnPush": false},
                "ImageTagMutability": "MUTABLE",
                "RepositoryPolicyText": policy("ecr:GetDownloadUrlForLayer"),
                "Tags": [{"Key": "team", "Value": "b"}],
            }),
        )
        .await;
    let described = env
        .ecr
        .describe_repositories()
        .repository_names(repo.id())
        .send()
        .await
        .expect("describe");
    let d = &described.repositories()[0];
    assert_eq!(
        d.image_tag_mutability().map(|m| m.as_str()),
        Some("MUTABLE")
    );
    assert_eq!(
        d.image_scanning_configuration().map(|s| s.scan_on_push()),
        Some(false)
    );
    let lifecycle = env
        .ecr
        .get_lifecycle_policy()
        .repository_name(repo.id())
        .send()
        .await;
    assert!(lifecycle.is_err(), "the lifecycle policy was removed");
    env.assert_present(&repo).await;

    // A repository holding an image is deleted only with EmptyOnDelete.
    let manifest = json!({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
            "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"},
        "layers": []});
    env.ecr
        .put_image()
        .repository_name(repo.id())
        .image_manifest(manifest.to_string())
        .image_tag("v1")
        .send()
        .await
        .expect("put image");
    let err = env.try_delete(&repo).await.expect_err("not empty");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains("ecr-repo-app-repo still holds images")
            && err.message.contains("EmptyOnDelete"),
        "{err}"
    );
    let mut emptied = repo.properties.clone();
    emptied["EmptyOnDelete"] = json!(true);
    let repo = env.update(&repo, emptied).await;
    env.delete(&repo).await;
    env.assert_gone(&repo).await;
    env.delete(&repo).await;
}
