//! Resources deployed through AWS Cloud Control, end to end on the project's emulator
//! (`scripts/emulator`, whose Cloud Control endpoint makes resources with moto's CloudFormation
//! models, so each is visible in its own service's API). Every check reads the resources back
//! through their own service's API with boto3 (`support/boto.rs`), never through Cloud Control
//! or infra's state alone.
//!
//! Two kinds of types take the Cloud Control path: those infra has no native provider for
//! (`AWS::Kinesis::Stream`, `AWS::Events::EventBus`, `AWS::StepFunctions::StateMachine`, ...),
//! always; and natively deployed ones (`AWS::SQS::Queue`, `AWS::SNS::Topic`,
//! `AWS::SSM::Parameter`, `AWS::Events::Rule`, `AWS::EC2::VPC`, ...) when `--cloud-control TYPE`
//! asks for it, which these tests pass for every native type they send through Cloud Control
//! (see [`NATIVE_VIA_CLOUD_CONTROL`]).
//!
//! - the lifecycle: seven Cloud Control resources (three types without a native provider, four
//!   native types sent with `--cloud-control`) and a native role with references between them:
//!   apply, an empty second plan, an update in place, a replacement, destroy;
//! - parity: a VPC and a log group applied natively and with `--cloud-control` plan and record
//!   the same thing;
//! - crash recovery: `infra apply --cloud-control AWS::SQS::Queue` killed while its
//!   CreateResource request is in progress, then run again, makes exactly one queue;
//! - throttling injected in Cloud Control calls and ProgressEvents: apply and destroy succeed;
//! - `infra validate` refuses a type neither infra nor Cloud Control can provision, and accepts
//!   a Cloud-Control-only type beside it;
//! - the example `examples/cloud-control/`, made only of types without a native provider (and
//!   one native role), applied with no flag at all.
//!
//! Templates are in `tests/cloudcontrol/`. Every test starts its own emulator: the crash and
//! throttling tests change its settings and faults, which are emulator-wide.

#[path = "support/mod.rs"]
mod support;

#[path = "support/boto.rs"]
mod boto;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use support::{ACCOUNT_ID, Emulator};

/// The native types the Cloud Control templates use (`tests/cloudcontrol/app.yaml`,
/// `queue.yaml`, `throttled.yaml`), each passed as `--cloud-control TYPE` to `plan` and `apply`
/// so that their resources are created through Cloud Control, not by infra's own providers.
const NATIVE_VIA_CLOUD_CONTROL: [&str; 4] = [
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::SSM::Parameter",
    "AWS::Events::Rule",
];

/// `--cloud-control TYPE` for each of [`NATIVE_VIA_CLOUD_CONTROL`], followed by `extra`.
fn via_cloud_control<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args: Vec<&str> = NATIVE_VIA_CLOUD_CONTROL
        .iter()
        .flat_map(|t| ["--cloud-control", *t])
        .collect();
    args.extend(extra);
    args
}

/// How long one `infra` command may run before the test kills it and fails.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

// --- running infra ----------------------------------------------------------------------------

/// What one `infra` run printed and how it ended.
#[derive(Debug)]
struct Run {
    args: Vec<String>,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }

    fn describe(&self) -> String {
        format!(
            "infra {} ended {:?}\nstdout:\n{}\nstderr:\n{}",
            self.args.join(" "),
            self.status.code(),
            self.stdout,
            self.stderr
        )
    }

    /// stdout, after checking it succeeded.
    fn ok(&self) -> &str {
        assert!(self.status.success(), "{}", self.describe());
        &self.stdout
    }

    /// stdout and stderr, after checking it failed.
    fn failed(&self) -> String {
        assert!(
            !self.status.success(),
            "expected a failure: {}",
            self.describe()
        );
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn command(emulator: &Emulator, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .current_dir(support::repo_root())
        .stdin(Stdio::null());
    cmd
}

/// Runs `infra args` against the emulator; kills it and fails after [`COMMAND_TIMEOUT`].
fn infra(emulator: &Emulator, args: &[&str]) -> Run {
    let out = tempfile::NamedTempFile::new().expect("temp file");
    let err = tempfile::NamedTempFile::new().expect("temp file");
    let mut child = command(emulator, args)
        .stdout(Stdio::from(out.reopen().expect("reopens")))
        .stderr(Stdio::from(err.reopen().expect("reopens")))
        .spawn()
        .expect("runs infra");
    let status = wait_or_kill(&mut child, COMMAND_TIMEOUT).unwrap_or_else(|| {
        panic!(
            "infra {} did not end within {COMMAND_TIMEOUT:?}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            read(out.path()),
            read(err.path())
        )
    });
    Run {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        status,
        stdout: read(out.path()),
        stderr: read(err.path()),
    }
}

fn wait_or_kill(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("waits for infra") {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn read(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    text
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A template of `tests/cloudcontrol/`.
fn template(name: &str) -> PathBuf {
    let path = support::repo_root().join("tests/cloudcontrol").join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

/// The state file at `path`, as JSON.
fn state(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_at<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value:#}"))
}

/// One stack's commands: `--stack`, `--state`, and the template with its parameters.
struct Stack<'e> {
    emulator: &'e Emulator,
    name: String,
    state: PathBuf,
    template: PathBuf,
}

impl Stack<'_> {
    fn args<'a>(&'a self, command: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![command, "--stack", &self.name, "--state", s(&self.state)];
        if command != "destroy" {
            args.extend(["-t", s(&self.template)]);
        }
        args.extend(extra);
        args
    }

    fn run(&self, command: &str, extra: &[&str]) -> Run {
        infra(self.emulator, &self.args(command, extra))
    }

    fn state(&self) -> Value {
        state(&self.state)
    }

    /// `plan --detailed-exitcode`: asserts it exits 0 (no changes) and says so.
    fn assert_plan_empty(&self, extra: &[&str]) {
        let mut args = vec!["--detailed-exitcode"];
        args.extend(extra);
        let plan = self.run("plan", &args);
        assert_eq!(
            plan.code(),
            Some(0),
            "a plan right after an apply must be empty (exit 0): {}",
            plan.describe()
        );
        assert!(plan.stdout.contains("No changes."), "{}", plan.describe());
    }

    /// `plan --json` (with `extra`), parsed.
    fn plan_json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["--json"];
        args.extend(extra);
        let run = self.run("plan", &args);
        serde_json::from_str(run.ok()).unwrap_or_else(|e| panic!("plan --json: {e}\n{run:?}"))
    }
}

/// The change of `address` in a `plan --json` document.
fn change<'p>(plan: &'p Value, address: &str) -> &'p Value {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no change for {address} in {plan:#}"))
}

/// The head of `address`'s change in the plan text: its heading comments (`# Jobs will be
/// created`, `# (via Cloud Control)`, ...) through the line that opens its resource block.
fn change_head(plan: &str, address: &str) -> String {
    let heading = format!("# {address} ");
    let lines: Vec<&str> = plan.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&heading))
        .unwrap_or_else(|| panic!("no change heading for {address} in:\n{plan}"));
    let end = (start..lines.len())
        .find(|&i| lines[i].contains("resource \""))
        .unwrap_or_else(|| panic!("no resource block for {address} in:\n{plan}"));
    lines[start..=end].join("\n")
}

