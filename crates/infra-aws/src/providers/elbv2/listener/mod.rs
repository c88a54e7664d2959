//! `AWS::ElasticLoadBalancingV2::Listener`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `LoadBalancerArn` | CreateListener | create-only (replacement) |
//! | `Port`, `Protocol`, `SslPolicy`, `DefaultActions` | CreateListener | ModifyListener |
//! | `Certificates` (the default certificate: at most one) | CreateListener | ModifyListener |
//! | `AlpnPolicy` | CreateListener | ModifyListener (removed from a TLS listener: `None`) |
//! | `MutualAuthentication` | CreateListener | ModifyListener (removed from an HTTPS listener: mode `off`) |
//! | `ListenerAttributes` | ModifyListenerAttributes | ModifyListenerAttributes, the changed keys |
//! | `Tags` | CreateListener, with infra's tags | AddTags / RemoveTags |
//!
//! The properties are read by the conversions generated from the schema (`spec.rs`,
//! `mappings/elbv2.toml`), and reported back by the generated `report_listener`.
//! `DefaultActions` are described in [`super::actions`]. A listener's further certificates are
//! `AWS::ElasticLoadBalancingV2::ListenerCertificate` resources, as in CloudFormation. An
//! `SslPolicy` or attribute removed from the template keeps the value it has (ModifyListener
//! leaves what it is not given as it is); changing the protocol to HTTP drops both, as AWS does.

use aws_sdk_elasticloadbalancingv2::types::Listener;
#[cfg(test)]
use serde_json::Value;

use super::create_tags;
use super::find::find_child;
use super::shared::{adoptable, read_listed};
use crate::providers::kit::prelude::*;

pub(super) use read::output;
use spec::{Spec, parse};

mod changes;
mod read;
mod spec;

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::Listener";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::PerParent,
    "DescribeListeners per load balancer (pages followed), DescribeTags (20 ARNs per call); attributes per listener when managed",
    Find::NaturalKey,
    "LoadBalancerArn and Port (DescribeListeners), infra tags checked",
);

/// The provider.
pub(super) type ListenerProvider = super::ElbProvider<Listener>;

impl kit::Provider for ListenerProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = spec
            .create
            .clone()
            .set_tags(create_tags(ctx, &tags)?)
            .send_with(&self.elb.client)
            .await;
        let (arn, made, made_tags) = match created {
            Ok(out) => {
                let arn = out
                    .listeners()
                    .first()
                    .and_then(|l| l.listener_arn())
                    .ok_or_else(|| ctx.fatal("CreateListener returned no listener"))?
                    .to_owned();
                let made = Spec {
                    attributes: Vec::new(),
                    ..spec.clone()
                };
                (arn, made, tags.clone())
            }
            Err(e) => {
                let err = self.elb.api.err(e);
                let balancer = spec.load_balancer();
                let port = *spec.create.get_port();
                if !has_code(&err, "DuplicateListener") {
                    let port = port.map_or_else(|| "-".to_owned(), |p| p.to_string());
                    return Err(ctx.fail_referencing(
                        format!("creating the listener on port {port} of {balancer}"),
                        err,
                    ));
                }
                let key = port.map(|p| p.to_string());
                let found = self
                    .elb
                    .child::<Listener>(ctx, balancer, key.as_deref())
                    .await?;
                let (listener, found_tags) =
                    adoptable(ctx, input, "creating the listener", err, found, |l| {
                        format!(
                            "load balancer {balancer} already has listener {} on that port, \
                             not made for this resource (it lacks its infra:* tags)",
                            l.listener_arn().unwrap_or_default()
                        )
                    })?;
                let arn = listener.listener_arn().unwrap_or_default().to_owned();
                // Everything is applied again (the load balancer is not changed in place).
                (arn, Spec::default(), found_tags)
            }
        };
        self.apply(ctx, &arn, [&made, &spec]).await?;
        self.elb.update_tags(ctx, &arn, &made_tags, &tags).await?;
        Ok(output(&arn))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        if before.load_balancer() != after.load_balancer() {
            return Err(
                ctx.fatal("LoadBalancerArn cannot change in place; the listener must be replaced")
            );
        }
        self.apply(ctx, &input.physical_id, [&before, &after])
            .await?;
        let tags = [&before.tags[..], &after.tags[..]];
        self.elb
            .retag(ctx, &input.physical_id, &input.tags, tags)
            .await?;
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let arn = input.physical_id.as_str();
        let call = self.elb.client.delete_listener().listener_arn(arn).send();
        let doing = format!("deleting listener {arn}");
        call.deleted(&self.elb, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        read_listed::<Listener>(&self.elb, items).await
    }

    async fn find(&self, _: Ctx<'_>, input: &FindInput) -> Found {
        find_child::<Listener>(&self.elb, input).await
    }
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
