//! `AWS::ElasticLoadBalancingV2::Listener` properties: the supported keys, the template's
//! properties parsed and checked into a [`Spec`], the natural key that finds a listener again,
//! and its default certificate in the SDK's shape.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, AdvertiseTrustStoreCaNamesEnum, Certificate, MutualAuthenticationAttributes,
    ProtocolEnum,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::elbv2::actions::parse_actions;
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

const SUPPORTED: &[&str] = &[
    "AlpnPolicy",
    "Certificates",
    "DefaultActions",
    "ListenerAttributes",
    "LoadBalancerArn",
    "MutualAuthentication",
    "Port",
    "Protocol",
    "SslPolicy",
    "Tags",
];

/// A listener as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    pub(super) load_balancer: String,
    pub(super) port: Option<i32>,
    pub(super) protocol: Option<String>,
    pub(super) actions: Vec<Action>,
    pub(super) certificates: Vec<String>,
    pub(super) ssl_policy: Option<String>,
    pub(super) alpn: Option<Vec<String>>,
    pub(super) mutual: Option<MutualAuthenticationAttributes>,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let protocol = props
        .str("Protocol")?
        .map(|p| kit::one_of::<String>(&p, ProtocolEnum::values(), "Protocol", ctx))
        .transpose()?;
    let mut certificates = Vec::new();
    if let Some(value) = props.get("Certificates") {
        for (i, item) in kit::list(value, "Certificates", ctx)?.iter().enumerate() {
            let path = format!("Certificates[{i}]");
            certificates.push(
                Props::object(
                    item,
                    &path,
                    ctx,
                    Keys::with(&["CertificateArn"], &[]).listed(),
                )?
                .required_str("CertificateArn")?,
            );
        }
    }
    if certificates.len() > 1 {
        return Err(ctx.fatal(format!(
            "property Certificates holds {} certificates; a listener takes exactly one default \
             certificate here (add more with AWS::ElasticLoadBalancingV2::ListenerCertificate)",
            certificates.len()
        )));
    }
    let mutual = props
        .get("MutualAuthentication")
        .map(|v| {
            let o = Props::object(
                v,
                "MutualAuthentication",
                ctx,
                Keys::with(
                    &[
                        "AdvertiseTrustStoreCaNames",
                        "IgnoreClientCertificateExpiry",
                        "Mode",
                        "TrustStoreArn",
                    ],
                    &[],
                )
                .listed(),
            )?;
            let advertise = o
                .str("AdvertiseTrustStoreCaNames")?
                .map(|v| {
                    kit::one_of::<AdvertiseTrustStoreCaNamesEnum>(
                        &v,
                        AdvertiseTrustStoreCaNamesEnum::values(),
                        "MutualAuthentication.AdvertiseTrustStoreCaNames",
                        ctx,
                    )
                })
                .transpose()?;
            Ok::<_, ProviderError>(
                MutualAuthenticationAttributes::builder()
                    .set_advertise_trust_store_ca_names(advertise)
                    .set_ignore_client_certificate_expiry(o.bool("IgnoreClientCertificateExpiry")?)
                    .set_mode(o.str("Mode")?)
                    .set_trust_store_arn(o.str("TrustStoreArn")?)
                    .build(),
            )
        })
        .transpose()?;
    Ok(Spec {
        load_balancer: props
            .str("LoadBalancerArn")?
            .ok_or_else(|| ctx.fatal("property LoadBalancerArn is required"))?,
        port: props.i32("Port")?,
        protocol,
        actions: parse_actions(props.get("DefaultActions"), "DefaultActions", ctx)?,
        certificates,
        ssl_policy: props.str("SslPolicy")?,
        alpn: props
            .get("AlpnPolicy")
            .map(|v| kit::str_list(v, "AlpnPolicy", ctx))
            .transpose()?,
        mutual,
        attributes: kit::key_values(props.get("ListenerAttributes"), "ListenerAttributes", ctx)?,
        tags: props.tags("Tags")?,
    })
}

/// What finds a listener again (it has no name): its load balancer and port.
pub(in crate::providers::elbv2) fn natural_key(
    value: &Value,
    ctx: Ctx<'_>,
) -> Result<(String, Option<i32>), ProviderError> {
    let spec = parse(value, ctx)?;
    Ok((spec.load_balancer, spec.port))
}

pub(super) fn certificates(arns: &[String]) -> Vec<Certificate> {
    arns.iter()
        .map(|arn| Certificate::builder().certificate_arn(arn).build())
        .collect()
}
