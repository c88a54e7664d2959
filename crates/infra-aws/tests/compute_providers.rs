//! The compute providers (`AWS::EC2::LaunchTemplate`, `AWS::AutoScaling::AutoScalingGroup`,
//! `AWS::Lambda::Function`) against the AWS API emulator (moto server;
//! `scripts/setup-emulator`): create → read → update → delete → read for each, every check
//! made through the AWS API itself.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference. Tests share one emulator and use names of their own.

#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_autoscaling::operation::delete_auto_scaling_group::DeleteAutoScalingGroupInput;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use infra_aws::provider::{
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError, Providers,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::providers::compute;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};
use support::Emulator;

const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";
const GROUP: &str = "AWS::AutoScaling::AutoScalingGroup";
const FUNCTION: &str = "AWS::Lambda::Function";

/// One of moto's built-in images (moto does not validate image ids by default anyway).
const AMI: &str = "ami-03cf127a";

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

/// The `ForceDelete` flag of every DeleteAutoScalingGroup request the providers send.
#[derive(Debug, Default)]
struct ForceDeletes(Mutex<Vec<Option<bool>>>);

#[derive(Debug)]
struct RecordForceDelete(Arc<ForceDeletes>);

impl Intercept for RecordForceDelete {
    fn name(&self) -> &'static str {
        "RecordForceDelete"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(input) = context
            .input()
            .downcast_ref::<DeleteAutoScalingGroupInput>()
            && let Ok(mut seen) = self.0.0.lock()
        {
            seen.push(input.force_delete());
        }
        Ok(())
    }
}

struct Env {
    providers: Providers,
    ec2: aws_sdk_ec2::Client,
    autoscaling: aws_sdk_autoscaling::Client,
    lambda: aws_sdk_lambda::Client,
    iam: aws_sdk_iam::Client,
    force_deletes: Arc<ForceDeletes>,
    stack: String,
}

impl Env {
    async fn new(stack: &str) -> Env {
        let config = config().await;
        let force_deletes = Arc::new(ForceDeletes::default());
        let autoscaling = aws_sdk_autoscaling::Client::from_conf(
            aws_sdk_autoscaling::config::Builder::from(&config)
                .interceptor(RecordForceDelete(force_deletes.clone()))
                .build(),
        );
        let clients = compute::Clients {
            ec2: aws_sdk_ec2::Client::new(&config),
            autoscaling: autoscaling.clone(),
            lambda: aws_sdk_lambda::Client::new(&config),
        };
        let mut providers = Providers::default();
        let endpoint = Emulator::shared().endpoint.clone();
        compute::register_clients(&mut providers, &clients, &|_| endpoint.clone());
        Env {
            providers,
            ec2: clients.ec2,
            autoscaling,
            lambda: clients.lambda,
            iam: aws_sdk_iam::Client::new(&config),
            force_deletes,
            stack: stack.to_owned(),
        }
    }

    fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    fn infra_tags(&self, address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:stack".to_owned(), self.stack.clone()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    fn create_input(&self, type_name: &str, address: &str, properties: Value) -> CreateInput {
        CreateInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties,
            tags: self.infra_tags(address),
            generated_name: Some(format!("{}-{}-GEN", self.stack, address.replace('.', "-"))),
        }
    }

    async fn try_create(
        &self,
        type_name: &str,
        address: &str,
        properties: Value,
    ) -> Result<ResourceOutput, ProviderError> {
        self.provider(type_name)
            .create(&self.create_input(type_name, address, properties))
            .await
    }

    /// `find` as the engine calls it after an interrupted create of `address` (the tags of
    /// `tagged_as`, the name `create_input` generates, the object a replacement replaces).
    async fn find(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
        tagged_as: &str,
        replacing: Option<&str>,
    ) -> Option<ResourceOutput> {
        let create = self.create_input(type_name, address, properties.clone());
        self.provider(type_name)
            .find(&FindInput {
                address: create.address,
                type_name: create.type_name,
                properties: create.properties,
                tags: self.infra_tags(tagged_as),
                name: create.generated_name,
                replacing: replacing.map(str::to_owned),
            })
            .await
            .unwrap_or_else(|e| panic!("find {address}: {e} ({:?})", e.class))
    }

    /// Creates, checking `find` around it: nothing before the create; after it, what the create
    /// returned; nothing for another address's tags, nor when it is the object being replaced.
    async fn create_and_find(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
    ) -> ResourceOutput {
        let find =
            |tagged_as, replacing| self.find(type_name, address, properties, tagged_as, replacing);
        assert_eq!(find(address, None).await, None, "{address}: before");
        let out = self.create(type_name, address, properties.clone()).await;
        assert_eq!(find(address, None).await.as_ref(), Some(&out), "{address}");
        assert_eq!(find("Other.Address", None).await, None, "{address}");
        assert_eq!(
            find(address, Some(&out.physical_id)).await,
            None,
            "{address}"
        );
        out
    }

    async fn create(&self, type_name: &str, address: &str, properties: Value) -> ResourceOutput {
        self.try_create(type_name, address, properties)
            .await
            .unwrap_or_else(|e| panic!("create {address}: {e} ({:?})", e.class))
    }

    async fn read(
        &self,
        type_name: &str,
        items: &[(&str, &ResourceOutput, &Value)],
    ) -> BTreeMap<String, Observation> {
        let inputs: Vec<ReadInput> = items
            .iter()
            .map(|(address, out, properties)| ReadInput {
                address: (*address).to_owned(),
                physical_id: out.physical_id.clone(),
                properties: (*properties).clone(),
                attributes: out.attributes.clone(),
            })
            .collect();
        self.provider(type_name)
            .read(&inputs)
            .await
            .unwrap_or_else(|e| panic!("read {type_name}: {e}"))
    }

    async fn read_one(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        properties: &Value,
    ) -> Observation {
        self.read(type_name, &[(address, out, properties)])
            .await
            .remove(address)
            .unwrap_or_else(|| panic!("read reported nothing for {address}"))
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
                address: address.to_owned(),
                type_name: type_name.to_owned(),
                physical_id: out.physical_id.clone(),
                before: before.clone(),
                after: after.clone(),
                attributes: out.attributes.clone(),
                tags: self.infra_tags(address),
            })
            .await
            .unwrap_or_else(|e| panic!("update {address}: {e} ({:?})", e.class))
    }

    async fn delete(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        properties: &Value,
    ) -> Result<(), ProviderError> {
        self.provider(type_name)
            .delete(&DeleteInput {
                address: address.to_owned(),
                type_name: type_name.to_owned(),
                physical_id: out.physical_id.clone(),
                properties: properties.clone(),
                attributes: out.attributes.clone(),
            })
            .await
    }
}

fn present(observation: &Observation) -> (&Value, &BTreeMap<String, Value>) {
    match observation {
        Observation::Present {
            properties,
            attributes,
        } => (properties, attributes),
        Observation::Gone => panic!("expected the resource to be present"),
    }
}

fn attr<'a>(out: &'a ResourceOutput, name: &str) -> &'a str {
    out.attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no attribute {name} in {out:?}"))
}

fn launch_template_props(instance_type: &str) -> Value {
    json!({
        "LaunchTemplateData": {
            "ImageId": AMI,
            "InstanceType": instance_type,
            "UserData": "IyEvYmluL2Jhc2gKZWNobyBoaQo=",
            "BlockDeviceMappings": [
                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "VolumeType": "gp3"}}
            ],
            "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required"},
            "Monitoring": {"Enabled": false}
        },
        "TagSpecifications": [
            {"ResourceType": "launch-template", "Tags": [{"Key": "team", "Value": "compute"}]}
        ]
    })
}

