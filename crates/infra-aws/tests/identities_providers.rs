//! The IAM identity providers against the AWS API emulator (moto server with the fidelity fixes
//! of `emulator/fidelity.py` and `emulator/fidelity_apps/identities.py`): create → read →
//! update → find → delete → read for `AWS::IAM::User`, `AWS::IAM::Group`,
//! `AWS::IAM::UserToGroupAddition` and `AWS::IAM::AccessKey`, every check made through IAM's
//! own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;

use infra_aws::provider::{FailureClass, Observation};
use infra_provider::checkpoint::Checkpoint;
use provider_harness::{Harness, Made, emulator_config, generated};
use serde_json::{Value, json};

const USER: &str = "AWS::IAM::User";
const GROUP: &str = "AWS::IAM::Group";
const ADDITION: &str = "AWS::IAM::UserToGroupAddition";
const KEY: &str = "AWS::IAM::AccessKey";

struct Env {
    harness: Harness,
    iam: aws_sdk_iam::Client,
}

provider_harness::env_derefs_to_harness!(Env);

fn policy(action: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})
}

impl Env {
    /// Users and groups get a generated name, and `find` it; only users carry infra's tags
    /// (the taggable type).
    async fn new(stack: &str) -> Env {
        let config = emulator_config().await;
        let harness = Harness::new(&config, stack)
            .naming(|stack, address, type_name| {
                [USER, GROUP]
                    .contains(&type_name)
                    .then(|| generated(stack, address))
            })
            .tagged(|_, type_name| type_name == USER)
            .found_by(|made| {
                let named = [USER, GROUP].contains(&made.type_name);
                Some(made.id().to_owned()).filter(|_| named)
            });
        Env {
            harness,
            iam: aws_sdk_iam::Client::new(&config),
        }
    }

    async fn managed_policy(&self, name: &str) -> String {
        let made = self
            .iam
            .create_policy()
            .policy_name(name)
            .policy_document(policy("s3:GetObject").to_string())
            .send()
            .await
            .expect("policy");
        made.policy().and_then(|p| p.arn()).expect("arn").to_owned()
    }

    async fn plain_user(&self, name: &str) {
        self.iam
            .create_user()
            .user_name(name)
            .send()
            .await
            .expect("user");
    }

    async fn groups_of(&self, user: &str) -> Vec<String> {
        let out = self.iam.list_groups_for_user().user_name(user).send().await;
        let out = out.expect("groups");
        out.groups()
            .iter()
            .map(|g| g.group_name().to_owned())
            .collect()
    }

    async fn members(&self, group: &str) -> Vec<String> {
        let out = self
            .iam
            .get_group()
            .group_name(group)
            .send()
            .await
            .expect("group");
        let mut users: Vec<String> = out
            .users()
            .iter()
            .map(|u| u.user_name().to_owned())
            .collect();
        users.sort();
        users
    }
}

