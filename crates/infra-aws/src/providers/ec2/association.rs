//! The life every untaggable EC2 type made of what its properties name shares (a route, a
//! network ACL entry, a subnet's route table or network ACL, a VPC's DHCP options, a gateway
//! attached to a VPC, a further CIDR block of a VPC): each is made of its
//! [`Association::Key`], and [`Associations`] is its `kit::Provider`:
//!
//! - create: the properties checked against the type's spec, then [`Association::make`]; a
//!   "not found" there names something the association refers to that may not show yet.
//! - update: what the association is of ([`Association::OF`], its subnet or VPC) cannot change
//!   in place (the plan replaces it); the same key again changes nothing; another one is
//!   [`Association::change`]d to, with the update's input, where the type can (else it must be
//!   replaced).
//! - delete: [`Association::undo`], with the delete's input and the key of the properties last
//!   applied.
//! - read: [`Association::observe`] of all items at once, each with the key last applied.
//! - find: by its natural key, [`Association::existing`].

use std::future::Future;

use crate::providers::kit::prelude::*;

use super::api::{on_create, refreshing};
use super::props::{Attributes, observations, unchecked};
use super::wait::{self, Poll, SHORT_TIMEOUT};

/// An association type's names, which [`association!`] declares.
pub(crate) trait Named {
    /// The CloudFormation type.
    const TYPE: &'static str;
    /// What `infra types` lists for it.
    const COVERAGE: Coverage;
    /// The properties it maps or refuses.
    const SPEC: Keys<'static>;
}

/// Declares an association type in its module: `TYPE`, `SPEC` (from the keys generated from
/// its schema, `crate::generated::ec2::$keys`), `COVERAGE` (what `infra types` lists for it: a
/// batched read, `refresh`, and a find by its natural key, `find`) and its provider `$provider`
/// (holding the EC2 client), which it makes [`Named`].
macro_rules! association {
    ($provider:ident, $type_name:literal, $keys:ident, refresh: $refresh:literal, find: $find:literal) => {
        pub(crate) const TYPE: &str = $type_name;
        pub(crate) const SPEC: $crate::providers::kit::Keys = $crate::generated::ec2::$keys;

        /// The provider of the type.
        #[derive(Debug)]
        pub(crate) struct $provider {
            pub(crate) ec2: $crate::providers::ec2::api::Ec2,
        }

        impl $crate::providers::ec2::association::Named for $provider {
            const TYPE: &'static str = TYPE;
            const COVERAGE: $crate::provider::Coverage = $crate::provider::Coverage::native(
                $crate::provider::Refresh::Batched,
                $refresh,
                $crate::provider::Find::NaturalKey,
                $find,
            );
            const SPEC: $crate::providers::kit::Keys<'static> = SPEC;
        }
    };
}
pub(crate) use association;

/// What one association type says about itself; [`Associations`] does the rest.
pub(crate) trait Association: Named + Send + Sync + 'static {
    /// The property naming what the association is of (`SubnetId`, `VpcId`), which cannot
    /// change in place; `None` when no property can.
    const OF: Option<&'static str>;
    /// Properties the API never reports.
    const WRITE_ONLY: &'static [&'static str] = &[];
    /// Whether refresh needs each item's key, read from its last properties; `false` for a
    /// type read by its physical id alone, which then also reads a resource whose properties
    /// are not known yet (one being adopted). [`Association::observe`] gets no keys then.
    const KEYED_READ: bool = true;

    /// What the properties name.
    type Key: PartialEq + Send + Sync;

    /// The key of `props`.
    fn key(props: &Props<'_>) -> Result<Self::Key, ProviderError>;

    /// Makes the association `key` names (adopting the one an interrupted create made) and
    /// waits until it is in effect.
    fn make(
        &self,
        key: &Self::Key,
        input: &CreateInput,
        doing: &str,
    ) -> impl Future<Output = Made> + Send;

    /// Moves the association (`input.physical_id`), made of `before`, to what `after` names;
    /// by default, none can move (every property is create-only).
    fn change(
        &self,
        _input: &UpdateInput,
        _before: &Self::Key,
        _after: &Self::Key,
        doing: &str,
    ) -> impl Future<Output = Made> + Send {
        let why = format!(
            "{doing}: every property of {} is create-only; it must be replaced",
            Self::TYPE
        );
        async move { Err(ProviderError::fatal(why)) }
    }

    /// Undoes the association (`input.physical_id`), made of `key`; one that no longer exists
    /// is success.
    fn undo(
        &self,
        input: &DeleteInput,
        key: &Self::Key,
        doing: &str,
    ) -> impl Future<Output = Undone> + Send;

    /// What refresh sees of each of `items` (made of `keys`, in the same order; none unless
    /// [`Association::KEYED_READ`]): its properties and attributes, `None` when it is gone.
    fn observe(
        &self,
        items: &[ReadInput],
        keys: &[Self::Key],
        doing: &str,
    ) -> impl Future<Output = Observed> + Send;

    /// The association `key` names that an interrupted create made, once in effect.
    fn existing(
        &self,
        key: &Self::Key,
        input: &FindInput,
        doing: &str,
    ) -> impl Future<Output = Found> + Send;
}

