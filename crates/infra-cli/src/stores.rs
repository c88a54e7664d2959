//! Where a command's state lives and how a command holds it: `--state PATH | s3://BUCKET/KEY`
//! (or `INFRA_STATE`), the backend for that location, and the state lock a command holds for
//! its whole run.
//!
//! A held lock is released when the command ends, whether it succeeds or fails, and on SIGINT
//! or SIGTERM: a watcher thread, started with the first lock, releases every held lock and exits
//! with 130 or 143, except while an apply's operations run (the apply then stops on the first
//! signal, no longer waiting for operations in flight after a short grace, and releases the lock
//! as it ends; the watcher only records the signal for the exit code).

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use infra_aws::AwsSettings;
use infra_aws::remote_state::{S3Backend, S3Url, is_s3_url};
use infra_state::{LocalBackend, StateBackend, StateLock};

/// Where a state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// A file on this machine.
    Local(PathBuf),
    /// An object in S3.
    S3(S3Url),
}

impl StateLocation {
    /// Parses `--state`: `s3://BUCKET/KEY` (anything starting with `s3:` must be a valid S3
    /// URL), else a local path.
    pub fn parse(text: &str) -> Result<StateLocation, String> {
        if text.trim().is_empty() {
            return Err("the state location is empty".into());
        }
        if is_s3_url(text) {
            return S3Url::parse(text)
                .map(StateLocation::S3)
                .map_err(|e| e.to_string());
        }
        Ok(StateLocation::Local(PathBuf::from(text)))
    }
}

impl fmt::Display for StateLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateLocation::Local(path) => write!(f, "{}", path.display()),
            StateLocation::S3(url) => write!(f, "{url}"),
        }
    }
}

/// The backend for `location`; an S3 one is configured by the AWS chain with `settings` on top.
pub fn backend(
    location: &StateLocation,
    settings: &AwsSettings,
) -> anyhow::Result<Box<dyn StateBackend>> {
    Ok(match location {
        StateLocation::Local(path) => Box::new(LocalBackend::new(path)),
        StateLocation::S3(url) => Box::new(S3Backend::connect(url.clone(), settings)?),
    })
}

/// The S3 backend for `location`, for what only S3 offers (history, versions).
pub fn s3_backend(
    location: &StateLocation,
    settings: &AwsSettings,
    what: &str,
) -> anyhow::Result<S3Backend> {
    match location {
        StateLocation::S3(url) => Ok(S3Backend::connect(url.clone(), settings)?),
        StateLocation::Local(path) => anyhow::bail!(
            "{what} needs a state in S3 with bucket versioning (--state s3://BUCKET/KEY); \
             the local state {} keeps only its previous version, as {}",
            path.display(),
            infra_state::backup_path(path).display()
        ),
    }
}

/// The state lock, held until dropped; a lock that cannot be released then is reported with
/// the command that removes it.
#[derive(Debug)]
pub struct Held {
    lock: Arc<dyn StateLock>,
    location: String,
}

/// Takes the lock of the state at `backend` for `command`; fails at once when someone holds it.
pub fn lock(backend: &dyn StateBackend, command: &str) -> anyhow::Result<Held> {
    let lock: Arc<dyn StateLock> = Arc::from(backend.lock(command)?);
    let location = backend.location().to_owned();
    held()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((location.clone(), Arc::clone(&lock)));
    watch_interrupts();
    Ok(Held { lock, location })
}

impl Drop for Held {
    fn drop(&mut self) {
        forget(&self.lock);
        if let Err(e) = self.lock.release() {
            crate::output::lock_not_released(&format!(
                "{e}; if no infra is working on {}, remove it with: {}",
                self.location,
                infra_state::force_unlock_command(
                    std::path::Path::new(&self.location),
                    &self.lock.info().id
                )
            ));
        }
    }
}

/// The locks this process holds, for the signal watcher.
type HeldLocks = Mutex<Vec<(String, Arc<dyn StateLock>)>>;

fn held() -> &'static HeldLocks {
    static HELD: OnceLock<HeldLocks> = OnceLock::new();
    HELD.get_or_init(|| Mutex::new(Vec::new()))
}

