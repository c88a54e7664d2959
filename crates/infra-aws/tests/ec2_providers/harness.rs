//! The test harness: the EC2 providers wired to the emulator, an EC2 client that counts the
//! operations it sends, the `Made` record of what a provider created, and shared helpers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::support::Emulator;
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use infra_aws::provider::{
    CreateInput, DeleteInput, Observation, ProviderError, Providers, ReadInput, ResourceOutput,
    UpdateInput,
};
use infra_aws::providers::ec2;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};

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

    /// Every operation sent so far.
    pub(crate) fn total(&self) -> usize {
        self.0.lock().map(|calls| calls.len()).unwrap_or_default()
    }
}

#[derive(Debug)]
struct CountCalls(Arc<Calls>);

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    // Once per operation (retries included); the operation's metadata is in the bag by then.
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

/// The providers, an EC2 client to check what they did, and the stack name their tags carry.
pub(crate) struct Harness {
    pub(crate) providers: Providers,
    pub(crate) client: Client,
    /// Where key pairs keep their private keys.
    pub(crate) ssm: aws_sdk_ssm::Client,
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
    pub(crate) fn id(&self) -> &str {
        &self.out.physical_id
    }

    pub(crate) fn attr(&self, name: &str) -> &str {
        self.out
            .attributes
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{} has no attribute {name}: {:?}", self.address, self.out))
    }
}

pub(crate) async fn emulator_config() -> SdkConfig {
    let settings = AwsSettings {
        region: Some(crate::support::REGION.into()),
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

impl Harness {
    pub(crate) async fn new(stack: &str) -> Harness {
        let config = emulator_config().await;
        let calls = Arc::new(Calls::default());
        let client = Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&config)
                .interceptor(CountCalls(calls.clone()))
                .build(),
        );
        let ssm = aws_sdk_ssm::Client::new(&config);
        let mut providers = Providers::default();
        let endpoint = &Emulator::shared().endpoint;
        ec2::register(&mut providers, &client, endpoint, &ssm, endpoint);
        Harness {
            providers,
            client,
            ssm,
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

    /// The name the engine would generate for `address` (a security group's `GroupName`).
    pub(crate) fn generated_name(&self, address: &str) -> String {
        format!("{}-{}-GENERATED", self.stack, address.replace('.', "-"))
    }

    pub(crate) fn provider(&self, type_name: &str) -> &dyn infra_aws::provider::ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    pub(crate) async fn try_create(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Result<Made, ProviderError> {
        let input = CreateInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: self.infra_tags(address),
            generated_name: Some(self.generated_name(address)),
            checkpoint: Default::default(),
        };
        let out = self.provider(type_name).create(&input).await?;
        Ok(Made {
            address: address.to_owned(),
            type_name,
            properties,
            out,
        })
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
        assert_eq!(seen.len(), 1, "{seen:?}");
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
        let seen = self.read(made).await;
        assert_eq!(
            seen,
            Observation::Gone,
            "{} still reads as present",
            made.address
        );
    }

    pub(crate) async fn update(&self, made: &Made, after: Value) -> Made {
        let input = UpdateInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.out.physical_id.clone(),
            before: made.properties.clone(),
            after: after.clone(),
            attributes: made.out.attributes.clone(),
            tags: self.infra_tags(&made.address),
        };
        let out = self
            .provider(made.type_name)
            .update(&input)
            .await
            .unwrap_or_else(|e| panic!("updating {}: {e}", made.address));
        Made {
            properties: after,
            out,
            ..made.clone()
        }
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

    /// The tags EC2 holds for `resource_id`.
    pub(crate) async fn aws_tags(&self, resource_id: &str) -> BTreeMap<String, String> {
        let out = self
            .client
            .describe_tags()
            .filters(
                Filter::builder()
                    .name("resource-id")
                    .values(resource_id)
                    .build(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeTags: {e:?}"));
        out.tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
            .collect()
    }

    pub(crate) fn stack_filter(&self) -> Filter {
        Filter::builder()
            .name("tag:infra:stack")
            .values(&self.stack)
            .build()
    }

    pub(crate) async fn vpc(&self, cidr: &str) -> Made {
        self.create("Net.VPC", "AWS::EC2::VPC", json!({"CidrBlock": cidr}))
            .await
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

/// VPCs, subnets, NAT gateways (not deleted), Elastic IPs and internet gateways tagged with the
/// harness's stack.
pub(crate) async fn counts(h: &Harness) -> [usize; 5] {
    let c = &h.client;
    let f = || h.stack_filter();
    let vpcs = c
        .describe_vpcs()
        .filters(f())
        .send()
        .await
        .map(|o| o.vpcs().len());
    let subnets = c
        .describe_subnets()
        .filters(f())
        .send()
        .await
        .map(|o| o.subnets().len());
    // moto ignores tag filters on DescribeNatGateways (AWS applies them) and answers every NAT
    // gateway, other tests' too: the stack's are picked here by their tag.
    let nats = c.describe_nat_gateways().filter(f()).send().await.map(|o| {
        o.nat_gateways()
            .iter()
            .filter(|n| n.state().is_some_and(|s| s.as_str() != "deleted"))
            .filter(|n| {
                n.tags()
                    .iter()
                    .any(|t| t.key() == Some("infra:stack") && t.value() == Some(h.stack.as_str()))
            })
            .count()
    });
    let eips = c
        .describe_addresses()
        .filters(f())
        .send()
        .await
        .map(|o| o.addresses().len());
    let igws = c
        .describe_internet_gateways()
        .filters(f())
        .send()
        .await
        .map(|o| o.internet_gateways().len());
    [
        vpcs.unwrap_or_else(|e| panic!("{e:?}")),
        subnets.unwrap_or_else(|e| panic!("{e:?}")),
        nats.unwrap_or_else(|e| panic!("{e:?}")),
        eips.unwrap_or_else(|e| panic!("{e:?}")),
        igws.unwrap_or_else(|e| panic!("{e:?}")),
    ]
}
