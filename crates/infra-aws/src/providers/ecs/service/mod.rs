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

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::create_service::builders::{
    CreateServiceFluentBuilder, CreateServiceInputBuilder,
};
use aws_sdk_ecs::operation::update_service::builders::UpdateServiceInputBuilder;
use aws_sdk_ecs::types::{SchedulingStrategy, Service};

use super::props::{self, changed, short_name};
use super::{BUSY_TIMEOUT, INACTIVE, R, Tags, WAIT_TIMEOUT, ecs_tags, retag, tag_map, wait_until};
use crate::generated::ecs::{SERVICE, create_service, update_service};

use read::wait_active;
pub(super) use read::{describe_one, output};

mod read;

pub(crate) const TYPE: &str = "AWS::ECS::Service";

// The provider, and what `infra types` lists for this type.
provider! {
    ServiceProvider,
    PerParent: "DescribeServices per cluster (10 services per call)",
    Name: "DescribeServices of ServiceName in its Cluster, infra tags checked",
}

const FORCE: Keys = Keys::new(&["EnableForceNewDeployment", "ForceNewDeploymentNonce"]);

/// A service as the template describes it: CreateService with every property but the tags set
/// (UpdateService takes what changed), and `ForceNewDeployment` (enabled, and its nonce).
type Spec = props::Spec<(CreateServiceFluentBuilder, Option<(bool, Option<String>)>)>;

impl Spec {
    /// The request's values.
    fn get(&self) -> &CreateServiceInputBuilder {
        self.request.0.as_input()
    }

    fn cluster(&self) -> &str {
        self.get().get_cluster().as_deref().unwrap_or("default")
    }

    fn is_daemon(&self) -> bool {
        self.get().get_scheduling_strategy() == &Some(SchedulingStrategy::Daemon)
    }
}

/// The template's properties (null = none); the request is built on `client`'s call, sending
/// nothing.
fn parse(value: &Value, ctx: Ctx<'_>, client: &aws_sdk_ecs::Client) -> R<Spec> {
    props::spec(value, ctx, SERVICE, |p| {
        let request = create_service(p, client.create_service())?;
        let force = |f: Props<'_>| -> R<_> {
            let enabled = f.bool("EnableForceNewDeployment")?.unwrap_or(false);
            Ok((enabled, f.str("ForceNewDeploymentNonce")?))
        };
        let force = p.obj("ForceNewDeployment", FORCE)?.map(force).transpose()?;
        Ok((request, force))
    })
}

impl ServiceProvider {
    /// Brings the service `arn` of `cluster` from `before` to `after` with one UpdateService
    /// (only what changed), and its tags (infra's included) from `old_tags` to `new_tags`.
    async fn apply(
        &self,
        ctx: Ctx<'_>,
        (cluster, arn): (&str, &str),
        (before, old_tags): (&Spec, &Tags),
        (after, new_tags): (&Spec, &Tags),
    ) -> R<()> {
        // What changed is set; what was removed goes back to ECS's default, or is left as it
        // is (the generated request, `mappings/ecs.toml`).
        let p = Props::root(&after.props, ctx, SERVICE)?;
        let diff = &mut |k: &str| changed(&before.props, &after.props, k);
        let mut call = update_service(&p, self.ecs.client.update_service(), diff)?;
        let mut changed = *call.as_input() != UpdateServiceInputBuilder::default();
        let (b, a) = (before.get(), after.get());
        let enabled = after.request.1.as_ref().is_some_and(|(on, _)| *on);
        let mut force = enabled && (changed || before.request.1 != after.request.1);
        if b.get_launch_type() != a.get_launch_type() {
            // ECS moves a service from a launch type to a capacity provider strategy only with
            // a new deployment; any other change of launch type needs a new service.
            let strategy = a.get_capacity_provider_strategy().as_ref();
            if a.get_launch_type().is_some() || strategy.is_none_or(|s| s.is_empty()) {
                return Err(ctx.fatal(
                    "LaunchType cannot change in place (only be replaced by a \
                     CapacityProviderStrategy); the service must be replaced",
                ));
            }
            (force, changed) = (true, true);
        }
        if force {
            call = call.force_new_deployment(true);
        }
        let call = call.cluster(cluster).service(arn);
        if changed {
            let busy = [
                FailureClass::DependencyViolation,
                FailureClass::EventuallyConsistent,
            ];
            let doing = format!("updating service {arn}");
            kit::retry_while(&busy, BUSY_TIMEOUT, kit::FIRST_PAUSE, || async {
                send_referencing!(self.ecs, ctx, call.clone(), &doing)
            })
            .await?;
        }
        retag(&self.ecs, ctx, arn, old_tags, new_tags).await
    }

