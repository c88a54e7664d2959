//! The SSM parameter, Secrets Manager secret, KMS key and KMS alias providers against the AWS
//! API emulator (moto server with the fidelity fixes of `emulator/fidelity.py` and
//! `emulator/fidelity_apps/config.py`; `scripts/setup-emulator`): create → read → update →
//! find → delete → read of each type, every check made through the service's own API.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "support/provider_harness.rs"]
mod provider_harness;
#[path = "../../../tests/support/sdk.rs"]
mod sdk;
#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;

use infra_aws::provider::{FailureClass, Observation, ResourceOutput};
use provider_harness::{Harness, Made, generated};
use serde_json::{Value, json};
use support::Emulator;

const PARAM: &str = "AWS::SSM::Parameter";
const SECRET: &str = "AWS::SecretsManager::Secret";
const KEY: &str = "AWS::KMS::Key";
const ALIAS: &str = "AWS::KMS::Alias";

struct Env {
    harness: Harness,
    ssm: aws_sdk_ssm::Client,
    sm: aws_sdk_secretsmanager::Client,
    kms: aws_sdk_kms::Client,
}

provider_harness::env_derefs_to_harness!(Env);

impl Env {
    /// Parameters and secrets get a generated name, recorded as `Name` (as the engine records
    /// it) and given to `find`.
    fn new(stack: &str) -> Env {
        let config = sdk::config(&Emulator::shared().endpoint);
        let harness = Harness::new(&config, stack)
            .naming(|stack, address, type_name| {
                matches!(type_name, PARAM | SECRET).then(|| generated(stack, address))
            })
            .recording_name_as("Name")
            .found_by(|made| {
                let name = made.properties.get("Name").and_then(Value::as_str);
                name.map(str::to_owned)
            });
        Env {
            harness,
            ssm: aws_sdk_ssm::Client::new(&config),
            sm: aws_sdk_secretsmanager::Client::new(&config),
            kms: aws_sdk_kms::Client::new(&config),
        }
    }

