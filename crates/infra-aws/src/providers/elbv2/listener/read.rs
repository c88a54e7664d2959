//! `AWS::ElasticLoadBalancingV2::Listener` reading: DescribeListeners per load balancer (pages
//! followed), the attributes read per listener, the properties refresh reports, and the
//! `Fn::GetAtt` attributes.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types::Listener;
use serde_json::{Map, Value, json};

use super::{ListenerProvider, TYPE};
use crate::error::AwsError;
use crate::provider::{Observation, ProviderError, ReadInput, ResourceOutput};
use crate::providers::elbv2::actions::observed_actions;
use crate::providers::elbv2::json::{self, object, s};
use crate::providers::elbv2::shared::{attribute_map, unless_gone};
use crate::providers::elbv2::{Elb, parent_arn, read_label};
use crate::providers::kit::is_not_found;
use crate::providers::kit::{
    self, Ctx, managed_keys, observed_scalar, observed_set, observed_tags,
};

impl ListenerProvider {
    pub(super) async fn read_batch(
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
                        .map_err(|err| {
                            kit::fail(format!("{label}: reading the listeners of {balancer}"), err)
                        })
                }
            })
            .collect();
        let found: HashMap<String, Listener> = kit::run_bounded(tasks, kit::READ_CONCURRENCY)
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
            kit::run_bounded(tasks, kit::READ_CONCURRENCY)
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
pub(in crate::providers::elbv2) async fn listeners_of(
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
    let found = elb
        .client
        .describe_listener_attributes()
        .listener_arn(&arn)
        .send()
        .await
        .map(|found| attribute_map(found.attributes().iter().map(|a| (a.key(), a.value()))))
        .map_err(|e| elb.api.err("DescribeListenerAttributes", e));
    Ok(unless_gone(ctx, "reading the attributes", found)?.map(|map| (arn, map)))
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

pub(in crate::providers::elbv2) fn output(arn: &str) -> ResourceOutput {
    ResourceOutput {
        physical_id: arn.to_owned(),
        attributes: BTreeMap::from([("ListenerArn".to_owned(), json!(arn))]),
    }
}
