//! Golden files: each `testdata/roundtrip/<name>.in.json` is read and written back in the
//! current format, which must give `<name>.out.json` byte for byte.
//!
//! A pair is added whenever a format version is introduced (an input of the previous version
//! and its upgraded output) and is never edited afterwards: that is what keeps old state files
//! readable.

use std::fs;
use std::path::{Path, PathBuf};

use infra_state::{decode_state, encode_state};
use serde_json::json;

pub fn roundtrip_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/roundtrip")
}

/// Every `*.in.json` in the golden directory, sorted.
pub fn golden_inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = fs::read_dir(roundtrip_dir())
        .expect("list golden files")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".in.json"))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn golden_files_round_trip() {
    let inputs = golden_inputs();
    assert!(inputs.len() >= 2, "golden files missing: {inputs:?}");
    for input in inputs {
        let output = PathBuf::from(input.to_string_lossy().replace(".in.json", ".out.json"));
        let bytes = fs::read(&input).expect("read input");
        let state = decode_state(&input, &bytes)
            .unwrap_or_else(|error| panic!("{}: {error}", input.display()));
        let written = String::from_utf8(encode_state(&state).expect("encode")).expect("UTF-8");
        let expected = fs::read_to_string(&output)
            .unwrap_or_else(|error| panic!("{}: {error}", output.display()));
        assert_eq!(
            written,
            expected,
            "{} does not give {}",
            input.display(),
            output.display()
        );
    }
}

#[test]
fn golden_redaction_still_matches_its_secret() {
    // Changing how digests are computed would make every stored NoEcho value look changed.
    let input = roundtrip_dir().join("v1-full.in.json");
    let state = decode_state(&input, &fs::read(&input).expect("read")).expect("decode");
    let recorded = &state.parameters["DbPassword"];
    assert!(recorded.is_redacted());
    assert!(recorded.matches(&json!("correct horse battery staple")));
    assert!(!recorded.matches(&json!("correct horse battery stapler")));
}
