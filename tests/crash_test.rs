//! Crash consistency of `apply` on the AWS API emulator, on the reference workload (the
//! fixture's `parent.yml` and its nested stacks) or on the template `CRASH_TEMPLATE` names.
//!
//! Each trial applies the workload, kills `infra` with SIGKILL at a random moment, applies
//! again, and checks through each service's API that exactly one object exists per resource in
//! the state and nothing else (no orphan, no duplicate), that every state file written was
//! readable, and that a second plan has nothing to do; then destroys, kills that too at a
//! random moment, destroys again and checks that nothing is left. The kill moments are drawn from a seeded generator, so a failing run is replayed
//! with the seed it printed.
//!
//! Not part of `cargo test` (it is `#[ignore]`): `scripts/crash-test [N]` runs it, with
//! `CRASH_TRIALS` (default 5), `CRASH_SEED` (default: the clock), `CRASH_FROM` (the first
//! trial of the seed's sequence to run, to replay one), `CRASH_TEMPLATE` (the template to run
//! the trials on, default the reference workload; its parameters need defaults) and
//! `CRASH_REPORT` (a file the results table is written to). A failed trial keeps its logs and
//! state files and says where. Every type the template uses must be listed by the census
//! (`crash/census.rs`, `crash/census_more.rs`, `crash/census_apps.rs`): a recorded type it
//! cannot list fails the trial.

// The trial lines and the results table are this test's output.
#![allow(clippy::print_stdout)]

#[path = "support/mod.rs"]
mod support;

#[path = "support/boto.rs"]
mod boto;
#[path = "crash/census.rs"]
mod census;
#[path = "crash/census_apps.rs"]
mod census_apps;
#[path = "crash/census_more.rs"]
mod census_more;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::Emulator;

const STACK: &str = "ct";

/// The template of the trials: `CRASH_TEMPLATE`, else the reference workload.
fn template() -> PathBuf {
    if let Ok(path) = std::env::var("CRASH_TEMPLATE") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "CRASH_TEMPLATE={} is not a file",
            path.display()
        );
        return path;
    }
    let parent = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    assert!(
        parent.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        parent.display()
    );
    parent
}

/// Everything the emulator holds of the types the census knows.
fn take_census(
    rt: &tokio::runtime::Runtime,
    config: &aws_config::SdkConfig,
    emulator: &Emulator,
    capacity_providers: &[String],
) -> census::Census {
    let mut live = rt.block_on(census::take(config, STACK, capacity_providers));
    census_more::take(&emulator.endpoint, STACK, &mut live);
    census_apps::take(&emulator.endpoint, STACK, &mut live);
    live
}

/// xorshift64*: a small seeded generator, so kill moments replay from the printed seed.
struct Rng(u64);

impl Rng {
    fn fraction(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        bits as f64 / (1u64 << 53) as f64
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text} is not a valid value")),
        Err(_) => default,
    }
}

struct Trial<'a> {
    emulator: &'a Emulator,
    parent: PathBuf,
    state: PathBuf,
    dir: tempfile::TempDir,
}

impl Trial<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
        self.emulator.configure(&mut cmd);
        cmd.args(args)
            .args(["--stack", STACK, "--state"])
            .arg(&self.state)
            .env("NO_COLOR", "1");
        cmd
    }

    fn apply_args(&self) -> Vec<String> {
        vec![
            "apply".into(),
            "--auto-approve".into(),
            "-t".into(),
            self.parent.display().to_string(),
        ]
    }

    fn run(&self, args: &[String]) -> Output {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.command(&args).output().expect("runs infra")
    }

    fn state(&self) -> Option<infra_state::State> {
        infra_state::read_state(&self.state).unwrap_or_else(|error| {
            panic!(
                "corrupt state after a kill: {error}\n{}",
                std::fs::read_to_string(&self.state).unwrap_or_default()
            )
        })
    }

    /// Removes a lock the killed process left, as an operator would: by its id.
    fn unlock_if_held(&self) -> bool {
        let Some(lock) = infra_state::read_lock(&self.state).expect("readable lock") else {
            return false;
        };
        let out = self
            .command(&["force-unlock", &lock.id.to_string()])
            .output()
            .expect("runs infra");
        ok("force-unlock", &out);
        true
    }
}

