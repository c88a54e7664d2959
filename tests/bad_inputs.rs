//! Bad input of every kind but templates (those are `validate_bad.rs`): parameters, parameter
//! files, state files, saved plans and flags. Each case runs the real `infra` binary in a fresh
//! directory and checks what the issue promises for bad input:
//!
//! - exit code 1 (usage errors too);
//! - a message on stderr naming the thing that is wrong (a file, a parameter, a field, a flag);
//! - no panic;
//! - nothing written: every file in the directory (the state file first) is byte for byte and
//!   mode for mode what it was, and no file or directory appeared;
//! - no AWS call: `AWS_ENDPOINT_URL` is a closed loopback port, and a message about an
//!   unreachable endpoint fails the case (every refusal must come before AWS is asked).
//!
//! The cases are tables, one per kind; a failure names every case that failed and why.

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

// ---------------------------------------------------------------- the files each case starts with

/// A template that needs nothing from AWS, so `plan --refresh=false` makes no AWS call.
const NET: &str = "\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Logs:
    Type: AWS::Logs::LogGroup
Outputs:
  VpcId:
    Value: !Ref Vpc
";

/// A template with a parameter of every kind of constraint.
const PARAMS: &str = "\
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Name:
    Type: String
    AllowedPattern: '[a-z]+'
    MinLength: 2
    MaxLength: 8
    Default: abc
  Count:
    Type: Number
    MinValue: 1
    MaxValue: 5
    Default: 2
  Ports:
    Type: List<Number>
    Default: '80,443'
  Secret:
    Type: String
    NoEcho: true
    MinLength: 12
    AllowedPattern: '[A-Za-z0-9-]+'
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '${Env}-${Name}'
";

/// A valid value of `Secret`.
const SECRET: &str = "s3cr3t-Value-0042";
/// The `--parameter` flag that gives it.
const SECRET_FLAG: &str = "Secret=s3cr3t-Value-0042";

/// The state of stack `demo` after an apply of `net.yml` that created only `Vpc`.
const STATE: &str = r#"{
  "version": 1,
  "lineage": "30fac502-a6a1-484d-9ff7-1a7c02962b25",
  "serial": 3,
  "stack": "demo",
  "region": "us-east-1",
  "template_sha256": null,
  "parameters": {
    "Env": {
      "value": "dev"
    }
  },
  "resources": {
    "Vpc": {
      "type": "AWS::EC2::VPC",
      "physical_id": "vpc-0123456789abcdef0",
      "properties": {
        "CidrBlock": "10.0.0.0/16"
      },
      "attributes": {},
      "dependencies": [],
      "status": "created"
    }
  },
  "pending": [],
  "outputs": {
    "VpcId": {
      "value": "vpc-0123456789abcdef0",
      "description": null,
      "export_name": null
    }
  }
}
"#;

/// `STATE` with `from` replaced by `to` (which must be there: a case must change something).
fn state_with(from: &str, to: &str) -> String {
    assert!(STATE.contains(from), "`{from}` is not in the sample state");
    STATE.replacen(from, to, 1)
}

/// The `Vpc` entry of `STATE`, to repeat it.
fn vpc_entry() -> &'static str {
    let start = STATE.find("    \"Vpc\": {").expect("Vpc entry");
    let end = STATE[start..].find("\n    }").expect("end of Vpc entry") + start + 6;
    &STATE[start..end]
}

// ---------------------------------------------------------------- running infra

