//! `AWS::ECS::Cluster` reading: DescribeClusters (batched, 100 a call), a cluster found by
//! name or ARN, the cluster's `Fn::GetAtt` attributes and the properties refresh reports.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::{Cluster, ClusterField};

use super::{ClusterProvider, TYPE};
use crate::generated::ecs::report_cluster;
use crate::providers::ecs::props::{self, s};
use crate::providers::ecs::{Ecs, INACTIVE, describe_all, named};
use crate::providers::kit::present_or_gone;

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
        Ok(present_or_gone(items, |item| {
            let cluster = find(&found, &item.physical_id)?;
            (cluster.status() != Some(INACTIVE)).then(|| observe(cluster, item))
        }))
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
    // `ServiceConnectDefaults` is write-only in CloudFormation's schema (ECS returns the
    // namespace's ARN, the template may name it): reported as last applied.
    let found = report_cluster(cluster);
    Observation::Present {
        properties: props::observe(&found, item, cluster.tags(), &["ServiceConnectDefaults"]),
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
    describe_all(ids, |chunk, _| async move {
        let request = ecs.client.describe_clusters();
        let request = request.set_clusters(Some(chunk.clone()));
        let doing = format!("describing clusters {}", chunk.join(", "));
        let sent = send!(ecs, ctx, request.set_include(Some(include.to_vec())), doing)?;
        Ok((sent.clusters.unwrap_or_default(), None))
    })
    .await
}

/// The cluster `id` (a name or an ARN) names among `clusters`.
pub(in crate::providers::ecs) fn find<'c>(
    clusters: &'c [Cluster],
    id: &str,
) -> Option<&'c Cluster> {
    named(clusters, id, |c| (c.cluster_arn(), c.cluster_name()))
}
