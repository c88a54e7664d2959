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
//! `DefaultActions` are described in [`super::actions`]. A listener's further certificates are
//! `AWS::ElasticLoadBalancingV2::ListenerCertificate` resources, as in CloudFormation. An
//! `SslPolicy` or attribute removed from the template keeps the value it has (ModifyListener
//! leaves what it is not given as it is); changing the protocol to HTTP drops both, as AWS does.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    Action, AdvertiseTrustStoreCaNamesEnum, Certificate, Listener, ListenerAttribute,
    MutualAuthenticationAttributes, ProtocolEnum,
};
use serde_json::{Map, Value, json};

use super::super::iam::common::{
    self, Ctx, Props, has_code, managed_keys, merge_tags, observed_scalar, observed_set,
    observed_tags, owned_by,
};
use super::actions::{observed_actions, parse_actions};
use super::json::{self, Obj, object, s};
use super::{
    Elb, class_of, create_tags, fail, fail_referencing, is_not_found, parent_arn, read_label,
};
use crate::error::AwsError;
use crate::provider::{
    CreateInput, DeleteInput, FailureClass, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};

pub(super) const TYPE: &str = "AWS::ElasticLoadBalancingV2::Listener";

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
struct Spec {
    load_balancer: String,
    port: Option<i32>,
    protocol: Option<String>,
    actions: Vec<Action>,
    certificates: Vec<String>,
    ssl_policy: Option<String>,
    alpn: Option<Vec<String>>,
    mutual: Option<MutualAuthenticationAttributes>,
    attributes: Vec<(String, String)>,
    tags: Vec<(String, String)>,
}

fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, &[])?;
    let protocol = props
        .str("Protocol")?
        .map(|p| json::one_of::<String>(&p, ProtocolEnum::values(), "Protocol", ctx))
        .transpose()?;
    let mut certificates = Vec::new();
    if let Some(value) = props.get("Certificates") {
        for (i, item) in json::list(value, "Certificates", ctx)?.iter().enumerate() {
            let path = format!("Certificates[{i}]");
            certificates.push(
                Obj::new(item, &path, ctx, &["CertificateArn"], &[])?
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
            let o = Obj::new(
                v,
                "MutualAuthentication",
                ctx,
                &[
                    "AdvertiseTrustStoreCaNames",
                    "IgnoreClientCertificateExpiry",
                    "Mode",
                    "TrustStoreArn",
                ],
                &[],
            )?;
            let advertise = o
                .str("AdvertiseTrustStoreCaNames")?
                .map(|v| {
                    json::one_of::<AdvertiseTrustStoreCaNamesEnum>(
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
            .map(|v| json::str_list(v, "AlpnPolicy", ctx))
            .transpose()?,
        mutual,
        attributes: json::key_values(props.get("ListenerAttributes"), "ListenerAttributes", ctx)?,
        tags: props.tags("Tags")?,
    })
}

/// What finds a listener again (it has no name): its load balancer and port.
pub(super) fn natural_key(
    value: &Value,
    ctx: Ctx<'_>,
) -> Result<(String, Option<i32>), ProviderError> {
    let spec = parse(value, ctx)?;
    Ok((spec.load_balancer, spec.port))
}

fn certificates(arns: &[String]) -> Vec<Certificate> {
    arns.iter()
        .map(|arn| Certificate::builder().certificate_arn(arn).build())
        .collect()
}

/// The provider.
#[derive(Debug)]
pub(super) struct ListenerProvider {
    pub(super) elb: Elb,
}

impl ListenerProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx)?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let created = self
            .elb
            .client
            .create_listener()
            .load_balancer_arn(&spec.load_balancer)
            .set_port(spec.port)
            .set_protocol(spec.protocol.as_deref().map(ProtocolEnum::from))
            .set_default_actions(Some(spec.actions.clone()))
            .set_certificates(
                (!spec.certificates.is_empty()).then(|| certificates(&spec.certificates)),
            )
            .set_ssl_policy(spec.ssl_policy.clone())
            .set_alpn_policy(spec.alpn.clone())
            .set_mutual_authentication(spec.mutual.clone())
            .set_tags(create_tags(ctx, &tags)?)
            .send()
            .await;
        let (arn, made, made_tags) = match created {
            Ok(out) => {
                let arn = out
                    .listeners()
                    .first()
                    .and_then(|l| l.listener_arn())
                    .ok_or_else(|| ctx.fatal("CreateListener returned no listener"))?
                    .to_owned();
                let made = Spec {
                    attributes: Vec::new(),
                    ..spec.clone()
                };
                (arn, made, tags.clone())
            }
            Err(e) => {
                let err = self.elb.api.err("CreateListener", e);
                let port = spec.port.map_or_else(|| "-".to_owned(), |p| p.to_string());
                if !has_code(&err, "DuplicateListener") {
                    return Err(fail_referencing(
                        ctx,
                        None,
                        format!(
                            "creating the listener on port {port} of {}",
                            spec.load_balancer
                        ),
                        err,
                    ));
                }
                let (arn, found_tags) = self.adoptable(ctx, &spec, input, err).await?;
                let made = Spec {
                    load_balancer: spec.load_balancer.clone(),
                    ..Spec::default()
                };
                (arn, made, found_tags)
            }
        };
        self.apply_changes(ctx, &arn, &made, &spec, &made_tags, &tags)
            .await?;
        Ok(output(&arn))
    }

    /// The port is taken: by a listener an earlier attempt at this resource made when it
    /// carries this resource's infra tags.
    async fn adoptable(
        &self,
        ctx: Ctx<'_>,
        spec: &Spec,
        input: &CreateInput,
        conflict: AwsError,
    ) -> Result<(String, BTreeMap<String, String>), ProviderError> {
        let found = self
            .elb
            .listener_on_port(ctx, &spec.load_balancer, spec.port)
            .await?;
        let Some((arn, tags)) = found else {
            return Err(ctx.error(
                FailureClass::Retryable,
                format!("creating the listener: {conflict}"),
            ));
        };
        if !owned_by(&tags, &input.tags) {
            return Err(ctx.fatal(format!(
                "creating the listener: load balancer {} already has listener {arn} on that \
                 port, not made for this resource (it lacks its infra:* tags)",
                spec.load_balancer
            )));
        }
        Ok((arn, tags))
    }

    /// Brings listener `arn` from `before` to `after` (everything but its load balancer).
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
                fail_referencing(
                    ctx,
                    Some("ListenerNotFound"),
                    format!("changing {} of listener {arn}", changes.join(", ")),
                    api.err("ModifyListener", e),
                )
            })?;
        }
        let attributes = json::changed_pairs(&before.attributes, &after.attributes);
        if !attributes.is_empty() {
            client
                .modify_listener_attributes()
                .listener_arn(arn)
                .set_attributes(Some(
                    attributes
                        .iter()
                        .map(|(k, v)| ListenerAttribute::builder().key(k).value(v).build())
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
                        api.err("ModifyListenerAttributes", e),
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
        if before.load_balancer != after.load_balancer {
            return Err(
                ctx.fatal("LoadBalancerArn cannot change in place; the listener must be replaced")
            );
        }
        let before_tags = merge_tags(&before.tags, &input.tags);
        let after_tags = merge_tags(&after.tags, &input.tags);
        self.apply_changes(
            ctx,
            &input.physical_id,
            &before,
            &after,
            &before_tags,
            &after_tags,
        )
        .await?;
        Ok(output(&input.physical_id))
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        let ctx = Ctx::new(TYPE, &input.address);
        let arn = input.physical_id.as_str();
        match self
            .elb
            .client
            .delete_listener()
            .listener_arn(arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                let err = self.elb.api.err("DeleteListener", e);
                if is_not_found(&err) {
                    Ok(())
                } else {
                    Err(fail(ctx, format!("deleting listener {arn}"), err))
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
        // One DescribeListeners per load balancer.
        let mut by_balancer: BTreeMap<String, Vec<&ReadInput>> = BTreeMap::new();
        for item in items {
            let balancer = item
                .properties
                .get("LoadBalancerArn")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| parent_arn(&item.physical_id, ":listener/", ":loadbalancer/"))
                .unwrap_or_default();
            by_balancer.entry(balancer).or_default().push(item);
        }
        let tasks = by_balancer
            .keys()
            .map(|balancer| {
                let elb = self.elb.clone();
                let balancer = balancer.clone();
                let label = format!("{TYPE} {label}");
                async move {
                    if balancer.is_empty() {
                        return Ok(HashMap::new());
                    }
                    listeners_of(&elb, &balancer)
                        .await
                        .map(Option::unwrap_or_default)
                        .map_err(|err| ProviderError {
                            class: class_of(&err),
                            message: format!("{label}: reading the listeners of {balancer}: {err}"),
                        })
                }
            })
            .collect();
        let found: HashMap<String, Listener> = common::run_bounded(tasks, common::READ_CONCURRENCY)
            .await?
            .into_iter()
            .flatten()
            .collect();

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
            .filter(|i| wants(i, "ListenerAttributes"))
            .map(|i| attributes_of(self.elb.clone(), i.address.clone(), i.physical_id.clone()))
            .collect();
        let attributes: HashMap<String, HashMap<String, String>> =
            common::run_bounded(tasks, common::READ_CONCURRENCY)
                .await?
                .into_iter()
                .flatten()
                .collect();

        Ok(items
            .iter()
            .map(|item| {
                let observation = match found.get(&item.physical_id) {
                    None => Observation::Gone,
                    Some(listener) => observe(
                        listener,
                        item,
                        tags.get(&item.physical_id),
                        attributes.get(&item.physical_id),
                    ),
                };
                (item.address.clone(), observation)
            })
            .collect())
    }
}

/// The listeners of a load balancer by ARN (pages followed); `None` when it does not exist.
pub(super) async fn listeners_of(
    elb: &Elb,
    balancer: &str,
) -> Result<Option<HashMap<String, Listener>>, AwsError> {
    let mut out = HashMap::new();
    let mut pages = elb
        .client
        .describe_listeners()
        .load_balancer_arn(balancer)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => out.extend(
                page.listeners()
                    .iter()
                    .filter_map(|l| Some((l.listener_arn()?.to_owned(), l.clone()))),
            ),
            Err(e) => {
                let err = elb.api.err("DescribeListeners", e);
                if is_not_found(&err) {
                    return Ok(None);
                }
                return Err(err);
            }
        }
    }
    Ok(Some(out))
}

