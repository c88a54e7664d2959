//! What the scaling providers share: the two clients, the names infra makes up for types whose
//! name is read-only, what "already gone" looks like in Auto Scaling ([`gone`], which deletes
//! take as success), the identity of an object of a group ([`in_group`], [`Lookup::in_group`]),
//! the batched `read` every type of the family is refreshed by ([`read_batched`]), and what refresh keeps of
//! the values AWS reports ([`observed`]). Reading the templates' properties into SDK types and
//! the SDK's answers back into the templates' spelling is generated (the mappings
//! `crates/infra-aws/mappings/autoscaling.toml` and `applicationautoscaling.toml`).

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use crate::providers::kit::prelude::*;

use crate::error::AwsError;
use crate::providers::compute::same_value;

/// An EC2 Auto Scaling client and how its errors are named.
pub(crate) type AutoScaling = Service<aws_sdk_autoscaling::Client>;
/// An Application Auto Scaling client and how its errors are named.
pub(crate) type AppScaling = Service<aws_sdk_applicationautoscaling::Client>;

// Application Auto Scaling's failed calls are classed by the kit's table alone (EC2 Auto
// Scaling's: `providers::compute`).
impl Classify for AppScaling {}

/// Names (or resource ids) one describe call takes: every describe call of the family
/// documents 50 as its maximum (`PolicyNames`, `ScheduledActionNames`,
/// `LaunchConfigurationNames`, `LifecycleHookNames`, `ResourceIds`).
pub(crate) const NAMES_PER_CALL: usize = 50;

/// The name infra gives a resource whose name the template cannot set (an Auto Scaling
/// policy's `PolicyName`, a scheduled action's `ScheduledActionName`): the logical id and a
/// suffix derived from the create's checkpoint key, unique to the create's intent and the same
/// across its retries and after a crash, so `find` looks for the very name the create used.
pub(crate) fn made_up_name(address: &str, checkpoint_key: &str) -> String {
    let logical = address.rsplit('.').next().unwrap_or(address);
    let logical: String = logical.chars().take(200).collect();
    format!(
        "{logical}-{}",
        kit::stable_suffix(&format!("{address}\n{checkpoint_key}"))
    )
}

/// Whether a failed call says that what it named is gone: the kit's not-found classes, and
/// Auto Scaling's `ValidationError` whose message says "not found" (DeletePolicy,
/// DeleteScheduledAction, DeleteLaunchConfiguration; Terraform's AWS provider reads them so).
pub(crate) fn gone(err: &AwsError) -> bool {
    kit::is_not_found(err)
        || (kit::has_code(err, "ValidationError")
            && err.to_string().to_ascii_lowercase().contains("not found"))
}

/// The identity of an object of an Auto Scaling group (a policy, hook or scheduled action):
/// `<group>/<name>`.
pub(crate) fn in_group(group: Option<&str>, name: Option<&str>) -> String {
    format!("{}/{}", group.unwrap_or_default(), name.unwrap_or_default())
}

/// Every page of a describe call: `$request` (a fluent request builder) is sent with each
/// page's token until no next token is returned, the items of each page's `$items` collected.
/// A "not found" answer (a group that is gone) ends the listing with what was seen.
macro_rules! all_pages {
    ($svc:expr, $doing:expr, $request:expr, $items:ident) => {{
        let request = $request;
        let (mut out, mut token) = (Vec::new(), None::<String>);
        loop {
            match request.clone().set_next_token(token.take()).send().await {
                Ok(page) => {
                    out.extend(page.$items().iter().cloned());
                    token = page.next_token().map(str::to_owned);
                    if token.is_none() {
                        break Ok(out);
                    }
                }
                Err(e) => {
                    let err = $svc.err(e);
                    break if $crate::providers::scaling::common::gone(&err) {
                        Ok(out)
                    } else {
                        Err($crate::providers::kit::fail($doing, err))
                    };
                }
            }
        }
    }};
}
pub(crate) use all_pages;

/// How one resource is looked up by a batched read: the scope a describe call needs
/// (`parent`: a group, a service namespace, or empty), the name it puts in the call's list,
/// and the full identity a found object is matched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lookup {
    /// What one call is scoped to.
    pub(crate) parent: String,
    /// The name in the call's list of names.
    pub(crate) name: String,
    /// The identity a found object must have.
    pub(crate) key: String,
}

