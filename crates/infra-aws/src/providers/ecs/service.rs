//! `AWS::ECS::Service`.
//!
//! | property | create | update (UpdateService unless noted) |
//! |---|---|---|
//! | `ServiceName` | CreateService (else the generated name) | create-only (replacement) |
//! | `Cluster` | CreateService (absent: `default`) | create-only |
//! | `TaskDefinition` | CreateService | yes |
//! | `DesiredCount` | CreateService (absent: 1, CloudFormation's default, unless `DAEMON`) | yes (removed: left as it is, as CloudFormation does) |
//! | `LaunchType` | CreateService | refused, except dropping it for a `CapacityProviderStrategy` (forces a new deployment, as ECS requires) |
//! | `CapacityProviderStrategy` | CreateService | yes (removed: empty list) |
//! | `NetworkConfiguration.AwsvpcConfiguration` (`Subnets`, `SecurityGroups`, `AssignPublicIp`) | CreateService | yes (it cannot be removed) |
//! | `LoadBalancers` (`TargetGroupArn`, `LoadBalancerName`, `ContainerName`, `ContainerPort`, `AdvancedConfiguration`) | CreateService | yes (removed: empty list) |
//! | `DeploymentConfiguration` (`MaximumPercent`, `MinimumHealthyPercent`, `DeploymentCircuitBreaker` {`Enable`, `Rollback`}, `Alarms`, `Strategy`, `BakeTimeInMinutes`) | CreateService | yes (removed: 200 / 100 %, ECS's defaults) |
//! | `PlacementStrategies`, `PlacementConstraints` | CreateService | yes (removed: empty lists) |
//! | `HealthCheckGracePeriodSeconds` | CreateService | yes (removed: 0) |
//! | `EnableECSManagedTags`, `EnableExecuteCommand` | CreateService | yes (removed: false) |
//! | `PropagateTags` | CreateService | yes (removed: `NONE`) |
//! | `PlatformVersion` | CreateService | yes (removed: `LATEST`) |
//! | `ServiceRegistries` | CreateService | yes (removed: empty list) |
//! | `DeploymentController` | CreateService | yes |
//! | `AvailabilityZoneRebalancing` | CreateService | yes (removed: `ENABLED`) |
//! | `SchedulingStrategy`, `Role` | CreateService | create-only |
//! | `ForceNewDeployment` {`EnableForceNewDeployment`, `ForceNewDeploymentNonce`} | (a new service deploys anyway) | `forceNewDeployment` when enabled and the nonce or anything else changed |
//! | `Tags` | CreateService, with infra's tags | TagResource / UntagResource |
//! | `ServiceConnectConfiguration`, `VolumeConfigurations`, `VpcLatticeConfigurations` | refused: not supported by infra yet | |
//! | `GatewayConnectors`, `Monitoring`, `DeploymentConfiguration.EarlySuccessCriteria`, `DeploymentCircuitBreaker.ResetOnHealthyTask` / `ThresholdConfiguration` | refused: the SDK in use has no field for them | |
//! | `DeploymentConfiguration.CanaryConfiguration` / `LinearConfiguration` / `LifecycleHooks` | refused: not supported by infra yet | |
//!
//! `Ref` is the service ARN; `Fn::GetAtt` gives `Name` and `ServiceArn`. A create (and an
//! update) returns once DescribeServices shows the service `ACTIVE` and its primary deployment
//! has not failed; it does not wait for tasks to run (the cluster may have no instances yet).
//! When an active service of the name exists in the cluster and carries this resource's
//! `infra:*` tags, it is adopted; a service of the name still `DRAINING` is retried.
//!
//! Delete is step 1 of the native teardown: UpdateService `desiredCount` 0 (replica services),
//! DeleteService with `force`, then wait (bounded) until the service is `INACTIVE` or gone.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{
    AdvancedConfiguration, AssignPublicIp, AvailabilityZoneRebalancing, AwsVpcConfiguration,
    CapacityProviderStrategyItem, DeploymentAlarms, DeploymentCircuitBreaker,
    DeploymentConfiguration, DeploymentController, DeploymentControllerType,
    DeploymentRolloutState, DeploymentStrategy, LaunchType, LoadBalancer, NetworkConfiguration,
    PlacementConstraint, PlacementConstraintType, PlacementStrategy, PlacementStrategyType,
    PropagateTags, SchedulingStrategy, Service, ServiceField, ServiceRegistry,
};
use serde_json::{Map, Value, json};