/// What [`Association::observe`] answers: per item, its properties and attributes, `None`
/// when it is gone.
pub(crate) type Observed = Result<Vec<Option<(Map<String, Value>, Attributes)>>, ProviderError>;

/// What [`Association::undo`] answers.
pub(crate) type Undone = Result<(), ProviderError>;

/// The provider of an [`Association`] type.
#[derive(Debug)]
pub(crate) struct Associations<T>(pub(crate) T);

/// Waits until `noun` is associated (with `associated`) or no longer is (gone, or
/// `disassociated`): `read` reads its state now, as EC2 spells it, with what it is (`None`
/// when it is not there). A `failing` or `failed` one is an error.
pub(crate) async fn until_associated<T, F, Fut>(
    noun: &str,
    associated: bool,
    doing: &str,
    read: F,
) -> Result<Option<T>, ProviderError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Option<(String, T)>, ProviderError>>,
{
    let to_be = ["disassociated", "associated"][usize::from(associated)];
    let (read, what) = (&read, format!("{noun} to be {to_be}"));
    wait::until(&what, SHORT_TIMEOUT, || async move {
        Ok(match read().await? {
            Some((state, _)) if state == "failing" || state == "failed" => {
                return Err(ProviderError::fatal(format!("{doing}: {noun} failed")));
            }
            Some((state, it)) if state == to_be => Poll::Ready(Some(it)),
            Some((state, _)) => Poll::Pending(state),
            None if associated => Poll::Pending("not visible yet".into()),
            None => Poll::Ready(None),
        })
    })
    .await
}

/// The key of an association of two ids: the properties `a` and `b` of `props`.
pub(crate) fn two_ids(
    props: &Props<'_>,
    [a, b]: [&str; 2],
) -> Result<(String, String), ProviderError> {
    Ok((props.required_str(a)?, props.required_str(b)?))
}

/// Properties of string values, as a read reports them.
pub(crate) fn properties<const N: usize>(pairs: [(&str, &str); N]) -> Map<String, Value> {
    let pairs = pairs.into_iter();
    pairs.map(|(k, v)| (k.to_owned(), Value::from(v))).collect()
}

impl<T: Association> kit::Provider for Associations<T> {
    const TYPE: &'static str = T::TYPE;
    const COVERAGE: Coverage = T::COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let doing = ctx.doing("creating");
        let key = T::key(&Props::root(&input.properties, ctx, T::SPEC)?)?;
        self.0.make(&key, input, &doing).await.map_err(on_create)
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let doing = ctx.doing("updating");
        let before = unchecked(&input.before, ctx)?;
        let after = Props::root(&input.after, ctx, T::SPEC)?;
        if let Some(of) = T::OF
            && before.str(of)? != after.str(of)?
        {
            return Err(ProviderError::fatal(format!(
                "{doing}: {of} cannot change in place; the association must be replaced"
            )));
        }
        let (before, after) = (T::key(&before)?, T::key(&after)?);
        if before == after {
            return Ok(kit::unchanged(input));
        }
        self.0.change(input, &before, &after, &doing).await
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let doing = ctx.doing("deleting");
        let key = T::key(&unchecked(&input.properties, ctx)?)?;
        self.0.undo(input, &key, &doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = refreshing(items, T::TYPE);
        let mut keys = Vec::new();
        for item in items.iter().filter(|_| T::KEYED_READ) {
            keys.push(T::key(&unchecked(
                &item.properties,
                Ctx::new(T::TYPE, &item.address),
            )?)?);
        }
        let seen = items
            .iter()
            .zip(self.0.observe(items, &keys, &doing).await?);
        Ok(observations(seen, T::WRITE_ONLY, |_, s| s))
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let doing = ctx.doing("finding");
        let key = T::key(&Props::root(&input.properties, ctx, T::SPEC)?)?;
        self.0.existing(&key, input, &doing).await
    }
}
