//! `AWS::ElasticLoadBalancingV2::TargetGroup` properties: the supported keys and the
//! template's properties parsed and checked into a [`Spec`] (with its [`HealthCheck`]).

use aws_sdk_elasticloadbalancingv2::types::{
    Matcher, ProtocolEnum, TargetDescription, TargetGroupIpAddressTypeEnum, TargetTypeEnum,
};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

const SUPPORTED: &[&str] = &[
    "HealthCheckEnabled",
    "HealthCheckIntervalSeconds",
    "HealthCheckPath",
    "HealthCheckPort",
    "HealthCheckProtocol",
    "HealthCheckTimeoutSeconds",
    "HealthyThresholdCount",
    "IpAddressType",
    "Matcher",
    "Name",
    "Port",
    "Protocol",
    "ProtocolVersion",
    "Tags",
    "TargetControlPort",
    "TargetGroupAttributes",
    "TargetType",
    "Targets",
    "UnhealthyThresholdCount",
    "VpcId",
];

/// The health check settings ModifyTargetGroup changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct HealthCheck {
    pub(super) enabled: Option<bool>,
    pub(super) interval: Option<i32>,
    pub(super) path: Option<String>,
    pub(super) port: Option<String>,
    pub(super) protocol: Option<String>,
    pub(super) timeout: Option<i32>,
    pub(super) healthy: Option<i32>,
    pub(super) unhealthy: Option<i32>,
    pub(super) matcher: Option<Matcher>,
}

/// A target group as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) port: Option<i32>,
    pub(super) protocol: Option<String>,
    pub(super) protocol_version: Option<String>,
    pub(super) target_type: Option<String>,
    pub(super) vpc_id: Option<String>,
    pub(super) ip_address_type: Option<String>,
    pub(super) target_control_port: Option<i32>,
    pub(super) health: HealthCheck,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) targets: Vec<TargetDescription>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let checked = |key: &str, values: &[&str]| -> Result<Option<String>, ProviderError> {
        let Some(v) = props.str(key)? else {
            return Ok(None);
        };
        kit::one_of::<String>(&v, values, key, ctx).map(Some)
    };
    let matcher = props
        .get("Matcher")
        .map(|v| {
            let o = Props::object(
                v,
                "Matcher",
                ctx,
                Keys::with(&["HttpCode", "GrpcCode"], &[]).listed(),
            )?;
            Ok::<_, ProviderError>(
                Matcher::builder()
                    .set_http_code(o.str("HttpCode")?)
                    .set_grpc_code(o.str("GrpcCode")?)
                    .build(),
            )
        })
        .transpose()?;
    let mut targets = Vec::new();
    if let Some(value) = props.get("Targets") {
        for (i, item) in kit::list(value, "Targets", ctx)?.iter().enumerate() {
            let path = format!("Targets[{i}]");
            let o = Props::object(
                item,
                &path,
                ctx,
                Keys::with(&["Id", "Port", "AvailabilityZone", "QuicServerId"], &[]).listed(),
            )?;
            targets.push(
                TargetDescription::builder()
                    .id(o.required_str("Id")?)
                    .set_port(o.i32("Port")?)
                    .set_availability_zone(o.str("AvailabilityZone")?)
                    .set_quic_server_id(o.str("QuicServerId")?)
                    .build(),
            );
        }
    }
    Ok(Spec {
        name: props.str("Name")?,
        port: props.i32("Port")?,
        protocol: checked("Protocol", ProtocolEnum::values())?,
        protocol_version: props.str("ProtocolVersion")?,
        target_type: checked("TargetType", TargetTypeEnum::values())?,
        vpc_id: props.str("VpcId")?,
        ip_address_type: checked("IpAddressType", TargetGroupIpAddressTypeEnum::values())?,
        target_control_port: props.i32("TargetControlPort")?,
        health: HealthCheck {
            enabled: props.bool("HealthCheckEnabled")?,
            interval: props.i32("HealthCheckIntervalSeconds")?,
            path: props.str("HealthCheckPath")?,
            port: props.str("HealthCheckPort")?,
            protocol: checked("HealthCheckProtocol", ProtocolEnum::values())?,
            timeout: props.i32("HealthCheckTimeoutSeconds")?,
            healthy: props.i32("HealthyThresholdCount")?,
            unhealthy: props.i32("UnhealthyThresholdCount")?,
            matcher,
        },
        attributes: kit::key_values(
            props.get("TargetGroupAttributes"),
            "TargetGroupAttributes",
            ctx,
        )?,
        targets,
        tags: props.tags("Tags")?,
    })
}
