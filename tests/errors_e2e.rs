//! Errors that help, through the `infra` binary: one test per failure mode a user meets
//! talking to AWS or writing the state, each checking that the message says what failed, why,
//! and what to do, and that nothing is lost or half-written.
//!
//! Access-denied and expired-credential answers are injected by the fault proxy
//! (`infra-test-proxy`) in front of the emulator, with AWS's own wording.

#[path = "support/mod.rs"]
mod support;

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use infra_test_proxy::{FailRule, Proxy, ProxyConfig};
use support::Emulator;

/// The bound for an endpoint that cannot be reached.
const UNREACHABLE_BOUND: Duration = Duration::from_secs(15);

const LOGS: &str = "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `infra ARGS` with the emulator's environment, `endpoint` as the AWS endpoint.
fn infra(emulator: &Emulator, endpoint: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("runs infra")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn assert_has(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "missing {n:?} in:\n{text}");
    }
}

/// A plan of a one-resource template against `endpoint`; returns the output and how long it took.
fn plan_against(endpoint: &str) -> (Output, Duration) {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write(dir.path(), "logs.yml", LOGS);
    let state = dir.path().join("s.json");
    let started = Instant::now();
    let o = infra(
        emulator,
        endpoint,
        &[
            "plan",
            "-t",
            s(&template),
            "--stack",
            "unreach",
            "--state",
            s(&state),
        ],
    );
    (o, started.elapsed())
}

#[test]
fn an_endpoint_refusing_connections_fails_fast_naming_it() {
    let endpoint = support::closed_endpoint();
    let (o, took) = plan_against(&endpoint);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(took < UNREACHABLE_BOUND, "took {took:?}: {err}");
    assert_has(
        &err,
        &["cannot reach the AWS endpoint", &endpoint, "refused"],
    );
}

#[test]
fn an_endpoint_that_accepts_but_never_answers_fails_within_15_s_naming_it() {
    // Accepts every connection and never writes a byte.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            held.push(c);
        }
    });
    let (o, took) = plan_against(&endpoint);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(took < UNREACHABLE_BOUND, "took {took:?}: {err}");
    assert_has(
        &err,
        &["cannot reach the AWS endpoint", &endpoint, "timed out"],
    );
}

#[test]
fn missing_credentials_say_how_to_configure_them() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write(dir.path(), "logs.yml", LOGS);
    let empty_credentials = write(dir.path(), "credentials", "");
    let empty_config = write(dir.path(), "config", "");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    let o = cmd
        .args([
            "plan",
            "-t",
            s(&template),
            "--stack",
            "nocreds",
            "--state",
            s(&dir.path().join("s.json")),
        ])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_SHARED_CREDENTIALS_FILE", &empty_credentials)
        .env("AWS_CONFIG_FILE", &empty_config)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("runs infra");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_has(
        &err,
        &[
            "no usable AWS credentials",
            "none found",
            "aws configure",
            "--profile",
            "AWS_ACCESS_KEY_ID",
        ],
    );
}

/// A proxy in front of the shared emulator that fails the operations of `rules`.
fn failing_proxy(rules: &[(&str, u16, &str, &str)]) -> Proxy {
    let emulator = Emulator::shared();
    Proxy::spawn(ProxyConfig {
        rules: rules
            .iter()
            .map(|(operation, status, code, message)| FailRule {
                operation: (*operation).to_string(),
                status: *status,
                code: (*code).to_string(),
                times: None,
                message: Some((*message).to_string()),
            })
            .collect(),
        ..ProxyConfig::new(emulator.endpoint.clone())
    })
    .expect("proxy starts")
}

const THREE: &str = "\
Resources:
  Net:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.40.0.0/16}
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: errors-e2e-denied}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: errors-e2e-denied
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
";

