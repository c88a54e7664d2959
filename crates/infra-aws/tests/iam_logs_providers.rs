//! The IAM and CloudWatch Logs providers against the AWS API emulator (moto server;
//! `scripts/setup-emulator`), every check made through the AWS API itself.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use infra_aws::provider::{
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, Providers, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::providers::{iam, logs};
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};
use support::Emulator;

const ECS_TASK_EXECUTION: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

async fn config() -> SdkConfig {
    let settings = AwsSettings {
        region: Some(support::REGION.into()),
        profile: None,
        endpoint_url: Some(Emulator::shared().endpoint.clone()),
    };
    load_config(&settings)
        .await
        .unwrap_or_else(|e| panic!("load_config: {e}"))
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "emulator",
        )))
        .build()
}

struct Env {
    iam: aws_sdk_iam::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    providers: Providers,
}

impl Env {
    async fn new() -> Env {
        let config = config().await;
        let iam_client = aws_sdk_iam::Client::new(&config);
        let logs_client = aws_sdk_cloudwatchlogs::Client::new(&config);
        let mut providers = Providers::default();
        iam::register(&mut providers, &iam_client);
        logs::register(&mut providers, &logs_client);
        Env {
            iam: iam_client,
            logs: logs_client,
            providers,
        }
    }

    fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    async fn create(
        &self,
        type_name: &str,
        address: &str,
        properties: Value,
        generated: Option<&str>,
    ) -> ResourceOutput {
        self.provider(type_name)
            .create(&create_input(type_name, address, properties, generated))
            .await
            .unwrap_or_else(|e| panic!("create {address}: {e} ({:?})", e.class))
    }

    async fn update(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        before: &Value,
        after: &Value,
    ) -> ResourceOutput {
        self.provider(type_name)
            .update(&UpdateInput {
                address: address.into(),
                type_name: type_name.into(),
                physical_id: out.physical_id.clone(),
                before: before.clone(),
                after: after.clone(),
                attributes: out.attributes.clone(),
                tags: infra_tags(address),
            })
            .await
            .unwrap_or_else(|e| panic!("update {address}: {e} ({:?})", e.class))
    }

    async fn delete(&self, type_name: &str, address: &str, physical_id: &str, properties: &Value) {
        self.provider(type_name)
            .delete(&DeleteInput {
                address: address.into(),
                type_name: type_name.into(),
                physical_id: physical_id.into(),
                properties: properties.clone(),
                attributes: BTreeMap::new(),
            })
            .await
            .unwrap_or_else(|e| panic!("delete {address}: {e} ({:?})", e.class));
    }

    /// Reads one resource.
    async fn read(
        &self,
        type_name: &str,
        address: &str,
        physical_id: &str,
        properties: &Value,
    ) -> Observation {
        let items = [ReadInput {
            address: address.into(),
            type_name: String::new(),
            physical_id: physical_id.into(),
            properties: properties.clone(),
            attributes: BTreeMap::new(),
        }];
        let mut got = self
            .provider(type_name)
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("read {address}: {e} ({:?})", e.class));
        assert_eq!(got.len(), 1, "{got:?}");
        got.remove(address)
            .unwrap_or_else(|| panic!("no observation for {address}: {got:?}"))
    }

    async fn role_exists(&self, name: &str) -> bool {
        match self.iam.get_role().role_name(name).send().await {
            Ok(_) => true,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) =>
            {
                false
            }
            Err(e) => panic!("GetRole {name}: {e:?}"),
        }
    }

    async fn inline_policies(&self, role: &str) -> BTreeSet<String> {
        let out = self
            .iam
            .list_role_policies()
            .role_name(role)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListRolePolicies {role}: {e:?}"));
        out.policy_names().iter().cloned().collect()
    }

    async fn inline_document(&self, role: &str, policy: &str) -> Value {
        let out = self
            .iam
            .get_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GetRolePolicy {role} {policy}: {e:?}"));
        document(out.policy_document())
    }

    async fn attached(&self, role: &str) -> BTreeSet<String> {
        let out = self
            .iam
            .list_attached_role_policies()
            .role_name(role)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListAttachedRolePolicies {role}: {e:?}"));
        out.attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect()
    }

    async fn role_tags(&self, role: &str) -> BTreeMap<String, String> {
        let out = self
            .iam
            .list_role_tags()
            .role_name(role)
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListRoleTags {role}: {e:?}"));
        out.tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    }
}

