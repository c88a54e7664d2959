//! Shared helpers: a fully populated sample state and small file-system checks.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use infra_state::{
    DeletionPolicy, Intent, IntentAction, OutputRecord, RecordedValue, ResourcePath,
    ResourceRecord, ResourceStatus, RetainedBy, RetainedRecord, State, Timestamp,
    UpdateReplacePolicy, sha256_hex,
};
use serde_json::json;

/// A state that uses every part of the model: plain and redacted parameters, resources in
/// every status and with every policy, intents of every action, plain and redacted outputs,
/// retained objects.
pub fn sample_state(stack: &str) -> State {
    let mut state = State::new(stack);
    state.region = Some("us-east-1".to_owned());
    state.template_sha256 = Some(sha256_hex(b"Resources: {}"));
    state.parameters.insert(
        "VpcCidr".to_owned(),
        RecordedValue::plain(json!("10.0.0.0/16")),
    );
    state.parameters.insert(
        "DbPassword".to_owned(),
        RecordedValue::redact(&json!("correct horse battery staple")),
    );
    state.resources.insert(
        "VpcStack.VPC".to_owned(),
        ResourceRecord {
            resource_type: "AWS::EC2::VPC".to_owned(),
            physical_id: "vpc-0123456789abcdef0".to_owned(),
            properties: json!({"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": true}),
            attributes: BTreeMap::from([("VpcId".to_owned(), json!("vpc-0123456789abcdef0"))]),
            dependencies: Vec::new(),
            status: ResourceStatus::Created,
            path: ResourcePath::Native,
            deletion_policy: DeletionPolicy::Retain,
            update_replace_policy: UpdateReplacePolicy::Retain,
        },
    );
    state.resources.insert(
        "VpcStack.PublicSubnetOne".to_owned(),
        ResourceRecord {
            resource_type: "AWS::EC2::Subnet".to_owned(),
            physical_id: "subnet-0aaa".to_owned(),
            properties: json!({"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.0.0/24"}),
            attributes: BTreeMap::new(),
            dependencies: vec!["VpcStack.VPC".to_owned()],
            status: ResourceStatus::Tainted,
            path: ResourcePath::CloudControl,
            deletion_policy: DeletionPolicy::RetainExceptOnCreate,
            update_replace_policy: UpdateReplacePolicy::Delete,
        },
    );
    let mut create = Intent::new(
        "ServiceStack.LoadBalancer",
        IntentAction::Create,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
    );
    create.expected_name = Some("demo-LoadBalancer-1A2B3C".to_owned());
    create.path = ResourcePath::CloudControl;
    create.checkpoint =
        Some(json!({"attempt": 1, "client_token": "0f3c9a", "request_token": "r-1"}));
    create.deletion_policy = DeletionPolicy::Retain;
    create.tags = BTreeMap::from([
        ("infra:stack".to_owned(), stack.to_owned()),
        (
            "infra:address".to_owned(),
            "ServiceStack.LoadBalancer".to_owned(),
        ),
    ]);
    let mut replace = Intent::new(
        "VpcStack.PublicSubnetOne",
        IntentAction::Replace,
        "AWS::EC2::Subnet",
    );
    replace.physical_id = Some("subnet-0aaa".to_owned());
    let mut delete = Intent::new(
        "VpcStack.OldSubnet",
        IntentAction::Delete,
        "AWS::EC2::Subnet",
    );
    delete.physical_id = Some("subnet-0bbb".to_owned());
    state.pending = vec![create, replace, delete];
    state.outputs.insert(
        "VpcId".to_owned(),
        OutputRecord {
            value: RecordedValue::plain(json!("vpc-0123456789abcdef0")),
            description: Some("The VPC".to_owned()),
            export_name: Some("demo:VpcId".to_owned()),
        },
    );
    state.outputs.insert(
        "DbPasswordEcho".to_owned(),
        OutputRecord {
            value: RecordedValue::redact(&json!("correct horse battery staple")),
            description: None,
            export_name: None,
        },
    );
    state.imports.insert(
        "network:SubnetIds".to_owned(),
        infra_state::ImportRecord {
            exporter: "network".to_owned(),
            value: json!("subnet-0aaa,subnet-0bbb"),
        },
    );
    state.retained.push(RetainedRecord {
        address: "Logs".to_owned(),
        resource_type: "AWS::Logs::LogGroup".to_owned(),
        physical_id: "demo-Logs-A1B2C3D4E5F6".to_owned(),
        retained_by: RetainedBy::DeletionPolicy,
        retained: Timestamp::from_second(1_764_106_682).expect("a time in range"),
    });
    state
}

/// A temporary directory and the path of `state/demo.json` inside it (not yet created).
pub fn state_dir() -> (tempfile::TempDir, PathBuf) {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("state").join("demo.json");
    (directory, path)
}

/// The permission bits of the file at `path`.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// The names in `directory`, sorted.
pub fn names_in(directory: &Path) -> Vec<String> {
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

/// Reads the file at `path`, which must exist.
pub fn bytes_of(path: &Path) -> Vec<u8> {
    fs::read(path).expect("read file")
}

/// Runs `work` with file permissions enforced even when the tests run as root.
///
/// Root bypasses permission bits through the `CAP_DAC_OVERRIDE` and `CAP_DAC_READ_SEARCH`
/// capabilities. On Linux, capabilities belong to a thread, so `work` runs on a thread of its
/// own that drops those two first; the rest of the test process keeps them.
pub fn without_permission_override<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                drop_permission_override();
                work()
            })
            .join()
            .expect("worker thread")
    })
}

#[cfg(target_os = "linux")]
fn drop_permission_override() {
    use rustix::thread::{CapabilitySet, capabilities, set_capabilities};
    let mut sets = capabilities(None).expect("read this thread's capabilities");
    sets.effective -= CapabilitySet::DAC_OVERRIDE | CapabilitySet::DAC_READ_SEARCH;
    set_capabilities(None, sets).expect("drop this thread's permission override");
}

#[cfg(not(target_os = "linux"))]
fn drop_permission_override() {
    assert!(
        !rustix::process::geteuid().is_root(),
        "permission tests cannot run as root on this system"
    );
}
