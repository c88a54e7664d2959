//! Packaging local code paths: deterministic archives, the key in the loaded properties, and
//! the errors, each at the `Code` value.

use std::path::Path;
use std::time::{Duration, SystemTime};

use sha2::{Digest as _, Sha256};

use super::{ArtifactBucket, Artifacts, PackageError, zip};
use crate::{LoadOptions, Offline, Value, load};

fn write(root: &Path, rel: &str, text: &str, modified: SystemTime) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(&path, text).expect("write file");
    let file = std::fs::File::options()
        .write(true)
        .open(&path)
        .expect("open file");
    file.set_modified(modified).expect("set mtime");
}

/// The names of an archive's entries, from its central directory, in order.
fn entry_names(archive: &[u8]) -> Vec<String> {
    let end = archive.len() - 22;
    let count = u16::from_le_bytes([archive[end + 10], archive[end + 11]]);
    let mut at =
        u32::from_le_bytes(archive[end + 16..end + 20].try_into().expect("4 bytes")) as usize;
    let mut names = Vec::new();
    for _ in 0..count {
        assert_eq!(&archive[at..at + 4], &[0x50, 0x4b, 0x01, 0x02]);
        let len = usize::from(u16::from_le_bytes([archive[at + 28], archive[at + 29]]));
        names.push(String::from_utf8(archive[at + 46..at + 46 + len].to_vec()).expect("utf-8"));
        at += 46 + len;
    }
    names
}

#[test]
fn the_same_tree_makes_the_same_bytes_whatever_the_mtimes() {
    let early = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
    let late = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let one = tempfile::tempdir().expect("tempdir");
    write(
        one.path(),
        "index.py",
        "def handler(e, c):\n    return 1\n",
        early,
    );
    write(one.path(), "lib/util.py", "X = 1\n", early);
    write(one.path(), "b.txt", "b\n", early);
    // The same files, written in another order at other times.
    let two = tempfile::tempdir().expect("tempdir");
    write(two.path(), "b.txt", "b\n", late);
    write(two.path(), "lib/util.py", "X = 1\n", late);
    write(
        two.path(),
        "index.py",
        "def handler(e, c):\n    return 1\n",
        late,
    );

    let a = Artifacts::default().package(one.path()).expect("packages");
    let b = Artifacts::default().package(two.path()).expect("packages");
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.key, b.key);
    assert_eq!(entry_names(&a.bytes), ["b.txt", "index.py", "lib/util.py"]);
    let digest: [u8; 32] = Sha256::digest(&a.bytes).into();
    assert_eq!(a.sha256, digest);
    assert_eq!(a.key, format!("infra-artifacts/{}.zip", a.sha256_hex()));
    assert_eq!(a.sha256_hex().len(), 64);
}

#[test]
fn a_changed_file_changes_the_key() {
    let now = SystemTime::now();
    let one = tempfile::tempdir().expect("tempdir");
    write(one.path(), "index.py", "A = 1\n", now);
    let two = tempfile::tempdir().expect("tempdir");
    write(two.path(), "index.py", "A = 2\n", now);
    let a = Artifacts::default().package(one.path()).expect("packages");
    let b = Artifacts::default().package(two.path()).expect("packages");
    assert_ne!(a.key, b.key);
}

#[cfg(unix)]
#[test]
fn executables_keep_their_execute_bit_and_nothing_else() {
    use std::os::unix::fs::PermissionsExt as _;
    let now = SystemTime::now();
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "bootstrap", "#!/bin/sh\n", now);
    let perms = std::fs::Permissions::from_mode(0o700);
    std::fs::set_permissions(dir.path().join("bootstrap"), perms).expect("chmod");
    let archive = Artifacts::default().package(dir.path()).expect("packages");
    let end = archive.bytes.len() - 22;
    let at = u32::from_le_bytes(archive.bytes[end + 16..end + 20].try_into().expect("4")) as usize;
    let attrs = u32::from_le_bytes(archive.bytes[at + 38..at + 42].try_into().expect("4"));
    assert_eq!(attrs >> 16, 0o100_755);
}

