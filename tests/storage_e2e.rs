//! The ECS-with-EFS example (`examples/ecs-efs-volume/template.yaml`) end to end on the AWS API
//! emulator: apply; what the template says checked through the EFS, ECR and ECS APIs
//! (DescribeFileSystems, DescribeLifecycleConfiguration, DescribeBackupPolicy,
//! DescribeMountTargets, DescribeAccessPoints, DescribeRepositories, GetLifecyclePolicy,
//! GetRepositoryPolicy, DescribeTaskDefinition); a second plan with no changes; an in-place
//! update (the lifecycle transition); a replacement (the access point's root directory, and so
//! the task definition that names it); destroy with nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use boto::{Call, batch, boto};
use cli::{assert_no_changes, edit, id, infra, ok, recorded_ids, s, text};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "efsdemo";

/// The answers of `calls`, each of which must succeed.
fn all(endpoint: &str, calls: &[Call<'_>]) -> Vec<Value> {
    batch(endpoint, calls)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The lifecycle transitions EFS holds for the file system `fs`.
fn lifecycle(endpoint: &str, fs: &str) -> Value {
    boto(
        endpoint,
        "efs",
        "describe_lifecycle_configuration",
        json!({"FileSystemId": fs}),
    )["LifecyclePolicies"]
        .clone()
}

#[test]
fn ecs_tasks_with_an_efs_volume_apply_update_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("ecs-efs-volume", dir.path());
    let state = dir.path().join("efs.json");
    let base = ["-t", s(&template), "--stack", STACK, "--state", s(&state)];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let validated = ok(&infra(
        &emulator,
        &["validate", "-t", s(&template), "--stack", STACK],
    ));
    assert!(
        validated.contains("Service -> MountTargetA  [ecs-service-after-efs-mount-target]"),
        "{validated}"
    );
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 15 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let ids = recorded_ids(&state);
    let (fs, ap, repo) = (
        id(&ids, "FileSystem"),
        id(&ids, "AccessPoint"),
        id(&ids, "Repository"),
    );
    let (subnet_a, subnet_b, nfs) = (
        id(&ids, "SubnetA"),
        id(&ids, "SubnetB"),
        id(&ids, "NfsSecurityGroup"),
    );

    // EFS: the file system with its lifecycle and backup policies, two mount targets, the
    // access point.
    let efs = all(
        &endpoint,
        &[
            ("efs", "describe_file_systems", json!({"FileSystemId": fs})),
            ("efs", "describe_backup_policy", json!({"FileSystemId": fs})),
            ("efs", "describe_mount_targets", json!({"FileSystemId": fs})),
            ("efs", "describe_access_points", json!({"FileSystemId": fs})),
        ],
    );
    let described = &efs[0]["FileSystems"][0];
    assert_eq!(described["Encrypted"], json!(true));
    assert_eq!(described["PerformanceMode"], json!("generalPurpose"));
    assert_eq!(described["Name"], json!("efsdemo-data"));
    assert_eq!(
        lifecycle(&endpoint, fs),
        json!([{"TransitionToIA": "AFTER_30_DAYS"}, {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}])
    );
    assert_eq!(efs[1]["BackupPolicy"]["Status"], json!("ENABLED"));
    let mut subnets: Vec<&str> = efs[2]["MountTargets"]
        .as_array()
        .expect("mount targets")
        .iter()
        .filter_map(|m| m["SubnetId"].as_str())
        .collect();
    subnets.sort_unstable();
    let mut want = vec![subnet_a, subnet_b];
    want.sort_unstable();
    assert_eq!(subnets, want);
    let groups = boto(
        &endpoint,
        "efs",
        "describe_mount_target_security_groups",
        json!({"MountTargetId": id(&ids, "MountTargetA")}),
    );
    assert_eq!(groups["SecurityGroups"], json!([nfs]));
    let access_point = &efs[3]["AccessPoints"][0];
    assert_eq!(access_point["AccessPointId"], json!(ap));
    assert_eq!(access_point["RootDirectory"]["Path"], json!("/data"));
    assert_eq!(access_point["PosixUser"]["Uid"], json!(1000));

    // ECR: scan on push, the lifecycle policy, the repository policy for the execution role.
    let ecr = all(
        &endpoint,
        &[
            (
                "ecr",
                "describe_repositories",
                json!({"repositoryNames": [repo]}),
            ),
            (
                "ecr",
                "get_lifecycle_policy",
                json!({"repositoryName": repo}),
            ),
            (
                "ecr",
                "get_repository_policy",
                json!({"repositoryName": repo}),
            ),
        ],
    );
    let repository = &ecr[0]["repositories"][0];
    assert_eq!(
        repository["imageScanningConfiguration"]["scanOnPush"],
        json!(true)
    );
    let uri = repository["repositoryUri"]
        .as_str()
        .expect("uri")
        .to_owned();
    let rules: Value = serde_json::from_str(ecr[1]["lifecyclePolicyText"].as_str().expect("text"))
        .expect("lifecycle json");
    assert_eq!(rules["rules"][0]["selection"]["countNumber"], json!(10));
    let policy: Value =
        serde_json::from_str(ecr[2]["policyText"].as_str().expect("text")).expect("policy json");
    assert_eq!(policy["Statement"][0]["Sid"], json!("TasksPull"));

    // ECS: the task definition mounts the file system through the access point and runs the
    // repository's image.
    let task = boto(
        &endpoint,
        "ecs",
        "describe_task_definition",
        json!({"taskDefinition": id(&ids, "TaskDefinition")}),
    );
    let volume = &task["taskDefinition"]["volumes"][0]["efsVolumeConfiguration"];
    assert_eq!(volume["fileSystemId"], json!(fs));
    assert_eq!(volume["authorizationConfig"]["accessPointId"], json!(ap));
    let image = &task["taskDefinition"]["containerDefinitions"][0]["image"];
    assert_eq!(image, &json!(format!("{uri}:1.0")));

    assert_no_changes(&emulator, &base);

    // In place: the lifecycle transition of the file system.
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--parameter",
        "IaTransition=AFTER_7_DAYS",
    ]));
    assert!(out.contains("0 added, 1 changed, 0 destroyed"), "{out}");
    assert_eq!(id(&recorded_ids(&state), "FileSystem"), fs);
    assert_eq!(
        lifecycle(&endpoint, fs)[0],
        json!({"TransitionToIA": "AFTER_7_DAYS"})
    );
    edit(&template, "Default: AFTER_30_DAYS", "Default: AFTER_7_DAYS");

    // A replacement: a new root directory is a new access point, so a new task definition
    // revision, and the service moves to it.
    edit(&template, "Default: /data", "Default: /shared");
    let out = ok(&run(&["apply", "--auto-approve"]));
    let after = recorded_ids(&state);
    let new_ap = id(&after, "AccessPoint");
    assert_ne!(new_ap, ap, "{out}");
    let points = boto(
        &endpoint,
        "efs",
        "describe_access_points",
        json!({"FileSystemId": fs}),
    );
    let points = points["AccessPoints"].as_array().expect("access points");
    assert_eq!(
        points.len(),
        1,
        "the old access point is deleted: {points:?}"
    );
    assert_eq!(points[0]["RootDirectory"]["Path"], json!("/shared"));
    let task = boto(
        &endpoint,
        "ecs",
        "describe_task_definition",
        json!({"taskDefinition": id(&after, "TaskDefinition")}),
    );
    let volume = &task["taskDefinition"]["volumes"][0]["efsVolumeConfiguration"];
    assert_eq!(
        volume["authorizationConfig"]["accessPointId"],
        json!(new_ap)
    );
    assert_no_changes(&emulator, &base);

    // Destroy: nothing of the stack is left.
    let out = ok(&infra(
        &emulator,
        &[
            "destroy",
            "--auto-approve",
            "--stack",
            STACK,
            "--state",
            s(&state),
        ],
    ));
    assert!(out.contains("Destroy complete!"), "{out}");
    let left = batch(
        &endpoint,
        &[
            ("efs", "describe_file_systems", json!({})),
            ("efs", "describe_access_points", json!({})),
            ("ecr", "describe_repositories", json!({})),
        ],
    );
    let left: Vec<Value> = left
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(
        left[0]["FileSystems"],
        json!([]),
        "{}",
        text(&run(&["plan"]))
    );
    assert_eq!(left[1]["AccessPoints"], json!([]));
    assert_eq!(left[2]["repositories"], json!([]));
    let gone = boto::try_boto(
        &endpoint,
        "efs",
        "describe_mount_targets",
        json!({"MountTargetId": id(&ids, "MountTargetA")}),
    );
    assert_eq!(
        gone.map_err(|e| e.code),
        Err("MountTargetNotFound".to_owned())
    );
}