use super::props::{Fields, Obj, n, observed, put, s, same_name_or_arn, short_name, ss};
use super::{
    BUSY_TIMEOUT, Ecs, INACTIVE, WAIT_TIMEOUT, ecs_tags, fail, fail_referencing, is_not_found,
    render_strategy, retag, retry_while, strategy, tag_map,
};
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};
use crate::providers::iam::common::{self, Ctx, managed_keys, merge_tags, observed_tags, owned_by};

pub(crate) const TYPE: &str = "AWS::ECS::Service";

const NOT_YET: &str = "not supported by infra yet";
const NO_SDK_FIELD: &str = "the AWS SDK infra is built with has no field for it yet";

pub(super) const FIELDS: Fields = Fields::with(
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
const NETWORK: Fields = Fields::new(&["AwsvpcConfiguration"]);
const AWSVPC: Fields = Fields::new(&["AssignPublicIp", "SecurityGroups", "Subnets"]);
const LOAD_BALANCER: Fields = Fields::new(&[
    "AdvancedConfiguration",
    "ContainerName",
    "ContainerPort",
    "LoadBalancerName",
    "TargetGroupArn",
]);
const ADVANCED: Fields = Fields::new(&[
    "AlternateTargetGroupArn",
    "ProductionListenerRule",
    "RoleArn",
    "TestListenerRule",
]);
const DEPLOYMENT: Fields = Fields::with(
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
const CIRCUIT_BREAKER: Fields = Fields::with(
    &["Enable", "Rollback"],
    &[
        ("ResetOnHealthyTask", NO_SDK_FIELD),
        ("ThresholdConfiguration", NO_SDK_FIELD),
    ],
);
const ALARMS: Fields = Fields::new(&["AlarmNames", "Enable", "Rollback"]);
const PLACEMENT_STRATEGY: Fields = Fields::new(&["Field", "Type"]);
const PLACEMENT_CONSTRAINT: Fields = Fields::new(&["Expression", "Type"]);
const REGISTRY: Fields = Fields::new(&["ContainerName", "ContainerPort", "Port", "RegistryArn"]);
const CONTROLLER: Fields = Fields::new(&["Type"]);
const FORCE: Fields = Fields::new(&["EnableForceNewDeployment", "ForceNewDeploymentNonce"]);

/// DescribeServices takes at most 10 services (of one cluster) per call.
const SERVICES_PER_CALL: usize = 10;

/// How long a create or update waits for the service to be `ACTIVE` (Terraform's AWS provider
/// allows two minutes).
const ACTIVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2 * 60);

/// A service as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Spec {
    name: Option<String>,
    cluster: Option<String>,
    task_definition: Option<String>,
    desired_count: Option<i32>,
    launch_type: Option<LaunchType>,
    strategy: Option<Vec<CapacityProviderStrategyItem>>,
    network: Option<NetworkConfiguration>,
    load_balancers: Option<Vec<LoadBalancer>>,
    deployment: Option<DeploymentConfiguration>,
    placement_strategies: Option<Vec<PlacementStrategy>>,
    placement_constraints: Option<Vec<PlacementConstraint>>,
    grace_period: Option<i32>,
    managed_tags: Option<bool>,
    propagate_tags: Option<PropagateTags>,
    execute_command: Option<bool>,
    platform_version: Option<String>,
    role: Option<String>,
    scheduling: Option<SchedulingStrategy>,
    controller: Option<DeploymentController>,
    registries: Option<Vec<ServiceRegistry>>,
    az_rebalancing: Option<AvailabilityZoneRebalancing>,
    /// `ForceNewDeployment`: enabled, and its nonce.
    force: Option<(bool, Option<String>)>,
    tags: Vec<(String, String)>,
}

impl Spec {
    fn cluster(&self) -> &str {
        self.cluster.as_deref().unwrap_or("default")
    }

    fn is_daemon(&self) -> bool {
        self.scheduling == Some(SchedulingStrategy::Daemon)
    }
}

type R<T> = Result<T, ProviderError>;

fn parse(value: &Value, ctx: Ctx<'_>) -> R<Spec> {
    let p = Obj::root(value, ctx, FIELDS)?;
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
                        .r#type(PlacementStrategyType::from(ps.req_str("Type")?.as_str()))
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
                        .r#type(PlacementConstraintType::from(pc.req_str("Type")?.as_str()))
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
        tags: p.tags("Tags")?,
    })
}

