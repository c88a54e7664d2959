//! The three Cloud Map namespace types, one flow: [`NamespaceProvider`] over a [`Kind`] (the
//! type's create and update calls and its properties).
//!
//! - **Create**: the kind's Create*Namespace with a `CreatorRequestId` and the tags, then
//!   GetOperation until it ends, then GetNamespace for the attributes. `DuplicateRequest` (the
//!   same create still running) waits until the namespace shows; `NamespaceAlreadyExists` adopts
//!   the namespace of that name only when it is this create's (its `CreatorRequestId`, or its
//!   `infra:*` tags), else it is refused.
//! - **Properties**: the keys of `Properties.DnsProperties.SOA` are generated from
//!   `crates/infra-aws/mappings/servicediscovery.toml` (the private and the public namespace's
//!   are the same); the TTL goes into the create's and the update's structures here.
//! - **Update**: `Description` and the SOA record's TTL with the kind's Update*Namespace (an
//!   operation, waited for); tags with TagResource / UntagResource. `Name` and `Vpc` are
//!   create-only (replacement).
//! - **Delete**: DeleteNamespace, its operation waited for; `NamespaceNotFound` is success.
//! - **Read**: ListNamespaces filtered by the kind's type, pages followed, one batch for every
//!   namespace of the type (an account has a few dozen at most); tags per namespace when managed.
//!   `Vpc` is write-only (no call returns it) and is kept as last applied.
//! - **Find**: ListNamespaces of the type and name, then GetNamespace: the namespace whose
//!   `CreatorRequestId` is the create's, else one with the create's `infra:*` tags.

use std::collections::BTreeMap;
use std::future::Future;
use std::marker::PhantomData;

use crate::providers::kit::prelude::*;
use aws_sdk_servicediscovery::types::{
    FilterCondition, Namespace, NamespaceFilter, NamespaceFilterName, NamespaceProperties,
    NamespaceSummary, NamespaceType, OperationTargetType, Tag,
};

use super::Sd;
use super::calls::{
    built, create_request_id, find_request_id, made_by, retag, sdk_tags, tags_of, wait_operation,
};
use crate::error::AwsError;
use crate::generated::servicediscovery::{PRIVATE_DNS_PROPERTIES_MUTABLE, PROPERTIES, SOA};

/// What refresh and find say about every namespace type.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "ListNamespaces filtered by type (pages followed); tags per namespace when managed",
    Find::Name,
    "ListNamespaces by name, then GetNamespace: the create's CreatorRequestId, else its infra tags",
);

const ATTRIBUTES: &[(&str, &str)] = &[
    ("Arn", "Arn is an attribute (Fn::GetAtt), not a property"),
    (
        "HostedZoneId",
        "HostedZoneId is an attribute (Fn::GetAtt), not a property",
    ),
    ("Id", "Id is an attribute (Fn::GetAtt), not a property"),
];

/// A namespace as the template describes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The private namespace's VPC.
    pub(crate) vpc: Option<String>,
    /// `Properties.DnsProperties.SOA.TTL` of a DNS namespace.
    pub(crate) ttl: Option<i64>,
    pub(crate) tags: Vec<(String, String)>,
}

/// One namespace type: its properties and the calls that differ.
pub(crate) trait Kind: Send + Sync + 'static {
    /// `AWS::ServiceDiscovery::HttpNamespace`.
    const TYPE: &'static str;
    /// The type ListNamespaces reports.
    const NAMESPACE_TYPE: NamespaceType;
    /// The template properties it maps.
    const SUPPORTED: &'static [&'static str];

    /// Sends the create call; the operation id, or the service's error (the outer error is a
    /// request that could not be built).
    fn create(
        sd: &Sd,
        ctx: Ctx<'_>,
        spec: &Spec,
        request_id: String,
        tags: Vec<Tag>,
    ) -> impl Future<Output = Result<Result<String, AwsError>, ProviderError>> + Send;

    /// Sends the update call for `Description` and the TTL; the operation id.
    fn update(
        sd: &Sd,
        ctx: Ctx<'_>,
        id: &str,
        spec: &Spec,
    ) -> impl Future<Output = Result<String, ProviderError>> + Send;
}