async fn attributes_of(
    elb: Elb,
    address: String,
    arn: String,
) -> Result<Option<(String, HashMap<String, String>)>, ProviderError> {
    let ctx = Ctx::new(TYPE, &address);
    match elb
        .client
        .describe_listener_attributes()
        .listener_arn(&arn)
        .send()
        .await
    {
        Ok(found) => {
            let map = found
                .attributes()
                .iter()
                .filter_map(|a| {
                    Some((
                        a.key()?.to_owned(),
                        a.value().unwrap_or_default().to_owned(),
                    ))
                })
                .collect();
            Ok(Some((arn, map)))
        }
        Err(e) => {
            let err = elb.api.err("DescribeListenerAttributes", e);
            if is_not_found(&err) {
                Ok(None)
            } else {
                Err(fail(ctx, "reading the attributes", err))
            }
        }
    }
}

/// One listener as refresh reports it (see the module comment of `providers::elbv2`).
fn observe(
    listener: &Listener,
    item: &ReadInput,
    tags: Option<&BTreeMap<String, String>>,
    attributes: Option<&HashMap<String, String>>,
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
    scalar("LoadBalancerArn", text(listener.load_balancer_arn()));
    scalar("Port", listener.port().map(Value::from));
    scalar("Protocol", text(listener.protocol().map(|p| p.as_str())));
    scalar("SslPolicy", text(listener.ssl_policy()));
    if managed.contains("DefaultActions") {
        props.insert(
            "DefaultActions".into(),
            observed_actions(listener.default_actions(), prev("DefaultActions")),
        );
    }
    if managed.contains("Certificates") {
        let list = Value::Array(
            listener
                .certificates()
                .iter()
                .map(|c| object(vec![("CertificateArn", s(c.certificate_arn()))]))
                .collect(),
        );
        props.insert(
            "Certificates".into(),
            json::observed(list, prev("Certificates")),
        );
    }
    if managed.contains("AlpnPolicy") {
        props.insert(
            "AlpnPolicy".into(),
            observed_set(listener.alpn_policy().to_vec(), prev("AlpnPolicy")),
        );
    }
    if let (true, Some(m)) = (
        managed.contains("MutualAuthentication"),
        listener.mutual_authentication(),
    ) {
        let found = object(vec![
            (
                "AdvertiseTrustStoreCaNames",
                s(m.advertise_trust_store_ca_names().map(|a| a.as_str())),
            ),
            (
                "IgnoreClientCertificateExpiry",
                m.ignore_client_certificate_expiry().map(Value::from),
            ),
            ("Mode", s(m.mode())),
            ("TrustStoreArn", s(m.trust_store_arn())),
        ]);
        props.insert(
            "MutualAuthentication".into(),
            json::observed(found, prev("MutualAuthentication")),
        );
    }
    if let Some(found) = attributes {
        props.insert(
            "ListenerAttributes".into(),
            json::observed_pairs(found, prev("ListenerAttributes")),
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
        attributes: output(listener.listener_arn().unwrap_or_default()).attributes,
    }
}

pub(super) fn output(arn: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: arn.to_owned(),
        attributes: BTreeMap::from([("ListenerArn".to_owned(), json!(arn))]),
    }
}

super::provider_impl!(ListenerProvider, TYPE);

#[cfg(test)]
pub(super) fn parse_for_tests(value: &Value) -> Result<String, ProviderError> {
    parse(value, Ctx::new(TYPE, "Test")).map(|spec| format!("{spec:?}"))
}
