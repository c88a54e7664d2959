//! `AWS::ElasticLoadBalancingV2::TargetGroup` reading: DescribeTargetGroups (batched, ARN by ARN
//! when a batch names one that is gone), the attributes and registered targets read per target
//! group, the properties refresh reports, and the `Fn::GetAtt` attributes.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    TargetDescription, TargetGroup, TargetHealthStateEnum,
};
use serde_json::{Map, Value, json};

use super::TYPE;
use crate::error::AwsError;
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::elbv2::Elb;
use crate::providers::elbv2::json::{self, object, s};
use crate::providers::elbv2::shared::{Described, attribute_map, unless_gone};
use crate::providers::kit::{Ctx, managed_keys, observed_scalar, observed_tags};

impl Described for TargetGroup {
    const TYPE: &'static str = TYPE;
    const EXTRA_KEYS: [&'static str; 2] = ["TargetGroupAttributes", "Targets"];
    type Extras = Extras;

    fn arn(&self) -> Option<&str> {
        self.target_group_arn()
    }

    async fn describe(elb: &Elb, arns: Vec<String>) -> Result<Vec<Self>, AwsError> {
        let out = elb
            .client
            .describe_target_groups()
            .set_target_group_arns(Some(arns))
            .send()
            .await
            .map_err(|e| elb.api.err("DescribeTargetGroups", e))?;
        Ok(out.target_groups().to_vec())
    }

    async fn extras(
        elb: Elb,
        address: String,
        arn: String,
        [first, second]: [bool; 2],
    ) -> Result<(String, Extras), ProviderError> {
        extras(elb, address, arn, first, second).await
    }

    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&BTreeMap<String, String>>,
        extras: Option<&Extras>,
    ) -> Observation {
        observe(self, item, tags, extras)
    }
}

/// What a read needs beyond DescribeTargetGroups, per target group.
#[derive(Debug, Default)]
pub(in crate::providers::elbv2) struct Extras {
    attributes: Option<HashMap<String, String>>,
    targets: Option<Vec<TargetDescription>>,
}

async fn extras(
    elb: Elb,
    address: String,
    arn: String,
    attributes: bool,
    targets: bool,
) -> Result<(String, Extras), ProviderError> {
    let ctx = Ctx::new(TYPE, &address);
    let mut out = Extras::default();
    if attributes {
        let found = elb
            .client
            .describe_target_group_attributes()
            .target_group_arn(&arn)
            .send()
            .await
            .map(|found| attribute_map(found.attributes().iter().map(|a| (a.key(), a.value()))))
            .map_err(|e| elb.api.err("DescribeTargetGroupAttributes", e));
        out.attributes = unless_gone(ctx, "reading the attributes", found)?;
    }
    if targets {
        let found = elb
            .client
            .describe_target_health()
            .target_group_arn(&arn)
            .send()
            .await
            .map(|found| {
                // Targets being deregistered are on their way out.
                found
                    .target_health_descriptions()
                    .iter()
                    .filter(|d| {
                        d.target_health().and_then(|h| h.state())
                            != Some(&TargetHealthStateEnum::Draining)
                    })
                    .filter_map(|d| d.target().cloned())
                    .collect()
            })
            .map_err(|e| elb.api.err("DescribeTargetHealth", e));
        out.targets = unless_gone(ctx, "reading the registered targets", found)?;
    }
    Ok((arn, out))
}

