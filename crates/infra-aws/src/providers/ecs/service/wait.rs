//! `AWS::ECS::Service` waiters: `ACTIVE` after a create or update (failing on a failed primary
//! deployment) and `INACTIVE` (or gone) after a delete.

use aws_sdk_ecs::types::{DeploymentRolloutState, Service};

use super::R;
use super::read::describe_one;
use crate::providers::ecs::{Ecs, INACTIVE, WAIT_TIMEOUT, wait_until};
use crate::providers::kit::prelude::*;

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

/// Waits (bounded, [`WAIT_TIMEOUT`]) until the service is `INACTIVE` or gone, after
/// DeleteService.
pub(super) async fn wait_inactive(ecs: &Ecs, ctx: Ctx<'_>, cluster: &str, arn: &str) -> R<()> {
    let gone = || async {
        let found = describe_one(ecs, ctx, cluster, arn).await?;
        Ok(found
            .is_none_or(|s| s.status() == Some(INACTIVE))
            .then_some(()))
    };
    let late = || format!("service {arn} was still draining {WAIT_TIMEOUT:?} after DeleteService");
    wait_until(ctx, WAIT_TIMEOUT, gone, late).await
}
