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
//! The properties are read into a [`Spec`] by the conversions generated from the schema
//! (`generated/elbv2.rs`, `mappings/elbv2.toml`: the keys, the CreateListener request with its
//! certificates and mutual authentication, the attributes; the tags here), and reported back by
//! the generated `report_listener`. An update is applied with ModifyListener and
//! ModifyListenerAttributes.
//! `DefaultActions` are described in [`super::actions`]. A listener's further certificates are
//! `AWS::ElasticLoadBalancingV2::ListenerCertificate` resources, as in CloudFormation. An
//! `SslPolicy` or attribute removed from the template keeps the value it has (ModifyListener
//! leaves what it is not given as it is); changing the protocol to HTTP drops both, as AWS does.

use aws_sdk_elasticloadbalancingv2::operation::create_listener::builders::CreateListenerInputBuilder;
use aws_sdk_elasticloadbalancingv2::types::{
    Listener, ListenerAttribute, MutualAuthenticationAttributes,
};

use super::actions::parse_actions;
use super::attributes::{attribute_list, modify_attributes};
use super::create_tags;
use super::find::find_child;
use super::shared::{adopted, read_listed};
use crate::generated::elbv2::{LISTENER, LISTENER_ATTRIBUTE, create_listener, listener_attribute};
use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

pub(super) use read::output;

mod read;

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::Listener";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::PerParent,
    "DescribeListeners per load balancer (pages followed), DescribeTags (20 ARNs per call); attributes per listener when managed",
    Find::NaturalKey,
    "LoadBalancerArn and Port (DescribeListeners), infra tags checked",
);

/// A listener as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    /// CreateListener without the tags.
    create: CreateListenerInputBuilder,
    attributes: Vec<ListenerAttribute>,
    tags: Vec<(String, String)>,
}

impl Spec {
    fn load_balancer(&self) -> &str {
        let arn = self.create.get_load_balancer_arn().as_deref();
        arn.unwrap_or_default()
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
    let attributes = ("ListenerAttributes", LISTENER_ATTRIBUTE);
    Ok(Spec {
        create: create.set_default_actions(Some(actions)),
        attributes: attribute_list(&p, attributes.0, attributes.1, listener_attribute)?,
        tags: p.tags("Tags")?,
    })
}

/// The provider.
pub(super) type ListenerProvider = super::ElbProvider<Listener>;

impl ListenerProvider {
    /// Brings listener `arn` from `before` to `after` (everything but its load balancer; the
    /// tags are changed with AddTags / RemoveTags).
    async fn apply(&self, ctx: Ctx<'_>, arn: &str, [before, after]: [&Spec; 2]) -> R<()> {
        let (client, api) = (&self.elb.client, &self.elb.api);
        let (b, a) = (&before.create, &after.create);
        let mut modify = client.modify_listener().listener_arn(arn);
        let mut changes = Vec::new();
        // What changed to a value (a value left out is kept).
        macro_rules! changed {
            ($($key:literal: $get:ident, $set:ident;)*) => {$(
                if b.$get() != a.$get() && a.$get().is_some() {
                    modify = modify.$set(a.$get().clone());
                    changes.push($key);
                }
            )*};
        }
        changed! {
            "Port": get_port, set_port;
            "Protocol": get_protocol, set_protocol;
            "DefaultActions": get_default_actions, set_default_actions;
            "Certificates": get_certificates, set_certificates;
            "SslPolicy": get_ssl_policy, set_ssl_policy;
        }
        // Removed, the ALPN policy of a TLS listener is `None`, the mutual authentication of
        // an HTTPS listener `off`.
        let protocol = a.get_protocol().as_ref().map(|p| p.as_str());
        let alpn = match (a.get_alpn_policy(), protocol) {
            (Some(alpn), _) => Some(alpn.clone()),
            (None, Some("TLS")) => Some(vec!["None".to_owned()]),
            (None, _) => None,
        };
        if b.get_alpn_policy() != a.get_alpn_policy() && alpn.is_some() {
            modify = modify.set_alpn_policy(alpn);
            changes.push("AlpnPolicy");
        }
        let mutual_off = || MutualAuthenticationAttributes::builder().mode("off");
        let mutual_off = || mutual_off().build();
        let mutual = match (a.get_mutual_authentication(), protocol) {
            (Some(mutual), _) => Some(mutual.clone()),
            (None, Some("HTTPS")) => Some(mutual_off()),
            (None, _) => None,
        };
        if b.get_mutual_authentication() != a.get_mutual_authentication() && mutual.is_some() {
            modify = modify.set_mutual_authentication(mutual);
            changes.push("MutualAuthentication");
        }
        if !changes.is_empty() {
            let doing = format!("changing {} of listener {arn}", changes.join(", "));
            let (own, sent) = (Some("ListenerNotFound"), modify.send().await);
            sent.map_err(|e| ctx.fail_referencing_except(own, doing, api.err(e)))?;
        }
        let attributes = [&before.attributes[..], &after.attributes[..]];
        let modify = client.modify_listener_attributes().listener_arn(arn);
        let modify = |pairs| modify.set_attributes(Some(pairs)).send();
        modify_attributes(&self.elb, ctx, attributes, modify).await
    }
}

impl kit::Provider for ListenerProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = spec.create.clone().set_tags(create_tags(ctx, &tags)?);
        let (arn, made, made_tags) = match request.send_with(&self.elb.client).await {
            Ok(out) => {
                let arn = out.listeners().first().and_then(|l| l.listener_arn());
                let arn = arn.ok_or_else(|| ctx.fatal("CreateListener returned no listener"))?;
                let made = Spec {
                    attributes: Vec::new(),
                    ..spec.clone()
                };
                (arn.to_owned(), made, tags.clone())
            }
            Err(e) => {
                let err = self.elb.api.err(e);
                let balancer = spec.load_balancer();
                let key = spec.create.get_port().map(|p| p.to_string());
                let port = key.as_deref().unwrap_or("-");
                let doing = [
                    format!("creating the listener on port {port} of {balancer}"),
                    "creating the listener".to_owned(),
                ];
                let found = self.elb.child::<Listener>(ctx, balancer, key.as_deref());
                let (listener, found_tags) =
                    adopted(ctx, input, err, "DuplicateListener", doing, found, |l| {
                        format!(
                            "load balancer {balancer} already has listener {} on that port, \
                             not made for this resource (it lacks its infra:* tags)",
                            l.listener_arn().unwrap_or_default()
                        )
                    })
                    .await?;
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
        let arn = input.physical_id.as_str();
        self.apply(ctx, arn, [&before, &after]).await?;
        let tags: [&[_]; 2] = [&before.tags, &after.tags];
        self.elb.retag(ctx, arn, &input.tags, tags).await?;
        Ok(output(arn))
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