/// The provider of the namespace type `K`.
#[derive(Debug)]
pub(crate) struct NamespaceProvider<K> {
    sd: Sd,
    kind: PhantomData<fn() -> K>,
}

impl<K: Kind> NamespaceProvider<K> {
    pub(crate) fn new(sd: Sd) -> Self {
        NamespaceProvider {
            sd,
            kind: PhantomData,
        }
    }

    /// Every namespace of this type (ListNamespaces, pages followed).
    async fn list(&self, ctx: Ctx<'_>) -> Result<Vec<NamespaceSummary>, ProviderError> {
        let filter = NamespaceFilter::builder()
            .name(NamespaceFilterName::Type)
            .values(K::NAMESPACE_TYPE.as_str())
            .condition(FilterCondition::Eq)
            .build();
        let request = self
            .sd
            .client
            .list_namespaces()
            .filters(built(filter, ctx)?);
        let mut pages = request.into_paginator().send();
        let mut all = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.sd.fail(ctx, "listing namespaces", e))?;
            let of_type = page.namespaces().iter().cloned();
            all.extend(of_type.filter(|n| n.r#type() == Some(&K::NAMESPACE_TYPE)));
        }
        Ok(all)
    }

    async fn get(&self, ctx: Ctx<'_>, id: &str) -> Result<Namespace, ProviderError> {
        let out = self.sd.client.get_namespace().id(id).send().await;
        let out = out.map_err(|e| self.sd.fail(ctx, "reading the namespace", e))?;
        out.namespace
            .ok_or_else(|| ctx.fatal(format!("GetNamespace gave nothing for {id}")))
    }

    /// The namespace named `name` that an earlier create of this resource made.
    async fn ours(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        request_id: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<Option<Namespace>, ProviderError> {
        let listed = self.list(ctx).await?;
        let named = listed.iter().filter(|x| x.name() == Some(name));
        for (id, arn) in named.filter_map(|x| Some((x.id()?, x.arn()?))) {
            let namespace = self.get(ctx, id).await?;
            let mine = (arn, namespace.creator_request_id());
            if made_by(&self.sd, ctx, mine, (request_id, tags)).await? {
                return Ok(Some(namespace));
            }
        }
        Ok(None)
    }

    /// Waits for an operation on the namespace.
    async fn wait(&self, ctx: Ctx<'_>, op: &str, doing: &str) -> Result<(), ProviderError> {
        let target = OperationTargetType::Namespace;
        wait_operation(&self.sd, ctx, op, target, doing)
            .await
            .map(drop)
    }
}

/// The template's properties.
pub(crate) fn parse<K: Kind>(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let keys = Keys::new(K::SUPPORTED).and_attributes(ATTRIBUTES);
    let p = Props::root(value, ctx, keys)?;
    let mut ttl = None;
    if let Some(props) = p.obj("Properties", PROPERTIES)?
        && let Some(dns) = props.obj("DnsProperties", PRIVATE_DNS_PROPERTIES_MUTABLE)?
        && let Some(soa) = dns.obj("SOA", SOA)?
    {
        ttl = soa.i64("TTL")?;
    }
    Ok(Spec {
        name: p.required_str("Name")?,
        description: p.str("Description")?,
        vpc: p.str("Vpc")?,
        ttl,
        tags: p.tags("Tags")?,
    })
}

/// What a create returns: the id, `Id`, `Arn` and, for a DNS namespace, `HostedZoneId`.
fn output(id: &str, arn: Option<&str>, props: Option<&NamespaceProperties>) -> ResourceOutput {
    let mut attributes =
        BTreeMap::from([("Id".to_owned(), json!(id)), ("Arn".to_owned(), json!(arn))]);
    let zone = props.and_then(|p| p.dns_properties()?.hosted_zone_id());
    if let Some(zone) = zone {
        attributes.insert("HostedZoneId".to_owned(), json!(zone));
    }
    ResourceOutput {
        physical_id: id.to_owned(),
        attributes,
    }
}

fn output_of(namespace: &Namespace) -> ResourceOutput {
    let id = namespace.id().unwrap_or_default();
    output(id, namespace.arn(), namespace.properties())
}

/// The properties refresh reports for `summary`, the keys infra manages only.
pub(super) fn observe(summary: &NamespaceSummary, last: &Value) -> Map<String, Value> {
    let managed = managed_keys(last);
    let mut m = Map::new();
    let prev = |key: &str| last.get(key).filter(|v| !v.is_null());
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value.filter(|_| managed.contains(key)) {
            m.insert(key.to_owned(), observed_scalar(v, prev(key)));
        }
    };
    put("Name", summary.name().map(|n| json!(n)));
    put("Description", summary.description().map(|d| json!(d)));
    // Write-only: as last applied.
    put("Vpc", prev("Vpc").cloned());
    let ttl = summary
        .properties()
        .and_then(|p| p.dns_properties()?.soa())
        .map(|soa| soa.ttl());
    let last_ttl = prev("Properties").and_then(|p| p.pointer("/DnsProperties/SOA/TTL"));
    match (ttl, last_ttl) {
        (Some(ttl), Some(last)) => {
            let ttl = observed_scalar(json!(ttl), Some(last));
            let properties = json!({"DnsProperties": {"SOA": {"TTL": ttl}}});
            m.insert("Properties".into(), properties);
        }
        // No TTL managed: nothing else of `Properties` can change.
        (_, None) => put("Properties", prev("Properties").cloned()),
        (None, Some(_)) => {}
    }
    m
}

