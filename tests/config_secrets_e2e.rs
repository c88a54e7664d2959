//! The configuration-and-secrets example (`examples/app-config-secrets/template.yaml`) end to end
//! on the AWS API emulator: apply; what the template says checked through KMS (DescribeKey,
//! GetKeyRotationStatus, GetKeyPolicy, ListAliases), Secrets Manager (DescribeSecret, and
//! GetSecretValue, which only this test calls) and Systems Manager (GetParameters,
//! DescribeParameters); a second plan with no changes; an in-place update (the log level, the
//! key's description, a new token); a replacement (the alias, which also re-points the token's secret);
//! destroy with the key pending deletion and nothing else left.
//!
//! Neither secret value, the NoEcho token nor the password Secrets Manager generated, may
//! appear in the state, in any file of the test's directory or in the output of any command
//! (validate, plan, apply, show, output, state list/show/pull, refresh, destroy), run at the
//! most verbose log settings.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

use boto::{batch, boto, try_boto};
use cli::{edit, id, ok, recorded_ids, s};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "orders";
const TOKEN: &str = "tok-Distinct-PaymentToken-5521";
const NEW_TOKEN: &str = "tok-Distinct-RotatedToken-7730";

/// `infra ARGS` against `emulator` at the most verbose log settings.
fn infra(emulator: &Emulator, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra"));
    emulator.configure(&mut cmd);
    let cmd = cmd.args(args).env("NO_COLOR", "1");
    let cmd = cmd.env("RUST_LOG", "trace").env("RUST_BACKTRACE", "full");
    cmd.output().expect("runs infra")
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Fails the test when any of `secrets` is in `text` (naming `place`).
fn assert_clean(place: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "a secret value is in {place} (the value is not repeated here)"
        );
    }
}

