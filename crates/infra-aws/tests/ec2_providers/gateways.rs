//! Gateways and addresses: the internet gateway and its attachment, Elastic IPs with a NAT
//! gateway or an instance, and the VPN gateway attachment.

use infra_aws::provider::{FailureClass, UpdateInput};
use serde_json::json;

use crate::harness::{Harness, tags};

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