fn ok(what: &str, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({:?})\nstdout:\n{stdout}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

struct Row {
    kill_ms: u128,
    killed: bool,
    adopted: usize,
    destroy_kill_ms: u128,
    destroy_killed: bool,
    recorded_at_kill: usize,
    pending_at_kill: usize,
    resolved: usize,
    live_after: usize,
    problems: Vec<String>,
    leftovers: usize,
}

fn aws(emulator: &Emulator) -> (tokio::runtime::Runtime, aws_config::SdkConfig) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = rt.block_on(
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(support::REGION))
            .endpoint_url(&emulator.endpoint)
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load(),
    );
    (rt, config)
}

fn capacity_provider_names(state: Option<&infra_state::State>) -> Vec<String> {
    let Some(state) = state else {
        return Vec::new();
    };
    state
        .resources
        .values()
        .filter(|r| r.resource_type == "AWS::ECS::CapacityProvider")
        .map(|r| r.physical_id.clone())
        .chain(
            state
                .pending
                .iter()
                .filter(|i| i.resource_type == "AWS::ECS::CapacityProvider")
                .filter_map(|i| i.expected_name.clone()),
        )
        .collect()
}

/// The first line an apply or a destroy prints when its first change starts (`Creating...`,
/// `Destroying...`): kill times count from there, so that every kill lands while changes run
/// rather than during start-up, lookups and planning (which on a freshly reset emulator take
/// longer than the changes themselves).
const FIRST_CHANGE: [&str; 2] = [": Creating...", ": Destroying..."];

/// Runs `infra` with `args` and kills it with SIGKILL once `kill_at` has passed since its first
/// change started ([`FIRST_CHANGE`]); whether it was killed (it may have finished first).
fn run_and_kill(t: &Trial<'_>, args: &[String], kill_at: Duration, log: &str) -> bool {
    run_watched(t, args, Some(kill_at), log).0
}

