//! How long an operation typically takes, for choosing which ready action starts first.
//!
//! The figures are the project's latency model (`bench/latency-model.json` in the shared
//! directory: median seconds until the resource is usable, with sources in
//! `LATENCY-SOURCES.md`). Only their ratios matter: the walker starts the ready action with the
//! longest remaining chain, so a NAT gateway (100 s) goes before a route table (2 s).

use crate::events::Operation;

/// Typical seconds for `operation` on a resource of `type_name`; 1 for a type not listed.
pub fn typical_seconds(type_name: &str, operation: Operation) -> f64 {
    let Some((_, create, update, delete)) = TYPICAL.iter().find(|(name, ..)| *name == type_name)
    else {
        return 1.0;
    };
    match operation {
        Operation::Create | Operation::CreateReplacement => *create,
        Operation::Update => *update,
        Operation::Delete | Operation::DeleteReplaced => *delete,
    }
}

/// Type, create, update, delete (seconds).
#[rustfmt::skip]
const TYPICAL: &[(&str, f64, f64, f64)] = &[
    ("AWS::AutoScaling::AutoScalingGroup", 90.0, 5.0, 75.0),
    ("AWS::EC2::EIP", 2.0, 1.0, 2.0),
    ("AWS::EC2::InternetGateway", 2.0, 1.0, 2.0),
    ("AWS::EC2::LaunchTemplate", 2.0, 2.0, 1.0),
    ("AWS::EC2::NatGateway", 100.0, 1.0, 55.0),
    ("AWS::EC2::Route", 2.0, 1.0, 2.0),
    ("AWS::EC2::RouteTable", 2.0, 1.0, 2.0),
    ("AWS::EC2::SecurityGroup", 8.0, 2.0, 3.0),
    ("AWS::EC2::SecurityGroupEgress", 2.0, 2.0, 2.0),
    ("AWS::EC2::SecurityGroupIngress", 2.0, 2.0, 2.0),
    ("AWS::EC2::Subnet", 4.0, 2.0, 2.0),
    ("AWS::EC2::SubnetRouteTableAssociation", 2.0, 2.0, 2.0),
    ("AWS::EC2::VPC", 12.0, 2.0, 2.0),
    ("AWS::EC2::VPCGatewayAttachment", 3.0, 3.0, 5.0),
    ("AWS::ECS::CapacityProvider", 2.0, 2.0, 23.0),
    ("AWS::ECS::Cluster", 2.0, 2.0, 3.0),
    ("AWS::ECS::ClusterCapacityProviderAssociations", 16.0, 16.0, 15.0),
    ("AWS::ECS::Service", 75.0, 420.0, 330.0),
    ("AWS::ECS::TaskDefinition", 1.0, 1.0, 2.0),
    ("AWS::ElasticLoadBalancingV2::Listener", 2.0, 2.0, 2.0),
    ("AWS::ElasticLoadBalancingV2::ListenerRule", 1.0, 1.0, 1.0),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", 140.0, 3.0, 5.0),
    ("AWS::ElasticLoadBalancingV2::TargetGroup", 2.0, 2.0, 1.0),
    ("AWS::IAM::InstanceProfile", 30.0, 30.0, 3.0),
    ("AWS::IAM::ManagedPolicy", 12.0, 10.0, 3.0),
    ("AWS::IAM::Policy", 15.0, 10.0, 2.0),
    ("AWS::IAM::Role", 12.0, 10.0, 5.0),
    ("AWS::Lambda::Function", 6.0, 5.0, 4.0),
    ("AWS::Logs::LogGroup", 2.0, 1.0, 1.0),
];