#[test]
fn access_denied_names_the_action_the_resource_and_the_principal() {
    let user = "arn:aws:iam::123456789012:user/deployer";
    let ec2 = format!(
        "You are not authorized to perform this operation. User: {user} is not authorized to \
         perform: ec2:CreateVpc on resource: arn:aws:ec2:us-east-1:123456789012:vpc/* because no \
         identity-based policy allows the ec2:CreateVpc action. Encoded authorization failure \
         message: AbCdEf0123"
    );
    let logs = format!(
        "User: {user} is not authorized to perform: logs:CreateLogGroup on resource: \
         arn:aws:logs:us-east-1:123456789012:log-group:errors-e2e-denied because no \
         identity-based policy allows the logs:CreateLogGroup action"
    );
    let iam = format!(
        "User: {user} is not authorized to perform: iam:CreateRole on resource: \
         arn:aws:iam::123456789012:role/errors-e2e-denied because no identity-based policy \
         allows the iam:CreateRole action"
    );
    let proxy = failing_proxy(&[
        ("CreateVpc", 403, "UnauthorizedOperation", &ec2),
        ("CreateLogGroup", 400, "AccessDeniedException", &logs),
        ("CreateRole", 403, "AccessDenied", &iam),
    ]);
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write(dir.path(), "three.yml", THREE);
    let state = dir.path().join("denied.json");
    let o = infra(
        emulator,
        &proxy.endpoint(),
        &[
            "apply",
            "-t",
            s(&template),
            "--stack",
            "denied",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let line = |address: &str| {
        err.lines()
            .find(|l| l.starts_with(&format!("error: {address} ")))
            .unwrap_or_else(|| panic!("no error line for {address} in:\n{err}"))
            .to_string()
    };
    assert_has(
        &line("Net"),
        &[
            "AWS::EC2::VPC",
            "access denied",
            user,
            "ec2:CreateVpc",
            "arn:aws:ec2:us-east-1:123456789012:vpc/*",
            "UnauthorizedOperation",
            "grant it in IAM",
        ],
    );
    assert_has(
        &line("Logs"),
        &[
            "AWS::Logs::LogGroup",
            "logs:CreateLogGroup",
            "log-group:errors-e2e-denied",
            "AccessDeniedException",
        ],
    );
    assert_has(
        &line("Role"),
        &[
            "AWS::IAM::Role",
            "iam:CreateRole",
            "role/errors-e2e-denied",
            "AccessDenied",
        ],
    );
    // Nothing was created, and the state says so.
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    assert!(
        st["resources"].as_object().is_none_or(|m| m.is_empty()),
        "{st}"
    );
}

#[test]
fn expired_credentials_say_how_to_renew_them() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write(dir.path(), "logs.yml", LOGS);
    for (operation, status, code) in [
        ("GetCallerIdentity", 403, "ExpiredToken"),
        ("GetCallerIdentity", 400, "ExpiredTokenException"),
        ("GetCallerIdentity", 400, "RequestExpired"),
    ] {
        let proxy = failing_proxy(&[(
            operation,
            status,
            code,
            "The security token included in the request is expired",
        )]);
        let o = infra(
            emulator,
            &proxy.endpoint(),
            &[
                "plan",
                "-t",
                s(&template),
                "--stack",
                "expired",
                "--state",
                s(&dir.path().join("s.json")),
            ],
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{code}: {err}");
        assert_has(
            &err,
            &[
                "AWS rejected them",
                code,
                "expired",
                "aws sso login",
                "new temporary credentials",
            ],
        );
    }
}

/// Makes a directory read-only for this process, and undoes it when dropped.
///
/// Permission bits do not stop root (these tests often run as root in containers), so as
/// root the directory is made immutable with `chattr +i` instead, which stops root too.
struct ReadOnly {
    dir: PathBuf,
    immutable: bool,
}

impl ReadOnly {
    fn new(dir: &Path) -> Option<ReadOnly> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if root {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
            // Without chattr (or on a file system without the flag) root cannot be stopped.
            ok.then(|| ReadOnly {
                dir: dir.to_owned(),
                immutable: true,
            })
        } else {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o500)).ok()?;
            Some(ReadOnly {
                dir: dir.to_owned(),
                immutable: false,
            })
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        } else {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700));
        }
    }
}