/// Runs `infra` with `args`, logging to `log`; kills it `kill_at` after its first change
/// started, if given. Whether it was killed, and the time from its first change to its end.
fn run_watched(
    t: &Trial<'_>,
    args: &[String],
    kill_at: Option<Duration>,
    log: &str,
) -> (bool, Duration) {
    let path = t.dir.path().join(log);
    let file = std::fs::File::create(&path).expect("log");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = t
        .command(&args)
        .stdout(Stdio::from(file.try_clone().expect("log")))
        .stderr(Stdio::from(file))
        .spawn()
        .expect("starts infra");
    let mut changing: Option<Instant> = None;
    loop {
        if changing.is_none()
            && std::fs::read_to_string(&path)
                .is_ok_and(|text| FIRST_CHANGE.iter().any(|mark| text.contains(mark)))
        {
            changing = Some(Instant::now());
        }
        let since = changing.map_or(Duration::ZERO, |at| at.elapsed());
        if child.try_wait().expect("wait").is_some() {
            return (false, since);
        }
        if let (Some(kill_at), Some(_)) = (kill_at, changing)
            && since >= kill_at
        {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            return (true, since);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// How many lines of the plan's recovery section contain one of `marks`.
fn recovered(output: &str, marks: &[&str]) -> usize {
    output
        .lines()
        .filter(|l| l.starts_with("  ") && marks.iter().any(|mark| l.contains(mark)))
        .count()
}

/// One trial; `expected` is the number of resources an uninterrupted apply records.
fn trial(
    emulator: &Emulator,
    expected: usize,
    kill_at: Duration,
    destroy_kill_at: Duration,
) -> Row {
    emulator.reset();
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Trial {
        emulator,
        parent: template(),
        state: dir.path().join("ct.json"),
        dir,
    };
    let (rt, config) = aws(emulator);

    // 1. Apply, killed at `kill_at`.
    let args: Vec<String> = t.apply_args();
    let killed = run_and_kill(&t, &args, kill_at, "killed-apply.log");
    let at_kill = t.state();
    if let Ok(bytes) = std::fs::read(&t.state) {
        std::fs::write(t.dir.path().join("at-kill.json"), bytes).expect("copy");
    }
    let recorded_at_kill = at_kill.as_ref().map_or(0, |s| s.resources.len());
    let pending_at_kill = at_kill.as_ref().map_or(0, |s| s.pending.len());
    let mut names = capacity_provider_names(at_kill.as_ref());
    t.unlock_if_held();

    // 2. Apply again, to the end.
    let out = ok("the apply after the kill", &t.run(&args));
    std::fs::write(t.dir.path().join("reapply.log"), &out).expect("log");
    if let Ok(bytes) = std::fs::read(&t.state) {
        std::fs::write(t.dir.path().join("after-reapply.json"), bytes).expect("copy");
    }
    let adopted = recovered(&out, &[": adopted "]);
    let resolved = recovered(
        &out,
        &[
            ": adopted ",
            ": nothing was made",
            "was deleted by the interrupted",
            "still exists",
        ],
    );
    let after = t.state().expect("a state after apply");
    assert!(
        after.pending.is_empty(),
        "intents left: {:#?}",
        after.pending
    );
    names.extend(capacity_provider_names(Some(&after)));
    names.sort();
    names.dedup();
    let live = take_census(&rt, &config, emulator, &names);
    let mut problems = census::compare(&live, &after);
    if after.resources.len() != expected {
        problems.push(format!(
            "{} resources recorded, not {expected}",
            after.resources.len()
        ));
    }

    // 3. A second plan has nothing to do (without refresh: the emulator leaves some fields
    // out of its descriptions, see tests/workload_e2e.rs).
    let plan = t.run(&[
        "plan".into(),
        "-t".into(),
        t.parent.display().to_string(),
        "--refresh=false".into(),
        "--detailed-exitcode".into(),
    ]);
    if plan.status.code() != Some(0) {
        problems.push(format!(
            "the second plan is not empty ({:?}):\n{}",
            plan.status.code(),
            String::from_utf8_lossy(&plan.stdout)
        ));
    }

    // 4. Destroy, killed at `destroy_kill_at`, then destroy again: nothing left.
    let destroy: Vec<String> = vec!["destroy".into(), "--auto-approve".into()];
    let destroy_killed = run_and_kill(&t, &destroy, destroy_kill_at, "killed-destroy.log");
    if t.state().is_none() {
        problems.push("the state file is gone after the killed destroy".into());
    }
    t.unlock_if_held();
    ok("destroy", &t.run(&destroy));
    let destroyed = t.state().expect("a state after destroy");
    if !destroyed.resources.is_empty() || !destroyed.pending.is_empty() {
        problems.push(format!(
            "the state is not empty after destroy: {} resources, {} intents",
            destroyed.resources.len(),
            destroyed.pending.len()
        ));
    }
    let left = take_census(&rt, &config, emulator, &names);
    let leftovers = census::total(&left);
    if !problems.is_empty() || leftovers > 0 {
        // Keep the logs and states of a failed trial for a look.
        let kept = t.dir.keep();
        problems.push(format!("logs and state kept in {}", kept.display()));
    }
    Row {
        kill_ms: kill_at.as_millis(),
        killed,
        adopted,
        destroy_kill_ms: destroy_kill_at.as_millis(),
        destroy_killed,
        recorded_at_kill,
        pending_at_kill,
        resolved,
        live_after: census::total(&live),
        problems,
        leftovers,
    }
}

fn report(seed: u64, windows: (Duration, Duration), rows: &[Row]) -> String {
    let mut text = String::new();
    let killed = rows.iter().filter(|r| r.killed).count();
    let destroys_killed = rows.iter().filter(|r| r.destroy_killed).count();
    let failed = rows
        .iter()
        .filter(|r| !r.problems.is_empty() || r.leftovers > 0)
        .count();
    let _ = writeln!(
        text,
        "seed {seed}, {} trials, kill windows {} ms (apply) and {} ms (destroy); {killed} applies and {destroys_killed} destroys killed mid-run; {failed} failed",
        rows.len(),
        windows.0.as_millis(),
        windows.1.as_millis()
    );
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "| trial | apply killed at (ms) | recorded / pending at the kill | intents resolved (adopted) | live objects after re-apply | mismatches | destroy killed at (ms) | leftovers after destroy |"
    );
    let _ = writeln!(text, "|---|---|---|---|---|---|---|---|");
    let finished = |killed: bool| if killed { "" } else { " (finished first)" };
    for (i, r) in rows.iter().enumerate() {
        let _ = writeln!(
            text,
            "| {} | {}{} | {} / {} | {} ({}) | {} | {} | {}{} | {} |",
            i + 1,
            r.kill_ms,
            finished(r.killed),
            r.recorded_at_kill,
            r.pending_at_kill,
            r.resolved,
            r.adopted,
            r.live_after,
            r.problems.len(),
            r.destroy_kill_ms,
            finished(r.destroy_killed),
            r.leftovers
        );
    }
    text
}

#[test]
#[ignore = "long: run by scripts/crash-test"]
fn killed_applies_lose_nothing_and_duplicate_nothing() {
    let trials: usize = env_or("CRASH_TRIALS", 5);
    let seed: u64 = env_or(
        "CRASH_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs()),
    );
    println!(
        "crash test: {}, seed {seed} (replay with CRASH_SEED={seed}), {trials} trials",
        template().display()
    );
    let emulator = Emulator::start();
    let mut rng = Rng(seed.max(1));

    // The kill windows: the change phase (from the first change to the end) of the faster of
    // two uninterrupted applies, and of their destroys (the first run of an emulator is
    // slower); and how many resources an uninterrupted apply records.
    let mut expected = 0;
    let (window, destroy_window) = (0..2)
        .map(|_| {
            emulator.reset();
            let dir = tempfile::tempdir().expect("tempdir");
            let t = Trial {
                emulator: &emulator,
                parent: template(),
                state: dir.path().join("ct.json"),
                dir,
            };
            let (_, apply) = run_watched(&t, &t.apply_args(), None, "calibrate-apply.log");
            expected = t.state().map_or(0, |s| s.resources.len());
            let destroy: Vec<String> = vec!["destroy".into(), "--auto-approve".into()];
            let (_, destroy) = run_watched(&t, &destroy, None, "calibrate-destroy.log");
            // Both must have finished cleanly and changed something.
            let text =
                |log: &str| std::fs::read_to_string(t.dir.path().join(log)).unwrap_or_default();
            for (log, done) in [
                ("calibrate-apply.log", "Apply complete!"),
                ("calibrate-destroy.log", "Destroy complete!"),
            ] {
                assert!(
                    text(log).contains(done),
                    "the calibrating run failed:\n{}",
                    text(log)
                );
            }
            assert!(
                !apply.is_zero() && !destroy.is_zero(),
                "no change was seen starting"
            );
            (apply, destroy)
        })
        .fold(
            (Duration::MAX, Duration::MAX),
            |(a, d), (apply, destroy)| (a.min(apply), d.min(destroy)),
        );

    // `CRASH_FROM=K` replays from trial K of the seed's sequence.
    let from: usize = env_or("CRASH_FROM", 1);
    let mut rows = Vec::new();
    for i in 0..trials {
        // The last moments of a run only print: kill within the first 90 %.
        let kill_at = window.mul_f64(0.9 * rng.fraction());
        let destroy_kill_at = destroy_window.mul_f64(0.9 * rng.fraction());
        if i + 1 < from {
            continue;
        }
        let row = trial(&emulator, expected, kill_at, destroy_kill_at);
        println!(
            "trial {}: apply killed at {} ms ({}), {} recorded and {} pending at the kill, {} resolved ({} adopted), {} mismatches; destroy killed at {} ms ({}); {} left after destroy",
            i + 1,
            row.kill_ms,
            if row.killed {
                "killed"
            } else {
                "finished first"
            },
            row.recorded_at_kill,
            row.pending_at_kill,
            row.resolved,
            row.adopted,
            row.problems.len(),
            row.destroy_kill_ms,
            if row.destroy_killed {
                "killed"
            } else {
                "finished first"
            },
            row.leftovers
        );
        for problem in &row.problems {
            println!("  {problem}");
        }
        rows.push(row);
    }
    let table = report(seed, (window, destroy_window), &rows);
    println!("\n{table}");
    if let Ok(path) = std::env::var("CRASH_REPORT") {
        std::fs::write(Path::new(&path), &table).expect("write the report");
    }
    let failed: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.problems.is_empty() || r.leftovers > 0)
        .map(|(i, _)| i + 1)
        .collect();
    assert!(failed.is_empty(), "trials {failed:?} failed (seed {seed})");
}
