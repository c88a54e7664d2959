//! The lock beside a state file.

use std::fs;
use std::path::Path;

use infra_state::{
    LockError, LockGuard, LockInfo, Uuid, force_unlock, force_unlock_command, lock_path, now,
    read_lock,
};

use crate::support::{mode, names_in, state_dir};

/// Writes a lock file for the state at `state_path` naming `pid` on `host`.
fn plant_lock(state_path: &Path, pid: u32, host: &str) -> LockInfo {
    let info = LockInfo {
        id: Uuid::new_v4(),
        pid,
        host: host.to_owned(),
        user: Some("alice".to_owned()),
        command: "infra apply --stack demo".to_owned(),
        created: now(),
    };
    fs::create_dir_all(state_path.parent().expect("state directory")).expect("create directory");
    fs::write(
        lock_path(state_path),
        serde_json::to_vec(&info).expect("encode"),
    )
    .expect("write");
    info
}

/// The pid of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("spawn `true`");
    let pid = child.id();
    child.wait().expect("wait for `true`");
    pid
}

fn this_host() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn lock_file_names_its_holder_and_is_private() {
    let (_directory, path) = state_dir();
    let guard = LockGuard::acquire(&path, "infra apply --stack demo").expect("acquire");
    assert_eq!(guard.lock_path(), lock_path(&path));
    assert_eq!(mode(&lock_path(&path)), 0o600);
    let on_disk = read_lock(&path).expect("read lock").expect("locked");
    assert_eq!(&on_disk, guard.info());
    assert_eq!(on_disk.pid, std::process::id());
    assert_eq!(on_disk.host, this_host());
    assert_eq!(on_disk.command, "infra apply --stack demo");
    // Only the lock itself is left in the directory, no temporary file.
    assert_eq!(
        names_in(path.parent().expect("state directory")),
        ["demo.json.lock"]
    );
}

#[test]
fn second_acquire_fails_naming_the_holder() {
    let (_directory, path) = state_dir();
    let guard = LockGuard::acquire(&path, "infra apply --stack demo").expect("acquire");
    let before = fs::read(lock_path(&path)).expect("read lock");
    let error = LockGuard::acquire(&path, "infra destroy --stack demo").expect_err("held");
    let LockError::Held { holder, .. } = &error else {
        panic!("expected Held, got {error:?}");
    };
    assert_eq!(&**holder, guard.info());
    let message = error.to_string();
    for part in [
        format!("pid {}", std::process::id()),
        format!("host {}", this_host()),
        "`infra apply --stack demo`".to_owned(),
        guard.info().created.to_string(),
        guard.info().id.to_string(),
    ] {
        assert!(message.contains(&part), "{part:?} missing from: {message}");
    }
    assert!(!message.contains("force-unlock"), "{message}");
    assert_eq!(fs::read(lock_path(&path)).expect("read lock"), before);
}

#[test]
fn dropping_the_guard_releases_the_lock() {
    let (_directory, path) = state_dir();
    drop(LockGuard::acquire(&path, "infra plan").expect("acquire"));
    assert!(!lock_path(&path).exists());
    let guard = LockGuard::acquire(&path, "infra plan").expect("acquire again");
    guard.release().expect("release");
    assert!(!lock_path(&path).exists());
}

#[test]
fn stale_lock_is_reported_with_the_force_unlock_command() {
    let (_directory, path) = state_dir();
    let planted = plant_lock(&path, dead_pid(), &this_host());
    let error = LockGuard::acquire(&path, "infra apply").expect_err("stale");
    assert!(matches!(error, LockError::Stale { .. }), "{error:?}");
    let command = format!(
        "infra force-unlock --state {} {}",
        path.display(),
        planted.id
    );
    assert_eq!(force_unlock_command(&path, &planted.id), command);
    let message = error.to_string();
    assert!(message.contains("no longer exists"), "{message}");
    assert!(message.ends_with(&command), "{message}");
    // Reporting it does not remove it.
    assert_eq!(read_lock(&path).expect("read lock"), Some(planted));
}

#[test]
fn lock_from_another_host_is_held_with_the_command_as_a_hint() {
    let (_directory, path) = state_dir();
    let planted = plant_lock(&path, dead_pid(), "some-other-host.example");
    let error = LockGuard::acquire(&path, "infra apply").expect_err("held elsewhere");
    assert!(
        matches!(error, LockError::HeldElsewhere { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains(&force_unlock_command(&path, &planted.id))
    );
}

#[test]
fn force_unlock_removes_only_the_named_lock() {
    let (_directory, path) = state_dir();
    let planted = plant_lock(&path, dead_pid(), &this_host());
    let error = force_unlock(&path, &Uuid::new_v4().to_string()).expect_err("wrong id");
    assert!(matches!(error, LockError::IdMismatch { .. }), "{error:?}");
    assert!(error.to_string().contains("nothing was removed"), "{error}");
    let error = force_unlock(&path, "not-an-id").expect_err("not an id");
    assert!(matches!(error, LockError::IdMismatch { .. }), "{error:?}");
    assert!(lock_path(&path).exists());

    let removed = force_unlock(&path, &planted.id.to_string()).expect("force unlock");
    assert_eq!(removed, planted);
    assert!(!lock_path(&path).exists());
    let error = force_unlock(&path, &planted.id.to_string()).expect_err("already gone");
    assert!(matches!(error, LockError::NotLocked { .. }), "{error:?}");
    LockGuard::acquire(&path, "infra apply").expect("free again");
}

#[test]
fn guard_does_not_remove_a_lock_that_replaced_it() {
    let (_directory, path) = state_dir();
    let guard = LockGuard::acquire(&path, "infra apply").expect("acquire");
    force_unlock(&path, &guard.info().id.to_string()).expect("force unlock");
    let newcomer = LockGuard::acquire(&path, "infra destroy").expect("newcomer");
    let error = guard.release().expect_err("replaced");
    assert!(matches!(error, LockError::IdMismatch { .. }), "{error:?}");
    assert_eq!(
        read_lock(&path).expect("read lock").as_ref(),
        Some(newcomer.info())
    );
}

#[test]
fn corrupt_lock_is_reported_and_left_in_place() {
    let (_directory, path) = state_dir();
    fs::create_dir_all(path.parent().expect("state directory")).expect("create directory");
    fs::write(lock_path(&path), b"{\"id\": ").expect("write lock");
    let error = LockGuard::acquire(&path, "infra apply").expect_err("corrupt");
    assert!(matches!(error, LockError::Corrupt { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&lock_path(&path).display().to_string()),
        "{message}"
    );
    assert!(message.contains("left in place"), "{message}");
    let error = force_unlock(&path, &Uuid::new_v4().to_string()).expect_err("corrupt");
    assert!(matches!(error, LockError::Corrupt { .. }), "{error:?}");
    assert_eq!(fs::read(lock_path(&path)).expect("read lock"), b"{\"id\": ");
}

#[test]
fn only_one_of_many_racing_acquirers_wins() {
    let (_directory, path) = state_dir();
    let results: Vec<Result<LockGuard, LockError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| LockGuard::acquire(&path, "infra apply")))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("thread"))
            .collect()
    });
    let winners = results.iter().filter(|result| result.is_ok()).count();
    assert_eq!(winners, 1, "{results:?}");
    for result in &results {
        if let Err(error) = result {
            assert!(matches!(error, LockError::Held { .. }), "{error:?}");
        }
    }
}
