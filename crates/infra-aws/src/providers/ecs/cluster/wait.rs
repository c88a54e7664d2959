//! `AWS::ECS::Cluster` waiter: `ACTIVE` with its capacity provider attachments settled, after
//! a create, an update or PutClusterCapacityProviders.

use aws_sdk_ecs::types::{Cluster, ClusterField};

use super::read::{describe_clusters, find};
use crate::providers::ecs::{Ecs, INACTIVE, WAIT_TIMEOUT, wait_until};
use crate::providers::kit::prelude::*;

/// Waits (bounded) until cluster `name` is `ACTIVE` and its attachments (the capacity
/// providers' scaling plans) are no longer being updated; fails when it is gone or an
/// attachment update failed.
pub(super) async fn wait_settled(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    name: &str,
) -> Result<Cluster, ProviderError> {
    let last_state = std::sync::Mutex::new(String::from("not visible yet"));
    let settled = || {
        let last_state = &last_state;
        async move {
            let found = describe_clusters(
                ecs,
                ctx.type_name,
                &[name.to_owned()],
                &[ClusterField::Attachments],
            )
            .await?;
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
                let failed: Vec<String> = cluster
                    .attachments()
                    .iter()
                    .filter(|a| a.status() == Some("FAILED"))
                    .map(|a| {
                        format!(
                            "{} {} {:?}",
                            a.r#type().unwrap_or_default(),
                            a.id().unwrap_or_default(),
                            a.details()
                                .iter()
                                .map(|d| format!(
                                    "{}={}",
                                    d.name().unwrap_or_default(),
                                    d.value().unwrap_or_default()
                                ))
                                .collect::<Vec<_>>()
                        )
                    })
                    .collect();
                return Err(ctx.fatal(format!(
                    "the capacity provider attachments of cluster {name} failed to update: {}",
                    failed.join("; ")
                )));
            }
            // `attachmentsStatus` is ECS's documented summary of the capacity providers'
            // attachments: UPDATE_IN_PROGRESS, UPDATE_COMPLETE or UPDATE_FAILED.
            let busy = attachments == "UPDATE_IN_PROGRESS";
            Ok((status == "ACTIVE" && !busy).then(|| cluster.clone()))
        }
    };
    let late = || {
        let last = last_state.lock().map(|l| l.clone()).unwrap_or_default();
        format!("cluster {name} did not settle within {WAIT_TIMEOUT:?} ({last})")
    };
    wait_until(ctx, WAIT_TIMEOUT, settled, late).await
}
