//! State kept in S3 (`--state s3://BUCKET/KEY`) end to end on the AWS API emulator's S3: apply
//! and destroy with the state in a bucket, the lock object, a writer that lost a race, history
//! and pull of earlier versions, migration between a local file and S3, and bad inputs.
//!
//! Buckets and objects are made and inspected with the SDK's own S3 client, so the checks do not
//! go through the code under test.
//!
//! Where moto differs from S3:
//! - moto does not enforce IAM permissions on S3 here, so "access denied" cannot be provoked;
//!   the mapping of S3's `AccessDenied` answer is unit-tested in
//!   `crates/infra-aws/src/remote_state/error/tests.rs` instead.
//! - moto checks `If-Match` / `If-None-Match` on `PutObject` and `If-Match` on `DeleteObject` as
//!   S3 documents, but not atomically with the write; the race here is made sequential (read,
//!   other write, our write), which both behave the same on.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use infra_aws::AwsSession;
use infra_aws::remote_state::{S3Backend, S3Url};
use infra_state::{
    ResourceRecord, ResourceStatus, State, StateBackend as _, StateError, StateFile, StoreError,
};
use support::Emulator;

fn fixture(name: &str) -> PathBuf {
    let p = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2")
        .join(name);
    assert!(
        p.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        p.display()
    );
    p
}

fn command(emulator: &Emulator, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("INFRA_STATE");
    cmd
}

fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    command(emulator, args).output().expect("runs infra")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(o: &Output) -> String {
    let (out, err) = text(o);
    assert!(
        o.status.success(),
        "infra failed ({:?})\nstdout:\n{out}\nstderr:\n{err}",
        o.status.code()
    );
    out
}

/// The standard error of a run that must fail.
fn fails(o: &Output) -> String {
    let (out, err) = text(o);
    assert!(
        !o.status.success(),
        "infra succeeded but should not have\nstdout:\n{out}\nstderr:\n{err}"
    );
    err
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A client of the emulator's S3, to make and inspect buckets and objects.
struct S3 {
    rt: tokio::runtime::Runtime,
    client: aws_sdk_s3::Client,
}

fn config(emulator: &Emulator) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(support::REGION))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("testing", "testing", None, None, "test"),
            ),
        )
        .build()
}

impl S3 {
    fn new(emulator: &Emulator) -> S3 {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let conf = aws_sdk_s3::config::Builder::from(&config(emulator))
            .force_path_style(true)
            .build();
        S3 {
            rt,
            client: aws_sdk_s3::Client::from_conf(conf),
        }
    }

    fn create_bucket(&self, bucket: &str, versioned: bool) {
        self.rt.block_on(async {
            self.client
                .create_bucket()
                .bucket(bucket)
                .send()
                .await
                .unwrap_or_else(|e| panic!("creating bucket {bucket}: {e:?}"));
            if versioned {
                let status = aws_sdk_s3::types::VersioningConfiguration::builder()
                    .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                    .build();
                self.client
                    .put_bucket_versioning()
                    .bucket(bucket)
                    .versioning_configuration(status)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("versioning of {bucket}: {e:?}"));
            }
        });
    }

    /// The object's body, or `None` when there is none.
    fn get(&self, bucket: &str, key: &str) -> Option<String> {
        self.rt.block_on(async {
            match self
                .client
                .get_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
            {
                Ok(o) => {
                    let bytes = o.body.collect().await.expect("body").into_bytes();
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                }
                Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => None,
                Err(e) => panic!("GET {bucket}/{key}: {e:?}"),
            }
        })
    }

    fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        self.rt.block_on(async {
            self.client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(body.to_vec().into())
                .send()
                .await
                .unwrap_or_else(|e| panic!("PUT {bucket}/{key}: {e:?}"));
        });
    }
}

fn state_of(body: &str) -> State {
    infra_state::decode_state(Path::new("object"), body.as_bytes()).expect("a state document")
}

