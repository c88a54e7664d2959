//! Faults survived: `infra` talks to the AWS API emulator through the fault-injecting proxy
//! (`tests/proxy`) and still applies and destroys with no failed action.
//!
//! - The reference workload (the fixture's `parent.yml` and its nested stacks) under 20 %
//!   throttling and 5 % 5xx: apply and destroy succeed, and the proxy's counts show the faults
//!   were injected.
//! - The fixture's `vpc.yml` under 5 % dropped connections: apply and destroy succeed.
//!
//! The seed of the fault draws is printed; `INFRA_FAULT_SEED=N` replays a run.

#![allow(clippy::print_stderr)]

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use infra_test_proxy::{Proxy, ProxyConfig};
use support::Emulator;

const FILES: [&str; 4] = ["parent.yml", "vpc.yml", "cluster.yml", "service.yml"];

/// The fixture copied into `dir`; returns the directory.
fn copy_fixture(dir: &Path) -> PathBuf {
    let src = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2");
    assert!(
        src.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        src.display()
    );
    for f in FILES {
        std::fs::copy(src.join(f), dir.join(f)).expect("copy fixture");
    }
    dir.to_path_buf()
}

/// `INFRA_FAULT_SEED`, or one from the clock; printed either way.
fn seed(test: &str) -> u64 {
    let seed = match std::env::var("INFRA_FAULT_SEED") {
        Ok(s) => s.parse().expect("INFRA_FAULT_SEED must be a number"),
        Err(_) => {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or_default()
                % 1_000_000
        }
    };
    eprintln!("{test}: fault seed {seed} (replay with INFRA_FAULT_SEED={seed})");
    seed
}

/// Runs `infra` against the emulator through `proxy`.
fn infra(emulator: &Emulator, proxy: &Proxy, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs infra")
}

/// Asserts success and no failed or skipped action; returns stdout.
fn succeeded(o: &Output, seed: u64, proxy: &Proxy) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "infra failed ({:?}) with fault seed {seed}\nproxy: {:?}\nstdout:\n{out}\nstderr:\n{err}",
        o.status.code(),
        proxy.snapshot()
    );
    let failed: Vec<&str> = out
        .lines()
        .chain(err.lines())
        .filter(|l| l.contains(": Error: ") || l.contains(": Skipped ("))
        .collect();
    assert!(
        failed.is_empty(),
        "failed actions with fault seed {seed}: {failed:#?}\n{out}"
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Resources the state file still holds.
fn resources_in(state: &Path) -> usize {
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state).expect("state")).expect("json");
    st["resources"].as_object().map_or(0, |r| r.len())
}

/// VPCs of stack `stack` in the emulator, asked directly (not through the proxy).
fn vpcs_tagged(emulator: &Emulator, stack: &str) -> usize {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(support::REGION))
            .endpoint_url(&emulator.endpoint)
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load()
            .await;
        aws_sdk_ec2::Client::new(&config)
            .describe_vpcs()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("tag:infra:stack")
                    .values(stack)
                    .build(),
            )
            .send()
            .await
            .expect("describe vpcs")
            .vpcs()
            .len()
    })
}

#[test]
fn the_reference_workload_applies_and_destroys_under_throttling_and_server_errors() {
    let seed = seed("throttling and 5xx");
    let emulator = Emulator::start();
    let proxy = Proxy::spawn(ProxyConfig {
        seed,
        throttle_rate: 0.20,
        server_error_rate: 0.05,
        ..ProxyConfig::new(&emulator.endpoint)
    })
    .expect("proxy");
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = copy_fixture(dir.path());
    let parent = fixture.join("parent.yml");
    let state = dir.path().join("faults.json");

    let out = succeeded(
        &infra(
            &emulator,
            &proxy,
            &[
                "apply",
                "-t",
                s(&parent),
                "--stack",
                "faults",
                "--state",
                s(&state),
                "--auto-approve",
            ],
        ),
        seed,
        &proxy,
    );
    assert!(
        out.contains("Apply complete! Resources: 39 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let applied = proxy.snapshot();
    eprintln!(
        "apply: {} requests, faults {:?}",
        applied.requests, applied.faults
    );
    assert!(
        applied.faults.throttles > 0,
        "no throttling injected: {applied:?}"
    );
    assert!(
        applied.faults.server_errors > 0,
        "no 5xx injected: {applied:?}"
    );
    assert_eq!(vpcs_tagged(&emulator, "faults"), 1, "exactly one VPC");

    proxy.reset_counts();
    let out = succeeded(
        &infra(
            &emulator,
            &proxy,
            &[
                "destroy",
                "--stack",
                "faults",
                "--state",
                s(&state),
                "--auto-approve",
            ],
        ),
        seed,
        &proxy,
    );
    assert!(
        out.contains("Destroy complete! Resources: 0 added, 0 changed, 39 destroyed."),
        "{out}"
    );
    let destroyed = proxy.snapshot();
    eprintln!(
        "destroy: {} requests, faults {:?}",
        destroyed.requests, destroyed.faults
    );
    assert!(
        destroyed.faults.throttles + destroyed.faults.server_errors > 0,
        "no fault injected during destroy: {destroyed:?}"
    );
    assert_eq!(resources_in(&state), 0);
    assert_eq!(vpcs_tagged(&emulator, "faults"), 0, "the VPC is gone");
}

#[test]
fn the_network_applies_and_destroys_with_dropped_connections() {
    let seed = seed("dropped connections");
    let emulator = Emulator::start();
    let proxy = Proxy::spawn(ProxyConfig {
        seed,
        drop_rate: 0.05,
        ..ProxyConfig::new(&emulator.endpoint)
    })
    .expect("proxy");
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = copy_fixture(dir.path());
    let vpc = fixture.join("vpc.yml");
    let state = dir.path().join("drops.json");

    let out = succeeded(
        &infra(
            &emulator,
            &proxy,
            &[
                "apply",
                "-t",
                s(&vpc),
                "--stack",
                "drops",
                "--state",
                s(&state),
                "--auto-approve",
            ],
        ),
        seed,
        &proxy,
    );
    assert!(out.contains("Apply complete!"), "{out}");
    let applied = proxy.snapshot();
    eprintln!(
        "apply: {} requests, faults {:?}",
        applied.requests, applied.faults
    );
    assert_eq!(vpcs_tagged(&emulator, "drops"), 1, "exactly one VPC");

    let out = succeeded(
        &infra(
            &emulator,
            &proxy,
            &[
                "destroy",
                "--stack",
                "drops",
                "--state",
                s(&state),
                "--auto-approve",
            ],
        ),
        seed,
        &proxy,
    );
    assert!(out.contains("Destroy complete!"), "{out}");
    let all = proxy.snapshot();
    eprintln!(
        "apply and destroy: {} requests, faults {:?}",
        all.requests, all.faults
    );
    assert!(
        all.faults.drops > 0,
        "no connection dropped in apply and destroy: {all:?}"
    );
    assert_eq!(resources_in(&state), 0);
    assert_eq!(vpcs_tagged(&emulator, "drops"), 0, "the VPC is gone");
}
