//! `AWS::ECS::CapacityProvider` (Auto Scaling group providers).
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` | CreateCapacityProvider (else the generated name) | create-only (replacement) |
//! | `AutoScalingGroupProvider.AutoScalingGroupArn` | CreateCapacityProvider, passed as given (ECS accepts the group's name, which `!Ref` of an Auto Scaling group gives, or its ARN) | create-only (replacement) |
//! | `AutoScalingGroupProvider.ManagedScaling` (`Status`, `TargetCapacity`, `MinimumScalingStepSize`, `MaximumScalingStepSize`, `InstanceWarmupPeriod`) | CreateCapacityProvider | UpdateCapacityProvider (removed: `Status: DISABLED`) |
//! | `AutoScalingGroupProvider.ManagedTerminationProtection` | CreateCapacityProvider | UpdateCapacityProvider (removed: `DISABLED`) |
//! | `AutoScalingGroupProvider.ManagedDraining` | CreateCapacityProvider | UpdateCapacityProvider (removed: `ENABLED`, ECS's default) |
//! | `Tags` | CreateCapacityProvider, with infra's tags | TagResource / UntagResource |
//! | `ManagedInstancesProvider`, `ClusterName` | refused: ECS Managed Instances providers are not supported yet | |
//!
//! The CreateCapacityProvider and UpdateCapacityProvider requests (every property but `Tags`; a
//! removed update value sent as the default above) are generated from the schema
//! (`mappings/ecs.toml`, `generated/ecs.rs`). Refresh reports the provider through the conversion generated from
//! the same schema (the group given by name reported as given).
//!
//! `Ref` is the provider's name; CloudFormation documents no `Fn::GetAtt` attribute. A create
//! returns once the provider is `ACTIVE`; an update once its update status is no longer
//! `UPDATE_IN_PROGRESS` (`UPDATE_FAILED` is an error with ECS's reason). When the name is taken
//! by an active provider carrying this resource's `infra:*` tags, it is adopted.
//!
//! Delete: DeleteCapacityProvider, then wait (bounded) until the provider is `INACTIVE` or gone.
//! A provider still associated with a cluster, or still in a service's strategy, cannot be
//! deleted: ECS ends the delete as `DELETE_FAILED` (or refuses it as in use), which is a
//! [`DependencyViolation`] naming ECS's reason, for the engine to retry once the association is
//! removed.
//!
//! [`DependencyViolation`]: crate::provider::FailureClass::DependencyViolation

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::operation::create_capacity_provider::builders::CreateCapacityProviderFluentBuilder;
use aws_sdk_ecs::types::{
    CapacityProvider, CapacityProviderField, CapacityProviderStatus, CapacityProviderUpdateStatus,
};

use super::props::{self, names_as_given, observe as observe_managed};
use super::{Ecs, R, WAIT_TIMEOUT, describe_all, ecs_tags, named, retag, tag_map, wait_until};
use crate::generated::ecs::{
    CAPACITY_PROVIDER, create_capacity_provider, report_capacity_provider, update_capacity_provider,
};

pub(crate) const TYPE: &str = "AWS::ECS::CapacityProvider";

// The provider, and what `infra types` lists for this type.
provider! {
    CapacityProviderProvider,
    Batched: "DescribeCapacityProviders with tags (100 per call, pages followed)",
    Name: "DescribeCapacityProviders of Name, infra tags checked",
}

/// A capacity provider as the template describes it.
type Spec = props::Spec<CreateCapacityProviderFluentBuilder>;

fn parse(value: &Value, ctx: Ctx<'_>, client: &aws_sdk_ecs::Client) -> Result<Spec, ProviderError> {
    let read = |p: &Props<'_>| create_capacity_provider(p, client.create_capacity_provider());
    props::spec(value, ctx, CAPACITY_PROVIDER, read)
}

impl CapacityProviderProvider {
    /// UpdateCapacityProvider to the spec's scaling, termination protection and draining, then
    /// waits until the update is done.
    async fn update_asg_provider(&self, ctx: Ctx<'_>, name: &str, spec: &Spec) -> R<()> {
        let p = Props::root(&spec.props, ctx, CAPACITY_PROVIDER)?;
        let request = update_capacity_provider(&p, self.ecs.client.update_capacity_provider())?;
        let request = request.name(name);
        let what = format!("capacity provider {name}");
        send!(&self.ecs, ctx, request, format!("updating {what}"))?;
        let updated = || async {
            let Some(p) = describe_one(&self.ecs, ctx, name).await? else {
                return Err(kit::does_not_exist(ctx, &what));
            };
            match p.update_status() {
                Some(CapacityProviderUpdateStatus::UpdateInProgress) => Ok(None),
                Some(CapacityProviderUpdateStatus::UpdateFailed) => Err(ctx.fatal(format!(
                    "updating capacity provider {name} failed: {}",
                    p.update_status_reason().unwrap_or("no reason given")
                ))),
                _ => Ok(Some(())),
            }
        };
        let late = || format!("capacity provider {name} was still updating after {WAIT_TIMEOUT:?}");
        wait_until(ctx, WAIT_TIMEOUT, updated, late).await
    }
}

impl kit::Provider for CapacityProviderProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx, &self.ecs.client)?;
        let given = spec.request.as_input().get_name().as_ref();
        let name = kit::create_name(ctx, given, input, "Name")?;

        let tags = merge_tags(&spec.tags, &input.tags);
        let doing = format!("creating capacity provider {name}");
        if let Some(found) = describe_one(&self.ecs, ctx, &name).await?
            && found.status() != Some(&CapacityProviderStatus::Inactive)
        {
            let found_tags = tag_map(found.tags());
            if !owned_by(&found_tags, &input.tags) {
                return Err(kit::not_ours(ctx, &doing, "a capacity provider", "Name"));
            }
            self.update_asg_provider(ctx, &name, &spec).await?;
            let arn = found.capacity_provider_arn().unwrap_or_default();
            retag(&self.ecs, ctx, arn, &found_tags, &tags).await?;
        } else {
            let request = spec.request.clone().name(&name);
            let request = request.set_tags(ecs_tags(ctx, &tags)?);
            send_referencing!(self.ecs, ctx, request, doing)?;
        }
        let active = || async {
            let found = describe_one(&self.ecs, ctx, &name).await?;
            Ok(found.filter(|p| p.status() == Some(&CapacityProviderStatus::Active)))
        };
        let late = || format!("capacity provider {name} was not ACTIVE within {WAIT_TIMEOUT:?}");
        Ok(output(&wait_until(ctx, WAIT_TIMEOUT, active, late).await?))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx, &self.ecs.client)?;
        let after = parse(&input.after, ctx, &self.ecs.client)?;
        let name = input.physical_id.as_str();
        let given = after.request.as_input().get_name().as_deref();
        kit::same_name(ctx, given, name, "Name", "capacity provider")?;
        let asg = |s: &Spec| (s.request.as_input().get_auto_scaling_group_provider()).clone();
        let arn = |s: &Spec| asg(s).map(|a| a.auto_scaling_group_arn);
        if arn(&before) != arn(&after) {
            return Err(ctx.fatal(
                "AutoScalingGroupProvider.AutoScalingGroupArn cannot change in place; the \
                 capacity provider must be replaced",
            ));
        }
        // The same group: what differs is its scaling, termination protection or draining.
        if asg(&before) != asg(&after) {
            self.update_asg_provider(ctx, name, &after).await?;
        }
        let found = describe_one(&self.ecs, ctx, name).await?;
        let gone = || kit::does_not_exist(ctx, &format!("capacity provider {name}"));
        let found = found.ok_or_else(gone)?;
        let arn = found.capacity_provider_arn().unwrap_or_default();
        let tags = |s: &Spec| merge_tags(&s.tags, &input.tags);
        retag(&self.ecs, ctx, arn, &tags(&before), &tags(&after)).await?;
        Ok(output(&found))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let name = input.physical_id.as_str();
        let inactive = Some(&CapacityProviderStatus::Inactive);
        let gone = |p: &Option<CapacityProvider>| p.as_ref().is_none_or(|p| p.status() == inactive);
        if gone(&describe_one(&self.ecs, ctx, name).await?) {
            return Ok(());
        }
        let request = self.ecs.client.delete_capacity_provider();
        let sent = request.capacity_provider(name).send();
        let doing = format!("deleting capacity provider {name}");
        let Some(deleted) = kit::found(&self.ecs, ctx, doing, sent).await? else {
            return Ok(());
        };
        let delete_failed = |p: &CapacityProvider| {
            let failed = p.update_status() == Some(&CapacityProviderUpdateStatus::DeleteFailed);
            let reason = p.update_status_reason().unwrap_or("no reason given");
            let message = format!(
                "deleting capacity provider {name} failed: {reason} (a provider still associated \
                 with a cluster or used by a service cannot be deleted)"
            );
            failed.then(|| ctx.error(FailureClass::DependencyViolation, message))
        };
        if let Some(err) = deleted.capacity_provider.as_ref().and_then(delete_failed) {
            return Err(err);
        }
        let deleted = || async {
            let found = describe_one(&self.ecs, ctx, name).await?;
            if gone(&found) {
                return Ok(Some(()));
            }
            found.as_ref().and_then(delete_failed).map_or(Ok(None), Err)
        };
        let late =
            || format!("capacity provider {name} was still not INACTIVE after {WAIT_TIMEOUT:?}");
        wait_until(ctx, WAIT_TIMEOUT, deleted, late).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let ids: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let found = describe_providers(&self.ecs, Ctx::new(TYPE, "(refresh)"), &ids).await?;
        Ok(kit::present_or_gone(items, |item| {
            let provider = find(&found, &item.physical_id)?;
            let active = provider.status() != Some(&CapacityProviderStatus::Inactive);
            active.then(|| observe(provider, item))
        }))
    }

    /// The capacity provider of the name, when it is not `INACTIVE` nor being deleted
    /// (`DELETE_IN_PROGRESS`, `DELETE_COMPLETE`) and carries this resource's tags.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "Name", ctx)?;
        let deleting = [
            CapacityProviderUpdateStatus::DeleteInProgress,
            CapacityProviderUpdateStatus::DeleteComplete,
        ];
        let found = describe_one(&self.ecs, ctx, &name).await?;
        let found = found.filter(|p| p.status() != Some(&CapacityProviderStatus::Inactive));
        let found = found.filter(|p| p.update_status().is_none_or(|s| !deleting.contains(s)));
        let found = found.filter(|p| owned_by(&tag_map(p.tags()), &input.tags));
        Ok(found.map(|p| output(&p)))
    }
}

pub(super) fn output(provider: &CapacityProvider) -> ResourceOutput {
    output_of(provider.name().unwrap_or_default(), [])
}

fn observe(provider: &CapacityProvider, item: &ReadInput) -> Observation {
    // The template may give the group's name; ECS returns its ARN (`...:autoScalingGroupName/<name>`).
    let mut found = report_capacity_provider(provider);
    names_as_given(
        &mut found,
        item,
        &["/AutoScalingGroupProvider/AutoScalingGroupArn"],
    );
    Observation::Present {
        properties: observe_managed(&found, item, provider.tags(), &[]),
        attributes: Default::default(),
    }
}

/// One provider by name or ARN (with its tags); `None` when ECS does not know it.
pub(super) async fn describe_one(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<CapacityProvider>, ProviderError> {
    let found = describe_providers(ecs, ctx, &[name.to_owned()]).await?;
    Ok(find(&found, name).cloned())
}

/// DescribeCapacityProviders for every id, 100 per call, pages followed (a token answered
/// again ends them). Missing providers are simply not in the answer.
async fn describe_providers(ecs: &Ecs, ctx: Ctx<'_>, ids: &[String]) -> R<Vec<CapacityProvider>> {
    describe_all(ids, |chunk, token| async move {
        let request = ecs.client.describe_capacity_providers();
        let request = request.set_capacity_providers(Some(chunk.clone()));
        let request = request.include(CapacityProviderField::Tags);
        let doing = format!("describing capacity providers {}", chunk.join(", "));
        let request = request.set_next_token(token.clone());
        let answer = send!(ecs, ctx, request, doing)?;
        let next = answer.next_token.filter(|t| Some(t) != token.as_ref());
        Ok((answer.capacity_providers.unwrap_or_default(), next))
    })
    .await
}

fn find<'p>(providers: &'p [CapacityProvider], id: &str) -> Option<&'p CapacityProvider> {
    named(providers, id, |p| (p.capacity_provider_arn(), p.name()))
}
