//! What nearly every provider module names, in one import: `use
//! crate::providers::kit::prelude::*;`. The engine contract's inputs and outputs, the kit
//! itself (as `kit::`) and its everyday pieces, and the JSON types template properties come
//! in. Anything less common is imported by name from [`kit`](super).

pub(crate) use serde_json::{Map, Value, json};

pub(crate) use super::{
    Answer, Classify, Ctx, Deleted, Found, Keys, Made, Props, Reads, Service, answered, compact,
    create_name, has_code, is_not_found, managed_keys, merge_tags, name_to_find, observed,
    observed_document, observed_scalar, observed_set, observed_tags, on_create, output_of,
    owned_by, same_document, scalar_text, send, tag_changes, unchanged, unless_gone,
};
pub(crate) use crate::provider::{
    Coverage, CreateInput, DeleteInput, FailureClass, Find, FindInput, Observation, ProviderError,
    ReadInput, Refresh, ResourceOutput, UpdateInput,
};
pub(crate) use crate::providers::kit;
