//! End-to-end acceptance of `infra validate` and `infra graph` on the upstream reference
//! workload ("Public facing API hosted on EC2 instances", nested stacks `parent.yml` ->
//! `vpc.yml`, `cluster.yml`, `service.yml`), read in place from `../shared` beside the
//! checkout, and on our own example `examples/public-api-ec2/main.yml`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The repository root (this file's package is `crates/infra-cli`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml`.
fn fixture() -> PathBuf {
    let dir = repo_root().join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2");
    assert!(
        dir.is_dir(),
        "the reference workload is missing at {}: `../shared` (with fixtures/container-patterns/) \
         must sit beside the checkout",
        dir.display()
    );
    let parent = dir.join("parent.yml");
    assert!(parent.is_file(), "missing {}", parent.display());
    parent
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    cmd: String,
}

impl Run {
    fn context(&self) -> String {
        format!(
            "\n$ {}\nexit code: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.cmd, self.code, self.stdout, self.stderr
        )
    }

    fn assert_success(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "infra panicked{}",
            self.context()
        );
        assert_eq!(self.code, Some(0), "expected exit code 0{}", self.context());
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}{}", self.context()))
    }
}

fn infra(args: &[&str], template: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .env_remove("AWS_REGION")
        .args(args)
        .arg("-t")
        .arg(template)
        .output()
        .expect("run infra");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cmd: format!("infra {} -t {}", args.join(" "), template.display()),
    }
}

/// The edges of a `graph --format json` document as (from, to, kinds).
fn edges(graph: &Value) -> Vec<(String, String, Vec<String>)> {
    graph["edges"]
        .as_array()
        .expect("graph JSON has an `edges` array")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            let kinds = e["kinds"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (s("from"), s("to"), kinds)
        })
        .collect()
}

fn nodes(graph: &Value) -> &Vec<Value> {
    graph["nodes"]
        .as_array()
        .expect("graph JSON has a `nodes` array")
}

const TEARDOWN: [&str; 4] = [
    "ClusterStack.CustomAsgDestroyer",
    "ClusterStack.CustomAsgDestroyerFunction",
    "ClusterStack.CustomAsgDestroyerRole",
    "ClusterStack.ECSAutoScalingGroup",
];

#[test]
fn fixture_validates() {
    let run = infra(&["validate"], &fixture());
    run.assert_success();
    assert!(
        run.stdout.contains("4 stacks, 39 resources"),
        "expected `4 stacks, 39 resources`{}",
        run.context()
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| TEARDOWN.iter().all(|name| l.contains(name))),
        "expected one line naming the replaced custom resource, its Lambda function and role, \
         and the ASG ({TEARDOWN:?}){}",
        run.context()
    );
}

#[test]
fn fixture_validates_as_json() {
    let run = infra(&["validate", "--json"], &fixture());
    run.assert_success();
    let v = run.json();
    assert_eq!(v["stacks"], 4, "stacks{}", run.context());
    assert_eq!(v["resources"], 39, "resources{}", run.context());
    for name in TEARDOWN {
        assert!(
            run.stdout.contains(&format!("\"{name}\"")),
            "expected `{name}` in the JSON summary{}",
            run.context()
        );
    }
}

