//! The storage abstraction: where a state is kept, and how it is locked, read and written, so
//! the engine and the CLI work the same way on a local file and on a remote backend.
//!
//! - [`StateBackend`]: a place one state lives. It takes the state's lock, opens the state,
//!   reads and force-removes the lock.
//! - [`StateStore`]: the handle an opened state is written through. The engine's writer owns
//!   one for a whole apply and saves every change through it.
//! - [`StateLock`]: a held lock, released once, by its holder.
//!
//! [`LocalBackend`] is the state file on disk: [`StateFile`] and [`LockGuard`]. Remote backends
//! live where their SDK does (the S3 backend is in `infra-aws`) and keep the same rules as the
//! file: `serial` grows by one per write, `lineage` never changes, a write is refused when the
//! stored state changed since this process read it, and a stored state that cannot be read
//! is never overwritten.
//!
//! The traits are synchronous. A write returns once the new version is stored (or refused), so
//! the engine's single writer saves changes strictly in order and each save is the whole
//! document at once. A backend whose storage is reached asynchronously runs that I/O where it
//! likes (the S3 backend has its own I/O thread) and blocks the caller until it is done.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::{StateError, StoreError};
use crate::file::{StateFile, encode_state};
use crate::lock::{LockGuard, LockInfo, force_unlock, read_lock};
use crate::model::State;

/// A place one state is kept: a local file, an S3 object, ...
pub trait StateBackend: Send + Sync + fmt::Debug {
    /// Where the state is, as the user names it: a path, or a URL such as `s3://bucket/key`.
    /// Errors and the `force-unlock` command use it.
    fn location(&self) -> &str;

    /// Takes the state's lock for `command` (shown to anyone who finds the state locked).
    ///
    /// Fails at once when someone holds it ([`LockError::Held`], [`LockError::HeldElsewhere`]
    /// or [`LockError::Stale`], naming the holder and the lock id).
    fn lock(&self, command: &str) -> Result<Box<dyn StateLock>, StoreError>;

    /// Reads the state and returns the store to write its next versions through. The state is
    /// `None` when there is none yet. Callers that write hold the lock.
    fn open(&self) -> Result<(Box<dyn StateStore>, Option<State>), StoreError>;

    /// Who holds the lock; `None` when the state is not locked.
    fn read_lock(&self) -> Result<Option<LockInfo>, StoreError>;

    /// Removes the lock if its id is `id`, and returns who held it (`infra force-unlock`).
    /// Fails, removing nothing, when the state is not locked or the id is another.
    fn force_unlock(&self, id: &str) -> Result<LockInfo, StoreError>;

    /// Reads the state without keeping a store to write it (for commands that only read).
    fn read(&self) -> Result<Option<State>, StoreError> {
        self.open().map(|(_, state)| state)
    }

    /// Where the states of the other stacks that share this backend are: the state's
    /// directory, or its S3 bucket and prefix. Messages about exports name it.
    fn neighbourhood(&self) -> String {
        self.location().to_owned()
    }

    /// The states kept beside this one ([`StateBackend::neighbourhood`]), this one included
    /// when it exists: every `*.json` state document there. Documents that are not infra
    /// states (no `version` field) are skipped; a state that cannot be read is an error, since
    /// its exports would otherwise go unseen. A backend that has no such notion has none.
    fn neighbours(&self) -> Result<Vec<State>, StoreError> {
        Ok(Vec::new())
    }
}

/// The handle an opened state is written through.
pub trait StateStore: Send + fmt::Debug {
    /// Where the state is (see [`StateBackend::location`]).
    fn location(&self) -> String;

    /// Writes `state` as the next version and sets `state.serial` to its new serial.
    ///
    /// The stored state must still be the one this store last read or wrote (or still be
    /// absent); otherwise, or when it has another lineage than `state`, nothing is written. On
    /// error `state.serial` is unchanged.
    fn write(&mut self, state: &mut State) -> Result<(), StoreError>;
}

/// A held lock. [`StateLock::release`] removes it; dropping it does the same, best effort.
pub trait StateLock: Send + Sync + fmt::Debug {
    /// Who holds it: this process.
    fn info(&self) -> &LockInfo;

    /// Removes the lock if it is still this one. Only the first call does anything; later
    /// calls return `Ok`. Fails, leaving whatever is there, when the lock is gone or is
    /// another one (someone forced this one open and another process took it).
    fn release(&self) -> Result<(), StoreError>;
}

impl StateStore for StateFile {
    fn location(&self) -> String {
        self.path().display().to_string()
    }

    fn write(&mut self, state: &mut State) -> Result<(), StoreError> {
        StateFile::write(self, state).map_err(StoreError::from)
    }
}

