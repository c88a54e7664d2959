//! `AWS::ECS::Cluster` reading: DescribeClusters (batched, 100 a call), a cluster found by
//! name or ARN, the cluster's `Fn::GetAtt` attributes and the properties refresh reports.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{Cluster, ClusterField};
use serde_json::{Map, Value, json};

use super::{ClusterProvider, TYPE};
use crate::generated::ecs::{report_cluster_configuration, report_cluster_setting};
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::ecs::props::{self, observed, put, s};
use crate::providers::ecs::{Ecs, INACTIVE, render_strategy, tag_map};
use crate::providers::kit::{Ctx, Reads, managed_keys, observed_tags};

/// DescribeClusters takes at most 100 clusters per call.
const CLUSTERS_PER_CALL: usize = 100;

impl ClusterProvider {
    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> Reads {
        let ids: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let found = describe_clusters(
            &self.ecs,
            TYPE,
            &ids,
            &[
                ClusterField::Tags,
                ClusterField::Settings,
                ClusterField::Configurations,
            ],
        )
        .await?;
        Ok(items
            .iter()
            .map(|item| {
                let obs = match find(&found, &item.physical_id) {
                    Some(c) if c.status() != Some(INACTIVE) => observe(c, item),
                    _ => Observation::Gone,
                };
                (item.address.clone(), obs)
            })
            .collect())
    }
}

pub(in crate::providers::ecs) fn output(cluster: &Cluster) -> ResourceOutput {
    ResourceOutput {
        physical_id: cluster.cluster_name().unwrap_or_default().to_owned(),
        attributes: attributes(cluster),
    }
}

fn attributes(cluster: &Cluster) -> BTreeMap<String, Value> {
    BTreeMap::from([("Arn".to_owned(), s(cluster.cluster_arn()))])
}

fn observe(cluster: &Cluster, item: &ReadInput) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut out = Map::new();
    for key in &managed {
        let found = match key.as_str() {
            "ClusterName" => s(cluster.cluster_name()),
            "ClusterSettings" => props::list(cluster.settings(), report_cluster_setting),
            "Configuration" => cluster
                .configuration()
                .map_or(Value::Null, report_cluster_configuration),
            "CapacityProviders" => json!(cluster.capacity_providers()),
            "DefaultCapacityProviderStrategy" => {
                render_strategy(cluster.default_capacity_provider_strategy())
            }
            // Write-only in CloudFormation's schema (ECS returns the namespace's ARN, the
            // template may name it): reported as last applied.
            "ServiceConnectDefaults" => prev(key).cloned().unwrap_or(Value::Null),
            "Tags" => {
                out.insert(
                    key.clone(),
                    observed_tags(&tag_map(cluster.tags()), prev(key)),
                );
                continue;
            }
            _ => continue,
        };
        put(&mut out, key, observed(found, prev(key)));
    }
    Observation::Present {
        properties: Value::Object(out),
        attributes: attributes(cluster),
    }
}

/// One cluster by name or ARN (with its tags); `None` when ECS does not know it.
pub(in crate::providers::ecs) async fn describe_one(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Cluster>, ProviderError> {
    let found = describe_clusters(
        ecs,
        ctx.type_name,
        &[name.to_owned()],
        &[ClusterField::Tags],
    )
    .await?;
    Ok(find(&found, name).cloned())
}

/// DescribeClusters for every id (name or ARN), 100 per call. Missing clusters are simply not
/// in the answer.
pub(in crate::providers::ecs) async fn describe_clusters(
    ecs: &Ecs,
    type_name: &'static str,
    ids: &[String],
    include: &[ClusterField],
) -> Result<Vec<Cluster>, ProviderError> {
    let ctx = Ctx::new(type_name, "(refresh)");
    let mut out = Vec::new();
    let mut unique: Vec<String> = ids.to_vec();
    unique.sort();
    unique.dedup();
    for chunk in unique.chunks(CLUSTERS_PER_CALL) {
        let answer = ecs
            .client
            .describe_clusters()
            .set_clusters(Some(chunk.to_vec()))
            .set_include(Some(include.to_vec()))
            .send()
            .await
            .map_err(|e| {
                ctx.fail(
                    format!("describing clusters {}", chunk.join(", ")),
                    ecs.api.err("DescribeClusters", e),
                )
            })?;
        out.extend(answer.clusters().iter().cloned());
    }
    Ok(out)
}

/// The cluster `id` (a name or an ARN) names among `clusters`.
pub(in crate::providers::ecs) fn find<'c>(
    clusters: &'c [Cluster],
    id: &str,
) -> Option<&'c Cluster> {
    clusters
        .iter()
        .find(|c| c.cluster_arn() == Some(id) || c.cluster_name() == Some(props::short_name(id)))
}
