//! Format version 2, frozen.
//!
//! A version 2 document is version 3 without the `path` of resources and intents and without
//! the `checkpoint` of intents. Its shape is checked here, straight from the bytes so that an
//! error names the field, line and column; it is then read through `upgrade::upgrade_v2_to_v3`,
//! which records every resource and intent as `native` (the only path version 2 knew). Nothing
//! writes version 2 any more.

use std::collections::BTreeMap;

use serde::Deserialize;
use uuid::Uuid;

use crate::model::{ImportRecord, OutputRecord};
use crate::recorded::RecordedValue;

/// The format version this module names.
pub(crate) const VERSION: u32 = 2;

/// The whole version 2 document, for its shape check only. Unknown fields are refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read for its checks; the upgrade works on the JSON value.
pub(crate) struct StateV2 {
    version: u32,
    lineage: Uuid,
    serial: u64,
    stack: String,
    region: Option<String>,
    template_sha256: Option<String>,
    parameters: BTreeMap<String, RecordedValue>,
    resources: BTreeMap<String, ResourceV2>,
    pending: Vec<IntentV2>,
    outputs: BTreeMap<String, OutputRecord>,
    imports: BTreeMap<String, ImportRecord>,
}

/// A version 2 resource: no `path`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct ResourceV2 {
    #[serde(rename = "type")]
    resource_type: String,
    physical_id: String,
    properties: serde_json::Value,
    attributes: BTreeMap<String, serde_json::Value>,
    dependencies: Vec<String>,
    status: crate::model::ResourceStatus,
}

/// A version 2 intent: no `path`, no `checkpoint`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct IntentV2 {
    address: String,
    action: crate::model::IntentAction,
    resource_type: String,
    expected_name: Option<String>,
    physical_id: Option<String>,
    tags: BTreeMap<String, String>,
    #[serde(default)]
    properties: Option<serde_json::Value>,
    #[serde(default)]
    dependencies: Vec<String>,
    started: jiff::Timestamp,
}
