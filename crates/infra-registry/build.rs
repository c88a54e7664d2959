//! Generates the type registry from the vendored resource provider schemas in
//! `schemas/` (see `schemas/README.md`): one `ResourceType` static per
//! `schemas/*.json`, written to `$OUT_DIR/registry_data.rs`, which
//! `src/generated.rs` includes; and the catalog of every type, one
//! `CatalogEntry` per line of `schemas/catalog.jsonl`, written to
//! `$OUT_DIR/catalog_data.rs`, which `src/catalog.rs` includes. A schema that
//! cannot be read or does not fit the expected form fails the build with the
//! file (and line) and the reason.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "cargo reads build directives from stdout and shows stderr when a build script fails"
)]

#[path = "build/catalog.rs"]
mod catalog;
#[path = "build/convert.rs"]
mod convert;
#[path = "build/emit.rs"]
mod emit;
#[path = "build/getatt.rs"]
mod getatt;
#[path = "build/model.rs"]
mod model;
#[path = "build/refs.rs"]
mod refs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use model::TypeModel;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: infra-registry: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?;
    let schemas_dir = PathBuf::from(manifest_dir).join("schemas");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build");
    println!("cargo::rerun-if-changed={}", schemas_dir.display());

    let mut types = Vec::new();
    for path in schema_files(&schemas_dir)? {
        types.push(load(&path).map_err(|error| format!("{}: {error}", path.display()))?);
    }
    if types.is_empty() {
        return Err(format!("no schemas in {}", schemas_dir.display()));
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = types.windows(2).find(|pair| pair[0].name == pair[1].name) {
        return Err(format!("two schemas define {}", pair[0].name));
    }

    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let out_file = Path::new(&out_dir).join("registry_data.rs");
    fs::write(&out_file, emit::render(&types))
        .map_err(|error| format!("cannot write {}: {error}", out_file.display()))?;

    let entries = load_catalog(&schemas_dir.join(CATALOG_FILE))?;
    let out_file = Path::new(&out_dir).join("catalog_data.rs");
    fs::write(&out_file, catalog::render(&entries))
        .map_err(|error| format!("cannot write {}: {error}", out_file.display()))
}

/// The catalog of every type, in `schemas/`: one reduced schema per line.
const CATALOG_FILE: &str = "catalog.jsonl";

/// Converts every line of the catalog file, which must be sorted by type name
/// with no type twice.
fn load_catalog(path: &Path) -> Result<Vec<catalog::CatalogModel>, String> {
    let text = fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut entries: Vec<catalog::CatalogModel> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = |error: String| format!("{}:{}: {error}", path.display(), index + 1);
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|error| at(format!("not valid JSON: {error}")))?;
        let entry = catalog::convert(&value).map_err(at)?;
        if let Some(previous) = entries.last()
            && previous.name >= entry.name
        {
            return Err(at(format!(
                "{} comes after {}: the lines must be sorted by type name, each type once",
                entry.name, previous.name
            )));
        }
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(format!("{} lists no type", path.display()));
    }
    Ok(entries)
}

/// The `*.json` files of `dir`, sorted.
fn schema_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        fs::read_dir(dir).map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("cannot read {}: {error}", dir.display()))?
            .path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Parses and converts one schema file, whose name must be its type name with
/// `::` replaced by `_`.
fn load(path: &Path) -> Result<TypeModel, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("cannot read: {error}"))?;
    let schema: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| format!("not valid JSON: {error}"))?;
    let model = convert::convert(&schema)?;
    let expected = format!("{}.json", model.name.replace("::", "_"));
    if path.file_name().and_then(|name| name.to_str()) != Some(expected.as_str()) {
        return Err(format!(
            "defines {} and should be named {expected}",
            model.name
        ));
    }
    Ok(model)
}
