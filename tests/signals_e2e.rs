//! How `infra apply` stops on the signals CI systems send (SIGINT: Ctrl-C and GitHub Actions'
//! first cancel; SIGTERM: its second, and what Kubernetes and `docker stop` send), on the AWS
//! API emulator.
//!
//! The reference workload (the fixture's `parent.yml` and its nested stacks) is applied through
//! the test proxy (`tests/proxy`) with the latency model scaled so the apply takes about 15 s:
//! the signal is sent once a few resources are complete and a slow one (a NAT gateway or a load
//! balancer) is being created, so operations are in flight.
//!
//! - SIGTERM, and SIGINT: the process exits with 143 (130) within 2 s of the signal, says why
//!   on stderr, leaves no lock and a readable state file whose `pending` keeps the intents of
//!   the operations it abandoned; the next `apply --auto-approve` finishes, and then exactly
//!   as many objects of each type exist in the emulator as the template declares (nothing made
//!   twice, nothing lost); `destroy --auto-approve` leaves none.
//! - A second signal while the first one's grace runs: the process exits at once with the
//!   second signal's code, leaves its lock and prints the `infra force-unlock` command with
//!   the lock's id (read from the lock file before the signals); that exact command removes the
//!   lock, and the next apply finishes with nothing duplicated.
//!
//! The applies after the stop, and the destroys, go through a proxy without latency.
//! Signals are sent with `kill(1)`.

#![allow(clippy::print_stderr)]

#[path = "support/mod.rs"]
mod support;

#[path = "signals/census.rs"]
mod census;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use infra_test_proxy::{LatencyModel, Proxy, ProxyConfig};
use support::Emulator;

const FILES: [&str; 4] = ["parent.yml", "vpc.yml", "cluster.yml", "service.yml"];

/// What the latency model's (real AWS) seconds are divided by: the workload's critical path
/// of about 5 minutes becomes about 15 s; a NAT gateway takes 5 s to create, a load balancer
/// 7 s, so both are still in flight well after the 1 s grace.
const SCALE: f64 = 20.0;

/// The first signal ends the run within this time.
const STOP_WITHIN: Duration = Duration::from_secs(2);

/// The second signal ends the run within this time ("at once").
const EXIT_AT_ONCE: Duration = Duration::from_millis(500);

/// When the second signal is sent after the first: well inside the 1 s grace.
const SECOND_AFTER: Duration = Duration::from_millis(300);

/// Resource types that take seconds to create under the scaled model: one of them in flight
/// means operations are still running when the signal comes.
const SLOW: [&str; 2] = [
    "AWS::EC2::NatGateway",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
];

/// Completed creates to wait for before signalling.
const COMPLETED_BEFORE_SIGNAL: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Int,
    Term,
}

impl Signal {
    fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }

    fn number(self) -> i32 {
        match self {
            Signal::Int => 2,
            Signal::Term => 15,
        }
    }

    /// The exit code the specification gives a run the signal stopped: 128 + its number.
    fn exit_code(self) -> i32 {
        128 + self.number()
    }

    /// Sends it to `pid` with `kill(1)`.
    fn send(self, pid: u32) {
        let status = Command::new("kill")
            .arg(format!("-{}", self.number()))
            .arg(pid.to_string())
            .status()
            .expect("runs kill");
        assert!(status.success(), "kill -{} {pid}: {status}", self.number());
    }
}

/// One test's stack: its own directory, fixture copy, state file and stack name.
struct Case {
    emulator: &'static Emulator,
    stack: &'static str,
    dir: tempfile::TempDir,
    parent: PathBuf,
    state: PathBuf,
    /// Resources per type the template declares, as `infra` deploys it (a custom resource
    /// `infra` replaces by a native step, and what only it used, are not deployed).
    declared: BTreeMap<String, usize>,
    /// Address -> type of every resource of the template.
    types: BTreeMap<String, String>,
    /// Records a finished apply holds: one per resource.
    records: usize,
}

