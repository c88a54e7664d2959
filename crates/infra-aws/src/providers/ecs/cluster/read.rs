//! `AWS::ECS::Cluster` reading: DescribeClusters (batched, 100 a call), a cluster found by
//! name or ARN, the cluster's `Fn::GetAtt` attributes and the properties refresh reports; and
//! its waiter, `ACTIVE` with its capacity provider attachments settled, after a create, an
//! update or PutClusterCapacityProviders.

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::{Attachment, Cluster, ClusterField, KeyValuePair};

use super::{ClusterProvider, TYPE};
use crate::generated::ecs::report_cluster;
use crate::providers::ecs::props;
use crate::providers::ecs::{Ecs, INACTIVE, R, WAIT_TIMEOUT, describe_all, named, wait_until};
use crate::providers::kit::present_or_gone;

impl ClusterProvider {
    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> Reads {
        let ids: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let include = [
            ClusterField::Tags,
            ClusterField::Settings,
            ClusterField::Configurations,
        ];
        let found = describe_clusters(&self.ecs, TYPE, &ids, &include).await?;
        Ok(present_or_gone(items, |item| {
            let cluster = find(&found, &item.physical_id)?;
            (cluster.status() != Some(INACTIVE)).then(|| observe(cluster, item))
        }))
    }
}

pub(in crate::providers::ecs) fn output(cluster: &Cluster) -> ResourceOutput {
    let name = cluster.cluster_name().unwrap_or_default();
    output_of(name, [("Arn", json!(cluster.cluster_arn()))])
}

fn observe(cluster: &Cluster, item: &ReadInput) -> Observation {
    // `ServiceConnectDefaults` is write-only in CloudFormation's schema (ECS returns the
    // namespace's ARN, the template may name it): reported as last applied.
    let found = report_cluster(cluster);
    Observation::Present {
        properties: props::observe(&found, item, cluster.tags(), &["ServiceConnectDefaults"]),
        attributes: output(cluster).attributes,
    }
}

/// One cluster by name or ARN (with its tags); `None` when ECS does not know it.
pub(in crate::providers::ecs) async fn describe_one(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Option<Cluster>, ProviderError> {
    let (ids, include) = ([name.to_owned()], [ClusterField::Tags]);
    let found = describe_clusters(ecs, ctx.type_name, &ids, &include).await?;
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
        let doing = format!("describing clusters {}", chunk.join(", "));
        let request = ecs.client.describe_clusters().set_clusters(Some(chunk));
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

/// Waits (bounded) until cluster `name` is `ACTIVE` and its attachments (the capacity
/// providers' scaling plans) are no longer being updated; fails when it is gone or an
/// attachment update failed.
pub(super) async fn wait_settled(ecs: &Ecs, ctx: Ctx<'_>, name: &str) -> R<Cluster> {
    let last_state = std::sync::Mutex::new(String::from("not visible yet"));
    let settled = || async {
        let (ids, include) = ([name.to_owned()], [ClusterField::Attachments]);
        let found = describe_clusters(ecs, ctx.type_name, &ids, &include).await?;
        let Some(cluster) = find(&found, name) else {
            return Ok(None);
        };
        let status = cluster.status().unwrap_or_default();
        let attachments = cluster.attachments_status().unwrap_or_default();
        if let Ok(mut last) = last_state.lock() {
            *last = format!("status {status}, attachments {attachments}");
        }
        if status == INACTIVE || status == "FAILED" {
            return Err(ctx.fatal(format!("cluster {name} is {status}")));
        }
        if attachments == "UPDATE_FAILED" {
            let detail = |d: &KeyValuePair| {
                let (name, value) = (d.name().unwrap_or_default(), d.value());
                format!("{name}={}", value.unwrap_or_default())
            };
            let failed = cluster.attachments().iter();
            let failed = failed.filter(|a| a.status() == Some("FAILED"));
            let attachment = |a: &Attachment| {
                let details: Vec<String> = a.details().iter().map(detail).collect();
                let (kind, id) = (a.r#type().unwrap_or_default(), a.id().unwrap_or_default());
                format!("{kind} {id} {details:?}")
            };
            let failed: Vec<String> = failed.map(attachment).collect();
            return Err(ctx.fatal(format!(
                "the capacity provider attachments of cluster {name} failed to update: {}",
                failed.join("; ")
            )));
        }
        // `attachmentsStatus` is ECS's documented summary of the capacity providers'
        // attachments: UPDATE_IN_PROGRESS, UPDATE_COMPLETE or UPDATE_FAILED.
        let busy = attachments == "UPDATE_IN_PROGRESS";
        Ok((status == "ACTIVE" && !busy).then(|| cluster.clone()))
    };
    let late = || {
        let last = last_state.lock().map(|l| l.clone()).unwrap_or_default();
        format!("cluster {name} did not settle within {WAIT_TIMEOUT:?} ({last})")
    };
    wait_until(ctx, WAIT_TIMEOUT, settled, late).await
}
