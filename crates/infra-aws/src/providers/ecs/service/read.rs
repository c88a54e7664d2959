//! `AWS::ECS::Service` reading: DescribeServices (batched per cluster, 10 a call), the
//! service's `Fn::GetAtt` attributes and the properties refresh reports; and its waiter,
//! `ACTIVE` after a create or update (failing on a failed primary deployment).

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ecs::types::{DeploymentRolloutState, Service, ServiceField};

use super::{R, ServiceProvider, TYPE, cluster_of};
use crate::generated::ecs::report_service;
use crate::providers::ecs::props::{names_as_given, observe as observe_managed};
use crate::providers::ecs::{Ecs, INACTIVE, named, wait_until};

/// DescribeServices takes at most 10 services (of one cluster) per call.
const SERVICES_PER_CALL: usize = 10;

impl ServiceProvider {
    pub(super) async fn read_batch(&self, items: &[ReadInput]) -> R<BTreeMap<String, Observation>> {
        let mut by_cluster: BTreeMap<String, Vec<ReadInput>> = BTreeMap::new();
        for item in items {
            let cluster = cluster_of(&item.properties, &item.physical_id);
            by_cluster.entry(cluster).or_default().push(item.clone());
        }
        let ctx = Ctx::new(TYPE, "(refresh)");
        let mut out = BTreeMap::new();
        for (cluster, members) in by_cluster {
            let ids: Vec<String> = members.iter().map(|i| i.physical_id.clone()).collect();
            let found = describe_services(&self.ecs, ctx, &cluster, &ids).await?;
            out.extend(kit::present_or_gone(&members, |item| {
                let svc = find(&found, &item.physical_id)?;
                (svc.status() != Some(INACTIVE)).then(|| observe(svc, item))
            }));
        }
        Ok(out)
    }
}

pub(in crate::providers::ecs) fn output(service: &Service) -> ResourceOutput {
    let (name, arn) = (service.service_name(), service.service_arn());
    let attributes = [("Name", json!(name)), ("ServiceArn", json!(arn))];
    output_of(arn.unwrap_or_default(), attributes)
}

/// One service of `cluster` by name or ARN (with its tags); `None` when ECS does not know it
/// (or the cluster).
pub(in crate::providers::ecs) async fn describe_one(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    id: &str,
) -> R<Option<Service>> {
    let found = describe_services(ecs, ctx, cluster, &[id.to_owned()]).await?;
    Ok(find(&found, id).cloned())
}

/// DescribeServices for `ids` of `cluster`, 10 per call; a missing cluster means no services.
async fn describe_services(
    ecs: &Ecs,
    ctx: Ctx<'_>,
    cluster: &str,
    ids: &[String],
) -> R<Vec<Service>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(SERVICES_PER_CALL) {
        let request = ecs.client.describe_services().cluster(cluster);
        let request = request.set_services(Some(chunk.to_vec()));
        let sent = request.include(ServiceField::Tags).send();
        let services = chunk.join(", ");
        let doing = format!("describing services {services} of cluster {cluster}");
        match kit::found(ecs, ctx, doing, sent).await? {
            Some(answer) => out.extend(answer.services.unwrap_or_default()),
            None => return Ok(Vec::new()),
        }
    }
    Ok(out)
}

fn find<'s>(services: &'s [Service], id: &str) -> Option<&'s Service> {
    named(services, id, |s| (s.service_arn(), s.service_name()))
}

fn observe(svc: &Service, item: &ReadInput) -> Observation {
    let mut found = report_service(svc);
    names_as_given(&mut found, item, &["/Cluster", "/TaskDefinition", "/Role"]);
    // `ForceNewDeployment` is write-only: what was last asked for.
    Observation::Present {
        properties: observe_managed(&found, item, svc.tags(), &["ForceNewDeployment"]),
        attributes: output(svc).attributes,
    }
}

/// How long a create or update waits for the service to be `ACTIVE` (Terraform's AWS provider
/// allows two minutes).
const ACTIVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2 * 60);

/// Waits (bounded) until the service is `ACTIVE`; fails when its primary deployment failed.
pub(super) async fn wait_active(ecs: &Ecs, ctx: Ctx<'_>, cluster: &str, arn: &str) -> R<Service> {
    let active = || async {
        let Some(service) = describe_one(ecs, ctx, cluster, arn).await? else {
            return Ok(None);
        };
        let failed = service.deployments().iter().find(|d| {
            d.status() == Some("PRIMARY")
                && d.rollout_state() == Some(&DeploymentRolloutState::Failed)
        });
        if let Some(d) = failed {
            return Err(ctx.fatal(format!(
                "the deployment of service {arn} failed: {}",
                d.rollout_state_reason().unwrap_or("no reason given")
            )));
        }
        match service.status() {
            Some("ACTIVE") => Ok(Some(service)),
            Some(INACTIVE) => {
                Err(ctx.error(FailureClass::NotFound, format!("service {arn} is INACTIVE")))
            }
            _ => Ok(None),
        }
    };
    let late = || format!("service {arn} was not ACTIVE within {ACTIVE_TIMEOUT:?}");
    wait_until(ctx, ACTIVE_TIMEOUT, active, late).await
}
