//! The life most taggable EC2 objects share, written once. A type says what is its own in
//! [`Object`] (its spec, its creating, describing and deleting calls, what a read reports), and
//! [`ObjectProvider`] is its `kit::Provider`:
//!
//! - create: the type's creating call, given the template's and infra's tags
//!   (`TagSpecifications`, so there is no untagged window), then wait until a describe shows the
//!   object usable ([`Object::pending`]);
//! - update: the type's own in-place changes ([`Object::update`]; none by default), then tags
//!   (`CreateTags` / `DeleteTags`), then wait as after a create;
//! - read: the type's batched describe of every id; an object in a dead state
//!   ([`find::is_dead`]) reads as gone;
//! - delete: the type's deleting call (not found is success), then wait until no describe shows
//!   it alive;
//! - find: by the infra tags ([`find::pick`]), then wait as after a create.
//!
//! A type waits less where AWS needs no waiting ([`Object::WAITS`]): a route table only after
//! its create and delete, an internet gateway never.
//!
//! A type whose output or read needs more than its describe (a VPC's default security group,
//! a subnet's network ACL association) says how it waits ([`Object::usable`]) and reads
//! ([`Object::read`]).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{Filter, ResourceType, TagSpecification};

use super::api::{Ec2, by_filter, deleted, each_or_all, id_output, on_create, refreshing};
use super::find::{self, Tagged};
use super::props::{Attributes, fields, observe_each, unchecked};
use super::tags;
use super::wait::{self, Poll};
use crate::provider::Providers;

/// What a creating call is given.
#[derive(Debug)]
pub(crate) struct New<'a> {
    /// The template's properties, checked against the spec (also for the conversions generated
    /// from the schemas, `generated/ec2/`, mapped in `mappings/ec2.toml`).
    pub(crate) props: &'a Props<'a>,
    /// The template's and infra's tags, for the call's `TagSpecifications`.
    pub(crate) tags: Option<Vec<TagSpecification>>,
    /// What is being done, for messages.
    pub(crate) doing: &'a str,
}

/// What an in-place change is given.
#[derive(Debug)]
pub(crate) struct Change<'a> {
    /// The physical id.
    pub(crate) id: &'a str,
    /// The properties as last applied.
    pub(crate) before: &'a Props<'a>,
    /// The template's properties, checked against the spec.
    pub(crate) after: &'a Props<'a>,
    /// What is being done, for messages.
    pub(crate) doing: &'a str,
}

/// Which calls of an [`Object`] wait until a describe shows what they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waits {
    /// Create, update and find until it is usable; delete until it is gone.
    Always,
    /// Create until it is usable (visible); delete until it is gone.
    CreateAndDelete,
    /// None: what `Ref` and `Fn::GetAtt` return is the id the call gave.
    Never,
}

