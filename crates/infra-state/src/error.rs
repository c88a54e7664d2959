//! Error types of the crate: [`StateError`] for reading and writing state files, [`LockError`]
//! for the lock beside them.
//!
//! Every message names the file it is about and says what is wrong with it, so the CLI can print
//! it as it is.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::lock::LockInfo;

/// What can go wrong reading, checking or writing a state file.
///
/// Whenever one of these is returned by a read or a write, the state file and its backup on
/// disk are exactly as they were before the call.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file exists but could not be read.
    #[error("cannot read state file {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    /// The file is not JSON at all (truncated, binary, hand-edited badly).
    #[error("state file {} is not valid JSON at line {line} column {column}: {message}", path.display())]
    NotJson {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The file is JSON but has no usable `version` field.
    #[error("state file {} has no numeric `version` field; it is not an infra state file", path.display())]
    NoVersion { path: PathBuf },

    /// The file was written by a newer infra.
    #[error(
        "state file {} was written by format version {found}; this infra reads up to {supported}",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: u64,
        supported: u32,
    },

    /// The version is older than any format infra ever wrote.
    #[error(
        "state file {} has format version {found}, which no infra ever wrote (the first format is {oldest})",
        path.display()
    )]
    UnknownVersion {
        path: PathBuf,
        found: u64,
        oldest: u32,
    },

    /// The file is JSON of a known version but does not have that version's shape.
    #[error(
        "state file {} does not match format version {version} at {field} (line {line} column {column}): {message}",
        path.display()
    )]
    Invalid {
        path: PathBuf,
        version: u32,
        /// The JSON Pointer of the field that is wrong (`/resources/VpcStack.VPC/status`),
        /// or of the object a field is missing from; `/` for the whole document.
        field: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// An older file could not be brought up to the current format.
    #[error("state file {} could not be upgraded from format version {from} to {to}: {message}", path.display())]
    Upgrade {
        path: PathBuf,
        from: u32,
        to: u32,
        message: String,
    },

    /// The file belongs to another lineage than the state in hand.
    #[error("lineage mismatch: state file {} has lineage {found}, expected {expected}", path.display())]
    LineageMismatch {
        path: PathBuf,
        found: Uuid,
        expected: Uuid,
    },

    /// The file belongs to another stack than the one asked for.
    #[error("state file {} belongs to stack `{found}`, not `{expected}`", path.display())]
    StackMismatch {
        path: PathBuf,
        found: String,
        expected: String,
    },

    /// A copy was asked to replace a newer version of the same lineage.
    #[error(
        "state file {} already holds serial {found} of this lineage, newer than serial {copied} \
         being copied; refusing to overwrite it",
        path.display()
    )]
    DestinationNewer {
        path: PathBuf,
        found: u64,
        copied: u64,
    },

    /// Someone else wrote (or removed, or created) the file since this process last read it.
    #[error(
        "state file {} was changed by another process since this one read it ({change}); refusing to overwrite it",
        path.display()
    )]
    ChangedOnDisk { path: PathBuf, change: DiskChange },

    /// The state could not be turned into JSON.
    #[error("cannot encode the state for {}: {source}", path.display())]
    Encode {
        path: PathBuf,
        source: serde_json::Error,
    },

    /// A step of the atomic write failed. The previous file is still in place, unless the
    /// failed step is the final flush of the directory (then the new file may or may not
    /// survive a power loss).
    #[error("cannot write state file {}: {step}: {source}", path.display())]
    Write {
        path: PathBuf,
        step: WriteStep,
        source: io::Error,
    },

    /// The previous version could not be kept as the backup; the state file was not written.
    #[error(
        "cannot keep the previous version of state file {} as {}: {step}: {source}; the state file was not changed",
        path.display(),
        backup.display()
    )]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        step: WriteStep,
        source: io::Error,
    },
}

impl StateError {
    /// The state file this error is about.
    pub fn path(&self) -> &Path {
        match self {
            StateError::Read { path, .. }
            | StateError::NotJson { path, .. }
            | StateError::NoVersion { path }
            | StateError::TooNew { path, .. }
            | StateError::UnknownVersion { path, .. }
            | StateError::Invalid { path, .. }
            | StateError::Upgrade { path, .. }
            | StateError::LineageMismatch { path, .. }
            | StateError::StackMismatch { path, .. }
            | StateError::DestinationNewer { path, .. }
            | StateError::ChangedOnDisk { path, .. }
            | StateError::Encode { path, .. }
            | StateError::Write { path, .. }
            | StateError::Backup { path, .. } => path,
        }
    }
}

/// How the file on disk differs from what this process last read or wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskChange {
    /// There was no file, and now there is one.
    Created { serial: u64 },
    /// There was a file, and now there is none.
    Removed,
    /// The serial on disk is not the one this process last saw.
    Serial { expected: u64, found: u64 },
    /// It was written again (same serial, other contents), or its new version cannot be told.
    Rewritten,
}