/// A lock object as another infra on another host would have written it.
fn foreign_lock(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","pid":4242,"host":"ci-runner-7","user":"alice","command":"apply","created":"2025-01-02T03:04:05Z"}}"#
    )
}

/// A local state of stack `net` with one resource, written by infra's own file backend.
fn local_state(path: &Path) -> State {
    let (mut file, mut state) = StateFile::load_or_new(path, "net").expect("new state");
    state.resources.insert(
        "VPC".into(),
        ResourceRecord {
            resource_type: "AWS::EC2::VPC".into(),
            physical_id: "vpc-0123456789abcdef0".into(),
            properties: serde_json::json!({"CidrBlock": "10.0.0.0/16"}),
            attributes: Default::default(),
            dependencies: Vec::new(),
            status: ResourceStatus::Created,
            path: Default::default(),
            deletion_policy: Default::default(),
            update_replace_policy: Default::default(),
        },
    );
    file.write(&mut state).expect("written");
    state
}

#[test]
fn the_fixture_network_applies_and_destroys_with_its_state_in_s3() {
    let emulator = Emulator::shared();
    let s3 = S3::new(emulator);
    s3.create_bucket("team", false);
    let template = fixture("vpc.yml");
    let url = "s3://team/net.json";
    let base = ["-t", s(&template), "--stack", "net", "--state", url];

    let out = ok(&infra(
        emulator,
        &[&["apply", "--auto-approve"][..], &base[..]].concat(),
    ));
    assert!(
        out.contains("Apply complete! Resources: 21 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let stored = state_of(&s3.get("team", "net.json").expect("the state object"));
    assert_eq!(stored.stack, "net");
    assert_eq!(stored.resources.len(), 21);
    assert!(stored.serial > 1, "saved after every operation");
    assert_eq!(s3.get("team", "net.json.lock"), None, "lock released");

    // The same state through INFRA_STATE.
    let listed = ok(&command(emulator, &["state", "list"])
        .env("INFRA_STATE", url)
        .output()
        .expect("runs"));
    assert_eq!(listed.lines().count(), 21, "{listed}");
    let plan = infra(
        emulator,
        &[&["plan", "--detailed-exitcode"][..], &base[..]].concat(),
    );
    assert_eq!(plan.status.code(), Some(0), "{:?}", text(&plan));

    let out = ok(&infra(
        emulator,
        &[
            "destroy",
            "--stack",
            "net",
            "--state",
            url,
            "--auto-approve",
        ],
    ));
    assert!(
        out.contains("Destroy complete! Resources: 0 added, 0 changed, 21 destroyed."),
        "{out}"
    );
    let after = state_of(&s3.get("team", "net.json").expect("the state object"));
    assert!(after.resources.is_empty());
    assert_eq!(after.lineage, stored.lineage);
    assert_eq!(s3.get("team", "net.json.lock"), None, "lock released");
}

#[test]
fn a_lock_placed_by_someone_else_stops_plan_and_apply_at_once() {
    let emulator = Emulator::shared();
    let s3 = S3::new(emulator);
    s3.create_bucket("locked", false);
    let id = "6f1c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f";
    let lock = foreign_lock(id);
    s3.put("locked", "net.json.lock", lock.as_bytes());
    let template = fixture("vpc.yml");
    let url = "s3://locked/net.json";
    let base = ["-t", s(&template), "--stack", "net", "--state", url];

    for cmd in [&["plan"][..], &["apply", "--auto-approve"][..]] {
        let started = Instant::now();
        let err = fails(&infra(emulator, &[cmd, &base[..]].concat()));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{cmd:?} waited"
        );
        for expected in [
            "s3://locked/net.json is locked by pid 4242 on host ci-runner-7 (user alice)",
            &format!("infra force-unlock --state s3://locked/net.json {id}"),
        ] {
            assert!(err.contains(expected), "{cmd:?}: {expected}\n{err}");
        }
    }
    assert_eq!(s3.get("locked", "net.json"), None, "nothing written");
    assert_eq!(
        s3.get("locked", "net.json.lock").as_deref(),
        Some(lock.as_str())
    );

    // force-unlock needs the holder's id.
    let other = "00000000-0000-4000-8000-000000000000";
    let err = fails(&infra(emulator, &["force-unlock", other, "--state", url]));
    assert!(err.contains("does not match"), "{err}");
    assert!(s3.get("locked", "net.json.lock").is_some());
    let out = ok(&infra(emulator, &["force-unlock", id, "--state", url]));
    assert!(out.contains("ci-runner-7"), "{out}");
    assert_eq!(s3.get("locked", "net.json.lock"), None);
    let err = fails(&infra(emulator, &["force-unlock", id, "--state", url]));
    assert!(err.contains("is not locked"), "{err}");
}

#[test]
fn a_writer_that_lost_the_race_is_detected_and_nothing_is_overwritten() {
    let emulator = Emulator::shared();
    let s3 = S3::new(emulator);
    s3.create_bucket("race", false);
    let config = config(emulator);
    let url = S3Url::parse("s3://race/net.json").expect("valid");
    let backend =
        S3Backend::from_session(url, &AwsSession::from_sdk_config(config)).expect("backend");

    // No object yet; someone else creates one before our first write.
    let (mut ours, none) = backend.open().expect("open");
    assert!(none.is_none());
    let (mut theirs, _) = backend.open().expect("open");
    let mut their_state = State::new("net");
    theirs.write(&mut their_state).expect("their write");
    let mut our_state = State::new("net");
    let error = ours.write(&mut our_state).expect_err("lost the race");
    assert!(
        matches!(error, StoreError::State(StateError::ChangedOnDisk { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("s3://race/net.json"), "{error}");
    assert_eq!(our_state.serial, 0, "unchanged on error");

    // Both read serial 1; they write first; our write is refused and theirs stays.
    let (mut ours, read) = backend.open().expect("open");
    let mut our_state = read.expect("a state");
    let (mut theirs, read) = backend.open().expect("open");
    let mut their_state = read.expect("a state");
    their_state.outputs.clear();
    theirs.write(&mut their_state).expect("their write");
    let before = s3.get("race", "net.json").expect("object");
    our_state.resources.clear();
    let error = ours.write(&mut our_state).expect_err("lost the race");
    let message = error.to_string();
    assert!(
        message.contains("expected serial 1, found serial 2")
            && message.contains("refusing to overwrite"),
        "{message}"
    );
    assert_eq!(s3.get("race", "net.json").expect("object"), before);

    // The winner goes on writing.
    theirs.write(&mut their_state).expect("next write");
    assert_eq!(their_state.serial, 3);
}

#[test]
fn migration_keeps_lineage_and_resources_and_refuses_another_lineage() {
    let emulator = Emulator::shared();
    let s3 = S3::new(emulator);
    s3.create_bucket("mig", true);
    let dir = tempfile::tempdir().expect("tempdir");
    let local = dir.path().join("net.json");
    let original = local_state(&local);
    let url = "s3://mig/net.json";

    let out = ok(&infra(
        emulator,
        &["state", "migrate", "--state", s(&local), "--to", url],
    ));
    assert!(out.contains("Copied the state of stack net"), "{out}");
    let remote = state_of(&s3.get("mig", "net.json").expect("copied"));
    assert_eq!(remote.lineage, original.lineage);
    assert_eq!(remote.resources, original.resources);

    // A second write, then the history has both, and pull fetches the older one.
    ok(&infra(emulator, &["state", "rm", "VPC", "--state", url]));
    let history = ok(&infra(emulator, &["state", "history", "--state", url]));
    let versions: Vec<&str> = history
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(versions.len(), 2, "{history}");
    assert!(
        history
            .lines()
            .nth(1)
            .is_some_and(|l| l.ends_with("current")),
        "{history}"
    );
    let older = ok(&infra(
        emulator,
        &["state", "pull", "--state", url, "--version", versions[1]],
    ));
    assert!(state_of(&older).resources.contains_key("VPC"), "{older}");
    let current = ok(&infra(emulator, &["state", "pull", "--state", url]));
    assert!(state_of(&current).resources.is_empty(), "{current}");
    let err = fails(&infra(
        emulator,
        &[
            "state",
            "pull",
            "--state",
            url,
            "--version",
            "no-such-version",
        ],
    ));
    assert!(err.contains("s3://mig/net.json"), "{err}");

    // Back to a local file: same lineage, same resources as in S3.
    let back = dir.path().join("back.json");
    ok(&infra(
        emulator,
        &["state", "migrate", "--state", url, "--to", s(&back)],
    ));
    let returned = infra_state::read_state(&back)
        .expect("readable")
        .expect("exists");
    assert_eq!(returned.lineage, original.lineage);
    assert_eq!(returned.resources, state_of(&current).resources);

    // Another lineage is refused, and the object is unchanged.
    let stranger = dir.path().join("stranger.json");
    local_state(&stranger);
    let before = s3.get("mig", "net.json").expect("object");
    let err = fails(&infra(
        emulator,
        &["state", "migrate", "--state", s(&stranger), "--to", url],
    ));
    assert!(err.contains("lineage mismatch"), "{err}");
    assert_eq!(s3.get("mig", "net.json").expect("object"), before);
    assert_eq!(s3.get("mig", "net.json.lock"), None, "locks released");
}

#[test]
fn bad_inputs_give_clear_errors_and_overwrite_nothing() {
    let emulator = Emulator::shared();
    let s3 = S3::new(emulator);
    let template = fixture("vpc.yml");
    let plan = |state: &str| {
        infra(
            emulator,
            &[
                "plan",
                "-t",
                s(&template),
                "--stack",
                "net",
                "--state",
                state,
            ],
        )
    };

    for url in [
        "s3://",
        "s3:///key",
        "s3://bucket",
        "s3://bucket/",
        "s3://bucket/dir/",
    ] {
        let err = fails(&plan(url));
        assert!(err.contains("invalid state URL"), "{url}: {err}");
        let via_env = command(emulator, &["state", "list", "--stack", "net"])
            .env("INFRA_STATE", url)
            .output()
            .expect("runs");
        let err = fails(&via_env);
        assert!(
            err.contains("invalid state URL"),
            "INFRA_STATE={url}: {err}"
        );
    }

    let err = fails(&plan("s3://no-such-bucket/net.json"));
    assert!(
        err.contains("bucket `no-such-bucket` does not exist")
            && err.contains("s3://no-such-bucket/net.json"),
        "{err}"
    );

    // A corrupt object is reported and left as it is; the lock is released.
    s3.create_bucket("corrupt", false);
    s3.put("corrupt", "net.json", b"{ not json");
    let url = "s3://corrupt/net.json";
    let err = fails(&plan(url));
    assert!(
        err.contains("state file s3://corrupt/net.json is not valid JSON"),
        "{err}"
    );
    let err = fails(&infra(
        emulator,
        &[
            "apply",
            "-t",
            s(&template),
            "--stack",
            "net",
            "--state",
            url,
            "--auto-approve",
        ],
    ));
    assert!(err.contains("s3://corrupt/net.json"), "{err}");
    assert_eq!(s3.get("corrupt", "net.json").as_deref(), Some("{ not json"));
    assert_eq!(s3.get("corrupt", "net.json.lock"), None);

    // History needs versioning, and says how to turn it on.
    let err = fails(&infra(emulator, &["state", "history", "--state", url]));
    assert!(err.contains("versioning is not enabled"), "{err}");
    let err = fails(&infra(
        emulator,
        &["state", "history", "--state", "state/net.json"],
    ));
    assert!(err.contains("needs a state in S3"), "{err}");
}
