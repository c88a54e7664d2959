//! Running the `infra` binary in end-to-end tests: one command against an emulator, its
//! output checked, a template copied from `examples/` and edited, and what the state records.
//!
//! A test file includes it beside `support/mod.rs`:
//!
//! ```ignore
//! #[path = "support/mod.rs"]
//! mod support;
//! #[path = "support/cli.rs"]
//! mod cli;
//! ```

#![allow(dead_code, reason = "each test file uses the part it needs")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{self, Emulator};

/// `infra ARGS` against `emulator`, colours off; the output, whatever the exit status.
pub fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra")
}

/// The standard output of a command that must have succeeded; fails the test with both
/// streams otherwise.
pub fn ok(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "infra failed ({:?})\nstdout:\n{stdout}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Standard output and standard error of a command, one after the other.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `path` as a `&str` for an argument list.
pub fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// `name` in the reference workload's fixture directory (`../shared` beside the checkout).
pub fn fixture(name: &str) -> PathBuf {
    let path = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        path.display()
    );
    path
}

/// `examples/<example>/template.yaml` copied into `dir` (a test edits its copy).
pub fn copy_example(example: &str, dir: &Path) -> PathBuf {
    let src = support::repo_root()
        .join("examples")
        .join(example)
        .join("template.yaml");
    let dst = dir.join("template.yaml");
    std::fs::copy(&src, &dst)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", src.display(), dst.display()));
    dst
}

/// Replaces the first `from` in the file at `path` with `to`; `from` must be there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// The state file at `path`, parsed.
pub fn state(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read the state")).expect("state is JSON")
}

/// The physical id the state at `path` records for each address.
pub fn recorded_ids(path: &Path) -> Value {
    let state = state(path);
    let mut out = serde_json::Map::new();
    for (address, resource) in state["resources"].as_object().expect("resources") {
        out.insert(address.clone(), resource["physical_id"].clone());
    }
    Value::Object(out)
}

/// The id of `address` in [`recorded_ids`]; fails the test when it is not recorded.
pub fn id<'v>(ids: &'v Value, address: &str) -> &'v str {
    ids[address]
        .as_str()
        .unwrap_or_else(|| panic!("no {address} in the state: {ids}"))
}

/// Runs `plan --detailed-exitcode` and checks that it reports no change (exit 0).
pub fn assert_no_changes(emulator: &Emulator, args: &[&str]) {
    let mut all = vec!["plan", "--detailed-exitcode"];
    all.extend_from_slice(args);
    let output = infra(emulator, &all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a second plan must have no changes:\n{}",
        text(&output)
    );
}
