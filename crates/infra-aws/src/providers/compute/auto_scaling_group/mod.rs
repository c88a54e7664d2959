//! `AWS::AutoScaling::AutoScalingGroup`.
//!
//! # Native teardown: this replaces `Custom::AsgDestroyer`
//!
//! Templates such as the reference pattern's `cluster.yml` tear their group down with a Lambda
//! custom resource (`Custom::AsgDestroyer`) that calls DeleteAutoScalingGroup with
//! `ForceDelete`, because instances protected from scale-in (`NewInstancesProtectedFromScaleIn`,
//! ECS managed termination protection) otherwise block the group's deletion for ever. `infra`
//! drops that custom resource and its function and role from the graph; this provider's delete
//! *is* the native step 3 of DESIGN.md's teardown: DeleteAutoScalingGroup with
//! `ForceDelete: true` (AWS terminates every instance, protected or not, without waiting for
//! lifecycle hooks), then a wait (at most 15 minutes) until DescribeAutoScalingGroups no longer
//! shows the group (its status "Delete in progress" cleared). `ScalingActivityInProgress` and
//! `ResourceInUse` are [`FailureClass::DependencyViolation`], which the engine retries; a group
//! already gone is success.
//!
//! # Properties
//!
//! | property | create | update |
//! |---|---|---|
//! | `AutoScalingGroupName` | CreateAutoScalingGroup (else the generated name) | create-only (replacement) |
//! | `MinSize`, `MaxSize`, `DesiredCapacity` (numbers or strings) | CreateAutoScalingGroup | UpdateAutoScalingGroup (`DesiredCapacity` removed: left as it is, as CloudFormation does) |
//! | `LaunchTemplate` {`LaunchTemplateId`\|`LaunchTemplateName`, `Version`}, `LaunchConfigurationName`, `MixedInstancesPolicy` | CreateAutoScalingGroup | UpdateAutoScalingGroup |
//! | `VPCZoneIdentifier` (list, sent comma-joined), `AvailabilityZones` | CreateAutoScalingGroup | UpdateAutoScalingGroup |
//! | `HealthCheckType`, `HealthCheckGracePeriod`, `Cooldown`, `DefaultInstanceWarmup`, `MaxInstanceLifetime`, `NewInstancesProtectedFromScaleIn`, `CapacityRebalance`, `TerminationPolicies`, `InstanceMaintenancePolicy`, `DesiredCapacityType` | CreateAutoScalingGroup | UpdateAutoScalingGroup (removed: AWS's default) |
//! | `PlacementGroup`, `ServiceLinkedRoleARN`, `Context`, `AvailabilityZoneDistribution`, `AvailabilityZoneImpairmentPolicy`, `CapacityReservationSpecification`, `InstanceLifecyclePolicy`, `SkipZonalShiftValidation` | CreateAutoScalingGroup | UpdateAutoScalingGroup (removing one is refused: the API cannot unset it) |
//! | `TargetGroupARNs` | CreateAutoScalingGroup | AttachLoadBalancerTargetGroups / DetachLoadBalancerTargetGroups |
//! | `LoadBalancerNames` | CreateAutoScalingGroup | AttachLoadBalancers / DetachLoadBalancers |
//! | `MetricsCollection` [{`Granularity`, `Metrics`}] | EnableMetricsCollection | DisableMetricsCollection, then EnableMetricsCollection |
//! | `Tags` [{`Key`, `Value`, `PropagateAtLaunch`}] | CreateAutoScalingGroup, with infra's tags (`PropagateAtLaunch` true) | CreateOrUpdateTags / DeleteTags |
//!
//! Refused, by name: `InstanceId` (creating a group from an instance), `LifecycleHookSpecificationList`,
//! `NotificationConfiguration(s)`, `TrafficSources` (not supported yet: each needs its own
//! attach/put calls on update), `AvailabilityZoneIds` and `DeletionProtection` (the Auto Scaling
//! SDK infra is built with has no such parameter yet), `MixedInstancesPolicy` parts
//! `InstancesDistribution.DistributionSegments` and `LaunchTemplate.Overrides[*].InstanceRequirements`,
//! and any key CloudFormation does not document.
//!
//! The keys, the refusals, the nested policies, each tag, the CreateAutoScalingGroup request,
//! the UpdateAutoScalingGroup request of what changed (a removed property sent as AWS's
//! default) and the group's values as refresh and `Fn::GetAtt` report them are generated from
//! the schema (`crates/infra-aws/mappings/autoscaling.toml`); the provider's own code sets the
//! name, `VPCZoneIdentifier`, the tags (merged with infra's) and the metrics collection,
//! attaches and detaches target groups and load balancers, waits, and force-deletes.
//!
//! `Ref` is the group name. `Fn::GetAtt` gives `AutoScalingGroupARN` (the schema's one
//! read-only attribute) and, as the registry lists every property of this type as an
//! attribute, the group's own values as AWS reports them (`AutoScalingGroupName`, `MinSize`,
//! `MaxSize`, `DesiredCapacity`, `LaunchTemplate.LaunchTemplateId`,
//! `LaunchTemplate.LaunchTemplateName`, `LaunchTemplate.Version`, `VPCZoneIdentifier`, ...).
//!
//! # Waiting
//!
//! A create returns once DescribeAutoScalingGroups shows the group and its instances settled:
//! the in-service, healthy capacity equals the desired capacity (or the desired capacity is 0),
//! for at most 10 minutes (Terraform's default `wait_for_capacity_timeout`). A failed scaling
//! activity since the group was made fails the create at once with AWS's status message,
//! except the ones Auto Scaling retries by itself (an instance profile not yet propagated,
//! capacity shortages). An update that changes the sizes waits the same way.
//!
//! # Reading
//!
//! DescribeAutoScalingGroups with up to 50 names per call (pages followed); a group missing from
//! the answer, or being deleted, is `Gone`. Properties are reported as the template writes them
//! (`VPCZoneIdentifier` as a list, numbers as the last applied value spelled them when equal);
//! `MixedInstancesPolicy`, the zone and capacity reservation policies, `InstanceLifecyclePolicy`
//! and the write-only `SkipZonalShiftValidation` are reported as last applied.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::types::{AutoScalingGroup, Tag};

