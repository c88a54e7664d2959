//! `AWS::ElasticLoadBalancingV2::LoadBalancer` waiters: until the load balancer is `active`,
//! until its capacity reservation is `provisioned`, and until it is gone after its delete.

use std::future::Future;
use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, LoadBalancerStateEnum};

use super::LoadBalancerProvider;
use crate::providers::elbv2::shared::describe_one;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

/// How long a load balancer may take to become active, or to disappear after its delete
/// (Terraform's create and delete timeouts).
const WAIT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// How long a capacity reservation may take to be provisioned.
const CAPACITY_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Polls `check` for at most `timeout`; then a fatal error saying what was awaited (`what`).
async fn poll_for<T, Fut>(
    ctx: Ctx<'_>,
    timeout: Duration,
    what: impl FnOnce() -> String,
    check: impl FnMut() -> Fut,
) -> Result<T, ProviderError>
where
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let found = kit::poll(timeout, check).await?;
    let minutes = timeout.as_secs() / 60;
    let late = || format!("timed out after {minutes} minutes waiting for {}", what());
    found.ok_or_else(|| ctx.fatal(late()))
}

impl LoadBalancerProvider {
    /// Polls until the load balancer is `active`; `failed` is an error with AWS's reason.
    pub(super) async fn wait_active(&self, ctx: Ctx<'_>, arn: &str) -> R<LoadBalancer> {
        // The last state seen, for the timeout message.
        let last = std::sync::Mutex::new(String::from("not visible yet"));
        let active = || async {
            let doing = format!("waiting for load balancer {arn} to become active");
            let lb = describe_one::<LoadBalancer>(&self.elb, arn).await;
            let Some(lb) = lb.map_err(|err| ctx.fail(doing, err))? else {
                return Ok(None);
            };
            let state = lb.state();
            match state.and_then(|s| s.code()) {
                Some(LoadBalancerStateEnum::Active) => Ok(Some(lb)),
                Some(LoadBalancerStateEnum::Failed) => {
                    let why = state.and_then(|s| s.reason());
                    let why = why.unwrap_or("AWS gave no reason");
                    Err(ctx.fatal(format!("load balancer {arn} failed to provision: {why}")))
                }
                code => {
                    if let Ok(mut last) = last.lock() {
                        *last = code.map_or("unknown", |c| c.as_str()).to_owned();
                    }
                    Ok(None)
                }
            }
        };
        let what = || {
            let last = last.lock().map(|l| l.clone()).unwrap_or_default();
            format!("load balancer {arn} to become active (last state: {last})")
        };
        poll_for(ctx, WAIT_TIMEOUT, what, active).await
    }

    /// Polls until every zone of the capacity reservation is `provisioned`.
    pub(super) async fn wait_capacity(&self, ctx: Ctx<'_>, arn: &str) -> Result<(), ProviderError> {
        let provisioned = || async {
            let request = self.elb.client.describe_capacity_reservation();
            let request = request.load_balancer_arn(arn);
            let doing = "waiting for the capacity reservation";
            let out = send!(&self.elb, ctx, request, doing)?;
            let provisioned = out.capacity_reservation_state().iter().all(|zone| {
                zone.state().and_then(|s| s.code()).map(|c| c.as_str()) == Some("provisioned")
            });
            Ok(provisioned.then_some(()))
        };
        let what = || format!("the capacity reservation of {arn} to be provisioned");
        poll_for(ctx, CAPACITY_TIMEOUT, what, provisioned).await
    }

    /// Polls until DescribeLoadBalancers no longer finds load balancer `arn` (after its delete).
    pub(super) async fn wait_gone(&self, ctx: Ctx<'_>, arn: &str) -> Result<(), ProviderError> {
        let what = || format!("load balancer {arn} to be deleted");
        let gone = || async {
            let found = describe_one::<LoadBalancer>(&self.elb, arn).await;
            let found = found.map_err(|err| ctx.fail(format!("waiting for {}", what()), err))?;
            Ok(found.is_none().then_some(()))
        };
        poll_for(ctx, WAIT_TIMEOUT, what, gone).await
    }
}