impl Case {
    fn new(stack: &'static str) -> Case {
        let emulator = Emulator::shared();
        let dir = tempfile::tempdir().expect("tempdir");
        let src = support::repo_root()
            .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2");
        assert!(
            src.exists(),
            "{} is missing: ../shared must sit beside the checkout",
            src.display()
        );
        for f in FILES {
            std::fs::copy(src.join(f), dir.path().join(f)).expect("copy fixture");
        }
        let parent = dir.path().join("parent.yml");
        let options = infra_template::LoadOptions {
            pseudo: infra_template::Pseudo {
                region: Some(support::REGION.to_owned()),
                account_id: Some(support::ACCOUNT_ID.to_owned()),
                stack_name: stack.to_owned(),
            },
            ..Default::default()
        };
        let deployment = infra_template::load(&parent, &options, &infra_template::Offline)
            .unwrap_or_else(|e| panic!("the fixture does not load: {}", e.diagnostics));
        let mut declared = BTreeMap::new();
        let mut types = BTreeMap::new();
        for r in &deployment.resources {
            *declared.entry(r.type_name.clone()).or_insert(0) += 1;
            types.insert(r.address.clone(), r.type_name.clone());
        }
        let records = deployment.resources.len();
        let state = dir.path().join(format!("{stack}.json"));
        Case {
            emulator,
            stack,
            dir,
            parent,
            state,
            declared,
            types,
            records,
        }
    }

    fn lock(&self) -> PathBuf {
        infra_state::lock_path(&self.state)
    }

    /// `infra ARGS` against `endpoint`, with the emulator's environment.
    fn command(&self, endpoint: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
        self.emulator.configure(&mut cmd);
        cmd.args(args)
            .env("AWS_ENDPOINT_URL", endpoint)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        cmd
    }

    fn apply_args(&self) -> Vec<&str> {
        vec![
            "apply",
            "-t",
            s(&self.parent),
            "--stack",
            self.stack,
            "--state",
            s(&self.state),
            "--auto-approve",
        ]
    }

    /// Starts the apply through the latency proxy, its output going to files.
    fn start_slow_apply(&self, proxy: &Proxy) -> Running {
        let stdout = self.dir.path().join("stopped-apply.stdout");
        let stderr = self.dir.path().join("stopped-apply.stderr");
        let child = self
            .command(&proxy.endpoint(), &self.apply_args())
            .stdout(Stdio::from(std::fs::File::create(&stdout).expect("log")))
            .stderr(Stdio::from(std::fs::File::create(&stderr).expect("log")))
            .spawn()
            .expect("starts infra apply");
        Running {
            child,
            stdout,
            stderr,
            started: Instant::now(),
        }
    }

