//! The vendored schema files, the registry and the type list in
//! `scripts/vendor-schemas` agree.

use std::fs;
use std::path::{Path, PathBuf};

use infra_registry::{lookup, supported_types};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The types between the BEGIN/END SUPPORTED TYPES markers of the script.
fn script_types() -> Vec<String> {
    let script: PathBuf = crate_dir().join("../../scripts/vendor-schemas");
    let text = fs::read_to_string(&script)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", script.display()));
    let start = text
        .find("# BEGIN SUPPORTED TYPES")
        .expect("BEGIN SUPPORTED TYPES marker");
    let end = text
        .find("# END SUPPORTED TYPES")
        .expect("END SUPPORTED TYPES marker");
    let mut types: Vec<String> = text[start..end]
        .lines()
        .map(str::trim)
        .filter(|line| line.contains("::"))
        .map(str::to_owned)
        .collect();
    types.sort();
    types
}

fn vendored_files() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(crate_dir().join("schemas"))
        .expect("schemas directory")
        .map(|entry| entry.expect("directory entry").file_name())
        .filter_map(|name| name.into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    files
}

#[test]
fn script_list_matches_vendored_files_and_registry() {
    let types = script_types();
    assert_eq!(types.len(), 76, "{types:?}");

    let mut expected_files: Vec<String> = types
        .iter()
        .map(|name| format!("{}.json", name.replace("::", "_")))
        .collect();
    expected_files.sort();
    assert_eq!(vendored_files(), expected_files);

    let registered: Vec<&str> = supported_types().iter().map(|t| t.name).collect();
    assert_eq!(registered, types);
    for name in &types {
        assert!(lookup(name).is_some(), "{name}");
    }
}

#[test]
fn schema_readme_is_present() {
    let readme = fs::read_to_string(crate_dir().join("schemas/README.md")).expect("README");
    assert!(readme.contains("cfn-lint"));
    assert!(readme.contains("MIT-0"));
    assert!(readme.contains("catalog.jsonl"));
    assert!(crate_dir().join("schemas/catalog.jsonl").is_file());
}
