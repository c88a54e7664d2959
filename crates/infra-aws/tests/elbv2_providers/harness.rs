//! Shared set-up for the ELBv2 provider tests: the emulator's SDK config, the providers with a
//! call-counting ELBv2 client, create/read/update/delete helpers, AWS-side checks, and the EC2
//! network fixtures a load balancer needs.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::support::{self, Emulator};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_elasticloadbalancingv2::Client;
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
use infra_aws::providers::elbv2;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};

pub(crate) const LB: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
pub(crate) const TG: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
pub(crate) const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
pub(crate) const RULE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";

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

async fn emulator_config() -> SdkConfig {
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

/// The providers, clients to check what they did, and the stack name their tags carry.
pub(crate) struct Harness {
    pub(crate) providers: Providers,
    pub(crate) elb: Client,
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) calls: Arc<Calls>,
    pub(crate) stack: String,
}

/// A resource made through a provider.
#[derive(Debug, Clone)]
pub(crate) struct Made {
    pub(crate) address: String,
    pub(crate) type_name: &'static str,
    pub(crate) properties: Value,
    pub(crate) out: ResourceOutput,
}

impl Made {
    pub(crate) fn arn(&self) -> &str {
        &self.out.physical_id
    }

    pub(crate) fn attr(&self, name: &str) -> &Value {
        self.out
            .attributes
            .get(name)
            .unwrap_or_else(|| panic!("{} has no attribute {name}: {:?}", self.address, self.out))
    }
}

/// The network a load balancer needs, made with the EC2 API.
#[derive(Debug)]
pub(crate) struct Network {
    pub(crate) vpc: String,
    pub(crate) subnets: Vec<String>,
    pub(crate) security_group: String,
}

impl Harness {
    pub(crate) async fn new(stack: &str) -> Harness {
        let config = emulator_config().await;
        let calls = Arc::new(Calls::default());
        let elb = Client::from_conf(
            aws_sdk_elasticloadbalancingv2::config::Builder::from(&config)
                .interceptor(CountCalls(calls.clone()))
                .build(),
        );
        let mut providers = Providers::default();
        elbv2::register(&mut providers, &elb);
        Harness {
            providers,
            elb,
            ec2: aws_sdk_ec2::Client::new(&config),
            calls,
            stack: stack.to_owned(),
        }
    }

    pub(crate) fn infra_tags(&self, address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:stack".to_owned(), self.stack.clone()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    pub(crate) fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    /// A name as the engine generates it: `<stack>-<logical>-<SUFFIX>`, at most 32 characters.
    pub(crate) fn generated_name(&self, address: &str) -> String {
        let logical = address.rsplit('.').next().unwrap_or(address);
        let mut front = format!("{}-{logical}", self.stack);
        front.truncate(32 - 7);
        format!("{}-GEN{:03}", front.trim_end_matches('-'), address.len())
    }

    pub(crate) async fn try_create(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Result<Made, ProviderError> {
        let named = matches!(type_name, LB | TG) && properties.get("Name").is_none();
        let generated_name = named.then(|| self.generated_name(address));
        let input = CreateInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: self.infra_tags(address),
            generated_name: generated_name.clone(),
            checkpoint: Default::default(),
        };
        let out = self.provider(type_name).create(&input).await?;
        // As the engine does, the generated name is recorded in the properties.
        let mut properties = properties;
        if let (Some(name), Some(map)) = (generated_name, properties.as_object_mut()) {
            map.insert("Name".into(), Value::String(name));
        }
        Ok(Made {
            address: address.to_owned(),
            type_name,
            properties,
            out,
        })
    }

    /// `find` as the engine calls it after an interrupted create of `address` (the tags of
    /// `tagged_as`; the name it generated, if any; the object a replacement replaces).
    pub(crate) async fn find(
        &self,
        address: &str,
        type_name: &'static str,
        properties: &Value,
        tagged_as: &str,
        replacing: Option<&str>,
    ) -> Option<ResourceOutput> {
        let named = matches!(type_name, LB | TG) && properties.get("Name").is_none();
        let input = FindInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: self.infra_tags(tagged_as),
            name: named.then(|| self.generated_name(address)),
            replacing: replacing.map(str::to_owned),
            checkpoint: Default::default(),
        };
        self.provider(type_name)
            .find(&input)
            .await
            .unwrap_or_else(|e| panic!("finding {address}: {e} ({:?})", e.class))
    }

