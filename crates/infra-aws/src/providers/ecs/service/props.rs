//! `AWS::ECS::Service` properties: the supported and refused (`FIELDS`) tables, the [`Spec`]
//! a template describes, and the template's properties parsed into the API's types.

use aws_sdk_ecs::types::{
    AdvancedConfiguration, AssignPublicIp, AvailabilityZoneRebalancing, AwsVpcConfiguration,
    CapacityProviderStrategyItem, DeploymentAlarms, DeploymentCircuitBreaker,
    DeploymentConfiguration, DeploymentController, DeploymentControllerType, DeploymentStrategy,
    LaunchType, LoadBalancer, NetworkConfiguration, PlacementConstraint, PlacementConstraintType,
    PlacementStrategy, PlacementStrategyType, PropagateTags, SchedulingStrategy, ServiceRegistry,
};
use serde_json::Value;

use super::R;
use crate::providers::ecs::strategy;
use crate::providers::kit::Ctx;
use crate::providers::kit::{Keys, Props};

const NOT_YET: &str = "not supported by infra yet";
const NO_SDK_FIELD: &str = "the AWS SDK infra is built with has no field for it yet";

pub(in crate::providers::ecs) const FIELDS: Keys = Keys::with(
    &[
        "AvailabilityZoneRebalancing",
        "CapacityProviderStrategy",
        "Cluster",
        "DeploymentConfiguration",
        "DeploymentController",
        "DesiredCount",
        "EnableECSManagedTags",
        "EnableExecuteCommand",
        "ForceNewDeployment",
        "HealthCheckGracePeriodSeconds",
        "LaunchType",
        "LoadBalancers",
        "NetworkConfiguration",
        "PlacementConstraints",
        "PlacementStrategies",
        "PlatformVersion",
        "PropagateTags",
        "Role",
        "SchedulingStrategy",
        "ServiceName",
        "ServiceRegistries",
        "Tags",
        "TaskDefinition",
    ],
    &[
        ("ServiceConnectConfiguration", NOT_YET),
        ("VolumeConfigurations", NOT_YET),
        ("VpcLatticeConfigurations", NOT_YET),
        ("GatewayConnectors", NO_SDK_FIELD),
        ("Monitoring", NO_SDK_FIELD),
    ],
)
.and_attributes(&[
    (
        "Name",
        "Name is an attribute of the service (Fn::GetAtt), not a property to set",
    ),
    (
        "ServiceArn",
        "ServiceArn is an attribute of the service (Fn::GetAtt), not a property to set",
    ),
]);
const NETWORK: Keys = Keys::new(&["AwsvpcConfiguration"]);
const AWSVPC: Keys = Keys::new(&["AssignPublicIp", "SecurityGroups", "Subnets"]);
const LOAD_BALANCER: Keys = Keys::new(&[
    "AdvancedConfiguration",
    "ContainerName",
    "ContainerPort",
    "LoadBalancerName",
    "TargetGroupArn",
]);
const ADVANCED: Keys = Keys::new(&[
    "AlternateTargetGroupArn",
    "ProductionListenerRule",
    "RoleArn",
    "TestListenerRule",
]);
const DEPLOYMENT: Keys = Keys::with(
    &[
        "Alarms",
        "BakeTimeInMinutes",
        "DeploymentCircuitBreaker",
        "MaximumPercent",
        "MinimumHealthyPercent",
        "Strategy",
    ],
    &[
        ("CanaryConfiguration", NOT_YET),
        ("LinearConfiguration", NOT_YET),
        ("LifecycleHooks", NOT_YET),
        ("EarlySuccessCriteria", NO_SDK_FIELD),
    ],
);
const CIRCUIT_BREAKER: Keys = Keys::with(
    &["Enable", "Rollback"],
    &[
        ("ResetOnHealthyTask", NO_SDK_FIELD),
        ("ThresholdConfiguration", NO_SDK_FIELD),
    ],
);
const ALARMS: Keys = Keys::new(&["AlarmNames", "Enable", "Rollback"]);
const PLACEMENT_STRATEGY: Keys = Keys::new(&["Field", "Type"]);
const PLACEMENT_CONSTRAINT: Keys = Keys::new(&["Expression", "Type"]);
const REGISTRY: Keys = Keys::new(&["ContainerName", "ContainerPort", "Port", "RegistryArn"]);
const CONTROLLER: Keys = Keys::new(&["Type"]);
const FORCE: Keys = Keys::new(&["EnableForceNewDeployment", "ForceNewDeploymentNonce"]);