/// A policy document as IAM returns it: AWS percent-encodes every document it returns (RFC
/// 3986); moto encodes only trust policies and returns inline policy documents plain, which
/// decoding leaves as they are.
fn document(text: &str) -> Value {
    let decoded = percent_decode(text);
    serde_json::from_str(&decoded).unwrap_or_else(|e| panic!("policy document {decoded}: {e}"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn infra_tags(address: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("infra:stack".to_owned(), "itest".to_owned()),
        ("infra:address".to_owned(), address.to_owned()),
    ])
}

fn create_input(
    type_name: &str,
    address: &str,
    properties: Value,
    generated: Option<&str>,
) -> CreateInput {
    CreateInput {
        address: address.into(),
        type_name: type_name.into(),
        properties,
        tags: infra_tags(address),
        generated_name: generated.map(str::to_owned),
        checkpoint: Default::default(),
    }
}

fn trust(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole"
        }]
    })
}

fn allow(action: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]
    })
}

fn present(observation: Observation) -> (Value, BTreeMap<String, Value>) {
    match observation {
        Observation::Present {
            properties,
            attributes,
        } => (properties, attributes),
        Observation::Gone => panic!("expected the resource to be present"),
    }
}

/// A role for the tests that only need one.
async fn plain_role(env: &Env, name: &str) -> ResourceOutput {
    env.create(
        "AWS::IAM::Role",
        &format!("Roles.{name}"),
        json!({"AssumeRolePolicyDocument": trust("ec2.amazonaws.com")}),
        Some(name),
    )
    .await
}