/// The provider.
#[derive(Debug)]
pub(crate) struct ServiceProvider {
    pub(crate) ecs: Ecs,
}

impl ServiceProvider {
    async fn do_create(&self, input: &CreateInput) -> R<ResourceOutput> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("ServiceName is not set and no name was generated"))?;
        let cluster = spec.cluster().to_owned();

        if let Some(found) = describe_one(&self.ecs, ctx, &cluster, &name).await? {
            match found.status().unwrap_or_default() {
                INACTIVE => {}
                "ACTIVE" => {
                    if !owned_by(&tag_map(found.tags()), &input.tags) {
                        return Err(ctx.fatal(format!(
                            "creating service {name} in cluster {cluster}: a service of that \
                             name already exists and was not made for this resource (it lacks \
                             its infra:* tags); choose another ServiceName or import it"
                        )));
                    }
                    let arn = found.service_arn().unwrap_or_default().to_owned();
                    let before = Spec {
                        tags: tag_map(found.tags()).into_iter().collect(),
                        ..Spec::default()
                    };
                    self.apply(
                        ctx,
                        &cluster,
                        &arn,
                        &before,
                        &spec,
                        &BTreeMap::new(),
                        &input.tags,
                    )
                    .await?;
                    let service = wait_active(&self.ecs, ctx, &cluster, &arn).await?;
                    return Ok(output(&service));
                }
                other => {
                    return Err(ctx.error(
                        FailureClass::Retryable,
                        format!(
                            "creating service {name} in cluster {cluster}: a service of that \
                             name is still {other}; ECS allows the name again once it is INACTIVE"
                        ),
                    ));
                }
            }
        }

        let tags = ecs_tags(ctx, &merge_tags(&spec.tags, &input.tags))?;
        let desired = spec.desired_count.or((!spec.is_daemon()).then_some(1));
        let created = self
            .ecs
            .client
            .create_service()
            .cluster(&cluster)
            .service_name(&name)
            .set_task_definition(spec.task_definition.clone())
            .set_desired_count(desired)
            .set_launch_type(spec.launch_type.clone())
            .set_capacity_provider_strategy(spec.strategy.clone())
            .set_network_configuration(spec.network.clone())
            .set_load_balancers(spec.load_balancers.clone())
            .set_deployment_configuration(spec.deployment.clone())
            .set_placement_strategy(spec.placement_strategies.clone())
            .set_placement_constraints(spec.placement_constraints.clone())
            .set_health_check_grace_period_seconds(spec.grace_period)
            .set_enable_ecs_managed_tags(spec.managed_tags)
            .set_propagate_tags(spec.propagate_tags.clone())
            .set_enable_execute_command(spec.execute_command)
            .set_platform_version(spec.platform_version.clone())
            .set_role(spec.role.clone())
            .set_scheduling_strategy(spec.scheduling.clone())
            .set_deployment_controller(spec.controller.clone())
            .set_service_registries(spec.registries.clone())
            .set_availability_zone_rebalancing(spec.az_rebalancing.clone())
            .set_tags(Some(tags).filter(|t| !t.is_empty()))
            .send()
            .await
            .map_err(|e| {
                fail_referencing(
                    ctx,
                    format!("creating service {name} in cluster {cluster}"),
                    self.ecs.api.err("CreateService", e),
                )
            })?;
        let arn = created
            .service()
            .and_then(Service::service_arn)
            .ok_or_else(|| ctx.fatal(format!("CreateService {name} returned no service ARN")))?
            .to_owned();
        let service = wait_active(&self.ecs, ctx, &cluster, &arn).await?;
        Ok(output(&service))
    }

    /// Brings the service from `before` to `after` with one UpdateService (only what changed)
    /// and the tag calls.
    #[allow(clippy::too_many_arguments)]
    async fn apply(
        &self,
        ctx: Ctx<'_>,
        cluster: &str,
        arn: &str,
        before: &Spec,
        after: &Spec,
        before_infra: &BTreeMap<String, String>,
        after_infra: &BTreeMap<String, String>,
    ) -> R<()> {
        let mut call = self
            .ecs
            .client
            .update_service()
            .cluster(cluster)
            .service(arn);
        let mut changed = false;
        macro_rules! change {
            ($field:ident, $setter:ident, $removed:expr) => {
                if before.$field != after.$field {
                    call = call.$setter(after.$field.clone().or_else(|| $removed));
                    changed = true;
                }
            };
        }
        if before.desired_count != after.desired_count && after.desired_count.is_some() {
            call = call.set_desired_count(after.desired_count);
            changed = true;
        }
        change!(task_definition, set_task_definition, None);
        change!(strategy, set_capacity_provider_strategy, Some(Vec::new()));
        if before.network != after.network && after.network.is_some() {
            call = call.set_network_configuration(after.network.clone());
            changed = true;
        }
        change!(load_balancers, set_load_balancers, Some(Vec::new()));
        change!(
            deployment,
            set_deployment_configuration,
            Some(
                DeploymentConfiguration::builder()
                    .maximum_percent(200)
                    .minimum_healthy_percent(100)
                    .build()
            )
        );
        change!(
            placement_strategies,
            set_placement_strategy,
            Some(Vec::new())
        );
        change!(
            placement_constraints,
            set_placement_constraints,
            Some(Vec::new())
        );
        change!(grace_period, set_health_check_grace_period_seconds, Some(0));
        change!(managed_tags, set_enable_ecs_managed_tags, Some(false));
        change!(
            propagate_tags,
            set_propagate_tags,
            Some(PropagateTags::None)
        );
        change!(execute_command, set_enable_execute_command, Some(false));
        change!(
            platform_version,
            set_platform_version,
            Some("LATEST".to_owned())
        );
        change!(registries, set_service_registries, Some(Vec::new()));
        if before.controller != after.controller && after.controller.is_some() {
            call = call.set_deployment_controller(after.controller.clone());
            changed = true;
        }
        change!(
            az_rebalancing,
            set_availability_zone_rebalancing,
            Some(AvailabilityZoneRebalancing::Enabled)
        );
        let mut force = after.force.as_ref().is_some_and(|(on, _)| *on)
            && (changed || before.force != after.force);
        if before.launch_type != after.launch_type {
            // ECS moves a service from a launch type to a capacity provider strategy only with
            // a new deployment; any other change of launch type needs a new service.
            let to_strategy = after.launch_type.is_none()
                && after.strategy.as_ref().is_some_and(|s| !s.is_empty());
            if !to_strategy {
                return Err(ctx.fatal(
                    "LaunchType cannot change in place (only be replaced by a \
                     CapacityProviderStrategy); the service must be replaced",
                ));
            }
            force = true;
            changed = true;
        }
        if force {
            call = call.force_new_deployment(true);
        }
        if changed {
            retry_while(
                &[
                    FailureClass::DependencyViolation,
                    FailureClass::EventuallyConsistent,
                ],
                BUSY_TIMEOUT,
                || {
                    let call = call.clone();
                    async move {
                        call.send().await.map_err(|e| {
                            fail_referencing(
                                ctx,
                                format!("updating service {arn}"),
                                self.ecs.api.err("UpdateService", e),
                            )
                        })
                    }
                },
            )
            .await?;
        }
        retag(
            &self.ecs,
            ctx,
            arn,
            &merge_tags(&before.tags, before_infra),
            &merge_tags(&after.tags, after_infra),
        )
        .await
    }

    async fn do_update(&self, input: &UpdateInput) -> R<ResourceOutput> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        for (what, changed) in [
            (
                "Cluster",
                short_name(before.cluster()) != short_name(after.cluster()),
            ),
            ("Role", before.role != after.role),
            ("SchedulingStrategy", before.scheduling != after.scheduling),
            (
                "ServiceName",
                after.name.as_deref().is_some_and(|n| n != short_name(arn)),
            ),
        ] {
            if changed {
                return Err(ctx.fatal(format!(
                    "{what} cannot change in place; the service must be replaced"
                )));
            }
        }
        let cluster = cluster_of(input.after.get("Cluster").and_then(Value::as_str), arn);
        self.apply(
            ctx,
            &cluster,
            arn,
            &before,
            &after,
            &input.tags,
            &input.tags,
        )
        .await?;
        let service = wait_active(&self.ecs, ctx, &cluster, arn).await?;
        Ok(output(&service))
    }

    async fn do_delete(&self, input: &DeleteInput) -> R<()> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        let cluster = cluster_of(input.properties.get("Cluster").and_then(Value::as_str), arn);
        let Some(found) = describe_one(&self.ecs, ctx, &cluster, arn).await? else {
            return Ok(());
        };
        if found.status() == Some(INACTIVE) {
            return Ok(());
        }
        // A service already DRAINING (an earlier delete) is only waited for.
        if found.status() == Some("ACTIVE") {
            self.scale_down_and_delete(ctx, &cluster, arn, &found)
                .await?;
        }
        // Then wait until it is INACTIVE (or gone).
        let done = common::poll(WAIT_TIMEOUT, || async {
            Ok(match describe_one(&self.ecs, ctx, &cluster, arn).await? {
                None => Some(()),
                Some(s) if s.status() == Some(INACTIVE) => Some(()),
                Some(_) => None,
            })
        })
        .await?;
        done.ok_or_else(|| {
            ctx.error(
                FailureClass::Retryable,
                format!("service {arn} was still draining {WAIT_TIMEOUT:?} after DeleteService"),
            )
        })
    }

    /// Steps 1 and 2 of the teardown: UpdateService `desiredCount` 0 (replica services, so no
    /// new task starts while it drains), then DeleteService with `force` (stopping whatever
    /// still runs). A service that is gone meanwhile is fine.
    async fn scale_down_and_delete(
        &self,
        ctx: Ctx<'_>,
        cluster: &str,
        arn: &str,
        found: &Service,
    ) -> R<()> {
        let scale_down = found.scheduling_strategy() != Some(&SchedulingStrategy::Daemon)
            && found.desired_count() > 0;
        if scale_down
            && let Err(e) = self
                .ecs
                .client
                .update_service()
                .cluster(cluster)
                .service(arn)
                .desired_count(0)
                .send()
                .await
        {
            let err = self.ecs.api.err("UpdateService", e);
            if is_not_found(&err) {
                return Ok(());
            }
            return Err(fail(ctx, format!("scaling service {arn} to 0"), err));
        }
        if let Err(e) = self
            .ecs
            .client
            .delete_service()
            .cluster(cluster)
            .service(arn)
            .force(true)
            .send()
            .await
        {
            let err = self.ecs.api.err("DeleteService", e);
            if !is_not_found(&err) {
                return Err(fail(ctx, format!("deleting service {arn}"), err));
            }
        }
        Ok(())
    }

    async fn do_read(&self, items: &[ReadInput]) -> R<BTreeMap<String, Observation>> {
        let mut by_cluster: BTreeMap<String, Vec<&ReadInput>> = BTreeMap::new();
        for item in items {
            let cluster = cluster_of(
                item.properties.get("Cluster").and_then(Value::as_str),
                &item.physical_id,
            );
            by_cluster.entry(cluster).or_default().push(item);
        }
        let ctx = Ctx::new(TYPE, "(refresh)");
        let mut out = BTreeMap::new();
        for (cluster, members) in by_cluster {
            let ids: Vec<String> = members.iter().map(|i| i.physical_id.clone()).collect();
            let found = describe_services(&self.ecs, ctx, &cluster, &ids).await?;
            for item in members {
                let obs = match find(&found, &item.physical_id) {
                    Some(svc) if svc.status() != Some(INACTIVE) => observe(svc, item),
                    _ => Observation::Gone,
                };
                out.insert(item.address.clone(), obs);
            }
        }
        Ok(out)
    }
}

