//! `infra types`: the list of resource types infra deploys is what the registered providers say
//! about themselves, and `docs/resource-types.md` is exactly what `infra types --markdown`
//! prints (regenerate it with
//! `cargo run -q -p infra-cli --bin infra -- types --markdown > docs/resource-types.md`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (this file's package is `crates/infra-cli`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `infra types <args>`; its stdout, after checking it succeeded with nothing on stderr.
fn types(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .arg("types")
        .args(args)
        .output()
        .expect("runs infra");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "infra types {args:?} failed: {stderr}"
    );
    assert!(
        stderr.is_empty(),
        "infra types {args:?} wrote to stderr: {stderr}"
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_checked_in_resource_types_doc_is_what_the_command_prints() {
    let printed = types(&["--markdown"]);
    let path = repo_root().join("docs/resource-types.md");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        printed == checked_in,
        "docs/resource-types.md differs from `infra types --markdown`; regenerate it with\n  \
         cargo run -q -p infra-cli --bin infra -- types --markdown > docs/resource-types.md"
    );
}

#[test]
fn json_lists_every_registered_provider_once_as_native() {
    let printed: serde_json::Value =
        serde_json::from_str(&types(&["--json"])).expect("--json prints JSON");
    let listed = printed.as_array().expect("an array");
    let providers = infra_aws::providers::catalog();
    let registered: Vec<&str> = providers.types().collect();
    let native: Vec<&str> = listed
        .iter()
        .filter(|o| o["path"] == "native")
        .map(|o| o["type"].as_str().expect("every object has a type"))
        .collect();
    assert_eq!(
        native, registered,
        "the native types, in order, are the registry's"
    );
    assert_eq!(native.len(), 76, "the 76 native types of today");
    for type_name in [
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::AutoScaling::LaunchConfiguration",
        "AWS::AutoScaling::LifecycleHook",
        "AWS::AutoScaling::ScalingPolicy",
        "AWS::AutoScaling::ScheduledAction",
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard",
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "AWS::ServiceDiscovery::PublicDnsNamespace",
        "AWS::ServiceDiscovery::HttpNamespace",
        "AWS::ServiceDiscovery::Service",
        "AWS::EFS::FileSystem",
        "AWS::EFS::MountTarget",
        "AWS::EFS::AccessPoint",
        "AWS::ECR::Repository",
    ] {
        assert!(native.contains(&type_name), "{type_name} is native");
    }
    for object in listed.iter().filter(|o| o["path"] == "native") {
        let type_name = object["type"].as_str().unwrap_or_default();
        let coverage = providers.get(type_name).expect("registered").coverage();
        assert_eq!(object["path"], coverage.path.as_str(), "{type_name}");
        assert_eq!(object["refresh"], coverage.refresh.as_str(), "{type_name}");
        assert_eq!(object["find"], coverage.find.as_str(), "{type_name}");
        assert!(
            ["batched", "per-parent", "per-resource"]
                .contains(&object["refresh"].as_str().unwrap_or("")),
            "{type_name}: {object}"
        );
        assert!(
            ["tags", "name", "natural-key"].contains(&object["find"].as_str().unwrap_or("")),
            "{type_name}: {object}"
        );
    }
}

#[test]
fn json_lists_every_other_type_of_the_registry_as_cloudcontrol_or_none() {
    let printed: serde_json::Value =
        serde_json::from_str(&types(&["--json"])).expect("--json prints JSON");
    let listed = printed.as_array().expect("an array");
    let names: Vec<&str> = listed.iter().filter_map(|o| o["type"].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "sorted, each type once");
    let path_of = |t: &str| {
        listed
            .iter()
            .find(|o| o["type"] == t)
            .map(|o| o["path"].as_str().unwrap_or_default().to_owned())
    };
    for entry in infra_registry::catalog::all() {
        let expected = if infra_registry::lookup(entry.name).is_some() {
            "native"
        } else if entry.handlers.provisionable() {
            "cloudcontrol"
        } else {
            "none"
        };
        assert_eq!(
            path_of(entry.name).as_deref(),
            Some(expected),
            "{}",
            entry.name
        );
    }
    assert_eq!(path_of("AWS::SQS::Queue").as_deref(), Some("native"));
    assert_eq!(path_of("AWS::IAM::AccessKey").as_deref(), Some("native"));
    assert_eq!(
        path_of("AWS::Kinesis::Stream").as_deref(),
        Some("cloudcontrol")
    );
    assert_eq!(path_of("AWS::AppMesh::Mesh").as_deref(), Some("none"));
    let none = listed
        .iter()
        .find(|o| o["type"] == "AWS::AppMesh::Mesh")
        .expect("listed");
    assert!(
        none["refresh"].is_null() && none["find"].is_null(),
        "{none}"
    );
    let queue = listed
        .iter()
        .find(|o| o["type"] == "AWS::SQS::Queue")
        .expect("listed");
    assert_eq!(queue["refresh"], "per-resource");
}

#[test]
fn the_text_table_has_one_line_per_type() {
    let printed = types(&[]);
    let providers = infra_aws::providers::catalog();
    for type_name in providers.types() {
        let lines: Vec<&str> = printed
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(type_name))
            .collect();
        assert_eq!(lines.len(), 1, "{type_name} in:\n{printed}");
        let coverage = providers.get(type_name).expect("registered").coverage();
        let words: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            words,
            [
                type_name,
                coverage.path.as_str(),
                coverage.refresh.as_str(),
                coverage.find.as_str()
            ],
        );
    }
}