/// The line of the plan text that opens `address`'s resource block.
fn block_line<'t>(plan: &'t str, address: &str) -> &'t str {
    let needle = format!("\"{address}\"");
    plan.lines()
        .find(|l| {
            l.contains("resource \"")
                && l.trim_end()
                    .trim_end_matches('{')
                    .trim_end()
                    .ends_with(&needle)
        })
        .or_else(|| {
            plan.lines()
                .find(|l| l.contains("resource \"") && l.contains(&needle))
        })
        .unwrap_or_else(|| panic!("no resource block for {address} in:\n{plan}"))
}

// --- the emulator's control endpoint -------------------------------------------------------

fn control(emulator: &Emulator, method: &str, path: &str, body: &Value) -> Value {
    // A GET is tried once more: on a loaded machine a read can time out once.
    let send = || emulator.request(method, path, body.to_string().as_bytes());
    let response = send()
        .or_else(|e| if method == "GET" { send() } else { Err(e) })
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert_eq!(
        response.status, 200,
        "{method} {path} {body}: {}",
        response.body
    );
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

fn configure_emulator(emulator: &Emulator, settings: Value) -> Value {
    control(emulator, "POST", "/infra-emulator/config", &settings)
}

// --- the boto3 helper itself ------------------------------------------------------------------

#[test]
fn the_boto_helper_reads_back_what_it_made_and_reports_aws_errors() {
    let emulator = Emulator::start();
    let endpoint = &emulator.endpoint;
    let created = boto::boto(
        endpoint,
        "sqs",
        "create_queue",
        json!({"QueueName": "boto-self-test", "Attributes": {"VisibilityTimeout": "17"}}),
    );
    let url = str_at(&created, "/QueueUrl").to_owned();
    assert!(url.ends_with("/boto-self-test"), "{created}");
    let attributes = boto::boto(
        endpoint,
        "sqs",
        "get_queue_attributes",
        json!({"QueueUrl": url, "AttributeNames": ["All"]}),
    );
    assert_eq!(attributes["Attributes"]["VisibilityTimeout"], "17");
    assert_eq!(
        attributes["Attributes"]["QueueArn"],
        format!("arn:aws:sqs:us-east-1:{ACCOUNT_ID}:boto-self-test")
    );

    // Several calls in one process, an AWS error among them.
    let results = boto::batch(
        endpoint,
        &[
            (
                "sqs",
                "list_queues",
                json!({"QueueNamePrefix": "boto-self"}),
            ),
            (
                "ssm",
                "get_parameter",
                json!({"Name": "/boto/self-test/missing"}),
            ),
            ("sqs", "delete_queue", json!({"QueueUrl": url})),
            (
                "sqs",
                "list_queues",
                json!({"QueueNamePrefix": "boto-self"}),
            ),
        ],
    );
    assert_eq!(results.len(), 4);
    let listed = results[0].as_ref().expect("list_queues");
    assert_eq!(
        listed["QueueUrls"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let missing = results[1].as_ref().expect_err("no such parameter");
    assert_eq!(missing.code, "ParameterNotFound", "{missing}");
    results[2].as_ref().expect("delete_queue");
    let after = results[3].as_ref().expect("list_queues");
    assert!(
        after["QueueUrls"].as_array().is_none_or(Vec::is_empty),
        "{after}"
    );

    // A method boto3 does not have is an error with the script's message, not a panic.
    let wrong =
        boto::try_boto(endpoint, "sqs", "no_such_method", json!({})).expect_err("no such method");
    assert!(wrong.message.contains("no_such_method"), "{wrong}");
}

#[test]
#[should_panic(expected = "only talks to loopback endpoints")]
fn the_boto_helper_refuses_an_endpoint_that_is_not_loopback() {
    boto::boto("http://192.0.2.1:5000", "sqs", "list_queues", json!({}));
}

// --- a. the lifecycle ---------------------------------------------------------------------------

/// The Cloud Control resources of `tests/cloudcontrol/app.yaml`, by address: `Clicks`, `Bus`
/// and `Flow` have no native provider; `Jobs`, `Alarms`, `JobsRule` and `JobsUrl` are native
/// types sent through Cloud Control by [`via_cloud_control`].
const APP_CLOUD_CONTROL: [&str; 7] = [
    "Jobs", "Alarms", "Clicks", "Bus", "JobsRule", "JobsUrl", "Flow",
];

/// What the lifecycle test expects AWS to hold at each step.
struct Expected<'a> {
    queue_name: &'a str,
    visibility: &'a str,
    retention_hours: i64,
    display_name: &'a str,
}

/// Reads every resource of the app stack through its own service's API and checks it has the
/// template's values; returns the queue's URL as the state records it.
fn check_app(stack: &Stack<'_>, prefix: &str, want: &Expected<'_>) -> String {
    let endpoint = &stack.emulator.endpoint;
    let st = stack.state();
    let queue_url = str_at(&st, "/resources/Jobs/physical_id").to_owned();
    let topic_arn = str_at(&st, "/resources/Alarms/physical_id").to_owned();
    let flow_arn = str_at(&st, "/resources/Flow/physical_id").to_owned();
    assert!(
        queue_url.ends_with(&format!("/{ACCOUNT_ID}/{}", want.queue_name)),
        "the queue's physical id is its URL: {queue_url}"
    );
    let queue_arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT_ID}:{}", want.queue_name);
    let bus = format!("{prefix}-bus");
    let rule = format!("{prefix}-jobs");
    let parameter = format!("/{prefix}/jobs-url");
    let stream = format!("{prefix}-clicks");
    let role = format!("{prefix}-flow");

    let results = boto::batch(
        endpoint,
        &[
            (
                "sqs",
                "get_queue_attributes",
                json!({"QueueUrl": queue_url, "AttributeNames": ["All"]}),
            ),
            (
                "sns",
                "get_topic_attributes",
                json!({"TopicArn": topic_arn}),
            ),
            (
                "kinesis",
                "describe_stream_summary",
                json!({"StreamName": stream}),
            ),
            ("events", "describe_event_bus", json!({"Name": bus})),
            (
                "events",
                "describe_rule",
                json!({"Name": rule, "EventBusName": bus}),
            ),
            (
                "events",
                "list_targets_by_rule",
                json!({"Rule": rule, "EventBusName": bus}),
            ),
            ("ssm", "get_parameter", json!({"Name": parameter})),
            (
                "ssm",
                "describe_parameters",
                json!({"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": [parameter]}]}),
            ),
            ("iam", "get_role", json!({"RoleName": role})),
            (
                "stepfunctions",
                "describe_state_machine",
                json!({"stateMachineArn": flow_arn}),
            ),
        ],
    );
    let [
        queue,
        topic,
        stream_summary,
        event_bus,
        rule_d,
        targets,
        param,
        param_d,
        role_d,
        machine,
    ] = <[Result<Value, boto::BotoError>; 10]>::try_from(results)
        .expect("ten answers")
        .map(|r| r.unwrap_or_else(|e| panic!("reading the app stack back: {e}")));

    // SQS
    let attrs = &queue["Attributes"];
    assert_eq!(attrs["QueueArn"], queue_arn.as_str(), "{queue:#}");
    assert_eq!(attrs["VisibilityTimeout"], want.visibility, "{queue:#}");
    assert_eq!(attrs["MessageRetentionPeriod"], "86400", "{queue:#}");
    // SNS
    assert_eq!(topic["Attributes"]["TopicArn"], topic_arn.as_str());
    assert_eq!(
        topic["Attributes"]["DisplayName"], want.display_name,
        "{topic:#}"
    );
    assert_eq!(
        topic_arn,
        format!("arn:aws:sns:us-east-1:{ACCOUNT_ID}:{prefix}-alarms")
    );
    // Kinesis
    let summary = &stream_summary["StreamDescriptionSummary"];
    assert_eq!(summary["StreamName"], stream.as_str());
    assert_eq!(
        summary["RetentionPeriodHours"], want.retention_hours,
        "{summary:#}"
    );
    assert_eq!(summary["OpenShardCount"], 1, "{summary:#}");
    assert_eq!(str_at(&st, "/resources/Clicks/physical_id"), stream);
    // EventBridge: the bus, the rule on it and its target, the queue's ARN (GetAtt Jobs.Arn).
    assert_eq!(event_bus["Name"], bus.as_str(), "{event_bus:#}");
    assert_eq!(rule_d["EventBusName"], bus.as_str(), "{rule_d:#}");
    assert_eq!(rule_d["State"], "ENABLED", "{rule_d:#}");
    let pattern: Value =
        serde_json::from_str(rule_d["EventPattern"].as_str().expect("EventPattern")).expect("JSON");
    assert_eq!(pattern, json!({"source": ["cc.app"]}));
    assert_eq!(
        targets["Targets"],
        json!([{"Id": "jobs", "Arn": queue_arn}]),
        "the rule targets the queue of the template"
    );
    // SSM: the queue's URL (Ref Jobs).
    assert_eq!(param["Parameter"]["Value"], queue_url.as_str(), "{param:#}");
    assert_eq!(param["Parameter"]["Type"], "String");
    // Description is write-only in the schema (GetResource never answers it, on AWS either), so
    // an update must send it again or Cloud Control drops it: it must survive every update.
    assert_eq!(
        param_d["Parameters"][0]["Description"], "The jobs queue URL",
        "{param_d:#}"
    );
    assert_eq!(str_at(&st, "/resources/JobsUrl/physical_id"), parameter);
    // Step Functions: the native role's ARN (GetAtt FlowRole.Arn) and the topic (Sub ${Alarms}).
    let role_arn = str_at(&role_d, "/Role/Arn");
    assert_eq!(machine["roleArn"], role_arn, "{machine:#}");
    assert_eq!(machine["name"], format!("{prefix}-flow"));
    let definition: Value =
        serde_json::from_str(machine["definition"].as_str().expect("definition")).expect("JSON");
    assert_eq!(
        definition["States"]["Notify"]["Parameters"]["TopicArn"],
        topic_arn.as_str(),
        "{definition:#}"
    );

    // The outputs: Refs and GetAtts of Cloud Control resources.
    let outputs = &st["outputs"];
    for (name, value) in [
        ("JobsUrl", queue_url.as_str()),
        ("JobsArn", queue_arn.as_str()),
        ("AlarmsArn", topic_arn.as_str()),
        (
            "ClicksArn",
            str_at(&stream_summary, "/StreamDescriptionSummary/StreamARN"),
        ),
        ("RuleArn", str_at(&rule_d, "/Arn")),
        ("FlowArn", flow_arn.as_str()),
        ("JobsUrlParameter", parameter.as_str()),
    ] {
        assert_eq!(outputs[name]["value"], value, "output {name}: {outputs:#}");
    }
    queue_url
}

