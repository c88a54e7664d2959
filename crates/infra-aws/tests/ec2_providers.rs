//! The EC2 network providers against the AWS API emulator (moto server;
//! `scripts/setup-emulator`): create → read → update → delete → read for every type, the
//! fixture's network built and torn down in dependency order, and batched reads.
//!
//! The providers follow AWS's documented behaviour; where moto differs, only the test adapts,
//! with a comment naming the difference.

#[path = "../../../tests/support/mod.rs"]
#[allow(clippy::collapsible_if)]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

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
    CreateInput, DeleteInput, FailureClass, FindInput, Observation, ProviderError, Providers,
    ReadInput, ResourceOutput, UpdateInput,
};
use infra_aws::providers::ec2;
use infra_aws::{AwsSettings, load_config};
use serde_json::{Value, json};
use support::Emulator;

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

    /// Every operation sent so far.
    fn total(&self) -> usize {
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
struct Harness {
    providers: Providers,
    client: Client,
    calls: Arc<Calls>,
    stack: String,
}

/// A resource made through a provider.
#[derive(Debug, Clone)]
struct Made {
    address: String,
    type_name: &'static str,
    properties: Value,
    out: ResourceOutput,
}

impl Made {
    fn id(&self) -> &str {
        &self.out.physical_id
    }

    fn attr(&self, name: &str) -> &str {
        self.out
            .attributes
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{} has no attribute {name}: {:?}", self.address, self.out))
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

impl Harness {
    async fn new(stack: &str) -> Harness {
        let config = emulator_config().await;
        let calls = Arc::new(Calls::default());
        let client = Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&config)
                .interceptor(CountCalls(calls.clone()))
                .build(),
        );
        let mut providers = Providers::default();
        ec2::register(&mut providers, &client, &Emulator::shared().endpoint);
        Harness {
            providers,
            client,
            calls,
            stack: stack.to_owned(),
        }
    }

    fn infra_tags(&self, address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:stack".to_owned(), self.stack.clone()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    /// The name the engine would generate for `address` (a security group's `GroupName`).
    fn generated_name(&self, address: &str) -> String {
        format!("{}-{}-GENERATED", self.stack, address.replace('.', "-"))
    }

    fn provider(&self, type_name: &str) -> &dyn infra_aws::provider::ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    async fn try_create(
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
        };
        let out = self.provider(type_name).create(&input).await?;
        Ok(Made {
            address: address.to_owned(),
            type_name,
            properties,
            out,
        })
    }

    async fn create(&self, address: &str, type_name: &'static str, properties: Value) -> Made {
        self.try_create(address, type_name, properties)
            .await
            .unwrap_or_else(|e| panic!("creating {address}: {e} ({:?})", e.class))
    }

    async fn read_all(&self, made: &[&Made]) -> BTreeMap<String, Observation> {
        let type_name = made[0].type_name;
        let items: Vec<ReadInput> = made
            .iter()
            .map(|m| ReadInput {
                address: m.address.clone(),
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

    async fn read(&self, made: &Made) -> Observation {
        let mut seen = self.read_all(&[made]).await;
        assert_eq!(seen.len(), 1, "{seen:?}");
        seen.remove(&made.address)
            .unwrap_or_else(|| panic!("no observation for {}", made.address))
    }

    /// Reads `made` and checks that it is present with exactly its last applied properties.
    async fn assert_present(&self, made: &Made) -> BTreeMap<String, Value> {
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

    async fn assert_gone(&self, made: &Made) {
        let seen = self.read(made).await;
        assert_eq!(
            seen,
            Observation::Gone,
            "{} still reads as present",
            made.address
        );
    }

    async fn update(&self, made: &Made, after: Value) -> Made {
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

    async fn try_delete(&self, made: &Made) -> Result<(), ProviderError> {
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
    async fn delete(&self, made: &Made) {
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", made.address));
        self.assert_gone(made).await;
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {} again: {e}", made.address));
    }

    /// The tags EC2 holds for `resource_id`.
    async fn aws_tags(&self, resource_id: &str) -> BTreeMap<String, String> {
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

    fn stack_filter(&self) -> Filter {
        Filter::builder()
            .name("tag:infra:stack")
            .values(&self.stack)
            .build()
    }

    async fn vpc(&self, cidr: &str) -> Made {
        self.create("Net.VPC", "AWS::EC2::VPC", json!({"CidrBlock": cidr}))
            .await
    }
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

#[tokio::test]
async fn vpc_create_read_update_delete() {
    let h = Harness::new("vpc-life").await;
    let vpc = h
        .create(
            "Net.VPC",
            "AWS::EC2::VPC",
            json!({
                "CidrBlock": "10.10.0.0/16",
                "EnableDnsSupport": true,
                "EnableDnsHostnames": "true",
                "InstanceTenancy": "default",
                "Tags": tags(&[("Name", "main"), ("Team", "net")]),
            }),
        )
        .await;
    assert!(vpc.id().starts_with("vpc-"), "{:?}", vpc.out);
    assert_eq!(vpc.attr("VpcId"), vpc.id());
    assert_eq!(vpc.attr("CidrBlock"), "10.10.0.0/16");
    assert!(vpc.attr("DefaultSecurityGroup").starts_with("sg-"));
    assert!(vpc.attr("DefaultNetworkAcl").starts_with("acl-"));
    assert_eq!(vpc.out.attributes["EnableDnsHostnames"], json!(true));

    // Tagged in the create call, with infra's tags.
    let on_aws = h.aws_tags(vpc.id()).await;
    assert_eq!(on_aws.get("Name").map(String::as_str), Some("main"));
    assert_eq!(
        on_aws.get("infra:stack").map(String::as_str),
        Some("vpc-life")
    );
    assert_eq!(
        on_aws.get("infra:address").map(String::as_str),
        Some("Net.VPC")
    );

    // EnableDnsHostnames was written as "true": read back as the boolean.
    let mut expected = vpc.clone();
    expected.properties["EnableDnsHostnames"] = json!(true);
    let attributes = h.assert_present(&expected).await;
    assert_eq!(
        attributes.get("DefaultSecurityGroup"),
        vpc.out.attributes.get("DefaultSecurityGroup")
    );

    let vpc = h
        .update(
            &vpc,
            json!({
                "CidrBlock": "10.10.0.0/16",
                "EnableDnsSupport": true,
                "EnableDnsHostnames": false,
                "InstanceTenancy": "default",
                "Tags": tags(&[("Name", "renamed"), ("Env", "test")]),
            }),
        )
        .await;
    h.assert_present(&vpc).await;
    let on_aws = h.aws_tags(vpc.id()).await;
    assert_eq!(on_aws.get("Name").map(String::as_str), Some("renamed"));
    assert_eq!(on_aws.get("Env").map(String::as_str), Some("test"));
    assert!(!on_aws.contains_key("Team"), "{on_aws:?}");
    assert!(on_aws.contains_key("infra:stack"), "{on_aws:?}");

    h.delete(&vpc).await;
}

#[tokio::test]
async fn subnet_create_read_update_delete() {
    let h = Harness::new("subnet-life").await;
    let vpc = h.vpc("10.20.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({
                "VpcId": vpc.id(),
                "CidrBlock": "10.20.1.0/24",
                "AvailabilityZone": "us-east-1a",
                "Tags": tags(&[("Name", "public-a")]),
            }),
        )
        .await;
    assert!(subnet.id().starts_with("subnet-"));
    assert_eq!(subnet.attr("SubnetId"), subnet.id());
    assert_eq!(subnet.attr("VpcId"), vpc.id());
    assert_eq!(subnet.attr("AvailabilityZone"), "us-east-1a");
    assert!(
        subnet
            .attr("NetworkAclAssociationId")
            .starts_with("aclassoc-")
    );
    h.assert_present(&subnet).await;

    let subnet = h
        .update(
            &subnet,
            json!({
                "VpcId": vpc.id(),
                "CidrBlock": "10.20.1.0/24",
                "AvailabilityZone": "us-east-1a",
                "MapPublicIpOnLaunch": true,
                "Tags": tags(&[("Name", "public-a"), ("Tier", "public")]),
            }),
        )
        .await;
    h.assert_present(&subnet).await;
    assert_eq!(subnet.out.attributes["MapPublicIpOnLaunch"], json!(true));

    // Removing the property puts EC2's default back.
    let subnet = h
        .update(
            &subnet,
            json!({"VpcId": vpc.id(), "CidrBlock": "10.20.1.0/24", "AvailabilityZone": "us-east-1a"}),
        )
        .await;
    assert_eq!(subnet.out.attributes["MapPublicIpOnLaunch"], json!(false));
    h.assert_present(&subnet).await;

    // Something still in the VPC: deleting it is a dependency violation the engine retries.
    let err = h
        .try_delete(&vpc)
        .await
        .expect_err("the subnet is in the VPC");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");
    assert!(
        err.message.contains("DeleteVpc") && err.message.contains("DependencyViolation"),
        "{err}"
    );
    assert!(err.message.contains("Net.VPC"), "{err}");

    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn internet_gateway_and_attachment() {
    let h = Harness::new("igw-life").await;
    let vpc = h.vpc("10.30.0.0/16").await;
    let igw = h
        .create(
            "Net.IGW",
            "AWS::EC2::InternetGateway",
            json!({"Tags": tags(&[("Name", "igw")])}),
        )
        .await;
    assert!(igw.id().starts_with("igw-"));
    assert_eq!(igw.attr("InternetGatewayId"), igw.id());
    h.assert_present(&igw).await;
    let igw = h
        .update(&igw, json!({"Tags": tags(&[("Name", "igw2")])}))
        .await;
    h.assert_present(&igw).await;
    assert_eq!(
        h.aws_tags(igw.id()).await.get("Name").map(String::as_str),
        Some("igw2")
    );

    let attachment = h
        .create(
            "Net.Attachment",
            "AWS::EC2::VPCGatewayAttachment",
            json!({"VpcId": vpc.id(), "InternetGatewayId": igw.id()}),
        )
        .await;
    assert_eq!(attachment.id(), format!("IGW|{}", vpc.id()));
    assert_eq!(attachment.attr("AttachmentType"), "IGW");
    h.assert_present(&attachment).await;

    // Attached: the gateway cannot go yet.
    let err = h.try_delete(&igw).await.expect_err("still attached");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");

    // Another gateway in place: detach the old one, attach the new one.
    let igw2 = h
        .create("Net.IGW2", "AWS::EC2::InternetGateway", json!({}))
        .await;
    let attachment = h
        .update(
            &attachment,
            json!({"VpcId": vpc.id(), "InternetGatewayId": igw2.id()}),
        )
        .await;
    h.assert_present(&attachment).await;
    let gateways = h
        .client
        .describe_internet_gateways()
        .internet_gateway_ids(igw.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        gateways.internet_gateways()[0].attachments().is_empty(),
        "the old gateway is detached"
    );

    h.delete(&attachment).await;
    h.delete(&igw).await;
    h.delete(&igw2).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn route_table_routes_and_associations() {
    let h = Harness::new("rtb-life").await;
    let vpc = h.vpc("10.40.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.40.1.0/24"}),
        )
        .await;
    let igw = h
        .create("Net.IGW", "AWS::EC2::InternetGateway", json!({}))
        .await;
    let attachment = h
        .create(
            "Net.Attachment",
            "AWS::EC2::VPCGatewayAttachment",
            json!({"VpcId": vpc.id(), "InternetGatewayId": igw.id()}),
        )
        .await;
    let table = h
        .create(
            "Net.Routes",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id(), "Tags": tags(&[("Name", "public")])}),
        )
        .await;
    assert!(table.id().starts_with("rtb-"));
    assert_eq!(table.attr("RouteTableId"), table.id());
    h.assert_present(&table).await;
    let table = h
        .update(
            &table,
            json!({"VpcId": vpc.id(), "Tags": tags(&[("Name", "public"), ("Tier", "web")])}),
        )
        .await;
    h.assert_present(&table).await;

    let route = h
        .create(
            "Net.DefaultRoute",
            "AWS::EC2::Route",
            json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.id()}),
        )
        .await;
    assert_eq!(route.id(), format!("{}|0.0.0.0/0", table.id()));
    assert_eq!(route.attr("CidrBlock"), "0.0.0.0/0");
    h.assert_present(&route).await;

    // A new target in place: ReplaceRoute.
    let eip = h
        .create("Net.EIP", "AWS::EC2::EIP", json!({"Domain": "vpc"}))
        .await;
    let nat = h
        .create(
            "Net.NAT",
            "AWS::EC2::NatGateway",
            json!({"SubnetId": subnet.id(), "AllocationId": eip.attr("AllocationId")}),
        )
        .await;
    let route = h
        .update(
            &route,
            json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat.id()}),
        )
        .await;
    h.assert_present(&route).await;

    let association = h
        .create(
            "Net.Association",
            "AWS::EC2::SubnetRouteTableAssociation",
            json!({"SubnetId": subnet.id(), "RouteTableId": table.id()}),
        )
        .await;
    assert!(association.id().starts_with("rtbassoc-"));
    assert_eq!(association.attr("Id"), association.id());
    h.assert_present(&association).await;

    // Associated: the table cannot go yet.
    let err = h.try_delete(&table).await.expect_err("still associated");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");

    // Moving the subnet to another table in place: ReplaceRouteTableAssociation.
    let table2 = h
        .create(
            "Net.Routes2",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    let moved = h
        .update(
            &association,
            json!({"SubnetId": subnet.id(), "RouteTableId": table2.id()}),
        )
        .await;
    assert_ne!(moved.id(), association.id(), "a new association id");
    h.assert_present(&moved).await;
    h.assert_gone(&association).await;

    h.delete(&moved).await;
    h.delete(&route).await;
    h.delete(&table2).await;
    h.delete(&table).await;
    h.delete(&nat).await;
    h.delete(&eip).await;
    h.delete(&attachment).await;
    h.delete(&igw).await;
    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn eip_and_nat_gateway() {
    let h = Harness::new("nat-life").await;
    let vpc = h.vpc("10.50.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.50.1.0/24"}),
        )
        .await;
    let eip = h
        .create(
            "Net.EIP",
            "AWS::EC2::EIP",
            json!({"Domain": "vpc", "Tags": tags(&[("Name", "nat-ip")])}),
        )
        .await;
    // Ref is the public IP; the allocation id is an attribute.
    assert!(
        eip.id().parse::<std::net::Ipv4Addr>().is_ok(),
        "{:?}",
        eip.out
    );
    assert_eq!(eip.attr("PublicIp"), eip.id());
    assert!(eip.attr("AllocationId").starts_with("eipalloc-"));
    assert_eq!(
        h.aws_tags(eip.attr("AllocationId"))
            .await
            .get("infra:address")
            .map(String::as_str),
        Some("Net.EIP")
    );
    h.assert_present(&eip).await;
    let eip = h
        .update(
            &eip,
            json!({"Domain": "vpc", "Tags": tags(&[("Name", "nat-ip-2")])}),
        )
        .await;
    h.assert_present(&eip).await;

    let nat = h
        .create(
            "Net.NAT",
            "AWS::EC2::NatGateway",
            json!({
                "SubnetId": subnet.id(),
                "AllocationId": eip.attr("AllocationId"),
                "Tags": tags(&[("Name", "nat")]),
            }),
        )
        .await;
    assert!(nat.id().starts_with("nat-"));
    assert_eq!(nat.attr("NatGatewayId"), nat.id());
    assert!(nat.attr("EniId").starts_with("eni-"));
    h.assert_present(&nat).await;
    let nat = h
        .update(
            &nat,
            json!({
                "SubnetId": subnet.id(),
                "AllocationId": eip.attr("AllocationId"),
                "Tags": tags(&[("Name", "nat"), ("Env", "test")]),
            }),
        )
        .await;
    h.assert_present(&nat).await;

    // Not supported yet: refused by name, in place.
    let refused = UpdateInput {
        address: nat.address.clone(),
        type_name: nat.type_name.into(),
        physical_id: nat.id().into(),
        before: nat.properties.clone(),
        after: json!({"SubnetId": subnet.id(), "AllocationId": eip.attr("AllocationId"),
            "SecondaryAllocationIds": ["eipalloc-1"]}),
        attributes: nat.out.attributes.clone(),
        tags: h.infra_tags(&nat.address),
    };
    let err = h
        .provider(nat.type_name)
        .update(&refused)
        .await
        .expect_err("refused");
    assert!(err.message.contains("SecondaryAllocationIds"), "{err}");

    h.delete(&nat).await;
    h.delete(&eip).await;
    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn security_group_with_inline_rules() {
    let h = Harness::new("sg-life").await;
    let vpc = h.vpc("10.60.0.0/16").await;
    let group = h
        .create(
            "App.SG",
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": "web servers",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "10.0.0.0/8", "Description": "ssh"},
                ],
                "Tags": tags(&[("Name", "web")]),
            }),
        )
        .await;
    assert!(group.id().starts_with("sg-"));
    assert_eq!(group.attr("GroupId"), group.id());
    assert_eq!(group.attr("VpcId"), vpc.id());
    // Only what CloudFormation documents for Fn::GetAtt (and Id, the Ref).
    assert_eq!(
        group.out.attributes.keys().collect::<Vec<_>>(),
        ["GroupId", "Id", "VpcId"]
    );
    h.assert_present(&group).await;

    // Without egress rules in the template, EC2's allow-all egress rule stays.
    let described = h
        .client
        .describe_security_groups()
        .group_ids(group.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // The name CloudFormation would generate, since the template has none.
    assert_eq!(
        described.security_groups()[0].group_name(),
        Some("sg-life-App-SG-GENERATED")
    );
    let egress = described.security_groups()[0].ip_permissions_egress();
    assert!(
        egress.iter().any(|p| p.ip_protocol() == Some("-1")),
        "default egress rule: {egress:?}"
    );

    // Ingress rule change (80 → 443, ssh description changed) and egress rules added (the
    // default allow-all rule goes), tags.
    let group = h
        .update(
            &group,
            json!({
                "GroupDescription": "web servers",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "10.0.0.0/8", "Description": "ssh from the VPN"},
                ],
                "SecurityGroupEgress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
                ],
                "Tags": tags(&[("Name", "web"), ("Env", "test")]),
            }),
        )
        .await;
    h.assert_present(&group).await;
    let described = h
        .client
        .describe_security_groups()
        .group_ids(group.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let sg = &described.security_groups()[0];
    let ports: BTreeSet<Option<i32>> = sg.ip_permissions().iter().map(|p| p.from_port()).collect();
    assert_eq!(ports, BTreeSet::from([Some(22), Some(443)]));
    assert_eq!(
        sg.ip_permissions_egress().len(),
        1,
        "{:?}",
        sg.ip_permissions_egress()
    );

    // A group another group's rule refers to cannot go yet.
    let other = h
        .create(
            "App.Other",
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": "refers to the web group",
                "GroupName": "sg-life-other",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [{"IpProtocol": "-1", "SourceSecurityGroupId": group.id()}],
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
            }),
        )
        .await;
    // Egress rules given at create replace EC2's default allow-all rule.
    let egress_of = |id: String| {
        let client = h.client.clone();
        async move {
            let out = client
                .describe_security_groups()
                .group_ids(id)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            out.security_groups()[0].ip_permissions_egress().to_vec()
        }
    };
    assert_eq!(egress_of(other.id().to_owned()).await.len(), 1);
    h.assert_present(&other).await;
    // Removing every egress rule leaves none (CloudFormation does not restore the default).
    let other = h
        .update(
            &other,
            json!({
                "GroupDescription": "refers to the web group",
                "GroupName": "sg-life-other",
                "VpcId": vpc.id(),
                "SecurityGroupIngress": [{"IpProtocol": "-1", "SourceSecurityGroupId": group.id()}],
            }),
        )
        .await;
    assert!(egress_of(other.id().to_owned()).await.is_empty());
    h.assert_present(&other).await;
    // moto: deleting a group that another group's rules refer to succeeds; AWS answers
    // DependencyViolation (classified as such, see the VPC, gateway and route table cases), so
    // the referring group goes first here.
    h.delete(&other).await;
    h.delete(&group).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn standalone_security_group_rules() {
    let h = Harness::new("sgr-life").await;
    let vpc = h.vpc("10.70.0.0/16").await;
    let alb = h
        .create(
            "Svc.AlbSG",
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "alb", "VpcId": vpc.id()}),
        )
        .await;
    let service = h
        .create(
            "Svc.ServiceSG",
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "service", "VpcId": vpc.id()}),
        )
        .await;
    // The fixture's ServiceIngressfromLoadBalancer (IpProtocol -1 as YAML writes it).
    let ingress = h
        .create(
            "Svc.IngressFromAlb",
            "AWS::EC2::SecurityGroupIngress",
            json!({"Description": "Ingress from the public ALB", "GroupId": service.id(),
                   "IpProtocol": -1, "SourceSecurityGroupId": alb.id()}),
        )
        .await;
    assert!(ingress.id().starts_with("sgr-"), "{:?}", ingress.out);
    assert_eq!(ingress.attr("Id"), ingress.id());
    // moto: DescribeSecurityGroupRules reports the description of CIDR rules only (AWS reports
    // it for every rule), so this rule reads back without its Description.
    let without_description = |made: &Made| {
        let mut expected = made.clone();
        if let Some(map) = expected.properties.as_object_mut() {
            map.remove("Description");
        }
        expected
    };
    h.assert_present(&without_description(&ingress)).await;

    // A CIDR rule: its description reads back, and changes in place.
    let cidr = h
        .create(
            "Svc.IngressHttps",
            "AWS::EC2::SecurityGroupIngress",
            json!({"GroupId": alb.id(), "IpProtocol": "tcp", "FromPort": 443, "ToPort": "443",
                   "CidrIp": "0.0.0.0/0", "Description": "https"}),
        )
        .await;
    h.assert_present(&cidr).await;
    let cidr = h
        .update(
            &cidr,
            json!({"GroupId": alb.id(), "IpProtocol": "tcp", "FromPort": 443, "ToPort": "443",
                   "CidrIp": "0.0.0.0/0", "Description": "https from anywhere"}),
        )
        .await;
    h.assert_present(&cidr).await;

    let egress = h
        .create(
            "Svc.EgressToService",
            "AWS::EC2::SecurityGroupEgress",
            json!({"GroupId": alb.id(), "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                   "DestinationSecurityGroupId": service.id(), "Description": "to tasks"}),
        )
        .await;
    assert!(egress.id().starts_with("sgr-"));
    h.assert_present(&without_description(&egress)).await;

    h.delete(&ingress).await;
    h.delete(&cidr).await;
    h.delete(&egress).await;
    h.delete(&service).await;
    h.delete(&alb).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn vpn_gateway_attachment() {
    let h = Harness::new("vgw-life").await;
    let vpc = h.vpc("10.90.0.0/16").await;
    let vgw = h
        .client
        .create_vpn_gateway()
        .r#type(aws_sdk_ec2::types::GatewayType::Ipsec1)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .vpn_gateway()
        .and_then(|g| g.vpn_gateway_id())
        .unwrap_or_default()
        .to_owned();
    let attachment = h
        .create(
            "Net.VpnAttachment",
            "AWS::EC2::VPCGatewayAttachment",
            json!({"VpcId": vpc.id(), "VpnGatewayId": vgw}),
        )
        .await;
    assert_eq!(attachment.id(), format!("VGW|{}", vpc.id()));
    assert_eq!(attachment.attr("AttachmentType"), "VGW");
    h.assert_present(&attachment).await;
    h.delete(&attachment).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn creates_interrupted_after_the_call_adopt_what_they_made() {
    let h = Harness::new("adopt").await;
    let vpc = h.vpc("10.91.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.91.1.0/24"}),
        )
        .await;
    let igw = h
        .create("Net.IGW", "AWS::EC2::InternetGateway", json!({}))
        .await;
    let attach = json!({"VpcId": vpc.id(), "InternetGatewayId": igw.id()});
    let attachment = h
        .create(
            "Net.Attachment",
            "AWS::EC2::VPCGatewayAttachment",
            attach.clone(),
        )
        .await;
    let again = h
        .create("Net.Attachment", "AWS::EC2::VPCGatewayAttachment", attach)
        .await;
    assert_eq!(again.out, attachment.out);

    let table = h
        .create(
            "Net.Routes",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    let route_props = json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.id()});
    let route = h
        .create("Net.Route", "AWS::EC2::Route", route_props.clone())
        .await;
    let again = h.create("Net.Route", "AWS::EC2::Route", route_props).await;
    assert_eq!(again.out, route.out);
    // A route to the same destination through another target is not adopted.
    let igw2 = h
        .create("Net.IGW2", "AWS::EC2::InternetGateway", json!({}))
        .await;
    let err = h
        .try_create(
            "Net.Route",
            "AWS::EC2::Route",
            json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw2.id()}),
        )
        .await
        .expect_err("another route to 0.0.0.0/0 exists");
    assert!(err.message.contains("RouteAlreadyExists"), "{err}");

    let association_props = json!({"SubnetId": subnet.id(), "RouteTableId": table.id()});
    let association = h
        .create(
            "Net.Association",
            "AWS::EC2::SubnetRouteTableAssociation",
            association_props.clone(),
        )
        .await;
    let again = h
        .create(
            "Net.Association",
            "AWS::EC2::SubnetRouteTableAssociation",
            association_props,
        )
        .await;
    assert_eq!(again.out, association.out);

    h.delete(&association).await;
    h.delete(&route).await;
    h.delete(&table).await;
    h.delete(&attachment).await;
    h.delete(&igw).await;
    h.delete(&igw2).await;
    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn eip_associated_with_an_instance() {
    let h = Harness::new("eip-instance").await;
    let vpc = h.vpc("10.92.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.92.1.0/24"}),
        )
        .await;
    // moto ships this AMI id in its image catalogue.
    let instance = h
        .client
        .run_instances()
        .image_id("ami-03cf127a")
        .min_count(1)
        .max_count(1)
        .subnet_id(subnet.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .instances()[0]
        .instance_id()
        .unwrap_or_default()
        .to_owned();
    let eip = h
        .create(
            "Net.EIP",
            "AWS::EC2::EIP",
            json!({"Domain": "vpc", "InstanceId": instance}),
        )
        .await;
    h.assert_present(&eip).await;
    let eip = h.update(&eip, json!({"Domain": "vpc"})).await;
    h.assert_present(&eip).await;
    let addresses = h
        .client
        .describe_addresses()
        .allocation_ids(eip.attr("AllocationId"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // moto reports a disassociated address with an empty InstanceId; AWS leaves it out.
    assert_eq!(
        addresses.addresses()[0]
            .instance_id()
            .filter(|i| !i.is_empty()),
        None,
        "disassociated"
    );
    let eip = h
        .update(&eip, json!({"Domain": "vpc", "InstanceId": instance}))
        .await;
    h.assert_present(&eip).await;
    // Deleting an associated address disassociates it first.
    h.delete(&eip).await;
    h.client
        .terminate_instances()
        .instance_ids(&instance)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

#[tokio::test]
async fn subnet_with_an_ipv6_block() {
    let h = Harness::new("ipv6").await;
    let vpc = h.vpc("10.93.0.0/16").await;
    // The VPC's IPv6 block comes from AWS::EC2::VPCCidrBlock, which is not a wave-1 type.
    let associated = h
        .client
        .associate_vpc_cidr_block()
        .vpc_id(vpc.id())
        .amazon_provided_ipv6_cidr_block(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let block = associated
        .ipv6_cidr_block_association()
        .and_then(|a| a.ipv6_cidr_block())
        .unwrap_or_default()
        .to_owned();
    let prefix = block.split("::").next().unwrap_or_default().to_owned();
    let first = format!("{prefix}::/64");
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.93.1.0/24", "Ipv6CidrBlock": first,
                   "AssignIpv6AddressOnCreation": true}),
        )
        .await;
    h.assert_present(&subnet).await;
    assert_eq!(subnet.out.attributes["Ipv6CidrBlocks"], json!([first]));
    let subnet = h
        .update(
            &subnet,
            json!({"VpcId": vpc.id(), "CidrBlock": "10.93.1.0/24", "Ipv6CidrBlock": first,
                   "AssignIpv6AddressOnCreation": false}),
        )
        .await;
    h.assert_present(&subnet).await;
    // moto reports the state of a subnet's IPv6 block malformed (`<state><State>associated`
    // instead of `<state>associated`), so waiting for a newly associated block to be
    // `associated` cannot finish there: replacing Ipv6CidrBlock in place is not run.
    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn unsupported_and_invalid_properties_are_refused_by_name() {
    let h = Harness::new("refused").await;
    let err = h
        .try_create(
            "Net.VPC",
            "AWS::EC2::VPC",
            json!({"CidrBlock": "10.0.0.0/16", "VpcEncryptionControl": {"Mode": "monitor"}}),
        )
        .await
        .expect_err("refused");
    assert_eq!(err.class, FailureClass::Fatal);
    assert_eq!(
        err.message,
        "AWS::EC2::VPC property VpcEncryptionControl is not supported yet"
    );
    let err = h
        .try_create(
            "Net.EIP",
            "AWS::EC2::EIP",
            json!({"TransferAddress": "192.0.2.1"}),
        )
        .await
        .expect_err("refused");
    assert_eq!(
        err.message,
        "AWS::EC2::EIP property TransferAddress is not supported yet"
    );
    let err = h
        .try_create(
            "Net.Route",
            "AWS::EC2::Route",
            json!({"RouteTableId": "rtb-1", "DestinationCidrBlock": "0.0.0.0/0",
                   "GatewayId": "igw-1", "NatGatewayId": "nat-1"}),
        )
        .await
        .expect_err("two targets");
    assert!(err.message.contains("only one target"), "{err}");
    assert_eq!(h.calls.count("CreateRoute"), 0, "refused before any call");

    // A subnet of a VPC EC2 does not know: the VPC may not have propagated yet.
    let err = h
        .try_create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.1.0/24"}),
        )
        .await
        .expect_err("no such VPC");
    assert_eq!(err.class, FailureClass::EventuallyConsistent, "{err}");
    assert!(
        err.message.contains("CreateSubnet") && err.message.contains("InvalidVpcID.NotFound"),
        "{err}"
    );
    assert!(
        err.message
            .contains("creating Net.Subnet (AWS::EC2::Subnet)"),
        "{err}"
    );
    assert!(
        !err.message.contains("testing"),
        "no credentials in messages: {err}"
    );
}

#[tokio::test]
async fn batched_read_of_100_subnets_makes_one_call_per_page() {
    let h = Harness::new("batch").await;
    let vpc = h.vpc("10.80.0.0/16").await;
    let mut subnets = Vec::new();
    for i in 0..100 {
        let subnet = h
            .create(
                &format!("Net.Subnet{i}"),
                "AWS::EC2::Subnet",
                json!({"VpcId": vpc.id(), "CidrBlock": format!("10.80.{i}.0/24")}),
            )
            .await;
        subnets.push(subnet);
    }
    let before = h.calls.count("DescribeSubnets");
    let acls_before = h.calls.count("DescribeNetworkAcls");
    let refs: Vec<&Made> = subnets.iter().collect();
    let seen = h.read_all(&refs).await;
    let calls = h.calls.count("DescribeSubnets") - before;
    let acl_calls = h.calls.count("DescribeNetworkAcls") - acls_before;
    assert_eq!(seen.len(), 100);
    assert!(
        seen.values()
            .all(|o| matches!(o, Observation::Present { .. }))
    );
    // 100 ids fit in one filter (at most 200 values) and one page (1000 results): one call.
    // Their network ACL associations were recorded at create and are kept: no
    // DescribeNetworkAcls.
    assert_eq!(calls, 1, "DescribeSubnets calls for 100 subnets");
    assert_eq!(acl_calls, 0, "DescribeNetworkAcls calls for 100 subnets");
    for made in &refs {
        let Some(Observation::Present { attributes, .. }) = seen.get(&made.address) else {
            panic!("{} is gone", made.address);
        };
        assert_eq!(
            attributes.get("NetworkAclAssociationId"),
            made.out.attributes.get("NetworkAclAssociationId")
        );
    }
    // Records without one (imported, older versions) are looked up: one call for all.
    let bare: Vec<Made> = subnets
        .iter()
        .map(|m| {
            let mut m = m.clone();
            m.out.attributes.remove("NetworkAclAssociationId");
            m
        })
        .collect();
    let acls_before = h.calls.count("DescribeNetworkAcls");
    let looked_up = h.read_all(&bare.iter().collect::<Vec<_>>()).await;
    assert_eq!(h.calls.count("DescribeNetworkAcls") - acls_before, 1);
    for made in &subnets {
        let Some(Observation::Present { attributes, .. }) = looked_up.get(&made.address) else {
            panic!("{} is gone", made.address);
        };
        assert_eq!(
            attributes.get("NetworkAclAssociationId"),
            made.out.attributes.get("NetworkAclAssociationId"),
            "{}",
            made.address
        );
    }

    // Deleted ones read as gone, in the same single call.
    for subnet in &subnets[..50] {
        h.try_delete(subnet)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", subnet.address));
    }
    let before = h.calls.count("DescribeSubnets");
    let seen = h.read_all(&refs).await;
    assert_eq!(h.calls.count("DescribeSubnets") - before, 1);
    let gone = seen.values().filter(|o| **o == Observation::Gone).count();
    assert_eq!(gone, 50);

    for subnet in &subnets[50..] {
        h.try_delete(subnet)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", subnet.address));
    }
    h.delete(&vpc).await;
}

#[tokio::test]
async fn batched_read_of_100_security_groups_makes_one_call_per_page() {
    let h = Harness::new("batch-sg").await;
    let vpc = h.vpc("10.81.0.0/16").await;
    let mut groups = Vec::new();
    for i in 0..100 {
        let group = h
            .create(
                &format!("App.SG{i}"),
                "AWS::EC2::SecurityGroup",
                json!({
                    "GroupDescription": format!("group {i}"),
                    "VpcId": vpc.id(),
                    "SecurityGroupIngress": [
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": format!("10.{i}.0.0/16")},
                    ],
                }),
            )
            .await;
        groups.push(group);
    }
    let refs: Vec<&Made> = groups.iter().collect();
    let (seen, calls, rule_calls, other_calls) = read_counting(&h, &refs).await;
    assert_eq!(seen.len(), 100);
    for group in &groups {
        match &seen[&group.address] {
            Observation::Present { properties, .. } => assert_eq!(
                properties, &group.properties,
                "{} as read differs from what was applied",
                group.address
            ),
            Observation::Gone => panic!("{} reads as gone", group.address),
        }
    }
    // 100 ids fit in one filter (at most 200 values) and one page (1000 results): one call.
    // The inline rules come with the groups: no per-group (or per-page) rule reads, nor any
    // other call.
    assert_eq!(calls, 1, "DescribeSecurityGroups calls for 100 groups");
    assert!(
        rule_calls <= calls,
        "DescribeSecurityGroupRules calls for 100 groups: {rule_calls}"
    );
    assert_eq!(other_calls, 0, "other calls reading 100 groups");

    // Deleted ones read as gone, in the same single call.
    for group in &groups[..50] {
        h.try_delete(group)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", group.address));
    }
    let (seen, calls, rule_calls, other_calls) = read_counting(&h, &refs).await;
    assert_eq!(
        calls, 1,
        "DescribeSecurityGroups calls for 100 groups, 50 gone"
    );
    assert!(
        rule_calls <= calls,
        "DescribeSecurityGroupRules: {rule_calls}"
    );
    assert_eq!(other_calls, 0);
    let gone = seen.values().filter(|o| **o == Observation::Gone).count();
    assert_eq!(gone, 50);

    for group in &groups[50..] {
        h.try_delete(group)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", group.address));
    }
    h.delete(&vpc).await;
}

/// Reads `made` and counts the calls: `DescribeSecurityGroups`, `DescribeSecurityGroupRules`
/// and any other.
async fn read_counting(
    h: &Harness,
    made: &[&Made],
) -> (BTreeMap<String, Observation>, usize, usize, usize) {
    let before = h.calls.count("DescribeSecurityGroups");
    let rules_before = h.calls.count("DescribeSecurityGroupRules");
    let total_before = h.calls.total();
    let seen = h.read_all(made).await;
    let calls = h.calls.count("DescribeSecurityGroups") - before;
    let rule_calls = h.calls.count("DescribeSecurityGroupRules") - rules_before;
    let other_calls = h.calls.total() - total_before - calls - rule_calls;
    (seen, calls, rule_calls, other_calls)
}

/// The fixture's network (`vpc.yml` of the reference pattern): created in dependency order by
/// calling the providers, counted through the EC2 API by the `infra:stack` tag, deleted in
/// reverse with nothing left.
#[tokio::test]
async fn fixture_network_in_dependency_order() {
    let h = Harness::new("fixture-net").await;
    let mut made: Vec<Made> = Vec::new();
    let vpc = h
        .create(
            "VpcStack.VPC",
            "AWS::EC2::VPC",
            json!({"EnableDnsSupport": true, "EnableDnsHostnames": true, "CidrBlock": "10.0.0.0/16"}),
        )
        .await;
    made.push(vpc.clone());
    let mut subnets = BTreeMap::new();
    for (name, az, cidr, public) in [
        ("PublicSubnetOne", "us-east-1a", "10.0.0.0/18", true),
        ("PublicSubnetTwo", "us-east-1b", "10.0.64.0/18", true),
        ("PrivateSubnetOne", "us-east-1a", "10.0.128.0/18", false),
        ("PrivateSubnetTwo", "us-east-1b", "10.0.192.0/18", false),
    ] {
        let mut props = json!({"AvailabilityZone": az, "VpcId": vpc.id(), "CidrBlock": cidr});
        if public {
            props["MapPublicIpOnLaunch"] = json!(true);
        }
        let subnet = h
            .create(&format!("VpcStack.{name}"), "AWS::EC2::Subnet", props)
            .await;
        subnets.insert(name, subnet.clone());
        made.push(subnet);
    }
    let igw = h
        .create(
            "VpcStack.InternetGateway",
            "AWS::EC2::InternetGateway",
            json!({}),
        )
        .await;
    made.push(igw.clone());
    let attachment = h
        .create(
            "VpcStack.GatewayAttachement",
            "AWS::EC2::VPCGatewayAttachment",
            json!({"VpcId": vpc.id(), "InternetGatewayId": igw.id()}),
        )
        .await;
    made.push(attachment);
    let public_table = h
        .create(
            "VpcStack.PublicRouteTable",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    made.push(public_table.clone());
    made.push(
        h.create(
            "VpcStack.PublicRoute",
            "AWS::EC2::Route",
            json!({"RouteTableId": public_table.id(), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.id()}),
        )
        .await,
    );
    for (name, subnet) in [
        ("PublicSubnetOneRouteTableAssociation", "PublicSubnetOne"),
        ("PublicSubnetTwoRouteTableAssociation", "PublicSubnetTwo"),
    ] {
        made.push(
            h.create(
                &format!("VpcStack.{name}"),
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({"SubnetId": subnets[subnet].id(), "RouteTableId": public_table.id()}),
            )
            .await,
        );
    }
    for (one, public_subnet, private_subnet) in [
        ("One", "PublicSubnetOne", "PrivateSubnetOne"),
        ("Two", "PublicSubnetTwo", "PrivateSubnetTwo"),
    ] {
        let eip = h
            .create(
                &format!("VpcStack.NatGateway{one}Attachment"),
                "AWS::EC2::EIP",
                json!({"Domain": "vpc"}),
            )
            .await;
        made.push(eip.clone());
        let nat = h
            .create(
                &format!("VpcStack.NatGateway{one}"),
                "AWS::EC2::NatGateway",
                json!({"AllocationId": eip.attr("AllocationId"), "SubnetId": subnets[public_subnet].id()}),
            )
            .await;
        made.push(nat.clone());
        let table = h
            .create(
                &format!("VpcStack.PrivateRouteTable{one}"),
                "AWS::EC2::RouteTable",
                json!({"VpcId": vpc.id()}),
            )
            .await;
        made.push(table.clone());
        made.push(
            h.create(
                &format!("VpcStack.PrivateRoute{one}"),
                "AWS::EC2::Route",
                json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat.id()}),
            )
            .await,
        );
        made.push(
            h.create(
                &format!("VpcStack.PrivateRouteTable{one}Association"),
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({"RouteTableId": table.id(), "SubnetId": subnets[private_subnet].id()}),
            )
            .await,
        );
    }

    // Everything reads as present, one batched read per type.
    let mut by_type: BTreeMap<&str, Vec<&Made>> = BTreeMap::new();
    for m in &made {
        by_type.entry(m.type_name).or_default().push(m);
    }
    for group in by_type.values() {
        for (address, observation) in h.read_all(group).await {
            assert!(
                matches!(observation, Observation::Present { .. }),
                "{address} is gone"
            );
        }
    }

    assert_eq!(
        counts(&h).await,
        [1, 4, 2, 2, 1],
        "VPC, subnets, NAT, EIPs, IGW"
    );

    for m in made.iter().rev() {
        h.try_delete(m)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", m.address));
    }
    for group in by_type.values() {
        for (address, observation) in h.read_all(group).await {
            assert_eq!(observation, Observation::Gone, "{address} is still there");
        }
    }
    assert_eq!(counts(&h).await, [0, 0, 0, 0, 0], "nothing left");
}