use super::{LastSeen, adopted, changed};
use crate::generated::autoscaling::AUTO_SCALING_GROUP;
use crate::providers::kit::{does_not_exist, poll, same_name};

use props::{NOT_REMOVABLE, Spec, all_tags, parse, update_request};
use read::{being_deleted, output};

mod props;
mod read;
#[cfg(test)]
mod tests;
mod wait;

pub const TYPE: &str = "AWS::AutoScaling::AutoScalingGroup";

/// Target groups or load balancers per Attach/Detach call.
const ATTACH_PER_CALL: usize = 10;

/// How long a delete waits for the group to be gone.
const DELETE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How long a new group may stay invisible to DescribeAutoScalingGroups.
const VISIBLE_TIMEOUT: Duration = Duration::from_secs(2 * 60);

#[derive(Debug)]
pub(crate) struct AutoScalingGroupProvider {
    pub(crate) svc: Service<aws_sdk_autoscaling::Client>,
}

impl AutoScalingGroupProvider {
    /// EnableMetricsCollection of each of the template's `MetricsCollection` entries.
    async fn enable_metrics(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        spec: &Spec,
    ) -> Result<(), ProviderError> {
        for m in &spec.metrics {
            let doing = format!("enabling metrics collection on group {name}");
            let call = m.clone().auto_scaling_group_name(name);
            send!(&self.svc, ctx, call, doing)?;
        }
        Ok(())
    }

