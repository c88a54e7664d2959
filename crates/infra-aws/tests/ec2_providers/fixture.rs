//! The fixture's network built in dependency order and torn down in reverse.

use std::collections::BTreeMap;

use infra_aws::provider::Observation;
use serde_json::json;

use crate::harness::{Harness, Made, counts};

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
