//! Compute and containers: Auto Scaling groups, Lambda, ECS, ELBv2, scaling and ECR.

use super::Lifecycle::{Create, Delete, Update};
use super::OperationMapping;

service!(autoscaling, "autoscaling");
service!(lambda, "lambda");
service!(ecs, "ecs");
service!(elb, "elasticloadbalancing");
service!(appscaling, "application-autoscaling");
service!(ecr, "ecr");

/// The rows of this family, one a line.
#[rustfmt::skip]
pub(super) const ROWS: &[OperationMapping] = &[
    // Auto Scaling groups.
    autoscaling("AWS::AutoScaling::AutoScalingGroup", Create, "CreateAutoScalingGroup"),
    autoscaling("AWS::AutoScaling::AutoScalingGroup", Update, "UpdateAutoScalingGroup"),
    autoscaling("AWS::AutoScaling::AutoScalingGroup", Delete, "DeleteAutoScalingGroup"),
    // Lambda.
    lambda("AWS::Lambda::Function", Create, "CreateFunction"),
    lambda("AWS::Lambda::Function", Update, "UpdateFunctionConfiguration"),
    lambda("AWS::Lambda::Function", Delete, "DeleteFunction"),
    lambda("AWS::Lambda::Permission", Create, "AddPermission"),
    lambda("AWS::Lambda::Permission", Delete, "RemovePermission"),
    // ECS.
    ecs("AWS::ECS::Cluster", Create, "CreateCluster"),
    ecs("AWS::ECS::Cluster", Update, "UpdateCluster"),
    ecs("AWS::ECS::Cluster", Delete, "DeleteCluster"),
    ecs("AWS::ECS::CapacityProvider", Create, "CreateCapacityProvider"),
    ecs("AWS::ECS::CapacityProvider", Update, "UpdateCapacityProvider"),
    ecs("AWS::ECS::CapacityProvider", Delete, "DeleteCapacityProvider"),
    ecs("AWS::ECS::ClusterCapacityProviderAssociations", Create, "PutClusterCapacityProviders"),
    ecs("AWS::ECS::ClusterCapacityProviderAssociations", Update, "PutClusterCapacityProviders"),
    ecs("AWS::ECS::ClusterCapacityProviderAssociations", Delete, "PutClusterCapacityProviders"),
    ecs("AWS::ECS::TaskDefinition", Create, "RegisterTaskDefinition"),
    ecs("AWS::ECS::TaskDefinition", Delete, "DeregisterTaskDefinition"),
    ecs("AWS::ECS::Service", Create, "CreateService"),
    ecs("AWS::ECS::Service", Delete, "DeleteService"),
    // ELBv2.
    elb("AWS::ElasticLoadBalancingV2::LoadBalancer", Create, "CreateLoadBalancer"),
    elb("AWS::ElasticLoadBalancingV2::LoadBalancer", Delete, "DeleteLoadBalancer"),
    elb("AWS::ElasticLoadBalancingV2::TargetGroup", Create, "CreateTargetGroup"),
    elb("AWS::ElasticLoadBalancingV2::TargetGroup", Update, "ModifyTargetGroup"),
    elb("AWS::ElasticLoadBalancingV2::TargetGroup", Delete, "DeleteTargetGroup"),
    elb("AWS::ElasticLoadBalancingV2::Listener", Create, "CreateListener"),
    elb("AWS::ElasticLoadBalancingV2::Listener", Update, "ModifyListener"),
    elb("AWS::ElasticLoadBalancingV2::Listener", Delete, "DeleteListener"),
    elb("AWS::ElasticLoadBalancingV2::ListenerRule", Create, "CreateRule"),
    elb("AWS::ElasticLoadBalancingV2::ListenerRule", Update, "ModifyRule"),
    elb("AWS::ElasticLoadBalancingV2::ListenerRule", Delete, "DeleteRule"),
    // Scaling.
    appscaling("AWS::ApplicationAutoScaling::ScalableTarget", Create, "RegisterScalableTarget"),
    appscaling("AWS::ApplicationAutoScaling::ScalableTarget", Delete, "DeregisterScalableTarget"),
    appscaling("AWS::ApplicationAutoScaling::ScalingPolicy", Create, "PutScalingPolicy"),
    appscaling("AWS::ApplicationAutoScaling::ScalingPolicy", Delete, "DeleteScalingPolicy"),
    autoscaling("AWS::AutoScaling::LaunchConfiguration", Create, "CreateLaunchConfiguration"),
    autoscaling("AWS::AutoScaling::LaunchConfiguration", Delete, "DeleteLaunchConfiguration"),
    autoscaling("AWS::AutoScaling::LifecycleHook", Create, "PutLifecycleHook"),
    autoscaling("AWS::AutoScaling::LifecycleHook", Delete, "DeleteLifecycleHook"),
    autoscaling("AWS::AutoScaling::ScalingPolicy", Create, "PutScalingPolicy"),
    autoscaling("AWS::AutoScaling::ScalingPolicy", Delete, "DeletePolicy"),
    autoscaling("AWS::AutoScaling::ScheduledAction", Create, "PutScheduledUpdateGroupAction"),
    autoscaling("AWS::AutoScaling::ScheduledAction", Delete, "DeleteScheduledAction"),
    // ECR.
    ecr("AWS::ECR::Repository", Create, "CreateRepository"),
    ecr("AWS::ECR::Repository", Update, "PutImageTagMutability"),
    ecr("AWS::ECR::Repository", Update, "PutImageScanningConfiguration"),
    ecr("AWS::ECR::Repository", Delete, "DeleteRepository"),
];