    /// Target groups and classic load balancers: attach the new, detach the removed, at most
    /// [`ATTACH_PER_CALL`] a call.
    async fn update_attachments(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        before: &Spec,
        after: &Spec,
    ) -> Result<(), ProviderError> {
        let added = |from: &[String], to: &[String]| -> Vec<String> {
            to.iter().filter(|x| !from.contains(x)).cloned().collect()
        };
        // `$attach` with `$set` of what the group gains of `$what`, then `$detach` of what it
        // loses, in chunks.
        macro_rules! attachments {
            ($what:literal, $old:expr, $new:expr, $attach:ident, $detach:ident, $set:ident) => {
                for chunk in added(&$old, &$new).chunks(ATTACH_PER_CALL) {
                    let call = self.svc.client.$attach().auto_scaling_group_name(name);
                    let call = call.$set(Some(chunk.to_vec()));
                    let doing = format!("attaching {} to group {name}", $what);
                    send!(&self.svc, ctx, call, doing)?;
                }
                for chunk in added(&$new, &$old).chunks(ATTACH_PER_CALL) {
                    let call = self.svc.client.$detach().auto_scaling_group_name(name);
                    let call = call.$set(Some(chunk.to_vec()));
                    let doing = format!("detaching {} from group {name}", $what);
                    send!(&self.svc, ctx, call, doing)?;
                }
            };
        }
        attachments!(
            "target groups",
            before.target_groups,
            after.target_groups,
            attach_load_balancer_target_groups,
            detach_load_balancer_target_groups,
            set_target_group_arns
        );
        attachments!(
            "load balancers",
            before.load_balancers,
            after.load_balancers,
            attach_load_balancers,
            detach_load_balancers,
            set_load_balancer_names
        );
        Ok(())
    }
}

