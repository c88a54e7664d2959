//! The file backend: round trips, serials, backups, modes, and every refusal to overwrite.

use std::fs;
use std::path::Path;

use infra_state::{
    DiskChange, State, StateError, StateFile, backup_path, decode_state, encode_state, read_state,
};

use crate::support::{bytes_of, mode, names_in, sample_state, state_dir};

/// Creates the state file at `path` holding the sample state, written once.
fn written_sample(path: &Path) -> (StateFile, State) {
    let (mut file, _) = StateFile::open(path).expect("open");
    let mut state = sample_state("demo");
    file.write(&mut state).expect("first write");
    (file, state)
}

#[test]
fn round_trip_keeps_every_field() {
    let (_directory, path) = state_dir();
    let (_, state) = written_sample(&path);
    let read = read_state(&path).expect("read").expect("file exists");
    assert_eq!(read, state);
    assert_eq!(
        decode_state(&path, &encode_state(&read).expect("encode")).expect("decode"),
        state
    );
}

#[test]
fn missing_file_reads_as_none_and_load_or_new_starts_empty() {
    let (_directory, path) = state_dir();
    let (_, state) = StateFile::open(&path).expect("open");
    assert_eq!(state, None);
    let (_, state) = StateFile::load_or_new(&path, "demo").expect("load_or_new");
    assert_eq!((state.stack.as_str(), state.serial), ("demo", 0));
    assert!(state.resources.is_empty());
    assert!(!path.exists(), "reading must not create the file");
}

#[test]
fn serial_goes_up_by_one_per_write_and_lineage_stays() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = StateFile::load_or_new(&path, "demo").expect("load_or_new");
    let lineage = state.lineage;
    for expected in 1..=3 {
        file.write(&mut state).expect("write");
        assert_eq!(state.serial, expected);
        let on_disk = read_state(&path).expect("read").expect("file exists");
        assert_eq!((on_disk.serial, on_disk.lineage), (expected, lineage));
    }
    // A fresh handle carries on from the serial on disk.
    let (mut file, mut state) = StateFile::load_or_new(&path, "demo").expect("reload");
    file.write(&mut state).expect("write");
    assert_eq!(state.serial, 4);
}

#[test]
fn backup_holds_the_previous_version() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = written_sample(&path);
    assert!(
        !backup_path(&path).exists(),
        "a first write has nothing to back up"
    );
    let first = bytes_of(&path);
    state.region = Some("eu-west-1".to_owned());
    file.write(&mut state).expect("second write");
    assert_eq!(bytes_of(&backup_path(&path)), first);
    let second = bytes_of(&path);
    file.write(&mut state).expect("third write");
    assert_eq!(bytes_of(&backup_path(&path)), second);
    let backup = read_state(&backup_path(&path))
        .expect("read backup")
        .expect("backup exists");
    assert_eq!(backup.serial, 2);
}

#[test]
fn state_backup_and_directory_are_private() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = written_sample(&path);
    file.write(&mut state).expect("second write");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&backup_path(&path)), 0o600);
    assert_eq!(mode(path.parent().expect("state directory")), 0o700);
    // No temporary files are left behind.
    assert_eq!(
        names_in(path.parent().expect("state directory")),
        ["demo.json", "demo.json.backup"]
    );
}

#[test]
fn redacted_values_never_reach_the_disk() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = written_sample(&path);
    file.write(&mut state).expect("second write");
    for written in [path.clone(), backup_path(&path)] {
        let text = String::from_utf8(bytes_of(&written)).expect("UTF-8");
        assert!(
            !text.contains("correct horse"),
            "{}: {text}",
            written.display()
        );
    }
}

/// Checks that opening the file at `path` holding `contents` fails with `expect`, and that
/// neither the file nor its directory changed.
#[track_caller]
fn check_unreadable(contents: &[u8], expect: &str) {
    let (_directory, path) = state_dir();
    fs::create_dir_all(path.parent().expect("state directory")).expect("create directory");
    fs::write(&path, contents).expect("write fixture");
    let error = match StateFile::load_or_new(&path, "demo") {
        Ok(_) => panic!("expected an error"),
        Err(error) => error,
    };
    assert_eq!(
        error.to_string(),
        expect.replace("{path}", &path.display().to_string())
    );
    assert_eq!(error.path(), path);
    assert_eq!(bytes_of(&path), contents);
    assert_eq!(
        names_in(path.parent().expect("state directory")),
        ["demo.json"]
    );
}

#[test]
fn corrupt_file_is_an_error_and_left_untouched() {
    check_unreadable(
        b"{\n  \"version\": 1,\n  \"lineage\": \"4a",
        "state file {path} is not valid JSON at line 3 column 16: EOF while parsing a string",
    );
    check_unreadable(
        b"\x00\x01binary",
        "state file {path} is not valid JSON at line 1 column 1: expected value",
    );
}

