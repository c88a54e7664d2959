//! The one place that writes state bytes to disk: atomically, durably, mode 0600.
//!
//! A reader sees either the old file or the new one, never a mix, and after a crash the
//! file is one or the other: the bytes go to a temporary file beside the target, which is
//! flushed, given mode 0600 and renamed over the target; then the directory is flushed so the
//! rename itself survives a power loss.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::error::WriteStep;

/// Mode of state, backup and lock files: read and write for the owner only.
pub(crate) const FILE_MODE: u32 = 0o600;

/// Mode of a state directory that infra creates.
const DIRECTORY_MODE: u32 = 0o700;

/// Replaces the file at `path` with `bytes`. On error, `path` is as it was and the temporary
/// file is gone.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), (WriteStep, io::Error)> {
    let directory = parent_directory(path);
    let temporary = temporary_path(path);
    let written = write_new_file(&temporary, bytes).and_then(|()| {
        fault::check(WriteStep::Rename)?;
        fs::rename(&temporary, path).map_err(|error| (WriteStep::Rename, error))
    });
    if let Err(error) = written {
        // Best effort: the temporary file may not exist, and the original error matters more.
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    fault::check(WriteStep::SyncDirectory)?;
    sync_directory(directory).map_err(|error| (WriteStep::SyncDirectory, error))
}

/// Writes `bytes` to a new file at `path` with mode 0600 and flushes it to disk. Fails if
/// `path` exists.
pub(crate) fn write_new_file(path: &Path, bytes: &[u8]) -> Result<(), (WriteStep, io::Error)> {
    fault::check(WriteStep::CreateTemporary)?;
    let mut file = create_private(path).map_err(|error| (WriteStep::CreateTemporary, error))?;
    fault::check(WriteStep::WriteTemporary)?;
    file.write_all(bytes)
        .map_err(|error| (WriteStep::WriteTemporary, error))?;
    fault::check(WriteStep::SetMode)?;
    // The mode given at creation is reduced by the umask; this sets it exactly.
    set_private(&file).map_err(|error| (WriteStep::SetMode, error))?;
    fault::check(WriteStep::SyncTemporary)?;
    file.sync_all()
        .map_err(|error| (WriteStep::SyncTemporary, error))
}

/// Creates a new file that only its owner can read, failing if `path` exists.
pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options.open(path)
}

fn set_private(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(FILE_MODE))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// Creates the directory that will hold `path` (mode 0700) if it is missing.
pub(crate) fn create_parent_directory(path: &Path) -> io::Result<()> {
    let directory = parent_directory(path);
    if directory.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIRECTORY_MODE);
    builder.create(directory)
}

/// Flushes a directory's entries (a new, renamed or removed file) to disk.
pub(crate) fn sync_directory(directory: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(directory)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = directory;
        Ok(())
    }
}

/// The directory `path` is in; `.` for a bare file name.
pub(crate) fn parent_directory(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// `state/.demo.json.1a2b3c4d5e6f.tmp` for `state/demo.json`: hidden, unique, and matched by the
/// `*.tmp` ignore rule.
pub(crate) fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let random = Uuid::new_v4().simple().to_string();
    parent_directory(path).join(format!(".{name}.{}.tmp", &random[..12]))
}

/// `path` with `suffix` added to its file name: `state/demo.json` becomes `state/demo.json.lock`.
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Fault injection for tests: fail a write at a chosen step, as a crash or a full disk would.
/// Compiled to nothing outside the crate's own tests.
mod fault {
    use super::{WriteStep, io};

    #[cfg(test)]
    thread_local! {
        pub(crate) static FAIL_AT: std::cell::Cell<Option<WriteStep>> = const { std::cell::Cell::new(None) };
    }

    #[cfg(test)]
    pub(crate) fn check(step: WriteStep) -> Result<(), (WriteStep, io::Error)> {
        if FAIL_AT.with(std::cell::Cell::get) == Some(step) {
            return Err((step, io::Error::other("injected fault")));
        }
        Ok(())
    }

    #[cfg(not(test))]
    #[inline(always)]
    pub(crate) fn check(_: WriteStep) -> Result<(), (WriteStep, io::Error)> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn names_in(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(directory)
            .expect("list directory")
            .map(|entry| {
                entry
                    .expect("directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_new_and_replaces_existing_files_with_mode_0600() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let path = directory.path().join("demo.json");
        write_atomically(&path, b"one").expect("first write");
        write_atomically(&path, b"two").expect("second write");
        assert_eq!(fs::read(&path).expect("read back"), b"two");
        let mode = fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(names_in(directory.path()), ["demo.json"]);
    }

    #[test]
    fn a_write_interrupted_at_any_step_leaves_a_complete_file_and_no_temporary() {
        let steps = [
            WriteStep::CreateTemporary,
            WriteStep::WriteTemporary,
            WriteStep::SetMode,
            WriteStep::SyncTemporary,
            WriteStep::Rename,
            WriteStep::SyncDirectory,
        ];
        for step in steps {
            let directory = tempfile::tempdir().expect("temporary directory");
            let path = directory.path().join("demo.json");
            write_atomically(&path, b"previous").expect("first write");
            fault::FAIL_AT.with(|f| f.set(Some(step)));
            let error = write_atomically(&path, b"next");
            fault::FAIL_AT.with(|f| f.set(None));
            assert_eq!(error.expect_err("injected").0, step);
            let now = fs::read(&path).expect("file still there");
            // Before the rename the old file is intact; after it (directory sync) the new one
            // is complete. Never anything in between.
            let expected: &[u8] = if step == WriteStep::SyncDirectory {
                b"next"
            } else {
                b"previous"
            };
            assert_eq!(now, expected, "interrupted at {step:?}");
            assert_eq!(
                names_in(directory.path()),
                ["demo.json"],
                "temporary left at {step:?}"
            );
        }
    }

    #[test]
    fn failed_rename_leaves_target_and_no_temporary_file() {
        // Renaming a file over a non-empty directory fails for every user, root included.
        let directory = tempfile::tempdir().expect("temporary directory");
        let path = directory.path().join("demo.json");
        fs::create_dir(&path).expect("directory in the way");
        fs::write(path.join("keep"), b"x").expect("file inside it");
        let error = write_atomically(&path, b"new").expect_err("rename must fail");
        assert_eq!(error.0, WriteStep::Rename);
        assert_eq!(names_in(directory.path()), ["demo.json"]);
        assert_eq!(names_in(&path), ["keep"]);
    }

    #[test]
    fn temporary_file_is_hidden_beside_the_target() {
        let temporary = temporary_path(Path::new("state/demo.json"));
        let name = temporary
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        assert_eq!(temporary.parent(), Some(Path::new("state")));
        assert!(
            name.starts_with(".demo.json.") && name.ends_with(".tmp"),
            "{name}"
        );
        assert_ne!(temporary, temporary_path(Path::new("state/demo.json")));
    }

    #[test]
    fn bare_file_names_live_in_the_current_directory() {
        assert_eq!(parent_directory(Path::new("demo.json")), Path::new("."));
        assert_eq!(
            with_suffix(Path::new("demo.json"), ".lock"),
            Path::new("demo.json.lock")
        );
    }
}