    /// The value Secrets Manager holds for the secret `arn` (the test reads it; the provider
    /// never does).
    async fn secret_value(&self, arn: &str) -> String {
        let out = self.sm.get_secret_value().secret_id(arn).send().await;
        let out = out.unwrap_or_else(|e| panic!("get_secret_value {arn}: {e:?}"));
        out.secret_string().unwrap_or_default().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn parameter_is_created_read_updated_found_and_deleted() {
    let env = Env::new("cfg-param");
    let props = json!({
        "Name": "/cfg-param/app/endpoint",
        "Type": "String",
        "Value": "https://example.internal",
        "Description": "where the app calls",
        "AllowedPattern": "^https://.*",
        "Tier": "Standard",
        "Tags": {"team": "a"},
    });
    let param = env.create("App.Endpoint", PARAM, props).await;
    assert_eq!(param.id(), "/cfg-param/app/endpoint");
    let arn = param.out.attributes["Arn"].as_str().unwrap_or_default();
    assert!(arn.ends_with(":parameter/cfg-param/app/endpoint"), "{arn}");
    assert_eq!(
        param.out.attributes["Value"],
        json!("https://example.internal")
    );

    let got = env
        .ssm
        .get_parameter()
        .name(param.id())
        .send()
        .await
        .expect("get");
    let got = got.parameter().expect("parameter");
    assert_eq!(got.value(), Some("https://example.internal"));
    let filter = aws_sdk_ssm::types::ParameterStringFilter::builder()
        .key("Name")
        .option("Equals")
        .values(param.id())
        .build()
        .expect("filter");
    let meta = env
        .ssm
        .describe_parameters()
        .parameter_filters(filter)
        .send()
        .await;
    let meta = meta.expect("describe");
    let meta = &meta.parameters()[0];
    assert_eq!(meta.description(), Some("where the app calls"));
    assert_eq!(meta.allowed_pattern(), Some("^https://.*"));
    let tags = env
        .ssm
        .list_tags_for_resource()
        .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
        .resource_id(param.id())
        .send()
        .await
        .expect("tags");
    let tags: BTreeMap<_, _> = tags
        .tag_list()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(tags.get("team"), Some(&"a"));
    assert_eq!(tags.get("infra:address"), Some(&"App.Endpoint"));
    env.assert_present(&param).await;

    // A StringList written with spaces reads as written; a generated name is used.
    let list = env
        .create(
            "App.Zones",
            PARAM,
            json!({"Type": "StringList", "Value": "a, b,c"}),
        )
        .await;
    assert_eq!(list.id(), "cfg-param-App-Zones");
    env.assert_present(&list).await;

    // A create sent again adopts its own parameter; find looks the name up, tags checked.
    let again = env
        .create("App.Endpoint", PARAM, param.properties.clone())
        .await;
    assert_eq!(again.out, param.out);
    assert_eq!(env.find_id(&param).await.as_deref(), Some(param.id()));
    assert_eq!(env.find_as(&param, "other-stack").await, None);
    // A name taken by something that is not this resource's is refused.
    let taken = env
        .try_create("App.Other", PARAM, param.properties.clone())
        .await;
    let err = taken.expect_err("taken");
    assert!(
        err.message
            .contains("already exists and was not made for this resource"),
        "{err}"
    );

    let param = env
        .update(
            &param,
            json!({"Name": "/cfg-param/app/endpoint", "Type": "String",
                "Value": "https://example.internal/v2", "Tags": {"team": "b", "env": "dev"}}),
        )
        .await;
    assert_eq!(
        param.out.attributes["Value"],
        json!("https://example.internal/v2")
    );
    let got = env
        .ssm
        .get_parameter()
        .name(param.id())
        .send()
        .await
        .expect("get");
    assert_eq!(
        got.parameter().and_then(|p| p.value()),
        Some("https://example.internal/v2")
    );
    env.assert_present(&param).await;

    // Several at once, one of them gone.
    let missing = Made {
        address: "App.Missing".into(),
        out: ResourceOutput {
            physical_id: "/cfg-param/none".into(),
            ..Default::default()
        },
        ..param.clone()
    };
    let seen = env.read_all(&[&param, &list, &missing]).await;
    assert_eq!(seen.get("App.Missing"), Some(&Observation::Gone));
    assert!(
        matches!(seen.get("App.Zones"), Some(Observation::Present { .. })),
        "{seen:?}"
    );

    let err = env
        .try_create(
            "App.Secure",
            PARAM,
            json!({"Type": "SecureString", "Value": "x"}),
        )
        .await
        .expect_err("secure");
    assert_eq!(err.class, FailureClass::Fatal);

    for made in [&param, &list] {
        env.delete(made).await;
        env.assert_gone(made).await;
        env.delete(made).await; // idempotent
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn secret_is_created_read_updated_found_and_deleted_without_its_value_leaving() {
    let env = Env::new("cfg-secret");
    let key = env
        .create("App.Key", KEY, json!({"Description": "secrets"}))
        .await;
    let generate = json!({"SecretStringTemplate": "{\"username\": \"app\"}",
        "GenerateStringKey": "password", "PasswordLength": 24, "ExcludePunctuation": true});
    let props = json!({"Description": "database login", "KmsKeyId": key.id(),
        "GenerateSecretString": generate, "Tags": [{"Key": "team", "Value": "a"}]});
    let secret = env.create("App.Login", SECRET, props).await;
    assert!(
        secret.id().contains(":secret:cfg-secret-App-Login-"),
        "{secret:?}"
    );
    assert_eq!(secret.out.attributes["Id"], json!(secret.id()));
    let value = env.secret_value(secret.id()).await;
    let doc: Value = serde_json::from_str(&value).expect("the value is the template's JSON");
    assert_eq!(doc["username"], json!("app"));
    let password = doc["password"].as_str().unwrap_or_default().to_owned();
    assert_eq!(password.len(), 24, "PasswordLength");
    assert!(
        password.chars().all(char::is_alphanumeric),
        "ExcludePunctuation"
    );
    // Nothing the provider returned holds the value.
    let returned = format!("{:?}", secret.out);
    assert!(!returned.contains(&password), "{returned}");
    let described = env.sm.describe_secret().secret_id(secret.id()).send().await;
    let described = described.expect("describe");
    assert_eq!(described.description(), Some("database login"));
    assert!(
        described.kms_key_id().is_some_and(|k| k.contains(key.id())),
        "{described:?}"
    );
    env.assert_present(&secret).await;

    // A create sent again (same checkpoint key, so the same ClientRequestToken) generates
    // another password, which Secrets Manager refuses for that token: the secret the first
    // create made is adopted, with its first value.
    let again = env
        .create("App.Login", SECRET, secret.properties.clone())
        .await;
    assert_eq!(again.out, secret.out);
    assert_eq!(env.secret_value(secret.id()).await, value);
    assert_eq!(env.find_id(&secret).await.as_deref(), Some(secret.id()));
    assert_eq!(env.find_as(&secret, "other-stack").await, None);

    // A given value, changed in place (and the same create sent again is the same secret).
    let given = env
        .create(
            "App.Token",
            SECRET,
            json!({"SecretString": "s3cr3t-given-1"}),
        )
        .await;
    assert_eq!(env.secret_value(given.id()).await, "s3cr3t-given-1");
    let again = env
        .create("App.Token", SECRET, given.properties.clone())
        .await;
    assert_eq!(
        again.out, given.out,
        "the same token and value: the same secret"
    );
    let given = env
        .update(
            &given,
            json!({"SecretString": "s3cr3t-given-2", "Description": "rotated by hand"}),
        )
        .await;
    assert_eq!(env.secret_value(given.id()).await, "s3cr3t-given-2");
    env.assert_present(&given).await;

    // A change to GenerateSecretString stores a newly generated value.
    let mut changed = secret.properties.clone();
    changed["GenerateSecretString"]["PasswordLength"] = json!(40);
    changed["Tags"] = json!([{"Key": "team", "Value": "b"}]);
    changed.as_object_mut().expect("object").remove("KmsKeyId");
    let secret = env.update(&secret, changed).await;
    let regenerated: Value =
        serde_json::from_str(&env.secret_value(secret.id()).await).expect("json");
    assert_eq!(regenerated["password"].as_str().map(str::len), Some(40));
    assert_eq!(regenerated["username"], json!("app"));
    let described = env.sm.describe_secret().secret_id(secret.id()).send().await;
    let tags: Vec<_> = described.expect("describe").tags().to_vec();
    assert!(
        tags.iter()
            .any(|t| t.key() == Some("team") && t.value() == Some("b")),
        "{tags:?}"
    );
    // An update with nothing about the value stores none.
    let before = env.secret_value(secret.id()).await;
    let mut described_only = secret.properties.clone();
    described_only["Description"] = json!("database login, v2");
    let secret = env.update(&secret, described_only).await;
    assert_eq!(env.secret_value(secret.id()).await, before);
    env.assert_present(&secret).await;

    for made in [&secret, &given] {
        env.delete(made).await;
        let gone = env.sm.describe_secret().secret_id(made.id()).send().await;
        assert!(gone.is_err(), "deleted without a recovery window: {gone:?}");
        env.assert_gone(made).await;
        env.delete(made).await; // idempotent
    }
    env.delete(&key).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_is_created_read_updated_found_and_scheduled_for_deletion() {
    let env = Env::new("cfg-key");
    let policy = json!({"Version": "2012-10-17", "Id": "app", "Statement": [{
        "Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "kms:*", "Resource": "*"}]});
    let props = json!({"Description": "app data", "EnableKeyRotation": true,
        "RotationPeriodInDays": 180, "KeyPolicy": policy, "PendingWindowInDays": 8,
        "Tags": [{"Key": "team", "Value": "a"}]});
    let key = env.create("App.Key", KEY, props).await;
    assert_eq!(key.out.attributes["KeyId"], json!(key.id()));
    assert!(
        key.out.attributes["Arn"]
            .as_str()
            .is_some_and(|a| a.ends_with(key.id()))
    );
    let meta = env
        .kms
        .describe_key()
        .key_id(key.id())
        .send()
        .await
        .expect("describe");
    let meta = meta.key_metadata().expect("metadata");
    assert_eq!(meta.description(), Some("app data"));
    assert!(meta.enabled());
    let rotation = env
        .kms
        .get_key_rotation_status()
        .key_id(key.id())
        .send()
        .await;
    let rotation = rotation.expect("rotation");
    assert!(rotation.key_rotation_enabled());
    assert_eq!(rotation.rotation_period_in_days(), Some(180));
    let text = env
        .kms
        .get_key_policy()
        .key_id(key.id())
        .policy_name("default")
        .send()
        .await;
    let doc: Value =
        serde_json::from_str(text.expect("policy").policy().unwrap_or("{}")).expect("json");
    assert_eq!(doc["Id"], json!("app"));
    env.assert_present(&key).await;
    // A period changed outside the template shows as drift.
    let request = env.kms.enable_key_rotation().key_id(key.id());
    request
        .rotation_period_in_days(200)
        .send()
        .await
        .expect("rotation");
    let seen = env.read_all(&[&key]).await.remove("App.Key");
    let Some(Observation::Present { properties, .. }) = seen else {
        panic!("{seen:?}")
    };
    assert_eq!(properties["RotationPeriodInDays"], json!(200));
    assert_eq!(env.find_id(&key).await.as_deref(), Some(key.id()));
    assert_eq!(env.find_as(&key, "other-stack").await, None);

    let key = env
        .update(
            &key,
            json!({"Description": "app data, v2", "Enabled": false, "EnableKeyRotation": false,
                "PendingWindowInDays": 8, "Tags": [{"Key": "team", "Value": "b"}]}),
        )
        .await;
    let meta = env
        .kms
        .describe_key()
        .key_id(key.id())
        .send()
        .await
        .expect("describe");
    let meta = meta.key_metadata().expect("metadata");
    assert_eq!(meta.description(), Some("app data, v2"));
    assert!(!meta.enabled());
    let rotation = env
        .kms
        .get_key_rotation_status()
        .key_id(key.id())
        .send()
        .await;
    assert!(!rotation.expect("rotation").key_rotation_enabled());
    // The policy removed from the template: CloudFormation's default, the account root has kms:*.
    let text = env
        .kms
        .get_key_policy()
        .key_id(key.id())
        .policy_name("default")
        .send()
        .await;
    let doc: Value =
        serde_json::from_str(text.expect("policy").policy().unwrap_or("{}")).expect("json");
    assert_eq!(
        doc["Statement"][0]["Principal"]["AWS"],
        json!("arn:aws:iam::123456789012:root")
    );
    assert_eq!(doc["Statement"][0]["Action"], json!("kms:*"));
    env.assert_present(&key).await;

    // KeySpec cannot change: the update fails, as CloudFormation's does.
    let mut asymmetric = key.properties.clone();
    asymmetric["KeySpec"] = json!("RSA_2048");
    let err = env
        .try_update(&key, asymmetric)
        .await
        .expect_err("immutable");
    assert!(err.message.contains("KeySpec of key"), "{err}");

    env.delete(&key).await;
    let meta = env
        .kms
        .describe_key()
        .key_id(key.id())
        .send()
        .await
        .expect("describe");
    let meta = meta.key_metadata().expect("metadata");
    assert_eq!(
        meta.key_state().map(|s| s.as_str()),
        Some("PendingDeletion")
    );
    env.assert_gone(&key).await;
    assert_eq!(
        env.find_id(&key).await,
        None,
        "a key pending deletion is never adopted"
    );
    env.delete(&key).await; // idempotent

    // Without PendingWindowInDays the shortest window, 7 days.
    let short = env.create("App.Short", KEY, json!({})).await;
    env.delete(&short).await;
    let meta = env
        .kms
        .describe_key()
        .key_id(short.id())
        .send()
        .await
        .expect("describe");
    let meta = meta.key_metadata().expect("metadata");
    let (deleting, created) = (meta.deletion_date(), meta.creation_date());
    let days = deleting.map(|d| d.secs()).unwrap_or_default()
        - created.map(|d| d.secs()).unwrap_or_default();
    assert!((6 * 86_400..8 * 86_400).contains(&days), "{days} s");
}

#[tokio::test(flavor = "multi_thread")]
async fn alias_is_created_read_updated_found_and_deleted() {
    let env = Env::new("cfg-alias");
    let first = env.create("App.First", KEY, json!({})).await;
    let second = env.create("App.Second", KEY, json!({})).await;
    let arn = first.out.attributes["Arn"].clone();
    let alias = env
        .create(
            "App.Alias",
            ALIAS,
            json!({"AliasName": "alias/cfg-alias/app", "TargetKeyId": arn}),
        )
        .await;
    assert_eq!(alias.id(), "alias/cfg-alias/app");
    assert!(alias.out.attributes.is_empty());
    let target = |env: &Env| {
        let kms = env.kms.clone();
        async move {
            let listed = kms.list_aliases().send().await.expect("aliases");
            let found = listed
                .aliases()
                .iter()
                .find(|a| a.alias_name() == Some("alias/cfg-alias/app"));
            found.and_then(|a| a.target_key_id()).map(str::to_owned)
        }
    };
    assert_eq!(target(&env).await.as_deref(), Some(first.id()));
    env.assert_present(&alias).await;
    let again = env
        .create("App.Alias", ALIAS, alias.properties.clone())
        .await;
    assert_eq!(
        again.out, alias.out,
        "a create sent again adopts its own alias"
    );
    assert_eq!(env.find_id(&alias).await.as_deref(), Some(alias.id()));

    let alias = env
        .update(
            &alias,
            json!({"AliasName": "alias/cfg-alias/app", "TargetKeyId": second.id()}),
        )
        .await;
    assert_eq!(target(&env).await.as_deref(), Some(second.id()));
    env.assert_present(&alias).await;
    // The name now points at another key than the one this create names.
    let mut other = alias.properties.clone();
    other["TargetKeyId"] = json!(first.id());
    let err = env
        .try_create("App.Alias", ALIAS, other)
        .await
        .expect_err("taken");
    assert!(err.message.contains("points at another key"), "{err}");

    env.delete(&alias).await;
    assert_eq!(target(&env).await, None);
    env.assert_gone(&alias).await;
    env.delete(&alias).await; // idempotent
    env.delete(&first).await;
    env.delete(&second).await;
}