/// The value Secrets Manager holds for the secret `arn`, read by this test only.
fn secret_value(endpoint: &str, arn: &str) -> String {
    let value = boto(
        endpoint,
        "secretsmanager",
        "get_secret_value",
        json!({"SecretId": arn}),
    );
    value["SecretString"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The target of the alias `name`, if it exists.
fn alias_target(endpoint: &str, name: &str) -> Option<String> {
    let listed = boto(endpoint, "kms", "list_aliases", json!({}));
    let aliases = listed["Aliases"].as_array().cloned().unwrap_or_default();
    let alias = aliases
        .into_iter()
        .find(|a| a["AliasName"] == json!(name))?;
    alias["TargetKeyId"].as_str().map(str::to_owned)
}

/// The SSM parameters `names` as GetParameters answers them, by name.
fn parameters(endpoint: &str, names: &[&str]) -> Value {
    let got = boto(endpoint, "ssm", "get_parameters", json!({"Names": names}));
    let mut out = serde_json::Map::new();
    for p in got["Parameters"].as_array().cloned().unwrap_or_default() {
        out.insert(p["Name"].as_str().unwrap_or_default().to_owned(), p);
    }
    Value::Object(out)
}

#[test]
fn config_and_secrets_apply_update_replace_and_destroy_without_leaking_a_secret() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("app-config-secrets", dir.path());
    let state = dir.path().join("orders.json");
    let token = format!("ApiToken={TOKEN}");
    let base = [
        "-t",
        s(&template),
        "--stack",
        STACK,
        "--state",
        s(&state),
        "--parameter",
        token.as_str(),
    ];
    let new_token = format!("ApiToken={NEW_TOKEN}");
    let rotated = [
        "-t",
        s(&template),
        "--stack",
        STACK,
        "--state",
        s(&state),
        "--parameter",
        new_token.as_str(),
    ];
    let state_only = ["--stack", STACK, "--state", s(&state)];
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut run = |args: &[&str]| {
        let output = infra(&emulator, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        outputs.push((args.join(" "), text));
        output
    };
    // The second plan of a step: no changes (exit 0 with --detailed-exitcode).
    let no_changes = |output: Output| {
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(
            output.status.code(),
            Some(0),
            "a plan must have no changes:\n{text}"
        );
    };

    ok(&run(&[
        "validate",
        "-t",
        s(&template),
        "--stack",
        STACK,
        "--parameter",
        &token,
    ]));
    let planned = ok(&run(&[&["plan"][..], &base[..]].concat()));
    assert!(planned.contains("(sensitive value)"), "{planned}");
    let applied = ok(&run(&[&["apply", "--auto-approve"][..], &base[..]].concat()));
    assert!(
        applied.contains("Apply complete! Resources: 7 added, 0 changed, 0 destroyed."),
        "{applied}"
    );
    let ids = recorded_ids(&state);
    let key = id(&ids, "ConfigKey").to_owned();
    let (database, payment) = (id(&ids, "DatabaseSecret"), id(&ids, "PaymentApiToken"));
    assert_eq!(id(&ids, "ConfigKeyAlias"), "alias/orders/config");
    assert_eq!(id(&ids, "LogLevelParameter"), "/orders/log-level");

    // KMS: the key, its rotation, its policy and its alias.
    let kms = batch(
        &endpoint,
        &[
            ("kms", "describe_key", json!({"KeyId": key})),
            ("kms", "get_key_rotation_status", json!({"KeyId": key})),
            (
                "kms",
                "get_key_policy",
                json!({"KeyId": key, "PolicyName": "default"}),
            ),
        ],
    );
    let kms: Vec<Value> = kms
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let meta = &kms[0]["KeyMetadata"];
    assert_eq!(meta["Description"], json!("Encrypts the secrets of orders"));
    assert_eq!(meta["KeyState"], json!("Enabled"));
    assert_eq!(kms[1]["KeyRotationEnabled"], json!(true));
    assert_eq!(kms[1]["RotationPeriodInDays"], json!(180));
    let policy: Value =
        serde_json::from_str(kms[2]["Policy"].as_str().unwrap_or("{}")).expect("json");
    assert_eq!(
        policy["Statement"][0]["Sid"],
        json!("TheAccountAdministersTheKey")
    );
    assert_eq!(
        policy["Statement"][0]["Principal"]["AWS"],
        json!(format!("arn:aws:iam::{}:root", support::ACCOUNT_ID))
    );
    assert_eq!(
        alias_target(&endpoint, "alias/orders/config").as_deref(),
        Some(key.as_str())
    );

    // Secrets Manager: the generated login (the template's JSON with the password under its
    // key) and the given token, each encrypted with the key.
    let login = secret_value(&endpoint, database);
    let doc: Value = serde_json::from_str(&login).expect("the login is JSON");
    assert_eq!(doc["username"], json!("orders"));
    let password = doc["password"].as_str().unwrap_or_default().to_owned();
    assert_eq!(password.chars().count(), 32, "PasswordLength");
    assert!(
        !password.contains(['"', '@', '/', '\\']),
        "ExcludeCharacters"
    );
    assert_eq!(secret_value(&endpoint, payment), TOKEN);
    let described = boto(
        &endpoint,
        "secretsmanager",
        "describe_secret",
        json!({"SecretId": database}),
    );
    assert_eq!(described["Name"], json!("orders/database"));
    assert!(
        described["KmsKeyId"]
            .as_str()
            .is_some_and(|k| k.ends_with(&key)),
        "{described}"
    );
    let tags = described["Tags"].as_array().cloned().unwrap_or_default();
    assert!(
        tags.contains(&json!({"Key": "app", "Value": "orders"})),
        "{tags:?}"
    );
    let described = boto(
        &endpoint,
        "secretsmanager",
        "describe_secret",
        json!({"SecretId": payment}),
    );
    assert_eq!(described["KmsKeyId"], json!("alias/orders/config"));

    // Systems Manager: the three parameters.
    let names = [
        "/orders/log-level",
        "/orders/features",
        "/orders/database-secret-arn",
    ];
    let params = parameters(&endpoint, &names);
    assert_eq!(params["/orders/log-level"]["Value"], json!("info"));
    assert_eq!(params["/orders/features"]["Type"], json!("StringList"));
    assert_eq!(
        params["/orders/features"]["Value"],
        json!("checkout,refunds,gift-cards")
    );
    assert_eq!(
        params["/orders/database-secret-arn"]["Value"],
        json!(database)
    );
    let filter = json!({"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": ["/orders/log-level"]}]});
    let meta = boto(&endpoint, "ssm", "describe_parameters", filter);
    assert_eq!(
        meta["Parameters"][0]["AllowedPattern"],
        json!("^(debug|info|warn|error)$")
    );

    no_changes(run(
        &[&["plan", "--detailed-exitcode"][..], &base[..]].concat()
    ));

    // In place: the log level, the key's description, and a new token (PutSecretValue: the
    // state holds the old one as a digest, which the provider compares it with).
    edit(
        &template,
        "Description: !Sub Encrypts the secrets of ${AppName}",
        "Description: !Sub Encrypts the secrets of the ${AppName} application",
    );
    let updated = ok(&run(&[
        &["apply", "--auto-approve"][..],
        &rotated[..],
        &["--parameter", "LogLevel=debug"][..],
    ]
    .concat()));
    assert!(
        updated.contains("0 added, 3 changed, 0 destroyed"),
        "{updated}"
    );
    assert_eq!(id(&recorded_ids(&state), "ConfigKey"), key);
    let params = parameters(&endpoint, &names[..1]);
    assert_eq!(params["/orders/log-level"]["Value"], json!("debug"));
    let meta = boto(&endpoint, "kms", "describe_key", json!({"KeyId": key}));
    assert_eq!(
        meta["KeyMetadata"]["Description"],
        json!("Encrypts the secrets of the orders application")
    );
    assert_eq!(
        secret_value(&endpoint, database),
        login,
        "a key change stores no new value"
    );
    assert_eq!(secret_value(&endpoint, payment), NEW_TOKEN);
    edit(&template, "Default: info", "Default: debug");

    // A replacement: a new alias name is a new alias; the token's secret, which names its key
    // by the alias, is updated to the new name; the old alias goes.
    edit(
        &template,
        "Default: alias/orders/config",
        "Default: alias/orders/app-config",
    );
    let replaced = ok(&run(
        &[&["apply", "--auto-approve"][..], &rotated[..]].concat()
    ));
    assert!(
        replaced.contains("1 added, 1 changed, 1 destroyed"),
        "{replaced}"
    );
    assert_eq!(
        id(&recorded_ids(&state), "ConfigKeyAlias"),
        "alias/orders/app-config"
    );
    assert_eq!(
        alias_target(&endpoint, "alias/orders/app-config").as_deref(),
        Some(key.as_str())
    );
    assert_eq!(alias_target(&endpoint, "alias/orders/config"), None);
    let described = boto(
        &endpoint,
        "secretsmanager",
        "describe_secret",
        json!({"SecretId": payment}),
    );
    assert_eq!(described["KmsKeyId"], json!("alias/orders/app-config"));
    assert_eq!(secret_value(&endpoint, payment), NEW_TOKEN);
    no_changes(run(
        &[&["plan", "--detailed-exitcode"][..], &rotated[..]].concat()
    ));

    // Every command that shows the state.
    for cmd in [
        &["show"][..],
        &["show", "--json"],
        &["output"],
        &["output", "--json"],
        &["state", "list"],
        &["state", "pull"],
        &["refresh"],
    ] {
        ok(&run(&[cmd, &state_only[..]].concat()));
    }
    for address in [
        "ConfigKey",
        "ConfigKeyAlias",
        "DatabaseSecret",
        "PaymentApiToken",
        "LogLevelParameter",
        "FeaturesParameter",
        "DatabaseSecretParameter",
    ] {
        ok(&run(
            &[&["state", "show", address][..], &state_only[..]].concat()
        ));
    }
    let plan_file = dir.path().join("saved.plan");
    ok(&run(
        &[&["plan", "--out", s(&plan_file)][..], &rotated[..]].concat()
    ));
    ok(&run(&["show", s(&plan_file)]));
    ok(&run(&["show", s(&plan_file), "--json"]));

    // Destroy: the key pending deletion, nothing else left.
    let destroyed = ok(&run(
        &[&["destroy", "--auto-approve"][..], &state_only[..]].concat()
    ));
    assert!(destroyed.contains("Destroy complete!"), "{destroyed}");
    let meta = boto(&endpoint, "kms", "describe_key", json!({"KeyId": key}));
    assert_eq!(meta["KeyMetadata"]["KeyState"], json!("PendingDeletion"));
    assert_eq!(alias_target(&endpoint, "alias/orders/app-config"), None);
    for arn in [database, payment] {
        let gone = try_boto(
            &endpoint,
            "secretsmanager",
            "describe_secret",
            json!({"SecretId": arn}),
        );
        assert_eq!(
            gone.map_err(|e| e.code),
            Err("ResourceNotFoundException".to_owned())
        );
    }
    let listed = boto(
        &endpoint,
        "secretsmanager",
        "list_secrets",
        json!({"IncludePlannedDeletion": true}),
    );
    assert_eq!(
        listed["SecretList"],
        json!([]),
        "deleted without a recovery window"
    );
    let left = boto(&endpoint, "ssm", "get_parameters", json!({"Names": names}));
    assert_eq!(left["Parameters"], json!([]));

    // No secret value anywhere: the state and every other file, every command's output.
    let secrets = [TOKEN, NEW_TOKEN, password.as_str(), login.as_str()];
    for file in files(dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).expect("read")).into_owned();
        assert_clean(&file.display().to_string(), &text, &secrets);
    }
    for (command, text) in &outputs {
        assert_clean(&format!("the output of `infra {command}`"), text, &secrets);
    }
}
