//! The ECS providers against the AWS API emulator (moto server; `scripts/setup-emulator`):
//! create → read → update → delete → read for every type, the reference fixture's cluster and
//! service built end to end (cluster with Container Insights, an Auto Scaling group made
//! directly as a test fixture, capacity provider with managed scaling and termination
//! protection, association, awsvpc task definition for nginx with awslogs, service with a
//! capacity provider strategy, awsvpc networking and a load balancer) and torn down in reverse
//! order (the native teardown), and batched reads.
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
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use infra_aws::provider::{
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError, Providers,
    ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::providers::ecs;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};
use support::Emulator;

const CLUSTER: &str = "AWS::ECS::Cluster";
const CAPACITY_PROVIDER: &str = "AWS::ECS::CapacityProvider";
const ASSOCIATION: &str = "AWS::ECS::ClusterCapacityProviderAssociations";
const TASK_DEFINITION: &str = "AWS::ECS::TaskDefinition";
const SERVICE: &str = "AWS::ECS::Service";

/// Counts the operations a client sends, by name.
#[derive(Debug, Default)]
struct Calls(Mutex<Vec<String>>);

impl Calls {
    fn count(&self, operation: &str) -> usize {
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
struct Env {
    providers: Providers,
    ecs: aws_sdk_ecs::Client,
    ec2: aws_sdk_ec2::Client,
    autoscaling: aws_sdk_autoscaling::Client,
    elb: aws_sdk_elasticloadbalancingv2::Client,
    calls: Arc<Calls>,
}

impl Env {
    async fn new() -> Env {
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

    fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    async fn try_create(
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
            })
            .await
    }

    async fn create(
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

    async fn try_update(
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

    async fn update(
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

    async fn try_delete(
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

    async fn delete(&self, type_name: &str, address: &str, physical_id: &str, properties: &Value) {
        self.try_delete(type_name, address, physical_id, properties)
            .await
            .unwrap_or_else(|e| panic!("delete {address}: {e} ({:?})", e.class));
    }

    async fn read_many(
        &self,
        type_name: &str,
        items: &[(&str, &str, &Value)],
    ) -> BTreeMap<String, Observation> {
        let items: Vec<ReadInput> = items
            .iter()
            .map(|(address, physical_id, properties)| ReadInput {
                address: (*address).into(),
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

    async fn read(
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
    async fn find(
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
            })
            .await
            .unwrap_or_else(|e| panic!("find {address}: {e} ({:?})", e.class))
    }

    /// Creates a taggable resource, checking `find` around it: nothing before the create; after
    /// it, what the create returned; nothing for another address's tags, nor when it is the
    /// object being replaced.
    async fn create_and_find(
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

    async fn describe_cluster(&self, name: &str) -> Option<aws_sdk_ecs::types::Cluster> {
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

    async fn describe_service(
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

    async fn describe_provider(&self, name: &str) -> Option<aws_sdk_ecs::types::CapacityProvider> {
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
    async fn network(&self, cidr: &str, subnet_cidr: &str) -> Network {
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
    async fn auto_scaling_group(&self, name: &str, net: &Network) -> String {
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
    async fn target_group(&self, name: &str, net: &Network, second_subnet: &str) -> String {
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

struct Network {
    vpc: String,
    subnet: String,
    group: String,
}

fn infra_tags(address: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("infra:stack".to_owned(), "itest".to_owned()),
        ("infra:address".to_owned(), address.to_owned()),
    ])
}

fn present(obs: Observation) -> (Value, BTreeMap<String, Value>) {
    match obs {
        Observation::Present {
            properties,
            attributes,
        } => (properties, attributes),
        Observation::Gone => panic!("expected the resource to be present, it is gone"),
    }
}

fn tags(list: &[aws_sdk_ecs::types::Tag]) -> BTreeMap<String, String> {
    list.iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_create_read_update_delete() {
    let env = Env::new().await;
    let address = "ClusterStack.ECSCluster";
    let props = json!({
        "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
        "Configuration": {"ExecuteCommandConfiguration": {"Logging": "DEFAULT"}},
        "Tags": [{"Key": "team", "Value": "web"}]
    });
    let out = env
        .create(CLUSTER, address, &props, Some("itest-ECSCluster-AAAA"))
        .await;
    assert_eq!(out.physical_id, "itest-ECSCluster-AAAA");
    let arn = out.attributes["Arn"].as_str().expect("Arn").to_owned();
    assert!(arn.ends_with(":cluster/itest-ECSCluster-AAAA"), "{arn}");

    let found = env
        .describe_cluster(&out.physical_id)
        .await
        .expect("cluster");
    assert_eq!(found.status(), Some("ACTIVE"));
    let insights: Vec<_> = found
        .settings()
        .iter()
        .map(|s| {
            (
                s.name().map(|n| n.as_str().to_owned()),
                s.value().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        insights,
        vec![(Some("containerInsights".into()), Some("enabled".into()))]
    );
    let t = tags(found.tags());
    assert_eq!(t.get("team").map(String::as_str), Some("web"));
    assert_eq!(t.get("infra:address").map(String::as_str), Some(address));

    // Refresh reports the template's properties as they were applied: no drift.
    let (observed, attributes) =
        present(env.read(CLUSTER, address, &out.physical_id, &props).await);
    assert_eq!(observed, props);
    assert_eq!(attributes["Arn"], json!(arn));

    // A second create of the same resource (a retry after a lost answer) adopts the cluster
    // its earlier attempt made; a cluster of that name made for another resource is refused.
    let again = env
        .create(CLUSTER, address, &props, Some("itest-ECSCluster-AAAA"))
        .await;
    assert_eq!(again.physical_id, out.physical_id);
    let taken = env
        .try_create(
            CLUSTER,
            "Other.Cluster",
            &props,
            Some("itest-ECSCluster-AAAA"),
        )
        .await
        .expect_err("someone else's cluster");
    assert_eq!(taken.class, FailureClass::Fatal);
    assert!(
        taken.message.contains("already exists"),
        "{}",
        taken.message
    );

    let after = json!({
        "ClusterSettings": [{"Name": "containerInsights", "Value": "disabled"}],
        "Configuration": {"ExecuteCommandConfiguration": {"Logging": "DEFAULT"}},
        "Tags": [{"Key": "team", "Value": "api"}, {"Key": "tier", "Value": "1"}]
    });
    let updated = env.update(CLUSTER, address, &out, &props, &after).await;
    assert_eq!(updated.physical_id, out.physical_id);
    let found = env
        .describe_cluster(&out.physical_id)
        .await
        .expect("cluster");
    assert_eq!(
        found.settings().first().and_then(|s| s.value()),
        Some("disabled")
    );
    let t = tags(found.tags());
    assert_eq!(t.get("team").map(String::as_str), Some("api"));
    assert_eq!(t.get("tier").map(String::as_str), Some("1"));
    let (observed, _) = present(env.read(CLUSTER, address, &out.physical_id, &after).await);
    assert_eq!(observed, after);

    // Unsupported properties are refused by name, never dropped.
    let err = env
        .try_create(
            CLUSTER,
            "Bad.Cluster",
            &json!({"Bogus": 1}),
            Some("itest-bad"),
        )
        .await
        .expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(err.message.contains("Bogus"), "{}", err.message);

    env.delete(CLUSTER, address, &out.physical_id, &after).await;
    assert_eq!(
        env.read(CLUSTER, address, &out.physical_id, &after).await,
        Observation::Gone
    );
    // Deleting again is success.
    env.delete(CLUSTER, address, &out.physical_id, &after).await;
}

fn nginx_task(family: &str, log_group: &str, role: &str) -> Value {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_definition_create_read_update_delete() {
    let env = Env::new().await;
    let address = "ServiceStack.TaskDefinition";
    let role = "arn:aws:iam::123456789012:role/itest-exec";
    let mut props = nginx_task("itest-web", "/itest/web", role);
    props["Tags"] = json!([{"Key": "app", "Value": "web"}]);
    let out = env.create(TASK_DEFINITION, address, &props, None).await;
    assert!(
        out.physical_id.ends_with(":task-definition/itest-web:1"),
        "{}",
        out.physical_id
    );
    assert_eq!(out.attributes["TaskDefinitionArn"], json!(out.physical_id));

    let described = env
        .ecs
        .describe_task_definition()
        .task_definition(&out.physical_id)
        .include(aws_sdk_ecs::types::TaskDefinitionField::Tags)
        .send()
        .await
        .expect("DescribeTaskDefinition");
    let td = described.task_definition().expect("task definition");
    assert_eq!(td.network_mode().map(|m| m.as_str()), Some("awsvpc"));
    assert_eq!(td.cpu(), Some("256"));
    assert_eq!(td.memory(), Some("512"));
    assert_eq!(td.execution_role_arn(), Some(role));
    let container = td.container_definitions().first().expect("container");
    assert_eq!(container.name(), Some("itest-web"));
    assert_eq!(container.memory(), Some(512));
    assert_eq!(
        container
            .port_mappings()
            .first()
            .and_then(|p| p.host_port()),
        Some(80)
    );
    let log = container.log_configuration().expect("log configuration");
    assert_eq!(log.log_driver().as_str(), "awslogs");
    assert_eq!(
        log.options()
            .and_then(|o| o.get("awslogs-group"))
            .map(String::as_str),
        Some("/itest/web")
    );
    assert_eq!(
        tags(described.tags()).get("app").map(String::as_str),
        Some("web")
    );

    let (observed, _) = present(
        env.read(TASK_DEFINITION, address, &out.physical_id, &props)
            .await,
    );
    assert_eq!(observed, props);

    // Tags change in place; anything else needs a new revision (replacement).
    let mut retagged = props.clone();
    retagged["Tags"] = json!([{"Key": "app", "Value": "api"}]);
    let updated = env
        .update(TASK_DEFINITION, address, &out, &props, &retagged)
        .await;
    assert_eq!(updated.physical_id, out.physical_id);
    let (observed, _) = present(
        env.read(TASK_DEFINITION, address, &out.physical_id, &retagged)
            .await,
    );
    assert_eq!(observed["Tags"], json!([{"Key": "app", "Value": "api"}]));
    let mut bigger = retagged.clone();
    bigger["Memory"] = json!("1024");
    let err = env
        .try_update(TASK_DEFINITION, address, &out, &retagged, &bigger)
        .await
        .expect_err("a new revision is a replacement");
    assert_eq!(err.class, FailureClass::Fatal);

    // A container definition key infra does not know is refused by its path.
    let mut unknown = props.clone();
    unknown["ContainerDefinitions"][0]["Bogus"] = json!(true);
    let err = env
        .try_create(TASK_DEFINITION, "Bad.Task", &unknown, None)
        .await
        .expect_err("refused");
    assert!(
        err.message.contains("ContainerDefinitions[0].Bogus"),
        "{}",
        err.message
    );

    env.delete(TASK_DEFINITION, address, &out.physical_id, &retagged)
        .await;
    // Deregistered revisions stay describable as INACTIVE: refresh calls them gone.
    assert_eq!(
        env.read(TASK_DEFINITION, address, &out.physical_id, &retagged)
            .await,
        Observation::Gone
    );
    env.delete(TASK_DEFINITION, address, &out.physical_id, &retagged)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_batched() {
    let env = Env::new().await;
    let props = json!({"Tags": [{"Key": "batch", "Value": "yes"}]});
    let mut made = Vec::new();
    for i in 0..3 {
        let address = format!("Batch.Cluster{i}");
        let out = env
            .create(CLUSTER, &address, &props, Some(&format!("itest-batch-{i}")))
            .await;
        made.push((address, out.physical_id));
    }
    let before = env.calls.count("DescribeClusters");
    let items: Vec<(&str, &str, &Value)> = made
        .iter()
        .map(|(a, p)| (a.as_str(), p.as_str(), &props))
        .chain([("Batch.Missing", "itest-batch-missing", &props)])
        .collect();
    let got = env.read_many(CLUSTER, &items).await;
    assert_eq!(
        env.calls.count("DescribeClusters") - before,
        1,
        "one call for all"
    );
    assert_eq!(got.len(), 4);
    assert_eq!(got["Batch.Missing"], Observation::Gone);
    for (address, _) in &made {
        assert!(
            matches!(got[address], Observation::Present { .. }),
            "{address}"
        );
    }
    for (address, physical_id) in &made {
        env.delete(CLUSTER, address, physical_id, &props).await;
    }
}

/// The fixture's `ClusterStack` and `ServiceStack` ECS resources, made and changed through the
/// providers in dependency order, then torn down in reverse order the way `infra destroy` does
/// instead of `Custom::AsgDestroyer`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixture_end_to_end() {
    let env = Env::new().await;
    let net = env.network("10.42.0.0/16", "10.42.1.0/24").await;
    let second_subnet = env
        .ec2
        .create_subnet()
        .vpc_id(&net.vpc)
        .cidr_block("10.42.2.0/24")
        .availability_zone("us-east-1b")
        .send()
        .await
        .expect("CreateSubnet")
        .subnet
        .and_then(|s| s.subnet_id)
        .expect("subnet id");

    // ClusterStack.ECSCluster
    let cluster_props =
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]});
    let cluster = env
        .create(
            CLUSTER,
            "ClusterStack.ECSCluster",
            &cluster_props,
            Some("itest-e2e-cluster"),
        )
        .await;
    let cluster_name = cluster.physical_id.clone();

    // ClusterStack.ECSAutoScalingGroup (a fixture here; the ASG provider is not under test).
    let asg = "itest-e2e-asg";
    env.auto_scaling_group(asg, &net).await;

    // ClusterStack.CapacityProvider, given the group's name as `!Ref ECSAutoScalingGroup` does.
    let cp_props = json!({
        "AutoScalingGroupProvider": {
            "AutoScalingGroupArn": asg,
            "ManagedScaling": {
                "InstanceWarmupPeriod": 60,
                "MinimumScalingStepSize": 1,
                "MaximumScalingStepSize": "100",
                "Status": "ENABLED",
                "TargetCapacity": 100
            },
            "ManagedTerminationProtection": "ENABLED",
            "ManagedDraining": "ENABLED"
        }
    });
    let cp_address = "ClusterStack.CapacityProvider";
    let cp = env
        .create(
            CAPACITY_PROVIDER,
            cp_address,
            &cp_props,
            Some("itest-e2e-cp"),
        )
        .await;
    assert_eq!(cp.physical_id, "itest-e2e-cp");
    let found = env
        .describe_provider(&cp.physical_id)
        .await
        .expect("provider");
    let asg_provider = found.auto_scaling_group_provider().expect("asg provider");
    assert_eq!(
        asg_provider
            .managed_termination_protection()
            .map(|m| m.as_str()),
        Some("ENABLED")
    );
    let scaling = asg_provider.managed_scaling().expect("managed scaling");
    assert_eq!(scaling.status().map(|s| s.as_str()), Some("ENABLED"));
    assert_eq!(scaling.maximum_scaling_step_size(), Some(100));
    assert_eq!(
        tags(found.tags()).get("infra:address").map(String::as_str),
        Some(cp_address)
    );
    let (observed, _) = present(
        env.read(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_props)
            .await,
    );
    assert_eq!(observed, cp_props);
    // Update in place: target capacity.
    let mut cp_after = cp_props.clone();
    cp_after["AutoScalingGroupProvider"]["ManagedScaling"]["TargetCapacity"] = json!(90);
    env.update(CAPACITY_PROVIDER, cp_address, &cp, &cp_props, &cp_after)
        .await;
    let found = env
        .describe_provider(&cp.physical_id)
        .await
        .expect("provider");
    assert_eq!(
        found
            .auto_scaling_group_provider()
            .and_then(|a| a.managed_scaling())
            .and_then(|m| m.target_capacity()),
        Some(90)
    );
    let (observed, _) = present(
        env.read(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
            .await,
    );
    assert_eq!(observed, cp_after);

    // ClusterStack.CapacityProviderAssociation
    let assoc_address = "ClusterStack.CapacityProviderAssociation";
    let assoc_props = json!({
        "CapacityProviders": [cp.physical_id],
        "Cluster": cluster_name,
        "DefaultCapacityProviderStrategy": [
            {"Base": 0, "CapacityProvider": cp.physical_id, "Weight": 1}
        ]
    });
    let assoc = env
        .create(ASSOCIATION, assoc_address, &assoc_props, None)
        .await;
    assert_eq!(assoc.physical_id, cluster_name, "Ref is the cluster name");
    let found = env.describe_cluster(&cluster_name).await.expect("cluster");
    assert_eq!(
        found.capacity_providers(),
        std::slice::from_ref(&cp.physical_id)
    );
    let (observed, _) = present(
        env.read(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_props)
            .await,
    );
    assert_eq!(observed, assoc_props);
    let mut assoc_after = assoc_props.clone();
    assoc_after["DefaultCapacityProviderStrategy"][0]["Weight"] = json!("2");
    env.update(
        ASSOCIATION,
        assoc_address,
        &assoc,
        &assoc_props,
        &assoc_after,
    )
    .await;
    let found = env.describe_cluster(&cluster_name).await.expect("cluster");
    assert_eq!(
        found
            .default_capacity_provider_strategy()
            .first()
            .map(|s| s.weight()),
        Some(2)
    );
    let (observed, _) = present(
        env.read(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_after)
            .await,
    );
    assert_eq!(observed, assoc_after);

    // ServiceStack.TaskDefinition
    let task_props = nginx_task(
        "itest-e2e-web",
        "/itest/e2e",
        "arn:aws:iam::123456789012:role/itest-e2e-exec",
    );
    let task = env
        .create(
            TASK_DEFINITION,
            "ServiceStack.TaskDefinition",
            &task_props,
            None,
        )
        .await;

    // ServiceStack.ServiceTargetGroup behind a listener (fixtures, made with ELBv2 directly).
    let target_group = env.target_group("itest-e2e", &net, &second_subnet).await;

    // ServiceStack.Service
    let svc_address = "ServiceStack.Service";
    let svc_props = json!({
        "ServiceName": "itest-e2e-web",
        "Cluster": cluster_name,
        "PlacementStrategies": [
            {"Field": "attribute:ecs.availability-zone", "Type": "spread"},
            {"Field": "cpu", "Type": "binpack"}
        ],
        "CapacityProviderStrategy": [
            {"Base": 0, "CapacityProvider": cp.physical_id, "Weight": 1}
        ],
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {"SecurityGroups": [net.group], "Subnets": [net.subnet]}
        },
        "DeploymentConfiguration": {"MaximumPercent": 200, "MinimumHealthyPercent": "75"},
        "DesiredCount": "2",
        "TaskDefinition": task.physical_id,
        "LoadBalancers": [
            {"ContainerName": "itest-e2e-web", "ContainerPort": "80", "TargetGroupArn": target_group}
        ],
        "Tags": [{"Key": "app", "Value": "web"}]
    });
    let svc = env.create(SERVICE, svc_address, &svc_props, None).await;
    assert!(
        svc.physical_id
            .ends_with(&format!(":service/{cluster_name}/itest-e2e-web")),
        "{}",
        svc.physical_id
    );
    assert_eq!(svc.attributes["Name"], json!("itest-e2e-web"));
    assert_eq!(svc.attributes["ServiceArn"], json!(svc.physical_id));
    let found = env
        .describe_service(&cluster_name, &svc.physical_id)
        .await
        .expect("service");
    assert_eq!(found.status(), Some("ACTIVE"));
    assert_eq!(found.desired_count(), 2);
    assert_eq!(found.task_definition(), Some(task.physical_id.as_str()));
    let lb = found.load_balancers().first().expect("load balancer");
    assert_eq!(lb.target_group_arn(), Some(target_group.as_str()));
    assert_eq!(lb.container_port(), Some(80));
    let vpc = found
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .expect("awsvpc configuration");
    assert_eq!(vpc.subnets(), std::slice::from_ref(&net.subnet));
    assert_eq!(
        tags(found.tags()).get("infra:address").map(String::as_str),
        Some(svc_address)
    );

    let (observed, attributes) = present(
        env.read(SERVICE, svc_address, &svc.physical_id, &svc_props)
            .await,
    );
    assert_eq!(attributes["ServiceArn"], json!(svc.physical_id));
    // moto's CreateService ignores capacityProviderStrategy, placementStrategy and
    // deploymentConfiguration (DescribeServices returns none of them; AWS returns what was
    // set), so only the properties moto keeps are compared here.
    for key in [
        "ServiceName",
        "Cluster",
        "NetworkConfiguration",
        "DesiredCount",
        "TaskDefinition",
        "LoadBalancers",
        "Tags",
    ] {
        assert_eq!(observed[key], svc_props[key], "{key}");
    }

    // A retried create (its first answer lost) adopts what the first attempt made.
    let again = env.create(SERVICE, svc_address, &svc_props, None).await;
    assert_eq!(again.physical_id, svc.physical_id);
    let again = env
        .create(
            CAPACITY_PROVIDER,
            cp_address,
            &cp_after,
            Some("itest-e2e-cp"),
        )
        .await;
    assert_eq!(again.physical_id, cp.physical_id);

    // One DescribeServices call for every service of the cluster; a missing one is gone.
    let missing = format!("arn:aws:ecs:us-east-1:123456789012:service/{cluster_name}/itest-nope");
    let before = env.calls.count("DescribeServices");
    let got = env
        .read_many(
            SERVICE,
            &[
                (svc_address, svc.physical_id.as_str(), &svc_props),
                ("ServiceStack.Missing", missing.as_str(), &svc_props),
            ],
        )
        .await;
    assert_eq!(env.calls.count("DescribeServices") - before, 1);
    assert_eq!(got["ServiceStack.Missing"], Observation::Gone);
    assert!(matches!(got[svc_address], Observation::Present { .. }));

    // Update in place: a new task definition revision and another desired count.
    let task2_props = {
        let mut t = task_props.clone();
        t["ContainerDefinitions"][0]["Environment"] = json!([{"Name": "MODE", "Value": "v2"}]);
        t
    };
    let task2 = env
        .create(
            TASK_DEFINITION,
            "ServiceStack.TaskDefinition",
            &task2_props,
            None,
        )
        .await;
    assert!(
        task2
            .physical_id
            .ends_with(":task-definition/itest-e2e-web:2")
    );
    let mut svc_after = svc_props.clone();
    svc_after["DesiredCount"] = json!(3);
    svc_after["TaskDefinition"] = json!(task2.physical_id);
    svc_after["Tags"] = json!([{"Key": "app", "Value": "web"}, {"Key": "rev", "Value": "2"}]);
    env.update(SERVICE, svc_address, &svc, &svc_props, &svc_after)
        .await;
    let found = env
        .describe_service(&cluster_name, &svc.physical_id)
        .await
        .expect("service");
    assert_eq!(found.desired_count(), 3);
    assert_eq!(found.task_definition(), Some(task2.physical_id.as_str()));
    assert_eq!(tags(found.tags()).get("rev").map(String::as_str), Some("2"));
    // The old revision goes once the service no longer uses it (the plan's replacement).
    env.delete(
        TASK_DEFINITION,
        "ServiceStack.TaskDefinition",
        &task.physical_id,
        &task_props,
    )
    .await;

    // --- Teardown, reverse order (DESIGN.md "Native teardown"). ---

    // 1. The service: scaled to 0, force-deleted, INACTIVE.
    env.delete(SERVICE, svc_address, &svc.physical_id, &svc_after)
        .await;
    let gone = env.describe_service(&cluster_name, &svc.physical_id).await;
    assert!(
        gone.as_ref().is_none_or(|s| s.status() == Some("INACTIVE")),
        "{gone:?}"
    );
    // moto keeps the scale-to-0 from UpdateService; AWS does too (desiredCount 0 before the
    // delete), so a service that was still there is at 0.
    if let Some(s) = &gone {
        assert_eq!(s.desired_count(), 0);
    }
    assert_eq!(
        env.read(SERVICE, svc_address, &svc.physical_id, &svc_after)
            .await,
        Observation::Gone
    );
    env.delete(SERVICE, svc_address, &svc.physical_id, &svc_after)
        .await;

    // 2. The association removed (empty lists), then the capacity provider deleted.
    env.delete(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_after)
        .await;
    let found = env.describe_cluster(&cluster_name).await.expect("cluster");
    assert!(found.capacity_providers().is_empty());
    assert!(found.default_capacity_provider_strategy().is_empty());
    assert_eq!(
        env.read(ASSOCIATION, assoc_address, &assoc.physical_id, &assoc_after)
            .await,
        Observation::Gone
    );
    env.delete(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
        .await;
    // moto removes a deleted capacity provider at once; AWS keeps it INACTIVE for a while.
    // Either way refresh calls it gone.
    assert!(
        env.describe_provider(&cp.physical_id)
            .await
            .is_none_or(|p| p.status().map(|s| s.as_str()) == Some("INACTIVE"))
    );
    assert_eq!(
        env.read(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
            .await,
        Observation::Gone
    );
    env.delete(CAPACITY_PROVIDER, cp_address, &cp.physical_id, &cp_after)
        .await;

    // 3. The Auto Scaling group (the ASG provider's part; a fixture here).
    env.autoscaling
        .delete_auto_scaling_group()
        .auto_scaling_group_name(asg)
        .force_delete(true)
        .send()
        .await
        .expect("DeleteAutoScalingGroup");

    // 4. The cluster.
    env.delete(
        CLUSTER,
        "ClusterStack.ECSCluster",
        &cluster_name,
        &cluster_props,
    )
    .await;
    assert_eq!(
        env.read(
            CLUSTER,
            "ClusterStack.ECSCluster",
            &cluster_name,
            &cluster_props
        )
        .await,
        Observation::Gone
    );
    env.delete(
        TASK_DEFINITION,
        "ServiceStack.TaskDefinition",
        &task2.physical_id,
        &task2_props,
    )
    .await;

    // Nothing left: no active cluster, service, capacity provider or task definition of ours.
    let clusters = env.ecs.list_clusters().send().await.expect("ListClusters");
    for arn in clusters.cluster_arns() {
        if arn.ends_with(&format!("/{cluster_name}")) {
            let c = env.describe_cluster(arn).await;
            assert!(c.is_none_or(|c| c.status() == Some("INACTIVE")), "{arn}");
        }
    }
    // DescribeCapacityProviders without names lists every provider on AWS; moto answers it
    // with an internal error, so the provider is looked up by name instead.
    assert!(
        env.describe_provider(&cp.physical_id)
            .await
            .is_none_or(|p| p.status().map(|s| s.as_str()) == Some("INACTIVE"))
    );
    let active = env
        .ecs
        .list_task_definitions()
        .family_prefix("itest-e2e-web")
        .send()
        .await
        .expect("ListTaskDefinitions");
    assert!(active.task_definition_arns().is_empty(), "{active:?}");
}

/// `find` after an interrupted create, for every ECS type: nothing before the create, what the
/// create returned after it, nothing for another resource's tags or another natural key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_what_an_interrupted_create_made() {
    let env = Env::new().await;
    let cluster_props = json!({"Tags": [{"Key": "team", "Value": "web"}]});
    let cluster = env
        .create_and_find(
            CLUSTER,
            "Find.Cluster",
            &cluster_props,
            Some("itest-find-cluster"),
        )
        .await;

    let net = env.network("10.43.0.0/16", "10.43.1.0/24").await;
    let asg = "itest-find-asg";
    env.auto_scaling_group(asg, &net).await;
    let cp_props = json!({"AutoScalingGroupProvider": {"AutoScalingGroupArn": asg}});
    let cp = env
        .create_and_find(
            CAPACITY_PROVIDER,
            "Find.CP",
            &cp_props,
            Some("itest-find-cp"),
        )
        .await;

    // The association cannot be tagged: it is found by its cluster holding these lists.
    let assoc_props = json!({
        "Cluster": cluster.physical_id,
        "CapacityProviders": [cp.physical_id],
        "DefaultCapacityProviderStrategy": [{"CapacityProvider": cp.physical_id, "Weight": 1}]
    });
    let envr = &env;
    let find_assoc = move |props: Value| async move {
        envr.find(
            ASSOCIATION,
            "Find.Assoc",
            &props,
            None,
            BTreeMap::new(),
            None,
        )
        .await
    };
    assert_eq!(find_assoc(assoc_props.clone()).await, None, "before");
    let assoc = env
        .create(ASSOCIATION, "Find.Assoc", &assoc_props, None)
        .await;
    assert_eq!(find_assoc(assoc_props.clone()).await, Some(assoc.clone()));
    let mut other = assoc_props.clone();
    other["DefaultCapacityProviderStrategy"][0]["Weight"] = json!(2);
    assert_eq!(find_assoc(other).await, None, "another strategy");

    // A task definition: the family's newest revision of ours, when it has these properties.
    let task_props = nginx_task(
        "itest-find-web",
        "/itest/find",
        "arn:aws:iam::123456789012:role/x",
    );
    let task = env
        .create_and_find(TASK_DEFINITION, "Find.Task", &task_props, None)
        .await;
    let mut task2_props = task_props.clone();
    task2_props["ContainerDefinitions"][0]["Image"] = json!("public.ecr.aws/nginx/nginx:1");
    assert_eq!(
        env.find(
            TASK_DEFINITION,
            "Find.Task",
            &task2_props,
            None,
            infra_tags("Find.Task"),
            None
        )
        .await,
        None,
        "the replacement's revision is not registered yet"
    );
    let task2 = env
        .create(TASK_DEFINITION, "Find.Task", &task2_props, None)
        .await;
    assert_eq!(
        env.find(
            TASK_DEFINITION,
            "Find.Task",
            &task2_props,
            None,
            infra_tags("Find.Task"),
            Some(&task.physical_id)
        )
        .await,
        Some(task2.clone())
    );

    let svc_props = json!({
        "ServiceName": "itest-find-svc",
        "Cluster": cluster.physical_id,
        "DesiredCount": 0,
        "TaskDefinition": task2.physical_id,
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {"SecurityGroups": [net.group], "Subnets": [net.subnet]}
        }
    });
    let svc = env
        .create_and_find(SERVICE, "Find.Service", &svc_props, None)
        .await;

    env.delete(SERVICE, "Find.Service", &svc.physical_id, &svc_props)
        .await;
    assert_eq!(
        env.find(
            SERVICE,
            "Find.Service",
            &svc_props,
            None,
            infra_tags("Find.Service"),
            None
        )
        .await,
        None,
        "a deleted service does not count"
    );
    env.delete(ASSOCIATION, "Find.Assoc", &assoc.physical_id, &assoc_props)
        .await;
    env.delete(CAPACITY_PROVIDER, "Find.CP", &cp.physical_id, &cp_props)
        .await;
    for (out, props) in [(&task, &task_props), (&task2, &task2_props)] {
        env.delete(TASK_DEFINITION, "Find.Task", &out.physical_id, props)
            .await;
    }
    assert_eq!(
        env.find(
            TASK_DEFINITION,
            "Find.Task",
            &task2_props,
            None,
            infra_tags("Find.Task"),
            None
        )
        .await,
        None,
        "deregistered revisions do not count"
    );
    env.autoscaling
        .delete_auto_scaling_group()
        .auto_scaling_group_name(asg)
        .force_delete(true)
        .send()
        .await
        .expect("DeleteAutoScalingGroup");
    env.delete(
        CLUSTER,
        "Find.Cluster",
        &cluster.physical_id,
        &cluster_props,
    )
    .await;
    assert_eq!(
        env.find(
            CLUSTER,
            "Find.Cluster",
            &cluster_props,
            Some("itest-find-cluster"),
            infra_tags("Find.Cluster"),
            None
        )
        .await,
        None,
        "an INACTIVE cluster does not count"
    );
}