provider_impl!(ServiceProvider, TYPE);

/// The cluster of a service: its `Cluster` property, else the cluster named in its ARN
/// (`arn:...:service/<cluster>/<name>`), else `default`.
fn cluster_of(given: Option<&str>, arn: &str) -> String {
    if let Some(c) = given.filter(|c| !c.is_empty()) {
        return c.to_owned();
    }
    let resource = arn.rsplit(':').next().unwrap_or_default();
    let parts: Vec<&str> = resource.split('/').collect();
    match parts.as_slice() {
        ["service", cluster, _name] => (*cluster).to_owned(),
        _ => "default".to_owned(),
    }
}

pub(super) fn output(service: &Service) -> ResourceOutput {
    ResourceOutput {
        physical_id: service.service_arn().unwrap_or_default().to_owned(),
        attributes: attributes(service),
    }
}

fn attributes(service: &Service) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("Name".to_owned(), s(service.service_name())),
        ("ServiceArn".to_owned(), s(service.service_arn())),
    ])
}

/// Waits (bounded) until the service is `ACTIVE`; fails when its primary deployment failed.
async fn wait_active(ecs: &Ecs, ctx: Ctx<'_>, cluster: &str, arn: &str) -> R<Service> {
    let found = common::poll(ACTIVE_TIMEOUT, || async {
        let Some(service) = describe_one(ecs, ctx, cluster, arn).await? else {
            return Ok(None);
        };
        let failed = service.deployments().iter().find(|d| {
            d.status() == Some("PRIMARY")
                && d.rollout_state() == Some(&DeploymentRolloutState::Failed)
        });
        if let Some(d) = failed {
            return Err(ctx.fatal(format!(
                "the deployment of service {arn} failed: {}",
                d.rollout_state_reason().unwrap_or("no reason given")
            )));
        }
        match service.status() {
            Some("ACTIVE") => Ok(Some(service)),
            Some(INACTIVE) => {
                Err(ctx.error(FailureClass::NotFound, format!("service {arn} is INACTIVE")))
            }
            _ => Ok(None),
        }
    })
    .await?;
    found.ok_or_else(|| {
        ctx.error(
            FailureClass::Retryable,
            format!("service {arn} was not ACTIVE within {ACTIVE_TIMEOUT:?}"),
        )
    })
}