/// A service as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) cluster: Option<String>,
    pub(super) task_definition: Option<String>,
    pub(super) desired_count: Option<i32>,
    pub(super) launch_type: Option<LaunchType>,
    pub(super) strategy: Option<Vec<CapacityProviderStrategyItem>>,
    pub(super) network: Option<NetworkConfiguration>,
    pub(super) load_balancers: Option<Vec<LoadBalancer>>,
    pub(super) deployment: Option<DeploymentConfiguration>,
    pub(super) placement_strategies: Option<Vec<PlacementStrategy>>,
    pub(super) placement_constraints: Option<Vec<PlacementConstraint>>,
    pub(super) grace_period: Option<i32>,
    pub(super) managed_tags: Option<bool>,
    pub(super) propagate_tags: Option<PropagateTags>,
    pub(super) execute_command: Option<bool>,
    pub(super) platform_version: Option<String>,
    pub(super) role: Option<String>,
    pub(super) scheduling: Option<SchedulingStrategy>,
    pub(super) controller: Option<DeploymentController>,
    pub(super) registries: Option<Vec<ServiceRegistry>>,
    pub(super) az_rebalancing: Option<AvailabilityZoneRebalancing>,
    /// `ForceNewDeployment`: enabled, and its nonce.
    pub(super) force: Option<(bool, Option<String>)>,
    pub(super) tags: Vec<(String, String)>,
}

impl Spec {
    pub(super) fn cluster(&self) -> &str {
        self.cluster.as_deref().unwrap_or("default")
    }

