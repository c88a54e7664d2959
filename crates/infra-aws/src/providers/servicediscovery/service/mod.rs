//! `AWS::ServiceDiscovery::Service`: a Cloud Map service in a namespace, with DNS records
//! (`DnsConfig`), a Route 53 health check (`HealthCheckConfig`) or a custom one
//! (`HealthCheckCustomConfig`, what ECS uses), attributes and tags.
//!
//! - **Create**: CreateService (synchronous) with a `CreatorRequestId` and the tags, then
//!   UpdateServiceAttributes when `ServiceAttributes` is set. `ServiceAlreadyExists` adopts
//!   the service of that name only when it is this create's (its `CreatorRequestId`, or its
//!   `infra:*` tags), else it is refused.
//! - **Update**: UpdateService (an operation, waited for) with the whole change: the
//!   description, the DNS records and the Route 53 health check (UpdateService deletes what
//!   it is not sent); UpdateServiceAttributes / DeleteServiceAttributes; TagResource /
//!   UntagResource. `Name`, `NamespaceId`, `Type` and `HealthCheckCustomConfig` are
//!   create-only (replacement); the routing policy cannot change (UpdateService has none), so a
//!   change of it is refused.
//! - **Delete**: DeleteService; `ServiceNotFound` is success, `ResourceInUse` (instances still
//!   registered, as while ECS drains a service) a dependency violation the engine retries.
//! - **Read**: ListServices filtered by `NAMESPACE_ID` (one call per namespace and page: the
//!   filter takes one namespace), tags and attributes per service only when managed.
//! - **Find**: ListServices of the namespace, by name, then GetService: the service whose
//!   `CreatorRequestId` is the create's, else one with the create's `infra:*` tags.
//!
//! `Ref` is the service id; `Fn::GetAtt` gives `Id`, `Arn` and `Name`. Every documented
//! property is mapped.

mod spec;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_servicediscovery::types::{
    DnsConfigChange, FilterCondition, OperationTargetType, Service, ServiceChange, ServiceFilter,
    ServiceFilterName, ServiceSummary, Tag,
};

use super::Sd;
use super::calls::{built, made_by, request_id, retag, tags_of, wait_operation};
use crate::generated::servicediscovery::{SERVICE, create_service};
use spec::{parse, render};

pub(crate) const TYPE: &str = "AWS::ServiceDiscovery::Service";

#[derive(Debug)]
pub(crate) struct ServiceProvider {
    pub(crate) sd: Sd,
}

fn output(service: &Service) -> ResourceOutput {
    let id = service.id().unwrap_or_default();
    let (arn, name) = (json!(service.arn()), json!(service.name()));
    output_of(id, [("Id", json!(id)), ("Arn", arn), ("Name", name)])
}

