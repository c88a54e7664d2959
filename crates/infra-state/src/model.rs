//! The state model: what infra knows about one deployed stack.
//!
//! These are plain data. Values of properties and attributes are `serde_json::Value`, because
//! this crate knows nothing of templates or AWS. The JSON form of each type is the one
//! documented in `state/README.md`. [`State`] itself has no serde impls: its JSON form carries a
//! format version and is produced only by [`crate::encode_state`] and read by
//! [`crate::decode_state`], so no other code can write a state document of the wrong version.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::recorded::{OutputJson, RecordedValue};

/// Everything infra records about one stack.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Identifies this state's history. Chosen once, when the state is created, and never
    /// changed; a file with another lineage is another state, not a newer version of this one.
    pub lineage: Uuid,
    /// Number of times this state has been written. [`crate::StateFile::write`] sets it; a state
    /// that was never written has serial 0.
    pub serial: u64,
    /// The stack name (`--stack`), used in generated names and `infra:stack` tags.
    pub stack: String,
    /// The AWS region the resources live in, once known.
    pub region: Option<String>,
    /// SHA-256 (lowercase hex) of the root template as last applied.
    pub template_sha256: Option<String>,
    /// Template parameters as last applied. NoEcho parameters are stored redacted.
    pub parameters: BTreeMap<String, RecordedValue>,
    /// Resources that exist, by address (`VpcStack.VPC`).
    pub resources: BTreeMap<String, ResourceRecord>,
    /// AWS calls that were started and whose outcome is not yet recorded, oldest first.
    pub pending: Vec<Intent>,
    /// Stack outputs as last applied, by output name. Those with an `export_name` are the
    /// stack's exports.
    pub outputs: BTreeMap<String, OutputRecord>,
    /// The exports of other stacks this stack's template imported (`Fn::ImportValue`) when it
    /// was last applied, by export name.
    pub imports: BTreeMap<String, ImportRecord>,
    /// Objects infra took out of `resources` and left in AWS because a `DeletionPolicy` or
    /// `UpdateReplacePolicy` said `Retain`, oldest first. They still carry infra's `infra:*`
    /// tags, so a later lookup of an interrupted create (`find`) could return one: it never
    /// adopts an object listed here.
    pub retained: Vec<RetainedRecord>,
    /// Not part of the document: values that must never be written (the run's NoEcho
    /// parameter values). [`crate::encode_state`] writes any property, attribute or intent
    /// string that contains one as a redaction marker (see `state/README.md`).
    pub secrets: Vec<String>,
}

impl State {
    /// An empty state for `stack`, with a fresh lineage and serial 0.
    pub fn new(stack: &str) -> State {
        State {
            lineage: Uuid::new_v4(),
            serial: 0,
            stack: stack.to_owned(),
            region: None,
            template_sha256: None,
            parameters: BTreeMap::new(),
            resources: BTreeMap::new(),
            pending: Vec::new(),
            outputs: BTreeMap::new(),
            imports: BTreeMap::new(),
            retained: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Whether `physical_id` of `resource_type` is an object infra retained (see
    /// [`State::retained`]).
    pub fn is_retained(&self, resource_type: &str, physical_id: &str) -> bool {
        self.retained
            .iter()
            .any(|r| r.resource_type == resource_type && r.physical_id == physical_id)
    }

    /// The stack's exports: export name → the output that exports it.
    pub fn exports(&self) -> impl Iterator<Item = (&str, &OutputRecord)> {
        self.outputs
            .values()
            .filter_map(|o| o.export_name.as_deref().map(|name| (name, o)))
    }
}

/// One export another stack made that this stack imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRecord {
    /// Who exports it: the name of an `infra` stack on the same state backend, or the id
    /// (ARN) of a CloudFormation stack.
    pub exporter: String,
    /// The value imported.
    pub value: Value,
}

/// One resource that exists in AWS and belongs to the stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceRecord {
    /// The CloudFormation type, e.g. `AWS::EC2::VPC`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// What `Ref` returns for it: the id AWS gave it (`vpc-0abc…`) or its name or ARN.
    pub physical_id: String,
    /// The properties it was last created or updated with, as a JSON object, after
    /// intrinsics were resolved. Generated names are recorded here so they stay stable.
    pub properties: Value,
    /// `Fn::GetAtt` attribute values read back from AWS, by attribute name.
    pub attributes: BTreeMap<String, Value>,
    /// Addresses this resource depended on when it was last applied. A resource that is
    /// no longer in the template is deleted before the resources listed here.
    pub dependencies: Vec<String>,
    /// Whether the resource is healthy.
    pub status: ResourceStatus,
    /// How infra creates, reads, updates and deletes it: the path it was created on.
    #[serde(default)]
    pub path: ResourcePath,
    /// Its `DeletionPolicy` as last applied: what happens to it when it leaves the stack.
    #[serde(default)]
    pub deletion_policy: DeletionPolicy,
    /// Its `UpdateReplacePolicy` as last applied: what happens to its old object when it is
    /// replaced.
    #[serde(default)]
    pub update_replace_policy: UpdateReplacePolicy,
}

/// A resource's `DeletionPolicy`: what becomes of its object when the resource leaves the
/// stack (`infra destroy`, or removal from the template). `Snapshot` is refused by
/// `infra validate`, so it is never recorded.
///
/// The order is how much each keeps: `Delete < RetainExceptOnCreate < Retain`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DeletionPolicy {
    /// Deleted in AWS (CloudFormation's default).
    #[default]
    Delete,
    /// Kept in AWS once it has been created; a create that failed or was interrupted is
    /// cleaned up as with `Delete`.
    RetainExceptOnCreate,
    /// Kept in AWS: taken out of the state only.
    Retain,
}

