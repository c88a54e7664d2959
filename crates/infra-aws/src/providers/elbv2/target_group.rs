//! `AWS::ElasticLoadBalancingV2::TargetGroup`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` | CreateTargetGroup (else the generated name) | create-only (replacement) |
//! | `Port`, `Protocol`, `ProtocolVersion`, `TargetType`, `VpcId`, `IpAddressType` | CreateTargetGroup | create-only (replacement) |
//! | `TargetControlPort` | CreateTargetGroup | refused: ELBv2 has no call to change it |
//! | `HealthCheckEnabled`, `HealthCheckIntervalSeconds`, `HealthCheckPath`, `HealthCheckPort`, `HealthCheckProtocol`, `HealthCheckTimeoutSeconds`, `HealthyThresholdCount`, `UnhealthyThresholdCount`, `Matcher` | CreateTargetGroup | ModifyTargetGroup, the changed ones |
//! | `TargetGroupAttributes` | ModifyTargetGroupAttributes (values sent as text: `0` → `"0"`) | ModifyTargetGroupAttributes, the changed keys |
//! | `Targets` | RegisterTargets | RegisterTargets added, DeregisterTargets removed |
//! | `Tags` | CreateTargetGroup, with infra's tags | AddTags / RemoveTags |
//!
//! A health check setting or attribute removed from the template keeps the value it has:
//! ModifyTargetGroup cannot unset one, and attributes not modified "retain their current
//! values". A target group still used by a listener or rule cannot be deleted
//! (`ResourceInUse`, a dependency violation the engine retries while the listener goes away).

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    Matcher, ProtocolEnum, TargetDescription, TargetGroup, TargetGroupAttribute,
    TargetGroupIpAddressTypeEnum, TargetHealthStateEnum, TargetTypeEnum,
};
use serde_json::{Map, Value, json};

use super::super::iam::common::{
    self, Ctx, Props, has_code, managed_keys, merge_tags, observed_scalar, observed_tags, owned_by,
};
use super::json::{self, Obj, object, s};
use super::{
    ARNS_PER_CALL, Elb, class_of, create_tags, fail, fail_referencing, is_not_found, read_label,
};
use crate::error::AwsError;
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";

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
struct HealthCheck {
    enabled: Option<bool>,
    interval: Option<i32>,
    path: Option<String>,
    port: Option<String>,
    protocol: Option<String>,
    timeout: Option<i32>,
    healthy: Option<i32>,
    unhealthy: Option<i32>,
    matcher: Option<Matcher>,
}