#[test]
fn newer_version_is_an_error_naming_both_versions() {
    check_unreadable(
        br#"{"version": 4, "lineage": "anything", "shiny": "new"}"#,
        "state file {path} was written by format version 4; this infra reads up to 3",
    );
}

#[test]
fn file_of_another_stack_is_refused() {
    let (_directory, path) = state_dir();
    written_sample(&path);
    let before = bytes_of(&path);
    let error = StateFile::load_or_new(&path, "prod").expect_err("other stack");
    assert!(matches!(error, StateError::StackMismatch { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        format!(
            "state file {} belongs to stack `demo`, not `prod`",
            path.display()
        )
    );
    assert_eq!(bytes_of(&path), before);
}

#[test]
fn lineage_mismatch_on_disk_is_refused_and_nothing_is_overwritten() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = written_sample(&path);
    // Another state (same stack, same serial, new lineage) is put in place of ours.
    let (_other_directory, other_path) = state_dir();
    let (_, other) = written_sample(&other_path);
    fs::copy(&other_path, &path).expect("replace the file");
    let before = bytes_of(&path);
    let error = file.write(&mut state).expect_err("lineage changed on disk");
    assert_eq!(
        error.to_string(),
        format!(
            "lineage mismatch: state file {} has lineage {}, expected {}",
            path.display(),
            other.lineage,
            state.lineage
        )
    );
    assert_eq!(bytes_of(&path), before);
    assert_eq!(state.serial, 1, "a refused write leaves the serial alone");
    assert!(!backup_path(&path).exists());
}

#[test]
fn writing_a_state_of_another_lineage_is_refused() {
    let (_directory, path) = state_dir();
    let (mut file, _) = written_sample(&path);
    let before = bytes_of(&path);
    let mut stranger = sample_state("demo");
    let error = file.write(&mut stranger).expect_err("other lineage");
    assert!(
        matches!(error, StateError::LineageMismatch { .. }),
        "{error}"
    );
    assert_eq!(bytes_of(&path), before);
}

#[test]
fn second_writer_is_detected() {
    let (_directory, path) = state_dir();
    written_sample(&path);
    let (mut first, mut first_state) = StateFile::load_or_new(&path, "demo").expect("first");
    let (mut second, mut second_state) = StateFile::load_or_new(&path, "demo").expect("second");
    first.write(&mut first_state).expect("first writer");
    let after_first = bytes_of(&path);
    let error = second.write(&mut second_state).expect_err("second writer");
    assert!(
        matches!(
            &error,
            StateError::ChangedOnDisk {
                change: DiskChange::Serial {
                    expected: 1,
                    found: 2
                },
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "state file {} was changed by another process since this one read it \
             (expected serial 1, found serial 2); refusing to overwrite it",
            path.display()
        )
    );
    assert_eq!(bytes_of(&path), after_first);
}

#[test]
fn file_created_or_removed_behind_our_back_is_detected() {
    let (_directory, path) = state_dir();
    let (mut late, mut late_state) = StateFile::load_or_new(&path, "demo").expect("open");
    let (_, early_state) = written_sample(&path);
    let error = late.write(&mut late_state).expect_err("file appeared");
    assert!(
        matches!(
            &error,
            StateError::ChangedOnDisk {
                change: DiskChange::Created { serial: 1 },
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        read_state(&path).expect("read").expect("exists"),
        early_state
    );

    let (mut file, mut state) = StateFile::load_or_new(&path, "demo").expect("reopen");
    fs::remove_file(&path).expect("remove");
    let error = file.write(&mut state).expect_err("file removed");
    assert!(
        matches!(
            &error,
            StateError::ChangedOnDisk {
                change: DiskChange::Removed,
                ..
            }
        ),
        "{error}"
    );
    assert!(!path.exists());
}

#[test]
fn corrupted_file_is_not_overwritten_by_a_writer() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = written_sample(&path);
    fs::write(&path, b"{ oops").expect("corrupt the file");
    let error = file.write(&mut state).expect_err("corrupt file on disk");
    assert!(matches!(error, StateError::NotJson { .. }), "{error}");
    assert_eq!(bytes_of(&path), b"{ oops");
}

#[test]
fn read_only_directory_fails_cleanly() {
    let (_directory, path) = state_dir();
    let (mut file, mut state) = written_sample(&path);
    let state_directory = path.parent().expect("state directory").to_owned();
    let before = bytes_of(&path);
    set_mode(&state_directory, 0o500);
    let result = crate::support::without_permission_override(|| file.write(&mut state));
    set_mode(&state_directory, 0o700);
    let error = result.expect_err("directory is read-only");
    assert!(
        error.to_string().starts_with(&format!(
            "cannot keep the previous version of state file {} as {}.backup: \
             creating a temporary file beside it: Permission denied",
            path.display(),
            path.display()
        )),
        "{error}"
    );
    assert_eq!(bytes_of(&path), before);
    assert_eq!(state.serial, 1);
    assert_eq!(names_in(&state_directory), ["demo.json"]);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}
