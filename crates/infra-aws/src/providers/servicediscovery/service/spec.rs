//! A Cloud Map service's template properties as the SDK's own [`Service`] ([`parse`]), and a
//! [`Service`] as the template writes it ([`render`]): create and update send what [`parse`]
//! made, refresh reports what ListServices returns through [`render`], and a value is drift
//! only when both renders differ. [`render`] leaves out what AWS fills in or ignores: the
//! deprecated `DnsConfig.NamespaceId`, the `MULTIVALUE` routing policy (the default), a
//! health check's default threshold (1) and path (`/`), and
//! `HealthCheckCustomConfig.FailureThreshold` (no longer supported: AWS always uses 1; it is
//! checked, not sent). The deprecated `DnsConfig.NamespaceId` is sent as `NamespaceId`.

use std::collections::BTreeMap;

use aws_sdk_servicediscovery::types::{
    DnsConfig, DnsRecord, HealthCheckConfig, HealthCheckCustomConfig, HealthCheckType, RecordType,
    RoutingPolicy, Service, ServiceType, ServiceTypeOption,
};
use serde_json::{Map, Value, json};

use super::super::calls::built;
use super::TYPE;
use crate::provider::ProviderError;
use crate::providers::kit::{Ctx, Keys, Props, one_of};

const SUPPORTED: &[&str] = &[
    "Description",
    "DnsConfig",
    "HealthCheckConfig",
    "HealthCheckCustomConfig",
    "Name",
    "NamespaceId",
    "ServiceAttributes",
    "Tags",
    "Type",
];
const ATTRIBUTES: &[(&str, &str)] = &[
    ("Arn", "Arn is an attribute (Fn::GetAtt), not a property"),
    ("Id", "Id is an attribute (Fn::GetAtt), not a property"),
];
const DNS_CONFIG: Keys = Keys::new(&["DnsRecords", "NamespaceId", "RoutingPolicy"]).listed();
const DNS_RECORD: Keys = Keys::new(&["TTL", "Type"]).listed();
const HEALTH_CHECK: Keys = Keys::new(&["FailureThreshold", "ResourcePath", "Type"]).listed();
const CUSTOM_HEALTH_CHECK: Keys = Keys::new(&["FailureThreshold"]).listed();

/// The template's properties: the service, its tags and its `ServiceAttributes`.
pub(crate) struct Parsed {
    pub(crate) service: Service,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) attributes: BTreeMap<String, String>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Parsed, ProviderError> {
    let p = Props::root(value, ctx, Keys::new(SUPPORTED).and_attributes(ATTRIBUTES))?;
    let mut namespace = p.str("NamespaceId")?;
    let dns = match p.obj("DnsConfig", DNS_CONFIG)? {
        Some(d) => {
            // The deprecated place of the namespace: sent as the top-level one.
            if let Some(inner) = d.str("NamespaceId")? {
                if namespace.as_ref().is_some_and(|ns| *ns != inner) {
                    let why = "names another namespace than NamespaceId";
                    return Err(d.fatal("NamespaceId", why));
                }
                namespace = Some(inner);
            }
            let mut records = Vec::new();
            for r in d
                .opt_objs("DnsRecords", DNS_RECORD)?
                .ok_or_else(|| d.missing("DnsRecords"))?
            {
                let kind = r.required_str("Type")?;
                let ttl = r.i64("TTL")?.ok_or_else(|| r.missing("TTL"))?;
                let kind: RecordType = one_of(&kind, RecordType::values(), &r.at("Type"), ctx)?;
                records.push(built(
                    DnsRecord::builder().r#type(kind).ttl(ttl).build(),
                    ctx,
                )?);
            }
            let policy = d.str("RoutingPolicy")?;
            let path = d.at("RoutingPolicy");
            let policy = policy.map(|v| one_of(&v, RoutingPolicy::values(), &path, ctx));
            let config = DnsConfig::builder()
                .set_routing_policy(policy.transpose()?)
                .set_dns_records(Some(records));
            Some(built(config.build(), ctx)?)
        }
        None => None,
    };
    let health = match p.obj("HealthCheckConfig", HEALTH_CHECK)? {
        Some(h) => {
            let kind = h.required_str("Type")?;
            let kind: HealthCheckType =
                one_of(&kind, HealthCheckType::values(), &h.at("Type"), ctx)?;
            let config = HealthCheckConfig::builder()
                .r#type(kind)
                .set_resource_path(h.str("ResourcePath")?)
                .set_failure_threshold(h.i32("FailureThreshold")?);
            Some(built(config.build(), ctx)?)
        }
        None => None,
    };
    let custom = p.obj("HealthCheckCustomConfig", CUSTOM_HEALTH_CHECK)?;
    let custom = match custom {
        Some(c) => {
            // Checked, not sent: AWS no longer supports it and always uses 1.
            c.i32("FailureThreshold")?;
            Some(HealthCheckCustomConfig::builder().build())
        }
        None => None,
    };
    let kind = p.str("Type")?;
    let kind =
        kind.map(|t| one_of::<ServiceTypeOption>(&t, ServiceTypeOption::values(), "Type", ctx));
    let service = Service::builder()
        .set_name(p.str("Name")?)
        .set_namespace_id(namespace)
        .set_description(p.str("Description")?)
        .set_dns_config(dns)
        .set_health_check_config(health)
        .set_health_check_custom_config(custom)
        .set_type(kind.transpose()?.map(|t| ServiceType::from(t.as_str())))
        .build();
    let attributes = p.str_map("ServiceAttributes")?.unwrap_or_default();
    Ok(Parsed {
        service,
        tags: p.tags("Tags")?,
        attributes: attributes.into_iter().collect(),
    })
}

