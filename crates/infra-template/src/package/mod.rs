//! Local code paths, as `aws cloudformation package` handles them: a string in the `Code` of
//! an `AWS::Lambda::Function` names a directory or a file, relative to the template's
//! directory. Loading packages it (a directory is zipped deterministically, a zip file is taken
//! as it is, another file is zipped alone), names the package by the SHA-256 of its bytes
//! (`infra-artifacts/<sha256>.zip`) and puts `{S3Bucket, S3Key}` in its place, so a code change
//! is a change of `Code` and the same files plan no change. The packages are kept in
//! [`Artifacts`] for the apply to upload; this module never calls AWS.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest as _, Sha256};
use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::expr::ExprKind;
use crate::template::ResourceDecl;
use crate::value::{Unknown, Value};

pub mod zip;

#[cfg(test)]
mod tests;

/// The type whose `Code` may name a local path.
pub const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";

/// The prefix of every package's key.
pub const KEY_PREFIX: &str = "infra-artifacts/";

/// Where packages of local code paths go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ArtifactBucket {
    /// Nowhere, and that is fine: local paths are packaged and checked, the bucket is unknown
    /// (`validate`, `graph`, a destroy).
    #[default]
    Unchecked,
    /// This bucket.
    Named(String),
    /// No bucket was given: a local code path is an error saying how to give one.
    Missing,
}

/// The packages a load made, shared by the clones of one [`crate::LoadOptions`]: every load
/// with them packages each path once, and an apply uploads exactly the bytes its plan hashed.
#[derive(Debug, Clone, Default)]
pub struct Artifacts {
    bucket: ArtifactBucket,
    built: Arc<Mutex<BTreeMap<PathBuf, Arc<Artifact>>>>,
}

/// One package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The local path it was made from.
    pub source: PathBuf,
    /// `infra-artifacts/<sha256>.zip`.
    pub key: String,
    /// SHA-256 of `bytes`.
    pub sha256: [u8; 32],
    /// The zip archive.
    pub bytes: Vec<u8>,
}

impl Artifact {
    /// The digest in hex, as in the key.
    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }
}

/// Why a local path cannot be packaged.
#[derive(Debug, Error)]
pub enum PackageError {
    /// Nothing at the path.
    #[error("the local path `{}` does not exist", .0.display())]
    NotFound(PathBuf),
    /// A file or directory could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A directory with no file in it.
    #[error("the directory `{}` holds no file to package", .0.display())]
    Empty(PathBuf),
    /// A file name that is not UTF-8 (zip names are).
    #[error("the file name `{}` is not UTF-8", .0.display())]
    NotUtf8(PathBuf),
    /// A symbolic link that leads back into a directory being packaged.
    #[error("the directory `{}` contains itself through a symbolic link", .0.display())]
    Loop(PathBuf),
    /// A device, pipe or socket: only regular files and directories are packaged.
    #[error("`{}` is not a regular file or directory", .0.display())]
    NotRegular(PathBuf),
    /// The archive cannot be written.
    #[error("{0}")]
    Zip(#[from] zip::ZipError),
}

impl Artifacts {
    /// Packages go to `bucket`.
    pub fn new(bucket: ArtifactBucket) -> Artifacts {
        Artifacts {
            bucket,
            built: Arc::default(),
        }
    }

    /// Where packages go.
    pub fn bucket(&self) -> &ArtifactBucket {
        &self.bucket
    }

    /// Every package made so far, by key, each once.
    pub fn built(&self) -> Vec<Arc<Artifact>> {
        let built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        let mut by_key: BTreeMap<&str, &Arc<Artifact>> = BTreeMap::new();
        for artifact in built.values() {
            by_key.insert(&artifact.key, artifact);
        }
        by_key.into_values().cloned().collect()
    }

