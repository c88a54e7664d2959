//! `AWS::ElasticLoadBalancingV2::TargetGroup` reading: DescribeTargetGroups (batched, ARN by ARN
//! when a batch names one that is gone), the attributes and registered targets read per target
//! group, the properties refresh reports, and the `Fn::GetAtt` attributes.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    TargetDescription, TargetGroup, TargetHealthStateEnum,
};
use serde_json::{Map, Value, json};

use super::{TYPE, TargetGroupProvider};
use crate::error::AwsError;
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::elbv2::json::{self, object, s};
use crate::providers::elbv2::{ARNS_PER_CALL, Elb, class_of, fail, is_not_found, read_label};
use crate::providers::iam::common::{self, Ctx, managed_keys, observed_scalar, observed_tags};

impl TargetGroupProvider {
    pub(super) async fn do_read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        let label = read_label(items);
        let ctx = Ctx::new(TYPE, &label);
        let arns: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let found = describe_many(&self.elb, ctx, &arns).await?;

        let wants = |item: &ReadInput, key: &str| {
            found.contains_key(&item.physical_id) && managed_keys(&item.properties).contains(key)
        };
        let tag_arns: Vec<String> = items
            .iter()
            .filter(|i| wants(i, "Tags"))
            .map(|i| i.physical_id.clone())
            .collect();
        let tags = if tag_arns.is_empty() {
            BTreeMap::new()
        } else {
            self.elb.describe_tags(ctx, &tag_arns).await?
        };
        let tasks = items
            .iter()
            .filter(|i| wants(i, "TargetGroupAttributes") || wants(i, "Targets"))
            .map(|i| {
                extras(
                    self.elb.clone(),
                    i.address.clone(),
                    i.physical_id.clone(),
                    wants(i, "TargetGroupAttributes"),
                    wants(i, "Targets"),
                )
            })
            .collect();
        let extras: HashMap<String, Extras> = common::run_bounded(tasks, common::READ_CONCURRENCY)
            .await?
            .into_iter()
            .collect();

        Ok(items
            .iter()
            .map(|item| {
                let observation = match found.get(&item.physical_id) {
                    None => Observation::Gone,
                    Some(tg) => observe(
                        tg,
                        item,
                        tags.get(&item.physical_id),
                        extras.get(&item.physical_id),
                    ),
                };
                (item.address.clone(), observation)
            })
            .collect())
    }
}

/// DescribeTargetGroups of one ARN; `None` when it does not exist.
pub(super) async fn describe_one(elb: &Elb, arn: &str) -> Result<Option<TargetGroup>, AwsError> {
    match elb
        .client
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .target_groups()
            .iter()
            .find(|tg| tg.target_group_arn() == Some(arn))
            .cloned()),
        Err(e) => {
            let err = elb.api.err("DescribeTargetGroups", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(err)
            }
        }
    }
}

/// The target groups of `arns` that exist, by ARN: 20 ARNs per call; a batch that fails because
/// one of them is gone is asked ARN by ARN.
async fn describe_many(
    elb: &Elb,
    ctx: Ctx<'_>,
    arns: &[String],
) -> Result<HashMap<String, TargetGroup>, ProviderError> {
    let mut unique = arns.to_vec();
    unique.sort();
    unique.dedup();
    let label = format!("{} {}", ctx.type_name, ctx.address);
    let tasks = unique
        .chunks(ARNS_PER_CALL)
        .map(|chunk| {
            let elb = elb.clone();
            let chunk = chunk.to_vec();
            let label = label.clone();
            async move {
                let batch = elb
                    .client
                    .describe_target_groups()
                    .set_target_group_arns(Some(chunk.clone()))
                    .send()
                    .await;
                let found: Vec<TargetGroup> = match batch {
                    Ok(out) => out.target_groups().to_vec(),
                    Err(e) => {
                        let err = elb.api.err("DescribeTargetGroups", e);
                        if !is_not_found(&err) {
                            return Err(ProviderError {
                                class: class_of(&err),
                                message: format!("{label}: refreshing: {err}"),
                            });
                        }
                        let mut found = Vec::new();
                        for arn in &chunk {
                            match describe_one(&elb, arn).await {
                                Ok(Some(tg)) => found.push(tg),
                                Ok(None) => {}
                                Err(err) => {
                                    return Err(ProviderError {
                                        class: class_of(&err),
                                        message: format!("{label}: refreshing {arn}: {err}"),
                                    });
                                }
                            }
                        }
                        found
                    }
                };
                Ok(found
                    .into_iter()
                    .filter(|tg| {
                        tg.target_group_arn()
                            .is_some_and(|a| chunk.iter().any(|c| c == a))
                    })
                    .collect::<Vec<_>>())
            }
        })
        .collect();
    Ok(common::run_bounded(tasks, common::READ_CONCURRENCY)
        .await?
        .into_iter()
        .flatten()
        .filter_map(|tg| Some((tg.target_group_arn()?.to_owned(), tg)))
        .collect())
}

/// What a read needs beyond DescribeTargetGroups, per target group.
#[derive(Debug, Default)]
struct Extras {
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
        match elb
            .client
            .describe_target_group_attributes()
            .target_group_arn(&arn)
            .send()
            .await
        {
            Ok(found) => {
                out.attributes = Some(
                    found
                        .attributes()
                        .iter()
                        .filter_map(|a| {
                            Some((
                                a.key()?.to_owned(),
                                a.value().unwrap_or_default().to_owned(),
                            ))
                        })
                        .collect(),
                );
            }
            Err(e) => {
                let err = elb.api.err("DescribeTargetGroupAttributes", e);
                if !is_not_found(&err) {
                    return Err(fail(ctx, "reading the attributes", err));
                }
            }
        }
    }
    if targets {
        match elb
            .client
            .describe_target_health()
            .target_group_arn(&arn)
            .send()
            .await
        {
            Ok(found) => {
                // Targets being deregistered are on their way out.
                out.targets = Some(
                    found
                        .target_health_descriptions()
                        .iter()
                        .filter(|d| {
                            d.target_health().and_then(|h| h.state())
                                != Some(&TargetHealthStateEnum::Draining)
                        })
                        .filter_map(|d| d.target().cloned())
                        .collect(),
                );
            }
            Err(e) => {
                let err = elb.api.err("DescribeTargetHealth", e);
                if !is_not_found(&err) {
                    return Err(fail(ctx, "reading the registered targets", err));
                }
            }
        }
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