fn forget(lock: &Arc<dyn StateLock>) {
    held()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|(_, other)| !Arc::ptr_eq(other, lock));
}

/// Set while an apply's operations run: SIGINT and SIGTERM are then the apply's to handle.
static APPLYING: AtomicBool = AtomicBool::new(false);

/// The exit code of the last signal received while an apply's operations ran (0: none).
static RECEIVED: AtomicU8 = AtomicU8::new(0);

/// The signal received while an apply's operations ran, if any: the apply's own listener may
/// have stopped listening before it arrived (the operations had ended), this one never does.
pub fn signal_during_apply() -> Option<crate::signals::Stop> {
    match RECEIVED.load(Ordering::SeqCst) {
        130 => Some(crate::signals::Stop::Interrupt),
        143 => Some(crate::signals::Stop::Terminate),
        _ => None,
    }
}

/// Marks the time an apply's operations run; Ctrl-C then stops the apply instead of the
/// command. Dropping the guard ends it.
#[derive(Debug)]
pub struct Applying(());

pub fn applying() -> Applying {
    APPLYING.store(true, Ordering::SeqCst);
    Applying(())
}

impl Drop for Applying {
    fn drop(&mut self) {
        APPLYING.store(false, Ordering::SeqCst);
    }
}

/// Starts the signal watcher once. Until it runs, SIGINT and SIGTERM end the process as usual.
fn watch_interrupts() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let watcher = || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                let Ok(mut signals) = crate::signals::Signals::listen() else {
                    return;
                };
                while let Some(stop) = signals.next().await {
                    if !APPLYING.load(Ordering::SeqCst) {
                        release_all_and_exit(stop);
                    }
                    RECEIVED.store(stop.exit_code(), Ordering::SeqCst);
                }
            });
        };
        // Without the watcher, a signal keeps its default effect; the lock is then left behind
        // (and reported as stale on this host).
        let _ = std::thread::Builder::new()
            .name("infra-interrupts".into())
            .spawn(watcher);
    });
}

fn release_all_and_exit(stop: crate::signals::Stop) -> ! {
    let locks: Vec<_> = held()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain(..)
        .collect();
    let mut released = Vec::new();
    let mut failed = Vec::new();
    for (location, lock) in locks {
        match lock.release() {
            Ok(()) => released.push(location),
            Err(e) => failed.push(e.to_string()),
        }
    }
    crate::output::interrupted_outside_apply(stop, &released, &failed);
    std::process::exit(i32::from(stop.exit_code()));
}

/// The `infra force-unlock` command of every lock this process holds.
pub fn force_unlock_commands() -> Vec<String> {
    held()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(location, lock)| {
            infra_state::force_unlock_command(std::path::Path::new(location), &lock.info().id)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_flags_parse() {
        use clap::{CommandFactory as _, Parser as _};
        crate::cli::Cli::command().debug_assert();
        let cli = crate::cli::Cli::try_parse_from([
            "infra",
            "state",
            "pull",
            "--state",
            "s3://team/net.json",
            "--version",
            "v1",
        ])
        .expect("parses");
        let crate::cli::Command::State(crate::cli::StateCommand::Pull(pull)) = cli.command else {
            panic!("not state pull");
        };
        assert_eq!(pull.version.as_deref(), Some("v1"));
        assert!(
            crate::cli::Cli::try_parse_from(["infra", "state", "list", "--state", "s3://team/"])
                .is_err()
        );
    }

    #[test]
    fn state_locations_parse() {
        assert_eq!(
            StateLocation::parse("state/net.json"),
            Ok(StateLocation::Local(PathBuf::from("state/net.json")))
        );
        let s3 = StateLocation::parse("s3://team/net.json").expect("valid");
        assert_eq!(s3.to_string(), "s3://team/net.json");
        for bad in ["s3://", "s3:///key", "s3://bucket", "s3://bucket/", ""] {
            let error = StateLocation::parse(bad).expect_err(bad);
            assert!(!error.is_empty(), "{bad}");
        }
    }
}
