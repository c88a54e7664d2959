//! The reference workload's graph (the public-facing API on ECS with EC2, flattened, with the
//! Custom::AsgDestroyer and its Lambda function and role replaced natively): 39 resources, and
//! latencies close to AWS's own.

use infra_engine::Operation;
use infra_plan::{Action, Plan};

use crate::support::{Fake, change, plan};

/// Address, type, dependencies.
pub const RESOURCES: &[(&str, &str, &[&str])] = &[
    ("VpcStack.VPC", "AWS::EC2::VPC", &[]),
    (
        "VpcStack.PublicSubnetOne",
        "AWS::EC2::Subnet",
        &["VpcStack.VPC"],
    ),
    (
        "VpcStack.PublicSubnetTwo",
        "AWS::EC2::Subnet",
        &["VpcStack.VPC"],
    ),
    (
        "VpcStack.PrivateSubnetOne",
        "AWS::EC2::Subnet",
        &["VpcStack.VPC"],
    ),
    (
        "VpcStack.PrivateSubnetTwo",
        "AWS::EC2::Subnet",
        &["VpcStack.VPC"],
    ),
    ("VpcStack.InternetGateway", "AWS::EC2::InternetGateway", &[]),
    (
        "VpcStack.GatewayAttachement",
        "AWS::EC2::VPCGatewayAttachment",
        &["VpcStack.VPC", "VpcStack.InternetGateway"],
    ),
    (
        "VpcStack.PublicRouteTable",
        "AWS::EC2::RouteTable",
        &["VpcStack.VPC"],
    ),
    (
        "VpcStack.PublicRoute",
        "AWS::EC2::Route",
        &[
            "VpcStack.PublicRouteTable",
            "VpcStack.InternetGateway",
            "VpcStack.GatewayAttachement",
        ],
    ),
    (
        "VpcStack.PublicSubnetOneRouteTableAssociation",
        "AWS::EC2::SubnetRouteTableAssociation",
        &["VpcStack.PublicSubnetOne", "VpcStack.PublicRouteTable"],
    ),
    (
        "VpcStack.PublicSubnetTwoRouteTableAssociation",
        "AWS::EC2::SubnetRouteTableAssociation",
        &["VpcStack.PublicSubnetTwo", "VpcStack.PublicRouteTable"],
    ),
    (
        "VpcStack.NatGatewayOneAttachment",
        "AWS::EC2::EIP",
        &["VpcStack.GatewayAttachement"],
    ),
    (
        "VpcStack.NatGatewayTwoAttachment",
        "AWS::EC2::EIP",
        &["VpcStack.GatewayAttachement"],
    ),
    (
        "VpcStack.NatGatewayOne",
        "AWS::EC2::NatGateway",
        &[
            "VpcStack.NatGatewayOneAttachment",
            "VpcStack.PublicSubnetOne",
        ],
    ),
    (
        "VpcStack.NatGatewayTwo",
        "AWS::EC2::NatGateway",
        &[
            "VpcStack.NatGatewayTwoAttachment",
            "VpcStack.PublicSubnetTwo",
        ],
    ),
    (
        "VpcStack.PrivateRouteTableOne",
        "AWS::EC2::RouteTable",
        &["VpcStack.VPC"],
    ),
    (
        "VpcStack.PrivateRouteOne",
        "AWS::EC2::Route",
        &["VpcStack.PrivateRouteTableOne", "VpcStack.NatGatewayOne"],
    ),
    (
        "VpcStack.PrivateRouteTableOneAssociation",
        "AWS::EC2::SubnetRouteTableAssociation",
        &["VpcStack.PrivateRouteTableOne", "VpcStack.PrivateSubnetOne"],
    ),
    (
        "VpcStack.PrivateRouteTableTwo",
        "AWS::EC2::RouteTable",
        &["VpcStack.VPC"],
    ),
    (
        "VpcStack.PrivateRouteTwo",
        "AWS::EC2::Route",
        &["VpcStack.PrivateRouteTableTwo", "VpcStack.NatGatewayTwo"],
    ),
    (
        "VpcStack.PrivateRouteTableTwoAssociation",
        "AWS::EC2::SubnetRouteTableAssociation",
        &["VpcStack.PrivateRouteTableTwo", "VpcStack.PrivateSubnetTwo"],
    ),
    ("ClusterStack.ECSCluster", "AWS::ECS::Cluster", &[]),
    (
        "ClusterStack.ContainerHostSecurityGroup",
        "AWS::EC2::SecurityGroup",
        &["VpcStack.VPC"],
    ),
    ("ClusterStack.EC2Role", "AWS::IAM::Role", &[]),
    ("ClusterStack.ECSTaskExecutionRole", "AWS::IAM::Role", &[]),
    (
        "ClusterStack.EC2InstanceProfile",
        "AWS::IAM::InstanceProfile",
        &["ClusterStack.EC2Role"],
    ),
    (
        "ClusterStack.ContainerInstances",
        "AWS::EC2::LaunchTemplate",
        &[
            "ClusterStack.EC2InstanceProfile",
            "ClusterStack.ContainerHostSecurityGroup",
            "ClusterStack.ECSCluster",
        ],
    ),
    (
        "ClusterStack.ECSAutoScalingGroup",
        "AWS::AutoScaling::AutoScalingGroup",
        &[
            "ClusterStack.ContainerInstances",
            "VpcStack.PrivateSubnetOne",
            "VpcStack.PrivateSubnetTwo",
        ],
    ),
    (
        "ClusterStack.CapacityProvider",
        "AWS::ECS::CapacityProvider",
        &["ClusterStack.ECSAutoScalingGroup"],
    ),
    (
        "ClusterStack.CapacityProviderAssociation",
        "AWS::ECS::ClusterCapacityProviderAssociations",
        &["ClusterStack.CapacityProvider", "ClusterStack.ECSCluster"],
    ),
    ("ServiceStack.LogGroup", "AWS::Logs::LogGroup", &[]),
    (
        "ServiceStack.TaskDefinition",
        "AWS::ECS::TaskDefinition",
        &["ClusterStack.ECSTaskExecutionRole", "ServiceStack.LogGroup"],
    ),
    (
        "ServiceStack.ServiceSecurityGroup",
        "AWS::EC2::SecurityGroup",
        &["VpcStack.VPC"],
    ),
    (
        "ServiceStack.ServiceTargetGroup",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        &["VpcStack.VPC"],
    ),
    (
        "ServiceStack.PublicLoadBalancerSG",
        "AWS::EC2::SecurityGroup",
        &["VpcStack.VPC"],
    ),
    (
        "ServiceStack.PublicLoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        &[
            "ServiceStack.PublicLoadBalancerSG",
            "VpcStack.PublicSubnetOne",
            "VpcStack.PublicSubnetTwo",
        ],
    ),
    (
        "ServiceStack.PublicLoadBalancerListener",
        "AWS::ElasticLoadBalancingV2::Listener",
        &[
            "ServiceStack.PublicLoadBalancer",
            "ServiceStack.ServiceTargetGroup",
        ],
    ),
    (
        "ServiceStack.ServiceIngressfromLoadBalancer",
        "AWS::EC2::SecurityGroupIngress",
        &[
            "ServiceStack.ServiceSecurityGroup",
            "ServiceStack.PublicLoadBalancerSG",
        ],
    ),
    (
        "ServiceStack.Service",
        "AWS::ECS::Service",
        &[
            "ServiceStack.PublicLoadBalancerListener",
            "ClusterStack.ECSCluster",
            "ClusterStack.CapacityProvider",
            "ClusterStack.CapacityProviderAssociation",
            "ServiceStack.ServiceSecurityGroup",
            "VpcStack.PrivateSubnetOne",
            "VpcStack.PrivateSubnetTwo",
            "ServiceStack.TaskDefinition",
            "ServiceStack.ServiceTargetGroup",
        ],
    ),
];