/// The directory a case runs in, holding `net.yml`, `params.yml`, `state.json` (stack `demo`,
/// mode 0600) and `other.json` (the state of stack `other`).
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new() -> Work {
        let work = Work {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        work.write("net.yml", NET);
        work.write("params.yml", PARAMS);
        work.write("state.json", STATE);
        work.write(
            "other.json",
            &state_with("\"stack\": \"demo\"", "\"stack\": \"other\"")
                .replace("30fac502", "50fac502"),
        );
        work
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `name` with mode 0600, as infra writes state files.
    fn write(&self, name: &str, text: &str) {
        self.write_bytes(name, text.as_bytes());
    }

    fn write_bytes(&self, name: &str, bytes: &[u8]) {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read")
    }

    /// Runs infra here (paths in messages are then relative: `state.json`).
    fn infra(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
        for (key, _) in std::env::vars_os() {
            if let Some(key) = key.to_str()
                && (key.starts_with("AWS_") || key.starts_with("INFRA_"))
            {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(self.dir.path())
            .args(args)
            .env("AWS_ENDPOINT_URL", closed_endpoint())
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LOG")
            .envs(env.iter().copied())
            .output()
            .expect("run infra")
    }

    /// `infra plan --out p.plan` of `net.yml` against `state.json`, which must succeed.
    fn save_plan(&self, template: &str, extra: &[&str]) {
        let mut args = vec![
            "plan",
            "-t",
            template,
            "--stack",
            "demo",
            "--state",
            "state.json",
            "--refresh=false",
            "--out",
            "p.plan",
        ];
        args.extend_from_slice(extra);
        let o = self.infra(&args, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "saving the plan failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    /// Every file and directory under the work directory: bytes (files) and mode.
    fn snapshot(&self) -> BTreeMap<PathBuf, (Option<Vec<u8>>, u32)> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (Option<Vec<u8>>, u32)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let p = entry.path();
                let Ok(meta) = std::fs::symlink_metadata(&p) else {
                    continue;
                };
                let mode = meta.permissions().mode();
                let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                if meta.is_dir() {
                    out.insert(rel, (None, mode));
                    walk(root, &p, out);
                } else if meta.is_file() {
                    // An unreadable file is compared by mode and size only.
                    let bytes = std::fs::read(&p)
                        .unwrap_or_else(|_| format!("<{} bytes>", meta.len()).into_bytes());
                    out.insert(rel, (Some(bytes), mode));
                } else {
                    let target = std::fs::read_link(&p).unwrap_or_default();
                    out.insert(
                        rel,
                        (Some(target.as_os_str().as_encoded_bytes().to_vec()), mode),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.dir.path(), self.dir.path(), &mut out);
        out
    }
}

/// One loopback port where nothing listens, for the whole run.
fn closed_endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(support::closed_endpoint)
}

fn is_root() -> bool {
    // The owner of a directory this process just made is this process's user.
    use std::os::unix::fs::MetadataExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::metadata(dir.path()).is_ok_and(|m| m.uid() == 0)
}

// ---------------------------------------------------------------- cases

/// One bad input.
struct Case {
    /// Says which case failed.
    name: &'static str,
    /// Prepares the work directory beyond the standard files.
    setup: fn(&Work),
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    /// Each must be in stderr (case-sensitive).
    expect: &'static [&'static str],
    /// None may be in stdout or stderr (NoEcho values).
    never: &'static [&'static str],
    /// Only when this process cannot read a file of mode 000 (not root).
    needs_non_root: bool,
}

const fn case(
    name: &'static str,
    args: &'static [&'static str],
    expect: &'static [&'static str],
) -> Case {
    Case {
        name,
        setup: |_| {},
        args,
        env: &[],
        expect,
        never: &[],
        needs_non_root: false,
    }
}

impl Case {
    const fn setup(mut self, setup: fn(&Work)) -> Case {
        self.setup = setup;
        self
    }

    const fn env(mut self, env: &'static [(&'static str, &'static str)]) -> Case {
        self.env = env;
        self
    }