/// VPCs, subnets, NAT gateways (not deleted), Elastic IPs and internet gateways tagged with the
/// harness's stack.
async fn counts(h: &Harness) -> [usize; 5] {
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

/// The types that cannot be tagged: `find` gets no tags for them.
const UNTAGGABLE: &[&str] = &[
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
];

impl Harness {
    /// What the engine hands `find` after an interrupted create of `address`.
    fn find_input(&self, address: &str, type_name: &str, properties: &Value) -> FindInput {
        FindInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: if UNTAGGABLE.contains(&type_name) {
                BTreeMap::new()
            } else {
                self.infra_tags(address)
            },
            name: (type_name == "AWS::EC2::SecurityGroup").then(|| self.generated_name(address)),
            replacing: None,
        }
    }

    async fn find(&self, input: &FindInput) -> Option<ResourceOutput> {
        self.provider(&input.type_name)
            .find(input)
            .await
            .unwrap_or_else(|e| panic!("finding {}: {e} ({:?})", input.address, e.class))
    }

    /// Creates through the provider and checks `find` around it: nothing before the create;
    /// after it, exactly what the create returned; nothing for another address's tags, or,
    /// for an untaggable type, for the natural key in `other` (properties).
    async fn create_found(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
        other: Option<Value>,
    ) -> Made {
        let input = self.find_input(address, type_name, &properties);
        assert_eq!(self.find(&input).await, None, "{address} before its create");
        let made = self.create(address, type_name, properties).await;
        assert_eq!(
            self.find(&input).await.as_ref(),
            Some(&made.out),
            "{address}"
        );
        let elsewhere = match other {
            Some(properties) => FindInput {
                properties,
                ..input.clone()
            },
            None => FindInput {
                tags: self.infra_tags("Other.Address"),
                ..input.clone()
            },
        };
        assert_eq!(self.find(&elsewhere).await, None, "{elsewhere:?}");
        // The object a replacement replaces is never the answer.
        let replaced = FindInput {
            replacing: Some(made.out.physical_id.clone()),
            ..input.clone()
        };
        assert_eq!(self.find(&replaced).await, None, "{replaced:?}");
        made
    }
}

