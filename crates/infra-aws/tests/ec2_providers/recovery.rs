//! Recovery from interrupted creates: creates that fail after the call adopt what they made,
//! and `find` returns what an interrupted create made, and nothing else.

use std::collections::BTreeMap;

use infra_aws::provider::{FailureClass, FindInput, ResourceOutput};
use serde_json::{Value, json};

use crate::harness::{Harness, Made};

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

/// The types that cannot be tagged: `find` gets no tags for them.
const UNTAGGABLE: &[&str] = &[
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::VPCDHCPOptionsAssociation",
];

impl Harness {
    /// What the engine hands `find` after an interrupted create of `address`.
    pub(crate) fn find_input(
        &self,
        address: &str,
        type_name: &str,
        properties: &Value,
    ) -> FindInput {
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
            checkpoint: Default::default(),
        }
    }

    pub(crate) async fn find(&self, input: &FindInput) -> Option<ResourceOutput> {
        self.provider(&input.type_name)
            .find(input)
            .await
            .unwrap_or_else(|e| panic!("finding {}: {e} ({:?})", input.address, e.class))
    }

    /// Creates through the provider and checks `find` around it: nothing before the create;
    /// after it, exactly what the create returned; nothing for another address's tags, or,
    /// for an untaggable type, for the natural key in `other` (properties).
    pub(crate) async fn create_found(
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
            checkpoint: Default::default(),
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