/// One target group as refresh reports it (see the module comment of `providers::elbv2`).
fn observe(
    tg: &TargetGroup,
    item: &ReadInput,
    tags: Option<&BTreeMap<String, String>>,
    extras: Option<&Extras>,
) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let mut scalar = |key: &str, value: Option<Value>| {
        if let (true, Some(v)) = (managed.contains(key), value) {
            props.insert(key.to_owned(), observed_scalar(v, prev(key)));
        }
    };
    let text = |v: Option<&str>| v.map(|v| Value::String(v.to_owned()));
    scalar("Name", text(tg.target_group_name()));
    scalar("Port", tg.port().map(Value::from));
    scalar("Protocol", text(tg.protocol().map(|p| p.as_str())));
    scalar("ProtocolVersion", text(tg.protocol_version()));
    scalar("TargetType", text(tg.target_type().map(|t| t.as_str())));
    scalar("VpcId", text(tg.vpc_id()));
    scalar(
        "IpAddressType",
        text(tg.ip_address_type().map(|t| t.as_str())),
    );
    scalar(
        "TargetControlPort",
        tg.target_control_port().map(Value::from),
    );
    scalar(
        "HealthCheckEnabled",
        tg.health_check_enabled().map(Value::from),
    );
    scalar(
        "HealthCheckIntervalSeconds",
        tg.health_check_interval_seconds().map(Value::from),
    );
    scalar("HealthCheckPath", text(tg.health_check_path()));
    scalar("HealthCheckPort", text(tg.health_check_port()));
    scalar(
        "HealthCheckProtocol",
        text(tg.health_check_protocol().map(|p| p.as_str())),
    );
    scalar(
        "HealthCheckTimeoutSeconds",
        tg.health_check_timeout_seconds().map(Value::from),
    );
    scalar(
        "HealthyThresholdCount",
        tg.healthy_threshold_count().map(Value::from),
    );
    scalar(
        "UnhealthyThresholdCount",
        tg.unhealthy_threshold_count().map(Value::from),
    );
    if let (true, Some(m)) = (managed.contains("Matcher"), tg.matcher()) {
        props.insert(
            "Matcher".into(),
            json::observed(
                object(vec![
                    ("HttpCode", s(m.http_code())),
                    ("GrpcCode", s(m.grpc_code())),
                ]),
                prev("Matcher"),
            ),
        );
    }
    if let Some(found) = extras.and_then(|e| e.attributes.as_ref()) {
        props.insert(
            "TargetGroupAttributes".into(),
            json::observed_pairs(found, prev("TargetGroupAttributes")),
        );
    }
    if let Some(found) = extras.and_then(|e| e.targets.as_ref()) {
        let list = Value::Array(
            found
                .iter()
                .map(|t| {
                    object(vec![
                        ("Id", s(t.id())),
                        ("Port", t.port().map(Value::from)),
                        ("AvailabilityZone", s(t.availability_zone())),
                        ("QuicServerId", s(t.quic_server_id())),
                    ])
                })
                .collect(),
        );
        props.insert("Targets".into(), json::observed(list, prev("Targets")));
    }
    if managed.contains("Tags") {
        props.insert(
            "Tags".into(),
            observed_tags(&tags.cloned().unwrap_or_default(), prev("Tags")),
        );
    }
    Observation::Present {
        properties: Value::Object(props),
        attributes: attributes(tg),
    }
}

pub(in crate::providers::elbv2) fn output(tg: &TargetGroup) -> ResourceOutput {
    ResourceOutput {
        physical_id: tg.target_group_arn().unwrap_or_default().to_owned(),
        attributes: attributes(tg),
    }
}

fn attributes(tg: &TargetGroup) -> BTreeMap<String, Value> {
    let arn = tg.target_group_arn().unwrap_or_default();
    // arn:aws:elasticloadbalancing:region:account:targetgroup/name/id → targetgroup/name/id
    let full_name = arn.rsplit(':').next().unwrap_or_default();
    BTreeMap::from([
        ("TargetGroupArn".to_owned(), Value::String(arn.to_owned())),
        (
            "TargetGroupFullName".to_owned(),
            Value::String(full_name.to_owned()),
        ),
        (
            "TargetGroupName".to_owned(),
            Value::String(tg.target_group_name().unwrap_or_default().to_owned()),
        ),
        (
            "LoadBalancerArns".to_owned(),
            json!(tg.load_balancer_arns()),
        ),
    ])
}
