//! Shared set-up for the ECS provider tests: the emulator's SDK config, the providers with a
//! call-counting ECS client, fixture builders made directly with the AWS APIs, and helpers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::support::{self, Emulator};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use infra_aws::provider::{
    CreateInput, DeleteInput, FindInput, Observation, ProviderError, Providers, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::providers::ecs;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};

pub(crate) const CLUSTER: &str = "AWS::ECS::Cluster";
pub(crate) const CAPACITY_PROVIDER: &str = "AWS::ECS::CapacityProvider";
pub(crate) const ASSOCIATION: &str = "AWS::ECS::ClusterCapacityProviderAssociations";
pub(crate) const TASK_DEFINITION: &str = "AWS::ECS::TaskDefinition";
pub(crate) const SERVICE: &str = "AWS::ECS::Service";

/// Counts the operations a client sends, by name.
#[derive(Debug, Default)]
pub(crate) struct Calls(Mutex<Vec<String>>);

impl Calls {
    pub(crate) fn count(&self, operation: &str) -> usize {
        self.0
            .lock()
            .map(|calls| calls.iter().filter(|c| *c == operation).count())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct CountCalls(Arc<Calls>);

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>()
            && let Ok(mut calls) = self.0.0.lock()
        {
            calls.push(metadata.name().to_owned());
        }
        Ok(())
    }
}

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

/// The providers, clients to check what they did (and to make fixtures), and the calls the
/// providers' ECS client sent.
pub(crate) struct Env {
    pub(crate) providers: Providers,
    pub(crate) ecs: aws_sdk_ecs::Client,
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) autoscaling: aws_sdk_autoscaling::Client,
    pub(crate) elb: aws_sdk_elasticloadbalancingv2::Client,
    pub(crate) calls: Arc<Calls>,
}

impl Env {
    pub(crate) async fn new() -> Env {
        let config = config().await;
        let calls = Arc::new(Calls::default());
        let counted = aws_sdk_ecs::config::Builder::from(&config)
            .interceptor(CountCalls(calls.clone()))
            .build();
        let mut providers = Providers::default();
        ecs::register(
            &mut providers,
            &aws_sdk_ecs::Client::from_conf(counted),
            &Emulator::shared().endpoint,
        );
        Env {
            providers,
            ecs: aws_sdk_ecs::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
            autoscaling: aws_sdk_autoscaling::Client::new(&config),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(&config),
            calls,
        }
    }

    pub(crate) fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    pub(crate) async fn try_create(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
        generated: Option<&str>,
    ) -> Result<ResourceOutput, ProviderError> {
        self.provider(type_name)
            .create(&CreateInput {
                address: address.into(),
                type_name: type_name.into(),
                properties: properties.clone(),
                tags: infra_tags(address),
                generated_name: generated.map(str::to_owned),
                checkpoint: Default::default(),
            })
            .await
    }

    pub(crate) async fn create(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
        generated: Option<&str>,
    ) -> ResourceOutput {
        self.try_create(type_name, address, properties, generated)
            .await
            .unwrap_or_else(|e| panic!("create {address}: {e} ({:?})", e.class))
    }

    pub(crate) async fn try_update(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        before: &Value,
        after: &Value,
    ) -> Result<ResourceOutput, ProviderError> {
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
    }

    pub(crate) async fn update(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        before: &Value,
        after: &Value,
    ) -> ResourceOutput {
        self.try_update(type_name, address, out, before, after)
            .await
            .unwrap_or_else(|e| panic!("update {address}: {e} ({:?})", e.class))
    }

    pub(crate) async fn try_delete(
        &self,
        type_name: &str,
        address: &str,
        physical_id: &str,
        properties: &Value,
    ) -> Result<(), ProviderError> {
        self.provider(type_name)
            .delete(&DeleteInput {
                address: address.into(),
                type_name: type_name.into(),
                physical_id: physical_id.into(),
                properties: properties.clone(),
                attributes: BTreeMap::new(),
            })
            .await
    }

    pub(crate) async fn delete(
        &self,
        type_name: &str,
        address: &str,
        physical_id: &str,
        properties: &Value,
    ) {
        self.try_delete(type_name, address, physical_id, properties)
            .await
            .unwrap_or_else(|e| panic!("delete {address}: {e} ({:?})", e.class));
    }

