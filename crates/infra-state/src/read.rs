//! Reading state documents: the `version` field first, then the reader for that version.

use std::fs;
use std::io;
use std::path::Path;

use serde_json::error::Category;
use serde_json::{Map, Value};

use crate::error::StateError;
use crate::model::State;
use crate::pointer::pointer_at;
use crate::{CURRENT_VERSION, upgrade, v3};

/// Parses a state document. `path` is where the bytes came from, for error messages.
///
/// Files of older format versions are upgraded to the current model; newer, unknown,
/// corrupt or malformed ones are errors. This never panics, whatever the bytes.
pub fn decode_state(path: &Path, bytes: &[u8]) -> Result<State, StateError> {
    let version = read_version(path, bytes)?;
    if version > u64::from(CURRENT_VERSION) {
        return Err(StateError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    let version = match u32::try_from(version) {
        Ok(version) if version >= upgrade::OLDEST => version,
        _ => {
            return Err(StateError::UnknownVersion {
                path: path.to_owned(),
                found: version,
                oldest: upgrade::OLDEST,
            });
        }
    };
    // Serde keeps the last of two equal keys; a state must not lose an entry that way.
    crate::unique::check_unique_keys(bytes)
        .map_err(|error| shape_error(path, version, bytes, &error))?;
    if version == v3::VERSION {
        // Parsed straight from the bytes, so errors keep their line and column.
        let document: v3::StateV3 = serde_json::from_slice(bytes)
            .map_err(|error| shape_error(path, version, bytes, &error))?;
        return Ok(document.into_state());
    }
    read_older(path, bytes, version)
}

/// Reads a document of an older version through the upgrade steps.
fn read_older(path: &Path, bytes: &[u8], version: u32) -> Result<State, StateError> {
    if version == crate::v1::VERSION {
        // The shape as version 1 defines it, from the bytes: errors keep the field and line.
        let _: crate::v1::StateV1 = serde_json::from_slice(bytes)
            .map_err(|error| shape_error(path, version, bytes, &error))?;
    }
    if version == crate::v2::VERSION {
        let _: crate::v2::StateV2 = serde_json::from_slice(bytes)
            .map_err(|error| shape_error(path, version, bytes, &error))?;
    }
    let document: Value =
        serde_json::from_slice(bytes).map_err(|error| shape_error(path, version, bytes, &error))?;
    let upgraded = upgrade::upgrade(document, version, upgrade::OLDEST, upgrade::STEPS).map_err(
        |failure| StateError::Upgrade {
            path: path.to_owned(),
            from: failure.from,
            to: failure.to,
            message: failure.message,
        },
    )?;
    let current: v3::StateV3 =
        serde_json::from_value(upgraded).map_err(|error| StateError::Upgrade {
            path: path.to_owned(),
            from: version,
            to: CURRENT_VERSION,
            message: error.to_string(),
        })?;
    Ok(current.into_state())
}

/// Reads the `version` field, checking on the way that the whole file is a JSON object.
fn read_version(path: &Path, bytes: &[u8]) -> Result<u64, StateError> {
    let document: Map<String, Value> = serde_json::from_slice(bytes).map_err(|error| {
        if matches!(error.classify(), Category::Data) {
            // Valid JSON, but not an object.
            StateError::NoVersion {
                path: path.to_owned(),
            }
        } else {
            not_json(path, &error)
        }
    })?;
    document
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| StateError::NoVersion {
            path: path.to_owned(),
        })
}

fn not_json(path: &Path, error: &serde_json::Error) -> StateError {
    StateError::NotJson {
        path: path.to_owned(),
        line: error.line(),
        column: error.column(),
        message: message_without_position(error),
    }
}

fn shape_error(path: &Path, version: u32, bytes: &[u8], error: &serde_json::Error) -> StateError {
    match error.classify() {
        Category::Data => StateError::Invalid {
            path: path.to_owned(),
            version,
            field: pointer_at(bytes, error.line(), error.column()),
            line: error.line(),
            column: error.column(),
            message: message_without_position(error),
        },
        Category::Io | Category::Syntax | Category::Eof => not_json(path, error),
    }
}

/// serde_json's message ends with " at line L column C"; the error variants say that themselves.
fn message_without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&suffix) {
        Some(stripped) => stripped.to_owned(),
        None => message,
    }
}