    /// Creates, checking `find` around it: nothing before the create; after it, what the create
    /// returned; nothing for another address's tags, nor when it is the object being replaced.
    pub(crate) async fn create_and_find(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Made {
        let find =
            |tagged_as, replacing| self.find(address, type_name, &properties, tagged_as, replacing);
        assert_eq!(find(address, None).await, None, "{address}: before");
        let made = self.create(address, type_name, properties.clone()).await;
        assert_eq!(
            find(address, None).await.as_ref(),
            Some(&made.out),
            "{address}"
        );
        assert_eq!(find("Other.Address", None).await, None, "{address}");
        assert_eq!(find(address, Some(made.arn())).await, None, "{address}");
        made
    }

    pub(crate) async fn create(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Made {
        self.try_create(address, type_name, properties)
            .await
            .unwrap_or_else(|e| panic!("creating {address}: {e} ({:?})", e.class))
    }

    pub(crate) async fn read_all(&self, made: &[&Made]) -> BTreeMap<String, Observation> {
        let type_name = made[0].type_name;
        let items: Vec<ReadInput> = made
            .iter()
            .map(|m| ReadInput {
                address: m.address.clone(),
                type_name: String::new(),
                physical_id: m.out.physical_id.clone(),
                properties: m.properties.clone(),
                attributes: m.out.attributes.clone(),
            })
            .collect();
        self.provider(type_name)
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("reading {type_name}: {e}"))
    }

    pub(crate) async fn read(&self, made: &Made) -> Observation {
        let mut seen = self.read_all(&[made]).await;
        seen.remove(&made.address)
            .unwrap_or_else(|| panic!("no observation for {}", made.address))
    }

    /// Reads `made` and checks that it is present with exactly its last applied properties.
    pub(crate) async fn assert_present(&self, made: &Made) -> BTreeMap<String, Value> {
        match self.read(made).await {
            Observation::Present {
                properties,
                attributes,
            } => {
                assert_eq!(
                    properties, made.properties,
                    "{} as read differs from what was applied",
                    made.address
                );
                attributes
            }
            Observation::Gone => panic!("{} reads as gone", made.address),
        }
    }

    pub(crate) async fn assert_gone(&self, made: &Made) {
        assert_eq!(
            self.read(made).await,
            Observation::Gone,
            "{} still reads as present",
            made.address
        );
    }

    pub(crate) async fn try_update(
        &self,
        made: &Made,
        after: Value,
    ) -> Result<Made, ProviderError> {
        // The engine keeps a generated name in the desired properties.
        let mut after = after;
        if let (Some(name), Some(map)) = (made.properties.get("Name"), after.as_object_mut()) {
            map.entry("Name").or_insert_with(|| name.clone());
        }
        let input = UpdateInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.out.physical_id.clone(),
            before: made.properties.clone(),
            after: after.clone(),
            attributes: made.out.attributes.clone(),
            tags: self.infra_tags(&made.address),
        };
        let out = self.provider(made.type_name).update(&input).await?;
        Ok(Made {
            properties: after,
            out,
            ..made.clone()
        })
    }

    pub(crate) async fn update(&self, made: &Made, after: Value) -> Made {
        self.try_update(made, after)
            .await
            .unwrap_or_else(|e| panic!("updating {}: {e}", made.address))
    }

    pub(crate) async fn try_delete(&self, made: &Made) -> Result<(), ProviderError> {
        let input = DeleteInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.out.physical_id.clone(),
            properties: made.properties.clone(),
            attributes: made.out.attributes.clone(),
        };
        self.provider(made.type_name).delete(&input).await
    }

    /// Deletes, checks it reads as gone, and that deleting again is fine.
    pub(crate) async fn delete(&self, made: &Made) {
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", made.address));
        self.assert_gone(made).await;
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {} again: {e}", made.address));
    }

    /// The tags ELBv2 holds for `arn`.
    pub(crate) async fn aws_tags(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .elb
            .describe_tags()
            .resource_arns(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeTags: {e:?}"));
        out.tag_descriptions()
            .iter()
            .flat_map(|d| d.tags())
            .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
            .collect()
    }

    pub(crate) async fn lb_attributes(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeLoadBalancerAttributes: {e:?}"));
        out.attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_owned(), a.value()?.to_owned())))
            .collect()
    }

    pub(crate) async fn tg_attributes(&self, arn: &str) -> BTreeMap<String, String> {
        let out = self
            .elb
            .describe_target_group_attributes()
            .target_group_arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeTargetGroupAttributes: {e:?}"));
        out.attributes()
            .iter()
            .filter_map(|a| Some((a.key()?.to_owned(), a.value()?.to_owned())))
            .collect()
    }

    /// A VPC (`10.<octet>.0.0/16`), two subnets in two zones and a security group.
    pub(crate) async fn network(&self, octet: u8) -> Network {
        let vpc = self
            .ec2
            .create_vpc()
            .cidr_block(format!("10.{octet}.0.0/16"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateVpc: {e:?}"))
            .vpc
            .and_then(|v| v.vpc_id)
            .expect("a VPC id");
        let mut subnets = Vec::new();
        for (i, az) in ["us-east-1a", "us-east-1b"].into_iter().enumerate() {
            let subnet = self
                .ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(format!("10.{octet}.{i}.0/24"))
                .availability_zone(az)
                .send()
                .await
                .unwrap_or_else(|e| panic!("CreateSubnet: {e:?}"))
                .subnet
                .and_then(|s| s.subnet_id)
                .expect("a subnet id");
            subnets.push(subnet);
        }
        let security_group = self
            .ec2
            .create_security_group()
            .group_name(format!("{}-lb", self.stack))
            .description("load balancer")
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateSecurityGroup: {e:?}"))
            .group_id
            .expect("a group id");
        Network {
            vpc,
            subnets,
            security_group,
        }
    }

    pub(crate) async fn drop_network(&self, net: &Network) {
        let _ = self
            .ec2
            .delete_security_group()
            .group_id(&net.security_group)
            .send()
            .await;
        for subnet in &net.subnets {
            let _ = self.ec2.delete_subnet().subnet_id(subnet).send().await;
        }
        let _ = self.ec2.delete_vpc().vpc_id(&net.vpc).send().await;
    }
}

pub(crate) fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

pub(crate) fn observed_properties(seen: Observation) -> Value {
    match seen {
        Observation::Present { properties, .. } => properties,
        Observation::Gone => panic!("reads as gone"),
    }
}
