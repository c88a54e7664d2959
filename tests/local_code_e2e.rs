//! Local Lambda code paths end to end on the AWS API emulator: `Code: ./src` is packaged,
//! uploaded to the artifact bucket at apply and deployed; a changed file is an in-place update
//! of that function only, and unchanged files plan nothing.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Output;

use base64::Engine as _;
use cli::{infra, s};
use sha2::{Digest as _, Sha256};
use support::Emulator;

const BUCKET: &str = "local-code-artifacts";

const TEMPLATE: &str = "\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: local-code-e2e
      Role: !GetAtt Role.Arn
      Handler: index.handler
      Runtime: python3.12
      Code: ./src
";

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Aws {
    rt: tokio::runtime::Runtime,
    s3: aws_sdk_s3::Client,
    lambda: aws_sdk_lambda::Client,
}

impl Aws {
    fn new(emulator: &Emulator) -> Aws {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(support::REGION))
            .endpoint_url(&emulator.endpoint)
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new("testing", "testing", None, None, "t"),
                ),
            )
            .build();
        let s3 = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build();
        Aws {
            rt,
            s3: aws_sdk_s3::Client::from_conf(s3),
            lambda: aws_sdk_lambda::Client::new(&config),
        }
    }

    fn object(&self, key: &str) -> Vec<u8> {
        self.rt.block_on(async {
            let got = self
                .s3
                .get_object()
                .bucket(BUCKET)
                .key(key)
                .send()
                .await
                .unwrap_or_else(|e| panic!("getting s3://{BUCKET}/{key}: {e:?}"));
            got.body
                .collect()
                .await
                .expect("body")
                .into_bytes()
                .to_vec()
        })
    }

    fn code_sha256(&self) -> String {
        self.rt.block_on(async {
            let got = self
                .lambda
                .get_function()
                .function_name("local-code-e2e")
                .send()
                .await
                .unwrap_or_else(|e| panic!("getting the function: {e:?}"));
            got.configuration
                .and_then(|c| c.code_sha256)
                .expect("a CodeSha256")
        })
    }
}

/// The S3 key of the function's package in a `--json` plan, with the plan's changes.
fn plan_json(emulator: &Emulator, template: &Path, state: &Path) -> (Output, serde_json::Value) {
    let o = infra(
        emulator,
        &[
            "plan",
            "-t",
            s(template),
            "--state",
            s(state),
            "--artifact-bucket",
            BUCKET,
            "--detailed-exitcode",
            "--json",
        ],
    );
    let json = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", show(&o)));
    (o, json)
}

/// The changes of a plan that do something: (address, actions).
fn changes(plan: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .map(|c| {
            let actions = c["actions"]
                .as_array()
                .expect("actions")
                .iter()
                .map(|a| a.as_str().expect("action").to_owned())
                .collect();
            (c["address"].as_str().expect("address").to_owned(), actions)
        })
        .filter(|(_, actions): &(String, Vec<String>)| actions != &["no-op"])
        .collect()
}

#[test]
fn a_local_code_path_is_packaged_uploaded_and_updated_in_place() {
    let emulator = Emulator::start();
    let aws = Aws::new(&emulator);
    aws.rt.block_on(async {
        aws.s3
            .create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .expect("creating the artifact bucket");
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("main.yml");
    let state = dir.path().join("state.json");
    std::fs::write(&template, TEMPLATE).expect("write template");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir src");
    let index = dir.path().join("src/index.py");
    std::fs::write(&index, "def handler(event, context):\n    return 1\n").expect("write");

    // Without a bucket the local path is an error at the Code value, naming the flag.
    let o = infra(
        &emulator,
        &["plan", "-t", s(&template), "--state", s(&state)],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("main.yml:18:13"), "{err}");
    assert!(
        err.contains("`Fn`") && err.contains("--artifact-bucket"),
        "{err}"
    );

    let o = infra(
        &emulator,
        &[
            "apply",
            "-t",
            s(&template),
            "--state",
            s(&state),
            "--artifact-bucket",
            BUCKET,
            "--auto-approve",
        ],
    );
    assert!(o.status.success(), "{}", show(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Uploaded s3://local-code-artifacts/infra-artifacts/"),
        "{stdout}"
    );

    // The function runs the uploaded package.
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("state json");
    let key = recorded["resources"]["Fn"]["properties"]["Code"]["S3Key"]
        .as_str()
        .unwrap_or_else(|| panic!("no S3Key recorded: {recorded}"))
        .to_owned();
    let package = aws.object(&key);
    let digest = Sha256::digest(&package);
    assert_eq!(key, format!("infra-artifacts/{digest:x}.zip"));
    let base64 = base64::engine::general_purpose::STANDARD.encode(digest);
    assert_eq!(aws.code_sha256(), base64);

    // Nothing changed: no diff.
    let (o, plan) = plan_json(&emulator, &template, &state);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(changes(&plan), [], "{plan}");

    // A changed file: an in-place update of the function only, showing the new hash.
    std::fs::write(&index, "def handler(event, context):\n    return 2\n").expect("write");
    let (o, plan) = plan_json(&emulator, &template, &state);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert_eq!(
        changes(&plan),
        [("Fn".to_owned(), vec!["update".to_owned()])],
        "{plan}"
    );
    let change = plan["resource_changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["address"] == "Fn"))
        .expect("Fn's change");
    let new_key = change["after"]["Code"]["S3Key"].as_str().expect("new key");
    assert_ne!(new_key, key);
    assert_eq!(change["before"]["Code"]["S3Key"], key.as_str());
    // The plan uploaded nothing.
    let missing = aws
        .rt
        .block_on(aws.s3.head_object().bucket(BUCKET).key(new_key).send());
    assert!(missing.is_err(), "the plan uploaded {new_key}");

    // Applied: the function runs the new package, and the next plan is empty.
    let new_key = new_key.to_owned();
    let o = infra(
        &emulator,
        &[
            "apply",
            "-t",
            s(&template),
            "--state",
            s(&state),
            "--artifact-bucket",
            BUCKET,
            "--auto-approve",
        ],
    );
    assert!(o.status.success(), "{}", show(&o));
    let digest = Sha256::digest(aws.object(&new_key));
    assert_eq!(new_key, format!("infra-artifacts/{digest:x}.zip"));
    let base64 = base64::engine::general_purpose::STANDARD.encode(digest);
    assert_eq!(aws.code_sha256(), base64);
    let (o, _) = plan_json(&emulator, &template, &state);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}
