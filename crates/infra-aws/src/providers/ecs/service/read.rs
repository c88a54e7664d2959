//! `AWS::ECS::Service` reading: DescribeServices (batched per cluster, 10 a call), the
//! service's `Fn::GetAtt` attributes and the properties refresh reports.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{Service, ServiceField};
use serde_json::{Map, Value, json};

use super::{R, ServiceProvider, TYPE, cluster_of};
use crate::provider::{Observation, ReadInput, ResourceOutput};
use crate::providers::ecs::props::{n, observed, put, s, same_name_or_arn, short_name, ss};
use crate::providers::ecs::{Ecs, INACTIVE, render_strategy, tag_map};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{Ctx, managed_keys, observed_tags};

/// DescribeServices takes at most 10 services (of one cluster) per call.
const SERVICES_PER_CALL: usize = 10;

impl ServiceProvider {
    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> R<BTreeMap<String, Observation>> {
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

pub(in crate::providers::ecs) fn output(service: &Service) -> ResourceOutput {
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

/// One service of `cluster` by name or ARN (with its tags); `None` when ECS does not know it
/// (or the cluster).
pub(in crate::providers::ecs) async fn describe_one(
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
                return Err(ctx.fail(
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
