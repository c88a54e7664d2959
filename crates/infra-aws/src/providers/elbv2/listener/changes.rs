//! `AWS::ElasticLoadBalancingV2::Listener` changes: every in-place update, applied with
//! ModifyListener, ModifyListenerAttributes and AddTags / RemoveTags.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    ListenerAttribute, MutualAuthenticationAttributes, ProtocolEnum,
};

use super::ListenerProvider;
use super::spec::{Spec, certificates};
use crate::provider::ProviderError;
use crate::providers::elbv2::shared::modify_attributes;
use crate::providers::kit::Ctx;

impl ListenerProvider {
    /// Brings listener `arn` from `before` to `after` (everything but its load balancer).
    pub(super) async fn apply_changes(
        &self,
        ctx: Ctx<'_>,
        arn: &str,
        before: &Spec,
        after: &Spec,
        before_tags: &BTreeMap<String, String>,
        after_tags: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let client = &self.elb.client;
        let api = &self.elb.api;
        let protocol = after.protocol.as_deref();
        let mut modify = client.modify_listener().listener_arn(arn);
        let mut changes = Vec::new();
        if before.port != after.port && after.port.is_some() {
            modify = modify.set_port(after.port);
            changes.push("Port");
        }
        if before.protocol != after.protocol && protocol.is_some() {
            modify = modify.set_protocol(protocol.map(ProtocolEnum::from));
            changes.push("Protocol");
        }
        if before.actions != after.actions {
            modify = modify.set_default_actions(Some(after.actions.clone()));
            changes.push("DefaultActions");
        }
        if before.certificates != after.certificates && !after.certificates.is_empty() {
            modify = modify.set_certificates(Some(certificates(&after.certificates)));
            changes.push("Certificates");
        }
        if before.ssl_policy != after.ssl_policy && after.ssl_policy.is_some() {
            modify = modify.set_ssl_policy(after.ssl_policy.clone());
            changes.push("SslPolicy");
        }
        if before.alpn != after.alpn {
            match (&after.alpn, protocol) {
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
        if before.mutual != after.mutual {
            match (&after.mutual, protocol) {
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
                    api.err("ModifyListener", e),
                )
            })?;
        }
        modify_attributes(
            ctx,
            &before.attributes,
            &after.attributes,
            |pairs| async move {
                client
                    .modify_listener_attributes()
                    .listener_arn(arn)
                    .set_attributes(Some(
                        pairs
                            .into_iter()
                            .map(|(k, v)| ListenerAttribute::builder().key(k).value(v).build())
                            .collect(),
                    ))
                    .send()
                    .await
                    .map_err(|e| api.err("ModifyListenerAttributes", e))
            },
        )
        .await?;
        if before_tags != after_tags {
            self.elb
                .update_tags(ctx, arn, before_tags, after_tags)
                .await?;
        }
        Ok(())
    }
}