    /// Waits until the apply has completed a few creates and a slow one is in flight; returns
    /// the slow operations in flight.
    fn wait_for_operations_in_flight(&self, run: &mut Running) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let out = std::fs::read_to_string(&run.stdout).unwrap_or_default();
            let (started, done) = progress(&out);
            let slow: Vec<String> = started
                .difference(&done)
                .filter(|a| {
                    self.types
                        .get(*a)
                        .is_some_and(|t| SLOW.contains(&t.as_str()))
                })
                .cloned()
                .collect();
            if done.len() >= COMPLETED_BEFORE_SIGNAL && !slow.is_empty() {
                return slow;
            }
            if let Some(status) = run.child.try_wait().expect("poll infra") {
                panic!(
                    "the apply ended ({}) before operations were in flight\n{}",
                    describe(status),
                    run.logs()
                );
            }
            if Instant::now() > deadline {
                let _ = run.child.kill();
                let _ = run.child.wait();
                panic!(
                    "no slow create in flight after {COMPLETED_BEFORE_SIGNAL} completed ones \
                     within 90 s\n{}",
                    run.logs()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The state, read as `infra` reads it (and as plain JSON first).
    fn state(&self) -> infra_state::State {
        let bytes = std::fs::read(&self.state)
            .unwrap_or_else(|e| panic!("{} cannot be read: {e}", self.state.display()));
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_else(|e| {
            panic!(
                "{} is not JSON: {e}\n{}",
                self.state.display(),
                String::from_utf8_lossy(&bytes)
            )
        });
        infra_state::read_state(&self.state)
            .unwrap_or_else(|e| panic!("{} is not a state: {e}", self.state.display()))
            .unwrap_or_else(|| panic!("{} holds no state", self.state.display()))
    }

    /// Applies to the end through `proxy` (no latency) and checks that every counted type has
    /// exactly the template's number of objects and the state has no intent left.
    fn apply_to_the_end(&self, proxy: &Proxy, what: &str) {
        let started = Instant::now();
        let o = self
            .command(&proxy.endpoint(), &self.apply_args())
            .output()
            .expect("runs infra apply");
        let (out, _) = succeeded(what, &o);
        eprintln!("{}: {what} took {:?}", self.stack, started.elapsed());
        assert!(out.contains("Apply complete!"), "{what}:\n{out}");
        let state = self.state();
        assert!(
            state.pending.is_empty(),
            "{what} left intents unresolved: {:?}",
            state.pending.iter().map(|i| &i.address).collect::<Vec<_>>()
        );
        assert_eq!(
            state.resources.len(),
            self.records,
            "records after {what}: {:?}",
            state.resources.keys().collect::<Vec<_>>()
        );
        let live = census::take(&self.emulator.endpoint, support::REGION, self.stack);
        let wrong: Vec<String> = live
            .iter()
            .filter_map(|(t, n)| {
                let declared = self.declared.get(*t).copied().unwrap_or(0);
                (*n != declared)
                    .then(|| format!("{t}: {n} exist, the template declares {declared}"))
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "after {what} of stack {}, the emulator does not hold what the template declares:\n  \
             {}\nall counts: {live:?}\n{what} output:\n{out}",
            self.stack,
            wrong.join("\n  ")
        );
    }

    /// Destroys through `proxy` and checks nothing of the stack is left.
    fn destroy(&self, proxy: &Proxy) {
        let o = self
            .command(
                &proxy.endpoint(),
                &[
                    "destroy",
                    "--stack",
                    self.stack,
                    "--state",
                    s(&self.state),
                    "--auto-approve",
                ],
            )
            .output()
            .expect("runs infra destroy");
        let (out, _) = succeeded("destroy", &o);
        assert!(out.contains("Destroy complete!"), "{out}");
        let state = self.state();
        assert!(
            state.resources.is_empty() && state.pending.is_empty(),
            "the state is not empty after destroy: {:?}, intents {:?}",
            state.resources.keys().collect::<Vec<_>>(),
            state.pending.iter().map(|i| &i.address).collect::<Vec<_>>()
        );
        let live = census::take(&self.emulator.endpoint, support::REGION, self.stack);
        let left: Vec<_> = live.iter().filter(|(_, n)| **n > 0).collect();
        assert!(
            left.is_empty(),
            "left after destroy of stack {}: {left:?}",
            self.stack
        );
        assert!(!self.lock().exists(), "destroy left the lock");
    }
}

/// An `infra` process whose output goes to files.
struct Running {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
    started: Instant,
}

impl Running {
    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn logs(&self) -> String {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            std::fs::read_to_string(&self.stdout).unwrap_or_default(),
            self.stderr()
        )
    }

    /// Waits for the process to end, at most `limit` after `since` and then 20 s more
    /// (killing it then); its status and when it ended, counted from `since`.
    fn wait(&mut self, since: Instant, limit: Duration) -> (ExitStatus, Duration) {
        let give_up = limit + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("poll infra") {
                return (status, since.elapsed());
            }
            if since.elapsed() > give_up {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "infra was still running {give_up:?} after the signal (it must end within \
                     {limit:?}); killed\n{}",
                    self.logs()
                );
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Addresses whose create started, and those whose create completed, in an apply's output
/// (`ADDRESS: Creating...`, `ADDRESS: Creation complete after ...`).
fn progress(out: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut started = BTreeSet::new();
    let mut done = BTreeSet::new();
    for line in out.lines() {
        let Some((address, rest)) = line.trim().split_once(": ") else {
            continue;
        };
        if rest.starts_with("Creating...") {
            started.insert(address.to_owned());
        } else if rest.starts_with("Creation complete") {
            done.insert(address.to_owned());
        }
    }
    (started, done)
}

/// "exit code N" or "killed by signal N".
fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}, no exit code"),
        _ => format!("{status}"),
    }
}

fn succeeded(what: &str, o: &Output) -> (String, String) {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        o.status.success(),
        "{what} failed ({})\nstdout:\n{out}\nstderr:\n{err}",
        describe(o.status)
    );
    (out, err)
}

