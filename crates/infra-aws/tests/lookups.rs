//! Plan-time lookups against the AWS API emulator (moto server; `scripts/setup-emulator`).
//!
//! The code follows AWS's documented behaviour; where moto differs, only the test adapts, with a
//! comment naming the difference.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_sdk_ssm::types::ParameterType;
use infra_aws::error::ErrorClass;
use infra_aws::{
    AwsError, AwsSession, AwsSettings, Prefetched, Recorder, Wanted, load_config, prefetch,
};
use infra_template::{LoadOptions, Lookups, Offline, Pseudo, Value};
use support::Emulator;

/// The fixture's default for its `ECSAMI` parameter.
const ECS_AMI: &str = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id";

fn settings(region: &str, endpoint: &str) -> AwsSettings {
    AwsSettings {
        region: Some(region.into()),
        profile: None,
        endpoint_url: Some(endpoint.into()),
    }
}

/// `load_config` pointed at `endpoint`, with the emulator's test credentials (the test process's
/// own environment is left alone: it cannot be changed safely while other tests run).
async fn config_for(region: &str, endpoint: &str) -> SdkConfig {
    let config = load_config(&settings(region, endpoint))
        .await
        .unwrap_or_else(|e| panic!("load_config: {e}"));
    config
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "emulator",
        )))
        .build()
}

/// The session the lookups are made with, over `config`.
fn session(config: &SdkConfig) -> AwsSession {
    AwsSession::from_sdk_config(config.clone())
}

async fn emulator_config() -> SdkConfig {
    config_for(support::REGION, &Emulator::shared().endpoint).await
}

fn wanted(account: bool, regions: &[&str], params: &[&str]) -> Wanted {
    Wanted {
        account_id: account,
        az_regions: regions.iter().map(|s| s.to_string()).collect(),
        ssm_parameters: params.iter().map(|s| s.to_string()).collect(),
        imports: BTreeSet::new(),
    }
}