/// What one taggable EC2 type says about itself; [`ObjectProvider`] does the rest.
pub(crate) trait Object: Sized + Send + Sync + 'static {
    /// `AWS::EC2::NetworkAcl`.
    const TYPE: &'static str;
    /// What `infra types` lists for it.
    const COVERAGE: Coverage;
    /// The properties it maps and refuses.
    const SPEC: Keys<'static>;
    /// What an object is called in messages (`network ACL`).
    const WHAT: &'static str;
    /// Properties the API never reports: refresh keeps them as last applied.
    const WRITE_ONLY: &'static [&'static str] = &[];
    /// How long a create (or a find) waits for the object to be usable, and a delete for it to
    /// be gone.
    const TIMEOUT: Duration = wait::SHORT_TIMEOUT;
    /// Which calls wait.
    const WAITS: Waits = Waits::Always;
    /// The `Fn::GetAtt` attribute that is its EC2 id, when [`Object::attributes`] says no more.
    const ID_ATTRIBUTE: &'static str = "Id";

    /// The EC2 resource type its tags are given for (`TagSpecifications`).
    const RESOURCE_TYPE: ResourceType;
    /// The `Describe*` filter that selects objects by physical id (`dhcp-options-id`); `None`
    /// for a describe call that has no such filter and takes ids as a list (`NetworkAclIds`),
    /// which fails as a whole when one is missing ([`each_or_all`]).
    const ID_FILTER: Option<&'static str> = None;

    /// How long a delete waits for the object to be gone.
    const DELETE_TIMEOUT: Duration = Self::TIMEOUT;
    /// Whether its tags go on its physical id, so that an update changes them without a
    /// describe first (by default when an update does not wait).
    const TAGS_ON_PHYSICAL_ID: bool = !matches!(Self::WAITS, Waits::Always);

    /// The object as its describe call returns it.
    type Seen: Tagged + Send + Sync + 'static;

    /// The creating call (and a wait until the object is there, where a later step needs it);
    /// the new object's physical id (what `Ref` returns). Failures pass through [`on_create`].
    fn create(
        &self,
        ec2: &Ec2,
        new: New<'_>,
    ) -> impl Future<Output = Result<String, ProviderError>> + Send;

    /// The type's describe call with its list of `ids` and `filters` (each when given), every
    /// page followed.
    fn describe(
        &self,
        ec2: &Ec2,
        ids: Option<Vec<String>>,
        filters: Option<Vec<Filter>>,
        doing: &str,
    ) -> impl Future<Output = Result<Vec<Self::Seen>, ProviderError>> + Send;

    /// The deleting call; "not found" is success (the caller checks).
    fn delete(
        &self,
        ec2: &Ec2,
        id: &str,
        doing: &str,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send;

    /// In-place changes other than tags.
    fn update(
        &self,
        _ec2: &Ec2,
        _change: &Change<'_>,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send {
        async { Ok(()) }
    }

    /// Waits until the object `id` is usable after a create, an update (`props`: the
    /// template's) or a find (`None`); what `Ref` and `Fn::GetAtt` return then. By default
    /// [`ready`].
    fn usable(
        &self,
        ec2: &Ec2,
        id: &str,
        _props: Option<&Props<'_>>,
        doing: &str,
    ) -> impl Future<Output = Made> + Send {
        ready(self, ec2, id, doing)
    }

    /// A create's steps once the creating call answered, up to what `Ref` and `Fn::GetAtt`
    /// return (a VPC's DNS attributes, a subnet's); by default [`Object::usable`]. Outside
    /// [`on_create`]: a "not found" here is about the new object itself.
    fn created(
        &self,
        ec2: &Ec2,
        id: &str,
        props: &Props<'_>,
        doing: &str,
    ) -> impl Future<Output = Made> + Send {
        self.usable(ec2, id, Some(props), doing)
    }

    /// The refresh of `items`; by default [`read_objects`].
    fn read(&self, ec2: &Ec2, items: &[ReadInput]) -> impl Future<Output = Reads> + Send {
        read_objects(self, ec2, items)
    }

    /// The properties a read reports, as a template writes them (`Tags` is added).
    fn observe(seen: &Self::Seen, last: &Value) -> Map<String, Value>;

    /// The `Fn::GetAtt` attributes: by default its EC2 id as [`Object::ID_ATTRIBUTE`].
    fn attributes(seen: &Self::Seen) -> Attributes {
        BTreeMap::from([(Self::ID_ATTRIBUTE.to_owned(), json!(seen.id()))])
    }

    /// `Some(state)` while the object is not usable yet; an error (AWS's reason) when it will
    /// never be.
    fn pending(_seen: &Self::Seen) -> Result<Option<String>, String> {
        Ok(None)
    }

    /// Whether a delete is done with an object still seen: by default once it is in a dead
    /// state ([`find::is_dead`]).
    fn gone(seen: &Self::Seen) -> bool {
        find::is_dead(seen)
    }
}

/// The [`Object`] items every type sets alike: `TYPE` and `SPEC` (its module's own), `Seen`
/// (`$seen`), `RESOURCE_TYPE` (`ResourceType::$resource_type`), `WHAT` (`$what`), and its
/// `COVERAGE`: read in batches by `$operation` (`$how`: how many ids per call, pages) and found
/// by its infra tags with the same operation.
macro_rules! object_header {
    ($seen:ty, $resource_type:ident, $what:literal, $operation:literal, $how:literal) => {
        const TYPE: &'static str = TYPE;
        const COVERAGE: crate::provider::Coverage = super::find::tag_coverage!($operation, $how);
        const SPEC: Keys<'static> = SPEC;
        const WHAT: &'static str = $what;
        const RESOURCE_TYPE: aws_sdk_ec2::types::ResourceType =
            aws_sdk_ec2::types::ResourceType::$resource_type;
        type Seen = $seen;
    };
}
pub(crate) use object_header;

/// The [`Object::describe`] of a type whose describe call is paginated: the client's
/// `$call` (`describe_network_acls`) with its list of ids set by `$ids`
/// (`set_network_acl_ids`) and its filters by `$filters`, the objects
/// in each page's `$field`; `MaxResults` is `$page` when given.
macro_rules! paged_describe {
    ($seen:ty, $call:ident, $ids:ident, $filters:ident, $field:ident
        $(, $page:expr)?) => {
        async fn describe(
            &self,
            ec2: &super::api::Ec2,
            ids: Option<Vec<String>>,
            filters: Option<Vec<aws_sdk_ec2::types::Filter>>,
            doing: &str,
        ) -> Result<Vec<$seen>, ProviderError> {
            let request = ec2.client.$call().$ids(ids).$filters(filters)$(.max_results($page))?;
            Ok(super::api::all_pages!(ec2, request, doing, $field))
        }
    };
}
pub(crate) use paged_describe;

