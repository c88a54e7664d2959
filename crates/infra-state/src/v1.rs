//! Format version 1: the first format, frozen.
//!
//! A version 1 document is version 2 without `imports`. Its shape is checked here, straight
//! from the bytes so that an error names the field, line and column; it is then read through
//! `upgrade::upgrade_v1_to_v2`, which adds an empty `imports`, and by the version 2 reader.
//! Nothing writes version 1 any more.

use std::collections::BTreeMap;

use serde::Deserialize;
use uuid::Uuid;

use crate::model::{Intent, OutputRecord, ResourceRecord};
use crate::recorded::RecordedValue;

/// The format version this module names.
pub(crate) const VERSION: u32 = 1;

/// The whole version 1 document, for its shape check only. Unknown fields are refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read for its checks; the upgrade works on the JSON value.
pub(crate) struct StateV1 {
    version: u32,
    lineage: Uuid,
    serial: u64,
    stack: String,
    region: Option<String>,
    template_sha256: Option<String>,
    parameters: BTreeMap<String, RecordedValue>,
    resources: BTreeMap<String, ResourceRecord>,
    pending: Vec<Intent>,
    outputs: BTreeMap<String, OutputRecord>,
}
