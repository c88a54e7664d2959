//! The three Cloud Map namespace types, one flow: [`NamespaceProvider`] over a [`Kind`] (the
//! type's create and update calls and its properties).
//!
//! | type | create | update |
//! |---|---|---|
//! | [`Http`] | CreateHttpNamespace (`Name`, `Description`, `Tags`) | UpdateHttpNamespace (`Description`, which it requires: a removed one is sent empty) |
//! | [`PrivateDns`] | CreatePrivateDnsNamespace (`Name`, `Vpc`, `Description`, the SOA record's TTL, `Tags`; Cloud Map makes a private Route 53 hosted zone associated with the VPC) | UpdatePrivateDnsNamespace (`Description`, the TTL) |
//! | [`PublicDns`] | CreatePublicDnsNamespace (`Name`, `Description`, the SOA record's TTL, `Tags`; Cloud Map makes a public Route 53 hosted zone) | UpdatePublicDnsNamespace (`Description`, the TTL) |
//!
//! Every documented property is mapped; `Vpc` is write-only (kept as last applied). `Ref` is
//! the namespace id, `Fn::GetAtt` gives `Id`, `Arn` and (a DNS namespace) `HostedZoneId`.
//!
//! - **Create**: the kind's Create*Namespace with a `CreatorRequestId` and the tags, then
//!   GetOperation until it ends, then GetNamespace for the attributes. `DuplicateRequest` (the
//!   same create still running) waits until the namespace shows; `NamespaceAlreadyExists` adopts
//!   the namespace of that name only when it is this create's (its `CreatorRequestId`, or its
//!   `infra:*` tags), else it is refused.
//! - **Properties**: the keys, the create requests and the update's changes are generated from
//!   `crates/infra-aws/mappings/servicediscovery.toml`; `Properties` without the SOA record's
//!   TTL is sent as none, a removed `Description` as empty.
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

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;
use aws_sdk_servicediscovery::types::{
    FilterCondition, Namespace, NamespaceFilter, NamespaceFilterName, NamespaceProperties,
    NamespaceSummary, NamespaceType, OperationTargetType, Tag,
};

use super::Sd;
use super::calls::{built, made_by, request_id, retag, tags_of, wait_operation};
use crate::error::AwsError;
use crate::generated::servicediscovery::*;

/// An HTTP namespace's keys: the private one's but `Properties` and `Vpc`, its attributes
/// refused alike.
const HTTP_NAMESPACE: Keys =
    Keys::new(&["Description", "Name", "Tags"]).and_attributes(PRIVATE_DNS_NAMESPACE.attributes);

/// A namespace as the template describes it: its name, what an update sends (`C`: the
/// description and a DNS namespace's SOA TTL) and its tags.
#[derive(Debug)]
pub(crate) struct Spec<C> {
    pub(crate) name: String,
    pub(crate) change: C,
    pub(crate) tags: Vec<(String, String)>,
}

/// One namespace type: its properties and the calls that differ.
pub(crate) trait Kind: Send + Sync + 'static {
    /// `AWS::ServiceDiscovery::HttpNamespace`.
    const TYPE: &'static str;
    /// The type ListNamespaces reports.
    const NAMESPACE_TYPE: NamespaceType;
    /// The template properties it maps.
    const KEYS: Keys<'static>;
    /// What its update call sends.
    type Change: std::fmt::Debug + PartialEq + Send;

    /// The update's change the template's properties `p` describe.
    fn change(p: &Props<'_>) -> R<Self::Change>;

    /// Sends the create call of the template's properties `value` with `request_id` and
    /// `tags`: the operation id, or the service's error.
    fn create(
        sd: &Sd,
        ctx: Ctx<'_>,
        value: &Value,
        request_id: &str,
        tags: Vec<Tag>,
    ) -> impl Future<Output = R<Result<String, AwsError>>> + Send;

    /// Sends the update call of `change`; the operation id.
    fn update(
        sd: &Sd,
        ctx: Ctx<'_>,
        id: &str,
        change: Self::Change,
    ) -> impl Future<Output = R<String>> + Send;
}

