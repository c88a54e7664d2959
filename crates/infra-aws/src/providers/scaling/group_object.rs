//! What the providers of an object of an Auto Scaling group share (a lifecycle hook, a scaling
//! policy, a scheduled action): the object is named by its group and its name, created and
//! changed by the type's put call ([`GroupObject::put`]), deleted with "already gone" as success,
//! refreshed in batches and found by its natural key; each type says how through
//! [`GroupObject`], and every [`GroupObject`] is a `kit::Provider` (written once here).

use std::collections::BTreeMap;
use std::future::Future;

use crate::providers::kit::prelude::*;

use super::common::{Lookup, gone, in_group, made_up_name, observed, present, read_batched};
use crate::error::AwsError;

/// The [`GroupObject::delete_call`] of a type whose delete request is `$call`, naming the
/// object with `$name`.
macro_rules! delete_call {
    ($call:ident, $name:ident) => {
        async fn delete_call(&self, group: &str, name: &str) -> Result<(), AwsError> {
            let call = self.svc.client.$call().$name(name);
            let call = call.auto_scaling_group_name(group);
            let sent = call.send().await;
            sent.map(drop).map_err(|e| self.svc.err(e))
        }
    };
}
pub(crate) use delete_call;

/// The [`GroupObject::describe`] of a type whose describe request is `$call`, the names set
/// with `$names`: every page's `$items` ([`all_pages!`](super::common::all_pages)).
macro_rules! describe_call {
    ($call:ident, $names:ident, $items:ident) => {
        async fn describe(
            &self,
            group: Option<String>,
            names: Vec<String>,
            doing: &str,
        ) -> Result<Vec<Self::Object>, ProviderError> {
            let request = self.svc.client.$call().set_auto_scaling_group_name(group);
            let request = request.$names(Some(names));
            $crate::providers::scaling::common::all_pages!(self.svc, doing, request, $items)
        }
    };
}
pub(crate) use describe_call;

/// One type of object of an Auto Scaling group.
pub(crate) trait GroupObject: Send + Sync + 'static {
    /// The SDK's description of one object.
    type Object: Send + Sync;
    /// The CloudFormation type.
    const TYPE: &'static str;
    /// What `infra types` lists for it.
    const COVERAGE: Coverage;
    /// What messages call it (`scaling policy`).
    const WHAT: &'static str;
    /// Whether its describe call needs the group (else it takes the names alone).
    const PER_GROUP: bool;
    /// Its properties (generated).
    const KEYS: Keys<'static>;
    /// The property that names it (else infra makes the name up from the create's intent,
    /// [`made_up_name`], the template cannot set it).
    const NAME: Option<&'static str> = None;

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
    const IDENTITY: fn(&Self::Object) -> String;

    /// A described object in the template's spelling (generated).
    const REPORT: fn(&Self::Object) -> Value;

    /// What create, find and refresh report of a described object: its id and attributes.
    const OUTPUT: fn(&Self::Object) -> ResourceOutput;

    /// The type's put call of object `name` with `after`'s values (`before`'s at an update).
    fn put(
        &self,
        ctx: Ctx<'_>,
        name: &str,
        after: &Value,
        before: Option<&Value>,
    ) -> impl Future<Output = Made> + Send;

    /// The objects `names` (of `group` when given), every page; none when the group is gone
    /// ([`describe_call!`] for a call with pages).
    fn describe(
        &self,
        group: Option<String>,
        names: Vec<String>,
        doing: &str,
    ) -> impl Future<Output = Result<Vec<Self::Object>, ProviderError>> + Send;

    /// Sends the type's delete call of object `name` of `group` ([`delete_call!`]).
    fn delete_call(
        &self,
        group: &str,
        name: &str,
    ) -> impl Future<Output = Result<(), AwsError>> + Send;
}

impl<P: GroupObject> kit::Provider for P {
    const TYPE: &'static str = P::TYPE;
    const COVERAGE: Coverage = P::COVERAGE;

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let name = match P::NAME {
            None => made_up_name(&input.address, input.checkpoint.key()),
            Some(key) => {
                let given = Props::root(&input.properties, ctx, P::KEYS)?.str(key)?;
                kit::create_name(ctx, given.as_ref(), input, key)?
            }
        };
        self.put(ctx, &name, &input.properties, None).await
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let name = P::name(&input.attributes, &input.physical_id, ctx)?;
        self.put(ctx, &name, &input.after, Some(&input.before))
            .await
    }

    /// Success, or already gone ([`gone`], success too), or the error.
    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let group = P::group(&input.properties, ctx)?;
        let name = P::name(&input.attributes, &input.physical_id, ctx)?;
        let doing = format!("deleting {} {name} of group {group}", P::WHAT);
        match self.delete_call(&group, &name).await {
            Err(e) if !gone(&e) => Err(ctx.fail(doing, e)),
            _ => Ok(()),
        }
    }

    /// Batched per group when the describe call needs it, else by name alone; an object is
    /// matched by group and name.
    async fn read(&self, items: &[ReadInput]) -> Reads {
        let doing = format!("refreshing {}", P::TYPE);
        read_batched(
            items,
            |item| {
                let ctx = Ctx::new(P::TYPE, &item.address);
                let group = P::group(&item.properties, ctx)?;
                let name = P::name(&item.attributes, &item.physical_id, ctx)?;
                Ok(Lookup::in_group(group, name, P::PER_GROUP))
            },
            |parent, names| self.describe(P::PER_GROUP.then_some(parent), names, &doing),
            P::IDENTITY,
            |object, item| {
                let found = observed((P::REPORT)(object), &item.properties, &[]);
                present(found, (P::OUTPUT)(object).attributes)
            },
        )
        .await
    }

    /// The object of the name the create used, in the group its properties name.
    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = match P::NAME {
            None => made_up_name(&input.address, input.checkpoint.key()),
            Some(key) => kit::name_to_find(input, key, ctx)?,
        };
        let group = P::group(&input.properties, ctx)?;
        let doing = format!("{} {}: finding {} {name}", P::TYPE, input.address, P::WHAT);
        let key = in_group(Some(&group), Some(&name));
        let found = self.describe(Some(group), vec![name], &doing).await?;
        Ok(found
            .iter()
            .find(|o| (P::IDENTITY)(o) == key)
            .map(P::OUTPUT))
    }
}
