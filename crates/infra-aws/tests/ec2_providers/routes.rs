//! Route tables: their routes and subnet associations.

use infra_aws::provider::FailureClass;
use serde_json::json;

use crate::harness::{Harness, tags};

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
