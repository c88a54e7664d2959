//! The lock beside a state file, `<state>.lock`, that keeps two infra processes from working
//! on one state at once.
//!
//! The lock file is a small JSON document naming its holder. It appears complete or not at
//! all: it is written to a temporary file first and then hard-linked to `<state>.lock`, which
//! fails if that name exists, so no reader ever sees a half-written lock. On a file system
//! without hard links it is created with `O_EXCL` and written in place instead.
//!
//! A lock is removed only by the holder that made it (on release or drop), or by
//! [`force_unlock`] given its id. A lock file that cannot be parsed is reported and left alone.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::atomic;
use crate::error::{LockError, WriteStep};
use crate::host;
use crate::model::now;

/// Who holds a lock: the contents of the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockInfo {
    /// Names this lock; `infra force-unlock` needs it.
    pub id: Uuid,
    /// The holder's process id, on `host`.
    pub pid: u32,
    /// The host the holder runs on.
    pub host: String,
    /// The user the holder runs as, if known.
    pub user: Option<String>,
    /// What the holder is doing, e.g. `infra apply --stack demo`.
    pub command: String,
    /// When the lock was taken.
    pub created: Timestamp,
}

impl fmt::Display for LockInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {} on host {}", self.pid, self.host)?;
        if let Some(user) = &self.user {
            write!(f, " (user {user})")?;
        }
        write!(
            f,
            " running `{}` since {} (lock id {})",
            self.command, self.created, self.id
        )
    }
}

impl LockInfo {
    /// A new lock (fresh id, taken now) for this process, on this host, as this user, doing
    /// `command`. Every backend's lock records this.
    pub fn for_this_process(command: &str) -> LockInfo {
        LockInfo {
            id: Uuid::new_v4(),
            pid: std::process::id(),
            host: host::this_host(),
            user: host::this_user(),
            command: command.to_owned(),
            created: now(),
        }
    }
}

/// Where the lock of the state at `state_path` lives: `<state>.lock`.
pub fn lock_path(state_path: &Path) -> PathBuf {
    atomic::with_suffix(state_path, ".lock")
}

/// A held lock. Dropping it removes the lock file (if it is still this lock);
/// [`LockGuard::release`] does the same and reports failures.
#[derive(Debug)]
pub struct LockGuard {
    state: PathBuf,
    lock: PathBuf,
    info: LockInfo,
    released: bool,
}

impl LockGuard {
    /// Takes the lock of the state at `state_path` for `command` (shown to anyone who finds
    /// the state locked), creating the state's directory if it is missing.
    ///
    /// Fails at once if the state is locked: [`LockError::Held`] when the holder runs on this
    /// host, [`LockError::Stale`] when it names a process of this host that no longer exists,
    /// and [`LockError::HeldElsewhere`] when it runs on another host.
    pub fn acquire(state_path: &Path, command: &str) -> Result<LockGuard, LockError> {
        let lock = lock_path(state_path);
        let io_error = |action, source| LockError::Io {
            lock: lock.clone(),
            action,
            source,
        };
        atomic::create_parent_directory(&lock)
            .map_err(|source| io_error("create the directory of", source))?;
        let info = LockInfo::for_this_process(command);
        let mut bytes = serde_json::to_vec_pretty(&info).map_err(|source| LockError::Encode {
            lock: lock.clone(),
            source,
        })?;
        bytes.push(b'\n');

        // The holder may release between our failed create and our read; then try again.
        for _ in 0..3 {
            match create_exclusive(&lock, &bytes) {
                Ok(()) => {
                    atomic::sync_directory(atomic::parent_directory(&lock))
                        .map_err(|source| io_error("flush the directory of", source))?;
                    return Ok(LockGuard {
                        state: state_path.to_owned(),
                        lock,
                        info,
                        released: false,
                    });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    if let Some(holder) = read_lock(state_path)? {
                        return Err(refusal(state_path, lock, Box::new(holder)));
                    }
                }
                Err(source) => return Err(io_error("create", source)),
            }
        }
        Err(io_error(
            "create",
            io::Error::other("it kept appearing and disappearing; another infra is starting"),
        ))
    }

    /// Who holds this lock: this process.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// The path of the lock file.
    pub fn lock_path(&self) -> &Path {
        &self.lock
    }

