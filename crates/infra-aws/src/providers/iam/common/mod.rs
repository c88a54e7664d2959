//! What the IAM and CloudWatch Logs providers share: reading template properties, policy
//! documents, tags (and whether they make an entity this resource's), error classes, bounded
//! concurrency, polling, and the name a `find` looks for.
//!
//! Kept `pub(crate)` and free of any IAM type so `providers::logs` uses it too.
//!
//! Split by responsibility; everything is re-exported here, so `common::X` is the path to use:
//! - `context`: [`Ctx`], [`Api`] and error classification;
//! - `props`: [`Props`], reading template properties;
//! - `documents`: policy document parsing and comparison;
//! - `tags`: tag merging, changes, ownership and observed tags;
//! - `find`: what a `find` looks for and stable generated names;
//! - `observed`: values as refresh reports them;
//! - `concurrency`: [`run_bounded`];
//! - `wait`: [`poll`], [`retry_eventual`] and their timeout.

mod concurrency;
mod context;
mod documents;
mod find;
mod observed;
mod props;
mod tags;
mod wait;

pub(crate) use concurrency::{READ_CONCURRENCY, run_bounded};
pub(crate) use context::{Api, Ctx, class_of, endpoint_label, has_code, is_not_found};
#[cfg(test)]
pub(crate) use documents::percent_decode;
pub(crate) use documents::{compact, observed_document, parse_document, same_document};
pub(crate) use find::{name_to_find, not_replaced, stable_suffix};
pub(crate) use observed::{iso_date, managed_keys, observed_scalar, observed_set};
pub(crate) use props::{Props, scalar_text};
pub(crate) use tags::{INFRA_TAG_PREFIX, merge_tags, observed_tags, owned_by, tag_changes};
pub(crate) use wait::{PROPAGATION_TIMEOUT, poll, retry_eventual};
