//! `AWS::ElasticLoadBalancingV2::Listener` properties: the template's properties read into a
//! [`Spec`], and the natural key that finds a listener again. The keys, the CreateListener
//! request (certificates, mutual authentication) and the attributes are read by the conversions
//! generated from the schema (`generated/elbv2.rs`, `mappings/elbv2.toml`); the default actions
//! by [`super::super::actions`], the tags here.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::operation::create_listener::builders::CreateListenerInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::ListenerAttribute;

use crate::generated::elbv2::{LISTENER, LISTENER_ATTRIBUTE, create_listener, listener_attribute};
use crate::providers::elbv2::actions::parse_actions;
use crate::providers::elbv2::attributes::attribute_list;

/// A listener as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateListener without the tags.
    pub(super) create: CreateListenerInputBuilder,
    pub(super) attributes: Vec<ListenerAttribute>,
    pub(super) tags: Vec<(String, String)>,
}

impl Spec {
    pub(super) fn load_balancer(&self) -> &str {
        self.create
            .get_load_balancer_arn()
            .as_deref()
            .unwrap_or_default()
    }
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, LISTENER)?;
    let create = create_listener(&p, CreateListenerInputBuilder::default())?;
    let certificates = create.get_certificates().as_deref().unwrap_or_default();
    if certificates.len() > 1 {
        return Err(ctx.fatal(format!(
            "property Certificates holds {} certificates; a listener takes exactly one default \
             certificate here (add more with AWS::ElasticLoadBalancingV2::ListenerCertificate)",
            certificates.len()
        )));
    }
    let actions = parse_actions(p.get("DefaultActions"), "DefaultActions", ctx)?;
    Ok(Spec {
        create: create.set_default_actions(Some(actions)),
        attributes: attribute_list(
            &p,
            "ListenerAttributes",
            LISTENER_ATTRIBUTE,
            listener_attribute,
        )?,
        tags: p.tags("Tags")?,
    })
}

/// What finds a listener again (it has no name): its load balancer and port.
pub(super) fn natural_key(
    value: &Value,
    ctx: Ctx<'_>,
) -> Result<(String, Option<String>), ProviderError> {
    let spec = parse(value, ctx)?;
    let port = spec.create.get_port().map(|p| p.to_string());
    Ok((spec.load_balancer().to_owned(), port))
}