    /// Removes the lock file. Fails, leaving whatever is there, if the lock file is gone or
    /// is now another lock (someone forced this one open and another process took it).
    pub fn release(mut self) -> Result<(), LockError> {
        self.released = true;
        remove_if_id(&self.state, &self.info.id.to_string())
            .map(|_| ())
            .map_err(|error| match error {
                LockError::IdMismatch { state, holder, .. } => LockError::IdMismatch {
                    state,
                    given: self.info.id.to_string(),
                    holder,
                },
                other => other,
            })
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if !self.released {
            // Nothing can be reported from drop; `release` is there for callers who want to know.
            let _ = remove_if_id(&self.state, &self.info.id.to_string());
        }
    }
}

/// Creates the lock file holding `bytes`, failing with `AlreadyExists` if it exists.
fn create_exclusive(lock: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = atomic::temporary_path(lock);
    atomic::write_new_file(&temporary, bytes).map_err(|(_, error)| error)?;
    let linked = fs::hard_link(&temporary, lock);
    // Best effort: a leftover is only a hidden `*.tmp` file, and the link result matters more.
    let _ = fs::remove_file(&temporary);
    match linked {
        Err(error) if error.kind() != io::ErrorKind::AlreadyExists => {
            // No hard links on this file system: create the lock in place, exclusively.
            match atomic::write_new_file(lock, bytes) {
                Ok(()) => Ok(()),
                Err((WriteStep::CreateTemporary, error)) => Err(error),
                Err((_, error)) => {
                    // The file is ours but incomplete; do not leave what looks like a corrupt lock.
                    let _ = fs::remove_file(lock);
                    Err(error)
                }
            }
        }
        other => other,
    }
}

/// The error for a lock that is already held by `holder`: [`LockError::Held`] when it is a
/// running process of this host, [`LockError::Stale`] when it is a process of this host that no
/// longer exists, [`LockError::HeldElsewhere`] otherwise. `state_path` and `lock` name the state
/// and its lock as the user knows them (a path, or a remote location such as `s3://b/k`).
pub fn lock_refusal(state_path: &Path, lock: PathBuf, holder: Box<LockInfo>) -> LockError {
    refusal(state_path, lock, holder)
}

fn refusal(state_path: &Path, lock: PathBuf, holder: Box<LockInfo>) -> LockError {
    let state = state_path.to_owned();
    if holder.host != host::this_host() {
        LockError::HeldElsewhere {
            state,
            lock,
            holder,
        }
    } else if host::process_exists(holder.pid) {
        LockError::Held {
            state,
            lock,
            holder,
        }
    } else {
        LockError::Stale {
            state,
            lock,
            holder,
        }
    }
}

/// Who holds the lock of the state at `state_path`; `None` if it is not locked.
pub fn read_lock(state_path: &Path) -> Result<Option<LockInfo>, LockError> {
    let lock = lock_path(state_path);
    let bytes = match fs::read(&lock) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(LockError::Io {
                lock,
                action: "read",
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| LockError::Corrupt {
            state: state_path.to_owned(),
            lock,
            message: error.to_string(),
        })
}

/// Removes the lock of the state at `state_path` if its id is `id`, and returns who held it.
///
/// This is `infra force-unlock`: for a lock left behind by a process that died. Removing the
/// lock of a process that is still running lets two processes write the state at once.
pub fn force_unlock(state_path: &Path, id: &str) -> Result<LockInfo, LockError> {
    remove_if_id(state_path, id)
}

fn remove_if_id(state_path: &Path, id: &str) -> Result<LockInfo, LockError> {
    let lock = lock_path(state_path);
    let Some(holder) = read_lock(state_path)? else {
        return Err(LockError::NotLocked {
            state: state_path.to_owned(),
            lock,
        });
    };
    if Uuid::parse_str(id.trim()).ok() != Some(holder.id) {
        return Err(LockError::IdMismatch {
            state: state_path.to_owned(),
            given: id.to_owned(),
            holder: Box::new(holder),
        });
    }
    let io_error = |action, source| LockError::Io {
        lock: lock.clone(),
        action,
        source,
    };
    fs::remove_file(&lock).map_err(|source| io_error("remove", source))?;
    atomic::sync_directory(atomic::parent_directory(&lock))
        .map_err(|source| io_error("flush the directory of", source))?;
    Ok(holder)
}
