//! `AWS::ECS::Cluster` changes in place: a cluster brought from one spec to another
//! (UpdateCluster for settings, configuration and Service Connect defaults,
//! PutClusterCapacityProviders, tags), for an update and for adopting a cluster an earlier
//! create made; and PutClusterCapacityProviders itself, which the association uses too.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;

use aws_sdk_ecs::operation::create_cluster::builders::CreateClusterInputBuilder;
use aws_sdk_ecs::operation::update_cluster::builders::UpdateClusterInputBuilder;
use aws_sdk_ecs::types::{CapacityProviderStrategyItem, Cluster, ClusterSetting};

use super::ClusterProvider;
use super::ClusterSpec;
use super::read::wait_settled;
use crate::generated::ecs::{CLUSTER, update_cluster};
use crate::providers::ecs::props::changed;
use crate::providers::ecs::{BUSY_TIMEOUT, Ecs, retag};

type Tags = BTreeMap<String, String>;

impl ClusterProvider {
    /// Brings cluster `name` (`arn`) from `before` to `after`, its tags (infra's included) from
    /// `old_tags` to `new_tags`.
    pub(super) async fn apply(
        &self,
        ctx: Ctx<'_>,
        (name, arn): (&str, &str),
        (before, old_tags): (&ClusterSpec, &Tags),
        (after, new_tags): (&ClusterSpec, &Tags),
    ) -> Result<(), ProviderError> {
        let (b, a) = (before.request.as_input(), after.request.as_input());
        // What changed (the generated request), a removed value sent as ECS's default.
        let props = Props::root(&after.props, ctx, CLUSTER)?;
        let diff = &mut |k: &str| changed(&before.props, &after.props, k);
        let mut call = update_cluster(&props, self.ecs.client.update_cluster(), diff)?;
        if let Some(mut settings) = call.as_input().get_settings().clone() {
            // A setting the template no longer names goes back to its default.
            for old in b.get_settings().iter().flatten() {
                if !settings.iter().any(|s| s.name() == old.name()) {
                    let setting = ClusterSetting::builder().set_name(old.name().cloned());
                    settings.push(setting.value("disabled").build());
                }
            }
            call = call.set_settings(Some(settings));
        }
        if *call.as_input() != UpdateClusterInputBuilder::default() {
            let (call, doing) = (call.cluster(name), format!("updating cluster {name}"));
            let busy = [FailureClass::DependencyViolation];
            kit::retry_while(&busy, BUSY_TIMEOUT, kit::FIRST_PAUSE, || async {
                send!(&self.ecs, ctx, call.clone(), &doing)
            })
            .await?;
        }
        // Either differs, so one of them at least has capacity providers to put.
        let lists = |s: &CreateClusterInputBuilder| {
            let strategy = s.get_default_capacity_provider_strategy();
            (s.get_capacity_providers().clone(), strategy.clone())
        };
        if lists(b) != lists(a) {
            let (providers, strategy) = lists(a);
            let (providers, strategy) =
                (providers.unwrap_or_default(), strategy.unwrap_or_default());
            put_capacity_providers(&self.ecs, ctx, name, providers, strategy).await?;
        }
        retag(&self.ecs, ctx, arn, old_tags, new_tags).await
    }
}

/// PutClusterCapacityProviders, tried again while another update of the cluster is in progress
/// or the cluster is still provisioning, then waits until the cluster's attachments settle.
pub(in crate::providers::ecs) async fn put_capacity_providers(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    providers: Vec<String>,
    default_strategy: Vec<CapacityProviderStrategyItem>,
) -> Result<Cluster, ProviderError> {
    let request = ecs.client.put_cluster_capacity_providers().cluster(cluster);
    let request = request
        .set_capacity_providers(Some(providers))
        .set_default_capacity_provider_strategy(Some(default_strategy));
    let doing = format!("putting the capacity providers of cluster {cluster}");
    let busy = [FailureClass::DependencyViolation, FailureClass::Retryable];
    kit::retry_while(&busy, BUSY_TIMEOUT, kit::FIRST_PAUSE, || async {
        send_referencing!(ecs, ctx, request.clone(), &doing)
    })
    .await?;
    wait_settled(ecs, ctx, cluster).await
}