impl DeletionPolicy {
    /// The name the state records: `delete`, `retain_except_on_create`, `retain`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "delete",
            DeletionPolicy::RetainExceptOnCreate => "retain_except_on_create",
            DeletionPolicy::Retain => "retain",
        }
    }

    /// The name a template writes: `Delete`, `RetainExceptOnCreate`, `Retain`.
    pub fn template_name(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "Delete",
            DeletionPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            DeletionPolicy::Retain => "Retain",
        }
    }

    /// Whether a resource whose create finished (`created`) or not is kept in AWS when it
    /// leaves the stack.
    pub fn retains(self, created: bool) -> bool {
        match self {
            DeletionPolicy::Delete => false,
            DeletionPolicy::RetainExceptOnCreate => created,
            DeletionPolicy::Retain => true,
        }
    }
}

/// A resource's `UpdateReplacePolicy`: what becomes of its old object when a change replaces
/// it. `Snapshot` is refused by `infra validate`, so it is never recorded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum UpdateReplacePolicy {
    /// The old object is deleted (CloudFormation's default).
    #[default]
    Delete,
    /// The old object is kept in AWS and taken out of the state.
    Retain,
}

impl UpdateReplacePolicy {
    /// The name the state records: `delete`, `retain`.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateReplacePolicy::Delete => "delete",
            UpdateReplacePolicy::Retain => "retain",
        }
    }

    /// The name a template writes: `Delete`, `Retain`.
    pub fn template_name(self) -> &'static str {
        match self {
            UpdateReplacePolicy::Delete => "Delete",
            UpdateReplacePolicy::Retain => "Retain",
        }
    }
}

/// Which policy kept an object in AWS when infra took it out of the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetainedBy {
    /// `DeletionPolicy` (`Retain`, or `RetainExceptOnCreate` once created): the resource left
    /// the stack.
    DeletionPolicy,
    /// `UpdateReplacePolicy: Retain`: it was the old object of a replacement.
    UpdateReplacePolicy,
}

impl RetainedBy {
    /// The template attribute: `DeletionPolicy` or `UpdateReplacePolicy`.
    pub fn attribute(self) -> &'static str {
        match self {
            RetainedBy::DeletionPolicy => "DeletionPolicy",
            RetainedBy::UpdateReplacePolicy => "UpdateReplacePolicy",
        }
    }
}

/// An object infra stopped managing and left in AWS because a policy said to retain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetainedRecord {
    /// The address it had.
    pub address: String,
    /// Its CloudFormation type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Its physical id (what `Ref` returned).
    pub physical_id: String,
    /// The policy that kept it.
    pub retained_by: RetainedBy,
    /// When it was taken out of the state.
    pub retained: Timestamp,
}

/// How infra deploys a resource: the path of its create, which every later read, update and
/// delete of it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourcePath {
    /// infra's own provider of the type, calling the service's API.
    #[default]
    Native,
    /// AWS Cloud Control.
    CloudControl,
}