impl kit::Provider for AutoScalingGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "DescribeAutoScalingGroups (50 names per call, pages followed)",
        Find::Name,
        "DescribeAutoScalingGroups of AutoScalingGroupName, infra tags checked",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx, &self.svc.client)?;
        let name = create_name(ctx, spec.name.as_ref(), input, "AutoScalingGroupName")?;
        let tags = all_tags(&spec, &input.tags, &name);
        let tags = (!tags.is_empty()).then(|| tags.into_values().collect());
        let request = spec.request.clone().auto_scaling_group_name(&name);
        let request = request.set_vpc_zone_identifier(spec.vpc_zone.clone());
        if let Err(e) = request.set_tags(tags).send().await {
            let err = self.svc.err(e);
            if err.code() == Some("AlreadyExists") {
                let found = self.describe_one(ctx, &name).await?;
                let hidden =
                    format!("group {name} exists but is not visible yet (or is being deleted)");
                let tags = found.as_ref().map(group_tags);
                let named = ("an Auto Scaling group", "AutoScalingGroupName");
                adopted(ctx, input, tags, hidden, &format!("group {name}"), named)?;
            } else {
                let mut failure = on_create(ctx.fail(format!("creating group {name}"), &err));
                // A launch template (or target group) created a moment ago that EC2 does not
                // show Auto Scaling yet.
                if failure.class == FailureClass::Fatal
                    && err.code() == Some("ValidationError")
                    && (failure.message.contains("does not exist")
                        || failure.message.contains("not found"))
                {
                    failure.class = FailureClass::EventuallyConsistent;
                }
                return Err(failure);
            }
        }
        let group = poll(VISIBLE_TIMEOUT, || self.describe_one(ctx, &name)).await?;
        let secs = VISIBLE_TIMEOUT.as_secs();
        let why = format!(
            "group {name} was created but DescribeAutoScalingGroups did not show it within {secs}s"
        );
        let group = group.ok_or_else(|| ctx.fatal(why))?;
        self.enable_metrics(ctx, &name, &spec).await?;
        let since = group.created_time().copied();
        Ok(output(&self.wait_for_capacity(ctx, &name, since).await?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx, &self.svc.client)?;
        let after = parse(&input.after, ctx, &self.svc.client)?;
        let name = input.physical_id.as_str();
        let given = after.name.as_deref();
        same_name(ctx, given, name, "AutoScalingGroupName", "group")?;
        for key in NOT_REMOVABLE {
            if input.before.get(*key).is_some_and(|v| !v.is_null())
                && input.after.get(*key).is_none_or(Value::is_null)
            {
                return Err(ctx.fatal(format!(
                    "property {key} cannot be removed in place (the Auto Scaling API cannot \
                     unset it); set it to the value you want, or replace the group"
                )));
            }
        }
        let diff = |key: &str| changed(&input.before, &input.after, key);
        let (svc, client) = (&self.svc, &self.svc.client);

        let p = Props::root(&input.after, ctx, AUTO_SCALING_GROUP)?;
        let (update, any) = update_request(client.update_auto_scaling_group(), &p, &after, &diff)?;
        if any {
            let doing = format!("updating group {name}");
            send!(svc, ctx, update.auto_scaling_group_name(name), doing)?;
        }

        self.update_attachments(ctx, name, &before, &after).await?;

        if diff("MetricsCollection") {
            let call = client.disable_metrics_collection();
            let doing = format!("disabling metrics collection on group {name}");
            send!(svc, ctx, call.auto_scaling_group_name(name), doing)?;
            self.enable_metrics(ctx, name, &after).await?;
        }

        let old = all_tags(&before, &input.tags, name);
        let new = all_tags(&after, &input.tags, name);
        let removed = old.iter().filter(|(k, _)| !new.contains_key(*k));
        let removed: Vec<Tag> = removed.map(|(_, t)| t.clone()).collect();
        let set = new.iter().filter(|(k, t)| old.get(*k) != Some(*t));
        let set: Vec<Tag> = set.map(|(_, t)| t.clone()).collect();
        if !removed.is_empty() {
            let doing = format!("untagging group {name}");
            let request = client.delete_tags().set_tags(Some(removed));
            send!(svc, ctx, request, doing)?;
        }
        if !set.is_empty() {
            let doing = format!("tagging group {name}");
            let request = client.create_or_update_tags().set_tags(Some(set));
            send!(svc, ctx, request, doing)?;
        }

        let group = if diff("MinSize") || diff("MaxSize") || diff("DesiredCapacity") {
            self.wait_for_capacity(ctx, name, None).await?
        } else {
            let found = self.describe_one(ctx, name).await?;
            found.ok_or_else(|| does_not_exist(ctx, &format!("group {name}")))?
        };
        Ok(output(&group))
    }

    /// Native teardown step 3 (see the module comment).
    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let request = self.svc.client.delete_auto_scaling_group();
        let request = request.auto_scaling_group_name(name).force_delete(true);
        if let Err(e) = request.send().await {
            let err = self.svc.err(e);
            if is_not_found(&err) {
                return Ok(());
            }
            let failure = ctx.fail(format!("force-deleting group {name}"), &err);
            // A delete already under way (an earlier attempt) is waited for, not retried.
            let under_way = failure.class == FailureClass::DependencyViolation
                && (self.described(ctx, name).await?).is_some_and(|g| being_deleted(&g));
            if !under_way {
                return Err(failure);
            }
        }
        let last = LastSeen::default();
        let gone = poll(DELETE_TIMEOUT, || async {
            let group = self.described(ctx, name).await?;
            if let Some(group) = &group {
                let status = group.status().unwrap_or("(none)");
                let count = group.instances().len();
                last.set(format!("status {status}, {count} instance(s)"));
            }
            Ok(group.is_none().then_some(()))
        })
        .await?;
        gone.ok_or_else(|| {
            ctx.error(
                FailureClass::DependencyViolation,
                format!(
                    "timed out after {}m waiting for group {name} to be deleted ({})",
                    DELETE_TIMEOUT.as_secs() / 60,
                    last.get()
                ),
            )
        })
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.read_batch(items).await
    }

    /// The group an interrupted create made, by name (`AutoScalingGroupName`, else the
    /// generated one), when it carries this resource's `infra:*` tags and is not being deleted
    /// (`Status: Delete in progress`). Only reads (DescribeAutoScalingGroups).
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = kit::name_to_find(input, "AutoScalingGroupName", ctx)?;
        // `describe_one` leaves out a group being deleted.
        let found = self.describe_one(ctx, &name).await?;
        let found = found.filter(|g| kit::owned_by(&group_tags(g), &input.tags));
        Ok(found.map(|g| output(&g)))
    }
}

/// A group's tags as a map.
fn group_tags(group: &AutoScalingGroup) -> BTreeMap<String, String> {
    kit::tag_pairs(group.tags(), |t| (t.key(), t.value()))
}
