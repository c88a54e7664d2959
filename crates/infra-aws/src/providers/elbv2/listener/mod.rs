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
//! `DefaultActions` are described in [`super::actions`]. A listener's further certificates are
//! `AWS::ElasticLoadBalancingV2::ListenerCertificate` resources, as in CloudFormation. An
//! `SslPolicy` or attribute removed from the template keeps the value it has (ModifyListener
//! leaves what it is not given as it is); changing the protocol to HTTP drops both, as AWS does.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::ProtocolEnum;
#[cfg(test)]
use serde_json::Value;

use super::{Elb, create_tags};
use crate::error::AwsError;
use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, Observation, ProviderError,
    ReadInput, Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{Ctx, has_code, merge_tags, owned_by};

use crate::providers::kit;
pub(super) use read::{listeners_of, output};
pub(super) use spec::natural_key;
use spec::{Spec, certificates, parse};

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
#[derive(Debug)]
pub(super) struct ListenerProvider {
    pub(super) elb: Elb,
}

impl ListenerProvider {
    /// The port is taken: by a listener an earlier attempt at this resource made when it
    /// carries this resource's infra tags.
    async fn adoptable(
        &self,
        ctx: Ctx<'_>,
        spec: &Spec,
        input: &CreateInput,
        conflict: AwsError,
    ) -> Result<(String, BTreeMap<String, String>), ProviderError> {
        let found = self
            .elb
            .listener_on_port(ctx, &spec.load_balancer, spec.port)
            .await?;
        let Some((arn, tags)) = found else {
            return Err(ctx.error(
                FailureClass::Retryable,
                format!("creating the listener: {conflict}"),
            ));
        };
        if !owned_by(&tags, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating the listener: load balancer {} already has listener {arn} on that \
                 port, not made for this resource (it lacks its infra:* tags)",
                spec.load_balancer
            )));
        }
        Ok((arn, tags))
    }
}

impl kit::Provider for ListenerProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = self
            .elb
            .client
            .create_listener()
            .load_balancer_arn(&spec.load_balancer)
            .set_port(spec.port)
            .set_protocol(spec.protocol.as_deref().map(ProtocolEnum::from))
            .set_default_actions(Some(spec.actions.clone()))
            .set_certificates(
                (!spec.certificates.is_empty()).then(|| certificates(&spec.certificates)),
            )
            .set_ssl_policy(spec.ssl_policy.clone())
            .set_alpn_policy(spec.alpn.clone())
            .set_mutual_authentication(spec.mutual.clone())
            .set_tags(create_tags(ctx, &tags)?)
            .send()
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
                let err = self.elb.api.err("CreateListener", e);
                let port = spec.port.map_or_else(|| "-".to_owned(), |p| p.to_string());
                if !has_code(&err, "DuplicateListener") {
                    return Err(ctx.fail_referencing(
                        format!(
                            "creating the listener on port {port} of {}",
                            spec.load_balancer
                        ),
                        err,
                    ));
                }
                let (arn, found_tags) = self.adoptable(ctx, &spec, input, err).await?;
                let made = Spec {
                    load_balancer: spec.load_balancer.clone(),
                    ..Spec::default()
                };
                (arn, made, found_tags)
            }
        };
        self.apply_changes(ctx, &arn, &made, &spec, &made_tags, &tags)
            .await?;
        Ok(output(&arn))
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        if before.load_balancer != after.load_balancer {
            return Err(
                ctx.fatal("LoadBalancerArn cannot change in place; the listener must be replaced")
            );
        }
        let before_tags = merge_tags(&before.tags, &input.tags);
        let after_tags = merge_tags(&after.tags, &input.tags);
        self.apply_changes(
            ctx,
            &input.physical_id,
            &before,
            &after,
            &before_tags,
            &after_tags,
        )
        .await?;
        Ok(output(&input.physical_id))
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        match self
            .elb
            .client
            .delete_listener()
            .listener_arn(arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.elb.api.err("DeleteListener", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(ctx.fail(format!("deleting listener {arn}"), err))
                }
            }
        }
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        self.read_batch(items).await
    }

    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        self.find_made(input).await
    }
}

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