/// A target group as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Spec {
    name: Option<String>,
    port: Option<i32>,
    protocol: Option<String>,
    protocol_version: Option<String>,
    target_type: Option<String>,
    vpc_id: Option<String>,
    ip_address_type: Option<String>,
    target_control_port: Option<i32>,
    health: HealthCheck,
    attributes: Vec<(String, String)>,
    targets: Vec<TargetDescription>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let checked = |key: &str, values: &[&str]| -> Result<Option<String>, ProviderError> {
        let Some(v) = props.str(key)? else {
            return Ok(None);
        };
        json::one_of::<String>(&v, values, key, ctx).map(Some)
    };
    let matcher = props
        .get("Matcher")
        .map(|v| {
            let o = Obj::new(v, "Matcher", ctx, &["HttpCode", "GrpcCode"], &[])?;
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
        for (i, item) in json::list(value, "Targets", ctx)?.iter().enumerate() {
            let path = format!("Targets[{i}]");
            let o = Obj::new(
                item,
                &path,
                ctx,
                &["Id", "Port", "AvailabilityZone", "QuicServerId"],
                &[],
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
        attributes: json::key_values(
            props.get("TargetGroupAttributes"),
            "TargetGroupAttributes",
            ctx,
        )?,
        targets,
        tags: props.tags("Tags")?,
    })
}

/// The provider.
#[derive(Debug)]
pub(super) struct TargetGroupProvider {
    pub(super) elb: Elb,
}

impl TargetGroupProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("Name is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let h = &spec.health;
        let created = self
            .elb
            .client
            .create_target_group()
            .name(&name)
            .set_port(spec.port)
            .set_protocol(spec.protocol.as_deref().map(ProtocolEnum::from))
            .set_protocol_version(spec.protocol_version.clone())
            .set_target_type(spec.target_type.as_deref().map(TargetTypeEnum::from))
            .set_vpc_id(spec.vpc_id.clone())
            .set_ip_address_type(
                spec.ip_address_type
                    .as_deref()
                    .map(TargetGroupIpAddressTypeEnum::from),
            )
            .set_target_control_port(spec.target_control_port)
            .set_health_check_enabled(h.enabled)
            .set_health_check_interval_seconds(h.interval)
            .set_health_check_path(h.path.clone())
            .set_health_check_port(h.port.clone())
            .set_health_check_protocol(h.protocol.as_deref().map(ProtocolEnum::from))
            .set_health_check_timeout_seconds(h.timeout)
            .set_healthy_threshold_count(h.healthy)
            .set_unhealthy_threshold_count(h.unhealthy)
            .set_matcher(h.matcher.clone())
            .set_tags(create_tags(ctx, &tags)?)
            .send()
            .await;
        let (tg, made, made_tags) = match created {
            Ok(out) => {
                let tg = out.target_groups().first().cloned().ok_or_else(|| {
                    ctx.fatal(format!("CreateTargetGroup {name} returned no target group"))
                })?;
                let made = Spec {
                    attributes: Vec::new(),
                    targets: Vec::new(),
                    ..spec.clone()
                };
                (tg, made, tags.clone())
            }
            Err(e) => {
                let err = self.elb.api.err("CreateTargetGroup", e);
                if !has_code(&err, "DuplicateTargetGroupName") {
                    return Err(fail_referencing(
                        ctx,
                        None,
                        format!("creating target group {name}"),
                        err,
                    ));
                }
                let (tg, found_tags) = self.adoptable(ctx, &name, input, err).await?;
                // Everything that can change in place is applied again.
                let made = Spec {
                    health: HealthCheck::default(),
                    attributes: Vec::new(),
                    targets: Vec::new(),
                    tags: Vec::new(),
                    ..spec.clone()
                };
                (tg, made, found_tags)
            }
        };
        let arn = tg.target_group_arn().unwrap_or_default().to_owned();
        self.apply_changes(ctx, &arn, &made, &spec, &made_tags, &tags)
            .await?;
        Ok(output(&tg))
    }

    /// A target group named `name` exists: an earlier attempt at this resource made it when it
    /// carries this resource's infra tags.
    async fn adoptable(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        input: &CreateInput,
        conflict: AwsError,
    ) -> Result<(TargetGroup, BTreeMap<String, String>), ProviderError> {
        let Some((tg, tags)) = self.elb.target_group_named(ctx, name).await? else {
            return Err(ctx.error(
                FailureClass::Retryable,
                format!("creating target group {name}: {conflict}"),
            ));
        };
        if !owned_by(&tags, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating target group {name}: a target group of that name already exists and \
                 was not made for this resource (it lacks its infra:* tags); choose another Name \
                 or import it"
            )));
        }
        Ok((tg, tags))
    }

    /// Brings target group `arn` from `before` to `after` (what changes in place).
    async fn apply_changes(
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
        let (b, a) = (&before.health, &after.health);
        // Only what changed, and only to a value: a setting left out keeps the one it has.
        fn changed<T: Clone + PartialEq>(b: &Option<T>, a: &Option<T>) -> Option<T> {
            a.clone().filter(|_| a != b)
        }
        let health = HealthCheck {
            enabled: changed(&b.enabled, &a.enabled),
            interval: changed(&b.interval, &a.interval),
            path: changed(&b.path, &a.path),
            port: changed(&b.port, &a.port),
            protocol: changed(&b.protocol, &a.protocol),
            timeout: changed(&b.timeout, &a.timeout),
            healthy: changed(&b.healthy, &a.healthy),
            unhealthy: changed(&b.unhealthy, &a.unhealthy),
            matcher: changed(&b.matcher, &a.matcher),
        };
        if health != HealthCheck::default() {
            client
                .modify_target_group()
                .target_group_arn(arn)
                .set_health_check_enabled(health.enabled)
                .set_health_check_interval_seconds(health.interval)
                .set_health_check_path(health.path)
                .set_health_check_port(health.port)
                .set_health_check_protocol(health.protocol.as_deref().map(ProtocolEnum::from))
                .set_health_check_timeout_seconds(health.timeout)
                .set_healthy_threshold_count(health.healthy)
                .set_unhealthy_threshold_count(health.unhealthy)
                .set_matcher(health.matcher)
                .send()
                .await
                .map_err(|e| {
                    fail(
                        ctx,
                        "changing the health check",
                        api.err("ModifyTargetGroup", e),
                    )
                })?;
        }
        let attributes = json::changed_pairs(&before.attributes, &after.attributes);
        if !attributes.is_empty() {
            client
                .modify_target_group_attributes()
                .target_group_arn(arn)
                .set_attributes(Some(
                    attributes
                        .iter()
                        .map(|(k, v)| TargetGroupAttribute::builder().key(k).value(v).build())
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| {
                    fail(
                        ctx,
                        format!(
                            "setting attributes {}",
                            attributes
                                .iter()
                                .map(|(k, v)| format!("{k}={v}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        api.err("ModifyTargetGroupAttributes", e),
                    )
                })?;
        }
        let added: Vec<TargetDescription> = after
            .targets
            .iter()
            .filter(|t| !before.targets.contains(t))
            .cloned()
            .collect();
        let removed: Vec<TargetDescription> = before
            .targets
            .iter()
            .filter(|t| !after.targets.contains(t))
            .cloned()
            .collect();
        if !added.is_empty() {
            client
                .register_targets()
                .target_group_arn(arn)
                .set_targets(Some(added))
                .send()
                .await
                .map_err(|e| {
                    fail_referencing(
                        ctx,
                        Some("TargetGroupNotFound"),
                        "registering targets",
                        api.err("RegisterTargets", e),
                    )
                })?;
        }
        if !removed.is_empty() {
            client
                .deregister_targets()
                .target_group_arn(arn)
                .set_targets(Some(removed))
                .send()
                .await
                .map_err(|e| {
                    fail(
                        ctx,
                        "deregistering targets",
                        api.err("DeregisterTargets", e),
                    )
                })?;
        }
        if before_tags != after_tags {
            self.elb
                .update_tags(ctx, arn, before_tags, after_tags)
                .await?;
        }
        Ok(())
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let arn = input.physical_id.as_str();
        let create_only = [
            ("Name", before.name != after.name && after.name.is_some()),
            ("Port", before.port != after.port),
            ("Protocol", before.protocol != after.protocol),
            (
                "ProtocolVersion",
                before.protocol_version != after.protocol_version,
            ),
            ("TargetType", before.target_type != after.target_type),
            ("VpcId", before.vpc_id != after.vpc_id),
            (
                "IpAddressType",
                before.ip_address_type != after.ip_address_type,
            ),
            (
                "TargetControlPort",
                before.target_control_port != after.target_control_port,
            ),
        ];
        if let Some((what, _)) = create_only.iter().find(|(_, changed)| *changed) {
            return Err(ctx.fatal(format!(
                "{what} cannot change in place (ELBv2 has no call for it); the target group must \
                 be replaced"
            )));
        }
        let before_tags = merge_tags(&before.tags, &input.tags);
        let after_tags = merge_tags(&after.tags, &input.tags);
        self.apply_changes(ctx, arn, &before, &after, &before_tags, &after_tags)
            .await?;
        let tg = describe_one(&self.elb, arn)
            .await
            .map_err(|err| fail(ctx, format!("reading target group {arn}"), err))?
            .ok_or_else(|| {
                ctx.error(
                    FailureClass::NotFound,
                    format!("target group {arn} does not exist"),
                )
            })?;
        Ok(output(&tg))
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        match self
            .elb
            .client
            .delete_target_group()
            .target_group_arn(arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.elb.api.err("DeleteTargetGroup", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(fail(ctx, format!("deleting target group {arn}"), err))
                }
            }
        }
    }

    async fn do_read(
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
async fn describe_one(elb: &Elb, arn: &str) -> Result<Option<TargetGroup>, AwsError> {
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

pub(super) fn output(tg: &TargetGroup) -> ResourceOutput {
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

super::provider_impl!(TargetGroupProvider, TYPE);

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
