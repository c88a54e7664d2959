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
use aws_sdk_autoscaling::operation::enable_metrics_collection::builders::EnableMetricsCollectionFluentBuilder;
use aws_sdk_autoscaling::types::{AutoScalingGroup, Tag};

use super::{LastSeen, adopted, changed, name_to_find};
use crate::generated::autoscaling::AUTO_SCALING_GROUP;
use crate::providers::kit::does_not_exist;
use crate::providers::kit::poll;

use props::{NOT_REMOVABLE, Spec, all_tags, parse, sdk_tag, update_request};
use read::{being_deleted, output};

mod props;
mod read;
#[cfg(test)]
mod tests;
mod wait;

/// The type.
pub const TYPE: &str = "AWS::AutoScaling::AutoScalingGroup";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeAutoScalingGroups (50 names per call, pages followed)",
    Find::Name,
    "DescribeAutoScalingGroups of AutoScalingGroupName, infra tags checked",
);

/// Target groups or load balancers per Attach/Detach call.
const ATTACH_PER_CALL: usize = 10;

/// How long a delete waits for the group to be gone.
const DELETE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How long a new group may stay invisible to DescribeAutoScalingGroups.
const VISIBLE_TIMEOUT: Duration = Duration::from_secs(2 * 60);

/// The provider.
#[derive(Debug)]
pub(crate) struct AutoScalingGroupProvider {
    pub(crate) svc: Service<aws_sdk_autoscaling::Client>,
}

impl AutoScalingGroupProvider {
    /// EnableMetricsCollection of one `MetricsCollection` entry.
    async fn enable_metrics(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        m: &EnableMetricsCollectionFluentBuilder,
    ) -> Result<(), ProviderError> {
        let call = m.clone().auto_scaling_group_name(name).send();
        let doing = format!("enabling metrics collection on group {name}");
        call.answer(&self.svc, ctx, doing).await?;
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
        let added = |b: &[String], a: &[String]| -> Vec<String> {
            a.iter().filter(|x| !b.contains(x)).cloned().collect()
        };
        // `$call` of the group with `$set` of each chunk of `$items`, while `$doing`.
        macro_rules! in_chunks {
            ($items:expr, $call:ident, $set:ident, $doing:literal) => {
                for chunk in $items.chunks(ATTACH_PER_CALL) {
                    let call = self.svc.client.$call().auto_scaling_group_name(name);
                    let call = call.$set(Some(chunk.to_vec())).send();
                    call.answer(&self.svc, ctx, format!($doing)).await?;
                }
            };
        }
        let (tg, lb) = (&after.target_groups, &after.load_balancers);
        let (old_tg, old_lb) = (&before.target_groups, &before.load_balancers);
        in_chunks!(
            added(old_tg, tg),
            attach_load_balancer_target_groups,
            set_target_group_arns,
            "attaching target groups to group {name}"
        );
        in_chunks!(
            added(tg, old_tg),
            detach_load_balancer_target_groups,
            set_target_group_arns,
            "detaching target groups from group {name}"
        );
        in_chunks!(
            added(old_lb, lb),
            attach_load_balancers,
            set_load_balancer_names,
            "attaching load balancers to group {name}"
        );
        in_chunks!(
            added(lb, old_lb),
            detach_load_balancers,
            set_load_balancer_names,
            "detaching load balancers from group {name}"
        );
        Ok(())
    }
}

