//! The provider kit: what every resource provider is made of, in one place.
//!
//! # What a provider is made of
//!
//! A provider is one CloudFormation resource type: a struct holding its service's client
//! ([`Service`]: the SDK client and the [`Api`](context::Api) that names and classifies its
//! failed calls) that implements [`Provider`]:
//! - `TYPE` (`"AWS::EC2::VPC"`) and `COVERAGE` (what `infra types` says about how it is
//!   deployed, refreshed and found again);
//! - five plain `async fn`s: `create` (and wait until usable), `update` (in place, from the
//!   `before` it is given), `delete` (idempotent: "not found" is success), `read` (many
//!   resources at once, batched per page where the API allows) and `find` (what an
//!   interrupted create made, by `infra:*` tags, name or natural key).
//!
//! [`native`] wraps it in [`Native`](provider::Native), the one blanket implementation of the
//! engine's object-safe [`ResourceProvider`](crate::provider::ResourceProvider): it boxes the
//! futures and drops from `find` the object a replacement replaces
//! ([`FindInput::replacing`](crate::provider::FindInput::replacing)), so no provider checks
//! that itself. The family's `register` inserts it: `providers.insert(kit::native(X { .. }))`.
//!
//! # How to write one
//!
//! 1. Parse the template's properties with [`Props`]: every key must be in the type's
//!    supported list or be refused by name with a reason ([`Keys`]); nested objects and list
//!    items are read with [`Props::obj`], [`Props::objs`] and [`Props::nested`], so every
//!    message names the value's path (`Tags[0].Key`).
//! 2. Call AWS through the [`Service`]; turn a failed call into a [`ProviderError`] with
//!    [`Ctx::fail`] (or [`Service::fail`], [`Service::error`]), which classes it by the one
//!    table of [`errors`]: throttling and 5xx retryable, "not found", dependency violations,
//!    eventual consistency. A call that names *another* resource just made uses
//!    [`Ctx::fail_referencing`]; a create step, [`on_create`].
//! 3. Tag in the creating call with [`merge_tags`] (the template's and infra's own); a create
//!    that finds its name taken adopts the object only when [`owned_by`] says it carries this
//!    resource's `infra:*` tags.
//! 4. Wait with [`poll`] and retry with [`retry_while`] / [`retry_eventual`]: both lend the
//!    parallelism slot while they pause.
//! 5. Report what `read` sees in the template's spelling ([`managed_keys`],
//!    [`observed_scalar`], [`observed_set`], [`observed_tags`], [`observed_document`]), so a
//!    value that says the same as the last applied one never shows as drift; a type read
//!    resource by resource uses [`read_each`].
//!
//! Everything is `pub(crate)` and free of any service's SDK type, so every family (EC2, IAM,
//! Logs, compute, ECS, ELBv2) uses the same pieces. Split by responsibility; everything is
//! re-exported here, so `kit::X` is the path to use:
//! - [`prelude`]: what nearly every provider imports, in one `use`;
//! - `provider`: [`Provider`], `Native`, [`native`] and what its calls answer ([`Made`],
//!   [`Reads`], [`Found`]);
//! - `context`: [`Ctx`] (which resource a call is about) and [`Service`] (one service's client);
//! - [`errors`]: the classification of AWS errors, [`is_not_found`], [`has_code`], [`fail`];
//! - `props`: [`Props`] and [`Keys`], reading template properties;
//! - [`convert`]: what the generated conversions (`crates/infra-aws/generated/`) use;
//! - `documents`: policy document parsing and comparison;
//! - `tags`: tag merging, changes, ownership and observed tags;
//! - `find`: the name a `find` looks for and stable generated names;
//! - `observed`: values as refresh reports them;
//! - `concurrency`: [`run_bounded`] and [`read_each`];
//! - `wait`: [`poll`], [`retry_while`], [`retry_eventual`] and their timeouts;
//! - `owner`: the name a create uses ([`create_name`]) and an update keeps ([`same_name`]), and
//!   the messages of a name taken by another object or an object gone;
//! - `steps`: a batched read's context and results, pages, batches of names, lookups whose
//!   "not found" is an answer ([`found`]);
//! - `deleted`: a delete call that takes "already gone" as success ([`Deleted`], [`deleted`]);
//! - `calls`: calls classed by a service's own [`Classify`] ([`failed`], [`send!`],
//!   [`answered!`], [`unless_gone`]) and the "not found is an answer" step (`settled`) under
//!   `unless_gone`, `found` and `Deleted`;
//! - `changes`: a string map AWS holds brought from one value to another ([`map_changes`]);
//! - [`held_policy`]: a policy document set on each of several objects ([`held_policy::Held`]);
//! - `alike`: steps several services write the same way ([`retag`], [`sdk_tags!`],
//!   [`read_found`]);
//! - `report`: what create, find and update report ([`output_of`], [`unchanged`]) and values
//!   in the template's spelling ([`observed`], [`as_written`]).
//!
//! [`ProviderError`]: crate::provider::ProviderError

mod alike;
mod calls;
mod changes;
mod concurrency;
mod context;
pub(crate) mod convert;
mod deleted;
mod documents;
pub(crate) mod errors;
mod find;
pub(crate) mod held_policy;
mod observed;
mod owner;
pub(crate) mod prelude;
mod props;
mod provider;
mod report;
mod steps;
mod tags;
mod wait;

pub(crate) use alike::{read_found, retag, sdk_tags};
pub(crate) use calls::{Classify, answer, answered, failed, send, unless_gone};
pub(crate) use changes::map_changes;
pub(crate) use concurrency::{READ_CONCURRENCY, read_each, run_bounded};
pub(crate) use context::{Answer, Ctx, Service, endpoint_label, requested};
pub(crate) use deleted::{Deleted, deleted};
#[cfg(test)]
pub(crate) use documents::percent_decode;
pub(crate) use documents::{compact, observed_document, parse_document, same_document};
#[cfg(test)]
pub(crate) use errors::{class_of, code_class};
pub(crate) use errors::{fail, has_code, is_not_found, on_create};
pub(crate) use find::{name_to_find, stable_suffix};
pub(crate) use observed::{iso_date, managed_keys, observed_scalar, observed_set};
pub(crate) use owner::{create_name, does_not_exist, not_ours, same_name};
pub(crate) use props::{Keys, Props, list, one_of, scalar_text};
pub(crate) use provider::{Found, Made, Provider, Reads, native};
pub(crate) use report::{as_written, observed, output_of, unchanged};
pub(crate) use steps::{batch_ctx, found, in_batches, pages, present_or_gone};
pub(crate) use tags::{
    INFRA_TAG_PREFIX, merge_tags, observed_tags, owned_by, tag_changes, tag_pairs,
};
pub(crate) use wait::{FIRST_PAUSE, PROPAGATION_TIMEOUT, poll, retry_eventual, retry_while};

#[cfg(test)]
mod tests;
