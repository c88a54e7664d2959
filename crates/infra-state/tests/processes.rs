//! Lock contention between real processes: this test binary re-runs itself as children that
//! each try to take the same lock at the same moment. Children report on stdout.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

const CHILD: &str = "INFRA_STATE_LOCK_CHILD";

/// Run as a child: take the lock, report, hold it a while so every sibling collides.
#[test]
fn child_takes_the_lock() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let start: u128 = std::env::var("INFRA_STATE_LOCK_START")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    while now_ms() < start {
        std::thread::sleep(Duration::from_millis(1));
    }
    match infra_state::LockGuard::acquire(&PathBuf::from(path), "apply") {
        Ok(guard) => {
            println!("WON {}", guard.info().id);
            std::thread::sleep(Duration::from_millis(600));
        }
        Err(e) => println!("LOST {e}"),
    }
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

#[test]
fn of_several_processes_exactly_one_takes_the_lock_and_the_others_name_it() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("race.json");
    let exe = std::env::current_exe().expect("test binary");
    let start = now_ms() + 1500;
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "child_takes_the_lock",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD, &state)
                .env("INFRA_STATE_LOCK_START", start.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("child starts")
        })
        .collect();
    let outputs: Vec<String> = children
        .into_iter()
        .map(|c| {
            String::from_utf8_lossy(&c.wait_with_output().expect("child runs").stdout).into_owned()
        })
        .collect();
    let winners: Vec<&String> = outputs.iter().filter(|o| o.contains("WON ")).collect();
    let losers: Vec<&String> = outputs.iter().filter(|o| o.contains("LOST ")).collect();
    assert_eq!(winners.len(), 1, "exactly one winner: {outputs:#?}");
    assert_eq!(losers.len(), 5, "{outputs:#?}");
    let id = winners[0]
        .lines()
        .find_map(|l| l.split("WON ").nth(1))
        .expect("winner's lock id")
        .trim()
        .to_string();
    for l in losers {
        assert!(
            l.contains(&id),
            "a loser names the holder's lock id {id}: {l}"
        );
    }
    assert!(
        !infra_state::lock_path(&state).exists(),
        "the winner released the lock"
    );
}