#[test]
fn cloud_control_types_apply_update_replace_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let prefix = "cc-life";
    let stack = Stack {
        emulator: &emulator,
        name: "cc-life".into(),
        state: dir.path().join("cc-life.json"),
        template: template("app.yaml"),
    };
    // The parameters of each step.
    let parameters = |suffix: &str, visibility: &str, hours: &str, display: &str| -> Vec<String> {
        [
            format!("Prefix={prefix}"),
            format!("QueueSuffix={suffix}"),
            format!("VisibilityTimeout={visibility}"),
            format!("RetentionHours={hours}"),
            format!("AlarmDisplayName={display}"),
        ]
        .into_iter()
        .flat_map(|p| ["--parameter".to_owned(), p])
        .collect()
    };
    // And `--cloud-control` for the native types, which every plan and apply passes, as the
    // user of such a stack would.
    let params = |suffix: &str, visibility: &str, hours: &str, display: &str| -> Vec<String> {
        let mut args = parameters(suffix, visibility, hours, display);
        args.extend(via_cloud_control(&[]).into_iter().map(str::to_owned));
        args
    };
    let with = |p: &[String], extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = p.to_vec();
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v
    };
    let run = |command: &str, args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        stack.run(command, &args)
    };

    // 1. Create: the plan says which path each resource takes.
    let first = params("a", "30", "24", "Alarms");
    let plan = run("plan", &first);
    let text = plan.ok();
    for address in APP_CLOUD_CONTROL {
        let head = change_head(text, address);
        assert!(
            head.contains("(via Cloud Control)"),
            "{address} is created through Cloud Control, and the plan says so:\n{head}\n\n{text}"
        );
    }
    let role_head = change_head(text, "FlowRole");
    assert!(
        !role_head.contains("Cloud Control"),
        "the role has a native provider:\n{role_head}"
    );
    assert!(
        text.contains("Plan: 8 to add, 0 to change, 0 to destroy."),
        "{text}"
    );
    let plan_json = {
        let args: Vec<&str> = first.iter().map(String::as_str).collect();
        stack.plan_json(&args)
    };
    for address in APP_CLOUD_CONTROL {
        let c = change(&plan_json, address);
        assert_eq!(c["path"], "cloudcontrol", "{c:#}");
        assert_eq!(c["actions"], json!(["create"]), "{c:#}");
    }
    assert_eq!(change(&plan_json, "FlowRole")["path"], "native");
    // Without the flags, the native types would be created by infra's own providers; the types
    // without one go through Cloud Control anyway.
    let unflagged = {
        let plain = parameters("a", "30", "24", "Alarms");
        let args: Vec<&str> = plain.iter().map(String::as_str).collect();
        stack.plan_json(&args)
    };
    for address in APP_CLOUD_CONTROL {
        let want = if ["Clicks", "Bus", "Flow"].contains(&address) {
            "cloudcontrol"
        } else {
            "native"
        };
        assert_eq!(change(&unflagged, address)["path"], want, "{address}");
    }

    let applied = run("apply", &with(&first, &["--auto-approve"]));
    assert!(
        applied
            .ok()
            .contains("Apply complete! Resources: 8 added, 0 changed, 0 destroyed."),
        "{}",
        applied.describe()
    );
    let st = stack.state();
    assert_eq!(st["version"], 3, "state format version 3: {st:#}");
    for address in APP_CLOUD_CONTROL {
        assert_eq!(
            st["resources"][address]["path"], "cloudcontrol",
            "{address}: {st:#}"
        );
        assert_eq!(st["resources"][address]["status"], "created");
    }
    assert_eq!(st["resources"]["FlowRole"]["path"], "native");
    assert_eq!(
        st["pending"],
        json!([]),
        "nothing pending after a clean apply"
    );
    let first_url = check_app(
        &stack,
        prefix,
        &Expected {
            queue_name: "cc-life-jobs-a",
            visibility: "30",
            retention_hours: 24,
            display_name: "Alarms",
        },
    );
    let stream_arn = str_at(&st, "/outputs/ClicksArn/value").to_owned();

    // 2. Nothing to do: refresh through Cloud Control reads back what was applied.
    stack.assert_plan_empty(&first.iter().map(String::as_str).collect::<Vec<_>>());

    // 3. Mutable properties change in place.
    let second = params("a", "45", "48", "Alarms (ops)");
    let plan = run("plan", &with(&second, &["--detailed-exitcode"]));
    assert_eq!(plan.code(), Some(2), "changes: exit 2\n{}", plan.describe());
    let text = &plan.stdout;
    for address in ["Jobs", "Clicks", "Alarms"] {
        assert!(
            text.contains(&format!("# {address} will be updated in-place")),
            "{address} is updated in place:\n{text}"
        );
        let line = block_line(text, address);
        assert!(line.trim_start().starts_with('~'), "`{line}`\n{text}");
    }
    assert!(!text.contains("must be replaced"), "{text}");
    assert!(
        text.contains("Plan: 0 to add, 3 to change, 0 to destroy."),
        "{text}"
    );
    let applied = run("apply", &with(&second, &["--auto-approve"]));
    assert!(
        applied
            .ok()
            .contains("Apply complete! Resources: 0 added, 3 changed, 0 destroyed."),
        "{}",
        applied.describe()
    );
    let url = check_app(
        &stack,
        prefix,
        &Expected {
            queue_name: "cc-life-jobs-a",
            visibility: "45",
            retention_hours: 48,
            display_name: "Alarms (ops)",
        },
    );
    assert_eq!(url, first_url, "an update keeps the queue");
    assert_eq!(
        str_at(&stack.state(), "/outputs/ClicksArn/value"),
        stream_arn,
        "an update keeps the stream"
    );
    stack.assert_plan_empty(&second.iter().map(String::as_str).collect::<Vec<_>>());

    // 4. A create-only property (the queue's name) replaces the queue; what reads it follows.
    let third = params("b", "45", "48", "Alarms (ops)");
    let plan = run("plan", &with(&third, &["--detailed-exitcode"]));
    assert_eq!(plan.code(), Some(2), "changes: exit 2\n{}", plan.describe());
    let text = &plan.stdout;
    assert!(text.contains("# Jobs must be replaced"), "{text}");
    let line = block_line(text, "Jobs");
    assert!(
        line.trim_start().starts_with("-/+") || line.trim_start().starts_with("+/-"),
        "`{line}`\n{text}"
    );
    assert!(text.contains("forces replacement"), "{text}");
    for address in ["JobsUrl", "JobsRule"] {
        assert!(
            text.contains(&format!("# {address} will be updated in-place")),
            "{address} reads the queue and is updated in place:\n{text}"
        );
    }
    let plan_json = {
        let args: Vec<&str> = third.iter().map(String::as_str).collect();
        stack.plan_json(&args)
    };
    let jobs = change(&plan_json, "Jobs");
    assert!(
        jobs["actions"] == json!(["delete", "create"])
            || jobs["actions"] == json!(["create", "delete"]),
        "{jobs:#}"
    );
    assert_eq!(jobs["path"], "cloudcontrol");
    assert!(
        jobs["replace_paths"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p == "QueueName")),
        "{jobs:#}"
    );
    let applied = run("apply", &with(&third, &["--auto-approve"]));
    assert!(
        applied
            .ok()
            .contains("Apply complete! Resources: 1 added, 2 changed, 1 destroyed."),
        "{}",
        applied.describe()
    );
    let new_url = check_app(
        &stack,
        prefix,
        &Expected {
            queue_name: "cc-life-jobs-b",
            visibility: "45",
            retention_hours: 48,
            display_name: "Alarms (ops)",
        },
    );
    assert_ne!(new_url, first_url);
    let listed = boto::boto(
        &endpoint,
        "sqs",
        "list_queues",
        json!({"QueueNamePrefix": "cc-life-jobs"}),
    );
    let urls: Vec<&str> = listed["QueueUrls"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(urls.len(), 1, "only the new queue is left: {listed}");
    assert!(urls[0].ends_with("/cc-life-jobs-b"), "{listed}");
    let old = boto::try_boto(
        &endpoint,
        "sqs",
        "get_queue_attributes",
        json!({"QueueUrl": first_url, "AttributeNames": ["QueueArn"]}),
    );
    assert!(old.is_err(), "the replaced queue is deleted: {old:?}");
    assert_eq!(stack.state()["resources"]["Jobs"]["path"], "cloudcontrol");
    stack.assert_plan_empty(&third.iter().map(String::as_str).collect::<Vec<_>>());

    // 5. Destroy leaves nothing, in any service.
    let destroyed = stack.run("destroy", &["--auto-approve"]);
    assert!(
        destroyed
            .ok()
            .contains("Destroy complete! Resources: 0 added, 0 changed, 8 destroyed."),
        "{}",
        destroyed.describe()
    );
    assert_eq!(stack.state()["resources"], json!({}));
    let results = boto::batch(
        &endpoint,
        &[
            ("sqs", "list_queues", json!({"QueueNamePrefix": prefix})),
            ("sns", "list_topics", json!({})),
            ("kinesis", "list_streams", json!({})),
            ("events", "list_event_buses", json!({"NamePrefix": prefix})),
            (
                "events",
                "list_rules",
                json!({"NamePrefix": prefix, "EventBusName": "default"}),
            ),
            (
                "ssm",
                "get_parameter",
                json!({"Name": format!("/{prefix}/jobs-url")}),
            ),
            ("stepfunctions", "list_state_machines", json!({})),
            (
                "iam",
                "get_role",
                json!({"RoleName": format!("{prefix}-flow")}),
            ),
        ],
    );
    let [
        queues,
        topics,
        streams,
        buses,
        rules,
        parameter,
        machines,
        role,
    ] = <[Result<Value, boto::BotoError>; 8]>::try_from(results).expect("eight answers");
    let queues = queues.expect("list_queues");
    assert!(
        queues["QueueUrls"].as_array().is_none_or(Vec::is_empty),
        "{queues}"
    );
    let topics = topics.expect("list_topics").to_string();
    assert!(!topics.contains(prefix), "{topics}");
    let streams = streams.expect("list_streams").to_string();
    assert!(!streams.contains(prefix), "{streams}");
    let buses = buses.expect("list_event_buses");
    assert_eq!(buses["EventBuses"], json!([]), "{buses}");
    let rules = rules.expect("list_rules");
    assert_eq!(rules["Rules"], json!([]), "{rules}");
    assert_eq!(
        parameter.expect_err("the parameter is deleted").code,
        "ParameterNotFound"
    );
    let machines = machines.expect("list_state_machines").to_string();
    assert!(!machines.contains(prefix), "{machines}");
    assert_eq!(role.expect_err("the role is deleted").code, "NoSuchEntity");
}

