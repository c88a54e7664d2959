//! NoEcho values and credentials never leave the process: every command a user runs on a
//! stack with a NoEcho parameter (validate, plan in all its forms, apply, output, show, state,
//! refresh, destroy) and the error paths (a bad value for another parameter, an AWS error that
//! echoes the secret mid-apply) run with a distinctive secret in the parameters and
//! distinctive credentials in the environment, at the most verbose log settings; then every
//! byte written (stdout, stderr, the state, its backup, the plan file, anything else in the
//! working directory) is searched for them.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::Emulator;

const SECRET: &str = "s3cr3t-XYZ-0123";
const SECRET_KEY: &str = "sk-Distinct-Secret-Access-Key-4711";
const SESSION_TOKEN: &str = "st-Distinct-Session-Token-4712";
const STACK: &str = "secrets";

/// The NoEcho value reaches AWS (a tag, a security group's description) and an output.
const TEMPLATE: &str = "\
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    MinLength: 8
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.42.0.0/16
      Tags:
        - {Key: Token, Value: !Ref DbPassword}
        - {Key: Env, Value: !Ref Env}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub 'db access ${DbPassword}'
      VpcId: !Ref Vpc
Outputs:
  Token:
    Value: !Sub 'token-${DbPassword}'
  VpcId:
    Value: !Ref Vpc
";

/// A subnet whose availability zone is the secret: AWS refuses it, echoing the value.
const ECHOED: &str = "\
Parameters:
  DbPassword: {Type: String, NoEcho: true}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.43.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.43.1.0/24, AvailabilityZone: !Ref DbPassword}
";

/// Runs commands in one working directory and keeps everything they print.
struct Session<'a> {
    emulator: &'a Emulator,
    dir: PathBuf,
    printed: Vec<(String, Vec<u8>)>,
}

impl Session<'_> {
    fn run(&mut self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
        self.emulator.configure(&mut cmd);
        let o = cmd
            .args(args)
            .current_dir(&self.dir)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .env("AWS_SESSION_TOKEN", SESSION_TOKEN)
            // The most verbose settings anything in the process reads.
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "full")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("runs infra");
        let what = args.join(" ");
        self.printed
            .push((format!("stdout of `{what}`"), o.stdout.clone()));
        self.printed
            .push((format!("stderr of `{what}`"), o.stderr.clone()));
        o
    }

    fn ok(&mut self, args: &[&str]) -> String {
        let o = self.run(args);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            o.status.success(),
            "`{}` failed\nstdout:\n{out}\nstderr:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        out
    }

    fn fails(&mut self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(1), "`{}` must fail", args.join(" "));
        String::from_utf8_lossy(&o.stderr).into_owned()
    }
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn find(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The VPC's `Token` tag and the security group's description, as AWS holds them.
fn in_aws(emulator: &Emulator) -> (Vec<String>, Vec<String>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new(support::REGION))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    let c = aws_sdk_ec2::Client::from_conf(config);
    let f = || {
        aws_sdk_ec2::types::Filter::builder()
            .name("tag:infra:stack")
            .values(STACK)
            .build()
    };
    rt.block_on(async {
        let vpcs = c.describe_vpcs().filters(f()).send().await.expect("vpcs");
        let tokens = vpcs
            .vpcs()
            .iter()
            .flat_map(|v| v.tags())
            .filter(|t| t.key() == Some("Token"))
            .filter_map(|t| t.value().map(str::to_owned))
            .collect();
        let groups = c
            .describe_security_groups()
            .filters(f())
            .send()
            .await
            .expect("groups");
        let descriptions = groups
            .security_groups()
            .iter()
            .filter_map(|g| g.description().map(str::to_owned))
            .collect();
        (tokens, descriptions)
    })
}

