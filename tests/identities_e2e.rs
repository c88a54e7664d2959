//! The IAM users-and-groups example (`examples/iam-users-groups/template.yaml`) end to end on
//! the AWS API emulator: apply; what the template says checked through IAM (GetGroup,
//! ListAttachedGroupPolicies, GetGroupPolicy, GetUser, GetLoginProfile, ListGroupsForUser,
//! GetUserPolicy, ListAccessKeys); the NoEcho password in no output and not in the state; a
//! second plan with no changes; in-place updates (the group's inline policy, the path of the
//! group and the users, the access key's status); a replacement (the group's name: its members
//! move to the new group); destroy with nothing left.

#[path = "support/boto.rs"]
mod boto;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use boto::{Call, batch, boto, try_boto};
use cli::{assert_no_changes, edit, id, infra, ok, recorded_ids, s, text};
use serde_json::{Value, json};
use support::Emulator;

const STACK: &str = "iamdemo";
const PASSWORD: &str = "Alice-First-Pa55!";

/// The answers of `calls`, each of which must succeed.
fn all(endpoint: &str, calls: &[Call<'_>]) -> Vec<Value> {
    batch(endpoint, calls)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The names in a list of IAM users or groups, sorted.
fn names(items: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = items
        .as_array()
        .unwrap_or_else(|| panic!("a list: {items}"))
        .iter()
        .filter_map(|i| i[key].as_str().map(str::to_owned))
        .collect();
    out.sort();
    out
}

#[test]
fn iam_users_and_groups_apply_update_replace_and_destroy() {
    let emulator = Emulator::start();
    let endpoint = emulator.endpoint.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = cli::copy_example("iam-users-groups", dir.path());
    let state = dir.path().join("iam.json");
    let password = format!("AlicePassword={PASSWORD}");
    let base = [
        "-t",
        s(&template),
        "--stack",
        STACK,
        "--state",
        s(&state),
        "--parameter",
        &password,
    ];
    let run = |extra: &[&str]| infra(&emulator, &[extra, &base[..]].concat());

    let validate = ["validate", "-t", s(&template), "--stack", STACK];
    ok(&infra(
        &emulator,
        &[&validate[..], &["--parameter", &password]].concat(),
    ));
    let out = ok(&run(&["apply", "--auto-approve"]));
    assert!(
        out.contains("Apply complete! Resources: 6 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    assert!(!out.contains(PASSWORD), "the password is printed: {out}");
    let on_disk = std::fs::read_to_string(&state).expect("state");
    assert!(!on_disk.contains(PASSWORD), "the password is in the state");
    let ids = recorded_ids(&state);
    let (group, alice, bob) = (id(&ids, "Developers"), id(&ids, "Alice"), id(&ids, "Bob"));
    assert_eq!(group, "iamdemo-developers");
    let (key, managed) = (id(&ids, "BobKey"), id(&ids, "ReadOnlyBuckets"));

    let iam = all(
        &endpoint,
        &[
            ("iam", "get_group", json!({"GroupName": group})),
            (
                "iam",
                "list_attached_group_policies",
                json!({"GroupName": group}),
            ),
            (
                "iam",
                "get_group_policy",
                json!({"GroupName": group, "PolicyName": "read-logs"}),
            ),
            ("iam", "get_user", json!({"UserName": alice})),
            ("iam", "get_login_profile", json!({"UserName": alice})),
            ("iam", "list_groups_for_user", json!({"UserName": bob})),
            (
                "iam",
                "get_user_policy",
                json!({"UserName": bob, "PolicyName": "own-keys"}),
            ),
            ("iam", "list_access_keys", json!({"UserName": bob})),
        ],
    );
    assert_eq!(iam[0]["Group"]["Path"], json!("/team/"));
    let mut members = vec![alice.to_owned(), bob.to_owned()];
    members.sort();
    assert_eq!(names(&iam[0]["Users"], "UserName"), members);
    assert_eq!(iam[1]["AttachedPolicies"][0]["PolicyArn"], json!(managed));
    let statement = &iam[2]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], json!("logs:GetLogEvents"));
    assert_eq!(iam[3]["User"]["Path"], json!("/team/"));
    let tags = iam[3]["User"]["Tags"].as_array().expect("tags");
    assert!(
        tags.contains(&json!({"Key": "team", "Value": "platform"})),
        "{tags:?}"
    );
    assert!(
        tags.contains(&json!({"Key": "infra:address", "Value": "Alice"})),
        "{tags:?}"
    );
    assert_eq!(iam[4]["LoginProfile"]["PasswordResetRequired"], json!(true));
    assert_eq!(
        names(&iam[5]["Groups"], "GroupName"),
        vec![group.to_owned()]
    );
    assert!(iam[6]["PolicyDocument"].is_object(), "{}", iam[6]);
    let keys = &iam[7]["AccessKeyMetadata"];
    assert_eq!(keys[0]["AccessKeyId"], json!(key));
    assert_eq!(keys[0]["Status"], json!("Active"));

    assert_no_changes(&emulator, &base);

    // In place: the group's inline policy, the path of the group and the users, the key's
    // status.
    let out = ok(&run(&[
        "apply",
        "--auto-approve",
        "--parameter",
        "LogActions=logs:FilterLogEvents",
        "--parameter",
        "TeamPath=/ops/",
        "--parameter",
        "BobKeyStatus=Inactive",
    ]));
    assert!(out.contains("0 added, 4 changed, 0 destroyed"), "{out}");
    assert_eq!(recorded_ids(&state), ids, "updated in place");
    let iam = all(
        &endpoint,
        &[
            ("iam", "get_group", json!({"GroupName": group})),
            (
                "iam",
                "get_group_policy",
                json!({"GroupName": group, "PolicyName": "read-logs"}),
            ),
            ("iam", "get_user", json!({"UserName": alice})),
            ("iam", "get_user", json!({"UserName": bob})),
            ("iam", "list_access_keys", json!({"UserName": bob})),
            ("iam", "get_login_profile", json!({"UserName": alice})),
        ],
    );
    assert_eq!(iam[0]["Group"]["Path"], json!("/ops/"));
    let statement = &iam[1]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], json!("logs:FilterLogEvents"));
    assert_eq!(iam[2]["User"]["Path"], json!("/ops/"));
    assert_eq!(iam[3]["User"]["Path"], json!("/ops/"));
    assert_eq!(iam[4]["AccessKeyMetadata"][0]["Status"], json!("Inactive"));
    assert_eq!(iam[5]["LoginProfile"]["PasswordResetRequired"], json!(true));
    edit(&template, "Default: /team/", "Default: /ops/");
    edit(
        &template,
        "Default: \"logs:GetLogEvents\"",
        "Default: \"logs:FilterLogEvents\"",
    );
    edit(&template, "Default: Active", "Default: Inactive");
    assert_no_changes(&emulator, &base);

    // A replacement: a new group name is a new group; Alice (Groups) and Bob (the addition)
    // move to it, and the old group is gone.
    edit(&template, "Default: developers", "Default: engineers");
    let out = ok(&run(&["apply", "--auto-approve"]));
    let after = recorded_ids(&state);
    let new_group = id(&after, "Developers");
    assert_eq!(new_group, "iamdemo-engineers", "{out}");
    let gone = try_boto(&endpoint, "iam", "get_group", json!({"GroupName": group}));
    assert_eq!(gone.map_err(|e| e.code), Err("NoSuchEntity".to_owned()));
    let moved = boto(
        &endpoint,
        "iam",
        "get_group",
        json!({"GroupName": new_group}),
    );
    assert_eq!(names(&moved["Users"], "UserName"), members);
    let policies = boto(
        &endpoint,
        "iam",
        "list_attached_group_policies",
        json!({"GroupName": new_group}),
    );
    assert_eq!(policies["AttachedPolicies"][0]["PolicyArn"], json!(managed));
    assert_no_changes(&emulator, &base);

    // Destroy: nothing of the stack is left.
    let out = ok(&infra(
        &emulator,
        &[
            "destroy",
            "--auto-approve",
            "--stack",
            STACK,
            "--state",
            s(&state),
        ],
    ));
    assert!(out.contains("Destroy complete!"), "{out}");
    let left = all(
        &endpoint,
        &[
            ("iam", "list_users", json!({})),
            ("iam", "list_groups", json!({})),
            ("iam", "list_policies", json!({"Scope": "Local"})),
        ],
    );
    assert_eq!(left[0]["Users"], json!([]), "{}", text(&run(&["plan"])));
    assert_eq!(left[1]["Groups"], json!([]));
    assert_eq!(left[2]["Policies"], json!([]));
    let key_gone = try_boto(
        &endpoint,
        "iam",
        "get_access_key_last_used",
        json!({"AccessKeyId": key}),
    );
    assert!(key_gone.is_err(), "{key_gone:?}");
}