impl<K: Kind> kit::Provider for NamespaceProvider<K> {
    const TYPE: &'static str = K::TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse::<K>(&input.properties, ctx)?;
        let request_id = create_request_id(input);
        let tags = sdk_tags(&merge_tags(&spec.tags, &input.tags), ctx)?;
        let doing = format!("creating namespace {}", spec.name);
        let namespace = match K::create(&self.sd, ctx, &spec, request_id.clone(), tags).await? {
            Ok(op) => {
                let target = OperationTargetType::Namespace;
                let id = wait_operation(&self.sd, ctx, &op, target, &doing).await?;
                let id = id.ok_or_else(|| ctx.fatal(format!("{doing}: no namespace id")))?;
                self.get(ctx, &id).await?
            }
            Err(err) if has_code(&err, "DuplicateRequest") => {
                // The same create is still running: wait until its namespace shows.
                let found = kit::poll(kit::PROPAGATION_TIMEOUT, || {
                    self.ours(ctx, &spec.name, &request_id, &input.tags)
                });
                found.await?.ok_or_else(|| ctx.fail(&doing, &err))?
            }
            Err(err) if has_code(&err, "NamespaceAlreadyExists") => {
                let found = self.ours(ctx, &spec.name, &request_id, &input.tags).await?;
                found.ok_or_else(|| {
                    ctx.fatal(format!(
                        "{doing}: a namespace of that name already exists and was not made for \
                         this resource; choose another Name or import it ({err})"
                    ))
                })?
            }
            Err(err) => return Err(ctx.fail(&doing, err)),
        };
        Ok(output_of(&namespace))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse::<K>(&input.before, ctx)?;
        let after = parse::<K>(&input.after, ctx)?;
        let id = input.physical_id.as_str();
        if (&before.description, before.ttl) != (&after.description, after.ttl) {
            let op = K::update(&self.sd, ctx, id, &after).await?;
            self.wait(ctx, &op, "updating the namespace").await?;
        }
        let namespace = self.get(ctx, id).await?;
        if before.tags != after.tags {
            let arn = namespace.arn().unwrap_or_default();
            let (old, new) = (&before.tags, &after.tags);
            let (old, new) = (merge_tags(old, &input.tags), merge_tags(new, &input.tags));
            retag(&self.sd, ctx, arn, &old, &new).await?;
        }
        Ok(output_of(&namespace))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let id = input.physical_id.as_str();
        match self.sd.client.delete_namespace().id(id).send().await {
            Ok(out) => {
                let op = out.operation_id().unwrap_or_default();
                match self.wait(ctx, op, "deleting the namespace").await {
                    Err(e) if e.class == FailureClass::NotFound => Ok(()),
                    other => other,
                }
            }
            Err(e) => {
                let err = self.sd.err(e);
                if is_not_found(&err) {
                    return Ok(());
                }
                Err(ctx.fail(format!("deleting namespace {id}"), err))
            }
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(first) = items.first() else {
            return Ok(BTreeMap::new());
        };
        let all = self.list(Ctx::new(K::TYPE, &first.address)).await?;
        let mut out = BTreeMap::new();
        for item in items {
            let ctx = Ctx::new(K::TYPE, &item.address);
            let found = all
                .iter()
                .find(|n| n.id() == Some(item.physical_id.as_str()));
            let Some(summary) = found else {
                out.insert(item.address.clone(), Observation::Gone);
                continue;
            };
            let mut props = observe(summary, &item.properties);
            if managed_keys(&item.properties).contains("Tags") {
                let tags = tags_of(&self.sd, ctx, summary.arn().unwrap_or_default()).await?;
                props.insert(
                    "Tags".into(),
                    observed_tags(&tags, item.properties.get("Tags")),
                );
            }
            let seen = output(&item.physical_id, summary.arn(), summary.properties());
            let properties = Value::Object(props);
            let attributes = seen.attributes;
            out.insert(
                item.address.clone(),
                Observation::Present {
                    properties,
                    attributes,
                },
            );
        }
        Ok(out)
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse::<K>(&input.properties, ctx)?;
        let request_id = find_request_id(input);
        let found = self.ours(ctx, &spec.name, &request_id, &input.tags).await?;
        Ok(found.as_ref().map(output_of))
    }
}