    pub(super) fn is_daemon(&self) -> bool {
        self.scheduling == Some(SchedulingStrategy::Daemon)
    }
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> R<Spec> {
    let p = Props::root(value, ctx, FIELDS)?;
    let network = p
        .obj("NetworkConfiguration", NETWORK)?
        .map(|nc| -> R<_> {
            let vpc = nc
                .obj("AwsvpcConfiguration", AWSVPC)?
                .map(|a| {
                    AwsVpcConfiguration::builder()
                        .set_subnets(Some(a.strs("Subnets")?.unwrap_or_default()))
                        .set_security_groups(a.strs("SecurityGroups")?)
                        .set_assign_public_ip(
                            a.str("AssignPublicIp")?
                                .map(|v| AssignPublicIp::from(v.as_str())),
                        )
                        .build()
                        .map_err(|e| nc.fatal("AwsvpcConfiguration", e))
                })
                .transpose()?;
            Ok(NetworkConfiguration::builder()
                .set_awsvpc_configuration(vpc)
                .build())
        })
        .transpose()?;
    let load_balancers = p
        .opt_objs("LoadBalancers", LOAD_BALANCER)?
        .map(|items| {
            items
                .iter()
                .map(|lb| {
                    let advanced = lb
                        .obj("AdvancedConfiguration", ADVANCED)?
                        .map(|a| -> R<_> {
                            Ok(AdvancedConfiguration::builder()
                                .set_alternate_target_group_arn(a.str("AlternateTargetGroupArn")?)
                                .set_production_listener_rule(a.str("ProductionListenerRule")?)
                                .set_test_listener_rule(a.str("TestListenerRule")?)
                                .set_role_arn(a.str("RoleArn")?)
                                .build())
                        })
                        .transpose()?;
                    Ok(LoadBalancer::builder()
                        .set_target_group_arn(lb.str("TargetGroupArn")?)
                        .set_load_balancer_name(lb.str("LoadBalancerName")?)
                        .set_container_name(lb.str("ContainerName")?)
                        .set_container_port(lb.i32("ContainerPort")?)
                        .set_advanced_configuration(advanced)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let deployment = p
        .obj("DeploymentConfiguration", DEPLOYMENT)?
        .map(|d| -> R<_> {
            let breaker = d
                .obj("DeploymentCircuitBreaker", CIRCUIT_BREAKER)?
                .map(|b| -> R<_> {
                    Ok(DeploymentCircuitBreaker::builder()
                        .enable(
                            b.bool("Enable")?
                                .ok_or_else(|| b.fatal("Enable", "is required"))?,
                        )
                        .rollback(
                            b.bool("Rollback")?
                                .ok_or_else(|| b.fatal("Rollback", "is required"))?,
                        )
                        .build())
                })
                .transpose()?;
            let alarms = d
                .obj("Alarms", ALARMS)?
                .map(|a| {
                    DeploymentAlarms::builder()
                        .set_alarm_names(Some(a.strs("AlarmNames")?.unwrap_or_default()))
                        .enable(a.bool("Enable")?.unwrap_or(false))
                        .rollback(a.bool("Rollback")?.unwrap_or(false))
                        .build()
                        .map_err(|e| d.fatal("Alarms", e))
                })
                .transpose()?;
            Ok(DeploymentConfiguration::builder()
                .set_deployment_circuit_breaker(breaker)
                .set_maximum_percent(d.i32("MaximumPercent")?)
                .set_minimum_healthy_percent(d.i32("MinimumHealthyPercent")?)
                .set_alarms(alarms)
                .set_strategy(
                    d.str("Strategy")?
                        .map(|v| DeploymentStrategy::from(v.as_str())),
                )
                .set_bake_time_in_minutes(d.i32("BakeTimeInMinutes")?)
                .build())
        })
        .transpose()?;
    let placement_strategies = p
        .opt_objs("PlacementStrategies", PLACEMENT_STRATEGY)?
        .map(|items| {
            items
                .iter()
                .map(|ps| {
                    Ok(PlacementStrategy::builder()
                        .r#type(PlacementStrategyType::from(
                            ps.required_str("Type")?.as_str(),
                        ))
                        .set_field(ps.str("Field")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let placement_constraints = p
        .opt_objs("PlacementConstraints", PLACEMENT_CONSTRAINT)?
        .map(|items| {
            items
                .iter()
                .map(|pc| {
                    Ok(PlacementConstraint::builder()
                        .r#type(PlacementConstraintType::from(
                            pc.required_str("Type")?.as_str(),
                        ))
                        .set_expression(pc.str("Expression")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let registries = p
        .opt_objs("ServiceRegistries", REGISTRY)?
        .map(|items| {
            items
                .iter()
                .map(|r| {
                    Ok(ServiceRegistry::builder()
                        .set_registry_arn(r.str("RegistryArn")?)
                        .set_port(r.i32("Port")?)
                        .set_container_name(r.str("ContainerName")?)
                        .set_container_port(r.i32("ContainerPort")?)
                        .build())
                })
                .collect::<R<Vec<_>>>()
        })
        .transpose()?;
    let controller = p
        .obj("DeploymentController", CONTROLLER)?
        .map(|c| -> R<_> {
            DeploymentController::builder()
                .r#type(DeploymentControllerType::from(
                    c.str("Type")?.unwrap_or_else(|| "ECS".into()).as_str(),
                ))
                .build()
                .map_err(|e| p.fatal("DeploymentController", e))
        })
        .transpose()?;
    let force = p
        .obj("ForceNewDeployment", FORCE)?
        .map(|f| -> R<_> {
            Ok((
                f.bool("EnableForceNewDeployment")?.unwrap_or(false),
                f.str("ForceNewDeploymentNonce")?,
            ))
        })
        .transpose()?;
    Ok(Spec {
        name: p.str("ServiceName")?,
        cluster: p.str("Cluster")?,
        task_definition: p.str("TaskDefinition")?,
        desired_count: p.i32("DesiredCount")?,
        launch_type: p.str("LaunchType")?.map(|v| LaunchType::from(v.as_str())),
        strategy: strategy(&p, "CapacityProviderStrategy")?,
        network,
        load_balancers,
        deployment,
        placement_strategies,
        placement_constraints,
        grace_period: p.i32("HealthCheckGracePeriodSeconds")?,
        managed_tags: p.bool("EnableECSManagedTags")?,
        propagate_tags: p
            .str("PropagateTags")?
            .map(|v| PropagateTags::from(v.as_str())),
        execute_command: p.bool("EnableExecuteCommand")?,
        platform_version: p.str("PlatformVersion")?,
        role: p.str("Role")?,
        scheduling: p
            .str("SchedulingStrategy")?
            .map(|v| SchedulingStrategy::from(v.as_str())),
        controller,
        registries,
        az_rebalancing: p
            .str("AvailabilityZoneRebalancing")?
            .map(|v| AvailabilityZoneRebalancing::from(v.as_str())),
        force,
        tags: crate::providers::ecs::props::tags(&p, "Tags")?,
    })
}