/// A launch template's tags, from DescribeTags.
///
/// moto difference: moto's DescribeLaunchTemplates returns the tags the template was created
/// with, never those changed later by CreateTags / DeleteTags (AWS returns the current ones);
/// DescribeTags answers from the current tags on both.
async fn template_tags(env: &Env, id: &str) -> BTreeMap<String, String> {
    let out = env
        .ec2
        .describe_tags()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("resource-id")
                .values(id)
                .build(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeTags: {e:?}"));
    out.tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default().to_owned(),
                t.value().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_template_create_read_update_delete() {
    let env = Env::new("lt").await;
    let address = "ClusterStack.ContainerInstances";
    let props = launch_template_props("t3.micro");
    let out = env.create(LAUNCH_TEMPLATE, address, props.clone()).await;

    assert!(out.physical_id.starts_with("lt-"), "{out:?}");
    assert_eq!(attr(&out, "LaunchTemplateId"), out.physical_id);
    assert_eq!(attr(&out, "LatestVersionNumber"), "1");
    assert_eq!(attr(&out, "DefaultVersionNumber"), "1");
    let tags = template_tags(&env, &out.physical_id).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("compute"));
    assert_eq!(
        tags.get("infra:address").map(String::as_str),
        Some(address),
        "infra's tags go on the launch template too: {tags:?}"
    );
    let described = env
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(&out.physical_id)
        .versions("$Default")
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeLaunchTemplateVersions: {e:?}"));
    let data = described.launch_template_versions()[0]
        .launch_template_data()
        .expect("data");
    assert_eq!(data.image_id(), Some(AMI));
    assert_eq!(data.instance_type().map(|t| t.as_str()), Some("t3.micro"));
    assert_eq!(
        data.metadata_options()
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str()),
        Some("required")
    );

    // Read: the name and tags from AWS, the write-only data as last applied.
    let observation = env.read_one(LAUNCH_TEMPLATE, address, &out, &props).await;
    let (observed, attributes) = present(&observation);
    assert_eq!(observed["LaunchTemplateData"], props["LaunchTemplateData"]);
    assert_eq!(observed["TagSpecifications"], props["TagSpecifications"]);
    assert_eq!(attributes.get("LatestVersionNumber"), Some(&json!("1")));

    // Update: a new version that becomes the default; the tag change in place.
    let mut after = launch_template_props("t3.small");
    after["TagSpecifications"][0]["Tags"] = json!([{"Key": "team", "Value": "platform"}]);
    let updated = env
        .update(LAUNCH_TEMPLATE, address, &out, &props, &after)
        .await;
    assert_eq!(updated.physical_id, out.physical_id);
    assert_eq!(attr(&updated, "LatestVersionNumber"), "2");
    assert_eq!(attr(&updated, "DefaultVersionNumber"), "2");
    let described = env
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(&out.physical_id)
        .versions("$Default")
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeLaunchTemplateVersions: {e:?}"));
    let version = &described.launch_template_versions()[0];
    assert_eq!(version.version_number(), Some(2));
    assert_eq!(
        version
            .launch_template_data()
            .and_then(|d| d.instance_type())
            .map(|t| t.as_str()),
        Some("t3.small")
    );
    let tags = template_tags(&env, &out.physical_id).await;
    assert_eq!(tags.get("team").map(String::as_str), Some("platform"));
    assert!(
        tags.contains_key("infra:stack"),
        "infra's tags stay: {tags:?}"
    );

    // Delete, then it is gone; a second delete is fine.
    env.delete(LAUNCH_TEMPLATE, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    let observation = env
        .read_one(LAUNCH_TEMPLATE, address, &updated, &after)
        .await;
    assert_eq!(observation, Observation::Gone);
    env.delete(LAUNCH_TEMPLATE, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("second delete: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_template_batched_read_reports_each() {
    let env = Env::new("ltbatch").await;
    let a = env
        .create(LAUNCH_TEMPLATE, "A.LT", launch_template_props("t3.micro"))
        .await;
    let b = env
        .create(LAUNCH_TEMPLATE, "B.LT", launch_template_props("t3.micro"))
        .await;
    let props = launch_template_props("t3.micro");
    env.delete(LAUNCH_TEMPLATE, "B.LT", &b, &props)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    let seen = env
        .read(
            LAUNCH_TEMPLATE,
            &[("A.LT", &a, &props), ("B.LT", &b, &props)],
        )
        .await;
    assert!(matches!(seen["A.LT"], Observation::Present { .. }));
    assert_eq!(seen["B.LT"], Observation::Gone);
    env.delete(LAUNCH_TEMPLATE, "A.LT", &a, &props)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
}

/// A VPC with two subnets in two zones, made with the EC2 API directly.
async fn network(env: &Env) -> (String, Vec<String>) {
    let vpc = env
        .ec2
        .create_vpc()
        .cidr_block("10.42.0.0/16")
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateVpc: {e:?}"));
    let vpc_id = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .expect("vpc id")
        .to_owned();
    let mut subnets = Vec::new();
    for (cidr, zone) in [
        ("10.42.1.0/24", "us-east-1a"),
        ("10.42.2.0/24", "us-east-1b"),
    ] {
        let subnet = env
            .ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(cidr)
            .availability_zone(zone)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateSubnet: {e:?}"));
        subnets.push(
            subnet
                .subnet()
                .and_then(|s| s.subnet_id())
                .expect("subnet id")
                .to_owned(),
        );
    }
    (vpc_id, subnets)
}

async fn instance_state(env: &Env, id: &str) -> String {
    let out = env
        .ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeInstances: {e:?}"));
    out.reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| i.instance_id() == Some(id))
        .and_then(|i| i.state())
        .and_then(|s| s.name())
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|| "absent".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_scaling_group_from_a_launch_template_force_deleted() {
    let env = Env::new("asg").await;
    let (_vpc, subnets) = network(&env).await;
    let lt_props = launch_template_props("t3.micro");
    let lt = env
        .create(
            LAUNCH_TEMPLATE,
            "ClusterStack.ContainerInstances",
            lt_props.clone(),
        )
        .await;

    let address = "ClusterStack.ECSAutoScalingGroup";
    let props = json!({
        "VPCZoneIdentifier": subnets,
        "LaunchTemplate": {
            "LaunchTemplateId": lt.physical_id,
            "Version": attr(&lt, "LatestVersionNumber"),
        },
        "MinSize": 0,
        "MaxSize": "2",
        "DesiredCapacity": "1",
        "NewInstancesProtectedFromScaleIn": true,
        "HealthCheckGracePeriod": 60,
        "Tags": [{"Key": "team", "Value": "compute", "PropagateAtLaunch": true}]
    });
    let out = env.create(GROUP, address, props.clone()).await;
    let name = out.physical_id.clone();
    assert_eq!(name, "asg-ClusterStack-ECSAutoScalingGroup-GEN");
    assert!(
        attr(&out, "AutoScalingGroupARN").starts_with("arn:aws:autoscaling:"),
        "{out:?}"
    );
    assert_eq!(
        attr(&out, "LaunchTemplate.LaunchTemplateId"),
        lt.physical_id
    );

    // What AWS holds: the group, one protected instance in service, the tags.
    let groups = env
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeAutoScalingGroups: {e:?}"));
    let group = &groups.auto_scaling_groups()[0];
    assert_eq!(group.min_size(), Some(0));
    assert_eq!(group.max_size(), Some(2));
    assert_eq!(group.desired_capacity(), Some(1));
    assert_eq!(
        group.vpc_zone_identifier(),
        Some(subnets.join(",").as_str()),
        "the subnet list is sent comma-joined"
    );
    assert_eq!(group.new_instances_protected_from_scale_in(), Some(true));
    let instances = group.instances();
    assert_eq!(instances.len(), 1, "{instances:?}");
    assert_eq!(instances[0].protected_from_scale_in(), Some(true));
    let instance_id = instances[0].instance_id().expect("instance id").to_owned();
    let tags: BTreeMap<&str, (&str, Option<bool>)> = group
        .tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default(),
                (t.value().unwrap_or_default(), t.propagate_at_launch()),
            )
        })
        .collect();
    assert_eq!(tags.get("team"), Some(&("compute", Some(true))));
    assert_eq!(
        tags.get("infra:address"),
        Some(&(address, Some(true))),
        "infra's tags propagate at launch: {tags:?}"
    );

    // Read: properties as the template wrote them.
    let observation = env.read_one(GROUP, address, &out, &props).await;
    let (observed, attributes) = present(&observation);
    assert_eq!(observed["VPCZoneIdentifier"], props["VPCZoneIdentifier"]);
    assert_eq!(observed["MaxSize"], json!("2"));
    assert_eq!(observed["DesiredCapacity"], json!("1"));
    assert_eq!(observed["LaunchTemplate"], props["LaunchTemplate"]);
    assert_eq!(observed["NewInstancesProtectedFromScaleIn"], json!(true));
    assert_eq!(observed["Tags"], props["Tags"]);
    assert_eq!(attributes.get("AutoScalingGroupName"), Some(&json!(name)));

    // Update MaxSize in place.
    let mut after = props.clone();
    after["MaxSize"] = json!(3);
    let updated = env.update(GROUP, address, &out, &props, &after).await;
    assert_eq!(attr(&updated, "MaxSize"), "3");
    let groups = env
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeAutoScalingGroups: {e:?}"));
    assert_eq!(groups.auto_scaling_groups()[0].max_size(), Some(3));
    let observation = env.read_one(GROUP, address, &updated, &after).await;
    assert_eq!(present(&observation).0["MaxSize"], json!(3));

    // Delete: the native teardown step, ForceDelete, then wait until the group is gone.
    env.delete(GROUP, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("delete: {e} ({:?})", e.class));
    assert_eq!(
        env.force_deletes
            .0
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default(),
        vec![Some(true)],
        "DeleteAutoScalingGroup is sent with ForceDelete"
    );
    let groups = env
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeAutoScalingGroups: {e:?}"));
    assert!(groups.auto_scaling_groups().is_empty(), "the group is gone");
    assert_eq!(
        env.read_one(GROUP, address, &updated, &after).await,
        Observation::Gone
    );
    // moto difference: AWS's ForceDelete terminates every instance of the group, protected or
    // not; moto's DeleteAutoScalingGroup ignores ForceDelete and scales to zero, which keeps
    // instances protected from scale-in running. So on moto the protected instance is still
    // there; the request carried ForceDelete (checked above), which is what AWS acts on.
    let state = instance_state(&env, &instance_id).await;
    if state != "terminated" && state != "shutting-down" {
        assert_eq!(
            state, "running",
            "moto leaves the protected instance as it was"
        );
        env.ec2
            .terminate_instances()
            .instance_ids(&instance_id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("TerminateInstances: {e:?}"));
    }

    // A second delete: already gone is success (and sends ForceDelete again).
    env.delete(GROUP, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("second delete: {e}"));

    // A group that was never made reads as gone, next to one that exists.
    let missing = ResourceOutput {
        physical_id: "asg-never-made".into(),
        attributes: BTreeMap::new(),
    };
    let seen = env.read(GROUP, &[("X.Missing", &missing, &props)]).await;
    assert_eq!(seen["X.Missing"], Observation::Gone);

    env.delete(
        LAUNCH_TEMPLATE,
        "ClusterStack.ContainerInstances",
        &lt,
        &lt_props,
    )
    .await
    .unwrap_or_else(|e| panic!("delete launch template: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_scaling_group_refuses_unmapped_properties_before_any_call() {
    let env = Env::new("asgbad").await;
    let err = env
        .try_create(
            GROUP,
            "Stack.Bad",
            json!({"MinSize": 0, "MaxSize": 1, "LifecycleHookSpecificationList": []}),
        )
        .await
        .expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains("LifecycleHookSpecificationList"),
        "{}",
        err.message
    );
}

/// A role Lambda may assume, made with the IAM API (moto's CreateFunction needs it to exist).
async fn lambda_role(env: &Env, name: &str) -> String {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    });
    let out = env
        .iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateRole: {e:?}"));
    out.role().expect("role").arn().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_function_with_inline_code() {
    let env = Env::new("fn").await;
    let role = lambda_role(&env, "compute-test-fn-role").await;
    let address = "Stack.Function";
    let props = json!({
        "Code": {"ZipFile": "exports.handler = async function(event) { return event; };\n"},
        "Handler": "index.handler",
        "Runtime": "nodejs20.x",
        "Timeout": 30,
        "MemorySize": "256",
        "Role": role,
        "Description": "echoes",
        "Environment": {"Variables": {"MODE": "test"}},
        "Tags": [{"Key": "team", "Value": "compute"}]
    });
    let out = env.create(FUNCTION, address, props.clone()).await;
    let name = out.physical_id.clone();
    assert_eq!(name, "fn-Stack-Function-GEN");
    assert!(
        attr(&out, "Arn").ends_with(&format!(":function:{name}")),
        "{out:?}"
    );

    // What Lambda holds.
    let got = env
        .lambda
        .get_function()
        .function_name(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetFunction: {e:?}"));
    let config = got.configuration().expect("configuration");
    assert_eq!(config.handler(), Some("index.handler"));
    assert_eq!(config.timeout(), Some(30));
    assert_eq!(config.memory_size(), Some(256));
    assert_eq!(config.role(), Some(role.as_str()));
    assert!(
        config.code_size() > 0,
        "the inline code was zipped and uploaded"
    );
    let tags = got.tags().cloned().unwrap_or_default();
    assert_eq!(tags.get("team").map(String::as_str), Some("compute"));
    assert_eq!(tags.get("infra:address").map(String::as_str), Some(address));

    // Read.
    let observation = env.read_one(FUNCTION, address, &out, &props).await;
    let (observed, attributes) = present(&observation);
    for key in [
        "Handler",
        "Runtime",
        "Timeout",
        "MemorySize",
        "Role",
        "Environment",
        "Tags",
    ] {
        assert_eq!(observed[key], props[key], "{key}");
    }
    assert_eq!(attributes.get("Arn"), out.attributes.get("Arn"));

    // Update Timeout in place.
    let mut after = props.clone();
    after["Timeout"] = json!(60);
    let updated = env.update(FUNCTION, address, &out, &props, &after).await;
    assert_eq!(updated.physical_id, name);
    let config = env
        .lambda
        .get_function_configuration()
        .function_name(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetFunctionConfiguration: {e:?}"));
    assert_eq!(config.timeout(), Some(60));
    assert_eq!(config.memory_size(), Some(256), "the rest stays");

    // Delete, gone, second delete fine.
    env.delete(FUNCTION, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    assert_eq!(
        env.read_one(FUNCTION, address, &updated, &after).await,
        Observation::Gone
    );
    env.delete(FUNCTION, address, &updated, &after)
        .await
        .unwrap_or_else(|e| panic!("second delete: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_role_not_yet_visible_is_eventually_consistent() {
    let env = Env::new("fnrole").await;
    let err = env
        .try_create(
            FUNCTION,
            "Stack.Early",
            json!({
                "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                "Handler": "index.handler",
                "Runtime": "python3.12",
                "Role": format!("arn:aws:iam::{}:role/not-made-yet", support::ACCOUNT_ID),
            }),
        )
        .await
        .expect_err("the role does not exist (yet)");
    assert_eq!(
        err.class,
        FailureClass::EventuallyConsistent,
        "{}",
        err.message
    );
    assert!(
        err.message.contains("cannot be assumed by Lambda"),
        "{}",
        err.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_registers_the_compute_types() {
    let providers = infra_aws::providers::all(&config().await);
    for type_name in compute::TYPES {
        assert!(providers.get(type_name).is_some(), "{type_name}");
    }
}

/// `find` after an interrupted create, for every compute type: nothing before the create, what
/// the create returned after it, nothing for another resource's tags; nothing once deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_what_an_interrupted_create_made() {
    let env = Env::new("find").await;
    let (_vpc, subnets) = network(&env).await;
    let lt_props = launch_template_props("t3.micro");
    let lt = env
        .create_and_find(LAUNCH_TEMPLATE, "Find.Template", &lt_props)
        .await;
    let asg_props = json!({
        "VPCZoneIdentifier": subnets,
        "LaunchTemplate": {"LaunchTemplateId": lt.physical_id, "Version": "$Latest"},
        "MinSize": 0,
        "MaxSize": 1,
        "DesiredCapacity": 0
    });
    let asg = env.create_and_find(GROUP, "Find.Group", &asg_props).await;
    let role = lambda_role(&env, "compute-test-find-role").await;
    let fn_props = json!({
        "Code": {"ZipFile": "exports.handler = async function(event) { return event; };\n"},
        "Handler": "index.handler",
        "Runtime": "nodejs20.x",
        "Role": role
    });
    let function = env
        .create_and_find(FUNCTION, "Find.Function", &fn_props)
        .await;
    for (type_name, address, out, props) in [
        (FUNCTION, "Find.Function", &function, &fn_props),
        (GROUP, "Find.Group", &asg, &asg_props),
        (LAUNCH_TEMPLATE, "Find.Template", &lt, &lt_props),
    ] {
        env.delete(type_name, address, out, props)
            .await
            .unwrap_or_else(|e| panic!("delete {address}: {e}"));
        assert_eq!(
            env.find(type_name, address, props, address, None).await,
            None,
            "{address} is deleted"
        );
    }
}