async fn put_parameter(config: &SdkConfig, name: &str, value: &str, kind: ParameterType) {
    aws_sdk_ssm::Client::new(config)
        .put_parameter()
        .name(name)
        .value(value)
        .r#type(kind)
        .overwrite(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutParameter {name}: {e:?}"));
}

#[tokio::test]
async fn prefetch_returns_account_azs_and_the_ecs_ami() {
    let config = emulator_config().await;
    let got = prefetch(&session(&config), &wanted(true, &["us-east-1"], &[ECS_AMI]))
        .await
        .unwrap_or_else(|e| panic!("prefetch: {e}"));

    assert_eq!(got.account_id.as_deref(), Some(support::ACCOUNT_ID));

    let zones = &got.azs["us-east-1"];
    assert!(zones.len() >= 3, "{zones:?}");
    assert_eq!(zones[0], "us-east-1a");
    assert!(
        zones.iter().all(|z| z.starts_with("us-east-1")),
        "{zones:?}"
    );
    let mut sorted = zones.clone();
    sorted.sort();
    assert_eq!(
        &sorted, zones,
        "Fn::GetAZs lists zones in alphabetical order"
    );

    // moto ships the public ECS-optimized AMI parameters under /aws/service/ecs/..., this exact
    // path included.
    let ami = &got.ssm[ECS_AMI];
    assert!(ami.starts_with("ami-"), "{ami}");
    assert_eq!(got.ssm_parameter(ECS_AMI), Some(Value::String(ami.clone())));
    assert_eq!(got.availability_zones("us-east-1").as_ref(), Some(zones));
    assert_eq!(got.availability_zones("eu-west-1"), None);
}

#[tokio::test]
async fn nothing_wanted_calls_nothing() {
    // A closed port: any call would fail.
    let config = config_for("us-east-1", &support::closed_endpoint()).await;
    let got = prefetch(&session(&config), &Wanted::default())
        .await
        .unwrap_or_else(|e| panic!("prefetch: {e}"));
    assert_eq!(got, Prefetched::default());
}

#[tokio::test]
async fn several_regions_at_once() {
    let config = emulator_config().await;
    let got = prefetch(
        &session(&config),
        &wanted(false, &["eu-west-1", "us-west-2"], &[]),
    )
    .await
    .unwrap_or_else(|e| panic!("prefetch: {e}"));
    assert_eq!(got.account_id, None);
    assert_eq!(got.azs.len(), 2);
    assert_eq!(got.azs["eu-west-1"][0], "eu-west-1a");
    assert_eq!(got.azs["us-west-2"][0], "us-west-2a");
}

#[tokio::test]
async fn getazs_keeps_only_zones_with_a_default_subnet() {
    // CloudFormation: "Fn::GetAZs returns only Availability Zones that have a default subnet
    // unless none of the Availability Zones has a default subnet". A region of its own, since
    // the emulator is shared.
    let region = "ap-southeast-2";
    let config = config_for(region, &Emulator::shared().endpoint).await;
    let before = prefetch(&session(&config), &wanted(false, &[region], &[]))
        .await
        .unwrap_or_else(|e| panic!("prefetch: {e}"));
    let all = before.azs[region].clone();
    assert!(all.len() >= 2, "{all:?}");

    // Delete the default subnet of the first zone.
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let subnets = ec2
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("default-for-az")
                .values("true")
                .build(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeSubnets: {e:?}"));
    let gone = subnets
        .subnets()
        .iter()
        .find(|s| s.availability_zone() == Some(all[0].as_str()))
        .unwrap_or_else(|| panic!("no default subnet in {}", all[0]));
    ec2.delete_subnet()
        .subnet_id(gone.subnet_id().unwrap_or_default())
        .send()
        .await
        .unwrap_or_else(|e| panic!("DeleteSubnet: {e:?}"));

    let after = prefetch(&session(&config), &wanted(false, &[region], &[]))
        .await
        .unwrap_or_else(|e| panic!("prefetch: {e}"));
    assert_eq!(after.azs[region], all[1..].to_vec());
}

#[tokio::test]
async fn parameters_are_fetched_in_batches_of_ten() {
    let config = emulator_config().await;
    let mut names = Vec::new();
    for i in 0..23 {
        let name = format!("/infra-test/batch/p{i:02}");
        put_parameter(&config, &name, &format!("value-{i}"), ParameterType::String).await;
        names.push(name);
    }
    put_parameter(
        &config,
        "/infra-test/batch/list",
        "a,b,c",
        ParameterType::StringList,
    )
    .await;
    names.push("/infra-test/batch/list".into());

    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let got = prefetch(&session(&config), &wanted(false, &[], &refs))
        .await
        .unwrap_or_else(|e| panic!("prefetch: {e}"));
    assert_eq!(got.ssm.len(), 24);
    assert_eq!(got.ssm["/infra-test/batch/p00"], "value-0");
    assert_eq!(got.ssm["/infra-test/batch/p22"], "value-22");
    assert_eq!(got.ssm["/infra-test/batch/list"], "a,b,c");
}

#[tokio::test]
async fn missing_parameters_are_one_error_naming_each() {
    let config = emulator_config().await;
    let mut names: Vec<String> = (0..12)
        .map(|i| format!("/infra-test/missing/have{i:02}"))
        .collect();
    for name in &names {
        put_parameter(&config, name, "x", ParameterType::String).await;
    }
    // One missing name in each batch of ten (names are fetched sorted).
    names.push("/infra-test/missing/a-not-there".into());
    names.push("/infra-test/missing/zz-not-there".into());
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();

    let err = prefetch(&session(&config), &wanted(true, &[], &refs))
        .await
        .expect_err("missing parameters must fail");
    match &err {
        AwsError::ParametersNotFound { names } => assert_eq!(
            names,
            &[
                "/infra-test/missing/a-not-there".to_string(),
                "/infra-test/missing/zz-not-there".to_string()
            ]
        ),
        other => panic!("wrong error: {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("/infra-test/missing/a-not-there"), "{text}");
    assert!(text.contains("/infra-test/missing/zz-not-there"), "{text}");
    assert_eq!(err.class(), ErrorClass::Service);
}

#[tokio::test]
async fn a_securestring_parameter_is_refused() {
    let config = emulator_config().await;
    put_parameter(
        &config,
        "/infra-test/secret",
        "hunter2",
        ParameterType::SecureString,
    )
    .await;
    let err = prefetch(
        &session(&config),
        &wanted(false, &[], &["/infra-test/secret"]),
    )
    .await
    .expect_err("CloudFormation parameter types do not support SecureString");
    assert!(
        matches!(&err, AwsError::SecureStringParameter { name } if name == "/infra-test/secret"),
        "{err:?}"
    );
    assert!(!err.to_string().contains("hunter2"));
}

#[tokio::test]
async fn an_unreachable_endpoint_fails_quickly_and_is_named() {
    let endpoint = support::closed_endpoint();
    let config = config_for("us-east-1", &endpoint).await;
    let started = Instant::now();
    let err = prefetch(&session(&config), &wanted(true, &["us-east-1"], &[ECS_AMI]))
        .await
        .expect_err("nothing listens there");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
    assert_eq!(err.class(), ErrorClass::Unreachable, "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&endpoint), "{text}");
    // The account lookup is reported first.
    assert!(text.contains("sts GetCallerIdentity"), "{text}");
}

/// A credentials chain that finds nothing, as on a machine with no AWS configuration.
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(CredentialsError::not_loaded(
            "no providers in chain provided credentials",
        )))
    }
}

#[tokio::test]
async fn failing_credentials_are_a_credentials_error() {
    let config = emulator_config()
        .await
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(NoCredentials))
        .build();
    let err = prefetch(&session(&config), &wanted(true, &[], &[]))
        .await
        .expect_err("no credentials");
    assert_eq!(err.class(), ErrorClass::Credentials, "{err:?}");
    let text = err.to_string();
    assert!(text.contains("aws configure"), "{text}");
    assert!(text.contains("AWS_PROFILE"), "{text}");
}

#[tokio::test]
async fn config_has_timeouts_and_standard_retries() {
    let config = emulator_config().await;
    let timeouts = config.timeout_config().expect("timeouts");
    assert_eq!(
        timeouts.connect_timeout(),
        Some(infra_aws::config::CONNECT_TIMEOUT)
    );
    assert_eq!(
        timeouts.operation_timeout(),
        Some(infra_aws::config::OPERATION_TIMEOUT)
    );
    assert!(infra_aws::config::OPERATION_TIMEOUT <= Duration::from_secs(15));
    if std::env::var_os("AWS_RETRY_MODE").is_none() {
        let retry = config.retry_config().expect("retry config");
        assert_eq!(retry.mode(), aws_smithy_types::retry::RetryMode::Standard);
    }
    assert_eq!(config.region().map(|r| r.as_ref()), Some("us-east-1"));
    assert_eq!(
        config.endpoint_url(),
        Some(Emulator::shared().endpoint.as_str())
    );
}

#[tokio::test]
async fn a_bad_endpoint_url_is_refused() {
    let err = load_config(&settings("us-east-1", "localhost:4566"))
        .await
        .expect_err("no scheme");
    assert!(matches!(err, AwsError::InvalidEndpoint { .. }), "{err:?}");
    assert!(err.to_string().contains("http://"), "{err}");
}

// ---- Recorder -------------------------------------------------------------------------------

#[test]
fn recorder_records_what_is_asked_and_answers_like_the_inner_lookups() {
    let mut known = Prefetched::default();
    known
        .azs
        .insert("us-east-1".into(), vec!["us-east-1a".into()]);
    known.ssm.insert("/known".into(), "v".into());

    let recorder = Recorder::new(&known);
    assert_eq!(
        recorder.availability_zones("us-east-1"),
        Some(vec!["us-east-1a".to_string()])
    );
    assert_eq!(recorder.availability_zones("eu-west-1"), None);
    assert_eq!(
        recorder.ssm_parameter("/known"),
        Some(Value::String("v".into()))
    );
    assert_eq!(recorder.ssm_parameter("/unknown"), None);
    assert_eq!(recorder.resource_ref("Vpc"), None);
    assert_eq!(
        recorder.wanted(),
        Wanted {
            account_id: false,
            az_regions: BTreeSet::from(["eu-west-1".to_string(), "us-east-1".to_string()]),
            ssm_parameters: BTreeSet::from(["/known".to_string(), "/unknown".to_string()]),
            imports: BTreeSet::new(),
        }
    );
    assert!(!recorder.into_wanted().is_empty());

    let offline = Recorder::new(&Offline);
    assert!(offline.wanted().is_empty());
}

fn fixture() -> PathBuf {
    support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml")
}

fn options() -> LoadOptions {
    LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters: Default::default(),
        pseudo: Pseudo {
            region: Some("us-east-1".into()),
            account_id: None,
            stack_name: "demo".into(),
        },
    }
}