/// The [`Kind`] of a DNS namespace type: the same calls under other names (the private one also
/// sends `Vpc` through `$vpc`).
macro_rules! dns_kind {
    ($kind:ident, $ns_type:ident, $create:ident, $update:ident, $props:ident, $mutable:ident, $change:ident, $props_change:ident,
     $mutable_change:ident $(, $vpc:ident)?) => {
        impl $crate::providers::servicediscovery::namespace::Kind for $kind {
            const TYPE: &'static str = TYPE;
            const NAMESPACE_TYPE: aws_sdk_servicediscovery::types::NamespaceType =
                aws_sdk_servicediscovery::types::NamespaceType::$ns_type;
            const SUPPORTED: &'static [&'static str] = SUPPORTED;

            async fn create(
                sd: &Sd,
                ctx: Ctx<'_>,
                spec: &Spec,
                request_id: String,
                tags: Vec<aws_sdk_servicediscovery::types::Tag>,
            ) -> Result<Result<String, AwsError>, ProviderError> {
                use aws_sdk_servicediscovery::types::{$mutable, $props, Soa};
                let properties = match spec.ttl {
                    Some(ttl) => {
                        let soa = built(Soa::builder().ttl(ttl).build(), ctx)?;
                        let dns = $mutable::builder().soa(soa).build();
                        Some($props::builder().dns_properties(dns).build())
                    }
                    None => None,
                };
                let sent = sd
                    .client
                    .$create()
                    .name(&spec.name)
                    .creator_request_id(request_id)
                    .set_description(spec.description.clone())
                    .set_tags(Some(tags))
                    .set_properties(properties)
                    $(.$vpc(spec.vpc.clone()))?
                    .send()
                    .await;
                Ok(sent
                    .map(|out| out.operation_id.unwrap_or_default())
                    .map_err(|e| sd.err(e)))
            }

            async fn update(
                sd: &Sd,
                ctx: Ctx<'_>,
                id: &str,
                spec: &Spec,
            ) -> Result<String, ProviderError> {
                use aws_sdk_servicediscovery::types::{$change, $mutable_change, $props_change, SoaChange};
                let properties = match spec.ttl {
                    Some(ttl) => {
                        let soa = built(SoaChange::builder().ttl(ttl).build(), ctx)?;
                        let dns = $mutable_change::builder().soa(soa).build();
                        Some($props_change::builder().dns_properties(dns).build())
                    }
                    None => None,
                };
                let change = $change::builder()
                    .description(spec.description.clone().unwrap_or_default())
                    .set_properties(properties)
                    .build();
                let sent = sd.client.$update().id(id).namespace(change).send().await;
                let out = sent.map_err(|e| sd.fail(ctx, "updating the namespace", e))?;
                Ok(out.operation_id.unwrap_or_default())
            }
        }
    };
}
pub(crate) use dns_kind;