/// The [`Object::delete`] of a type deleted by one call naming its id: the client's `$call`
/// (`delete_network_acl`) with the id set by `$id` (`network_acl_id`).
macro_rules! id_delete {
    ($call:ident, $id:ident) => {
        async fn delete(
            &self,
            ec2: &super::api::Ec2,
            id: &str,
            doing: &str,
        ) -> Result<(), ProviderError> {
            let request = ec2.client.$call().$id(id);
            super::api::call!(ec2, request, doing).map(drop)
        }
    };
}
pub(crate) use id_delete;

/// The [`Object::create`] of a type made by one call: the client's `$call`
/// (`create_route_table`), its request filled from the template by `$fill` (the conversion
/// `crate::generated::ec2::$call` when left out), given the tags; `$operation` in messages;
/// the new id is `$id` of the answer `$created`.
macro_rules! one_create {
    ($call:ident, $operation:literal, |$created:ident| $id:expr $(, $fill:expr)?) => {
        async fn create(
            &self,
            ec2: &super::api::Ec2,
            new: super::object::New<'_>,
        ) -> Result<String, ProviderError> {
            let fill = super::object::one_create!(@fill $call $(, $fill)?);
            let request = fill(&new, ec2.client.$call())?.set_tag_specifications(new.tags);
            let $created = super::api::call!(ec2, request, new.doing)?;
            super::api::returned($id, $operation, new.doing)
        }
    };
    (@fill $call:ident) => {
        |new: &super::object::New<'_>, b| crate::generated::ec2::$call(new.props, b)
    };
    (@fill $call:ident, $fill:expr) => {
        $fill
    };
}
pub(crate) use one_create;

/// The properties `last` holds of what a generated report (`generated/ec2.rs`) says of an
/// object, each as the template wrote it ([`kit::observed`]).
pub(crate) fn reported(found: Value, last: &Value) -> Map<String, Value> {
    fields(kit::observed(found, last))
}

/// The objects of the physical ids `ids` that exist (dead ones included), through `object`'s
/// describe call: one call per page and chunk of ids (also for other types' providers: a
/// route's table, an attachment's gateway).
pub(crate) async fn described<'i, T: Object>(
    object: &T,
    ec2: &Ec2,
    ids: impl IntoIterator<Item = &'i str>,
    doing: &str,
) -> Result<Vec<T::Seen>, ProviderError> {
    match T::ID_FILTER {
        Some(name) => by_filter(name, ids, |f| object.describe(ec2, None, Some(f), doing)).await,
        None => each_or_all(ids, |chunk| object.describe(ec2, Some(chunk), None, doing)).await,
    }
}

/// `found` by physical id.
pub(crate) fn by_id<S: Tagged>(found: Vec<S>) -> BTreeMap<String, S> {
    let id = |s: S| Some((s.physical_id()?.to_owned(), s));
    found.into_iter().filter_map(id).collect()
}

/// The provider of an [`Object`] type: the type and the EC2 client it calls.
#[derive(Debug)]
pub(crate) struct ObjectProvider<T> {
    ec2: Ec2,
    object: T,
}

fn output<T: Object>(seen: &T::Seen) -> ResourceOutput {
    ResourceOutput {
        physical_id: seen.physical_id().unwrap_or_default().to_owned(),
        attributes: T::attributes(seen),
    }
}

impl<T: Object> ObjectProvider<T> {
    /// Registers the provider of `object`, calling `ec2`.
    pub(crate) fn register(providers: &mut Providers, ec2: &Ec2, object: T) {
        let ec2 = ec2.clone();
        providers.insert(kit::native(ObjectProvider { ec2, object }));
    }
}

/// The object `id`, when it exists.
pub(crate) async fn seen<T: Object>(
    object: &T,
    ec2: &Ec2,
    id: &str,
    doing: &str,
) -> Result<Option<T::Seen>, ProviderError> {
    let found = described(object, ec2, [id], doing).await?;
    Ok(found.into_iter().find(|s| s.physical_id() == Some(id)))
}