    const fn never(mut self, never: &'static [&'static str]) -> Case {
        self.never = never;
        self
    }

    /// Runs the case; `Err` says what went wrong.
    fn run(&self) -> Result<(), String> {
        let work = Work::new();
        (self.setup)(&work);
        let before = work.snapshot();
        let o = work.infra(self.args, self.env);
        let after = work.snapshot();
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let context = format!(
            "$ infra {}\nexit code: {:?}\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}",
            self.args.join(" "),
            o.status.code()
        );
        let mut problems = Vec::new();
        for word in ["panicked", "RUST_BACKTRACE"] {
            if stderr.contains(word) || stdout.contains(word) {
                problems.push(format!("infra panicked (`{word}` in its output)"));
            }
        }
        if o.status.code() != Some(1) {
            problems.push("expected exit code 1".to_string());
        }
        for word in self.expect {
            if !stderr.contains(word) {
                problems.push(format!("expected `{word}` in stderr"));
            }
        }
        for word in self.never {
            if stderr.contains(word) || stdout.contains(word) {
                problems.push(format!("`{word}` (a NoEcho value) was printed"));
            }
        }
        if stderr.contains("cannot reach") || stderr.contains(closed_endpoint()) {
            problems.push("an AWS call was made before the input was refused".to_string());
        }
        if before != after {
            let changed: Vec<String> = before
                .keys()
                .chain(after.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .map(|k| k.display().to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            problems.push(format!(
                "files changed, appeared or disappeared: {}",
                changed.join(", ")
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{}\n{context}", problems.join("\n")))
        }
    }
}

/// Runs every case of a table and fails naming each case that failed.
#[allow(
    clippy::print_stderr,
    reason = "a case that cannot run here says so in the test's output"
)]
fn run_all(kind: &str, cases: &[Case]) {
    let root = is_root();
    let mut failures = Vec::new();
    for case in cases {
        if case.needs_non_root && root {
            eprintln!(
                "{kind}/{}: not run: this process is root, which reads files of mode 000",
                case.name
            );
            continue;
        }
        if let Err(why) = case.run() {
            failures.push(format!("=== {kind}/{}: {why}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {kind} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// `validate -t params.yml --parameter Secret=…` and more flags.
macro_rules! validate_params {
    ($($arg:literal),* $(,)?) => {
        &["validate", "-t", "params.yml", "--parameter", SECRET_FLAG, $($arg),*]
    };
}

/// `validate -t params.yml --parameter Secret=… --parameters-file params.json`.
const WITH_FILE: &[&str] = validate_params!("--parameters-file", "params.json");

fn parameter_cases() -> Vec<Case> {
    vec![
        case(
            "unknown name",
            validate_params!("--parameter", "Nope=1"),
            &["`Nope`", "does not declare"],
        ),
        case(
            "not a number",
            validate_params!("--parameter", "Count=abc"),
            &["`Count`", "not a number", "params.yml:12:3"],
        ),
        case(
            "not an allowed value",
            validate_params!("--parameter", "Env=staging"),
            &["`Env`", "allowed values", "params.yml:2:3"],
        ),
        case(
            "does not match the pattern",
            validate_params!("--parameter", "Name=ABC"),
            &["`Name`", "AllowedPattern"],
        ),
        case(
            "shorter than MinLength",
            validate_params!("--parameter", "Name=a"),
            &["`Name`", "MinLength 2"],
        ),
        case(
            "longer than MaxLength",
            validate_params!("--parameter", "Name=abcdefghijk"),
            &["`Name`", "MaxLength 8"],
        ),
        case(
            "greater than MaxValue",
            validate_params!("--parameter", "Count=9"),
            &["`Count`", "MaxValue 5"],
        ),
        case(
            "less than MinValue",
            validate_params!("--parameter", "Count=0"),
            &["`Count`", "MinValue 1"],
        ),
        case(
            "a list item is not a number",
            validate_params!("--parameter", "Ports=80,http"),
            &["`Ports`", "\"http\"", "not a number"],
        ),
        case(
            "missing required",
            &["validate", "-t", "params.yml"],
            &["`Secret`", "no value", "--parameter Secret="],
        ),
        case(
            "NoEcho value too short",
            &[
                "validate",
                "-t",
                "params.yml",
                "--parameter",
                "Secret=hunter2-x",
            ],
            &["`Secret`", "MinLength 12"],
        )
        .never(&["hunter2-x"]),
        case(
            "NoEcho value against its pattern",
            &[
                "validate",
                "-t",
                "params.yml",
                "--parameter",
                "Secret=hunter2 with spaces",
            ],
            &["`Secret`", "AllowedPattern"],
        )
        .never(&["hunter2 with spaces"]),
        case(
            "NoEcho value refused by plan",
            &[
                "plan",
                "-t",
                "params.yml",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--refresh=false",
                "--parameter",
                "Secret=hunter2-x",
            ],
            &["`Secret`", "MinLength 12"],
        )
        .never(&["hunter2-x"]),
        case(
            "bad value refused by plan",
            &[
                "plan",
                "-t",
                "params.yml",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--refresh=false",
                "--parameter",
                SECRET_FLAG,
                "--parameter",
                "Env=staging",
            ],
            &["`Env`", "allowed values"],
        ),
        case(
            "flag without =",
            validate_params!("--parameter", "Count"),
            &["--parameter `Count`", "KEY=VALUE"],
        ),
        case(
            "flag with an empty name",
            validate_params!("--parameter", "=3"),
            &["--parameter `=3`", "empty key"],
        ),
        case(
            "flag without a value",
            &["validate", "-t", "params.yml", "--parameter"],
            &["--parameter"],
        ),
    ]
}

fn parameter_file_cases() -> Vec<Case> {
    vec![
        case("truncated JSON", WITH_FILE, &["parameters file params.json", "not valid JSON", "line 1"])
            .setup(|w| w.write("params.json", "{\"Env\": \"dev\",")),
        case("YAML, not JSON", WITH_FILE, &["parameters file params.json", "not valid JSON"])
            .setup(|w| w.write("params.json", "Env: dev\nCount: 3\n")),
        case("empty", WITH_FILE, &["parameters file params.json", "not valid JSON"])
            .setup(|w| w.write("params.json", "")),
        case("not UTF-8", WITH_FILE, &["parameters file params.json"])
            .setup(|w| w.write_bytes("params.json", b"{\"Env\": \"\xff\xfe\"}")),
        case("a scalar", WITH_FILE, &["parameters file params.json", "expected a list"])
            .setup(|w| w.write("params.json", "\"dev\"")),
        case("a value that is an object", WITH_FILE, &["parameters file params.json", "`Env`", "must be a string"])
            .setup(|w| w.write("params.json", r#"{"Env": {"value": "dev"}}"#)),
        case("a value that is null", WITH_FILE, &["parameters file params.json", "`Env`"])
            .setup(|w| w.write("params.json", r#"{"Env": null}"#)),
        case("an entry without ParameterKey", WITH_FILE, &["parameters file params.json", "entry 1", "ParameterKey"])
            .setup(|w| w.write("params.json", r#"[{"ParameterKey": "Env", "ParameterValue": "dev"}, {"ParameterValue": "x"}]"#)),
        case("an entry without ParameterValue", WITH_FILE, &["parameters file params.json", "`Env`", "ParameterValue"])
            .setup(|w| w.write("params.json", r#"[{"ParameterKey": "Env"}]"#)),
        case("an entry with an unknown key", WITH_FILE, &["parameters file params.json", "`Env`", "unknown key `Value`"])
            .setup(|w| w.write("params.json", r#"[{"ParameterKey": "Env", "ParameterValue": "dev", "Value": "prod"}]"#)),
        case("an entry that is not an object", WITH_FILE, &["parameters file params.json", "entry 0"])
            .setup(|w| w.write("params.json", r#"["Env=dev"]"#)),
        case("UsePreviousValue", WITH_FILE, &["parameters file params.json", "UsePreviousValue"])
            .setup(|w| w.write("params.json", r#"[{"ParameterKey": "Env", "UsePreviousValue": true}]"#)),
        case("a key given twice", WITH_FILE, &["parameters file params.json", "`Env` is given twice", "line 3"])
            .setup(|w| w.write("params.json", "{\n  \"Env\": \"dev\",\n  \"Env\": \"prod\"\n}\n")),
        case("an entry given twice", WITH_FILE, &["parameters file params.json", "`Env` is given twice"])
            .setup(|w| w.write("params.json", r#"[{"ParameterKey": "Env", "ParameterValue": "dev"}, {"ParameterKey": "Env", "ParameterValue": "prod"}]"#)),
        case("an undeclared parameter", WITH_FILE, &["`Nope`", "does not declare"])
            .setup(|w| w.write("params.json", r#"{"Nope": "x"}"#)),
        case("a value of the wrong type", WITH_FILE, &["`Count`", "not a number"])
            .setup(|w| w.write("params.json", r#"{"Count": "three"}"#)),
        case("a bad NoEcho value in the file", &["validate", "-t", "params.yml", "--parameters-file", "params.json"], &["`Secret`", "MinLength 12"])
            .setup(|w| w.write("params.json", r#"[{"ParameterKey": "Secret", "ParameterValue": "hunter2-x"}]"#))
            .never(&["hunter2-x"]),
        case("missing", WITH_FILE, &["cannot read parameters file params.json", "No such file"]),
        case("a directory", WITH_FILE, &["cannot read parameters file params.json"])
            .setup(|w| std::fs::create_dir(w.path("params.json")).expect("mkdir")),
    ]
}

/// `infra state list --state state.json`.
const LIST: &[&str] = &["state", "list", "--state", "state.json"];
/// `infra plan` of `net.yml` against `state.json`, without AWS.
const PLAN: &[&str] = &[
    "plan",
    "-t",
    "net.yml",
    "--stack",
    "demo",
    "--state",
    "state.json",
    "--refresh=false",
];

fn state_cases() -> Vec<Case> {
    vec![
        case("truncated", LIST, &["state file state.json", "not valid JSON", "line 16"])
            .setup(|w| w.write("state.json", &STATE[..STATE.find("\"physical_id\"").expect("field")])),
        case("truncated, by plan", PLAN, &["state file state.json", "not valid JSON"])
            .setup(|w| w.write("state.json", &STATE[..STATE.len() / 2])),
        case("not JSON", &["show", "--state", "state.json"], &["state file state.json", "not valid JSON"])
            .setup(|w| w.write("state.json", "version = 1\nstack = demo\n")),
        case("empty", &["output", "--state", "state.json"], &["state file state.json", "not valid JSON"])
            .setup(|w| w.write("state.json", "")),
        case("binary", LIST, &["state file state.json", "not valid JSON"])
            .setup(|w| w.write_bytes("state.json", &[0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00])),
        case("a JSON array", LIST, &["state file state.json", "no numeric `version`"])
            .setup(|w| w.write("state.json", "[1, 2, 3]\n")),
        case("no version", LIST, &["state file state.json", "no numeric `version`"])
            .setup(|w| w.write("state.json", &state_with("\"version\": 1,", ""))),
        case("version as a string", LIST, &["state file state.json", "no numeric `version`"])
            .setup(|w| w.write("state.json", &state_with("\"version\": 1", "\"version\": \"1\""))),
        case("newer version", PLAN, &["state file state.json", "format version 4", "reads up to 3"])
            .setup(|w| w.write("state.json", &state_with("\"version\": 1", "\"version\": 4"))),
        case("newer version, by apply", &["apply", "-t", "net.yml", "--stack", "demo", "--state", "state.json", "--auto-approve"], &["state file state.json", "format version 4"])
            .setup(|w| w.write("state.json", &state_with("\"version\": 1", "\"version\": 4"))),
        case("version 0", LIST, &["state file state.json", "version 0"])
            .setup(|w| w.write("state.json", &state_with("\"version\": 1", "\"version\": 0"))),
        case("serial is a string", LIST, &["state file state.json", "at /serial", "line 4"])
            .setup(|w| w.write("state.json", &state_with("\"serial\": 3", "\"serial\": \"3\""))),
        case("serial is negative", LIST, &["state file state.json", "at /serial"])
            .setup(|w| w.write("state.json", &state_with("\"serial\": 3", "\"serial\": -3"))),
        case("lineage is not a UUID", LIST, &["state file state.json", "at /lineage"])
            .setup(|w| w.write("state.json", &state_with("\"30fac502-a6a1-484d-9ff7-1a7c02962b25\"", "42"))),
        case("stack is null", LIST, &["state file state.json", "at /stack"])
            .setup(|w| w.write("state.json", &state_with("\"stack\": \"demo\"", "\"stack\": null"))),
        case("resources is a list", LIST, &["state file state.json", "at /resources"])
            .setup(|w| w.write("state.json", &state_with("\"resources\": {", "\"resources\": [{").replace("\n  },\n  \"pending\"", "\n  }],\n  \"pending\""))),
        case("physical_id is a number", LIST, &["state file state.json", "at /resources/Vpc/physical_id"])
            .setup(|w| w.write("state.json", &state_with("\"vpc-0123456789abcdef0\",\n      \"properties\"", "5,\n      \"properties\""))),
        case("unknown status", LIST, &["state file state.json", "at /resources/Vpc/status", "`ok`"])
            .setup(|w| w.write("state.json", &state_with("\"status\": \"created\"", "\"status\": \"ok\""))),
        case("dependencies is a string", LIST, &["state file state.json", "at /resources/Vpc/dependencies"])
            .setup(|w| w.write("state.json", &state_with("\"dependencies\": []", "\"dependencies\": \"Logs\""))),
        case("a parameter of the wrong shape", LIST, &["state file state.json", "at /parameters/Env"])
            .setup(|w| w.write("state.json", &state_with("\"value\": \"dev\"", "\"plain\": \"dev\""))),
        case("an output of the wrong shape", &["output", "--state", "state.json"], &["state file state.json", "at /outputs/VpcId"])
            .setup(|w| w.write("state.json", &state_with("\"description\": null,", "\"description\": [],"))),
        case("duplicate addresses", LIST, &["state file state.json", "at /resources/Vpc", "appears twice"])
            .setup(|w| w.write("state.json", &STATE.replacen(vpc_entry(), &format!("{},\n{}", vpc_entry(), vpc_entry()), 1))),
        case("duplicate addresses, by plan", PLAN, &["state file state.json", "at /resources/Vpc", "appears twice"])
            .setup(|w| w.write("state.json", &STATE.replacen(vpc_entry(), &format!("{},\n{}", vpc_entry(), vpc_entry()), 1))),
        case("a pending entry missing fields", LIST, &["state file state.json", "at /pending/0 (line", "missing field `action`"])
            .setup(|w| w.write("state.json", &state_with("\"pending\": []", "\"pending\": [{\"address\": \"Logs\"}]"))),
        case("a pending entry with an unknown action", LIST, &["state file state.json", "at /pending/0/action", "`build`"])
            .setup(|w| w.write("state.json", &state_with("\"pending\": []", "\"pending\": [{\"address\": \"Logs\", \"action\": \"build\", \"resource_type\": \"AWS::Logs::LogGroup\", \"expected_name\": null, \"physical_id\": null, \"tags\": {}, \"started\": \"2025-11-25T21:38:02Z\"}]"))),
        case("a pending entry with a bad time", PLAN, &["state file state.json", "at /pending/0/started"])
            .setup(|w| w.write("state.json", &state_with("\"pending\": []", "\"pending\": [{\"address\": \"Logs\", \"action\": \"create\", \"resource_type\": \"AWS::Logs::LogGroup\", \"expected_name\": null, \"physical_id\": null, \"tags\": {}, \"started\": \"yesterday\"}]"))),
        case("pending is an object", LIST, &["state file state.json", "at /pending"])
            .setup(|w| w.write("state.json", &state_with("\"pending\": []", "\"pending\": {\"Logs\": \"create\"}"))),
        case("an unknown field", LIST, &["state file state.json", "at /colour", "unknown field `colour`"])
            .setup(|w| w.write("state.json", &state_with("\"serial\": 3,", "\"serial\": 3,\n  \"colour\": \"blue\","))),
        case("another stack's state, by plan", &["plan", "-t", "net.yml", "--stack", "demo", "--state", "other.json", "--refresh=false"], &["state file other.json", "belongs to stack `other`", "not `demo`"]),
        case("another stack's state, by apply", &["apply", "-t", "net.yml", "--stack", "demo", "--state", "other.json", "--auto-approve"], &["state file other.json", "belongs to stack `other`"]),
        case("another stack's state, by state rm", &["state", "rm", "Vpc", "--stack", "demo", "--state", "other.json"], &["state file other.json", "belongs to stack `other`"]),
        case("another stack's state, by state list", &["state", "list", "--stack", "demo", "--state", "other.json"], &["state file other.json", "belongs to stack `other`"]),
        case("another stack's state, by state show", &["state", "show", "Vpc", "--stack", "demo", "--state", "other.json"], &["state file other.json", "belongs to stack `other`"]),
        case("another stack's state, by show", &["show", "--stack", "demo", "--state", "other.json"], &["state file other.json", "belongs to stack `other`"]),
        case("another stack's state, by output", &["output", "--stack", "demo", "--state", "other.json"], &["state file other.json", "belongs to stack `other`"]),
        case("a directory", LIST, &["cannot read state file state.json", "directory"])
            .setup(|w| {
                std::fs::remove_file(w.path("state.json")).expect("rm");
                std::fs::create_dir(w.path("state.json")).expect("mkdir");
            }),
        case("a directory, by plan", PLAN, &["cannot read state file state.json"])
            .setup(|w| {
                std::fs::remove_file(w.path("state.json")).expect("rm");
                std::fs::create_dir(w.path("state.json")).expect("mkdir");
            }),
        case("a symbolic link loop", LIST, &["cannot read state file state.json"])
            .setup(|w| {
                std::fs::remove_file(w.path("state.json")).expect("rm");
                std::os::unix::fs::symlink("state.json", w.path("state.json")).expect("symlink");
            }),
        Case {
            needs_non_root: true,
            ..case("not readable (mode 000)", LIST, &["cannot read state file state.json", "ermission denied"])
                .setup(|w| std::fs::set_permissions(w.path("state.json"), std::fs::Permissions::from_mode(0o000)).expect("chmod"))
        },
        case("in a missing directory, by state list", &["state", "list", "--state", "gone/dir/state.json"], &["gone/dir/state.json", "nothing has been applied"]),
        case("in a missing directory, by show", &["show", "--state", "gone/dir/state.json"], &["gone/dir/state.json", "nothing has been applied"]),
        case("in a missing directory, by output", &["output", "--state", "gone/dir/state.json"], &["gone/dir/state.json", "nothing has been applied"]),
        case("a lock that is not JSON", PLAN, &["state.json.lock"])
            .setup(|w| w.write("state.json.lock", "garbage")),
    ]
}

/// `infra apply p.plan --state state.json`.
const APPLY_PLAN: &[&str] = &["apply", "p.plan", "--state", "state.json"];

fn plan_file_cases() -> Vec<Case> {
    vec![
        case(
            "truncated",
            APPLY_PLAN,
            &["plan file p.plan", "not a saved plan"],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            let text = w.read("p.plan");
            w.write("p.plan", &text[..text.len() / 2]);
        }),
        case(
            "truncated, by show",
            &["show", "p.plan"],
            &["plan file p.plan", "not a saved plan"],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            let text = w.read("p.plan");
            w.write("p.plan", &text[..text.len() / 3]);
        }),
        case(
            "corrupt",
            APPLY_PLAN,
            &["plan file p.plan", "not a saved plan"],
        )
        .setup(|w| w.write_bytes("p.plan", b"\x00\x01\x02 not a plan")),
        case(
            "empty",
            APPLY_PLAN,
            &["plan file p.plan", "not a saved plan"],
        )
        .setup(|w| w.write("p.plan", "")),
        case(
            "a state file given as the plan",
            &["apply", "state.json", "--state", "state.json"],
            &["plan file state.json", "not a saved plan"],
        ),
        case(
            "missing its binding",
            APPLY_PLAN,
            &["plan file p.plan", "binding"],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            let text = w.read("p.plan");
            let start = text.find("  \"binding\"").expect("binding");
            let end = text[start..].find("},\n").expect("end") + start + 3;
            w.write("p.plan", &format!("{}{}", &text[..start], &text[end..]));
        }),
        case(
            "a newer format",
            APPLY_PLAN,
            &["plan file p.plan", "format 99", "newer"],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            let text =
                w.read("p.plan")
                    .replacen("\"format_version\": 1", "\"format_version\": 99", 1);
            w.write("p.plan", &text);
        }),
        case(
            "stale serial",
            APPLY_PLAN,
            &["stale", "serial 3", "serial 4"],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            w.write("state.json", &state_with("\"serial\": 3", "\"serial\": 4"));
        }),
        case(
            "another lineage",
            APPLY_PLAN,
            &[
                "lineage 30fac502-a6a1-484d-9ff7-1a7c02962b25",
                "lineage 40fac502",
            ],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            w.write("state.json", &STATE.replace("30fac502", "40fac502"));
        }),
        case(
            "another stack",
            &[
                "apply",
                "p.plan",
                "--stack",
                "other",
                "--state",
                "other.json",
            ],
            &["saved plan is for stack `demo`, not `other`"],
        )
        .setup(|w| w.save_plan("net.yml", &[])),
        case(
            "another template",
            APPLY_PLAN,
            &["stale", "template files changed"],
        )
        .setup(|w| {
            w.save_plan("net.yml", &[]);
            w.write("net.yml", &NET.replace("10.0.0.0/16", "10.9.0.0/16"));
        }),
        case(
            "another parameter value",
            &[
                "apply",
                "p.plan",
                "--state",
                "state.json",
                "--parameter",
                SECRET_FLAG,
                "--parameter",
                "Env=prod",
            ],
            &["stale", "parameter values differ"],
        )
        .setup(|w| w.save_plan("params.yml", &["--parameter", SECRET_FLAG])),
        case(
            "a parameter value left out",
            APPLY_PLAN,
            &["stale", "parameter values differ"],
        )
        .setup(|w| w.save_plan("params.yml", &["--parameter", SECRET_FLAG]))
        .never(&[SECRET]),
        case(
            "missing",
            APPLY_PLAN,
            &["cannot read plan file p.plan", "No such file"],
        ),
        case("a directory", APPLY_PLAN, &["cannot read plan file p.plan"])
            .setup(|w| std::fs::create_dir(w.path("p.plan")).expect("mkdir")),
    ]
}

fn flag_cases() -> Vec<Case> {
    vec![
        case(
            "unknown flag",
            &["validate", "-t", "net.yml", "--bogus"],
            &["unexpected argument '--bogus'"],
        ),
        case(
            "unknown single-dash flag",
            &["plan", "-t", "net.yml", "-bogus"],
            &["unexpected argument"],
        ),
        case(
            "unknown command",
            &["frobnicate"],
            &["unrecognized subcommand 'frobnicate'"],
        ),
        case("no command", &[], &["requires a subcommand"]),
        case(
            "missing required flag",
            &["plan", "--stack", "demo", "--state", "state.json"],
            &["--template"],
        ),
        case(
            "flag given twice",
            &[
                "plan",
                "-t",
                "net.yml",
                "--stack",
                "demo",
                "--stack",
                "other",
                "--state",
                "state.json",
            ],
            &["'--stack <STACK>' cannot be used multiple times"],
        ),
        case(
            "flag without its value",
            &["plan", "-t", "net.yml", "--state"],
            &["--state"],
        ),
        case(
            "plan file with --state",
            &["show", "p.plan", "--state", "state.json"],
            &["cannot be used with", "--state"],
        )
        .setup(|w| w.save_plan("net.yml", &[])),
        case(
            "plan file with --stack",
            &["show", "p.plan", "--stack", "demo"],
            &["cannot be used with", "--stack"],
        )
        .setup(|w| w.save_plan("net.yml", &[])),
        case(
            "parallelism 0",
            &[
                "apply",
                "-t",
                "net.yml",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--parallelism",
                "0",
            ],
            &["'--parallelism <PARALLELISM>'", "0 is not in 1..=256"],
        ),
        case(
            "parallelism too high",
            &[
                "destroy",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--parallelism",
                "100000",
            ],
            &["--parallelism"],
        ),
        case(
            "parallelism not a number",
            &["apply", "-t", "net.yml", "--parallelism", "many"],
            &["--parallelism", "many"],
        ),
        case(
            "refresh not a boolean",
            &[
                "plan",
                "-t",
                "net.yml",
                "--state",
                "state.json",
                "--refresh=maybe",
            ],
            &["--refresh", "maybe"],
        ),
        case(
            "unknown graph format",
            &["graph", "-t", "net.yml", "--format", "svg"],
            &["--format", "svg"],
        ),
        case(
            "unknown target",
            &[
                "plan",
                "-t",
                "net.yml",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--refresh=false",
                "--target",
                "Nope",
            ],
            &["--target `Nope`"],
        ),
        case(
            "unknown target among known ones",
            &[
                "plan",
                "-t",
                "net.yml",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--refresh=false",
                "--target",
                "Vpc",
                "--target",
                "Vpc.Nope",
            ],
            &["--target `Vpc.Nope`"],
        ),
        case(
            "unknown target, by destroy",
            &[
                "destroy",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--target",
                "Nope",
                "--auto-approve",
            ],
            &["--target `Nope`"],
        ),
        case(
            "region with spaces",
            &[
                "plan",
                "-t",
                "net.yml",
                "--stack",
                "demo",
                "--state",
                "state.json",
                "--refresh=false",
                "--region",
                "us east 1",
            ],
            &["--region", "us east 1", "not an AWS region"],
        ),
        case(
            "region in capitals",
            &["validate", "-t", "net.yml", "--region", "US-EAST-1"],
            &["--region", "US-EAST-1"],
        ),
        case(
            "region from the environment",
            &["validate", "-t", "net.yml"],
            &["--region", "us-east-1a", "not an AWS region"],
        )
        .env(&[("AWS_REGION", "us-east-1a")]),
        case(
            "invalid stack name",
            &[
                "plan",
                "-t",
                "net.yml",
                "--stack",
                "bad_stack",
                "--refresh=false",
            ],
            &["stack name `bad_stack`"],
        ),
        case(
            "stack name that climbs out of state/",
            &["state", "list", "--stack", "../../etc/passwd"],
            &["stack name `../../etc/passwd`"],
        ),
        case(
            "no stack for a state command",
            &["state", "list"],
            &["--stack is required"],
        ),
        case(
            "unknown address, by state show",
            &["state", "show", "Nope", "--state", "state.json"],
            &["no resource `Nope`", "state.json"],
        ),
        case(
            "unknown address, by state rm",
            &["state", "rm", "Nope", "--state", "state.json"],
            &["no resource `Nope`", "state.json"],
        ),
        case(
            "unknown output",
            &["output", "Nope", "--state", "state.json"],
            &["no output `Nope`", "VpcId"],
        ),
        case(
            "force-unlock without a lock",
            &[
                "force-unlock",
                "0b8c5b8e-0000-4000-8000-000000000000",
                "--state",
                "state.json",
            ],
            &["state.json", "not locked"],
        ),
        case(
            "missing template",
            &["validate", "-t", "nope.yml"],
            &["nope.yml"],
        ),
        case(
            "apply with neither template nor plan",
            &["apply", "--stack", "demo", "--state", "state.json"],
            &["needs a template"],
        ),
    ]
}

// ---------------------------------------------------------------- tests

#[test]
fn the_starting_files_are_valid() {
    // Each case changes one thing; without it, the same command must succeed.
    let work = Work::new();
    for args in [
        LIST,
        &["show", "--state", "state.json"][..],
        &["output", "--state", "state.json"],
        &["state", "show", "Vpc", "--state", "state.json"],
        &["validate", "-t", "params.yml", "--parameter", SECRET_FLAG],
        &["validate", "-t", "net.yml", "--region", "us-gov-west-1"],
        PLAN,
        &[
            "plan",
            "-t",
            "net.yml",
            "--stack",
            "demo",
            "--state",
            "state.json",
            "--refresh=false",
            "--target",
            "Logs",
        ],
        &[
            "plan",
            "-t",
            "net.yml",
            "--stack",
            "other",
            "--state",
            "other.json",
            "--refresh=false",
        ],
        &["state", "list", "--stack", "other", "--state", "other.json"],
    ] {
        let o = work.infra(args, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "infra {}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let plan = work.infra(PLAN, &[]);
    assert!(
        String::from_utf8_lossy(&plan.stdout)
            .contains("Plan: 1 to add, 0 to change, 0 to destroy.")
    );
    work.save_plan("net.yml", &[]);
    let shown = work.infra(&["show", "p.plan"], &[]);
    assert_eq!(shown.status.code(), Some(0));
    let o = work.infra(&["--version"], &[]);
    assert_eq!(o.status.code(), Some(0), "--version is not an error");
    let o = work.infra(&["plan", "--help"], &[]);
    assert_eq!(o.status.code(), Some(0), "--help is not an error");
    assert_eq!(
        work.read("state.json"),
        STATE,
        "nothing above writes the state"
    );
}

#[test]
fn a_saved_plan_that_still_matches_is_not_refused() {
    // The control for the plan-file cases: the same apply, with nothing changed, gets past
    // every check and stops only at AWS (the closed endpoint).
    let work = Work::new();
    work.save_plan("params.yml", &["--parameter", SECRET_FLAG]);
    let o = work.infra(
        &[
            "apply",
            "p.plan",
            "--state",
            "state.json",
            "--parameter",
            SECRET_FLAG,
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains("stale") && !stderr.contains("saved plan"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot reach"), "{stderr}");
}

#[test]
fn bad_parameters() {
    run_all("parameters", &parameter_cases());
}

#[test]
fn bad_parameter_files() {
    run_all("parameter files", &parameter_file_cases());
}

#[test]
fn bad_state_files() {
    run_all("state files", &state_cases());
}

#[test]
fn bad_plan_files() {
    run_all("plan files", &plan_file_cases());
}

#[test]
fn bad_flags() {
    run_all("flags", &flag_cases());
}

#[test]
fn there_are_at_least_40_cases() {
    let counts = [
        parameter_cases().len(),
        parameter_file_cases().len(),
        state_cases().len(),
        plan_file_cases().len(),
        flag_cases().len(),
    ];
    assert!(counts.iter().sum::<usize>() >= 40, "{counts:?}");
    let names: Vec<&str> = [
        parameter_cases(),
        parameter_file_cases(),
        state_cases(),
        plan_file_cases(),
        flag_cases(),
    ]
    .iter()
    .flat_map(|cases| cases.iter().map(|c| c.name).collect::<Vec<_>>())
    .collect();
    let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    // Names repeat only across tables (each failure is reported as `table/name`).
    assert!(unique.len() + 10 >= names.len(), "{names:?}");
}