impl fmt::Display for DiskChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiskChange::Created { serial } => {
                write!(f, "it did not exist, and now has serial {serial}")
            }
            DiskChange::Removed => write!(f, "it was removed"),
            DiskChange::Serial { expected, found } => {
                write!(f, "expected serial {expected}, found serial {found}")
            }
            DiskChange::Rewritten => write!(f, "it was written again"),
        }
    }
}

/// The step of an atomic write that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStep {
    CreateDirectory,
    CreateTemporary,
    WriteTemporary,
    SetMode,
    SyncTemporary,
    Rename,
    SyncDirectory,
}

impl fmt::Display for WriteStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            WriteStep::CreateDirectory => "creating its directory",
            WriteStep::CreateTemporary => "creating a temporary file beside it",
            WriteStep::WriteTemporary => "writing the temporary file",
            WriteStep::SetMode => "setting mode 0600 on the temporary file",
            WriteStep::SyncTemporary => "flushing the temporary file to disk",
            WriteStep::Rename => "renaming the temporary file into place",
            WriteStep::SyncDirectory => "flushing its directory to disk",
        };
        f.write_str(text)
    }
}

/// What can go wrong taking, releasing or removing the lock of a state file.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// A process on this host that is still running holds the lock.
    #[error(
        "state file {} is locked by a process that is still running: {holder}; wait for it to finish",
        state.display()
    )]
    Held {
        state: PathBuf,
        lock: PathBuf,
        holder: Box<LockInfo>,
    },

    /// A process on another host holds the lock; whether it still runs cannot be told from here.
    #[error(
        "state file {} is locked by {holder}; wait for it to finish, or, if it is no longer \
         running on that host, remove the lock with: {}",
        state.display(),
        force_unlock_command(state, &holder.id)
    )]
    HeldElsewhere {
        state: PathBuf,
        lock: PathBuf,
        holder: Box<LockInfo>,
    },

    /// The lock names a process on this host that no longer exists.
    #[error(
        "state file {} is locked by {holder}, but that process no longer exists; \
         if no other infra is working on this state, remove the stale lock with: {}",
        state.display(),
        force_unlock_command(state, &holder.id)
    )]
    Stale {
        state: PathBuf,
        lock: PathBuf,
        holder: Box<LockInfo>,
    },

    /// The lock file exists but is not a lock infra wrote. It is left in place.
    #[error(
        "lock file {} is not a valid infra lock ({message}); it was left in place: \
         if no infra process is working on {}, delete it by hand",
        lock.display(),
        state.display()
    )]
    Corrupt {
        state: PathBuf,
        lock: PathBuf,
        message: String,
    },

    /// `force-unlock` was asked for a lock that does not exist.
    #[error("state file {} is not locked (no {})", state.display(), lock.display())]
    NotLocked { state: PathBuf, lock: PathBuf },

    /// `force-unlock` was given an id other than the one in the lock file, or a lock being
    /// released was replaced by another.
    #[error(
        "lock id {given} does not match the lock on state file {}, which is held by {holder}; \
         nothing was removed",
        state.display()
    )]
    IdMismatch {
        state: PathBuf,
        given: String,
        holder: Box<LockInfo>,
    },

    /// The lock file could not be created, read or removed.
    #[error("cannot {action} lock file {}: {source}{}", lock.display(), lock_io_hint(action))]
    Io {
        lock: PathBuf,
        action: &'static str,
        source: io::Error,
    },

    /// The lock could not be turned into JSON.
    #[error("cannot encode lock file {}: {source}", lock.display())]
    Encode {
        lock: PathBuf,
        source: serde_json::Error,
    },
}

/// What can go wrong with a state behind a [`crate::StateBackend`]: the state itself (read,
/// checked, written), its lock, or the storage a backend keeps it in (an S3 bucket: the
/// backend's own typed error, which names where the state is).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading, checking or writing the state document.
    #[error(transparent)]
    State(#[from] StateError),
    /// Taking, releasing or removing the lock.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The backend's storage failed (unreachable, access denied, missing bucket, ...).
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync + 'static>),
}

/// What to do when the lock file cannot be created: nothing else was done yet.
fn lock_io_hint(action: &str) -> &'static str {
    if action.starts_with("create") {
        "; nothing was changed: the state's directory must be a writable directory (infra \
         writes the state file, its backup and its lock there); fix its permissions or pass \
         --state PATH in another directory"
    } else {
        ""
    }
}

/// The exact command that removes the lock `id` on the state file at `state`.
///
/// The state file is named with `--state` so the command is right whatever stack or path
/// the interrupted run used.
pub fn force_unlock_command(state: &Path, id: &Uuid) -> String {
    format!(
        "infra force-unlock --state {} {id}",
        shell_quote(&state.display().to_string())
    )
}

/// Quotes `text` for a POSIX shell when it holds anything but plain path characters.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_unlock_command_quotes_unusual_paths() {
        let id = Uuid::nil();
        assert_eq!(
            force_unlock_command(Path::new("state/demo.json"), &id),
            format!("infra force-unlock --state state/demo.json {id}")
        );
        assert_eq!(
            force_unlock_command(Path::new("my state/it's.json"), &id),
            format!(r"infra force-unlock --state 'my state/it'\''s.json' {id}")
        );
    }
}