fn latency_proxy(emulator: &Emulator) -> Proxy {
    let model = support::repo_root().join("crates/infra-engine/data/latency-model.json");
    Proxy::spawn(ProxyConfig {
        latency: Some(LatencyModel::load(&model).expect("latency model")),
        scale: Some(SCALE),
        ..ProxyConfig::new(&emulator.endpoint)
    })
    .expect("latency proxy")
}

fn plain_proxy(emulator: &Emulator) -> Proxy {
    Proxy::spawn(ProxyConfig::new(&emulator.endpoint)).expect("proxy")
}

/// One signal during the apply: the run stops in time with the signal's code, releases its
/// lock and saves its state; the next apply finishes with nothing duplicated.
fn one_signal_stops_the_apply(signal: Signal, stack: &'static str) {
    let case = Case::new(stack);
    let slow = latency_proxy(case.emulator);
    let mut run = case.start_slow_apply(&slow);
    let in_flight = case.wait_for_operations_in_flight(&mut run);
    let sent = Instant::now();
    signal.send(run.child.id());
    let (status, took) = run.wait(sent, STOP_WITHIN);
    let stderr = run.stderr();
    eprintln!(
        "{stack}: {} sent {:?} after start with {in_flight:?} in flight; exited ({}) {took:?} \
         after it; stderr:\n{stderr}",
        signal.name(),
        sent - run.started,
        describe(status)
    );
    assert_eq!(
        status.code(),
        Some(signal.exit_code()),
        "after {}, infra ended with {} (expected exit code {})\n{}",
        signal.name(),
        describe(status),
        signal.exit_code(),
        run.logs()
    );
    assert!(
        took <= STOP_WITHIN,
        "infra exited {took:?} after {} (limit {STOP_WITHIN:?})\n{}",
        signal.name(),
        run.logs()
    );
    let said = format!("{} received. Stopping", signal.name());
    assert!(
        stderr.contains(&said),
        "stderr does not say {said:?}:\n{stderr}"
    );
    assert!(
        !case.lock().exists(),
        "the lock {} is left after {}: {}\n{}",
        case.lock().display(),
        signal.name(),
        std::fs::read_to_string(case.lock()).unwrap_or_default(),
        run.logs()
    );
    let state = case.state();
    let pending: Vec<&str> = state.pending.iter().map(|i| i.address.as_str()).collect();
    eprintln!(
        "{stack}: state after the stop: {} records, intents {pending:?}",
        state.resources.len()
    );
    // The slow creates need seconds more than the 1 s grace: they were abandoned, and their
    // intents are what the next run resolves.
    assert!(
        !pending.is_empty(),
        "no intent saved in the state although {in_flight:?} were in flight at the signal \
         (they take seconds more than the grace)\n{}",
        run.logs()
    );
    // The state was saved: every create the run reported complete is recorded, and every
    // create it started is recorded or has its intent.
    let (started, done) = progress(&std::fs::read_to_string(&run.stdout).unwrap_or_default());
    let unrecorded: Vec<&String> = done
        .iter()
        .filter(|a| !state.resources.contains_key(*a))
        .collect();
    assert!(
        unrecorded.is_empty(),
        "reported complete but not in the saved state: {unrecorded:?}\n{}",
        run.logs()
    );
    let lost: Vec<&String> = started
        .iter()
        .filter(|a| !state.resources.contains_key(*a) && !pending.contains(&a.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "started but neither recorded nor kept as an intent: {lost:?}\n{}",
        run.logs()
    );

    let fast = plain_proxy(case.emulator);
    case.apply_to_the_end(&fast, &format!("the apply after {}", signal.name()));
    case.destroy(&fast);
}

#[test]
fn sigterm_stops_an_apply_within_two_seconds_with_143_and_the_next_apply_duplicates_nothing() {
    one_signal_stops_the_apply(Signal::Term, "sigterm");
}

#[test]
fn sigint_stops_an_apply_within_two_seconds_with_130_and_the_next_apply_duplicates_nothing() {
    one_signal_stops_the_apply(Signal::Int, "sigint");
}

/// Waits until the lock file beside the state names `pid`; its id.
fn lock_id_of(case: &Case, run: &mut Running) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(bytes) = std::fs::read(case.lock())
            && let Ok(info) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && info["pid"].as_u64() == Some(u64::from(run.child.id()))
        {
            return info["id"]
                .as_str()
                .unwrap_or_else(|| panic!("the lock has no id: {info}"))
                .to_owned();
        }
        if let Some(status) = run.child.try_wait().expect("poll infra") {
            panic!(
                "infra ended ({}) before it was seen holding the lock\n{}",
                describe(status),
                run.logs()
            );
        }
        assert!(
            Instant::now() < deadline,
            "no lock naming pid {} at {}",
            run.child.id(),
            case.lock().display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The words of a command line as a POSIX shell splits it (plain words and single quotes,
/// which is how `infra` quotes a path).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn a_second_signal_exits_at_once_leaving_the_lock_and_the_printed_force_unlock_removes_it() {
    // As GitHub Actions cancels: SIGINT, then SIGTERM.
    let (first, second) = (Signal::Int, Signal::Term);
    let case = Case::new("sigtwice");
    let slow = latency_proxy(case.emulator);
    let mut run = case.start_slow_apply(&slow);
    let id = lock_id_of(&case, &mut run);
    let in_flight = case.wait_for_operations_in_flight(&mut run);
    // The lock read before the signals is the one the run holds.
    assert_eq!(
        lock_id_of(&case, &mut run),
        id,
        "the lock changed during the apply"
    );

    let first_sent = Instant::now();
    first.send(run.child.id());
    std::thread::sleep(SECOND_AFTER);
    if let Some(status) = run.child.try_wait().expect("poll infra") {
        panic!(
            "infra ended ({}) {:?} after {}, before the second signal, although {in_flight:?} \
             were in flight (the grace is 1 s)\n{}",
            describe(status),
            first_sent.elapsed(),
            first.name(),
            run.logs()
        );
    }
    let second_sent = Instant::now();
    second.send(run.child.id());
    let (status, took) = run.wait(second_sent, EXIT_AT_ONCE);
    eprintln!(
        "sigtwice: {} sent {:?} after start with {in_flight:?} in flight, {} {:?} later; exited \
         ({}) {took:?} after the second; stderr:\n{}",
        first.name(),
        first_sent - run.started,
        second.name(),
        second_sent - first_sent,
        describe(status),
        run.stderr()
    );
    assert_eq!(
        status.code(),
        Some(second.exit_code()),
        "after {} then {}, infra ended with {} (expected the second signal's exit code {})\n{}",
        first.name(),
        second.name(),
        describe(status),
        second.exit_code(),
        run.logs()
    );
    assert!(
        took <= EXIT_AT_ONCE,
        "infra exited {took:?} after the second signal (at once means within {EXIT_AT_ONCE:?})\n{}",
        run.logs()
    );
    let stderr = run.stderr();
    let line = stderr
        .lines()
        .find(|l| l.contains("infra force-unlock"))
        .unwrap_or_else(|| panic!("stderr has no `infra force-unlock` command:\n{stderr}"));
    assert!(
        line.contains(&id),
        "the force-unlock command does not name the lock id {id}: {line}\nstderr:\n{stderr}"
    );
    let lock = std::fs::read(case.lock()).unwrap_or_else(|e| {
        panic!(
            "the lock {} is gone after the second signal ({e}); the printed command is then \
             useless\n{stderr}",
            case.lock().display()
        )
    });
    let lock: serde_json::Value = serde_json::from_slice(&lock).expect("the lock is JSON");
    assert_eq!(
        lock["id"].as_str(),
        Some(id.as_str()),
        "the lock left behind"
    );

    // The exact command printed, run as the user would (with this build's binary).
    let command = &line[line.find("infra force-unlock").expect("found above")..];
    let words = shell_words(command);
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let fast = plain_proxy(case.emulator);
    let unlocked = case
        .command(&fast.endpoint(), &args)
        .output()
        .expect("runs infra force-unlock");
    let (out, _) = succeeded(&format!("the printed `{command}`"), &unlocked);
    assert!(out.contains(&format!("Lock {id} removed")), "{out}");
    assert!(!case.lock().exists(), "force-unlock left the lock");

    case.apply_to_the_end(&fast, "the apply after force-unlock");
    case.destroy(&fast);
}