    pub(crate) async fn read_many(
        &self,
        type_name: &str,
        items: &[(&str, &str, &Value)],
    ) -> BTreeMap<String, Observation> {
        let items: Vec<ReadInput> = items
            .iter()
            .map(|(address, physical_id, properties)| ReadInput {
                address: (*address).into(),
                type_name: String::new(),
                physical_id: (*physical_id).into(),
                properties: (*properties).clone(),
                attributes: BTreeMap::new(),
            })
            .collect();
        self.provider(type_name)
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("read {type_name}: {e} ({:?})", e.class))
    }

    pub(crate) async fn read(
        &self,
        type_name: &str,
        address: &str,
        physical_id: &str,
        properties: &Value,
    ) -> Observation {
        let mut got = self
            .read_many(type_name, &[(address, physical_id, properties)])
            .await;
        assert_eq!(got.len(), 1, "{got:?}");
        got.remove(address)
            .unwrap_or_else(|| panic!("no observation for {address}: {got:?}"))
    }

    /// `find` as the engine calls it after an interrupted create of `address`, with `tags`
    /// (empty for a type that cannot be tagged) and the object a replacement replaces.
    pub(crate) async fn find(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
        name: Option<&str>,
        tags: BTreeMap<String, String>,
        replacing: Option<&str>,
    ) -> Option<ResourceOutput> {
        self.provider(type_name)
            .find(&FindInput {
                address: address.into(),
                type_name: type_name.into(),
                properties: properties.clone(),
                tags,
                name: name.map(str::to_owned),
                replacing: replacing.map(str::to_owned),
                checkpoint: Default::default(),
            })
            .await
            .unwrap_or_else(|e| panic!("find {address}: {e} ({:?})", e.class))
    }

    /// Creates a taggable resource, checking `find` around it: nothing before the create; after
    /// it, what the create returned; nothing for another address's tags, nor when it is the
    /// object being replaced.
    pub(crate) async fn create_and_find(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
        generated: Option<&str>,
    ) -> ResourceOutput {
        let find =
            |tags, replacing| self.find(type_name, address, properties, generated, tags, replacing);
        assert_eq!(
            find(infra_tags(address), None).await,
            None,
            "{address}: before"
        );
        let out = self.create(type_name, address, properties, generated).await;
        assert_eq!(
            find(infra_tags(address), None).await.as_ref(),
            Some(&out),
            "{address}: after"
        );
        assert_eq!(
            find(infra_tags("Other.Address"), None).await,
            None,
            "{address}"
        );
        assert_eq!(
            find(infra_tags(address), Some(&out.physical_id)).await,
            None,
            "{address}: replacing"
        );
        out
    }

    pub(crate) async fn describe_cluster(&self, name: &str) -> Option<aws_sdk_ecs::types::Cluster> {
        let out = self
            .ecs
            .describe_clusters()
            .clusters(name)
            .include(aws_sdk_ecs::types::ClusterField::Settings)
            .include(aws_sdk_ecs::types::ClusterField::Tags)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeClusters {name}: {e:?}"));
        out.clusters().first().cloned()
    }

    pub(crate) async fn describe_service(
        &self,
        cluster: &str,
        arn: &str,
    ) -> Option<aws_sdk_ecs::types::Service> {
        let out = self
            .ecs
            .describe_services()
            .cluster(cluster)
            .services(arn)
            .include(aws_sdk_ecs::types::ServiceField::Tags)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeServices {arn}: {e:?}"));
        out.services().first().cloned()
    }

    pub(crate) async fn describe_provider(
        &self,
        name: &str,
    ) -> Option<aws_sdk_ecs::types::CapacityProvider> {
        let out = self
            .ecs
            .describe_capacity_providers()
            .capacity_providers(name)
            .include(aws_sdk_ecs::types::CapacityProviderField::Tags)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeCapacityProviders {name}: {e:?}"));
        out.capacity_providers().first().cloned()
    }

    /// A VPC with one subnet and one security group, made directly with EC2 (fixtures).
    pub(crate) async fn network(&self, cidr: &str, subnet_cidr: &str) -> Network {
        let vpc = self
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateVpc: {e:?}"))
            .vpc
            .and_then(|v| v.vpc_id)
            .expect("vpc id");
        let subnet = self
            .ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(subnet_cidr)
            .availability_zone("us-east-1a")
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateSubnet: {e:?}"))
            .subnet
            .and_then(|s| s.subnet_id)
            .expect("subnet id");
        let group = self
            .ec2
            .create_security_group()
            .group_name(format!("ecs-itest-{vpc}"))
            .description("ecs provider tests")
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateSecurityGroup: {e:?}"))
            .group_id
            .expect("group id");
        Network { subnet, group, vpc }
    }

    /// An Auto Scaling group from a launch template, made directly (fixtures), like the
    /// fixture's `ECSAutoScalingGroup`: no instances, new instances protected from scale-in.
    pub(crate) async fn auto_scaling_group(&self, name: &str, net: &Network) -> String {
        let template = self
            .ec2
            .create_launch_template()
            .launch_template_name(format!("{name}-lt"))
            .launch_template_data(
                aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
                    .image_id("ami-12c6146b")
                    .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                    .security_group_ids(&net.group)
                    .build(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateLaunchTemplate: {e:?}"))
            .launch_template
            .and_then(|t| t.launch_template_id)
            .expect("launch template id");
        self.autoscaling
            .create_auto_scaling_group()
            .auto_scaling_group_name(name)
            .launch_template(
                aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                    .launch_template_id(&template)
                    .version("$Latest")
                    .build(),
            )
            .min_size(0)
            .max_size(2)
            .desired_capacity(0)
            .vpc_zone_identifier(&net.subnet)
            .new_instances_protected_from_scale_in(true)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateAutoScalingGroup: {e:?}"));
        template
    }

    /// A target group (type `ip`, HTTP 80) behind an internet-facing ALB listener, made directly
    /// with the ELBv2 API (fixtures), like the fixture's `ServiceTargetGroup`.
    pub(crate) async fn target_group(
        &self,
        name: &str,
        net: &Network,
        second_subnet: &str,
    ) -> String {
        let tg = self
            .elb
            .create_target_group()
            .name(format!("{name}-tg"))
            .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
            .port(80)
            .vpc_id(&net.vpc)
            .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Ip)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateTargetGroup: {e:?}"))
            .target_groups()
            .first()
            .and_then(|t| t.target_group_arn().map(str::to_owned))
            .expect("target group arn");
        let lb = self
            .elb
            .create_load_balancer()
            .name(format!("{name}-lb"))
            .subnets(&net.subnet)
            .subnets(second_subnet)
            .security_groups(&net.group)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateLoadBalancer: {e:?}"))
            .load_balancers()
            .first()
            .and_then(|l| l.load_balancer_arn().map(str::to_owned))
            .expect("load balancer arn");
        self.elb
            .create_listener()
            .load_balancer_arn(&lb)
            .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
            .port(80)
            .default_actions(
                aws_sdk_elasticloadbalancingv2::types::Action::builder()
                    .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
                    .target_group_arn(&tg)
                    .build(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateListener: {e:?}"));
        tg
    }
}

pub(crate) struct Network {
    pub(crate) vpc: String,
    pub(crate) subnet: String,
    pub(crate) group: String,
}

pub(crate) fn infra_tags(address: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("infra:stack".to_owned(), "itest".to_owned()),
        ("infra:address".to_owned(), address.to_owned()),
    ])
}

pub(crate) fn present(obs: Observation) -> (Value, BTreeMap<String, Value>) {
    match obs {
        Observation::Present {
            properties,
            attributes,
        } => (properties, attributes),
        Observation::Gone => panic!("expected the resource to be present, it is gone"),
    }
}

pub(crate) fn tags(list: &[aws_sdk_ecs::types::Tag]) -> BTreeMap<String, String> {
    list.iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
        .collect()
}

pub(crate) fn nginx_task(family: &str, log_group: &str, role: &str) -> Value {
    json!({
        "Family": family,
        "Cpu": 256,
        "Memory": "512",
        "NetworkMode": "awsvpc",
        "RequiresCompatibilities": ["EC2"],
        "ExecutionRoleArn": role,
        "ContainerDefinitions": [{
            "Name": family,
            "Cpu": "256",
            "Memory": 512,
            "Image": "public.ecr.aws/docker/library/nginx:latest",
            "PortMappings": [{"ContainerPort": 80, "HostPort": "80"}],
            "LogConfiguration": {
                "LogDriver": "awslogs",
                "Options": {
                    "mode": "non-blocking",
                    "max-buffer-size": "25m",
                    "awslogs-group": log_group,
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": family
                }
            }
        }]
    })
}