fn property<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Map(map) => map.get(key),
        _ => None,
    }
}

/// What the CLI does: load offline through a recorder, prefetch what it saw, load again.
#[tokio::test]
async fn the_fixture_loads_once_offline_then_resolves_with_prefetched_values() {
    let path = fixture();
    assert!(
        Path::new(&path).is_file(),
        "fixture missing: {}",
        path.display()
    );

    let recorder = Recorder::new(&Offline);
    infra_template::load(&path, &options(), &recorder)
        .unwrap_or_else(|e| panic!("offline load: {e:?}"));
    let mut want = recorder.into_wanted();
    assert_eq!(want.az_regions, BTreeSet::from(["us-east-1".to_string()]));
    assert_eq!(want.ssm_parameters, BTreeSet::from([ECS_AMI.to_string()]));
    want.account_id = true;

    let config = emulator_config().await;
    let got = prefetch(&session(&config), &want)
        .await
        .unwrap_or_else(|e| panic!("prefetch: {e}"));
    let ami = got.ssm[ECS_AMI].clone();

    let deployment = infra_template::load(&path, &options(), &got)
        .unwrap_or_else(|e| panic!("second load: {e:?}"));
    let subnet = deployment
        .resources
        .iter()
        .find(|r| r.address == "VpcStack.PublicSubnetOne")
        .expect("VpcStack.PublicSubnetOne");
    assert_eq!(
        property(&subnet.properties, "AvailabilityZone"),
        Some(&Value::String(got.azs["us-east-1"][0].clone()))
    );
    let launch_template = deployment
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::EC2::LaunchTemplate")
        .expect("a launch template");
    let image = property(&launch_template.properties, "LaunchTemplateData")
        .and_then(|d| property(d, "ImageId"));
    assert_eq!(image, Some(&Value::String(ami)));
}

