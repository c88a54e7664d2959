//! The state lock as a user meets it through the `infra` binary: two applies on one state at
//! once (one runs, the other stops at once naming the holder), a lock left by a process killed
//! with SIGKILL (reported as stale, with the command that removes it), and `infra force-unlock`
//! (refused without the lock's id, done with it).
//!
//! The race between many processes taking the lock is proven in
//! `crates/infra-state/tests/processes.rs`; this is the same promise at the command line.

#[path = "support/mod.rs"]
mod support;

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::Emulator;

/// A user name the holder runs as, so the message can be checked for it.
const USER: &str = "locks-e2e-user";

fn fixture(name: &str) -> PathBuf {
    let p = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2")
        .join(name);
    assert!(p.exists(), "{} is missing", p.display());
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn command(emulator: &Emulator, endpoint: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("NO_COLOR", "1")
        .env("USER", USER)
        .stdin(Stdio::null());
    cmd
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A loopback forwarder to `upstream` that holds every chunk a client sends for `delay`, so
/// each AWS call takes that much longer: an apply that takes a while, on the emulator.
fn slow_forwarder(upstream: SocketAddr, delay: Duration) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind forwarder");
    let addr = listener.local_addr().expect("forwarder address");
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let Ok(mut server) = TcpStream::connect(upstream) else {
                continue;
            };
            let (Ok(mut client_back), Ok(mut server_back)) =
                (client.try_clone(), server.try_clone())
            else {
                continue;
            };
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut server_back, &mut client_back);
                let _ = client_back.shutdown(std::net::Shutdown::Both);
            });
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                while let Ok(n) = client.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    std::thread::sleep(delay);
                    if server.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = server.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    addr
}

/// A loopback endpoint that accepts connections and never answers: a command calling it
/// holds its lock until it times out (or is killed), having changed nothing in AWS.
fn silent_endpoint() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            held.push(c);
        }
    });
    format!("http://{addr}")
}

