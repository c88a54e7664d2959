//! The test harness: the compute providers wired to the emulator, with a recorder of the
//! `ForceDelete` flag the Auto Scaling provider sends, and shared helpers (the network, the
//! Lambda role, the launch template's properties and tags).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::support::{self, Emulator};
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
    CreateInput, DeleteInput, FindInput, Observation, ProviderError, Providers, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::providers::compute;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};

pub(crate) const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";
pub(crate) const GROUP: &str = "AWS::AutoScaling::AutoScalingGroup";
pub(crate) const FUNCTION: &str = "AWS::Lambda::Function";

/// One of moto's built-in images (moto does not validate image ids by default anyway).
pub(crate) const AMI: &str = "ami-03cf127a";

pub(crate) async fn config() -> SdkConfig {
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
pub(crate) struct ForceDeletes(pub(crate) Mutex<Vec<Option<bool>>>);

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

pub(crate) struct Env {
    pub(crate) providers: Providers,
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) autoscaling: aws_sdk_autoscaling::Client,
    pub(crate) lambda: aws_sdk_lambda::Client,
    pub(crate) iam: aws_sdk_iam::Client,
    pub(crate) force_deletes: Arc<ForceDeletes>,
    pub(crate) stack: String,
}

impl Env {
    pub(crate) async fn new(stack: &str) -> Env {
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

    pub(crate) fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    pub(crate) fn infra_tags(&self, address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:stack".to_owned(), self.stack.clone()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    pub(crate) fn create_input(
        &self,
        type_name: &str,
        address: &str,
        properties: Value,
    ) -> CreateInput {
        CreateInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties,
            tags: self.infra_tags(address),
            generated_name: Some(format!("{}-{}-GEN", self.stack, address.replace('.', "-"))),
            checkpoint: Default::default(),
        }
    }

    pub(crate) async fn try_create(
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
    pub(crate) async fn find(
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
                checkpoint: Default::default(),
            })
            .await
            .unwrap_or_else(|e| panic!("find {address}: {e} ({:?})", e.class))
    }

    /// Creates, checking `find` around it: nothing before the create; after it, what the create
    /// returned; nothing for another address's tags, nor when it is the object being replaced.
    pub(crate) async fn create_and_find(
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

    pub(crate) async fn create(
        &self,
        type_name: &str,
        address: &str,
        properties: Value,
    ) -> ResourceOutput {
        self.try_create(type_name, address, properties)
            .await
            .unwrap_or_else(|e| panic!("create {address}: {e} ({:?})", e.class))
    }

    pub(crate) async fn read(
        &self,
        type_name: &str,
        items: &[(&str, &ResourceOutput, &Value)],
    ) -> BTreeMap<String, Observation> {
        let inputs: Vec<ReadInput> = items
            .iter()
            .map(|(address, out, properties)| ReadInput {
                address: (*address).to_owned(),
                type_name: String::new(),
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

    pub(crate) async fn read_one(
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

    pub(crate) async fn update(
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

    pub(crate) async fn delete(
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

pub(crate) fn present(observation: &Observation) -> (&Value, &BTreeMap<String, Value>) {
    match observation {
        Observation::Present {
            properties,
            attributes,
        } => (properties, attributes),
        Observation::Gone => panic!("expected the resource to be present"),
    }
}

pub(crate) fn attr<'a>(out: &'a ResourceOutput, name: &str) -> &'a str {
    out.attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no attribute {name} in {out:?}"))
}

pub(crate) fn launch_template_props(instance_type: &str) -> Value {
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
pub(crate) async fn template_tags(env: &Env, id: &str) -> BTreeMap<String, String> {
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

/// A VPC with two subnets in two zones, made with the EC2 API directly.
pub(crate) async fn network(env: &Env) -> (String, Vec<String>) {
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

/// A role Lambda may assume, made with the IAM API (moto's CreateFunction needs it to exist).
pub(crate) async fn lambda_role(env: &Env, name: &str) -> String {
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