impl ResourcePath {
    /// The name the state records: `native` or `cloudcontrol`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourcePath::Native => "native",
            ResourcePath::CloudControl => "cloudcontrol",
        }
    }
}

/// The health of a recorded resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceStatus {
    /// Created (or updated, or adopted) successfully.
    Created,
    /// It exists but is not known to be good: its create failed after AWS made it, or a
    /// waiter gave up on it. The next plan replaces it.
    Tainted,
}

/// A change to AWS that was started but whose result is not yet in `resources`.
///
/// An intent is written to the state before the AWS call that it describes, and removed in
/// the same write that records the result. An intent found when a run starts means an
/// earlier run stopped in between: the resource is looked up by its `infra:*` tags or
/// `expected_name` and adopted (create, replace) or checked to be gone (delete).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// The address the change is for.
    pub address: String,
    /// What was being done.
    pub action: IntentAction,
    /// The CloudFormation type of the resource.
    pub resource_type: String,
    /// The name the resource was to be created with, when it has one (given or generated);
    /// used to find it when its type cannot be looked up by tag.
    pub expected_name: Option<String>,
    /// For `delete`, the object being deleted; for `replace`, the object being replaced.
    pub physical_id: Option<String>,
    /// The tags the new resource was created with (including `infra:stack` and `infra:address`).
    pub tags: BTreeMap<String, String>,
    /// For `create` and `replace`, the properties the create was called with: what finds a
    /// resource that cannot be tagged (a route by its table and destination) and what its
    /// record holds once it is adopted.
    #[serde(default)]
    pub properties: Option<Value>,
    /// For `create` and `replace`, the addresses the new resource depends on, for its record.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// When the change was started.
    pub started: Timestamp,
    /// The path the change goes through (for a delete, the object's own).
    #[serde(default)]
    pub path: ResourcePath,
    /// What the provider saved while the call ran, to find its result after a crash (Cloud
    /// Control: the idempotency token of the attempt, then its request token); `null` for
    /// most.
    #[serde(default)]
    pub checkpoint: Option<Value>,
    /// For `create` and `replace`, the `DeletionPolicy` the new resource's record gets when the
    /// create is adopted after an interruption; for `delete`, the object's own.
    #[serde(default)]
    pub deletion_policy: DeletionPolicy,
    /// Likewise for the `UpdateReplacePolicy`.
    #[serde(default)]
    pub update_replace_policy: UpdateReplacePolicy,
}

impl Intent {
    /// An intent started now, with no name, physical id or tags.
    pub fn new(address: &str, action: IntentAction, resource_type: &str) -> Intent {
        Intent {
            address: address.to_owned(),
            action,
            resource_type: resource_type.to_owned(),
            expected_name: None,
            physical_id: None,
            tags: BTreeMap::new(),
            properties: None,
            dependencies: Vec::new(),
            started: now(),
            path: ResourcePath::Native,
            checkpoint: None,
            deletion_policy: DeletionPolicy::Delete,
            update_replace_policy: UpdateReplacePolicy::Delete,
        }
    }
}

/// The kind of change an [`Intent`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentAction {
    /// A new resource is being created at `address`.
    Create,
    /// The object `physical_id` is being deleted.
    Delete,
    /// A new object is being created to replace `physical_id` at `address`; the old one is
    /// deleted afterwards (under its own `delete` intent).
    Replace,
}

impl IntentAction {
    /// The change as messages name it: `create`, `replacement` or `delete`.
    pub fn noun(self) -> &'static str {
        match self {
            IntentAction::Create => "create",
            IntentAction::Replace => "replacement",
            IntentAction::Delete => "delete",
        }
    }
}

/// One stack output.
///
/// JSON: the value's own keys beside the others, `{"value": …, "description": …,
/// "export_name": …}` or `{"redacted": {…}, "description": …, "export_name": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "OutputJson", into = "OutputJson")]
pub struct OutputRecord {
    /// The value, or only a digest of it when the output is sensitive (it derives from a
    /// NoEcho parameter).
    pub value: RecordedValue,
    /// The output's `Description`, if the template has one.
    pub description: Option<String>,
    /// The output's `Export.Name`, which `Fn::ImportValue` in other stacks looks up.
    pub export_name: Option<String>,
}

/// The current time to the second, the precision state files record.
pub fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}
