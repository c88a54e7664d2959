//! `AWS::ECS::Cluster` changes in place: a cluster brought from one spec to another
//! (UpdateCluster for settings, configuration and Service Connect defaults,
//! PutClusterCapacityProviders, tags), for an update and for adopting a cluster an earlier
//! create made; and PutClusterCapacityProviders itself, which the association uses too.

use std::collections::BTreeMap;

use crate::providers::kit;

use aws_sdk_ecs::types::{
    CapacityProviderStrategyItem, Cluster, ClusterConfiguration, ClusterSetting,
    ExecuteCommandConfiguration, ExecuteCommandLogging,
};

use super::ClusterProvider;
use super::props::{ClusterSpec, no_service_connect_defaults};
use super::wait::wait_settled;
use crate::provider::{FailureClass, ProviderError};
use crate::providers::ecs::{BUSY_TIMEOUT, Ecs, retag};
use crate::providers::kit::{Ctx, merge_tags};

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
        let client = &self.ecs.client;
        let (b, a) = (before.get(), after.get());
        let settings_changed = b.get_settings() != a.get_settings();
        let configuration_changed = b.get_configuration() != a.get_configuration();
        let namespace_changed =
            b.get_service_connect_defaults() != a.get_service_connect_defaults();
        if settings_changed || configuration_changed || namespace_changed {
            let settings = settings_changed.then(|| {
                let mut settings = a.get_settings().clone().unwrap_or_default();
                // A setting the template no longer names goes back to its default.
                for old in b.get_settings().iter().flatten() {
                    if !settings.iter().any(|s| s.name() == old.name()) {
                        settings.push(
                            ClusterSetting::builder()
                                .set_name(old.name().cloned())
                                .value("disabled")
                                .build(),
                        );
                    }
                }
                settings
            });
            let configuration = configuration_changed.then(|| {
                a.get_configuration().clone().unwrap_or_else(|| {
                    ClusterConfiguration::builder()
                        .execute_command_configuration(
                            ExecuteCommandConfiguration::builder()
                                .logging(ExecuteCommandLogging::Default)
                                .build(),
                        )
                        .build()
                })
            });
            let namespace = match a.get_service_connect_defaults() {
                _ if !namespace_changed => None,
                Some(defaults) => Some(defaults.clone()),
                None => Some(no_service_connect_defaults(ctx)?),
            };
            kit::retry_while(
                &[FailureClass::DependencyViolation],
                BUSY_TIMEOUT,
                kit::FIRST_PAUSE,
                || async {
                    client
                        .update_cluster()
                        .cluster(name)
                        .set_settings(settings.clone())
                        .set_configuration(configuration.clone())
                        .set_service_connect_defaults(namespace.clone())
                        .send()
                        .await
                        .map_err(|e| {
                            ctx.fail(
                                format!("updating cluster {name}"),
                                self.ecs.api.err("UpdateCluster", e),
                            )
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
                        ecs.api.err("PutClusterCapacityProviders", e),
                    )
                })
        },
    )
    .await?;
    wait_settled(ecs, ctx, cluster).await
}