/// The state file on the local disk, its backup and its lock file.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    path: PathBuf,
    location: String,
}

impl LocalBackend {
    /// The state file at `path`.
    pub fn new(path: &Path) -> LocalBackend {
        LocalBackend {
            path: path.to_owned(),
            location: path.display().to_string(),
        }
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl StateBackend for LocalBackend {
    fn location(&self) -> &str {
        &self.location
    }

    fn lock(&self, command: &str) -> Result<Box<dyn StateLock>, StoreError> {
        let guard = LockGuard::acquire(&self.path, command)?;
        Ok(Box::new(LocalLock {
            info: guard.info().clone(),
            guard: Mutex::new(Some(guard)),
        }))
    }

    fn open(&self) -> Result<(Box<dyn StateStore>, Option<State>), StoreError> {
        let (file, state) = StateFile::open(&self.path)?;
        Ok((Box::new(file), state))
    }

    fn read_lock(&self) -> Result<Option<LockInfo>, StoreError> {
        Ok(read_lock(&self.path)?)
    }

    fn force_unlock(&self, id: &str) -> Result<LockInfo, StoreError> {
        Ok(force_unlock(&self.path, id)?)
    }

    fn neighbourhood(&self) -> String {
        state_directory(&self.path).display().to_string()
    }

    fn neighbours(&self) -> Result<Vec<State>, StoreError> {
        let directory = state_directory(&self.path);
        let entries = match std::fs::read_dir(&directory) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(StateError::Read {
                    path: directory,
                    source,
                }
                .into());
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "json") && path.is_file())
            .collect();
        paths.sort();
        let mut states: Vec<State> = Vec::new();
        for path in paths {
            match crate::read::read_state(&path) {
                // A copy of a state (same lineage) is the same stack, counted once.
                Ok(Some(state)) if states.iter().any(|s| s.lineage == state.lineage) => {}
                Ok(Some(state)) => states.push(state),
                Ok(None) | Err(StateError::NoVersion { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(states)
    }
}

/// The directory a state file is in (`.` for a bare file name).
fn state_directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// A [`LockGuard`] behind the [`StateLock`] interface.
#[derive(Debug)]
struct LocalLock {
    info: LockInfo,
    guard: Mutex<Option<LockGuard>>,
}

impl StateLock for LocalLock {
    fn info(&self) -> &LockInfo {
        &self.info
    }

    fn release(&self) -> Result<(), StoreError> {
        let guard = self
            .guard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match guard {
            Some(guard) => guard.release().map_err(StoreError::from),
            None => Ok(()),
        }
    }
}

/// Opens the state of `stack` at `backend`, or starts an empty one (fresh lineage, serial 0)
/// when there is none. A state that belongs to another stack is an error.
pub fn load_or_new(
    backend: &dyn StateBackend,
    stack: &str,
) -> Result<(Box<dyn StateStore>, State), StoreError> {
    let (store, state) = backend.open()?;
    match state {
        Some(state) if state.stack != stack => Err(StateError::StackMismatch {
            path: PathBuf::from(backend.location()),
            found: state.stack,
            expected: stack.to_owned(),
        }
        .into()),
        Some(state) => Ok((store, state)),
        None => Ok((store, State::new(stack))),
    }
}

/// What [`copy_state`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    /// The copy was written with this serial.
    Written { serial: u64 },
    /// The destination already held exactly this state; nothing was written.
    AlreadyThere,
}

/// Copies `state` (lineage and all) to a destination opened as `store`, which held `existing`.
///
/// Refused, writing nothing, when the destination holds a state of another lineage, or a newer
/// serial of the same lineage. The copy's serial is one more than the destination's (or than
/// `state`'s, when the destination was empty), as for any write.
pub fn copy_state(
    state: &State,
    store: &mut dyn StateStore,
    existing: Option<&State>,
) -> Result<Copied, StoreError> {
    if let Some(existing) = existing {
        if existing.lineage != state.lineage {
            return Err(StateError::LineageMismatch {
                path: PathBuf::from(store.location()),
                found: existing.lineage,
                expected: state.lineage,
            }
            .into());
        }
        if existing.serial > state.serial {
            return Err(StateError::DestinationNewer {
                path: PathBuf::from(store.location()),
                found: existing.serial,
                copied: state.serial,
            }
            .into());
        }
        let same = |s: &State| encode_state(s).ok();
        if existing.serial == state.serial && same(existing) == same(state) {
            return Ok(Copied::AlreadyThere);
        }
    }
    let mut copy = state.clone();
    store.write(&mut copy)?;
    Ok(Copied::Written {
        serial: copy.serial,
    })
}

#[cfg(test)]
mod tests;