/// The [`Kind`] `$kind`: the same calls under other names, their requests and changes read by
/// the conversions generated from its schema (`$create`, `$change`).
macro_rules! kind {
    ($kind:ident, $type:literal, $ns_type:ident, $keys:ident, $create:ident, $update:ident,
     $change:ident: $change_type:ident) => {
        #[derive(Debug)]
        pub(crate) struct $kind;

        impl Kind for $kind {
            const TYPE: &'static str = $type;
            const NAMESPACE_TYPE: NamespaceType = NamespaceType::$ns_type;
            const KEYS: Keys<'static> = $keys;
            type Change = $change_type;

            fn change(p: &Props<'_>) -> R<Self::Change> {
                $change(p)
            }

            async fn create(
                sd: &Sd,
                ctx: Ctx<'_>,
                value: &Value,
                request_id: &str,
                tags: Vec<Tag>,
            ) -> R<Result<String, AwsError>> {
                let request = $create(&Props::root(value, ctx, $keys)?, Default::default())?;
                let request = request.creator_request_id(request_id).set_tags(Some(tags));
                let sent = request.send_with(&sd.client).await.map_err(|e| sd.err(e));
                Ok(sent.map(|out| out.operation_id.unwrap_or_default()))
            }

            async fn update(sd: &Sd, ctx: Ctx<'_>, id: &str, change: Self::Change) -> R<String> {
                let request = sd.client.$update().id(id).namespace(change);
                let out = send!(sd, ctx, request, "updating the namespace")?;
                Ok(out.operation_id.unwrap_or_default())
            }
        }
    };
}

kind!(
    Http, "AWS::ServiceDiscovery::HttpNamespace", Http, HTTP_NAMESPACE, create_http_namespace,
    update_http_namespace, http_namespace_change: HttpNamespaceChange
);
kind!(
    PrivateDns, "AWS::ServiceDiscovery::PrivateDnsNamespace", DnsPrivate, PRIVATE_DNS_NAMESPACE,
    create_private_dns_namespace, update_private_dns_namespace,
    private_dns_namespace_change: PrivateDnsNamespaceChange
);
kind!(
    PublicDns, "AWS::ServiceDiscovery::PublicDnsNamespace", DnsPublic, PUBLIC_DNS_NAMESPACE,
    create_public_dns_namespace, update_public_dns_namespace,
    public_dns_namespace_change: PublicDnsNamespaceChange
);

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
    async fn list(&self, ctx: Ctx<'_>) -> R<Vec<NamespaceSummary>> {
        let filter = NamespaceFilter::builder()
            .name(NamespaceFilterName::Type)
            .values(K::NAMESPACE_TYPE.as_str())
            .condition(FilterCondition::Eq);
        let filter = built(filter.build(), ctx)?;
        let request = self.sd.client.list_namespaces().filters(filter);
        let pages = request.into_paginator().send().try_collect().await;
        let pages = pages.map_err(|e| self.sd.fail(ctx, "listing namespaces", e))?;
        let of_type = |n: &&NamespaceSummary| n.r#type() == Some(&K::NAMESPACE_TYPE);
        let all = pages.iter().flat_map(|page| page.namespaces());
        Ok(all.filter(of_type).cloned().collect())
    }

    async fn get(&self, ctx: Ctx<'_>, id: &str) -> R<Namespace> {
        let request = self.sd.client.get_namespace().id(id);
        let out = send!(&self.sd, ctx, request, "reading the namespace")?;
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
    ) -> R<Option<Namespace>> {
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
}

pub(crate) fn parse<K: Kind>(value: &Value, ctx: Ctx<'_>) -> R<Spec<K::Change>> {
    let p = Props::root(value, ctx, K::KEYS)?;
    Ok(Spec {
        name: p.required_str("Name")?,
        change: K::change(&p)?,
        tags: p.tags("Tags")?,
    })
}

/// What a create returns: the id, `Id`, `Arn` and, for a DNS namespace, `HostedZoneId`.
fn output(id: &str, arn: Option<&str>, props: Option<&NamespaceProperties>) -> ResourceOutput {
    let mut out = output_of(id, [("Id", json!(id)), ("Arn", json!(arn))]);
    let zone = props.and_then(|p| p.dns_properties()?.hosted_zone_id());
    out.attributes
        .extend(zone.map(|z| ("HostedZoneId".to_owned(), json!(z))));
    out
}

