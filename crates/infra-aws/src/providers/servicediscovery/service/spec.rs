//! A Cloud Map service's template properties as the SDK's own [`Service`] ([`parse`]), and a
//! [`Service`] as the template writes it ([`render`]), through the conversions generated from
//! `crates/infra-aws/mappings/servicediscovery.toml` (the records and the Route 53 health check
//! reported by them): update sends what [`parse`] made (create, CreateService's request read by
//! the same conversions), refresh reports what ListServices returns through [`render`], and a
//! value is drift only when both renders differ. [`render`] leaves out what AWS fills in or ignores: the
//! deprecated `DnsConfig.NamespaceId`, the `MULTIVALUE` routing policy (the default), a
//! health check's default threshold (1) and path (`/`), and
//! `HealthCheckCustomConfig.FailureThreshold` (no longer supported: AWS always uses 1; it is
//! checked, not sent). The deprecated `DnsConfig.NamespaceId` is sent as `NamespaceId`.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_servicediscovery::types::{
    DnsConfig, RoutingPolicy, Service, ServiceType, ServiceTypeOption,
};

use super::TYPE;
use crate::generated::servicediscovery::{
    DNS_CONFIG, HEALTH_CHECK_CUSTOM_CONFIG, SERVICE, report_service, service,
};
use crate::providers::kit::one_of;

/// The template's properties: the service, its tags and its `ServiceAttributes`.
pub(crate) struct Parsed {
    pub(crate) service: Service,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) attributes: BTreeMap<String, String>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Parsed, ProviderError> {
    let p = Props::root(value, ctx, SERVICE)?;
    let mut service = service(&p)?;
    // The deprecated place of the namespace: sent as the top-level one.
    let dns = p.obj("DnsConfig", DNS_CONFIG)?;
    if let Some(inner) = dns.map(|d| d.str("NamespaceId")).transpose()?.flatten() {
        if service.namespace_id.as_ref().is_some_and(|ns| *ns != inner) {
            let why = "names another namespace than NamespaceId";
            return Err(p.fatal("DnsConfig.NamespaceId", why));
        }
        service.namespace_id = Some(inner);
    }
    // Checked, not sent: AWS no longer supports it and always uses 1.
    if let Some(custom) = p.obj("HealthCheckCustomConfig", HEALTH_CHECK_CUSTOM_CONFIG)? {
        custom.i32("FailureThreshold")?;
    }
    let kind = p.str("Type")?;
    let kind =
        kind.map(|t| one_of::<ServiceTypeOption>(&t, ServiceTypeOption::values(), "Type", ctx));
    service.r#type = kind.transpose()?.map(|t| ServiceType::from(t.as_str()));
    let attributes = p.str_map("ServiceAttributes")?.unwrap_or_default();
    Ok(Parsed {
        service,
        tags: p.tags("Tags")?,
        attributes: attributes.into_iter().collect(),
    })
}

/// `service` as the template writes it (see the module comment for what is left out).
pub(crate) fn render(service: &Service) -> Map<String, Value> {
    let Value::Object(mut m) = report_service(service) else {
        return Map::new();
    };
    if let Some(kind) = service.r#type() {
        m.insert("Type".into(), json!(kind.as_str()));
    }
    let multivalue = |d: &DnsConfig| d.routing_policy() == Some(&RoutingPolicy::Multivalue);
    if service.dns_config().is_some_and(multivalue)
        && let Some(o) = m.get_mut("DnsConfig").and_then(Value::as_object_mut)
    {
        o.remove("RoutingPolicy");
    }
    if let Some(h) = service.health_check_config()
        && let Some(o) = m
            .get_mut("HealthCheckConfig")
            .and_then(Value::as_object_mut)
    {
        if h.resource_path() == Some("/") {
            o.remove("ResourcePath");
        }
        if h.failure_threshold() == Some(1) {
            o.remove("FailureThreshold");
        }
    }
    m
}

/// What refresh reports for `key`: the last applied value when it says the same as what AWS
/// holds (both rendered), else AWS's.
pub(crate) fn observed(found: &Map<String, Value>, last: &Value, key: &str) -> Option<Value> {
    let now = found.get(key)?;
    let same = |prev: &&Value| {
        let alone = parse(&json!({ key: prev }), Ctx::new(TYPE, ""));
        alone.is_ok_and(|parsed| render(&parsed.service).get(key) == Some(now))
    };
    let previous = last.get(key).filter(|v| !v.is_null());
    Some(previous.filter(same).unwrap_or(now).clone())
}