impl kit::Provider for AutoScalingGroupProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx, &self.svc.client)?;
        let name = create_name(ctx, spec.name.as_ref(), input, "AutoScalingGroupName")?;
        let tags = all_tags(&spec, &input.tags);
        let created = spec
            .request
            .clone()
            .auto_scaling_group_name(&name)
            .set_vpc_zone_identifier(spec.vpc_zone.clone())
            .set_tags(
                (!tags.is_empty()).then(|| tags.values().map(|t| sdk_tag(&name, t)).collect()),
            )
            .send()
            .await;
        if let Err(e) = created {
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
        let group = poll(VISIBLE_TIMEOUT, || self.describe_one(ctx, &name))
            .await?
            .ok_or_else(|| {
                ctx.fatal(format!(
                    "group {name} was created but DescribeAutoScalingGroups did not show it \
                     within {}s",
                    VISIBLE_TIMEOUT.as_secs()
                ))
            })?;
        for m in &spec.metrics {
            self.enable_metrics(ctx, &name, m).await?;
        }
        let since = group.created_time().copied();
        let group = self.wait_for_capacity(ctx, &name, since).await?;
        Ok(output(&group))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx, &self.svc.client)?;
        let after = parse(&input.after, ctx, &self.svc.client)?;
        let name = input.physical_id.as_str();
        if after.name.as_ref().is_some_and(|n| n != name) {
            return Err(ctx
                .fatal("AutoScalingGroupName cannot change in place; the group must be replaced"));
        }
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
        let client = &self.svc.client;

        let p = Props::root(&input.after, ctx, AUTO_SCALING_GROUP)?;
        let (update, any) = update_request(client.update_auto_scaling_group(), &p, &after, &diff)?;
        if any {
            let doing = format!("updating group {name}");
            let call = update.auto_scaling_group_name(name).send();
            call.answer(&self.svc, ctx, doing).await?;
        }

        self.update_attachments(ctx, name, &before, &after).await?;

        if diff("MetricsCollection") {
            let call = client
                .disable_metrics_collection()
                .auto_scaling_group_name(name);
            let doing = format!("disabling metrics collection on group {name}");
            call.send().answer(&self.svc, ctx, doing).await?;
            for m in &after.metrics {
                self.enable_metrics(ctx, name, m).await?;
            }
        }

        let before_tags = all_tags(&before, &input.tags);
        let after_tags = all_tags(&after, &input.tags);
        let removed: Vec<Tag> = (before_tags.iter())
            .filter(|(k, _)| !after_tags.contains_key(*k))
            .map(|(_, t)| sdk_tag(name, t))
            .collect();
        let set: Vec<Tag> = (after_tags.iter())
            .filter(|(k, t)| before_tags.get(*k) != Some(*t))
            .map(|(_, t)| sdk_tag(name, t))
            .collect();
        if !removed.is_empty() {
            let call = client.delete_tags().set_tags(Some(removed));
            let doing = format!("untagging group {name}");
            call.send().answer(&self.svc, ctx, doing).await?;
        }
        if !set.is_empty() {
            let call = client.create_or_update_tags().set_tags(Some(set));
            let doing = format!("tagging group {name}");
            call.send().answer(&self.svc, ctx, doing).await?;
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
        let deleted = self
            .svc
            .client
            .delete_auto_scaling_group()
            .auto_scaling_group_name(name)
            .force_delete(true)
            .send()
            .await;
        if let Err(e) = deleted {
            let err = self.svc.err(e);
            if is_not_found(&err) {
                return Ok(());
            }
            let failure = ctx.fail(format!("force-deleting group {name}"), &err);
            // A delete already under way (an earlier attempt) is waited for, not retried.
            let in_progress = failure.class == FailureClass::DependencyViolation
                && self
                    .described(ctx, name)
                    .await?
                    .is_some_and(|g| being_deleted(&g));
            if !in_progress {
                return Err(failure);
            }
        }
        let last = LastSeen::default();
        let gone = poll(DELETE_TIMEOUT, || {
            let last = &last;
            async move {
                match self.described(ctx, name).await? {
                    None => Ok(Some(())),
                    Some(group) => {
                        last.set(format!(
                            "status {}, {} instance(s)",
                            group.status().unwrap_or("(none)"),
                            group.instances().len()
                        ));
                        Ok(None)
                    }
                }
            }
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
        let name = name_to_find(input, ctx, "AutoScalingGroupName")?;
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

/// For tests of the classification of this type's errors.
#[cfg(test)]
fn class_for(code: &str, message: &str) -> FailureClass {
    kit::code_class(code, message)
}
