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
//! The CreateService request (every property but `ForceNewDeployment` and `Tags`) and
//! UpdateService's (the properties that changed, a removed one sent as the default above) are
//! generated from the schema (`mappings/ecs.toml`, `generated/ecs.rs`). Refresh reports the
//! service through the conversion generated from the same schema (but `ForceNewDeployment`,
//! write-only, and `Tags`; an ARN as the name the template gave when it names the same).
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

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::update_service::builders::UpdateServiceInputBuilder;
use aws_sdk_ecs::types::{SchedulingStrategy, Service};

use super::props::{changed, short_name};
use super::{BUSY_TIMEOUT, INACTIVE, ecs_tags, retag, tag_map};
use crate::generated::ecs::{SERVICE, update_service};

use props::{Spec, parse};
pub(super) use read::{describe_one, output};
use wait::{wait_active, wait_inactive};

mod props;
mod read;
mod wait;

pub(crate) const TYPE: &str = "AWS::ECS::Service";

// The provider, and what `infra types` lists for this type.
provider! {
    ServiceProvider,
    PerParent: "DescribeServices per cluster (10 services per call)",
    Name: "DescribeServices of ServiceName in its Cluster, infra tags checked",
}

type R<T> = Result<T, ProviderError>;

impl ServiceProvider {
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
        // What changed is set; what was removed goes back to ECS's default, or is left as it
        // is (the generated request, `mappings/ecs.toml`).
        let p = Props::root(&after.props, ctx, SERVICE)?;
        let diff = &mut |k: &str| changed(&before.props, &after.props, k);
        let mut call = update_service(&p, self.ecs.client.update_service(), diff)?;
        let mut changed = *call.as_input() != UpdateServiceInputBuilder::default();
        let (b, a) = (before.get(), after.get());
        let mut force = after.force.as_ref().is_some_and(|(on, _)| *on)
            && (changed || before.force != after.force);
        if b.get_launch_type() != a.get_launch_type() {
            // ECS moves a service from a launch type to a capacity provider strategy only with
            // a new deployment; any other change of launch type needs a new service.
            let to_strategy = a.get_launch_type().is_none()
                && a.get_capacity_provider_strategy()
                    .as_ref()
                    .is_some_and(|s| !s.is_empty());
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
        let call = call.cluster(cluster).service(arn);
        if changed {
            kit::retry_while(
                &[
                    FailureClass::DependencyViolation,
                    FailureClass::EventuallyConsistent,
                ],
                BUSY_TIMEOUT,
                kit::FIRST_PAUSE,
                || {
                    let call = call.clone();
                    async move {
                        call.send().await.map_err(|e| {
                            ctx.fail_referencing(
                                format!("updating service {arn}"),
                                self.ecs.api.err(e),
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
        if scale_down {
            let request = self.ecs.client.update_service().cluster(cluster);
            let sent = request.service(arn).desired_count(0).send();
            let doing = format!("scaling service {arn} to 0");
            if kit::found(&self.ecs, ctx, doing, sent).await?.is_none() {
                return Ok(());
            }
        }
        let request = self.ecs.client.delete_service().cluster(cluster);
        let sent = request.service(arn).force(true).send();
        let doing = format!("deleting service {arn}");
        unless_gone(&self.ecs, ctx, doing, sent).await
    }
}

impl kit::Provider for ServiceProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> R<ResourceOutput> {
        let spec = parse(&input.properties, ctx, &self.ecs.client)?;
        let given = spec.get().get_service_name().as_ref();
        let name = kit::create_name(ctx, given, input, "ServiceName")?;
        let cluster = spec.cluster().to_owned();

        if let Some(found) = describe_one(&self.ecs, ctx, &cluster, &name).await? {
            match found.status().unwrap_or_default() {
                INACTIVE => {}
                "ACTIVE" => {
                    if !owned_by(&tag_map(found.tags()), &input.tags) {
                        let doing = format!("creating service {name} in cluster {cluster}");
                        return Err(kit::not_ours(ctx, &doing, "a service", "ServiceName"));
                    }
                    let arn = found.service_arn().unwrap_or_default().to_owned();
                    let before = Spec {
                        tags: tag_map(found.tags()).into_iter().collect(),
                        ..parse(&Value::Null, ctx, &self.ecs.client)?
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
        let desired = *spec.get().get_desired_count();
        let desired = desired.or((!spec.is_daemon()).then_some(1));
        let created = spec
            .request
            .clone()
            .cluster(&cluster)
            .service_name(&name)
            .set_desired_count(desired)
            .set_tags(Some(tags).filter(|t| !t.is_empty()))
            .send()
            .await
            .map_err(|e| {
                ctx.fail_referencing(
                    format!("creating service {name} in cluster {cluster}"),
                    self.ecs.api.err(e),
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

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> R<ResourceOutput> {
        let before = parse(&input.before, ctx, &self.ecs.client)?;
        let after = parse(&input.after, ctx, &self.ecs.client)?;
        let (b, a) = (before.get(), after.get());
        let arn = input.physical_id.as_str();
        for (what, changed) in [
            (
                "Cluster",
                short_name(before.cluster()) != short_name(after.cluster()),
            ),
            ("Role", b.get_role() != a.get_role()),
            (
                "SchedulingStrategy",
                b.get_scheduling_strategy() != a.get_scheduling_strategy(),
            ),
            (
                "ServiceName",
                a.get_service_name()
                    .as_deref()
                    .is_some_and(|n| n != short_name(arn)),
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

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
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
        wait_inactive(&self.ecs, ctx, &cluster, arn).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        self.find_made(input).await
    }
}

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