/// Waits until the lock file of `state` names `pid`, and returns its id.
fn wait_for_lock(state: &Path, child: &mut Child) -> String {
    let lock = infra_lock_path(state);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(bytes) = std::fs::read(&lock)
            && let Ok(info) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && info["pid"].as_u64() == Some(u64::from(child.id()))
        {
            return info["id"].as_str().expect("lock id").to_string();
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the first infra exited ({status}) before it was seen holding the lock");
        }
        assert!(
            Instant::now() < deadline,
            "no lock naming pid {} at {}",
            child.id(),
            lock.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn infra_lock_path(state: &Path) -> PathBuf {
    let mut p = state.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

fn host_name() -> String {
    let out = Command::new("uname").arg("-n").output().expect("uname -n");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// How many VPCs carry `infra:stack=<stack>`, through the EC2 API.
fn vpcs_of(emulator: &Emulator, stack: &str) -> usize {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new(support::REGION))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    let client = aws_sdk_ec2::Client::from_conf(config);
    let filter = aws_sdk_ec2::types::Filter::builder()
        .name("tag:infra:stack")
        .values(stack)
        .build();
    rt.block_on(client.describe_vpcs().filters(filter).send())
        .expect("describe vpcs")
        .vpcs()
        .len()
}

#[test]
fn of_two_concurrent_applies_one_runs_and_the_other_fails_at_once_naming_the_holder() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("race.json");
    let vpc = fixture("vpc.yml");
    let args = [
        "apply",
        "-t",
        s(&vpc),
        "--stack",
        "lockrace",
        "--state",
        s(&state),
        "--auto-approve",
        "--parallelism",
        "2",
    ];
    // The first apply goes through a forwarder that slows every call down, so it is still
    // running when the second starts.
    let slow = slow_forwarder(emulator.addr(), Duration::from_millis(60));
    let mut first = command(emulator, &format!("http://{slow}"), &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("first infra starts");
    let id = wait_for_lock(&state, &mut first);

    let started = Instant::now();
    let second = command(emulator, &emulator.endpoint, &args)
        .output()
        .expect("second infra runs");
    let took = started.elapsed();
    let (out2, err2) = text(&second);
    assert_eq!(
        second.status.code(),
        Some(1),
        "the second apply must fail\n{out2}\n{err2}"
    );
    assert!(
        took < Duration::from_secs(3),
        "the second apply must fail at once, took {took:?}"
    );
    assert!(
        first.try_wait().expect("poll first").is_none(),
        "the first apply was still running when the second gave up"
    );
    let pid = first.id().to_string();
    for needle in [
        "is locked by a process that is still running",
        s(&state),
        &format!("pid {pid}"),
        &format!("host {}", host_name()),
        &format!("user {USER}"),
        "`apply`",
        &id,
    ] {
        assert!(err2.contains(needle), "missing {needle:?} in:\n{err2}");
    }
    assert!(
        !out2.contains("will be created"),
        "the loser must not plan: {out2}"
    );

    let done = first.wait_with_output().expect("first infra finishes");
    let (out1, err1) = text(&done);
    assert!(done.status.success(), "{out1}\n{err1}");
    assert!(
        out1.contains("Apply complete! Resources: 21 added"),
        "{out1}"
    );
    assert!(!infra_lock_path(&state).exists(), "the winner released it");

    // Exactly one apply ran: one VPC carries the stack's tag, and the state has 21 resources.
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("json");
    assert_eq!(st["resources"].as_object().map(|m| m.len()), Some(21));
    assert_eq!(vpcs_of(emulator, "lockrace"), 1, "one VPC for the stack");

    let destroyed = command(
        emulator,
        &emulator.endpoint,
        &[
            "destroy",
            "--stack",
            "lockrace",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    )
    .output()
    .expect("destroy");
    assert!(destroyed.status.success(), "{:?}", text(&destroyed));
}

#[test]
fn a_lock_left_by_a_killed_process_is_stale_and_force_unlock_needs_its_id() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("killed.json");
    let template = dir.path().join("logs.yml");
    std::fs::write(
        &template,
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n",
    )
    .expect("write template");
    let plan = [
        "plan",
        "-t",
        s(&template),
        "--stack",
        "killed",
        "--state",
        s(&state),
    ];
    // The victim hangs on its first AWS call, holding the lock, having changed nothing.
    let mut victim = command(emulator, &silent_endpoint(), &plan)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("victim starts");
    let id = wait_for_lock(&state, &mut victim);
    victim.kill().expect("SIGKILL");
    victim.wait().expect("reaped");
    assert!(infra_lock_path(&state).exists(), "SIGKILL leaves the lock");

    let started = Instant::now();
    let after = command(emulator, &emulator.endpoint, &plan)
        .output()
        .expect("runs");
    let (_, err) = text(&after);
    assert_eq!(after.status.code(), Some(1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3), "at once");
    for needle in [
        "that process no longer exists",
        "remove the stale lock with",
        &format!("infra force-unlock --state {} {id}", s(&state)),
        &format!("pid {}", victim.id()),
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }

    let unlock = |given: &str| {
        command(
            emulator,
            &emulator.endpoint,
            &["force-unlock", given, "--state", s(&state)],
        )
        .output()
        .expect("force-unlock runs")
    };
    // Another id, well formed or not, removes nothing.
    for wrong in ["00000000-0000-4000-8000-000000000000", "not-an-id"] {
        let refused = unlock(wrong);
        let (_, err) = text(&refused);
        assert_eq!(refused.status.code(), Some(1), "{err}");
        assert!(
            err.contains("does not match") && err.contains("nothing was removed"),
            "{err}"
        );
        assert!(infra_lock_path(&state).exists());
    }
    let done = unlock(&id);
    let (out, err) = text(&done);
    assert!(done.status.success(), "{out}\n{err}");
    assert!(out.contains(&format!("Lock {id} removed")), "{out}");
    assert!(!infra_lock_path(&state).exists());

    // The state can be used again.
    let planned = command(emulator, &emulator.endpoint, &plan)
        .output()
        .expect("plan runs");
    let (out, err) = text(&planned);
    assert!(planned.status.success(), "{out}\n{err}");
    assert!(out.contains("Plan: 1 to add"), "{out}");
    // Nothing left to unlock.
    let none = unlock(&id);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none).1.contains("is not locked"), "{:?}", text(&none));
}
