//! Signals outside an apply's operations, on the AWS API emulator: a SIGTERM or SIGINT while
//! `infra plan` refreshes the state (the state is locked; every `DescribeVpcs` is throttled
//! through the test proxy, so the refresh keeps retrying) ends the run at once with 143 (130),
//! says so, releases the lock and changes nothing, so the next run needs no `force-unlock`.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use infra_test_proxy::{FailRule, Proxy, ProxyConfig};
use support::Emulator;

const TEMPLATE: &str =
    "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.60.0.0/16\n";

/// The run ends within this time of the signal.
const STOP_WITHIN: Duration = Duration::from_secs(2);

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// How long the refresh has been retrying when the signal is sent.
const SIGNAL_AFTER: Duration = Duration::from_millis(1500);

/// Applies the template, then starts `infra plan` through a proxy that throttles every
/// `DescribeVpcs`, sends signal `number` with `kill(1)` while the refresh retries, and checks
/// how the run ended.
fn signal_during_the_refresh(number: i32, name: &str) {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("app.yml");
    std::fs::write(&template, TEMPLATE).expect("template");
    let state = dir.path().join("app.json");
    let stack = format!("signal-{number}");
    let args = |command: &str| -> Vec<String> {
        [
            command,
            "-t",
            s(&template),
            "--stack",
            &stack,
            "--state",
            s(&state),
        ]
        .iter()
        .map(|a| a.to_string())
        .collect()
    };
    let mut apply = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut apply);
    let applied = apply
        .args(args("apply"))
        .arg("--auto-approve")
        .output()
        .expect("runs infra");
    assert!(applied.status.success(), "{applied:?}");
    let before = std::fs::read(&state).expect("state");

    let throttling = Proxy::spawn(ProxyConfig {
        rules: vec![FailRule::parse("DescribeVpcs=400:Throttling").expect("rule")],
        ..ProxyConfig::new(&emulator.endpoint)
    })
    .expect("proxy");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    let mut child = cmd
        .args(args("plan"))
        .env("AWS_ENDPOINT_URL", throttling.endpoint())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs infra");
    std::thread::sleep(SIGNAL_AFTER);
    assert!(
        child.try_wait().expect("polls").is_none(),
        "the plan ended before the signal: the refresh was expected to keep retrying"
    );
    let lock = dir.path().join("app.json.lock");
    assert!(
        lock.exists(),
        "the state is locked while the plan refreshes"
    );

    let sent = Instant::now();
    let status = Command::new("kill")
        .arg(format!("-{number}"))
        .arg(child.id().to_string())
        .status()
        .expect("runs kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("ends");
    let took = sent.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(128 + number),
        "after {name}: {:?}\n{stderr}",
        output.status
    );
    assert!(took <= STOP_WITHIN, "ended {took:?} after {name}");
    assert!(
        stderr.contains(&format!("{name} received. Stopping."))
            && stderr.contains("Released the state lock of"),
        "{stderr}"
    );
    assert!(!lock.exists(), "the lock is left after {name}");
    assert_eq!(
        std::fs::read(&state).expect("state"),
        before,
        "the state is unchanged"
    );
}

#[test]
fn sigterm_during_the_refresh_exits_143_and_releases_the_lock() {
    signal_during_the_refresh(15, "SIGTERM");
}

#[test]
fn sigint_during_the_refresh_exits_130_and_releases_the_lock() {
    signal_during_the_refresh(2, "SIGINT");
}