#[tokio::test]
async fn role_with_managed_and_inline_policies_applies_updates_and_destroys() {
    let env = Env::new().await;
    let address = "Service.TaskExecutionRole";
    let name = "itest-TaskExecutionRole-A1B2C3";
    let before = json!({
        "AssumeRolePolicyDocument": trust("ecs-tasks.amazonaws.com"),
        "Description": "task execution",
        "MaxSessionDuration": "7200",
        "ManagedPolicyArns": [ECS_TASK_EXECUTION],
        "Policies": [{
            "PolicyName": "logs",
            // A JSON string, as templates often write it.
            "PolicyDocument": "{ \"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"logs:PutLogEvents\", \"Resource\": \"*\"}] }"
        }],
        "Tags": [{"Key": "team", "Value": "platform"}]
    });
    let out = env
        .create("AWS::IAM::Role", address, before.clone(), Some(name))
        .await;

    // Ref is the name; GetAtt Arn and RoleId.
    assert_eq!(out.physical_id, name);
    let arn = out.attributes["Arn"].as_str().unwrap_or_default();
    assert_eq!(
        arn,
        format!("arn:aws:iam::{}:role/{name}", support::ACCOUNT_ID)
    );
    assert!(
        out.attributes["RoleId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    // As IAM sees it.
    assert_eq!(
        env.attached(name).await,
        BTreeSet::from([ECS_TASK_EXECUTION.to_owned()])
    );
    assert_eq!(
        env.inline_policies(name).await,
        BTreeSet::from(["logs".to_owned()])
    );
    let doc = env.inline_document(name, "logs").await;
    assert_eq!(
        doc["Version"],
        json!("2012-10-17"),
        "Version stays a string: {doc}"
    );
    assert_eq!(doc, allow("logs:PutLogEvents"));
    let tags = env.role_tags(name).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("platform"));
    assert_eq!(tags.get("infra:stack").map(String::as_str), Some("itest"));
    assert_eq!(tags.get("infra:address").map(String::as_str), Some(address));
    let role = env
        .iam
        .get_role()
        .role_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetRole: {e:?}"))
        .role
        .unwrap_or_else(|| panic!("no role"));
    assert_eq!(role.max_session_duration(), Some(7200));
    assert_eq!(role.description(), Some("task execution"));
    assert_eq!(
        document(role.assume_role_policy_document().unwrap_or_default()),
        trust("ecs-tasks.amazonaws.com")
    );

    // Refresh reports exactly what was applied: no drift.
    let (props, attrs) = present(env.read("AWS::IAM::Role", address, name, &before).await);
    assert_eq!(props, before);
    assert_eq!(attrs, out.attributes);

    // A create retried by the engine (say after an eventual-consistency error) adopts the role
    // its earlier attempt made instead of failing on the name.
    let again = env
        .create("AWS::IAM::Role", address, before.clone(), Some(name))
        .await;
    assert_eq!(again, out);
    // ...but never a role some other resource made.
    let err = env
        .provider("AWS::IAM::Role")
        .create(&create_input(
            "AWS::IAM::Role",
            "Other.Role",
            before.clone(),
            Some(name),
        ))
        .await
        .expect_err("the name is taken");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains("Other.Role") && err.message.contains(name),
        "{}",
        err.message
    );

    // Update in place: a second inline policy, a new trust policy, other tags, no description.
    let after = json!({
        "AssumeRolePolicyDocument": trust("ec2.amazonaws.com"),
        "MaxSessionDuration": 3600,
        "ManagedPolicyArns": [ECS_TASK_EXECUTION],
        "Policies": [
            {"PolicyName": "logs", "PolicyDocument": allow("logs:PutLogEvents")},
            {"PolicyName": "s3", "PolicyDocument": allow("s3:GetObject")}
        ],
        "Tags": [{"Key": "team", "Value": "payments"}, {"Key": "env", "Value": "test"}]
    });
    let updated = env
        .update("AWS::IAM::Role", address, &out, &before, &after)
        .await;
    assert_eq!(updated, out, "same role, same attributes");
    assert_eq!(
        env.inline_policies(name).await,
        BTreeSet::from(["logs".to_owned(), "s3".to_owned()])
    );
    assert_eq!(env.inline_document(name, "s3").await, allow("s3:GetObject"));
    let role = env
        .iam
        .get_role()
        .role_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetRole: {e:?}"))
        .role
        .unwrap_or_else(|| panic!("no role"));
    assert_eq!(
        document(role.assume_role_policy_document().unwrap_or_default()),
        trust("ec2.amazonaws.com")
    );
    assert_eq!(role.max_session_duration(), Some(3600));
    assert!(
        role.description().is_none_or(str::is_empty),
        "{:?}",
        role.description()
    );
    let tags = env.role_tags(name).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("payments"));
    assert_eq!(tags.get("env").map(String::as_str), Some("test"));
    assert_eq!(tags.get("infra:address").map(String::as_str), Some(address));
    let (props, _) = present(env.read("AWS::IAM::Role", address, name, &after).await);
    assert_eq!(props, after);

    // Drift made outside infra shows in refresh.
    env.iam
        .detach_role_policy()
        .role_name(name)
        .policy_arn(ECS_TASK_EXECUTION)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DetachRolePolicy: {e:?}"));
    let (props, _) = present(env.read("AWS::IAM::Role", address, name, &after).await);
    assert_eq!(props["ManagedPolicyArns"], json!([]));
    env.iam
        .attach_role_policy()
        .role_name(name)
        .policy_arn(ECS_TASK_EXECUTION)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AttachRolePolicy: {e:?}"));

    // Destroy: nothing left, and a second delete is fine.
    env.delete("AWS::IAM::Role", address, name, &after).await;
    assert!(!env.role_exists(name).await);
    assert_eq!(
        env.read("AWS::IAM::Role", address, name, &after).await,
        Observation::Gone
    );
    env.delete("AWS::IAM::Role", address, name, &after).await;
}