// --- b. parity with the native providers ----------------------------------------------------

/// `value` with every string's `stack` replaced by `STACK`, and `path` removed from each object
/// that has it (the resource changes of a plan, the resources of a state).
fn normalized(value: &Value, stack: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(stack, "STACK")),
        Value::Array(items) => Value::Array(items.iter().map(|v| normalized(v, stack)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "path")
                .map(|(k, v)| (k.replace(stack, "STACK"), normalized(v, stack)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn a_type_applied_through_cloud_control_plans_and_records_what_the_native_provider_does() {
    const FLAGS: [&str; 4] = [
        "--cloud-control",
        "AWS::EC2::VPC",
        "--cloud-control",
        "AWS::Logs::LogGroup",
    ];
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let stack = |name: &str| Stack {
        emulator: &emulator,
        name: name.into(),
        state: dir.path().join(format!("{name}.json")),
        template: template("parity.yaml"),
    };
    let native = stack("parity-native");
    let cc = stack("parity-cc");
    let native_param = "LogGroupName=/parity/parity-native";
    let cc_param = "LogGroupName=/parity/parity-cc";
    let cc_args = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["--parameter", cc_param];
        v.extend(FLAGS);
        v.extend(extra);
        v
    };

    // The plans: equal but for the path (and the stack's name in the values).
    let native_plan = native.plan_json(&["--parameter", native_param]);
    let cc_plan = cc.plan_json(&cc_args(&[]));
    for address in ["Network", "Logs"] {
        assert_eq!(change(&native_plan, address)["path"], "native");
        assert_eq!(change(&cc_plan, address)["path"], "cloudcontrol");
    }
    for key in [
        "resource_changes",
        "outputs",
        "summary",
        "resource_drift",
        "notes",
    ] {
        assert_eq!(
            normalized(&native_plan[key], "parity-native"),
            normalized(&cc_plan[key], "parity-cc"),
            "`{key}` of the native plan and of the Cloud Control plan differ"
        );
    }
    let text = cc.run("plan", &cc_args(&[]));
    for address in ["Network", "Logs"] {
        let head = change_head(text.ok(), address);
        assert!(head.contains("(via Cloud Control)"), "{head}");
    }
    let text = native.run("plan", &["--parameter", native_param]);
    assert!(!text.ok().contains("Cloud Control"), "{}", text.stdout);

    // Apply both.
    for (s, run) in [
        (
            &native,
            native.run("apply", &["--parameter", native_param, "--auto-approve"]),
        ),
        (&cc, cc.run("apply", &cc_args(&["--auto-approve"]))),
    ] {
        assert!(
            run.ok()
                .contains("Apply complete! Resources: 2 added, 0 changed, 0 destroyed."),
            "{}: {}",
            s.name,
            run.describe()
        );
    }
    let native_state = native.state();
    let cc_state = cc.state();
    for address in ["Network", "Logs"] {
        assert_eq!(native_state["resources"][address]["path"], "native");
        assert_eq!(cc_state["resources"][address]["path"], "cloudcontrol");
        assert_eq!(
            normalized(
                &native_state["resources"][address]["properties"],
                "parity-native"
            ),
            normalized(&cc_state["resources"][address]["properties"], "parity-cc"),
            "the recorded properties of {address} differ between the paths"
        );
        assert_eq!(
            native_state["resources"][address]["type"],
            cc_state["resources"][address]["type"]
        );
    }
    // Outputs: Ref of a VPC is its id; GetAtt Logs.Arn the same form on both paths.
    let native_vpc = str_at(&native_state, "/resources/Network/physical_id").to_owned();
    let cc_vpc = str_at(&cc_state, "/resources/Network/physical_id").to_owned();
    assert!(native_vpc.starts_with("vpc-") && cc_vpc.starts_with("vpc-"));
    assert_ne!(native_vpc, cc_vpc);
    assert_eq!(
        str_at(&cc_state, "/resources/Logs/physical_id"),
        "/parity/parity-cc"
    );
    assert_eq!(
        normalized(&native_state["outputs"]["LogsArn"], "parity-native"),
        normalized(&cc_state["outputs"]["LogsArn"], "parity-cc"),
        "GetAtt Logs.Arn differs between the paths"
    );
    assert_eq!(cc_state["outputs"]["NetworkId"]["value"], cc_vpc.as_str());

    // Both through EC2 and CloudWatch Logs' own APIs.
    let vpcs = boto::boto(
        &endpoint,
        "ec2",
        "describe_vpcs",
        json!({"VpcIds": [native_vpc, cc_vpc]}),
    );
    let vpcs = vpcs["Vpcs"].as_array().expect("Vpcs").clone();
    assert_eq!(vpcs.len(), 2, "{vpcs:#?}");
    for vpc in &vpcs {
        assert_eq!(vpc["CidrBlock"], "10.61.0.0/16", "{vpc:#}");
        let tags = vpc["Tags"].as_array().expect("Tags");
        for (key, value) in [("Name", "parity"), ("team", "platform")] {
            assert!(
                tags.iter().any(|t| t["Key"] == key && t["Value"] == value),
                "tag {key}={value} on {vpc:#}"
            );
        }
    }
    let groups = boto::boto(
        &endpoint,
        "logs",
        "describe_log_groups",
        json!({"logGroupNamePrefix": "/parity/"}),
    );
    let groups = groups["logGroups"].as_array().expect("logGroups").clone();
    let mut names: Vec<&str> = groups
        .iter()
        .map(|g| g["logGroupName"].as_str().expect("name"))
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["/parity/parity-cc", "/parity/parity-native"]);
    for group in &groups {
        assert_eq!(group["retentionInDays"], 7, "{group:#}");
    }

    // Second plans are empty; a resource keeps the path it was created with, flag or not.
    native.assert_plan_empty(&["--parameter", native_param]);
    cc.assert_plan_empty(&cc_args(&[]));
    cc.assert_plan_empty(&["--parameter", cc_param]);
    let again = cc.plan_json(&["--parameter", cc_param]);
    for address in ["Network", "Logs"] {
        let c = change(&again, address);
        assert_eq!(c["actions"], json!(["no-op"]), "{c:#}");
        assert_eq!(c["path"], "cloudcontrol", "{c:#}");
    }

    // Destroy both.
    for s in [&native, &cc] {
        let run = s.run("destroy", &["--auto-approve"]);
        assert!(
            run.ok()
                .contains("Destroy complete! Resources: 0 added, 0 changed, 2 destroyed."),
            "{}: {}",
            s.name,
            run.describe()
        );
    }
    for vpc in [&native_vpc, &cc_vpc] {
        let gone = boto::try_boto(&endpoint, "ec2", "describe_vpcs", json!({"VpcIds": [vpc]}));
        match gone {
            Err(e) => assert_eq!(e.code, "InvalidVpcID.NotFound", "{e}"),
            Ok(v) => assert_eq!(v["Vpcs"], json!([]), "{vpc} is deleted: {v}"),
        }
    }
    let groups = boto::boto(
        &endpoint,
        "logs",
        "describe_log_groups",
        json!({"logGroupNamePrefix": "/parity/"}),
    );
    assert_eq!(groups["logGroups"], json!([]), "{groups}");
}

// --- c. crash recovery ----------------------------------------------------------------------

/// The request token a Cloud Control create's checkpoint saved in its pending intent, once AWS
/// answered (state/README.md: `{"attempt": N, "client_token": T, "request_token": R, ...}`).
fn request_token(intent: &Value) -> Option<String> {
    intent
        .pointer("/checkpoint/request_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[test]
fn an_apply_killed_while_cloud_control_creates_makes_exactly_one_queue_when_run_again() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let stack = Stack {
        emulator: &emulator,
        name: "cc-crash".into(),
        state: dir.path().join("cc-crash.json"),
        template: template("queue.yaml"),
    };
    // The queue is a native type: `--cloud-control` sends it through Cloud Control.
    let param = via_cloud_control(&["--parameter", "QueueName=cc-crash-queue"]);

    // Requests stay IN_PROGRESS for a minute, however often they are polled.
    configure_emulator(
        &emulator,
        json!({"in_progress_polls": 100_000, "settle_seconds": 60.0}),
    );
    let mut args = stack.args("apply", &param);
    args.push("--auto-approve");
    let log = tempfile::NamedTempFile::new().expect("temp file");
    let mut child = command(&emulator, &args)
        .stdout(Stdio::from(log.reopen().expect("reopens")))
        .stderr(Stdio::from(log.reopen().expect("reopens")))
        .spawn()
        .expect("runs infra");

    // Wait until the create's intent has its request token saved, then SIGKILL.
    let deadline = Instant::now() + Duration::from_secs(45);
    let token = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            panic!(
                "infra apply ended ({status}) before its request token was in the state:\n{}\nstate:\n{}",
                read(log.path()),
                read(&stack.state)
            );
        }
        let token = std::fs::read(&stack.state)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|st| st["pending"].get(0).and_then(request_token));
        if let Some(token) = token {
            break token;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "no request token in the state's pending intent within 45 s:\n{}\nstate:\n{}",
                read(log.path()),
                read(&stack.state)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let killed_state = stack.state();
    assert_eq!(
        killed_state["resources"],
        json!({}),
        "killed before the create was recorded"
    );
    let intent = &killed_state["pending"][0];
    assert_eq!(intent["address"], "Queue", "{killed_state:#}");
    assert_eq!(intent["action"], "create", "{killed_state:#}");
    assert_eq!(intent["path"], "cloudcontrol", "{killed_state:#}");
    assert!(
        intent
            .pointer("/checkpoint/client_token")
            .is_some_and(Value::is_string),
        "the client token is saved before the call: {killed_state:#}"
    );

    // The emulator made the queue when it accepted the request (AWS would still be making it);
    // the request itself is still in progress.
    let status = boto::boto(
        &endpoint,
        "cloudcontrol",
        "get_resource_request_status",
        json!({"RequestToken": token}),
    );
    assert_eq!(
        status["ProgressEvent"]["OperationStatus"], "IN_PROGRESS",
        "{status}"
    );
    // Requests finish normally from now on.
    configure_emulator(
        &emulator,
        json!({"in_progress_polls": 1, "settle_seconds": 2.0}),
    );

    // What an operator does after a killed run: remove its lock by id.
    let lock = stack.state.with_extension("json.lock");
    if lock.exists() {
        let info = state(&lock);
        let id = str_at(&info, "/id").to_owned();
        infra(
            &emulator,
            &["force-unlock", "--state", s(&stack.state), &id],
        )
        .ok();
    }

    // The next plan adopts what the interrupted create made.
    let plan = stack.plan_json(&param);
    let recovery = plan["recovery"].as_array().expect("recovery");
    assert_eq!(recovery.len(), 1, "{plan:#}");
    assert_eq!(recovery[0]["address"], "Queue");
    assert_eq!(
        recovery[0]["outcome"], "adopted",
        "the queue the killed run created is adopted: {plan:#}"
    );

    let mut args = param.clone();
    args.push("--auto-approve");
    let applied = stack.run("apply", &args);
    assert!(
        applied.ok().contains("Apply complete!"),
        "{}",
        applied.describe()
    );
    let listed = boto::boto(
        &endpoint,
        "sqs",
        "list_queues",
        json!({"QueueNamePrefix": "cc-crash"}),
    );
    let urls = listed["QueueUrls"].as_array().cloned().unwrap_or_default();
    assert_eq!(urls.len(), 1, "exactly one queue: {listed}");
    let st = stack.state();
    assert_eq!(st["pending"], json!([]), "{st:#}");
    assert_eq!(st["resources"]["Queue"]["path"], "cloudcontrol");
    let url = str_at(&st, "/resources/Queue/physical_id");
    assert!(url.ends_with("/cc-crash-queue"), "{url}");
    let attrs = boto::boto(
        &endpoint,
        "sqs",
        "get_queue_attributes",
        json!({"QueueUrl": url, "AttributeNames": ["VisibilityTimeout"]}),
    );
    assert_eq!(attrs["Attributes"]["VisibilityTimeout"], "40");
    // One CreateResource request in all: the re-run did not ask Cloud Control again.
    let requests = boto::boto(
        &endpoint,
        "cloudcontrol",
        "list_resource_requests",
        json!({"ResourceRequestStatusFilter": {"Operations": ["CREATE"]}}),
    );
    let creates: Vec<&Value> = requests["ResourceRequestStatusSummaries"]
        .as_array()
        .expect("summaries")
        .iter()
        .filter(|e| e["TypeName"] == "AWS::SQS::Queue")
        .collect();
    assert_eq!(creates.len(), 1, "one CreateResource request: {requests:#}");
    assert_eq!(creates[0]["RequestToken"], token.as_str());

    stack.assert_plan_empty(&param);
    let destroyed = stack.run("destroy", &["--auto-approve"]);
    assert!(
        destroyed
            .ok()
            .contains("Destroy complete! Resources: 0 added, 0 changed, 1 destroyed."),
        "{}",
        destroyed.describe()
    );
    let listed = boto::boto(
        &endpoint,
        "sqs",
        "list_queues",
        json!({"QueueNamePrefix": "cc-crash"}),
    );
    assert!(
        listed["QueueUrls"].as_array().is_none_or(Vec::is_empty),
        "{listed}"
    );
}

// --- d. throttling ----------------------------------------------------------------------------

#[test]
fn apply_and_destroy_succeed_while_cloud_control_throttles() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let stack = Stack {
        emulator: &emulator,
        name: "cc-throttled".into(),
        state: dir.path().join("cc-throttled.json"),
        template: template("throttled.yaml"),
    };
    configure_emulator(&emulator, json!({"seed": 20_260_512}));
    // Faults are matched in order: the sure ones first, so each kind fires at least once
    // whatever the random draws; then 20 % of all Cloud Control calls and 10 % of the
    // ProgressEvents of creates, updates and deletes end in Throttling.
    let faults = control(
        &emulator,
        "POST",
        "/infra-emulator/faults",
        &json!([
            {"error": "Throttling", "when": "call", "operation": "CreateResource", "times": 1},
            {"error": "Throttling", "when": "call", "operation": "GetResourceRequestStatus", "times": 2},
            {"error": "Throttling", "when": "event", "operation": "CreateResource",
             "type": "AWS::SQS::Queue", "times": 1},
            {"error": "Throttling", "when": "event", "operation": "DeleteResource",
             "type": "AWS::SNS::Topic", "times": 1},
            {"error": "Throttling", "when": "call", "probability": 0.2},
            {"error": "Throttling", "when": "event", "probability": 0.1},
        ]),
    );
    assert_eq!(faults["faults"].as_array().map(Vec::len), Some(6));

    // Queues, topics and parameters are native types: `--cloud-control` sends them through
    // Cloud Control with the stream and the event bus.
    let applied = stack.run("apply", &via_cloud_control(&["--auto-approve"]));
    let out = applied.ok();
    assert!(
        out.contains("Apply complete! Resources: 8 added, 0 changed, 0 destroyed."),
        "{}",
        applied.describe()
    );
    assert!(!applied.stderr.contains("error:"), "{}", applied.describe());
    let st = stack.state();
    let resources = st["resources"].as_object().expect("resources");
    assert_eq!(resources.len(), 8, "{st:#}");
    assert!(
        resources
            .values()
            .all(|r| r["path"] == "cloudcontrol" && r["status"] == "created"),
        "{st:#}"
    );
    let fired = control(&emulator, "GET", "/infra-emulator/faults", &json!({}));
    for (i, fault) in fired["faults"]
        .as_array()
        .expect("faults")
        .iter()
        .enumerate()
    {
        if i < 3 {
            assert_eq!(fault["times"], 0, "the sure fault {i} fired: {fired:#}");
        }
    }
    let random_calls = fired["faults"][4]["fired"].as_u64().unwrap_or(0);

    // Everything exists, through each service's own API.
    let p = "cc-throttled";
    let results = boto::batch(
        &endpoint,
        &[
            ("sqs", "list_queues", json!({"QueueNamePrefix": p})),
            ("sns", "list_topics", json!({})),
            (
                "ssm",
                "get_parameter",
                json!({"Name": format!("/{p}/orders-url")}),
            ),
            (
                "ssm",
                "get_parameter",
                json!({"Name": format!("/{p}/notices-arn")}),
            ),
            (
                "kinesis",
                "describe_stream_summary",
                json!({"StreamName": format!("{p}-stream")}),
            ),
            (
                "events",
                "describe_event_bus",
                json!({"Name": format!("{p}-bus")}),
            ),
        ],
    );
    let results: Vec<Value> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("after the throttled apply: {e}")))
        .collect();
    assert_eq!(
        results[0]["QueueUrls"].as_array().map(Vec::len),
        Some(2),
        "{}",
        results[0]
    );
    let topics = results[1].to_string();
    for topic in ["cc-throttled-notices", "cc-throttled-audit"] {
        assert!(topics.contains(topic), "{topics}");
    }
    assert_eq!(
        results[2]["Parameter"]["Value"],
        str_at(&st, "/resources/Orders/physical_id")
    );
    assert_eq!(
        results[3]["Parameter"]["Value"],
        str_at(&st, "/resources/Notices/physical_id")
    );
    assert_eq!(
        results[4]["StreamDescriptionSummary"]["StreamStatus"],
        "ACTIVE"
    );
    assert_eq!(results[5]["Name"], format!("{p}-bus"));

    // The refresh is throttled too, and still finds nothing to do.
    stack.assert_plan_empty(&via_cloud_control(&[]));

    let destroyed = stack.run("destroy", &["--auto-approve"]);
    assert!(
        destroyed
            .ok()
            .contains("Destroy complete! Resources: 0 added, 0 changed, 8 destroyed."),
        "{}",
        destroyed.describe()
    );
    let fired = control(&emulator, "GET", "/infra-emulator/faults", &json!({}));
    assert_eq!(
        fired["faults"][3]["times"], 0,
        "the sure delete fault fired: {fired:#}"
    );
    let random_calls = fired["faults"][4]["fired"]
        .as_u64()
        .unwrap_or(0)
        .max(random_calls);
    assert!(
        random_calls > 0,
        "20 % of the calls were throttled at random: {fired:#}"
    );
    // The faults are not cleared: the emulator ends with this test, and a DELETE waits for the
    // emulator's request lock, which on a loaded machine has been seen held past the helper's
    // read timeout after the destroy.
    assert_eq!(stack.state()["resources"], json!({}));
    let results = boto::batch(
        &endpoint,
        &[
            ("sqs", "list_queues", json!({"QueueNamePrefix": p})),
            ("sns", "list_topics", json!({})),
            (
                "ssm",
                "get_parameter",
                json!({"Name": format!("/{p}/orders-url")}),
            ),
            ("kinesis", "list_streams", json!({})),
            ("events", "list_event_buses", json!({"NamePrefix": p})),
        ],
    );
    let queues = results[0].as_ref().expect("list_queues");
    assert!(
        queues["QueueUrls"].as_array().is_none_or(Vec::is_empty),
        "{queues}"
    );
    let topics = results[1].as_ref().expect("list_topics").to_string();
    assert!(!topics.contains(p), "{topics}");
    assert_eq!(
        results[2].as_ref().expect_err("deleted").code,
        "ParameterNotFound"
    );
    let streams = results[3].as_ref().expect("list_streams").to_string();
    assert!(!streams.contains(p), "{streams}");
    assert_eq!(
        results[4].as_ref().expect("list_event_buses")["EventBuses"],
        json!([])
    );
}

