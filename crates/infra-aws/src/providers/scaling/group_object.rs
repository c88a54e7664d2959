//! What the providers of an object of an Auto Scaling group share (a lifecycle hook, a scaling
//! policy, a scheduled action): the object is named by its group and its name, deleted with
//! "already gone" as success ([`delete`]), refreshed in batches ([`read`]) and found by its
//! natural key ([`find`]); each type says how through [`GroupObject`].

use std::collections::BTreeMap;
use std::future::Future;

use serde_json::Value;

use super::common::{Lookup, find_in_group, gone, read_batched};
use crate::error::AwsError;
use crate::provider::{DeleteInput, FindInput, Observation, ProviderError, ReadInput};
use crate::providers::kit::{self, Ctx, Keys, Props, Reads};

/// One type of object of an Auto Scaling group.
pub(crate) trait GroupObject: kit::Provider {
    /// The SDK's description of one object.
    type Object: Send + Sync;
    /// What messages call it (`scaling policy`).
    const WHAT: &'static str;
    /// Whether its describe call needs the group (else it takes the names alone).
    const PER_GROUP: bool;
    /// Its properties (generated).
    const KEYS: Keys<'static>;
    /// Its delete call (`DeletePolicy`).
    const DELETE: &'static str;

    /// The group the resource's `properties` name (checked against [`Self::KEYS`]).
    fn group(properties: &Value, ctx: Ctx<'_>) -> Result<String, ProviderError> {
        Props::root(properties, ctx, Self::KEYS)?.required_str("AutoScalingGroupName")
    }

    /// The name of a resource made: its physical id, unless the type says otherwise.
    fn name(
        _attributes: &BTreeMap<String, Value>,
        physical_id: &str,
        _ctx: Ctx<'_>,
    ) -> Result<String, ProviderError> {
        Ok(physical_id.to_owned())
    }

    /// `<group>/<name>` of a described object.
    fn identity(object: &Self::Object) -> String;

    /// What refresh reports of a described object.
    fn observe(object: &Self::Object, item: &ReadInput) -> Observation;

    /// The objects `names` (of `group` when given), every page; none when the group is gone.
    fn describe(
        &self,
        group: Option<String>,
        names: Vec<String>,
        doing: &str,
    ) -> impl Future<Output = Result<Vec<Self::Object>, ProviderError>> + Send;

    /// Sends [`Self::DELETE`] of object `name` of `group`.
    fn delete_call(
        &self,
        group: &str,
        name: &str,
    ) -> impl Future<Output = Result<(), AwsError>> + Send;
}

/// The `delete` of a group object: success, or already gone ([`gone`], success too), or the
/// error.
pub(crate) async fn delete<P: GroupObject>(
    p: &P,
    input: &DeleteInput,
) -> Result<(), ProviderError> {
    let ctx = Ctx::new(P::TYPE, &input.address);
    let group = P::group(&input.properties, ctx)?;
    let name = P::name(&input.attributes, &input.physical_id, ctx)?;
    let doing = format!("deleting {} {name} of group {group}", P::WHAT);
    match p.delete_call(&group, &name).await {
        Err(e) if !gone(&e) => Err(ctx.fail(doing, e)),
        _ => Ok(()),
    }
}

/// The `read` of group objects: batched per group when the describe call needs it, else by
/// name alone; an object is matched by group and name.
pub(crate) async fn read<P: GroupObject>(p: &P, items: &[ReadInput]) -> Reads {
    let doing = format!("refreshing {}", P::TYPE);
    read_batched(
        items,
        |item| {
            let ctx = Ctx::new(P::TYPE, &item.address);
            let group = P::group(&item.properties, ctx)?;
            let name = P::name(&item.attributes, &item.physical_id, ctx)?;
            Ok(if P::PER_GROUP {
                Lookup::per_group(group, name)
            } else {
                Lookup::any_group(&group, name)
            })
        },
        |parent, names| p.describe(P::PER_GROUP.then_some(parent), names, &doing),
        P::identity,
        P::observe,
    )
    .await
}

/// The `find` of group object `name`, in the group the create's properties name.
pub(crate) async fn find<P: GroupObject>(
    p: &P,
    input: &FindInput,
    name: &str,
) -> Result<Option<P::Object>, ProviderError> {
    let ctx = Ctx::new(P::TYPE, &input.address);
    let group = P::group(&input.properties, ctx)?;
    let doing = format!("{} {}: finding {} {name}", P::TYPE, input.address, P::WHAT);
    let describe = |group, names| p.describe(Some(group), names, &doing);
    find_in_group(&group, name, describe, P::identity).await
}
