//! `AWS::ECS::Cluster` changes in place: a cluster brought from one spec to another
//! (UpdateCluster for settings, configuration and Service Connect defaults,
//! PutClusterCapacityProviders, tags), for an update and for adopting a cluster an earlier
//! create made; and PutClusterCapacityProviders itself, which the association uses too.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;

use aws_sdk_ecs::operation::update_cluster::builders::UpdateClusterInputBuilder;
use aws_sdk_ecs::types::{CapacityProviderStrategyItem, Cluster, ClusterSetting};

use super::ClusterProvider;
use super::props::ClusterSpec;
use super::wait::wait_settled;
use crate::generated::ecs::{CLUSTER, update_cluster};
use crate::providers::ecs::props::changed;
use crate::providers::ecs::{BUSY_TIMEOUT, Ecs, retag};

impl ClusterProvider {
    /// Brings cluster `name` from `before` to `after`; `before_infra` / `after_infra` are
    /// infra's tags (recorded at create / now).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn apply(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        arn: &str,
        before: &ClusterSpec,
        after: &ClusterSpec,
        before_infra: &BTreeMap<String, String>,
        after_infra: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let (b, a) = (before.get(), after.get());
        // What changed (the generated request), a removed value sent as ECS's default.
        let props = Props::root(&after.props, ctx, CLUSTER)?;
        let diff = &mut |k: &str| changed(&before.props, &after.props, k);
        let mut call = update_cluster(&props, self.ecs.client.update_cluster(), diff)?;
        if let Some(mut settings) = call.as_input().get_settings().clone() {
            // A setting the template no longer names goes back to its default.
            for old in b.get_settings().iter().flatten() {
                if !settings.iter().any(|s| s.name() == old.name()) {
                    let name = old.name().cloned();
                    let setting = ClusterSetting::builder().set_name(name).value("disabled");
                    settings.push(setting.build());
                }
            }
            call = call.set_settings(Some(settings));
        }
        if *call.as_input() != UpdateClusterInputBuilder::default() {
            let call = call.cluster(name);
            kit::retry_while(
                &[FailureClass::DependencyViolation],
                BUSY_TIMEOUT,
                kit::FIRST_PAUSE,
                || async {
                    call.clone().send().await.map_err(|e| {
                        ctx.fail(format!("updating cluster {name}"), self.ecs.api.err(e))
                    })
                },
            )
            .await?;
        }
        if (b.get_capacity_providers() != a.get_capacity_providers()
            || b.get_default_capacity_provider_strategy()
                != a.get_default_capacity_provider_strategy())
            && (before.has_capacity_providers() || after.has_capacity_providers())
        {
            put_capacity_providers(
                &self.ecs,
                ctx,
                name,
                a.get_capacity_providers().clone().unwrap_or_default(),
                a.get_default_capacity_provider_strategy()
                    .clone()
                    .unwrap_or_default(),
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
    kit::retry_while(
        &[FailureClass::DependencyViolation, FailureClass::Retryable],
        BUSY_TIMEOUT,
        kit::FIRST_PAUSE,
        || async {
            ecs.client
                .put_cluster_capacity_providers()
                .cluster(cluster)
                .set_capacity_providers(Some(providers.clone()))
                .set_default_capacity_provider_strategy(Some(default_strategy.clone()))
                .send()
                .await
                .map_err(|e| {
                    ctx.fail_referencing(
                        format!("putting the capacity providers of cluster {cluster}"),
                        ecs.api.err(e),
                    )
                })
        },
    )
    .await?;
    wait_settled(ecs, ctx, cluster).await
}