// --- e. a type nobody can provision ---------------------------------------------------------

#[test]
fn validate_refuses_a_type_without_a_native_provider_or_cloud_control_handlers() {
    let path = template("unprovisionable.yaml");
    let text = std::fs::read_to_string(&path).expect("template");
    // Where the resource is: its logical id, and its Type value.
    let (key_line, type_line) = {
        let lines: Vec<&str> = text.lines().collect();
        let key = lines
            .iter()
            .position(|l| l.trim_end() == "  ServiceMesh:")
            .expect("ServiceMesh")
            + 1;
        let ty = lines
            .iter()
            .position(|l| l.trim() == "Type: AWS::AppMesh::Mesh")
            .expect("Type")
            + 1;
        (key, ty)
    };
    let at = [
        format!("{}:{key_line}:3:", s(&path)),
        format!("{}:{type_line}:11:", s(&path)),
    ];

    let emulator = Emulator::start();
    let run = infra(&emulator, &["validate", "-t", s(&path)]);
    let out = run.failed();
    let line = out
        .lines()
        .find(|l| l.contains("AWS::AppMesh::Mesh"))
        .unwrap_or_else(|| panic!("no line names AWS::AppMesh::Mesh:\n{out}"));
    assert!(
        at.iter().any(|at| line.contains(at.as_str())),
        "the error is at the resource ({} or {}): `{line}`\n{out}",
        at[0],
        at[1]
    );
    assert!(line.contains("ServiceMesh"), "names the resource: `{line}`");
    assert!(
        line.contains("Cloud Control"),
        "says Cloud Control cannot provision it: `{line}`"
    );
    // The stream beside it is fine: infra has no native provider for it, Cloud Control
    // provisions it.
    assert!(!out.contains("AWS::Kinesis::Stream"), "{out}");
    assert!(!out.contains("`Stream`"), "{out}");

    // `infra apply` refuses the template before any AWS call: nothing is made.
    let dir = tempfile::tempdir().expect("tempdir");
    let state_path = dir.path().join("cc-validate.json");
    let run = infra(
        &emulator,
        &[
            "apply",
            "-t",
            s(&path),
            "--stack",
            "cc-validate",
            "--state",
            s(&state_path),
            "--auto-approve",
        ],
    );
    let out = run.failed();
    assert!(out.contains("AWS::AppMesh::Mesh"), "{out}");
    let streams = boto::boto(&emulator.endpoint, "kinesis", "list_streams", json!({}));
    assert!(
        !streams.to_string().contains("cc-validate"),
        "no stream was made: {streams}"
    );
}