/// A ListServices summary as a [`Service`] of `namespace`.
fn from_summary(s: &ServiceSummary, namespace: Option<&str>) -> Service {
    Service::builder()
        .set_id(s.id.clone())
        .set_arn(s.arn.clone())
        .set_name(s.name.clone())
        .set_namespace_id(namespace.map(str::to_owned))
        .set_description(s.description.clone())
        .set_dns_config(s.dns_config.clone())
        .set_health_check_config(s.health_check_config.clone())
        .set_health_check_custom_config(s.health_check_custom_config.clone())
        .set_type(s.r#type.clone())
        .build()
}

impl ServiceProvider {
    /// The services of `namespace` (ListServices, pages followed; every service without one).
    async fn list(&self, ctx: Ctx<'_>, namespace: Option<&str>) -> R<Vec<Service>> {
        let filter = namespace.map(|ns| {
            let filter = ServiceFilter::builder()
                .name(ServiceFilterName::NamespaceId)
                .values(ns)
                .condition(FilterCondition::Eq);
            built(filter.build(), ctx)
        });
        let request = self.sd.client.list_services();
        let pages = request.set_filters(filter.transpose()?.map(|f| vec![f]));
        let pages = pages.into_paginator().send().try_collect().await;
        let pages = pages.map_err(|e| self.sd.fail(ctx, "listing services", e))?;
        let all = pages.iter().flat_map(|page| page.services());
        Ok(all.map(|s| from_summary(s, namespace)).collect())
    }

    async fn get(&self, ctx: Ctx<'_>, id: &str) -> Result<Service, ProviderError> {
        let request = self.sd.client.get_service().id(id);
        let out = send!(&self.sd, ctx, request, "reading the service")?;
        out.service
            .ok_or_else(|| ctx.fatal(format!("GetService gave nothing for {id}")))
    }

    /// The service named `name` in `namespace` that an earlier create of this resource made.
    async fn ours(
        &self,
        ctx: Ctx<'_>,
        namespace: Option<&str>,
        name: &str,
        request_id: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<Option<Service>, ProviderError> {
        let listed = self.list(ctx, namespace).await?;
        let named = listed.iter().filter(|x| x.name() == Some(name));
        for (id, arn) in named.filter_map(|x| Some((x.id()?, x.arn()?))) {
            let service = self.get(ctx, id).await?;
            let mine = (arn, service.creator_request_id());
            if made_by(&self.sd, ctx, mine, (request_id, tags)).await? {
                return Ok(Some(service));
            }
        }
        Ok(None)
    }

    /// UpdateServiceAttributes / DeleteServiceAttributes from `before` to `after`.
    async fn set_attributes(
        &self,
        ctx: Ctx<'_>,
        id: &str,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
    ) -> Result<(), ProviderError> {
        let sd = &self.sd;
        let remove = |keys| async move {
            let request = sd.client.delete_service_attributes().service_id(id);
            let request = request.set_attributes(Some(keys));
            send!(sd, ctx, request, "removing attributes")
        };
        let set = |attributes: BTreeMap<_, _>| async move {
            let request = sd.client.update_service_attributes().service_id(id);
            let request = request.set_attributes(Some(attributes.into_iter().collect()));
            send!(sd, ctx, request, "setting attributes")
        };
        kit::map_changes(before, after, remove, set).await
    }

    /// One service's observation: what the template manages, tags and attributes included.
    async fn observe(&self, item: &ReadInput, found: &Service) -> R<Observation> {
        let ctx = Ctx::new(TYPE, &item.address);
        let rendered = render(found);
        let mut props = Map::new();
        for key in managed_keys(&item.properties) {
            let last = item.properties.get(&key);
            let value = match key.as_str() {
                "Tags" => {
                    let tags = tags_of(&self.sd, ctx, found.arn().unwrap_or_default()).await?;
                    Some(observed_tags(&tags, last))
                }
                "ServiceAttributes" => {
                    let request = self.sd.client.get_service_attributes();
                    let request = request.service_id(&item.physical_id);
                    let out = send!(&self.sd, ctx, request, "reading attributes")?;
                    let map = out.service_attributes().and_then(|a| a.attributes());
                    let map: BTreeMap<&String, &String> = map.into_iter().flatten().collect();
                    // The last applied map when it holds the same (`"1"` for `1`).
                    Some(kit::as_written(json!(map), last))
                }
                _ => spec::observed(&rendered, &item.properties, &key),
            };
            if let Some(v) = value {
                props.insert(key, v);
            }
        }
        Ok(Observation::Present {
            properties: Value::Object(props),
            attributes: output(found).attributes,
        })
    }
}

impl kit::Provider for ServiceProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "ListServices filtered by NAMESPACE_ID (per namespace, pages followed); tags and attributes per service when managed",
        Find::Name,
        "ListServices of the namespace by name, then GetService: the create's CreatorRequestId, else its infra tags",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let parsed = parse(&input.properties, ctx)?;
        let svc = &parsed.service;
        let name = create_name(ctx, svc.name.as_ref(), input, "Name")?;
        let request_id = request_id(input.checkpoint.key(), &input.tags, &input.address);
        let tags = kit::sdk_tags!(Tag, ctx, merge_tags(&parsed.tags, &input.tags))?;
        let doing = format!("creating service {name}");
        let p = Props::root(&input.properties, ctx, SERVICE)?;
        let request = create_service(&p, Default::default())?.name(&name);
        let sent = request
            .set_namespace_id(svc.namespace_id.clone())
            .creator_request_id(&request_id)
            .set_tags(Some(tags))
            .send_with(&self.sd.client)
            .await;
        let service = match sent.map_err(|e| self.sd.err(e)) {
            Ok(out) => out
                .service
                .ok_or_else(|| ctx.fatal(format!("{doing}: CreateService returned no service")))?,
            // A namespace made a moment ago may not show yet.
            Err(err) if !has_code(&err, "ServiceAlreadyExists") => {
                return Err(ctx.fail_referencing(&doing, err));
            }
            Err(err) => {
                let namespace = svc.namespace_id();
                let found = self.ours(ctx, namespace, &name, &request_id, &input.tags);
                found.await?.ok_or_else(|| {
                    ctx.fatal(format!(
                        "{doing}: a service of that name already exists in the namespace and was \
                         not made for this resource; choose another Name or import it ({err})"
                    ))
                })?
            }
        };
        let id = service.id().unwrap_or_default();
        self.set_attributes(ctx, id, &BTreeMap::new(), &parsed.attributes)
            .await?;
        Ok(output(&service))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (before, after) = (parse(&input.before, ctx)?, parse(&input.after, ctx)?);
        let (b, a) = (&before.service, &after.service);
        let id = input.physical_id.as_str();
        let policy = |s: &Service| s.dns_config().and_then(|d| d.routing_policy()).cloned();
        if policy(b) != policy(a) {
            return Err(ctx.fatal(
                "DnsConfig.RoutingPolicy cannot change in place (UpdateService has no routing \
                 policy); replace the service, for example by giving it another Name",
            ));
        }
        let (old, new) = (render(b), render(a));
        let changed = ["Description", "DnsConfig", "HealthCheckConfig"]
            .iter()
            .any(|k| old.get(*k) != new.get(*k));
        if changed {
            let records = a.dns_config().map(|d| d.dns_records().to_vec());
            let dns = records.map(|r| DnsConfigChange::builder().set_dns_records(Some(r)).build());
            let cleared = b.description().map(|_| String::new());
            let change = ServiceChange::builder()
                .set_description(a.description.clone().or(cleared))
                .set_dns_config(dns.map(|d| built(d, ctx)).transpose()?)
                .set_health_check_config(a.health_check_config.clone())
                .build();
            let request = self.sd.client.update_service().id(id).service(change);
            let doing = "updating the service";
            let out = send!(&self.sd, ctx, request, doing)?;
            let op = out.operation_id().unwrap_or_default();
            wait_operation(&self.sd, ctx, op, OperationTargetType::Service, doing).await?;
        }
        self.set_attributes(ctx, id, &before.attributes, &after.attributes)
            .await?;
        let service = self.get(ctx, id).await?;
        let arn = service.arn().unwrap_or_default();
        retag(&self.sd, ctx, arn, &input.tags, &before.tags, &after.tags).await?;
        Ok(output(&service))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = input.physical_id.as_str();
        let sent = self.sd.client.delete_service().id(id).send();
        let doing = format!("deleting service {id}");
        kit::unless_gone(&self.sd, ctx, doing, sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let mut by_namespace: BTreeMap<Option<String>, Vec<&ReadInput>> = BTreeMap::new();
        for item in items {
            let parsed = parse(&item.properties, Ctx::new(TYPE, &item.address)).ok();
            let namespace = parsed.and_then(|p| p.service.namespace_id);
            by_namespace.entry(namespace).or_default().push(item);
        }
        let mut out = BTreeMap::new();
        for (namespace, group) in by_namespace {
            let Some(first) = group.first() else { continue };
            let ctx = Ctx::new(TYPE, &first.address);
            let listed = self.list(ctx, namespace.as_deref()).await?;
            for item in group {
                let id = Some(item.physical_id.as_str());
                let seen = match listed.iter().find(|s| s.id() == id) {
                    Some(found) => self.observe(item, found).await?,
                    None => Observation::Gone,
                };
                out.insert(item.address.clone(), seen);
            }
        }
        Ok(out)
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let parsed = parse(&input.properties, ctx)?;
        let name = kit::name_to_find(input, "Name", ctx)?;
        let namespace = parsed.service.namespace_id();
        let request_id = request_id(input.checkpoint.key(), &input.tags, &input.address);
        let found = self.ours(ctx, namespace, &name, &request_id, &input.tags);
        Ok(found.await?.as_ref().map(output))
    }
}