#[tokio::test]
async fn role_delete_clears_what_iam_requires_first() {
    let env = Env::new().await;
    let name = "itest-CrowdedRole-Q9W8E7";
    let out = plain_role(&env, name).await;
    // Things added outside the role's own properties: an instance profile, a managed policy,
    // an inline policy.
    env.iam
        .create_instance_profile()
        .instance_profile_name("itest-crowded-profile")
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateInstanceProfile: {e:?}"));
    env.iam
        .add_role_to_instance_profile()
        .instance_profile_name("itest-crowded-profile")
        .role_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AddRoleToInstanceProfile: {e:?}"));
    env.iam
        .attach_role_policy()
        .role_name(name)
        .policy_arn(ECS_TASK_EXECUTION)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AttachRolePolicy: {e:?}"));
    env.iam
        .put_role_policy()
        .role_name(name)
        .policy_name("extra")
        .policy_document(allow("s3:ListBucket").to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutRolePolicy: {e:?}"));

    env.delete(
        "AWS::IAM::Role",
        "Roles.Crowded",
        &out.physical_id,
        &json!({}),
    )
    .await;
    assert!(!env.role_exists(name).await);
    let profile = env
        .iam
        .get_instance_profile()
        .instance_profile_name("itest-crowded-profile")
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetInstanceProfile: {e:?}"));
    assert!(
        profile
            .instance_profile
            .is_some_and(|p| p.roles().is_empty())
    );
    env.iam
        .delete_instance_profile()
        .instance_profile_name("itest-crowded-profile")
        .send()
        .await
        .unwrap_or_else(|e| panic!("DeleteInstanceProfile: {e:?}"));
}

#[tokio::test]
async fn instance_profile_holds_the_role_and_goes_away() {
    let env = Env::new().await;
    let role = plain_role(&env, "itest-InstanceRole-Z1X2C3").await;
    let other = plain_role(&env, "itest-OtherRole-V4B5N6").await;
    let address = "Cluster.EC2InstanceProfile";
    let name = "itest-EC2InstanceProfile-M7N8B9";
    let before = json!({"Path": "/", "Roles": [role.physical_id]});
    let out = env
        .create(
            "AWS::IAM::InstanceProfile",
            address,
            before.clone(),
            Some(name),
        )
        .await;

    assert_eq!(out.physical_id, name);
    assert_eq!(
        out.attributes["Arn"],
        json!(format!(
            "arn:aws:iam::{}:instance-profile/{name}",
            support::ACCOUNT_ID
        ))
    );
    let profile = env
        .iam
        .get_instance_profile()
        .instance_profile_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetInstanceProfile: {e:?}"))
        .instance_profile
        .unwrap_or_else(|| panic!("no profile"));
    let roles: Vec<&str> = profile.roles().iter().map(|r| r.role_name()).collect();
    assert_eq!(roles, vec![role.physical_id.as_str()]);
    let (props, attrs) = present(
        env.read("AWS::IAM::InstanceProfile", address, name, &before)
            .await,
    );
    assert_eq!(props, before);
    assert_eq!(attrs, out.attributes);

    // Swap the role in place.
    let after = json!({"Path": "/", "Roles": [other.physical_id]});
    env.update("AWS::IAM::InstanceProfile", address, &out, &before, &after)
        .await;
    let (props, _) = present(
        env.read("AWS::IAM::InstanceProfile", address, name, &after)
            .await,
    );
    assert_eq!(props, after);

    // More than one role is refused before anything is sent, naming the property.
    let err = env
        .provider("AWS::IAM::InstanceProfile")
        .create(&create_input(
            "AWS::IAM::InstanceProfile",
            "Cluster.Two",
            json!({"Roles": [role.physical_id, other.physical_id]}),
            Some("itest-two-roles"),
        ))
        .await
        .expect_err("two roles");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(err.message.contains("Roles"), "{}", err.message);

    env.delete("AWS::IAM::InstanceProfile", address, name, &after)
        .await;
    assert_eq!(
        env.read("AWS::IAM::InstanceProfile", address, name, &after)
            .await,
        Observation::Gone
    );
    env.delete("AWS::IAM::InstanceProfile", address, name, &after)
        .await;
    for r in [&role, &other] {
        env.delete("AWS::IAM::Role", "Roles.x", &r.physical_id, &json!({}))
            .await;
        assert!(!env.role_exists(&r.physical_id).await);
    }
}

#[tokio::test]
async fn managed_policy_versions_attachments_and_deletion() {
    let env = Env::new().await;
    let role = plain_role(&env, "itest-PolicyHolder-L0K9J8").await;
    let address = "Service.ManagedPolicy";
    let name = "itest-ManagedPolicy-H7G6F5";
    let before = json!({
        "Description": "read things",
        "Path": "/itest/",
        "PolicyDocument": allow("s3:GetObject"),
        "Roles": [role.physical_id]
    });
    let out = env
        .create(
            "AWS::IAM::ManagedPolicy",
            address,
            before.clone(),
            Some(name),
        )
        .await;

    // Ref is the ARN.
    let arn = format!("arn:aws:iam::{}:policy/itest/{name}", support::ACCOUNT_ID);
    assert_eq!(out.physical_id, arn);
    assert_eq!(out.attributes["PolicyArn"], json!(arn));
    assert_eq!(out.attributes["DefaultVersionId"], json!("v1"));
    assert_eq!(out.attributes["AttachmentCount"], json!(1));
    assert_eq!(out.attributes["IsAttachable"], json!(true));
    assert!(
        out.attributes["PolicyId"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        out.attributes["CreateDate"]
            .as_str()
            .is_some_and(|s| s.contains('T'))
    );
    assert_eq!(
        env.attached(&role.physical_id).await,
        BTreeSet::from([arn.clone()])
    );
    let (props, _) = present(
        env.read("AWS::IAM::ManagedPolicy", address, &arn, &before)
            .await,
    );
    assert_eq!(props, before);

    // Each document change is a new default version; IAM keeps five, so the oldest
    // non-default one goes first.
    let mut previous = before.clone();
    for (i, action) in [
        "s3:PutObject",
        "s3:ListBucket",
        "s3:DeleteObject",
        "s3:GetBucketTagging",
        "s3:GetObjectTagging",
        "s3:PutObjectTagging",
    ]
    .iter()
    .enumerate()
    {
        let next = json!({
            "Description": "read things",
            "Path": "/itest/",
            "PolicyDocument": allow(action),
            "Roles": [role.physical_id]
        });
        let updated = env
            .update("AWS::IAM::ManagedPolicy", address, &out, &previous, &next)
            .await;
        assert_eq!(updated.physical_id, arn);
        assert_eq!(
            updated.attributes["DefaultVersionId"],
            json!(format!("v{}", i + 2))
        );
        previous = next;
    }
    let versions = env
        .iam
        .list_policy_versions()
        .policy_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ListPolicyVersions: {e:?}"));
    let ids: BTreeSet<&str> = versions
        .versions()
        .iter()
        .filter_map(|v| v.version_id())
        .collect();
    assert_eq!(ids, BTreeSet::from(["v3", "v4", "v5", "v6", "v7"]));
    let (props, _) = present(
        env.read("AWS::IAM::ManagedPolicy", address, &arn, &previous)
            .await,
    );
    assert_eq!(props, previous);

    // Detach from the role in place.
    let detached = json!({
        "Description": "read things",
        "Path": "/itest/",
        "PolicyDocument": allow("s3:PutObjectTagging")
    });
    env.update(
        "AWS::IAM::ManagedPolicy",
        address,
        &out,
        &previous,
        &detached,
    )
    .await;
    assert!(env.attached(&role.physical_id).await.is_empty());

    // Delete detaches from everything (attached again here, outside infra) and removes the
    // older versions first, as IAM requires.
    env.iam
        .attach_role_policy()
        .role_name(&role.physical_id)
        .policy_arn(&arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AttachRolePolicy: {e:?}"));
    env.delete("AWS::IAM::ManagedPolicy", address, &arn, &detached)
        .await;
    assert!(env.attached(&role.physical_id).await.is_empty());
    assert_eq!(
        env.read("AWS::IAM::ManagedPolicy", address, &arn, &detached)
            .await,
        Observation::Gone
    );
    env.delete("AWS::IAM::ManagedPolicy", address, &arn, &detached)
        .await;
    env.delete("AWS::IAM::Role", "Roles.x", &role.physical_id, &json!({}))
        .await;
}

#[tokio::test]
async fn inline_policy_resource_on_a_role() {
    let env = Env::new().await;
    let role = plain_role(&env, "itest-PolicyTarget-P0O9I8").await;
    let address = "Service.TaskPolicy";
    let before = json!({
        "PolicyName": "task-access",
        "PolicyDocument": allow("sqs:SendMessage"),
        "Roles": [role.physical_id]
    });
    let out = env
        .create("AWS::IAM::Policy", address, before.clone(), None)
        .await;
    assert!(
        out.physical_id.starts_with("task-access-"),
        "{}",
        out.physical_id
    );
    assert_eq!(out.attributes["Id"], json!(out.physical_id));
    assert_eq!(
        env.inline_document(&role.physical_id, "task-access").await,
        allow("sqs:SendMessage")
    );
    let (props, _) = present(
        env.read("AWS::IAM::Policy", address, &out.physical_id, &before)
            .await,
    );
    assert_eq!(props, before);

    // A principal that does not exist (yet) is eventual consistency for the engine to retry.
    let err = env
        .provider("AWS::IAM::Policy")
        .create(&create_input(
            "AWS::IAM::Policy",
            "Service.Early",
            json!({"PolicyName": "p", "PolicyDocument": allow("s3:*"), "Roles": ["itest-not-yet"]}),
            None,
        ))
        .await
        .expect_err("no such role");
    assert_eq!(
        err.class,
        FailureClass::EventuallyConsistent,
        "{}",
        err.message
    );
    assert!(
        err.message.contains("PutRolePolicy") && err.message.contains("NoSuchEntity"),
        "{}",
        err.message
    );

    // Rename and change the document in place.
    let after = json!({
        "PolicyName": "task-access-v2",
        "PolicyDocument": allow("sqs:ReceiveMessage"),
        "Roles": [role.physical_id]
    });
    let updated = env
        .update("AWS::IAM::Policy", address, &out, &before, &after)
        .await;
    assert_eq!(updated.physical_id, out.physical_id);
    assert_eq!(
        env.inline_policies(&role.physical_id).await,
        BTreeSet::from(["task-access-v2".to_owned()])
    );
    assert_eq!(
        env.inline_document(&role.physical_id, "task-access-v2")
            .await,
        allow("sqs:ReceiveMessage")
    );

    env.delete("AWS::IAM::Policy", address, &out.physical_id, &after)
        .await;
    assert!(env.inline_policies(&role.physical_id).await.is_empty());
    assert_eq!(
        env.read("AWS::IAM::Policy", address, &out.physical_id, &after)
            .await,
        Observation::Gone
    );
    env.delete("AWS::IAM::Policy", address, &out.physical_id, &after)
        .await;
    env.delete("AWS::IAM::Role", "Roles.x", &role.physical_id, &json!({}))
        .await;
}

#[tokio::test]
async fn log_group_with_retention_and_tags() {
    let env = Env::new().await;
    let address = "Service.LogGroup";
    let name = "itest-LogGroup-R5T6Y7";
    let before = json!({
        "RetentionInDays": 7,
        "Tags": [{"Key": "team", "Value": "platform"}]
    });
    let out = env
        .create("AWS::Logs::LogGroup", address, before.clone(), Some(name))
        .await;

    // Ref is the name; GetAtt Arn ends in `:*`, as CloudFormation returns it.
    assert_eq!(out.physical_id, name);
    assert_eq!(
        out.attributes["Arn"],
        json!(format!(
            "arn:aws:logs:{}:{}:log-group:{name}:*",
            support::REGION,
            support::ACCOUNT_ID
        ))
    );
    let group = describe(&env, name)
        .await
        .unwrap_or_else(|| panic!("no log group {name}"));
    assert_eq!(group.retention_in_days(), Some(7));
    let tags = log_tags(&env, name).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("platform"));
    assert_eq!(tags.get("infra:address").map(String::as_str), Some(address));
    let (props, attrs) = present(
        env.read("AWS::Logs::LogGroup", address, name, &before)
            .await,
    );
    assert_eq!(props, before);
    assert_eq!(attrs, out.attributes);

    // Retention changed, then removed (never expire); tags changed.
    let changed = json!({"RetentionInDays": 30, "Tags": [{"Key": "team", "Value": "payments"}]});
    env.update("AWS::Logs::LogGroup", address, &out, &before, &changed)
        .await;
    assert_eq!(
        describe(&env, name)
            .await
            .and_then(|g| g.retention_in_days()),
        Some(30)
    );
    assert_eq!(
        log_tags(&env, name).await.get("team").map(String::as_str),
        Some("payments")
    );
    let removed = json!({"Tags": [{"Key": "team", "Value": "payments"}]});
    env.update("AWS::Logs::LogGroup", address, &out, &changed, &removed)
        .await;
    assert_eq!(
        describe(&env, name)
            .await
            .and_then(|g| g.retention_in_days()),
        None
    );
    let (props, _) = present(
        env.read("AWS::Logs::LogGroup", address, name, &removed)
            .await,
    );
    assert_eq!(props, removed);

    // An explicit name, read in one batch with the first and with one that does not exist.
    let named = "/itest/explicit";
    let explicit = json!({"LogGroupName": named});
    env.create(
        "AWS::Logs::LogGroup",
        "Service.Named",
        explicit.clone(),
        Some("ignored"),
    )
    .await;
    let items = [
        ReadInput {
            address: address.into(),
            type_name: String::new(),
            physical_id: name.into(),
            properties: removed.clone(),
            attributes: BTreeMap::new(),
        },
        ReadInput {
            address: "Service.Named".into(),
            type_name: String::new(),
            physical_id: named.into(),
            properties: explicit.clone(),
            attributes: BTreeMap::new(),
        },
        ReadInput {
            address: "Service.Missing".into(),
            type_name: String::new(),
            physical_id: "/itest/missing".into(),
            properties: json!({}),
            attributes: BTreeMap::new(),
        },
    ];
    let got = env
        .provider("AWS::Logs::LogGroup")
        .read(&items)
        .await
        .unwrap_or_else(|e| panic!("read: {e}"));
    assert_eq!(got.len(), 3);
    assert_eq!(got["Service.Missing"], Observation::Gone);
    assert_eq!(present(got["Service.Named"].clone()).0, explicit);

    for (addr, id) in [(address, name), ("Service.Named", named)] {
        env.delete("AWS::Logs::LogGroup", addr, id, &json!({}))
            .await;
        assert!(describe(&env, id).await.is_none());
        assert_eq!(
            env.read("AWS::Logs::LogGroup", addr, id, &json!({})).await,
            Observation::Gone
        );
        env.delete("AWS::Logs::LogGroup", addr, id, &json!({}))
            .await;
    }
}

#[tokio::test]
async fn reads_of_what_never_existed_are_gone() {
    let env = Env::new().await;
    let cases = [
        (
            "AWS::IAM::Role",
            "itest-never-role".to_owned(),
            json!({"AssumeRolePolicyDocument": trust("ec2.amazonaws.com")}),
        ),
        (
            "AWS::IAM::InstanceProfile",
            "itest-never-profile".to_owned(),
            json!({"Roles": ["x"]}),
        ),
        (
            "AWS::IAM::ManagedPolicy",
            format!("arn:aws:iam::{}:policy/itest-never", support::ACCOUNT_ID),
            json!({"PolicyDocument": allow("s3:*")}),
        ),
        (
            "AWS::IAM::Policy",
            "never-ABC".to_owned(),
            json!({"PolicyName": "never", "PolicyDocument": allow("s3:*"), "Roles": ["itest-never-role"]}),
        ),
        ("AWS::Logs::LogGroup", "/itest/never".to_owned(), json!({})),
    ];
    for (type_name, id, props) in cases {
        assert_eq!(
            env.read(type_name, "Never.Here", &id, &props).await,
            Observation::Gone,
            "{type_name}"
        );
        // Deleting what is not there is success.
        env.delete(type_name, "Never.Here", &id, &props).await;
    }
}

async fn describe(env: &Env, name: &str) -> Option<aws_sdk_cloudwatchlogs::types::LogGroup> {
    // moto ignores `logGroupIdentifiers`; the prefix and an exact match work on both.
    let out = env
        .logs
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeLogGroups: {e:?}"));
    out.log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(name))
        .cloned()
}

async fn log_tags(env: &Env, name: &str) -> BTreeMap<String, String> {
    let arn = format!(
        "arn:aws:logs:{}:{}:log-group:{name}",
        support::REGION,
        support::ACCOUNT_ID
    );
    let out = env
        .logs
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ListTagsForResource: {e:?}"));
    out.tags()
        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

impl Env {
    async fn find(&self, input: &FindInput) -> Option<ResourceOutput> {
        self.provider(&input.type_name)
            .find(input)
            .await
            .unwrap_or_else(|e| panic!("find {}: {e} ({:?})", input.address, e.class))
    }

    /// Creates through the provider and checks `find` around it: nothing before the create;
    /// after it, exactly what the create returned; nothing for another address's tags, or,
    /// for the untaggable `AWS::IAM::Policy`, for the natural key in `other` (properties).
    async fn create_found(
        &self,
        type_name: &str,
        address: &str,
        properties: Value,
        name: Option<&str>,
        other: Option<Value>,
    ) -> (FindInput, ResourceOutput) {
        let input = FindInput {
            address: address.into(),
            type_name: type_name.into(),
            properties: properties.clone(),
            tags: if type_name == "AWS::IAM::Policy" {
                BTreeMap::new()
            } else {
                infra_tags(address)
            },
            name: name.map(str::to_owned),
            replacing: None,
            checkpoint: Default::default(),
        };
        assert_eq!(self.find(&input).await, None, "{address} before its create");
        let out = self.create(type_name, address, properties, name).await;
        assert_eq!(self.find(&input).await.as_ref(), Some(&out), "{address}");
        let elsewhere = match other {
            Some(properties) => FindInput {
                properties,
                ..input.clone()
            },
            None => FindInput {
                tags: infra_tags("Other.Address"),
                ..input.clone()
            },
        };
        assert_eq!(self.find(&elsewhere).await, None, "{elsewhere:?}");
        // The object a replacement replaces is never the answer.
        let replaced = FindInput {
            replacing: Some(out.physical_id.clone()),
            checkpoint: Default::default(),
            ..input.clone()
        };
        assert_eq!(self.find(&replaced).await, None, "{replaced:?}");
        (input, out)
    }
}

#[tokio::test]
async fn find_returns_what_an_interrupted_create_made() {
    let env = Env::new().await;
    let role = env
        .create_found(
            "AWS::IAM::Role",
            "Find.Role",
            json!({"AssumeRolePolicyDocument": trust("ecs-tasks.amazonaws.com"),
                   "Tags": [{"Key": "team", "Value": "x"}]}),
            Some("itest-find-role"),
            None,
        )
        .await;
    let role_name = role.1.physical_id.clone();
    let profile = env
        .create_found(
            "AWS::IAM::InstanceProfile",
            "Find.Profile",
            json!({"Roles": [role_name]}),
            Some("itest-find-profile"),
            None,
        )
        .await;
    let managed = env
        .create_found(
            "AWS::IAM::ManagedPolicy",
            "Find.Managed",
            json!({"PolicyDocument": allow("s3:GetObject"), "Roles": [role_name]}),
            Some("itest-find-managed"),
            None,
        )
        .await;
    // The same name in the same role saying something else was not made by this create.
    let inline = |action: &str| json!({"PolicyName": "find-inline", "PolicyDocument": allow(action), "Roles": [role_name]});
    let policy = env
        .create_found(
            "AWS::IAM::Policy",
            "Find.Policy",
            inline("sqs:SendMessage"),
            None,
            Some(inline("sqs:DeleteQueue")),
        )
        .await;
    let group = env
        .create_found(
            "AWS::Logs::LogGroup",
            "Find.Logs",
            json!({"RetentionInDays": 7}),
            Some("itest-find-logs"),
            None,
        )
        .await;

    // Deleted: not found.
    for (input, out) in [group, policy, managed, profile, role] {
        env.delete(
            &input.type_name,
            &input.address,
            &out.physical_id,
            &input.properties,
        )
        .await;
        assert_eq!(
            env.find(&input).await,
            None,
            "{} after its delete",
            input.address
        );
    }
}
