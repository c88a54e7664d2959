//! The file backend: a state file on the local disk, its backup, and the checks that keep two
//! writers from overwriting each other.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::atomic;
use crate::error::{DiskChange, StateError, WriteStep};
use crate::model::State;
use crate::read::{decode_state, read_bytes};
use crate::v3;

/// Where a stack's state lives unless `--state` says otherwise: `state/<stack>.json`.
///
/// The stack name is used as it is; the CLI checks it is a valid stack name (letters, digits
/// and hyphens) before it gets here.
pub fn default_state_path(stack: &str) -> PathBuf {
    Path::new("state").join(format!("{stack}.json"))
}

/// Where the previous version of the state at `state_path` is kept: `<state>.backup`.
pub fn backup_path(state_path: &Path) -> PathBuf {
    atomic::with_suffix(state_path, ".backup")
}

/// The JSON document for `state`, in the current format version, pretty-printed with a
/// final newline. This is exactly what [`StateFile::write`] puts on disk. Strings holding one
/// of `state.secrets`, and every sensitive property, are written as redaction markers
/// ([`crate::redact`], [`crate::sensitive`]).
pub fn encode_state(state: &State) -> Result<Vec<u8>, serde_json::Error> {
    let redacted;
    let state = if crate::redact::needs_redaction(state) {
        let mut copy = state.clone();
        crate::redact::redact_state(&mut copy, &state.secrets);
        redacted = copy;
        &redacted
    } else {
        state
    };
    let mut bytes = serde_json::to_vec_pretty(&v3::StateV3::from_state(state))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A state file on disk, and what this process last read from or wrote to it.
///
/// Writers must hold the state's [`crate::LockGuard`]; the checks in [`StateFile::write`] are a
/// second line of defence that catches a writer that did not.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    /// Lineage and serial of the file as this process last saw it; `None` while there is no file.
    seen: Option<Seen>,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    lineage: Uuid,
    serial: u64,
}

impl Seen {
    fn of(state: &State) -> Seen {
        Seen {
            lineage: state.lineage,
            serial: state.serial,
        }
    }
}

impl StateFile {
    /// Reads the state file at `path`. The state is `None` when there is no file yet.
    pub fn open(path: &Path) -> Result<(StateFile, Option<State>), StateError> {
        let state = match read_bytes(path)? {
            Some(bytes) => Some(decode_state(path, &bytes)?),
            None => None,
        };
        let file = StateFile {
            path: path.to_owned(),
            seen: state.as_ref().map(Seen::of),
        };
        Ok((file, state))
    }

    /// Reads the state of `stack` at `path`, or starts an empty one (fresh lineage, serial 0)
    /// when there is no file. A file that belongs to another stack is an error.
    pub fn load_or_new(path: &Path, stack: &str) -> Result<(StateFile, State), StateError> {
        let (file, state) = StateFile::open(path)?;
        match state {
            Some(state) if state.stack != stack => Err(StateError::StackMismatch {
                path: path.to_owned(),
                found: state.stack,
                expected: stack.to_owned(),
            }),
            Some(state) => Ok((file, state)),
            None => Ok((file, State::new(stack))),
        }
    }

    /// The path of the state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `state` as the next version of the file and sets `state.serial` to its new serial.
    ///
    /// The file on disk must still be the one this process last read or wrote: same lineage
    /// and serial, or still absent. If it is not, or it has another lineage than `state`, nothing
    /// is written. The file it replaces is kept as [`backup_path`]. On error, `state.serial` is
    /// unchanged and so is the file (unless only the final flush of the directory failed).
    pub fn write(&mut self, state: &mut State) -> Result<(), StateError> {
        if let Some(seen) = self.seen
            && seen.lineage != state.lineage
        {
            return Err(self.lineage_mismatch(seen.lineage, state.lineage));
        }
        let previous = self.check_unchanged(state.lineage)?;

        let base = self.seen.map_or(state.serial, |seen| seen.serial);
        let mut next = state.clone();
        next.serial = base + 1;
        let bytes = encode_state(&next).map_err(|source| StateError::Encode {
            path: self.path.clone(),
            source,
        })?;

        atomic::create_parent_directory(&self.path).map_err(|source| StateError::Write {
            path: self.path.clone(),
            step: WriteStep::CreateDirectory,
            source,
        })?;
        if let Some(previous) = previous {
            let backup = backup_path(&self.path);
            atomic::write_atomically(&backup, &previous).map_err(|(step, source)| {
                StateError::Backup {
                    path: self.path.clone(),
                    backup: backup.clone(),
                    step,
                    source,
                }
            })?;
        }
        atomic::write_atomically(&self.path, &bytes).map_err(|(step, source)| {
            StateError::Write {
                path: self.path.clone(),
                step,
                source,
            }
        })?;

        state.serial = next.serial;
        self.seen = Some(Seen::of(state));
        Ok(())
    }

    /// Checks that the file on disk is still the one last seen, and returns its bytes.
    fn check_unchanged(&self, lineage: Uuid) -> Result<Option<Vec<u8>>, StateError> {
        let Some(bytes) = read_bytes(&self.path)? else {
            return match self.seen {
                None => Ok(None),
                Some(_) => Err(self.changed(DiskChange::Removed)),
            };
        };
        let on_disk = decode_state(&self.path, &bytes)?;
        let Some(seen) = self.seen else {
            return Err(self.changed(DiskChange::Created {
                serial: on_disk.serial,
            }));
        };
        if on_disk.lineage != lineage {
            return Err(self.lineage_mismatch(on_disk.lineage, lineage));
        }
        if on_disk.serial != seen.serial {
            return Err(self.changed(DiskChange::Serial {
                expected: seen.serial,
                found: on_disk.serial,
            }));
        }
        Ok(Some(bytes))
    }

    fn changed(&self, change: DiskChange) -> StateError {
        StateError::ChangedOnDisk {
            path: self.path.clone(),
            change,
        }
    }

    fn lineage_mismatch(&self, found: Uuid, expected: Uuid) -> StateError {
        StateError::LineageMismatch {
            path: self.path.clone(),
            found,
            expected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_is_under_state() {
        assert_eq!(default_state_path("demo"), Path::new("state/demo.json"));
        assert_eq!(
            backup_path(Path::new("state/demo.json")),
            Path::new("state/demo.json.backup")
        );
    }

    #[test]
    fn encoded_state_starts_with_the_version() {
        let bytes = encode_state(&State::new("demo")).expect("encode");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(
            text.starts_with("{\n  \"version\": 3,\n  \"lineage\": "),
            "{text}"
        );
        assert!(text.ends_with("}\n"), "{text}");
    }
}