/// The namespace the service is in: `NamespaceId`, else the deprecated `DnsConfig.NamespaceId`
/// ([`parse`] puts either in the service's own namespace id).
pub(crate) fn namespace_of(service: &Service) -> Option<&str> {
    service.namespace_id()
}

/// `service` as the template writes it (see the module comment for what is left out).
pub(crate) fn render(service: &Service) -> Map<String, Value> {
    let mut m = Map::new();
    let text = |s: Option<&str>| s.map(|s| json!(s));
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            m.insert(key.to_owned(), v);
        }
    };
    put("Name", text(service.name()));
    put("NamespaceId", text(service.namespace_id()));
    put("Description", text(service.description()));
    put("Type", text(service.r#type().map(ServiceType::as_str)));
    put(
        "DnsConfig",
        service.dns_config().map(|d| {
            let records = d.dns_records().iter();
            let records: Vec<Value> = records
                .map(|r| json!({"TTL": r.ttl(), "Type": r.r#type().as_str()}))
                .collect();
            let mut o = json!({"DnsRecords": records});
            let policy = d
                .routing_policy()
                .filter(|p| **p != RoutingPolicy::Multivalue);
            if let Some(policy) = policy {
                o["RoutingPolicy"] = json!(policy.as_str());
            }
            o
        }),
    );
    put(
        "HealthCheckConfig",
        service.health_check_config().map(|h| {
            let mut o = json!({"Type": h.r#type().as_str()});
            if let Some(path) = h.resource_path().filter(|p| *p != "/") {
                o["ResourcePath"] = json!(path);
            }
            if let Some(n) = h.failure_threshold().filter(|n| *n != 1) {
                o["FailureThreshold"] = json!(n);
            }
            o
        }),
    );
    put(
        "HealthCheckCustomConfig",
        service.health_check_custom_config().map(|_| json!({})),
    );
    m
}

/// What refresh reports for `key`: the last applied value when it says the same as what AWS
/// holds (both rendered), else AWS's.
pub(crate) fn observed(found: &Map<String, Value>, last: &Value, key: &str) -> Option<Value> {
    let now = found.get(key)?;
    let Some(prev) = last.get(key).filter(|v| !v.is_null()) else {
        return Some(now.clone());
    };
    let alone = json!({ key: prev });
    match parse(&alone, Ctx::new(TYPE, "")) {
        Ok(parsed) if render(&parsed.service).get(key) == Some(now) => Some(prev.clone()),
        _ => Some(now.clone()),
    }
}