#[test]
fn a_zip_file_is_taken_as_it_is_and_another_file_is_zipped_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zipped = zip::archive(&[zip::Entry {
        name: "index.py",
        data: b"A = 1\n",
        mode: 0o644,
    }])
    .expect("zips");
    std::fs::write(dir.path().join("code.zip"), &zipped).expect("write");
    std::fs::write(dir.path().join("index.py"), "A = 1\n").expect("write");
    let artifacts = Artifacts::default();
    let from_zip = artifacts
        .package(&dir.path().join("code.zip"))
        .expect("packages");
    assert_eq!(from_zip.bytes, zipped);
    let from_file = artifacts
        .package(&dir.path().join("index.py"))
        .expect("packages");
    assert_eq!(from_file.bytes, zipped);
    // Two paths, one package.
    assert_eq!(artifacts.built().len(), 1);
}

#[test]
fn missing_and_empty_paths_are_errors_naming_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let err = Artifacts::default()
        .package(&missing)
        .expect_err("nothing there");
    assert!(matches!(err, PackageError::NotFound(_)), "{err:?}");
    assert!(err.to_string().contains("nope"), "{err}");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let err = Artifacts::default()
        .package(&dir.path().join("empty"))
        .expect_err("no file");
    assert!(matches!(err, PackageError::Empty(_)), "{err:?}");
}

const TEMPLATE: &str = "\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Handler: index.handler
      Runtime: python3.12
      Code: ./src
";

fn load_with(
    bucket: ArtifactBucket,
    files: &[(&str, &str)],
) -> (Result<crate::Deployment, crate::LoadError>, LoadOptions) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("t.yml"), TEMPLATE).expect("write");
    for (rel, text) in files {
        write(dir.path(), rel, text, SystemTime::now());
    }
    let mut opts = LoadOptions::default();
    opts.pseudo.stack_name = "demo".into();
    opts.artifacts = Artifacts::new(bucket);
    let result = load(&dir.path().join("t.yml"), &opts, &Offline);
    (result, opts)
}

fn code_of(d: &crate::Deployment) -> Value {
    let Value::Map(props) = &d.resource("Fn").expect("Fn").properties else {
        panic!("properties are a map");
    };
    props.get("Code").cloned().expect("Code")
}

#[test]
fn a_local_path_becomes_the_packages_s3_location() {
    let (result, opts) = load_with(
        ArtifactBucket::Named("artifacts-bucket".into()),
        &[("src/index.py", "def handler(e, c):\n    return 1\n")],
    );
    let d = result.expect("loads");
    let built = opts.artifacts.built();
    assert_eq!(built.len(), 1);
    let Value::Map(code) = code_of(&d) else {
        panic!("Code is a map");
    };
    assert_eq!(
        code.get("S3Bucket"),
        Some(&Value::String("artifacts-bucket".into()))
    );
    assert_eq!(
        code.get("S3Key"),
        Some(&Value::String(built[0].key.clone()))
    );
    assert!(built[0].key.starts_with("infra-artifacts/"));
}

#[test]
fn without_a_bucket_a_local_path_is_an_error_at_the_code_value() {
    let (result, _) = load_with(ArtifactBucket::Missing, &[("src/index.py", "A = 1\n")]);
    let err = result.expect_err("needs a bucket");
    let [d] = err.diagnostics.0.as_slice() else {
        panic!("one diagnostic: {:?}", err.diagnostics);
    };
    for part in ["`Fn`", "`./src`", "--artifact-bucket BUCKET"] {
        assert!(d.message.contains(part), "{}", d.message);
    }
    let span = d.span.expect("a place");
    assert_eq!((span.line, span.col), (12, 13));
}

#[test]
fn a_path_that_does_not_exist_is_an_error_naming_it() {
    let (result, _) = load_with(ArtifactBucket::Named("b".into()), &[]);
    let err = result.expect_err("nothing at ./src");
    let [d] = err.diagnostics.0.as_slice() else {
        panic!("one diagnostic: {:?}", err.diagnostics);
    };
    assert!(d.message.contains("`./src`"), "{}", d.message);
    assert!(d.message.contains("does not exist"), "{}", d.message);
    assert_eq!(d.span.map(|s| s.line), Some(12));
}

#[test]
fn validate_packages_without_a_bucket() {
    let (result, _) = load_with(ArtifactBucket::Unchecked, &[("src/index.py", "A = 1\n")]);
    let d = result.expect("loads");
    let Value::Map(code) = code_of(&d) else {
        panic!("Code is a map");
    };
    assert!(matches!(code.get("S3Bucket"), Some(Value::Unknown(_))));
}