    /// The package of `path`: made before, or made now and kept.
    pub fn package(&self, path: &Path) -> Result<Arc<Artifact>, PackageError> {
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = built.get(path) {
            return Ok(Arc::clone(found));
        }
        let bytes = package_bytes(path)?;
        let sha256: [u8; 32] = Sha256::digest(&bytes).into();
        let artifact = Arc::new(Artifact {
            source: path.to_path_buf(),
            key: format!("{KEY_PREFIX}{}.zip", hex(&sha256)),
            sha256,
            bytes,
        });
        built.insert(path.to_path_buf(), Arc::clone(&artifact));
        Ok(artifact)
    }
}

/// True when a string at `path` (a property path such as `Code`) of a `type_name` resource is
/// a local code path rather than a value of the wrong shape.
pub(crate) fn takes_local_path(type_name: &str, path: &str) -> bool {
    type_name == LAMBDA_FUNCTION && path == "Code"
}

/// Replaces a local path in the `Code` of the function `decl` (evaluated as `properties`,
/// declared in the template at `template`) by its package's S3 location. Problems are pushed
/// to `errors` at the `Code` value.
pub(crate) fn replace_local_code(
    decl: &ResourceDecl,
    template: &Path,
    properties: &mut Value,
    artifacts: &Artifacts,
    errors: &mut Vec<Diagnostic>,
) {
    if decl.type_name.text != LAMBDA_FUNCTION {
        return;
    }
    let Value::Map(map) = properties else {
        return;
    };
    let Some(Value::String(written)) = map.get("Code") else {
        return;
    };
    let written = written.clone();
    let span = match decl.properties.as_ref().map(|p| &p.kind) {
        Some(ExprKind::Map(entries)) => entries
            .iter()
            .find(|(k, _)| k.name == "Code")
            .map_or(decl.name.span, |(_, v)| v.span),
        _ => decl.name.span,
    };
    let who = format!("`{}` ({LAMBDA_FUNCTION})", decl.name.text);
    let base = template.parent().unwrap_or(Path::new(""));
    let local = base.join(&written);
    let artifact = match artifacts.package(&local) {
        Ok(a) => a,
        Err(e) => {
            errors.push(Diagnostic::at(
                span,
                format!("{who}: cannot package Code `{written}`: {e}"),
            ));
            return;
        }
    };
    let bucket = match &artifacts.bucket {
        ArtifactBucket::Named(b) => Value::String(b.clone()),
        ArtifactBucket::Unchecked => Value::Unknown(Unknown::Derived),
        ArtifactBucket::Missing => {
            errors.push(Diagnostic::at(
                span,
                format!(
                    "{who}: Code is the local path `{written}`, which must be uploaded to S3: \
                     pass --artifact-bucket BUCKET (or keep the state in S3, \
                     --state s3://BUCKET/KEY, to use its bucket)"
                ),
            ));
            return;
        }
    };
    let code = BTreeMap::from([
        ("S3Bucket".to_owned(), bucket),
        ("S3Key".to_owned(), Value::String(artifact.key.clone())),
    ]);
    map.insert("Code".to_owned(), Value::Map(code));
}

/// The zip archive of the directory or file at `path`.
fn package_bytes(path: &Path) -> Result<Vec<u8>, PackageError> {
    let read_error = |source: std::io::Error| PackageError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(PackageError::NotFound(path.to_path_buf()));
        }
        Err(e) => return Err(read_error(e)),
    };
    if !meta.is_dir() && !meta.is_file() {
        return Err(PackageError::NotRegular(path.to_path_buf()));
    }
    if meta.is_dir() {
        let mut files = Vec::new();
        let mut chain = Vec::new();
        collect(path, "", &mut files, &mut chain)?;
        if files.is_empty() {
            return Err(PackageError::Empty(path.to_path_buf()));
        }
        // Byte order of the archive paths, whatever order the directory lists them in.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut contents = Vec::with_capacity(files.len());
        for (name, file) in &files {
            let data = std::fs::read(file).map_err(|source| PackageError::Read {
                path: file.clone(),
                source,
            })?;
            let mode = mode_of(file)?;
            contents.push((name.as_str(), data, mode));
        }
        let entries: Vec<zip::Entry<'_>> = contents
            .iter()
            .map(|(name, data, mode)| zip::Entry {
                name,
                data,
                mode: *mode,
            })
            .collect();
        return Ok(zip::archive(&entries)?);
    }
    let data = std::fs::read(path).map_err(read_error)?;
    if zip::is_zip(&data) {
        return Ok(data);
    }
    let name = path
        .file_name()
        .ok_or_else(|| PackageError::NotFound(path.to_path_buf()))?;
    let name = name
        .to_str()
        .ok_or_else(|| PackageError::NotUtf8(path.to_path_buf()))?;
    let mode = mode_of(path)?;
    Ok(zip::archive(&[zip::Entry {
        name,
        data: &data,
        mode,
    }])?)
}

/// Every file under `dir` (symbolic links followed) as (archive path, file path).
fn collect(
    dir: &Path,
    prefix: &str,
    files: &mut Vec<(String, PathBuf)>,
    chain: &mut Vec<PathBuf>,
) -> Result<(), PackageError> {
    let read_error = |source: std::io::Error| PackageError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let canonical = std::fs::canonicalize(dir).map_err(read_error)?;
    if chain.contains(&canonical) {
        return Err(PackageError::Loop(dir.to_path_buf()));
    }
    chain.push(canonical);
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let path = entry.path();
        let name = entry
            .file_name()
            .into_string()
            .map_err(|_| PackageError::NotUtf8(path.clone()))?;
        let archive_path = format!("{prefix}{name}");
        let meta = std::fs::metadata(&path).map_err(|source| PackageError::Read {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            collect(&path, &format!("{archive_path}/"), files, chain)?;
        } else if meta.is_file() {
            files.push((archive_path, path));
        } else {
            return Err(PackageError::NotRegular(path));
        }
    }
    chain.pop();
    Ok(())
}

/// The mode a file gets in the archive: 0755 when anyone may execute it (a custom runtime's
/// `bootstrap`), else 0644. Nothing else of the file's metadata goes into the archive.
fn mode_of(path: &Path) -> Result<u32, PackageError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = std::fs::metadata(path).map_err(|source| PackageError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(if meta.permissions().mode() & 0o111 != 0 {
            0o755
        } else {
            0o644
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(0o644)
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}