/// One service of `cluster` by name or ARN (with its tags); `None` when ECS does not know it
/// (or the cluster).
pub(super) async fn describe_one(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    id: &str,
) -> R<Option<Service>> {
    let found = describe_services(ecs, ctx, cluster, &[id.to_owned()]).await?;
    Ok(find(&found, id).cloned())
}

/// DescribeServices for `ids` of `cluster`, 10 per call; a missing cluster means no services.
async fn describe_services(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    ids: &[String],
) -> R<Vec<Service>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(SERVICES_PER_CALL) {
        match ecs
            .client
            .describe_services()
            .cluster(cluster)
            .set_services(Some(chunk.to_vec()))
            .include(ServiceField::Tags)
            .send()
            .await
        {
            Ok(answer) => out.extend(answer.services().iter().cloned()),
            Err(e) => {
                let err = ecs.api.err("DescribeServices", e);
                if is_not_found(&err) {
                    return Ok(Vec::new());
                }
                return Err(fail(
                    ctx,
                    format!(
                        "describing services {} of cluster {cluster}",
                        chunk.join(", ")
                    ),
                    err,
                ));
            }
        }
    }
    Ok(out)
}

fn find<'s>(services: &'s [Service], id: &str) -> Option<&'s Service> {
    services
        .iter()
        .find(|s| s.service_arn() == Some(id) || s.service_name() == Some(short_name(id)))
}