/// Seconds until usable, per type (any operation).
pub const LATENCY: &[(&str, f64)] = &[
    ("AWS::AutoScaling::AutoScalingGroup", 90.0),
    ("AWS::EC2::EIP", 2.0),
    ("AWS::EC2::InternetGateway", 2.0),
    ("AWS::EC2::LaunchTemplate", 2.0),
    ("AWS::EC2::NatGateway", 90.0),
    ("AWS::EC2::Route", 2.0),
    ("AWS::EC2::RouteTable", 2.0),
    ("AWS::EC2::SecurityGroup", 8.0),
    ("AWS::EC2::SecurityGroupIngress", 2.0),
    ("AWS::EC2::Subnet", 4.0),
    ("AWS::EC2::SubnetRouteTableAssociation", 2.0),
    ("AWS::EC2::VPC", 3.0),
    ("AWS::EC2::VPCGatewayAttachment", 3.0),
    ("AWS::ECS::CapacityProvider", 2.0),
    ("AWS::ECS::Cluster", 2.0),
    ("AWS::ECS::ClusterCapacityProviderAssociations", 16.0),
    ("AWS::ECS::Service", 75.0),
    ("AWS::ECS::TaskDefinition", 1.0),
    ("AWS::ElasticLoadBalancingV2::Listener", 2.0),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", 180.0),
    ("AWS::ElasticLoadBalancingV2::TargetGroup", 2.0),
    ("AWS::IAM::InstanceProfile", 30.0),
    ("AWS::IAM::Role", 12.0),
    ("AWS::Logs::LogGroup", 2.0),
];

pub const TYPES: &[&str] = &[
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::EC2::EIP",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::LaunchTemplate",
    "AWS::EC2::NatGateway",
    "AWS::EC2::Route",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPC",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::ECS::CapacityProvider",
    "AWS::ECS::Cluster",
    "AWS::ECS::ClusterCapacityProviderAssociations",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
];

pub fn latency_of(type_name: &str) -> f64 {
    LATENCY
        .iter()
        .find(|(t, _)| *t == type_name)
        .map_or(1.0, |(_, s)| *s)
}

/// The estimate the tests give the engine: the fake's own latencies.
pub fn estimate(type_name: &str, _: Operation) -> f64 {
    latency_of(type_name)
}

/// A fake cloud with the workload's latencies.
pub fn fake() -> Fake {
    let fake = Fake::new();
    for (type_name, seconds) in LATENCY {
        fake.latency(type_name, *seconds);
    }
    fake
}

/// The plan that creates everything.
pub fn create_plan() -> Plan {
    plan(
        RESOURCES
            .iter()
            .map(|(address, type_name, deps)| change(address, type_name, Action::Create, deps))
            .collect(),
        false,
    )
}

/// The longest chain of latencies: no schedule can be faster.
pub fn critical_path() -> f64 {
    fn longest(address: &str) -> f64 {
        let (_, type_name, deps) = RESOURCES
            .iter()
            .find(|(a, ..)| *a == address)
            .expect("a workload address");
        latency_of(type_name) + deps.iter().map(|d| longest(d)).fold(0.0, f64::max)
    }
    RESOURCES
        .iter()
        .map(|(address, ..)| longest(address))
        .fold(0.0, f64::max)
}