#[tokio::test]
async fn find_returns_what_an_interrupted_create_made() {
    let h = Harness::new("find").await;
    let vpc = h
        .create_found(
            "Net.VPC",
            "AWS::EC2::VPC",
            json!({"CidrBlock": "10.92.0.0/16", "EnableDnsHostnames": true}),
            None,
        )
        .await;
    let subnet = h
        .create_found(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.92.1.0/24"}),
            None,
        )
        .await;
    let igw = h
        .create_found("Net.IGW", "AWS::EC2::InternetGateway", json!({}), None)
        .await;
    let igw2 = h
        .create("Net.IGW2", "AWS::EC2::InternetGateway", json!({}))
        .await;
    let attachment = h
        .create_found(
            "Net.Attachment",
            "AWS::EC2::VPCGatewayAttachment",
            json!({"VpcId": vpc.id(), "InternetGatewayId": igw.id()}),
            Some(json!({"VpcId": vpc.id(), "InternetGatewayId": igw2.id()})),
        )
        .await;
    let table = h
        .create_found(
            "Net.Routes",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
            None,
        )
        .await;
    let table2 = h
        .create(
            "Net.Routes2",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    // A route to the same destination through another target is not what the create made.
    let route = h
        .create_found(
            "Net.Route",
            "AWS::EC2::Route",
            json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw.id()}),
            Some(
                json!({"RouteTableId": table.id(), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw2.id()}),
            ),
        )
        .await;
    let association = h
        .create_found(
            "Net.Association",
            "AWS::EC2::SubnetRouteTableAssociation",
            json!({"SubnetId": subnet.id(), "RouteTableId": table.id()}),
            Some(json!({"SubnetId": subnet.id(), "RouteTableId": table2.id()})),
        )
        .await;
    let eip = h
        .create_found("Net.EIP", "AWS::EC2::EIP", json!({"Domain": "vpc"}), None)
        .await;
    // moto ignores the `tag:` filters of DescribeNatGateways (AWS applies them) and answers
    // every NAT gateway; the provider checks each answer's tags itself, so this holds on both.
    let nat = h
        .create_found(
            "Net.NAT",
            "AWS::EC2::NatGateway",
            json!({"SubnetId": subnet.id(), "AllocationId": eip.attr("AllocationId")}),
            None,
        )
        .await;
    let group = h
        .create_found(
            "App.SG",
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "web", "VpcId": vpc.id(), "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]}),
            None,
        )
        .await;
    let rule = |port: u16, cidr: &str| {
        json!({"GroupId": group.id(), "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
               "CidrIp": cidr, "Description": "found"})
    };
    let ingress = h
        .create_found(
            "App.Ingress",
            "AWS::EC2::SecurityGroupIngress",
            rule(443, "0.0.0.0/0"),
            Some(rule(8443, "0.0.0.0/0")),
        )
        .await;
    let egress = h
        .create_found(
            "App.Egress",
            "AWS::EC2::SecurityGroupEgress",
            rule(5432, "10.92.0.0/16"),
            Some(rule(5432, "10.0.0.0/8")),
        )
        .await;

    // Two VPCs with its tags (an earlier failure): an error naming both, never a guess.
    let twin = h
        .client
        .create_vpc()
        .cidr_block("10.93.0.0/16")
        .tag_specifications(
            aws_sdk_ec2::types::TagSpecification::builder()
                .resource_type(aws_sdk_ec2::types::ResourceType::Vpc)
                .set_tags(Some(
                    h.infra_tags("Net.VPC")
                        .into_iter()
                        .map(|(k, v)| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build())
                        .collect(),
                ))
                .build(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateVpc: {e:?}"))
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_owned();
    let err = h
        .provider("AWS::EC2::VPC")
        .find(&h.find_input("Net.VPC", "AWS::EC2::VPC", &vpc.properties))
        .await
        .expect_err("two candidates");
    assert_eq!(err.class, FailureClass::Fatal, "{err}");
    assert!(
        err.message.contains(vpc.id()) && err.message.contains(&twin),
        "{err}"
    );
    h.client
        .delete_vpc()
        .vpc_id(&twin)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DeleteVpc: {e:?}"));

    // Deleted (a NAT gateway stays visible as `deleted` for a while): not found.
    for made in [
        &egress,
        &ingress,
        &group,
        &nat,
        &eip,
        &association,
        &route,
        &table2,
        &table,
        &attachment,
        &igw2,
        &igw,
        &subnet,
        &vpc,
    ] {
        h.delete(made).await;
        let input = h.find_input(&made.address, made.type_name, &made.properties);
        assert_eq!(
            h.find(&input).await,
            None,
            "{} after its delete",
            made.address
        );
    }
}