#[test]
fn types_lists_the_path_of_every_type() {
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["types", "--json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra");
    assert!(out.status.success(), "{out:?}");
    let listed: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let path_of = |name: &str| {
        listed
            .as_array()
            .expect("an array")
            .iter()
            .find(|o| o["type"] == name)
            .map(|o| o["path"].clone())
            .unwrap_or_else(|| panic!("{name} is not listed"))
    };
    assert_eq!(path_of("AWS::EC2::VPC"), "native");
    // The types these tests send through Cloud Control with `--cloud-control` are native.
    for name in NATIVE_VIA_CLOUD_CONTROL {
        assert_eq!(path_of(name), "native", "{name}");
    }
    // Those of the example and of the lifecycle have no native provider.
    for name in [
        "AWS::Kinesis::Stream",
        "AWS::Events::EventBus",
        "AWS::Events::Archive",
        "AWS::StepFunctions::StateMachine",
    ] {
        assert_eq!(path_of(name), "cloudcontrol", "{name}");
    }
    assert_eq!(path_of("AWS::AppMesh::Mesh"), "none");
}

// --- the example ------------------------------------------------------------------------------

/// The example: only types without a native provider (and the native role), applied with no
/// `--cloud-control` flag, as `scripts/demo examples/cloud-control/template.yaml` runs it.
#[test]
fn the_cloud_control_example_applies_and_destroys() {
    const CLOUD_CONTROL: [&str; 5] = ["Orders", "Clickstream", "Bus", "BusArchive", "Fulfilment"];
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let stack = Stack {
        emulator: &emulator,
        name: "orders-dev".into(),
        state: dir.path().join("orders-dev.json"),
        template: support::repo_root().join("examples/cloud-control/template.yaml"),
    };
    infra(&emulator, &["validate", "-t", s(&stack.template)]).ok();
    let plan = stack.run("plan", &[]);
    for address in CLOUD_CONTROL {
        let head = change_head(plan.ok(), address);
        assert!(head.contains("(via Cloud Control)"), "{address}:\n{head}");
    }
    let head = change_head(&plan.stdout, "FulfilmentRole");
    assert!(
        !head.contains("Cloud Control"),
        "the role is native:\n{head}"
    );
    let applied = stack.run("apply", &["--auto-approve"]);
    assert!(
        applied
            .ok()
            .contains("Apply complete! Resources: 6 added, 0 changed, 0 destroyed."),
        "{}",
        applied.describe()
    );
    let st = stack.state();
    for address in CLOUD_CONTROL {
        assert_eq!(
            st["resources"][address]["path"], "cloudcontrol",
            "{address}"
        );
    }
    assert_eq!(st["resources"]["FulfilmentRole"]["path"], "native");
    let machine_arn = str_at(&st, "/resources/Fulfilment/physical_id");
    let results = boto::batch(
        &endpoint,
        &[
            (
                "kinesis",
                "describe_stream_summary",
                json!({"StreamName": "orders-dev"}),
            ),
            (
                "kinesis",
                "describe_stream_summary",
                json!({"StreamName": "clickstream-dev"}),
            ),
            (
                "events",
                "describe_event_bus",
                json!({"Name": "orders-dev"}),
            ),
            (
                "events",
                "describe_archive",
                json!({"ArchiveName": "orders-dev"}),
            ),
            (
                "stepfunctions",
                "describe_state_machine",
                json!({"stateMachineArn": machine_arn}),
            ),
            (
                "iam",
                "get_role_policy",
                json!({"RoleName": "orders-dev-fulfilment", "PolicyName": "record-and-announce"}),
            ),
        ],
    );
    let [orders, clicks, bus, archive, machine, policy] =
        <[Result<Value, boto::BotoError>; 6]>::try_from(results)
            .expect("six answers")
            .map(|r| r.unwrap_or_else(|e| panic!("reading the example back: {e}")));
    let orders = &orders["StreamDescriptionSummary"];
    assert_eq!(orders["RetentionPeriodHours"], 168, "{orders:#}");
    assert_eq!(
        clicks["StreamDescriptionSummary"]["RetentionPeriodHours"], 24,
        "{clicks:#}"
    );
    // The archive reads the bus (GetAtt Bus.Arn), the state machine the role, the stream and
    // the bus; the role's policy the stream's and the bus's ARNs.
    assert_eq!(archive["EventSourceArn"], bus["Arn"], "{archive:#}");
    assert_eq!(archive["RetentionDays"], 30, "{archive:#}");
    assert_eq!(
        machine["roleArn"],
        format!("arn:aws:iam::{ACCOUNT_ID}:role/orders-dev-fulfilment"),
        "{machine:#}"
    );
    let definition: Value =
        serde_json::from_str(machine["definition"].as_str().expect("definition")).expect("JSON");
    assert_eq!(
        definition["States"]["Record"]["Parameters"]["StreamName"],
        "orders-dev"
    );
    assert_eq!(
        definition["States"]["Announce"]["Parameters"]["Entries"][0]["EventBusName"],
        "orders-dev"
    );
    let document = policy["PolicyDocument"].to_string();
    for arn in [&orders["StreamARN"], &bus["Arn"]] {
        let arn = arn.as_str().expect("an ARN");
        assert!(document.contains(arn), "{arn} in {document}");
    }
    for (name, value) in [
        ("OrdersStreamArn", &orders["StreamARN"]),
        (
            "ClickstreamArn",
            &clicks["StreamDescriptionSummary"]["StreamARN"],
        ),
        ("EventBusName", &bus["Name"]),
        ("ArchiveArn", &archive["ArchiveArn"]),
        ("FulfilmentArn", &machine["stateMachineArn"]),
    ] {
        assert_eq!(&st["outputs"][name]["value"], value, "output {name}");
    }

    stack.assert_plan_empty(&[]);
    let plan = stack.run("plan", &["--parameter", "RetentionHours=48"]);
    assert!(
        plan.ok().contains("# Clickstream will be updated in-place")
            && plan
                .stdout
                .contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{}",
        plan.describe()
    );
    let destroyed = stack.run("destroy", &["--auto-approve"]);
    assert!(
        destroyed
            .ok()
            .contains("Destroy complete! Resources: 0 added, 0 changed, 6 destroyed."),
        "{}",
        destroyed.describe()
    );
    let results = boto::batch(
        &endpoint,
        &[
            ("kinesis", "list_streams", json!({})),
            (
                "events",
                "list_event_buses",
                json!({"NamePrefix": "orders-dev"}),
            ),
            ("events", "list_archives", json!({})),
            ("stepfunctions", "list_state_machines", json!({})),
            (
                "iam",
                "get_role",
                json!({"RoleName": "orders-dev-fulfilment"}),
            ),
        ],
    );
    let [streams, buses, archives, machines, role] =
        <[Result<Value, boto::BotoError>; 5]>::try_from(results).expect("five answers");
    let streams = streams.expect("list_streams").to_string();
    assert!(!streams.contains("-dev"), "{streams}");
    assert_eq!(buses.expect("list_event_buses")["EventBuses"], json!([]));
    assert_eq!(archives.expect("list_archives")["Archives"], json!([]));
    let machines = machines.expect("list_state_machines").to_string();
    assert!(!machines.contains("orders-dev"), "{machines}");
    assert_eq!(role.expect_err("the role is deleted").code, "NoSuchEntity");
}
