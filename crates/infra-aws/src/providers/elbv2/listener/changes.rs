//! `AWS::ElasticLoadBalancingV2::Listener` changes: every in-place update, applied with
//! ModifyListener and ModifyListenerAttributes (the tags are changed by the provider with
//! AddTags / RemoveTags).

use aws_sdk_elasticloadbalancingv2::types::MutualAuthenticationAttributes;

use super::ListenerProvider;
use super::spec::Spec;
use crate::providers::elbv2::attributes::modify_attributes;
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

impl ListenerProvider {
    /// Brings listener `arn` from `before` to `after` (everything but its load balancer).
    pub(super) async fn apply(&self, ctx: Ctx<'_>, arn: &str, specs: [&Spec; 2]) -> R<()> {
        let [before, after] = specs;
        let client = &self.elb.client;
        let api = &self.elb.api;
        let (b, a) = (&before.create, &after.create);
        let protocol = a.get_protocol().as_ref().map(|p| p.as_str());
        let mut modify = client.modify_listener().listener_arn(arn);
        let mut changes = Vec::new();
        if b.get_port() != a.get_port() && a.get_port().is_some() {
            modify = modify.set_port(*a.get_port());
            changes.push("Port");
        }
        if b.get_protocol() != a.get_protocol() && protocol.is_some() {
            modify = modify.set_protocol(a.get_protocol().clone());
            changes.push("Protocol");
        }
        if b.get_default_actions() != a.get_default_actions() {
            modify = modify.set_default_actions(a.get_default_actions().clone());
            changes.push("DefaultActions");
        }
        if b.get_certificates() != a.get_certificates() && a.get_certificates().is_some() {
            modify = modify.set_certificates(a.get_certificates().clone());
            changes.push("Certificates");
        }
        if b.get_ssl_policy() != a.get_ssl_policy() && a.get_ssl_policy().is_some() {
            modify = modify.set_ssl_policy(a.get_ssl_policy().clone());
            changes.push("SslPolicy");
        }
        if b.get_alpn_policy() != a.get_alpn_policy() {
            match (a.get_alpn_policy(), protocol) {
                (Some(alpn), _) => {
                    modify = modify.set_alpn_policy(Some(alpn.clone()));
                    changes.push("AlpnPolicy");
                }
                (None, Some("TLS")) => {
                    modify = modify.alpn_policy("None");
                    changes.push("AlpnPolicy");
                }
                (None, _) => {}
            }
        }
        if b.get_mutual_authentication() != a.get_mutual_authentication() {
            match (a.get_mutual_authentication(), protocol) {
                (Some(mutual), _) => {
                    modify = modify.mutual_authentication(mutual.clone());
                    changes.push("MutualAuthentication");
                }
                (None, Some("HTTPS")) => {
                    modify = modify.mutual_authentication(
                        MutualAuthenticationAttributes::builder()
                            .mode("off")
                            .build(),
                    );
                    changes.push("MutualAuthentication");
                }
                (None, _) => {}
            }
        }
        if !changes.is_empty() {
            modify.send().await.map_err(|e| {
                ctx.fail_referencing_except(
                    Some("ListenerNotFound"),
                    format!("changing {} of listener {arn}", changes.join(", ")),
                    api.err(e),
                )
            })?;
        }
        let attributes = [&before.attributes[..], &after.attributes[..]];
        modify_attributes(&self.elb, ctx, attributes, |pairs| {
            client
                .modify_listener_attributes()
                .listener_arn(arn)
                .set_attributes(Some(pairs))
                .send()
        })
        .await?;
        Ok(())
    }
}