fn arn_only(made: &Made) -> BTreeMap<String, Value> {
    made.out.attributes.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn user_is_created_read_updated_found_and_deleted() {
    let env = Env::new("id-user").await;
    let group = env.create("App.Team", GROUP, json!({})).await;
    let managed = env.managed_policy("id-user-read").await;
    let boundary = env.managed_policy("id-user-boundary").await;
    let props = json!({
        "Path": "/people/",
        "Groups": [group.id()],
        "ManagedPolicyArns": [managed],
        "Policies": [{"PolicyName": "logs", "PolicyDocument": policy("logs:*")}],
        "PermissionsBoundary": boundary,
        "LoginProfile": {"Password": "Initial-Pa55!", "PasswordResetRequired": true},
        "Tags": [{"Key": "team", "Value": "a"}],
    });
    let user = env.create("App.Alice", USER, props).await;
    assert_eq!(user.id(), "id-user-App-Alice");
    let arn = user.out.attributes["Arn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(arn.ends_with(":user/people/id-user-App-Alice"), "{arn}");

    // Through IAM itself.
    let got = env
        .iam
        .get_user()
        .user_name(user.id())
        .send()
        .await
        .expect("user");
    let got = got.user().expect("user");
    assert_eq!(got.path(), "/people/");
    let bound = got
        .permissions_boundary()
        .and_then(|b| b.permissions_boundary_arn());
    assert_eq!(bound, Some(boundary.as_str()));
    let tags: BTreeMap<_, _> = got.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(tags.get("team"), Some(&"a"));
    assert_eq!(tags.get("infra:address"), Some(&"App.Alice"));
    assert_eq!(env.groups_of(user.id()).await, vec![group.id().to_owned()]);
    let attached = env
        .iam
        .list_attached_user_policies()
        .user_name(user.id())
        .send()
        .await;
    let attached = attached.expect("attached");
    assert_eq!(
        attached.attached_policies()[0].policy_arn(),
        Some(managed.as_str())
    );
    let inline = env
        .iam
        .get_user_policy()
        .user_name(user.id())
        .policy_name("logs")
        .send()
        .await;
    assert!(inline.is_ok(), "{inline:?}");
    let login = env
        .iam
        .get_login_profile()
        .user_name(user.id())
        .send()
        .await
        .expect("login");
    assert_eq!(
        login.login_profile().map(|l| l.password_reset_required()),
        Some(true)
    );
    env.assert_present_with(&user, &arn_only(&user)).await;

    // Found by name and tags; a create sent again adopts it.
    assert_eq!(
        env.find_keyed(&user, "9")
            .await
            .map(|o| o.physical_id)
            .as_deref(),
        Some(user.id())
    );
    let again = env.create("App.Alice", USER, user.properties.clone()).await;
    assert_eq!(again.id(), user.id());
    let other = Made {
        address: "App.Bob".into(),
        ..user.clone()
    };
    assert_eq!(
        env.find_keyed(&other, "9").await,
        None,
        "another address's tags"
    );

    // In place: the state holds a marker in place of the password, which stands for the same
    // one, so only the reset flag is sent; path, groups, policies and boundary change.
    let mut before = user.properties.clone();
    before["LoginProfile"]["Password"] =
        infra_state::redact::redaction_marker_of(&json!("Initial-Pa55!"));
    let after = json!({
        "Path": "/staff/",
        "Groups": [],
        "ManagedPolicyArns": [],
        "Policies": [{"PolicyName": "logs", "PolicyDocument": policy("logs:PutLogEvents")}],
        "LoginProfile": {"Password": "Initial-Pa55!", "PasswordResetRequired": false},
        "Tags": [{"Key": "team", "Value": "b"}],
    });
    let user = env.update_from(&user, before, after).await;
    let arn = user.out.attributes["Arn"].as_str().unwrap_or_default();
    assert!(arn.ends_with(":user/staff/id-user-App-Alice"), "{arn}");
    let got = env
        .iam
        .get_user()
        .user_name(user.id())
        .send()
        .await
        .expect("user");
    let got = got.user().expect("user");
    assert_eq!(got.path(), "/staff/");
    assert!(got.permissions_boundary().is_none());
    assert!(env.groups_of(user.id()).await.is_empty());
    let login = env
        .iam
        .get_login_profile()
        .user_name(user.id())
        .send()
        .await
        .expect("login");
    assert_eq!(
        login.login_profile().map(|l| l.password_reset_required()),
        Some(false)
    );
    env.assert_present_with(&user, &arn_only(&user)).await;

    // The login profile removed out of band: refresh shows it missing.
    env.iam
        .delete_login_profile()
        .user_name(user.id())
        .send()
        .await
        .expect("delete");
    match env.read(&user).await {
        Some(Observation::Present { properties, .. }) => {
            assert!(properties.get("LoginProfile").is_none(), "{properties}")
        }
        other => panic!("{other:?}"),
    }

    // An access key of its own blocks the delete: a dependency violation, retried by the
    // engine until the key (an AWS::IAM::AccessKey of the stack) is gone.
    let key = env
        .iam
        .create_access_key()
        .user_name(user.id())
        .send()
        .await
        .expect("key");
    let key_id = key
        .access_key()
        .map(|k| k.access_key_id().to_owned())
        .unwrap_or_default();
    let err = env.try_delete(&user).await.expect_err("key left");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");
    assert!(err.message.contains("access keys"), "{err}");
    env.iam
        .delete_access_key()
        .user_name(user.id())
        .access_key_id(key_id)
        .send()
        .await
        .expect("delete key");
    env.delete(&user).await;
    env.assert_gone(&user).await;
    env.delete(&user).await; // idempotent
    env.delete(&group).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn group_and_user_to_group_addition() {
    let env = Env::new("id-group").await;
    let managed = env.managed_policy("id-group-read").await;
    let props = json!({
        "Path": "/teams/",
        "ManagedPolicyArns": [managed],
        "Policies": [{"PolicyName": "s3", "PolicyDocument": policy("s3:*")}],
    });
    let group = env.create("App.Admins", GROUP, props).await;
    assert_eq!(group.id(), "id-group-App-Admins");
    let arn = group.out.attributes["Arn"].as_str().unwrap_or_default();
    assert!(arn.ends_with(":group/teams/id-group-App-Admins"), "{arn}");
    let attached = env
        .iam
        .list_attached_group_policies()
        .group_name(group.id())
        .send()
        .await;
    assert_eq!(attached.expect("attached").attached_policies().len(), 1);
    env.assert_present_with(&group, &arn_only(&group)).await;

    // Groups have no tags: found only when the create's checkpoint says the name was free
    // before it; a create with another checkpoint finds the name taken.
    assert_eq!(
        env.find(&group).await.map(|o| o.physical_id).as_deref(),
        Some(group.id())
    );
    assert_eq!(env.find_keyed(&group, "9").await, None);
    let again = env
        .try_create_at(
            "App.Admins",
            GROUP,
            group.properties.clone(),
            &group.checkpoint,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.id(), group.id());
    let fresh = Checkpoint::detached("id-group/other", None);
    let err = env
        .try_create_at("App.Admins", GROUP, group.properties.clone(), &fresh)
        .await
        .expect_err("taken");
    assert!(
        err.message.contains("already exists and was not made"),
        "{err}"
    );

    let group = env
        .update(&group, json!({"Path": "/ops/", "Policies": [{"PolicyName": "s3", "PolicyDocument": policy("s3:GetObject")}]}))
        .await;
    let got = env
        .iam
        .get_group()
        .group_name(group.id())
        .send()
        .await
        .expect("group");
    assert_eq!(got.group().map(|g| g.path()), Some("/ops/"));
    assert!(
        group.out.attributes["Arn"]
            .as_str()
            .unwrap_or_default()
            .contains(":group/ops/")
    );
    let attached = env
        .iam
        .list_attached_group_policies()
        .group_name(group.id())
        .send()
        .await;
    assert!(attached.expect("attached").attached_policies().is_empty());
    env.assert_present_with(&group, &arn_only(&group)).await;

    // Users added by an addition; refresh, find, update (users, then the group), delete.
    for user in ["id-group-ann", "id-group-ben"] {
        env.plain_user(user).await;
    }
    let second = env.create("App.Devs", GROUP, json!({})).await;
    let props = json!({"GroupName": group.id(), "Users": ["id-group-ann", "id-group-ben"]});
    let addition = env.create("App.AddUsers", ADDITION, props).await;
    assert!(addition.id().starts_with("AddUsers-"), "{}", addition.id());
    assert_eq!(addition.out.attributes["Id"], json!(addition.id()));
    assert_eq!(
        env.members(group.id()).await,
        vec!["id-group-ann", "id-group-ben"]
    );
    env.assert_present_with(&addition, &addition.out.attributes)
        .await;
    let found = env.find(&addition).await.map(|o| o.physical_id);
    assert_eq!(found.as_deref(), Some(addition.id()));

    let addition = env
        .update(
            &addition,
            json!({"GroupName": group.id(), "Users": ["id-group-ben"]}),
        )
        .await;
    assert_eq!(env.members(group.id()).await, vec!["id-group-ben"]);
    let addition = env
        .update(
            &addition,
            json!({"GroupName": second.id(), "Users": ["id-group-ben"]}),
        )
        .await;
    assert!(env.members(group.id()).await.is_empty());
    assert_eq!(env.members(second.id()).await, vec!["id-group-ben"]);
    env.assert_present_with(&addition, &addition.out.attributes)
        .await;

    env.delete(&addition).await;
    assert!(env.members(second.id()).await.is_empty());
    env.assert_gone(&addition).await;
    assert_eq!(env.find(&addition).await, None);
    env.delete(&addition).await;

    // Deleting a group removes its members first (IAM refuses to delete a group with any).
    let sent = env
        .iam
        .add_user_to_group()
        .group_name(second.id())
        .user_name("id-group-ann");
    sent.send().await.expect("add");
    env.delete(&second).await;
    assert!(env.groups_of("id-group-ann").await.is_empty());
    env.delete(&group).await;
    env.assert_gone(&group).await;
    env.delete(&group).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn access_key_is_created_read_updated_found_and_deleted() {
    let env = Env::new("id-key").await;
    let user = "id-key-carol";

    // The user not there (yet): eventually consistent, for the engine to retry.
    let props = json!({"UserName": user, "Serial": 1, "Status": "Inactive"});
    let early = Checkpoint::detached("id-key/early", None);
    let err = env
        .try_create_at("App.Key", KEY, props.clone(), &early)
        .await
        .expect_err("no user");
    assert_eq!(err.class, FailureClass::EventuallyConsistent, "{err}");

    env.plain_user(user).await;
    let key = env.create("App.Key", KEY, props).await;
    let secret = key.out.attributes["SecretAccessKey"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(secret.len(), 40, "the secret is returned at create");
    assert_eq!(key.out.attributes["Id"], json!(key.id()));
    let listed = env
        .iam
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .expect("keys");
    let listed = listed.access_key_metadata();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].access_key_id(), Some(key.id()));
    assert_eq!(listed[0].status().map(|s| s.as_str()), Some("Inactive"));
    // Read reports what IAM says: the id, never the secret (which IAM cannot give again).
    let id_only = BTreeMap::from([("Id".to_owned(), json!(key.id()))]);
    env.assert_present_with(&key, &id_only).await;

    // Found by the checkpoint (without its secret); nothing without one.
    let found = env.find(&key).await.expect("found");
    assert_eq!(found.physical_id, key.id());
    assert!(!found.attributes.contains_key("SecretAccessKey"));
    assert_eq!(env.find_keyed(&key, "9").await, None);

    let key = env
        .update(
            &key,
            json!({"UserName": user, "Serial": 1, "Status": "Active"}),
        )
        .await;
    let listed = env
        .iam
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .expect("keys");
    assert_eq!(
        listed.access_key_metadata()[0].status().map(|s| s.as_str()),
        Some("Active")
    );
    env.assert_present_with(&key, &id_only).await;

    // A create sent again (the engine retrying it) deletes the key the first attempt made,
    // whose secret nobody received, and makes a new one.
    let retried = env
        .try_create_at("App.Key", KEY, key.properties.clone(), &key.checkpoint)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(retried.id(), key.id());
    assert!(retried.out.attributes.contains_key("SecretAccessKey"));
    let listed = env
        .iam
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .expect("keys");
    let ids: Vec<_> = listed
        .access_key_metadata()
        .iter()
        .filter_map(|k| k.access_key_id())
        .collect();
    assert_eq!(ids, vec![retried.id()]);
    env.assert_gone(&key).await;

    env.delete(&retried).await;
    env.assert_gone(&retried).await;
    env.delete(&retried).await; // idempotent
    env.iam
        .delete_user()
        .user_name(user)
        .send()
        .await
        .expect("user");
    env.assert_gone(&retried).await;
}