#[test]
fn no_noecho_value_or_credential_is_ever_written() {
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().to_owned();
    std::fs::write(work.join("main.yml"), TEMPLATE).expect("template");
    std::fs::write(work.join("echoed.yml"), ECHOED).expect("template");
    let mut run = Session {
        emulator,
        dir: work.clone(),
        printed: Vec::new(),
    };
    let secret = format!("DbPassword={SECRET}");
    let t = [
        "-t",
        "main.yml",
        "--parameter",
        secret.as_str(),
        "--stack",
        STACK,
        "--state",
        "st/secrets.json",
    ];
    let with = |cmd: &[&'static str]| -> Vec<String> {
        cmd.iter()
            .chain(t.iter())
            .map(|s| (*s).to_string())
            .collect()
    };
    let state_only = ["--stack", STACK, "--state", "st/secrets.json"];

    let validate = [
        "-t",
        "main.yml",
        "--parameter",
        secret.as_str(),
        "--stack",
        STACK,
    ];
    run.ok(&[&["validate"][..], &validate[..]].concat());
    run.ok(&[&["validate", "--json"][..], &validate[..]].concat());
    let plan = run.ok(&args(&with(&["plan"])));
    assert!(plan.contains("(sensitive value)"), "{plan}");
    run.ok(&args(&with(&["plan", "--json"])));
    run.ok(&args(&with(&["plan", "--out", "st/plan.bin"])));
    run.ok(&["show", "st/plan.bin"]);
    run.ok(&["show", "st/plan.bin", "--json"]);
    let applied = run.ok(&args(&with(&["apply", "--auto-approve"])));
    assert!(
        applied.contains("Apply complete! Resources: 2 added"),
        "{applied}"
    );
    // The value did reach AWS: this test would see it if it leaked.
    let (tokens, descriptions) = in_aws(emulator);
    assert_eq!(tokens, [SECRET]);
    assert_eq!(descriptions, [format!("db access {SECRET}")]);

    // The state keeps digests only, and still knows nothing changed.
    let clean = run.run(&args(&with(&["plan", "--detailed-exitcode"])));
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let outputs = run.ok(&[&["output"][..], &state_only[..]].concat());
    assert!(outputs.contains("Token = (sensitive value)"), "{outputs}");
    run.ok(&[&["output", "--json"][..], &state_only[..]].concat());
    run.ok(&[&["output", "Token"][..], &state_only[..]].concat());
    run.ok(&[&["show"][..], &state_only[..]].concat());
    run.ok(&[&["show", "--json"][..], &state_only[..]].concat());
    run.ok(&[&["state", "list"][..], &state_only[..]].concat());
    for address in ["Vpc", "Sg"] {
        run.ok(&[&["state", "show", address][..], &state_only[..]].concat());
    }
    let refreshed = run.ok(&[&["refresh"][..], &state_only[..]].concat());
    assert!(refreshed.contains("match the state"), "{refreshed}");
    let still_clean = run.run(&args(&with(&["plan", "--detailed-exitcode"])));
    assert_eq!(still_clean.status.code(), Some(0), "clean after refresh");

    // Error paths: another parameter's bad value, and AWS echoing the secret in an error.
    let bad = run.fails(
        &[
            &args(&with(&["plan"]))[..],
            &["--parameter", "Env=staging"][..],
        ]
        .concat(),
    );
    assert!(bad.contains("Env"), "{bad}");
    let echoed = run.fails(&[
        "apply",
        "-t",
        "echoed.yml",
        "--parameter",
        secret.as_str(),
        "--stack",
        "secrets-echo",
        "--state",
        "st/echo.json",
        "--auto-approve",
    ]);
    assert!(
        echoed.contains("InvalidParameterValue") && echoed.contains("(sensitive value)"),
        "AWS's message is shown with the value hidden: {echoed}"
    );

    run.ok(&[&["destroy", "--auto-approve"][..], &state_only[..]].concat());
    run.ok(&[
        "destroy",
        "--stack",
        "secrets-echo",
        "--state",
        "st/echo.json",
        "--auto-approve",
    ]);

    let mut written = run.printed;
    let mut files = Vec::new();
    files_under(&work, &mut files);
    for name in ["st/secrets.json", "st/secrets.json.backup", "st/plan.bin"] {
        assert!(files.contains(&work.join(name)), "{name} was written");
    }
    for f in files {
        if f.ends_with("main.yml") || f.ends_with("echoed.yml") {
            continue;
        }
        written.push((f.display().to_string(), std::fs::read(&f).expect("read")));
    }
    let mut leaks = Vec::new();
    for (what, bytes) in &written {
        for needle in [SECRET, SECRET_KEY, SESSION_TOKEN] {
            if find(bytes, needle) {
                leaks.push(format!("{needle} in {what}"));
            }
        }
    }
    assert!(leaks.is_empty(), "leaked:\n{}", leaks.join("\n"));
}