impl Lookup {
    /// An object `name` of `group`, looked up in the group when the call requires it
    /// (`per_group`), else by name alone.
    pub(crate) fn in_group(group: String, name: String, per_group: bool) -> Self {
        Lookup {
            key: in_group(Some(&group), Some(&name)),
            parent: if per_group { group } else { String::new() },
            name,
        }
    }
}

/// The `read` of every type of the family: the items grouped by [`Lookup::parent`], their
/// names sent [`NAMES_PER_CALL`] at a time to `fetch` (which follows the pages), each found
/// object matched by `identity` and reported by `observe`; an item nothing matches is `Gone`.
pub(crate) async fn read_batched<T, F, Fut>(
    items: &[ReadInput],
    lookup: impl Fn(&ReadInput) -> Result<Lookup, ProviderError>,
    fetch: F,
    identity: impl Fn(&T) -> String,
    mut observe: impl FnMut(&T, &ReadInput) -> Observation,
) -> Reads
where
    F: Fn(String, Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, ProviderError>>,
{
    let lookups = items
        .iter()
        .map(|item| Ok((lookup(item)?, item)))
        .collect::<Result<Vec<_>, ProviderError>>()?;
    let mut by_parent: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (l, _) in &lookups {
        by_parent.entry(&l.parent).or_default().insert(&l.name);
    }
    let mut found: BTreeMap<String, T> = BTreeMap::new();
    for (parent, names) in by_parent {
        let names: Vec<String> = names.into_iter().map(str::to_owned).collect();
        for chunk in names.chunks(NAMES_PER_CALL) {
            for object in fetch(parent.to_owned(), chunk.to_vec()).await? {
                found.insert(identity(&object), object);
            }
        }
    }
    Ok(lookups
        .into_iter()
        .map(|(l, item)| {
            let seen = found
                .get(&l.key)
                .map_or(Observation::Gone, |object| observe(object, item));
            (item.address.clone(), seen)
        })
        .collect())
}

/// What refresh reports of one resource: `found`, kept to the keys the last applied
/// properties `last` hold (what infra manages; inside nested objects too, so a default AWS
/// reports for a key the template leaves out, such as `DisableScaleIn: false`, is not a
/// change), each in the last applied spelling when it says the same (`"60"` and `60`); a key
/// AWS never reports (`write_only`) stays as last applied.
pub(crate) fn observed(found: impl Into<Value>, last: &Value, write_only: &[&str]) -> Value {
    let mut found = found.into();
    managed_only(&mut found, last);
    let Value::Object(mut found) = found else {
        return Value::Object(Map::new());
    };
    for key in managed_keys(last) {
        let previous = last.get(&key);
        if write_only.contains(&key.as_str()) {
            if let Some(previous) = previous {
                found.insert(key, previous.clone());
            }
        } else if let Some(value) = found.get_mut(&key)
            && let Some(previous) = previous
            && same_value(Some(value), Some(previous))
        {
            *value = previous.clone();
        }
    }
    Value::Object(found)
}

/// `found` without the object keys `last` does not hold, at every level where both are
/// objects (or lists of the same length).
fn managed_only(found: &mut Value, last: &Value) {
    match (found, last) {
        (Value::Object(f), Value::Object(l)) => {
            f.retain(|k, _| l.get(k).is_some_and(|v| !v.is_null()));
            for (k, v) in f.iter_mut() {
                if let Some(previous) = l.get(k) {
                    managed_only(v, previous);
                }
            }
        }
        (Value::Array(f), Value::Array(l)) if f.len() == l.len() => {
            for (v, previous) in f.iter_mut().zip(l) {
                managed_only(v, previous);
            }
        }
        _ => {}
    }
}

/// `Present` with these properties and attributes.
pub(crate) fn present(properties: Value, attributes: BTreeMap<String, Value>) -> Observation {
    Observation::Present {
        properties,
        attributes,
    }
}

#[cfg(test)]
#[path = "tests/common.rs"]
mod tests;
