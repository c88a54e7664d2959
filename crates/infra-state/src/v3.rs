//! Format version 3, the current one: the JSON document as it is on disk.
//!
//! Version 3 adds to version 2 the `path` of every resource and intent (`native` or
//! `cloudcontrol`: how infra creates, reads, updates and deletes it) and the `checkpoint` of
//! every intent (what the provider saved while the call ran), the `deletion_policy` and
//! `update_replace_policy` of every resource and intent, and `retained`, the objects infra let
//! go of because a policy said to keep them. When version 4 arrives, this
//! module is frozen: its types become copies that no longer follow the model, it keeps only the
//! reader, and `upgrade` gains a step from 3 to 4.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::{ImportRecord, Intent, OutputRecord, ResourceRecord, RetainedRecord, State};
use crate::recorded::RecordedValue;

/// The format version this module reads and writes.
pub(crate) const VERSION: u32 = 3;

/// The whole document. Every field is always written; unknown fields are refused, so that a
/// hand edit with a typo, or a field a newer infra added, is an error rather than dropped.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateV3 {
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
    imports: BTreeMap<String, ImportRecord>,
    // Written by every version 3 infra but the first development builds, which lacked it.
    #[serde(default)]
    retained: Vec<RetainedRecord>,
}

impl StateV3 {
    pub(crate) fn from_state(state: &State) -> StateV3 {
        let state = state.clone();
        StateV3 {
            version: VERSION,
            lineage: state.lineage,
            serial: state.serial,
            stack: state.stack,
            region: state.region,
            template_sha256: state.template_sha256,
            parameters: state.parameters,
            resources: state.resources,
            pending: state.pending,
            outputs: state.outputs,
            imports: state.imports,
            retained: state.retained,
        }
    }

    pub(crate) fn into_state(self) -> State {
        State {
            lineage: self.lineage,
            serial: self.serial,
            stack: self.stack,
            region: self.region,
            template_sha256: self.template_sha256,
            parameters: self.parameters,
            resources: self.resources,
            pending: self.pending,
            outputs: self.outputs,
            imports: self.imports,
            retained: self.retained,
            secrets: Vec::new(),
        }
    }
}
