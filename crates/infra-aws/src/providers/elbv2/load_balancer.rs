//! `AWS::ElasticLoadBalancingV2::LoadBalancer`.
//!
//! Every property CloudFormation documents is mapped:
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` | CreateLoadBalancer (else the generated name) | create-only (replacement) |
//! | `Type` | CreateLoadBalancer (default `application`) | create-only (replacement) |
//! | `Scheme` | CreateLoadBalancer (default `internet-facing`) | create-only (replacement) |
//! | `IpAddressType` | CreateLoadBalancer | SetIpAddressType (removed: `ipv4`) |
//! | `Subnets` / `SubnetMappings` (one of them) | CreateLoadBalancer | SetSubnets |
//! | `SecurityGroups` | CreateLoadBalancer | SetSecurityGroups |
//! | `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` | SetSecurityGroups once active | SetSecurityGroups |
//! | `EnablePrefixForIpv6SourceNat` | CreateLoadBalancer | SetSubnets |
//! | `Ipv4IpamPoolId` | CreateLoadBalancer (`IpamPools`) | ModifyIpPools (removed: `RemoveIpamPools`) |
//! | `LoadBalancerAttributes` | ModifyLoadBalancerAttributes once active | ModifyLoadBalancerAttributes, the changed keys |
//! | `MinimumLoadBalancerCapacity` | ModifyCapacityReservation once active | ModifyCapacityReservation (removed: reset) |
//! | `EnableCapacityReservationProvisionStabilize` | wait until the capacity reservation is `provisioned` | the same |
//! | `Tags` | CreateLoadBalancer, with infra's tags | AddTags / RemoveTags |
//!
//! An attribute removed from `LoadBalancerAttributes` keeps the value it has ("attributes that
//! you do not modify retain their current values", as CloudFormation documents).
//!
//! A create returns once the load balancer is `active` (DescribeLoadBalancers polled with
//! backoff for up to 10 minutes, Terraform's create timeout; `failed` is an error naming AWS's
//! reason). A delete returns once DescribeLoadBalancers no longer finds it; the network
//! interfaces it held are released a little later, which the deletes of its security groups and
//! subnets wait out (DependencyViolation, retried by the engine).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::types::{
    EnablePrefixForIpv6SourceNatEnum, EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum,
    IpAddressType, IpamPools, LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum,
    LoadBalancerStateEnum, LoadBalancerTypeEnum, MinimumLoadBalancerCapacity, RemoveIpamPoolEnum,
    SubnetMapping,
};
use serde_json::{Map, Value, json};

use super::super::iam::common::{
    self, Ctx, Props, has_code, managed_keys, merge_tags, observed_scalar, observed_set,
    observed_tags, owned_by,
};
use super::json::{self, Obj, object, s};
use super::{
    ARNS_PER_CALL, Elb, arn_suffix, class_of, create_tags, fail, fail_referencing, is_not_found,
    read_label,
};
use crate::error::AwsError;
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";

const SUPPORTED: &[&str] = &[
    "EnableCapacityReservationProvisionStabilize",
    "EnablePrefixForIpv6SourceNat",
    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    "IpAddressType",
    "Ipv4IpamPoolId",
    "LoadBalancerAttributes",
    "MinimumLoadBalancerCapacity",
    "Name",
    "Scheme",
    "SecurityGroups",
    "SubnetMappings",
    "Subnets",
    "Tags",
    "Type",
];

/// How long a load balancer may take to become active, or to disappear after its delete
/// (Terraform's create and delete timeouts).
const WAIT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// How long a capacity reservation may take to be provisioned.
const CAPACITY_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// A load balancer as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Spec {
    name: Option<String>,
    scheme: Option<String>,
    kind: Option<String>,
    ip_address_type: Option<String>,
    subnets: Option<Vec<String>>,
    mappings: Option<Vec<SubnetMapping>>,
    security_groups: Option<Vec<String>>,
    enforce_sg: Option<String>,
    prefix_nat: Option<String>,
    ipam_pool: Option<String>,
    attributes: Vec<(String, String)>,
    min_capacity: Option<i32>,
    stabilize: bool,
    tags: Vec<(String, String)>,
}

impl Spec {
    fn scheme(&self) -> &str {
        self.scheme.as_deref().unwrap_or("internet-facing")
    }

    fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("application")
    }
}

/// Whether going from `before` to `after` changes what DescribeLoadBalancers reports.
fn reshaped(before: &Spec, after: &Spec) -> bool {
    before.security_groups != after.security_groups
        || before.enforce_sg != after.enforce_sg
        || before.subnets != after.subnets
        || before.mappings != after.mappings
        || before.prefix_nat != after.prefix_nat
        || before.ip_address_type != after.ip_address_type
        || before.ipam_pool != after.ipam_pool
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let checked = |key: &str, values: &[&str]| -> Result<Option<String>, ProviderError> {
        let Some(v) = props.str(key)? else {
            return Ok(None);
        };
        json::one_of::<String>(&v, values, key, ctx).map(Some)
    };
    let subnets = props
        .get("Subnets")
        .map(|v| json::str_list(v, "Subnets", ctx))
        .transpose()?;
    let mappings = props
        .get("SubnetMappings")
        .map(|v| parse_mappings(v, ctx))
        .transpose()?;
    if subnets.is_some() && mappings.is_some() {
        return Err(ctx.fatal(
            "properties Subnets and SubnetMappings are both set; a load balancer takes one of \
             them, not both",
        ));
    }
    let min_capacity = props
        .get("MinimumLoadBalancerCapacity")
        .map(|v| {
            Obj::new(
                v,
                "MinimumLoadBalancerCapacity",
                ctx,
                &["CapacityUnits"],
                &[],
            )?
            .i32("CapacityUnits")?
            .ok_or_else(|| {
                ctx.fatal("property MinimumLoadBalancerCapacity.CapacityUnits is required")
            })
        })
        .transpose()?;
    Ok(Spec {
        name: props.str("Name")?,
        scheme: checked("Scheme", LoadBalancerSchemeEnum::values())?,
        kind: checked("Type", LoadBalancerTypeEnum::values())?,
        ip_address_type: checked("IpAddressType", IpAddressType::values())?,
        subnets,
        mappings,
        security_groups: props
            .get("SecurityGroups")
            .map(|v| json::str_list(v, "SecurityGroups", ctx))
            .transpose()?,
        enforce_sg: checked(
            "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
            EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::values(),
        )?,
        prefix_nat: checked(
            "EnablePrefixForIpv6SourceNat",
            EnablePrefixForIpv6SourceNatEnum::values(),
        )?,
        ipam_pool: props.str("Ipv4IpamPoolId")?,
        attributes: json::key_values(
            props.get("LoadBalancerAttributes"),
            "LoadBalancerAttributes",
            ctx,
        )?,
        min_capacity,
        stabilize: props
            .bool("EnableCapacityReservationProvisionStabilize")?
            .unwrap_or(false),
        tags: props.tags("Tags")?,
    })
}

fn parse_mappings(value: &Value, ctx: Ctx<'_>) -> Result<Vec<SubnetMapping>, ProviderError> {
    json::list(value, "SubnetMappings", ctx)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("SubnetMappings[{i}]");
            let o = Obj::new(
                item,
                &path,
                ctx,
                &[
                    "SubnetId",
                    "AllocationId",
                    "PrivateIPv4Address",
                    "IPv6Address",
                    "SourceNatIpv6Prefix",
                ],
                &[],
            )?;
            Ok(SubnetMapping::builder()
                .subnet_id(o.required_str("SubnetId")?)
                .set_allocation_id(o.str("AllocationId")?)
                .set_private_ipv4_address(o.str("PrivateIPv4Address")?)
                .set_ipv6_address(o.str("IPv6Address")?)
                .set_source_nat_ipv6_prefix(o.str("SourceNatIpv6Prefix")?)
                .build())
        })
        .collect()
}

/// The provider.
#[derive(Debug)]
pub(super) struct LoadBalancerProvider {
    pub(super) elb: Elb,
}

impl LoadBalancerProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let name = spec
            .name
            .clone()
            .or_else(|| input.generated_name.clone())
            .ok_or_else(|| ctx.fatal("Name is not set and no name was generated"))?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = self
            .elb
            .client
            .create_load_balancer()
            .name(&name)
            .set_subnets(spec.subnets.clone())
            .set_subnet_mappings(spec.mappings.clone())
            .set_security_groups(spec.security_groups.clone())
            .set_scheme(spec.scheme.as_deref().map(LoadBalancerSchemeEnum::from))
            .set_type(spec.kind.as_deref().map(LoadBalancerTypeEnum::from))
            .set_ip_address_type(spec.ip_address_type.as_deref().map(IpAddressType::from))
            .set_enable_prefix_for_ipv6_source_nat(
                spec.prefix_nat
                    .as_deref()
                    .map(EnablePrefixForIpv6SourceNatEnum::from),
            )
            .set_ipam_pools(
                spec.ipam_pool
                    .as_ref()
                    .map(|id| IpamPools::builder().ipv4_ipam_pool_id(id).build()),
            )
            .set_tags(create_tags(ctx, &tags)?)
            .send()
            .await;
        // What CreateLoadBalancer set (so only the rest is applied once it is active), and the
        // tags it carries.
        let (arn, made, made_tags) = match created {
            Ok(out) => {
                let arn = out
                    .load_balancers()
                    .first()
                    .and_then(|lb| lb.load_balancer_arn())
                    .ok_or_else(|| {
                        ctx.fatal(format!(
                            "CreateLoadBalancer {name} returned no load balancer"
                        ))
                    })?
                    .to_owned();
                let made = Spec {
                    enforce_sg: None,
                    attributes: Vec::new(),
                    min_capacity: None,
                    stabilize: false,
                    ..spec.clone()
                };
                (arn, made, tags.clone())
            }
            Err(e) => {
                let err = self.elb.api.err("CreateLoadBalancer", e);
                if !has_code(&err, "DuplicateLoadBalancerName") {
                    return Err(fail_referencing(
                        ctx,
                        None,
                        format!("creating load balancer {name}"),
                        err,
                    ));
                }
                let (arn, found_tags) = self.adoptable(ctx, &name, input, err).await?;
                // Everything is applied again except what replacement would change.
                let made = Spec {
                    name: spec.name.clone(),
                    scheme: spec.scheme.clone(),
                    kind: spec.kind.clone(),
                    ..Spec::default()
                };
                (arn, made, found_tags)
            }
        };
        // What CreateLoadBalancer does not take is set once the load balancer is active. It is
        // read again only when that changed what DescribeLoadBalancers reports (attributes,
        // capacity and tags do not).
        let mut lb = self.wait_active(ctx, &arn).await?;
        self.apply_changes(ctx, &arn, &made, &spec, &made_tags, &tags)
            .await?;
        if reshaped(&made, &spec) {
            lb = self.wait_active(ctx, &arn).await?;
        }
        Ok(output(&lb))
    }

    /// A load balancer named `name` exists: an earlier attempt at this resource made it when it
    /// carries this resource's infra tags. Its ARN and tags.
    async fn adoptable(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        input: &CreateInput,
        conflict: AwsError,
    ) -> Result<(String, BTreeMap<String, String>), ProviderError> {
        let Some((lb, tags)) = self.elb.load_balancer_named(ctx, name).await? else {
            // Gone again since: the engine may try the create once more.
            return Err(ctx.error(
                FailureClass::Retryable,
                format!("creating load balancer {name}: {conflict}"),
            ));
        };
        let arn = lb.load_balancer_arn().unwrap_or_default().to_owned();
        if !owned_by(&tags, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating load balancer {name}: a load balancer of that name already exists and \
                 was not made for this resource (it lacks its infra:* tags); choose another Name \
                 or import it"
            )));
        }
        Ok((arn, tags))
    }

    /// Brings load balancer `arn` from `before` to `after` (everything but name, type and
    /// scheme).
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
        if before.security_groups != after.security_groups || before.enforce_sg != after.enforce_sg
        {
            client
                .set_security_groups()
                .load_balancer_arn(arn)
                .set_security_groups(Some(after.security_groups.clone().unwrap_or_default()))
                .set_enforce_security_group_inbound_rules_on_private_link_traffic(
                    after
                        .enforce_sg
                        .as_deref()
                        .map(EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::from),
                )
                .send()
                .await
                .map_err(|e| {
                    fail_referencing(
                        ctx,
                        Some("LoadBalancerNotFound"),
                        "setting the security groups",
                        api.err("SetSecurityGroups", e),
                    )
                })?;
        }
        if before.subnets != after.subnets
            || before.mappings != after.mappings
            || before.prefix_nat != after.prefix_nat
        {
            client
                .set_subnets()
                .load_balancer_arn(arn)
                .set_subnets(after.subnets.clone())
                .set_subnet_mappings(after.mappings.clone())
                .set_enable_prefix_for_ipv6_source_nat(
                    after
                        .prefix_nat
                        .as_deref()
                        .map(EnablePrefixForIpv6SourceNatEnum::from),
                )
                .send()
                .await
                .map_err(|e| {
                    fail_referencing(
                        ctx,
                        Some("LoadBalancerNotFound"),
                        "setting the subnets",
                        api.err("SetSubnets", e),
                    )
                })?;
        }
        if before.ip_address_type != after.ip_address_type {
            let kind = after.ip_address_type.as_deref().unwrap_or("ipv4");
            client
                .set_ip_address_type()
                .load_balancer_arn(arn)
                .ip_address_type(IpAddressType::from(kind))
                .send()
                .await
                .map_err(|e| {
                    fail(
                        ctx,
                        format!("setting the IP address type to {kind}"),
                        api.err("SetIpAddressType", e),
                    )
                })?;
        }
        if before.ipam_pool != after.ipam_pool {
            let request = client.modify_ip_pools().load_balancer_arn(arn);
            let request = match &after.ipam_pool {
                Some(id) => request.ipam_pools(IpamPools::builder().ipv4_ipam_pool_id(id).build()),
                None => request.remove_ipam_pools(RemoveIpamPoolEnum::Ipv4),
            };
            request.send().await.map_err(|e| {
                fail_referencing(
                    ctx,
                    Some("LoadBalancerNotFound"),
                    "setting the IPAM pool",
                    api.err("ModifyIpPools", e),
                )
            })?;
        }
        let attributes = json::changed_pairs(&before.attributes, &after.attributes);
        if !attributes.is_empty() {
            client
                .modify_load_balancer_attributes()
                .load_balancer_arn(arn)
                .set_attributes(Some(
                    attributes
                        .iter()
                        .map(|(k, v)| LoadBalancerAttribute::builder().key(k).value(v).build())
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
                        api.err("ModifyLoadBalancerAttributes", e),
                    )
                })?;
        }
        if before.min_capacity != after.min_capacity {
            let request = client.modify_capacity_reservation().load_balancer_arn(arn);
            let request = match after.min_capacity {
                Some(units) => request.minimum_load_balancer_capacity(
                    MinimumLoadBalancerCapacity::builder()
                        .capacity_units(units)
                        .build(),
                ),
                None => request.reset_capacity_reservation(true),
            };
            request.send().await.map_err(|e| {
                fail(
                    ctx,
                    "setting the minimum capacity",
                    api.err("ModifyCapacityReservation", e),
                )
            })?;
            if after.stabilize && after.min_capacity.is_some() {
                self.wait_capacity(ctx, arn).await?;
            }
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
        for (what, was, now) in [
            ("Name", before.name.as_deref(), after.name.as_deref()),
            ("Type", Some(before.kind()), Some(after.kind())),
            ("Scheme", Some(before.scheme()), Some(after.scheme())),
        ] {
            if now.is_some() && was != now {
                return Err(ctx.fatal(format!(
                    "{what} cannot change in place; the load balancer must be replaced"
                )));
            }
        }
        let before_tags = merge_tags(&before.tags, &input.tags);
        let after_tags = merge_tags(&after.tags, &input.tags);
        self.apply_changes(ctx, arn, &before, &after, &before_tags, &after_tags)
            .await?;
        let lb = self.wait_active(ctx, arn).await?;
        Ok(output(&lb))
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        if let Err(e) = self
            .elb
            .client
            .delete_load_balancer()
            .load_balancer_arn(arn)
            .send()
            .await
        {
            let err = self.elb.api.err("DeleteLoadBalancer", e);
            if is_not_found(&err) {
                return Ok(());
            }
            return Err(fail(ctx, format!("deleting load balancer {arn}"), err));
        }
        let gone = common::poll(WAIT_TIMEOUT, || async {
            match describe_one(&self.elb, arn).await {
                Ok(None) => Ok(Some(())),
                Ok(Some(_)) => Ok(None),
                Err(err) => Err(fail(
                    ctx,
                    format!("waiting for load balancer {arn} to be deleted"),
                    err,
                )),
            }
        })
        .await?;
        gone.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {} minutes waiting for load balancer {arn} to be deleted",
                WAIT_TIMEOUT.as_secs() / 60
            ))
        })
    }

    /// Polls until the load balancer is `active`; `failed` is an error with AWS's reason.
    async fn wait_active(&self, ctx: Ctx<'_>, arn: &str) -> Result<LoadBalancer, ProviderError> {
        // The last state seen, for the timeout message.
        let last = std::sync::Mutex::new(String::from("not visible yet"));
        let found = common::poll(WAIT_TIMEOUT, || async {
            let lb = describe_one(&self.elb, arn).await.map_err(|err| {
                fail(
                    ctx,
                    format!("waiting for load balancer {arn} to become active"),
                    err,
                )
            })?;
            let Some(lb) = lb else {
                return Ok(None);
            };
            let state = lb.state();
            match state.and_then(|s| s.code()) {
                Some(LoadBalancerStateEnum::Active) => Ok(Some(lb)),
                Some(LoadBalancerStateEnum::Failed) => Err(ctx.fatal(format!(
                    "load balancer {arn} failed to provision: {}",
                    state
                        .and_then(|s| s.reason())
                        .unwrap_or("AWS gave no reason")
                ))),
                code => {
                    if let Ok(mut last) = last.lock() {
                        *last = code.map_or("unknown", |c| c.as_str()).to_owned();
                    }
                    Ok(None)
                }
            }
        })
        .await?;
        found.ok_or_else(|| {
            let last = last.lock().map(|l| l.clone()).unwrap_or_default();
            ctx.fatal(format!(
                "timed out after {} minutes waiting for load balancer {arn} to become active \
                 (last state: {last})",
                WAIT_TIMEOUT.as_secs() / 60
            ))
        })
    }

    /// Polls until every zone of the capacity reservation is `provisioned`.
    async fn wait_capacity(&self, ctx: Ctx<'_>, arn: &str) -> Result<(), ProviderError> {
        let done = common::poll(CAPACITY_TIMEOUT, || async {
            let out = self
                .elb
                .client
                .describe_capacity_reservation()
                .load_balancer_arn(arn)
                .send()
                .await
                .map_err(|e| {
                    fail(
                        ctx,
                        "waiting for the capacity reservation",
                        self.elb.api.err("DescribeCapacityReservation", e),
                    )
                })?;
            let provisioned = out.capacity_reservation_state().iter().all(|zone| {
                zone.state().and_then(|s| s.code()).map(|c| c.as_str()) == Some("provisioned")
            });
            Ok(provisioned.then_some(()))
        })
        .await?;
        done.ok_or_else(|| {
            ctx.fatal(format!(
                "timed out after {} minutes waiting for the capacity reservation of {arn} to be \
                 provisioned",
                CAPACITY_TIMEOUT.as_secs() / 60
            ))
        })
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
            .filter(|i| {
                wants(i, "LoadBalancerAttributes") || wants(i, "MinimumLoadBalancerCapacity")
            })
            .map(|i| {
                extras(
                    self.elb.clone(),
                    i.address.clone(),
                    i.physical_id.clone(),
                    wants(i, "LoadBalancerAttributes"),
                    wants(i, "MinimumLoadBalancerCapacity"),
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
                    Some(lb) => observe(
                        lb,
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

/// DescribeLoadBalancers of one ARN; `None` when it does not exist.
async fn describe_one(elb: &Elb, arn: &str) -> Result<Option<LoadBalancer>, AwsError> {
    match elb
        .client
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .load_balancers()
            .iter()
            .find(|lb| lb.load_balancer_arn() == Some(arn))
            .cloned()),
        Err(e) => {
            let err = elb.api.err("DescribeLoadBalancers", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(err)
            }
        }
    }
}

/// The load balancers of `arns` that exist, by ARN: 20 ARNs per call; a batch that fails
/// because one of them is gone is asked ARN by ARN.
async fn describe_many(
    elb: &Elb,
    ctx: Ctx<'_>,
    arns: &[String],
) -> Result<HashMap<String, LoadBalancer>, ProviderError> {
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
                    .describe_load_balancers()
                    .set_load_balancer_arns(Some(chunk.clone()))
                    .send()
                    .await;
                let found: Vec<LoadBalancer> = match batch {
                    Ok(out) => out.load_balancers().to_vec(),
                    Err(e) => {
                        let err = elb.api.err("DescribeLoadBalancers", e);
                        if !is_not_found(&err) {
                            return Err(ProviderError {
                                class: class_of(&err),
                                message: format!("{label}: refreshing: {err}"),
                            });
                        }
                        let mut found = Vec::new();
                        for arn in &chunk {
                            match describe_one(&elb, arn).await {
                                Ok(Some(lb)) => found.push(lb),
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
                    .filter(|lb| {
                        lb.load_balancer_arn()
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
        .filter_map(|lb| Some((lb.load_balancer_arn()?.to_owned(), lb)))
        .collect())
}

/// What a read needs beyond DescribeLoadBalancers, per load balancer.
#[derive(Debug, Default)]
struct Extras {
    attributes: Option<HashMap<String, String>>,
    /// `Some(None)`: read, and no minimum capacity is set.
    capacity: Option<Option<i32>>,
}

async fn extras(
    elb: Elb,
    address: String,
    arn: String,
    attributes: bool,
    capacity: bool,
) -> Result<(String, Extras), ProviderError> {
    let ctx = Ctx::new(TYPE, &address);
    let mut out = Extras::default();
    if attributes {
        match elb
            .client
            .describe_load_balancer_attributes()
            .load_balancer_arn(&arn)
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
                let err = elb.api.err("DescribeLoadBalancerAttributes", e);
                if !is_not_found(&err) {
                    return Err(fail(ctx, "reading the attributes", err));
                }
            }
        }
    }
    if capacity {
        match elb
            .client
            .describe_capacity_reservation()
            .load_balancer_arn(&arn)
            .send()
            .await
        {
            Ok(found) => {
                out.capacity = Some(
                    found
                        .minimum_load_balancer_capacity()
                        .and_then(|c| c.capacity_units()),
                );
            }
            Err(e) => {
                let err = elb.api.err("DescribeCapacityReservation", e);
                if !is_not_found(&err) {
                    return Err(fail(ctx, "reading the capacity reservation", err));
                }
            }
        }
    }
    Ok((arn, out))
}

/// Subnet mappings as the template writes them, from the zones AWS reports.
fn mappings_json(lb: &LoadBalancer) -> Value {
    Value::Array(
        lb.availability_zones()
            .iter()
            .map(|zone| {
                let address = zone.load_balancer_addresses().first();
                object(vec![
                    ("SubnetId", s(zone.subnet_id())),
                    ("AllocationId", s(address.and_then(|a| a.allocation_id()))),
                    (
                        "PrivateIPv4Address",
                        s(address.and_then(|a| a.private_ipv4_address())),
                    ),
                    ("IPv6Address", s(address.and_then(|a| a.ipv6_address()))),
                    (
                        "SourceNatIpv6Prefix",
                        s(zone.source_nat_ipv6_prefixes().first().map(String::as_str)),
                    ),
                ])
            })
            .collect(),
    )
}

fn subnet_ids(lb: &LoadBalancer) -> Vec<String> {
    lb.availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id().map(str::to_owned))
        .collect()
}

/// One load balancer as refresh reports it (see the module comment of `providers::elbv2`).
fn observe(
    lb: &LoadBalancer,
    item: &ReadInput,
    tags: Option<&BTreeMap<String, String>>,
    extras: Option<&Extras>,
) -> Observation {
    let managed = managed_keys(&item.properties);
    let prev = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
    let mut props = Map::new();
    let mut scalar = |key: &str, value: Option<&str>| {
        if let (true, Some(v)) = (managed.contains(key), value) {
            props.insert(
                key.to_owned(),
                observed_scalar(Value::String(v.to_owned()), prev(key)),
            );
        }
    };
    scalar("Name", lb.load_balancer_name());
    scalar("Scheme", lb.scheme().map(|v| v.as_str()));
    scalar("Type", lb.r#type().map(|v| v.as_str()));
    scalar("IpAddressType", lb.ip_address_type().map(|v| v.as_str()));
    scalar(
        "Ipv4IpamPoolId",
        lb.ipam_pools().and_then(|p| p.ipv4_ipam_pool_id()),
    );
    scalar(
        "EnablePrefixForIpv6SourceNat",
        lb.enable_prefix_for_ipv6_source_nat().map(|v| v.as_str()),
    );
    scalar(
        "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
        lb.enforce_security_group_inbound_rules_on_private_link_traffic(),
    );
    if managed.contains("Subnets") {
        props.insert(
            "Subnets".into(),
            observed_set(subnet_ids(lb), prev("Subnets")),
        );
    }
    if managed.contains("SubnetMappings") {
        props.insert(
            "SubnetMappings".into(),
            json::observed(mappings_json(lb), prev("SubnetMappings")),
        );
    }
    if managed.contains("SecurityGroups") {
        props.insert(
            "SecurityGroups".into(),
            observed_set(lb.security_groups().to_vec(), prev("SecurityGroups")),
        );
    }
    if let Some(found) = extras.and_then(|e| e.attributes.as_ref()) {
        props.insert(
            "LoadBalancerAttributes".into(),
            json::observed_pairs(found, prev("LoadBalancerAttributes")),
        );
    }
    if let Some(Some(units)) = extras.and_then(|e| e.capacity) {
        props.insert(
            "MinimumLoadBalancerCapacity".into(),
            json::observed(
                json!({"CapacityUnits": units}),
                prev("MinimumLoadBalancerCapacity"),
            ),
        );
    }
    if let Some(v) = prev("EnableCapacityReservationProvisionStabilize") {
        // Write-only: AWS has nothing to report.
        props.insert(
            "EnableCapacityReservationProvisionStabilize".into(),
            v.clone(),
        );
    }
    if managed.contains("Tags") {
        props.insert(
            "Tags".into(),
            observed_tags(&tags.cloned().unwrap_or_default(), prev("Tags")),
        );
    }
    Observation::Present {
        properties: Value::Object(props),
        attributes: attributes(lb),
    }
}

pub(super) fn output(lb: &LoadBalancer) -> ResourceOutput {
    ResourceOutput {
        physical_id: lb.load_balancer_arn().unwrap_or_default().to_owned(),
        attributes: attributes(lb),
    }
}

fn attributes(lb: &LoadBalancer) -> BTreeMap<String, Value> {
    let arn = lb.load_balancer_arn().unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            out.insert(key.to_owned(), Value::String(v.to_owned()));
        }
    };
    put("LoadBalancerArn", Some(arn));
    put("DNSName", lb.dns_name());
    put("CanonicalHostedZoneID", lb.canonical_hosted_zone_id());
    put("LoadBalancerFullName", arn_suffix(arn, ":loadbalancer/"));
    put("LoadBalancerName", lb.load_balancer_name());
    put("Name", lb.load_balancer_name());
    put("Scheme", lb.scheme().map(|v| v.as_str()));
    put("Type", lb.r#type().map(|v| v.as_str()));
    put("IpAddressType", lb.ip_address_type().map(|v| v.as_str()));
    out.insert("SecurityGroups".into(), json!(lb.security_groups()));
    out.insert("Subnets".into(), json!(subnet_ids(lb)));
    out
}

super::provider_impl!(LoadBalancerProvider, TYPE);

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