/// An endpoint that counts the connections made to it and never answers.
fn counting_endpoint() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            held.push(c);
        }
    });
    (endpoint, count)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_state_directory_that_cannot_be_written_fails_before_any_aws_call() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write(dir.path(), "logs.yml", LOGS);

    // A state directory that exists, holds a state, and is read-only.
    let state_dir = dir.path().join("ro");
    std::fs::create_dir(&state_dir).expect("mkdir");
    let state = state_dir.join("ro.json");
    let applied = infra(
        emulator,
        &emulator.endpoint,
        &[
            "apply",
            "-t",
            s(&template),
            "--stack",
            "rostate",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    );
    assert!(applied.status.success(), "{}", stderr(&applied));
    let before = std::fs::read(&state).expect("state");
    let files_before = listing(&state_dir);

    let (endpoint, calls) = counting_endpoint();
    {
        let Some(_read_only) = ReadOnly::new(&state_dir) else {
            panic!(
                "cannot make {} read-only (as root this needs `chattr +i`)",
                state_dir.display()
            );
        };
        for command in ["apply", "destroy"] {
            let o = infra(
                emulator,
                &endpoint,
                &[
                    command,
                    "-t",
                    s(&template),
                    "--stack",
                    "rostate",
                    "--state",
                    s(&state),
                    "--auto-approve",
                ],
            );
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{command}: {err}");
            assert_has(
                &err,
                &[
                    "cannot create lock file",
                    s(&state),
                    "nothing was changed",
                    "must be a writable directory",
                ],
            );
        }
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "no AWS call was made");
    assert_eq!(
        std::fs::read(&state).expect("state"),
        before,
        "state untouched"
    );
    assert_eq!(listing(&state_dir), files_before, "nothing left behind");

    // A state path whose directory cannot exist (its parent is a file) fails the same way.
    let file = write(dir.path(), "not-a-dir", "");
    let o = infra(
        emulator,
        &endpoint,
        &[
            "apply",
            "-t",
            s(&template),
            "--stack",
            "rostate",
            "--state",
            s(&file.join("s.json")),
            "--auto-approve",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_has(&err, &["not-a-dir", "must be a writable directory"]);
    assert_eq!(calls.load(Ordering::SeqCst), 0, "no AWS call was made");

    let destroyed = infra(
        emulator,
        &emulator.endpoint,
        &[
            "destroy",
            "--stack",
            "rostate",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    );
    assert!(destroyed.status.success(), "{}", stderr(&destroyed));
}

const MIDWAY: &str = "\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.41.0.0/16}
  Good:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.41.1.0/24}
  Bad:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.99.0.0/24}
  After:
    Type: AWS::EC2::RouteTable
    DependsOn: Bad
    Properties: {VpcId: !Ref Vpc}
";

#[test]
fn an_api_error_mid_apply_keeps_every_finished_action_in_the_state() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write(dir.path(), "midway.yml", MIDWAY);
    let state = dir.path().join("midway.json");
    let base = [
        "-t",
        s(&template),
        "--stack",
        "midway",
        "--state",
        s(&state),
    ];
    let o = infra(
        emulator,
        &emulator.endpoint,
        &[&["apply", "--auto-approve"][..], &base[..]].concat(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // What failed (address, type, operation), why (AWS's code and message), what happened next.
    assert_has(
        &err,
        &[
            "error: Bad (Create): creating Bad (AWS::EC2::Subnet)",
            "ec2 CreateSubnet failed: InvalidSubnet.Range",
            "10.99.0.0/24",
            "Not started because of the errors above: After",
            "Resources: 2 added",
            "Everything finished is recorded in the state.",
        ],
    );
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    let mut recorded: Vec<&str> = st["resources"]
        .as_object()
        .expect("resources")
        .keys()
        .map(String::as_str)
        .collect();
    recorded.sort_unstable();
    assert_eq!(recorded, ["Good", "Vpc"], "{st}");
    for address in ["Good", "Vpc"] {
        let id = st["resources"][address]["physical_id"]
            .as_str()
            .expect("physical id");
        assert!(
            stdout(&o).contains(&format!("[id={id}]")),
            "{address} was reported created as {id}"
        );
    }

    // Fixing the template finishes the rest and touches nothing already done.
    std::fs::write(&template, MIDWAY.replace("10.99.0.0/24", "10.41.2.0/24")).expect("fix");
    let again = infra(
        emulator,
        &emulator.endpoint,
        &[&["apply", "--auto-approve"][..], &base[..]].concat(),
    );
    let out = stdout(&again);
    assert!(again.status.success(), "{out}\n{}", stderr(&again));
    assert!(
        out.contains("Resources: 2 added, 0 changed, 0 destroyed"),
        "{out}"
    );
    let destroyed = infra(
        emulator,
        &emulator.endpoint,
        &[
            "destroy",
            "--stack",
            "midway",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    );
    assert!(destroyed.status.success(), "{}", stderr(&destroyed));
}