// ---- The standard chain, in a child process with its own environment -------------------------

/// Runs the test `name` of this binary in a child process with exactly `env` (plus PATH), and
/// `INFRA_AWS_CHILD` set so that the test does its part instead of spawning again.
fn run_child(name: &str, env: &[(String, String)]) {
    let exe = std::env::current_exe().expect("test binary path");
    let output = Command::new(exe)
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("INFRA_AWS_CHILD", name)
        .env("HOME", "/nonexistent")
        .envs(env.iter().cloned())
        .output()
        .expect("run the child test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "child test {name} failed:\n{text}");
    assert!(
        text.contains("1 passed"),
        "child test {name} did not run:\n{text}"
    );
}

fn in_child(name: &str) -> bool {
    std::env::var("INFRA_AWS_CHILD").is_ok_and(|v| v == name)
}

fn isolated() -> Vec<(String, String)> {
    vec![
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ("AWS_CONFIG_FILE".into(), "/dev/null".into()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), "/dev/null".into()),
    ]
}

#[test]
fn no_region_is_a_clear_error() {
    const NAME: &str = "no_region_is_a_clear_error";
    if !in_child(NAME) {
        return run_child(NAME, &isolated());
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let err = runtime
        .block_on(load_config(&AwsSettings::default()))
        .expect_err("no region anywhere");
    assert_eq!(
        err.to_string(),
        "no AWS region: pass --region or set AWS_REGION"
    );
}

#[test]
fn the_emulator_environment_is_enough() {
    // What end-to-end tests hand the `infra` binary: AWS_ENDPOINT_URL, AWS_REGION, test keys.
    const NAME: &str = "the_emulator_environment_is_enough";
    if !in_child(NAME) {
        return run_child(NAME, &Emulator::shared().env());
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let config = load_config(&AwsSettings::default())
            .await
            .unwrap_or_else(|e| panic!("load_config: {e}"));
        assert_eq!(
            config.endpoint_url().map(str::to_owned),
            std::env::var("AWS_ENDPOINT_URL").ok()
        );
        let got = prefetch(&session(&config), &wanted(true, &[], &[]))
            .await
            .unwrap_or_else(|e| panic!("prefetch: {e}"));
        assert_eq!(got.account_id.as_deref(), Some(support::ACCOUNT_ID));
    });
}

#[test]
fn a_named_profile_gives_region_endpoint_and_credentials() {
    const NAME: &str = "a_named_profile_gives_region_endpoint_and_credentials";
    if !in_child(NAME) {
        let dir = std::env::temp_dir().join(format!("infra-aws-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = dir.join("config");
        let credentials = dir.join("credentials");
        std::fs::write(
            &config,
            format!(
                "[profile emu]\nregion = eu-central-1\nendpoint_url = {}\n",
                Emulator::shared().endpoint
            ),
        )
        .expect("write config");
        std::fs::write(
            &credentials,
            "[emu]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
        )
        .expect("write credentials");
        let env = vec![
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
            ("AWS_CONFIG_FILE".into(), config.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                credentials.display().to_string(),
            ),
        ];
        run_child(NAME, &env);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let settings = AwsSettings {
            profile: Some("emu".into()),
            ..AwsSettings::default()
        };
        let config = load_config(&settings)
            .await
            .unwrap_or_else(|e| panic!("load_config: {e}"));
        assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-central-1"));
        let got = prefetch(&session(&config), &wanted(true, &["eu-central-1"], &[]))
            .await
            .unwrap_or_else(|e| panic!("prefetch: {e}"));
        assert_eq!(got.account_id.as_deref(), Some(support::ACCOUNT_ID));
        assert_eq!(got.azs["eu-central-1"][0], "eu-central-1a");

        // --region wins over the profile.
        let settings = AwsSettings {
            profile: Some("emu".into()),
            region: Some("eu-west-3".into()),
            endpoint_url: None,
        };
        let config = load_config(&settings)
            .await
            .unwrap_or_else(|e| panic!("load_config: {e}"));
        assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-3"));
    });
}