fn made(namespace: &Namespace) -> ResourceOutput {
    let id = namespace.id().unwrap_or_default();
    output(id, namespace.arn(), namespace.properties())
}

/// The properties refresh reports for `summary`, the keys infra manages only.
pub(super) fn observe(summary: &NamespaceSummary, last: &Value) -> Map<String, Value> {
    let soa = summary.properties().and_then(|p| p.dns_properties()?.soa());
    let properties = match (soa, last.pointer("/Properties/DnsProperties/SOA/TTL")) {
        (Some(soa), Some(_)) => Some(json!({"DnsProperties": {"SOA": {"TTL": soa.ttl()}}})),
        // No TTL managed: nothing else of `Properties` can change.
        (_, None) => last.get("Properties").cloned(),
        (None, Some(_)) => None,
    };
    // `Vpc` is write-only: as last applied.
    let found = json!({"Name": summary.name(), "Description": summary.description(),
        "Vpc": last.get("Vpc"), "Properties": properties});
    match observed(found, last) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl<K: Kind> kit::Provider for NamespaceProvider<K> {
    const TYPE: &'static str = K::TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "ListNamespaces filtered by type (pages followed); tags per namespace when managed",
        Find::Name,
        "ListNamespaces by name, then GetNamespace: the create's CreatorRequestId, else its infra tags",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse::<K>(&input.properties, ctx)?;
        let request_id = request_id(input.checkpoint.key(), &input.tags, &input.address);
        let tags = kit::sdk_tags!(Tag, ctx, merge_tags(&spec.tags, &input.tags))?;
        let doing = format!("creating namespace {}", spec.name);
        let sent = K::create(&self.sd, ctx, &input.properties, &request_id, tags);
        let namespace = match sent.await? {
            Ok(op) => {
                let id = wait_operation(&self.sd, ctx, &op, OperationTargetType::Namespace, &doing)
                    .await?;
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
        Ok(made(&namespace))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse::<K>(&input.before, ctx)?;
        let after = parse::<K>(&input.after, ctx)?;
        let id = input.physical_id.as_str();
        if before.change != after.change {
            let op = K::update(&self.sd, ctx, id, after.change).await?;
            let doing = "updating the namespace";
            wait_operation(&self.sd, ctx, &op, OperationTargetType::Namespace, doing).await?;
        }
        let namespace = self.get(ctx, id).await?;
        let arn = namespace.arn().unwrap_or_default();
        retag(&self.sd, ctx, arn, &input.tags, &before.tags, &after.tags).await?;
        Ok(made(&namespace))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
        let id = input.physical_id.as_str();
        let sent = self.sd.client.delete_namespace().id(id).send();
        let doing = format!("deleting namespace {id}");
        let Some(out) = kit::found(&self.sd, ctx, doing, sent).await? else {
            return Ok(());
        };
        let op = out.operation_id().unwrap_or_default();
        let doing = "deleting the namespace";
        match wait_operation(&self.sd, ctx, op, OperationTargetType::Namespace, doing).await {
            Err(e) if e.class == FailureClass::NotFound => Ok(()),
            other => other.map(drop),
        }
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(K::TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let all = self.list(ctx).await?;
        let mut out = BTreeMap::new();
        for item in items {
            let ctx = Ctx::new(K::TYPE, &item.address);
            let id = Some(item.physical_id.as_str());
            let Some(summary) = all.iter().find(|n| n.id() == id) else {
                out.insert(item.address.clone(), Observation::Gone);
                continue;
            };
            let mut props = observe(summary, &item.properties);
            if managed_keys(&item.properties).contains("Tags") {
                let tags = tags_of(&self.sd, ctx, summary.arn().unwrap_or_default());
                let tags = observed_tags(&tags.await?, item.properties.get("Tags"));
                props.insert("Tags".into(), tags);
            }
            let seen = output(&item.physical_id, summary.arn(), summary.properties());
            let present = Observation::Present {
                properties: Value::Object(props),
                attributes: seen.attributes,
            };
            out.insert(item.address.clone(), present);
        }
        Ok(out)
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let spec = parse::<K>(&input.properties, ctx)?;
        let request_id = request_id(input.checkpoint.key(), &input.tags, &input.address);
        let found = self.ours(ctx, &spec.name, &request_id, &input.tags).await?;
        Ok(found.as_ref().map(made))
    }
}