/// The bytes of the file at `path`, or `None` if there is no file.
pub(crate) fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, StateError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        // A symbolic link whose target is missing (a volume not mounted, say) is not "no
        // state": reading it so would plan every resource again.
        Err(error) if error.kind() == io::ErrorKind::NotFound => match fs::read_link(path) {
            Ok(target) => Err(StateError::Read {
                path: path.to_owned(),
                source: io::Error::new(
                    io::ErrorKind::NotFound,
                    format!(
                        "it is a symbolic link to {}, which does not exist; nothing was read or \
                         changed (mount or restore the target, or remove the link to start a new \
                         state)",
                        target.display()
                    ),
                ),
            }),
            Err(_) => Ok(None),
        },
        Err(source) => Err(StateError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Reads and parses the state file at `path`; `Ok(None)` if there is no file.
pub fn read_state(path: &Path) -> Result<Option<State>, StateError> {
    match read_bytes(path)? {
        Some(bytes) => decode_state(path, &bytes).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_is_an_error_not_an_absent_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let link = dir.path().join("demo.json");
        let target = dir.path().join("mnt/demo.json");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let error = read_state(&link).expect_err("a dangling link");
        let message = error.to_string();
        assert!(
            message.contains("is a symbolic link to") && message.contains("mnt/demo.json"),
            "{message}"
        );
        // A path that does not exist at all is still "no state".
        assert!(
            read_state(&dir.path().join("new.json"))
                .expect("absent")
                .is_none()
        );
    }

    #[track_caller]
    fn check(input: &str, expect: &str) {
        let error = match decode_state(Path::new("state/demo.json"), input.as_bytes()) {
            Ok(state) => panic!("expected an error, got {state:?}"),
            Err(error) => error.to_string(),
        };
        assert_eq!(error, expect);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        check(
            "{\n  \"version\": 1,\n  \"lineage\": \n}",
            "state file state/demo.json is not valid JSON at line 4 column 1: expected value",
        );
    }

    #[test]
    fn empty_file_is_not_json() {
        check(
            "",
            "state file state/demo.json is not valid JSON at line 1 column 0: EOF while parsing a value",
        );
    }

    #[test]
    fn newer_version_names_both_versions() {
        check(
            r#"{"version": 4, "whatever": true}"#,
            "state file state/demo.json was written by format version 4; this infra reads up to 3",
        );
    }

    #[test]
    fn version_zero_is_unknown() {
        check(
            r#"{"version": 0}"#,
            "state file state/demo.json has format version 0, which no infra ever wrote (the first format is 1)",
        );
    }

    #[test]
    fn missing_or_odd_version_is_not_a_state_file() {
        let expect = "state file state/demo.json has no numeric `version` field; it is not an infra state file";
        check(r#"{"serial": 1}"#, expect);
        check(r#"{"version": "1"}"#, expect);
        check(r#"{"version": -1}"#, expect);
        check("[1, 2]", expect);
        check("[1]", expect);
    }

    #[test]
    fn wrong_shape_names_the_field() {
        check(
            r#"{"version": 2, "lineage": "not-a-uuid"}"#,
            "state file state/demo.json does not match format version 2 at /lineage (line 1 column 38): \
             UUID parsing failed: invalid character: found `n` at 0",
        );
    }

    #[test]
    fn unknown_field_is_refused() {
        check(
            r#"{"version": 2, "colour": "blue"}"#,
            "state file state/demo.json does not match format version 2 at /colour (line 1 column 23): \
             unknown field `colour`, expected one of `version`, `lineage`, `serial`, `stack`, \
             `region`, `template_sha256`, `parameters`, `resources`, `pending`, `outputs`, \
             `imports`",
        );
    }
}