    /// Steps 1 and 2 of the teardown: UpdateService `desiredCount` 0 (replica services, so no
    /// new task starts while it drains), then DeleteService with `force` (stopping whatever
    /// still runs). A service that is gone meanwhile is fine.
    async fn scale_down_and_delete(
        &self,
        ctx: Ctx<'_>,
        (cluster, arn): (&str, &str),
        found: &Service,
    ) -> R<()> {
        let client = &self.ecs.client;
        let daemon = found.scheduling_strategy() == Some(&SchedulingStrategy::Daemon);
        if !daemon && found.desired_count() > 0 {
            let request = client.update_service().cluster(cluster).service(arn);
            let sent = request.desired_count(0).send();
            let doing = format!("scaling service {arn} to 0");
            let scaled = kit::found(&self.ecs, ctx, doing, sent).await?;
            if scaled.is_none() {
                return Ok(());
            }
        }
        let request = client.delete_service().cluster(cluster).service(arn);
        let sent = request.force(true).send();
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
        let tags = merge_tags(&spec.tags, &input.tags);
        let doing = format!("creating service {name} in cluster {cluster}");

        if let Some(found) = describe_one(&self.ecs, ctx, &cluster, &name).await? {
            match found.status().unwrap_or_default() {
                INACTIVE => {}
                "ACTIVE" => {
                    let found_tags = tag_map(found.tags());
                    if !owned_by(&found_tags, &input.tags) {
                        return Err(kit::not_ours(ctx, &doing, "a service", "ServiceName"));
                    }
                    let arn = found.service_arn().unwrap_or_default();
                    let before = parse(&Value::Null, ctx, &self.ecs.client)?;
                    let service = (cluster.as_str(), arn);
                    self.apply(ctx, service, (&before, &found_tags), (&spec, &tags))
                        .await?;
                    return Ok(output(&wait_active(&self.ecs, ctx, &cluster, arn).await?));
                }
                other => {
                    let message = format!(
                        "{doing}: a service of that name is still {other}; ECS allows the name \
                         again once it is INACTIVE"
                    );
                    return Err(ctx.error(FailureClass::Retryable, message));
                }
            }
        }

        let desired = *spec.get().get_desired_count();
        let desired = desired.or((!spec.is_daemon()).then_some(1));
        let request = spec.request.0.clone().cluster(&cluster).service_name(&name);
        let request = request.set_desired_count(desired);
        let request = request.set_tags(ecs_tags(ctx, &tags)?);
        let created = send_referencing!(self.ecs, ctx, request, &doing)?;
        let no_arn = || ctx.fatal(format!("CreateService {name} returned no service ARN"));
        let arn = created.service().and_then(Service::service_arn);
        let arn = arn.ok_or_else(no_arn)?;
        Ok(output(&wait_active(&self.ecs, ctx, &cluster, arn).await?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> R<ResourceOutput> {
        let before = parse(&input.before, ctx, &self.ecs.client)?;
        let after = parse(&input.after, ctx, &self.ecs.client)?;
        let (b, a) = (before.get(), after.get());
        let arn = input.physical_id.as_str();
        let cluster_changed = short_name(before.cluster()) != short_name(after.cluster());
        let strategy_changed = b.get_scheduling_strategy() != a.get_scheduling_strategy();
        let name = a.get_service_name().as_deref();
        let renamed = name.is_some_and(|n| n != short_name(arn));
        let replaced = [
            ("Cluster", cluster_changed),
            ("Role", b.get_role() != a.get_role()),
            ("SchedulingStrategy", strategy_changed),
            ("ServiceName", renamed),
        ];
        if let Some((what, _)) = replaced.iter().find(|(_, changed)| *changed) {
            let message = format!("{what} cannot change in place; the service must be replaced");
            return Err(ctx.fatal(message));
        }
        let cluster = cluster_of(&input.after, arn);
        let tags = |s: &Spec| merge_tags(&s.tags, &input.tags);
        let (old_tags, new_tags) = (tags(&before), tags(&after));
        let service = (cluster.as_str(), arn);
        self.apply(ctx, service, (&before, &old_tags), (&after, &new_tags))
            .await?;
        Ok(output(&wait_active(&self.ecs, ctx, &cluster, arn).await?))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
        let arn = input.physical_id.as_str();
        let cluster = cluster_of(&input.properties, arn);
        let Some(found) = describe_one(&self.ecs, ctx, &cluster, arn).await? else {
            return Ok(());
        };
        if found.status() == Some(INACTIVE) {
            return Ok(());
        }
        // A service already DRAINING (an earlier delete) is only waited for.
        if found.status() == Some("ACTIVE") {
            self.scale_down_and_delete(ctx, (&cluster, arn), &found)
                .await?;
        }
        // Then wait (bounded) until it is INACTIVE (or gone).
        let gone = || async {
            let found = describe_one(&self.ecs, ctx, &cluster, arn).await?;
            let gone = found.is_none_or(|s| s.status() == Some(INACTIVE));
            Ok(gone.then_some(()))
        };
        let late =
            || format!("service {arn} was still draining {WAIT_TIMEOUT:?} after DeleteService");
        wait_until(ctx, WAIT_TIMEOUT, gone, late).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    /// The service of the name in its cluster (`Cluster`, else `default`), when it is `ACTIVE`
    /// (not `DRAINING` nor `INACTIVE`) and carries this resource's tags.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "ServiceName", ctx)?;
        let cluster = input.properties.get("Cluster").and_then(Value::as_str);
        let cluster = cluster.unwrap_or("default");
        let found = describe_one(&self.ecs, ctx, cluster, &name).await?;
        let found = found.filter(|s| s.status() == Some("ACTIVE"));
        let found = found.filter(|s| owned_by(&tag_map(s.tags()), &input.tags));
        Ok(found.map(|s| output(&s)))
    }
}

/// The cluster of a service: its `Cluster` property (of `properties`), else the cluster named
/// in its ARN (`arn:...:service/<cluster>/<name>`), else `default`.
fn cluster_of(properties: &Value, arn: &str) -> String {
    let given = properties.get("Cluster").and_then(Value::as_str);
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
