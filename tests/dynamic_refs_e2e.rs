//! Dynamic references end to end on the project's emulator: `{{resolve:ssm:...}}`,
//! `{{resolve:ssm-secure:...}}` and `{{resolve:secretsmanager:...}}` are resolved at apply time
//! as CloudFormation resolves them. AWS gets the values (checked through SSM's own API); the
//! plan, the output and the state keep the references, and no secret value is in any file or
//! output; a second plan is empty while AWS holds the values, and shows drift when one changes.
//! The template (`tests/dynamic/app.yaml`) copies the values into SSM parameters (native
//! provider).

#[path = "support/mod.rs"]
mod support;

#[path = "support/boto.rs"]
mod boto;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::json;

use support::Emulator;

const SECRET_PASSWORD: &str = "correct-horse-battery-staple-7d1f";
const SECRET_TOKEN: &str = "tok-5b0e9a33c1";

fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .current_dir(support::repo_root())
        .stdin(Stdio::null())
        .output()
        .expect("runs infra")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn parameter(endpoint: &str, name: &str) -> String {
    let answer = boto::boto(endpoint, "ssm", "get_parameter", json!({"Name": name}));
    answer["Parameter"]["Value"]
        .as_str()
        .unwrap_or_else(|| panic!("no value for {name}: {answer}"))
        .to_owned()
}

/// Every file under `dir`, for the secret search.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("lists the directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn references_are_resolved_at_apply_and_their_secrets_are_written_nowhere() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    boto::boto(
        &endpoint,
        "ssm",
        "put_parameter",
        json!({"Name": "/source/host", "Value": "db.internal", "Type": "String"}),
    );
    boto::boto(
        &endpoint,
        "ssm",
        "put_parameter",
        json!({"Name": "/source/port", "Value": "5432", "Type": "String"}),
    );
    boto::boto(
        &endpoint,
        "ssm",
        "put_parameter",
        json!({"Name": "/source/token", "Value": SECRET_TOKEN, "Type": "SecureString"}),
    );
    boto::boto(
        &endpoint,
        "secretsmanager",
        "create_secret",
        json!({"Name": "source-db", "SecretString": json!({"user": "app", "password": SECRET_PASSWORD}).to_string()}),
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("dyn.json");
    let plan_file = dir.path().join("dyn.plan");
    let template = support::repo_root().join("tests/dynamic/app.yaml");
    let common = |command: &'static str| {
        vec![
            command.to_owned(),
            "--stack".to_owned(),
            "dyn".to_owned(),
            "--state".to_owned(),
            state.display().to_string(),
            "-t".to_owned(),
            template.display().to_string(),
            "--parameter".to_owned(),
            "Suffix=a".to_owned(),
        ]
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        infra(&emulator, &refs)
    };

    let mut plan_args = common("plan");
    plan_args.extend(["--out".to_owned(), plan_file.display().to_string()]);
    let plan = run(plan_args);
    let plan_text = text(&plan);
    assert!(plan.status.success(), "{plan_text}");
    assert!(
        plan_text.contains("{{resolve:secretsmanager:source-db:SecretString:password}}"),
        "the plan shows the reference: {plan_text}"
    );

    let mut apply_args = common("apply");
    apply_args.push("--auto-approve".to_owned());
    let apply = run(apply_args);
    let apply_text = text(&apply);
    assert!(apply.status.success(), "{apply_text}");

    // AWS got the values.
    assert_eq!(
        parameter(&endpoint, "/copy/a/endpoint"),
        "https://db.internal:5432/api"
    );
    assert_eq!(parameter(&endpoint, "/copy/a/password"), SECRET_PASSWORD);
    assert_eq!(parameter(&endpoint, "/copy/a/token"), SECRET_TOKEN);

    // The state keeps the references.
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("state")).expect("JSON");
    assert_eq!(
        recorded["resources"]["Password"]["properties"]["Value"],
        "{{resolve:secretsmanager:source-db:SecretString:password}}"
    );
    assert_eq!(
        recorded["resources"]["Endpoint"]["properties"]["Value"],
        "https://{{resolve:ssm:/source/host}}:{{resolve:ssm:/source/port:1}}/api"
    );

    // While AWS holds the values, nothing changed.
    let mut again = common("plan");
    again.push("--detailed-exitcode".to_owned());
    let second = run(again.clone());
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));

    // No secret value in any output or file written.
    let mut outputs = vec![plan_text, apply_text, text(&second)];
    let mut show = common("show");
    show.truncate(5);
    outputs.push(text(&run(show)));
    for out in &outputs {
        assert!(
            !out.contains(SECRET_PASSWORD) && !out.contains(SECRET_TOKEN),
            "{out}"
        );
    }
    for file in files(dir.path()) {
        let bytes = std::fs::read(&file).expect("reads");
        let content = String::from_utf8_lossy(&bytes);
        assert!(
            !content.contains(SECRET_PASSWORD) && !content.contains(SECRET_TOKEN),
            "{} holds a secret value",
            file.display()
        );
    }

    // A value changed behind infra's back is drift.
    boto::boto(
        &endpoint,
        "ssm",
        "put_parameter",
        json!({"Name": "/copy/a/endpoint", "Value": "https://elsewhere/api", "Type": "String", "Overwrite": true}),
    );
    let drifted = run(again);
    assert_eq!(drifted.status.code(), Some(2), "{}", text(&drifted));

    let mut destroy = common("destroy");
    destroy.truncate(5);
    destroy.push("--auto-approve".to_owned());
    let destroyed = run(destroy);
    assert!(destroyed.status.success(), "{}", text(&destroyed));
}

#[test]
fn a_malformed_reference_is_a_template_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: '{{resolve:vault:x}}'\n",
    )
    .expect("writes");
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["validate", "-t"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs infra");
    let all = text(&out);
    assert!(!out.status.success(), "{all}");
    assert!(all.contains("unknown service `vault`"), "{all}");
    assert!(all.contains("bad.yaml:2:3"), "names where: {all}");
}