fn observe(svc: &Service, item: &ReadInput) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut out = Map::new();
    for key in &managed {
        let found = match key.as_str() {
            "ServiceName" => s(svc.service_name()),
            "Cluster" => match (prev(key).and_then(Value::as_str), svc.cluster_arn()) {
                (Some(given), Some(arn)) if same_name_or_arn(given, arn) => json!(given),
                (_, arn) => s(arn),
            },
            "TaskDefinition" => match (prev(key).and_then(Value::as_str), svc.task_definition()) {
                (Some(given), Some(arn)) if same_name_or_arn(given, arn) => json!(given),
                (_, arn) => s(arn),
            },
            "Role" => match (prev(key).and_then(Value::as_str), svc.role_arn()) {
                (Some(given), Some(arn)) if same_name_or_arn(given, arn) => json!(given),
                (_, arn) => s(arn),
            },
            "DesiredCount" => json!(svc.desired_count()),
            "LaunchType" => s(svc.launch_type().map(|v| v.as_str())),
            "CapacityProviderStrategy" => render_strategy(svc.capacity_provider_strategy()),
            "NetworkConfiguration" => svc.network_configuration().map_or(Value::Null, |nc| {
                let mut o = Map::new();
                if let Some(a) = nc.awsvpc_configuration() {
                    let mut v = Map::new();
                    v.insert("Subnets".into(), json!(a.subnets()));
                    put(&mut v, "SecurityGroups", ss(a.security_groups()));
                    put(&mut v, "AssignPublicIp", s(a.assign_public_ip().map(|x| x.as_str())));
                    o.insert("AwsvpcConfiguration".into(), Value::Object(v));
                }
                Value::Object(o)
            }),
            "LoadBalancers" => Value::Array(
                svc.load_balancers()
                    .iter()
                    .map(|lb| {
                        let mut o = Map::new();
                        put(&mut o, "TargetGroupArn", s(lb.target_group_arn()));
                        put(&mut o, "LoadBalancerName", s(lb.load_balancer_name()));
                        put(&mut o, "ContainerName", s(lb.container_name()));
                        put(&mut o, "ContainerPort", n(lb.container_port()));
                        if let Some(a) = lb.advanced_configuration() {
                            let mut ac = Map::new();
                            put(&mut ac, "AlternateTargetGroupArn", s(a.alternate_target_group_arn()));
                            put(&mut ac, "ProductionListenerRule", s(a.production_listener_rule()));
                            put(&mut ac, "TestListenerRule", s(a.test_listener_rule()));
                            put(&mut ac, "RoleArn", s(a.role_arn()));
                            o.insert("AdvancedConfiguration".into(), Value::Object(ac));
                        }
                        Value::Object(o)
                    })
                    .collect(),
            ),
            "DeploymentConfiguration" => svc.deployment_configuration().map_or(Value::Null, |d| {
                let mut o = Map::new();
                put(&mut o, "MaximumPercent", n(d.maximum_percent()));
                put(&mut o, "MinimumHealthyPercent", n(d.minimum_healthy_percent()));
                if let Some(b) = d.deployment_circuit_breaker() {
                    o.insert(
                        "DeploymentCircuitBreaker".into(),
                        json!({"Enable": b.enable(), "Rollback": b.rollback()}),
                    );
                }
                if let Some(a) = d.alarms() {
                    o.insert(
                        "Alarms".into(),
                        json!({"AlarmNames": a.alarm_names(), "Enable": a.enable(), "Rollback": a.rollback()}),
                    );
                }
                put(&mut o, "Strategy", s(d.strategy().map(|x| x.as_str())));
                put(&mut o, "BakeTimeInMinutes", n(d.bake_time_in_minutes()));
                Value::Object(o)
            }),
            "PlacementStrategies" => Value::Array(
                svc.placement_strategy()
                    .iter()
                    .map(|p| {
                        let mut o = Map::new();
                        put(&mut o, "Type", s(p.r#type().map(|x| x.as_str())));
                        put(&mut o, "Field", s(p.field()));
                        Value::Object(o)
                    })
                    .collect(),
            ),
            "PlacementConstraints" => Value::Array(
                svc.placement_constraints()
                    .iter()
                    .map(|p| {
                        let mut o = Map::new();
                        put(&mut o, "Type", s(p.r#type().map(|x| x.as_str())));
                        put(&mut o, "Expression", s(p.expression()));
                        Value::Object(o)
                    })
                    .collect(),
            ),
            "HealthCheckGracePeriodSeconds" => n(svc.health_check_grace_period_seconds()),
            "EnableECSManagedTags" => json!(svc.enable_ecs_managed_tags()),
            "EnableExecuteCommand" => json!(svc.enable_execute_command()),
            "PropagateTags" => s(svc.propagate_tags().map(|x| x.as_str())),
            "PlatformVersion" => s(svc.platform_version()),
            "SchedulingStrategy" => s(svc.scheduling_strategy().map(|x| x.as_str())),
            "DeploymentController" => svc
                .deployment_controller()
                .map_or(Value::Null, |c| json!({"Type": c.r#type().as_str()})),
            "ServiceRegistries" => Value::Array(
                svc.service_registries()
                    .iter()
                    .map(|r| {
                        let mut o = Map::new();
                        put(&mut o, "RegistryArn", s(r.registry_arn()));
                        put(&mut o, "Port", n(r.port()));
                        put(&mut o, "ContainerName", s(r.container_name()));
                        put(&mut o, "ContainerPort", n(r.container_port()));
                        Value::Object(o)
                    })
                    .collect(),
            ),
            "AvailabilityZoneRebalancing" => {
                s(svc.availability_zone_rebalancing().map(|x| x.as_str()))
            }
            // Write-only: what was last asked for.
            "ForceNewDeployment" => prev(key).cloned().unwrap_or(Value::Null),
            "Tags" => {
                out.insert(key.clone(), observed_tags(&tag_map(svc.tags()), prev(key)));
                continue;
            }
            _ => continue,
        };
        put(&mut out, key, observed(found, prev(key)));
    }
    Observation::Present {
        properties: Value::Object(out),
        attributes: attributes(svc),
    }
}