#[test]
fn fixture_graph_json() {
    let run = infra(&["graph", "--format", "json"], &fixture());
    run.assert_success();
    let g = run.json();
    let edges = edges(&g);
    assert!(
        edges
            .iter()
            .any(|(f, t, _)| f == "ClusterStack.ContainerHostSecurityGroup" && t == "VpcStack.VPC"),
        "expected an edge ClusterStack.ContainerHostSecurityGroup -> VpcStack.VPC (through the \
         VpcId output){}",
        run.context()
    );
    assert!(
        edges.iter().any(|(f, t, k)| f == "ServiceStack.Service"
            && t == "ClusterStack.CapacityProviderAssociation"
            && k.iter().any(|k| k == "inferred")),
        "expected an inferred edge ServiceStack.Service -> \
         ClusterStack.CapacityProviderAssociation{}",
        run.context()
    );
    assert!(
        !edges
            .iter()
            .any(|(_, _, k)| k.iter().any(|k| k == "barrier")),
        "barrier edges without --nested-barrier{}",
        run.context()
    );
    for n in nodes(&g) {
        let address = n["address"].as_str().unwrap_or_default();
        assert_ne!(
            n["type"], "AWS::Lambda::Function",
            "node `{address}` is a Lambda function; the AsgDestroyer's is replaced natively"
        );
        assert!(
            !address.contains("CustomAsgDestroyer"),
            "node `{address}` should have been replaced by the native ASG teardown"
        );
    }
}

#[test]
fn fixture_graph_dot() {
    let run = infra(&["graph"], &fixture());
    run.assert_success();
    assert!(
        run.stdout.trim_start().starts_with("digraph"),
        "expected a DOT digraph{}",
        run.context()
    );
    assert!(
        run.stdout.contains("subgraph \"cluster_VpcStack\""),
        "expected a cluster per nested stack{}",
        run.context()
    );
}

#[test]
fn fixture_graph_nested_barrier() {
    let run = infra(
        &["graph", "--format", "json", "--nested-barrier"],
        &fixture(),
    );
    run.assert_success();
    let g = run.json();
    let edges = edges(&g);
    let service: Vec<&str> = nodes(&g)
        .iter()
        .filter_map(|n| n["address"].as_str())
        .filter(|a| a.starts_with("ServiceStack."))
        .collect();
    assert_eq!(
        service.len(),
        9,
        "ServiceStack resources: {service:?}{}",
        run.context()
    );
    let missing: Vec<&&str> = service
        .iter()
        .filter(|a| {
            !edges.iter().any(|(f, t, k)| {
                f == **a && t == "VpcStack.VPC" && k.iter().any(|k| k == "barrier")
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no `barrier` edge to VpcStack.VPC from {missing:?}{}",
        run.context()
    );
}

#[test]
fn example_validates() {
    let run = infra(
        &["validate"],
        &repo_root().join("examples/public-api-ec2/main.yml"),
    );
    run.assert_success();
}

/// `validate` and `graph` touch no state, so any file name works, even one that is not a valid
/// stack name; a command that touches state refuses such a name and says how to pass one.
#[test]
fn any_file_name_validates_and_state_commands_ask_for_a_stack() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture_dir = fixture().parent().expect("fixture directory").to_path_buf();
    for child in ["vpc.yml", "cluster.yml", "service.yml"] {
        std::fs::copy(fixture_dir.join(child), dir.path().join(child)).expect("copy a child");
    }
    for name in ["my_vpc.yml", "vpc.cfn.yml", "VPC_With_NAT.yaml", "1st.yml"] {
        let copy = dir.path().join(name);
        std::fs::copy(fixture_dir.join("parent.yml"), &copy).expect("copy the parent");
        let run = infra(&["validate"], &copy);
        run.assert_success();
        assert!(run.stdout.contains("39 resources"), "{}", run.context());
        let graph = infra(&["graph", "--format", "json"], &copy);
        graph.assert_success();
        assert_eq!(nodes(&graph.json()).len(), 39, "{}", graph.context());
    }
    let state = dir.path().join("s.json");
    let run = infra(
        &[
            "plan",
            "--refresh=false",
            "--state",
            state.to_str().expect("utf-8"),
        ],
        &dir.path().join("my_vpc.yml"),
    );
    assert_eq!(run.code, Some(1), "{}", run.context());
    assert!(
        run.stderr.contains("file name `my_vpc.yml`") && run.stderr.contains("--stack NAME"),
        "{}",
        run.context()
    );
    assert!(!state.exists(), "nothing written");
}