/// Waits until the object `id` is usable ([`Object::pending`]); what `Ref` and `Fn::GetAtt`
/// return then.
pub(crate) async fn ready<T: Object>(object: &T, ec2: &Ec2, id: &str, doing: &str) -> Made {
    let what = format!("{} {id} to be usable", T::WHAT);
    let seen = wait::until(&what, T::TIMEOUT, || async move {
        let Some(seen) = seen(object, ec2, id, doing).await? else {
            return Ok(Poll::Pending("not visible yet".into()));
        };
        match T::pending(&seen) {
            Ok(None) => Ok(Poll::Ready(seen)),
            Ok(Some(state)) => Ok(Poll::Pending(state)),
            Err(why) => Err(ProviderError::fatal(format!(
                "{doing}: {} {id} failed: {why}",
                T::WHAT
            ))),
        }
    })
    .await?;
    Ok(output::<T>(&seen))
}

/// The refresh of `items`: one batched describe of their ids; an object in a dead state
/// ([`find::is_dead`]) reads as gone.
pub(crate) async fn read_objects<T: Object>(object: &T, ec2: &Ec2, items: &[ReadInput]) -> Reads {
    let doing = refreshing(items, T::TYPE);
    let ids = items.iter().map(|i| i.physical_id.as_str());
    let mut seen = by_id(described(object, ec2, ids, &doing).await?);
    seen.retain(|_, object| !find::is_dead(object));
    Ok(observe_each(items, T::WRITE_ONLY, |item| {
        let object = seen.get(&item.physical_id)?;
        let mut properties = T::observe(object, &item.properties);
        properties.insert(
            "Tags".into(),
            tags::observed(object.tags(), &item.properties),
        );
        Some((properties, T::attributes(object)))
    }))
}

impl<T: Object> kit::Provider for ObjectProvider<T> {
    const TYPE: &'static str = T::TYPE;
    const COVERAGE: Coverage = T::COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let props = Props::root(&input.properties, ctx, T::SPEC)?;
        let tags = tags::desired(&props, &input.tags)?;
        let specs = tags::spec(T::RESOURCE_TYPE, &tags);
        let new = New {
            props: &props,
            tags: specs,
            doing: &doing,
        };
        let id = self.object.create(&self.ec2, new).await;
        let id = id.map_err(on_create)?;
        if T::WAITS == Waits::Never {
            return Ok(id_output(T::ID_ATTRIBUTE, &id));
        }
        self.object.created(&self.ec2, &id, &props, &doing).await
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = unchecked(&input.before, ctx)?;
        let after = Props::root(&input.after, ctx, T::SPEC)?;
        let id = input.physical_id.as_str();
        let change = Change {
            id,
            before: &before,
            after: &after,
            doing: &doing,
        };
        self.object.update(&self.ec2, &change).await?;
        let old = tags::desired(&before, &input.tags)?;
        let new = tags::desired(&after, &input.tags)?;
        // Tags go on the EC2 id, which is not always the physical id (a key pair's is its name).
        let tagged = if T::TAGS_ON_PHYSICAL_ID || old == new {
            None
        } else {
            seen(&self.object, &self.ec2, id, &doing).await?
        };
        let ec2_id = tagged.as_ref().and_then(Tagged::id).unwrap_or(id);
        tags::update(&self.ec2, ec2_id, &doing, &old, &new).await?;
        if T::WAITS != Waits::Always {
            return Ok(id_output(T::ID_ATTRIBUTE, id));
        }
        self.object
            .usable(&self.ec2, id, Some(&after), &doing)
            .await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let id = input.physical_id.as_str();
        if !deleted(self.object.delete(&self.ec2, id, &doing).await)? || T::WAITS == Waits::Never {
            return Ok(());
        }
        let what = format!("{} {id} to be deleted", T::WHAT);
        let doing = doing.as_str();
        wait::until(&what, T::DELETE_TIMEOUT, || async move {
            Ok(match seen(&self.object, &self.ec2, id, doing).await? {
                Some(seen) if !T::gone(&seen) => {
                    Poll::Pending(seen.state().unwrap_or("still there").to_owned())
                }
                _ => Poll::Ready(()),
            })
        })
        .await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        self.object.read(&self.ec2, items).await
    }

    /// By its infra tags, then as after a create.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let doing = ctx.doing("finding");
        let filters = find::tag_filters(input, &doing)?;
        let found = self.object.describe(&self.ec2, None, Some(filters), &doing);
        let found = found.await?;
        let Some((_, object)) = find::pick(found, input, T::WHAT, &doing)? else {
            return Ok(None);
        };
        if T::WAITS != Waits::Always {
            return Ok(Some(output::<T>(&object)));
        }
        let id = object.physical_id().unwrap_or_default().to_owned();
        let made = self.object.usable(&self.ec2, &id, None, &doing);
        made.await.map(Some)
    }
}

#[cfg(test)]
#[path = "tests/object.rs"]
pub(crate) mod tests;
